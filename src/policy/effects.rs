//! What a command does to files: reads, writes, edits, deletes, and the URLs it fetches.
//!
//! Rules about files (secrets, persistence, self-protection) are written once against effects, and
//! then catch the Write tool, `> file`, `tee`, `cp`, `sed -i`, `rm` and the rest alike. No I/O.

use super::path::{Link, resolve_through};
use super::shell::{Cmd, Word};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EffectKind {
    Read,
    Write,
    Edit,
    Delete,
    Fetch,
}

/// One effect of a tool call on a file or URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Effect {
    pub kind: EffectKind,
    /// An absolute, normalized path (or a URL for `Fetch`); for a dynamic target, its spelling.
    pub target: String,
    pub dynamic: bool,
    pub glob: bool,
    /// Recursive (`rm -r`, `find -delete`).
    pub recursive: bool,
    /// Forced (`rm -f`).
    pub forced: bool,
    /// The path as written, made absolute but with its `..` kept, when links on disk could make
    /// it lead elsewhere than `target`.
    pub spelled: Option<String>,
    /// For a dynamic path whose beginning is static (`~/.ssh/$k`, `$(…)`-free up to a `/`): the
    /// directory that beginning names, absolute and normalized. The path is some file below it
    /// (or, through a `..` only known at run time, anywhere: it stays dynamic).
    pub within: Option<String>,
}

const READERS: &[&str] = &[
    "cat",
    "less",
    "more",
    "head",
    "tail",
    "bat",
    "batcat",
    "xxd",
    "od",
    "hexdump",
    "strings",
    "base64",
    "base32",
    "sort",
    "uniq",
    "nl",
    "tac",
    "rev",
    "cut",
    "jq",
    "yq",
    "diff",
    "cmp",
    "md5sum",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "gpg",
    "gzip",
    "bzip2",
    "xz",
    "zstd",
    "view",
    "ssh-keygen",
    "openssl",
    "awk",
    "paste",
    "column",
    "fold",
    "iconv",
    "dos2unix",
    "source",
    ".",
];
/// Programs that look at names, metadata or run a file as a program without showing its bytes,
/// or that use a key without revealing it: their arguments are not reads. Sorted (binary search).
/// Whether `program` is in [`METADATA_ONLY`]: a binary search that compares first bytes before
/// whole names (most steps differ there), without a call.
fn metadata_only(program: &str) -> bool {
    static TABLE: super::schema::Names<256> = super::schema::Names::new(METADATA_ONLY);
    TABLE.contains(program)
}

const METADATA_ONLY: &[&str] = &[
    ":",
    "[",
    "[[",
    "alias",
    "basename",
    "bash",
    "black",
    "bun",
    "cargo",
    "cc",
    "cd",
    "clang",
    "cmake",
    "code",
    "command",
    "dash",
    "deno",
    "df",
    "dirname",
    "docker",
    "du",
    "echo",
    "eslint",
    "exa",
    "exit",
    "export",
    "eza",
    "false",
    "file",
    "fish",
    "gcc",
    "getfacl",
    "git",
    "go",
    "gradle",
    "helm",
    "java",
    "javac",
    "jest",
    "kill",
    "killall",
    "kubectl",
    "la",
    "ll",
    "ls",
    "lsattr",
    "lsd",
    "make",
    "mkdir",
    "mosh",
    "mvn",
    "namei",
    "node",
    "npm",
    "npx",
    "open",
    "pip",
    "pip3",
    "pkill",
    "pnpm",
    "podman",
    "popd",
    "prettier",
    "printf",
    "pushd",
    "pytest",
    "python",
    "python3",
    "readlink",
    "realpath",
    "return",
    "ruff",
    "rustc",
    "set",
    "sftp",
    "sh",
    "sleep",
    "ssh",
    "ssh-add",
    "ssh-copy-id",
    "stat",
    "terraform",
    "test",
    "tofu",
    "tree",
    "true",
    "tsc",
    "type",
    "unset",
    "uv",
    "vitest",
    "wc",
    "whereis",
    "which",
    "xdg-open",
    "yarn",
    "zsh",
];

const SEARCHERS: &[&str] = &["grep", "egrep", "fgrep", "rg", "ag", "ack", "zgrep"];

/// Derives the file effects of one simple command run in `cwd` (`None`: unknown directory).
pub fn of_command(cmd: &Cmd, home: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    let cwd = cmd.cwd.as_deref();
    let links = cmd.links.as_slice();
    let mut push = |kind: EffectKind, w: &Word, recursive: bool, forced: bool| {
        if let Some(e) = effect(kind, w, cwd, home, links, recursive, forced) {
            out.push(e);
        }
    };
    for r in &cmd.redirects {
        push(if r.write { EffectKind::Write } else { EffectKind::Read }, &r.target, false, false);
    }
    let args = cmd.args();
    if matches!(cmd.program.as_str(), "docker" | "podman" | "nerdctl") {
        // `docker run -v HOST:CTR`: whatever runs in the container can read, and unless the
        // mount is read-only write, the whole tree on the host.
        for (host, read_only) in mounts(args) {
            push(EffectKind::Read, &host, true, false);
            if !read_only {
                push(EffectKind::Write, &host, true, false);
            }
        }
        return out;
    }
    // `python -m http.server` is peeled to its module, as a program of its own.
    if cmd.program == "http.server" || cmd.program.starts_with("python") && args.windows(2).any(|w| w[0].text == "-m" && w[1].text == "http.server") {
        // A file server: everything below its directory can be read over the network.
        let dir = option_value(args, "-d", "--directory").cloned().unwrap_or_else(|| Word::lit("."));
        push(EffectKind::Read, &dir, true, false);
        return out;
    }
    if cmd.program != "git" && metadata_only(&cmd.program) {
        return out;
    }
    let pos = positionals_for(&cmd.program, args);
    let has = |short: char, long: &str| {
        args.iter().take_while(|w| w.text != "--").any(|w| {
            let a = w.text.as_str();
            // `--recursive`, an abbreviation GNU tools accept (`--recur`), or inside a cluster (`-rf`).
            (a.starts_with("--") && a.len() >= 4 && long.starts_with(a)) || (a.starts_with('-') && !a.starts_with("--") && a[1..].contains(short))
        })
    };
    match cmd.program.as_str() {
        "rm" | "unlink" | "rmdir" | "shred" | "srm" => {
            let recursive = cmd.program == "rm" && (has('r', "--recursive") || has('R', "--recursive"));
            let forced = has('f', "--force");
            for w in &pos {
                push(EffectKind::Delete, w, recursive, forced);
            }
        }
        "find" => {
            // `-fprint FILE`, `-fprint0`, `-fprintf FILE FORMAT`, `-fls FILE` write FILE.
            for k in 0..args.len() {
                if matches!(args[k].text.as_str(), "-fprint" | "-fprint0" | "-fprintf" | "-fls")
                    && let Some(f) = args.get(k + 1)
                {
                    push(EffectKind::Write, f, false, false);
                }
            }
            if args.iter().any(|w| w.text == "-delete") {
                let dot = Word::lit(".");
                let mut starts: Vec<&Word> = args.iter().take_while(|w| !w.text.starts_with('-') && w.text != "(" && w.text != "!").collect();
                if starts.is_empty() {
                    starts.push(&dot);
                }
                let filtered = crate::policy::shell::find_is_filtered(args);
                for w in starts {
                    // With a filter, only matching files below the start go; without, all of it.
                    let target = if filtered { Word { text: format!("{}/<found>", w.text.trim_end_matches('/')), ..w.clone() } } else { w.clone() };
                    push(EffectKind::Delete, &target, true, true);
                }
            }
        }
        "cp" | "mv" | "install" | "ln" | "rsync" | "scp" => {
            // Copies of whole trees write everything under the destination.
            let tree = match cmd.program.as_str() {
                "mv" => true,
                "cp" => has('r', "--recursive") || has('R', "--recursive") || has('a', "--archive"),
                "rsync" => has('r', "--recursive") || has('a', "--archive"),
                "scp" => has('r', "--recursive"),
                _ => false,
            };
            let target_dir = option_value(args, "-t", "--target-directory");
            let (sources, dest): (Vec<&Word>, Option<&Word>) = match target_dir {
                Some(t) => (pos.clone(), Some(t)),
                None if pos.len() >= 2 => (pos[..pos.len() - 1].to_vec(), pos.last().copied()),
                None => (pos.clone(), None),
            };
            let sources: Vec<&Word> = sources.into_iter().filter(|s| !is_remote(&s.text)).collect();
            if cmd.program == "rsync" {
                // `--remove-source-files` deletes what it sent; `--delete` (and its spellings)
                // deletes what the destination holds that the source does not.
                let opts = || args.iter().take_while(|w| w.text != "--");
                if opts().any(|w| w.text == "--remove-source-files") {
                    for s in &sources {
                        push(EffectKind::Delete, s, true, true);
                    }
                }
                if let Some(d) = dest.filter(|d| !is_remote(&d.text))
                    && opts().any(|w| w.text.starts_with("--delete") || w.text == "--del")
                {
                    push(EffectKind::Delete, d, true, true);
                }
            }
            for s in &sources {
                push(EffectKind::Read, s, tree, false);
                if cmd.program == "mv" {
                    push(EffectKind::Delete, s, true, false);
                }
                if cmd.program == "ln" {
                    // Whatever is later written through the link lands here. A relative target of
                    // a symbolic link is read from the link's directory: DEST's own if DEST is a
                    // directory, its parent's if DEST names the link (both, as either may hold).
                    push(EffectKind::Write, s, false, false);
                    if let Some(d) = dest.filter(|_| has('s', "--symbolic") && !s.text.starts_with(['/', '~']))
                        && !is_remote(&d.text)
                    {
                        let link = d.text.trim_end_matches('/');
                        let parent = match link.rsplit_once('/') {
                            Some(("", _)) => "/",
                            Some((p, _)) => p,
                            None => ".",
                        };
                        for dir in [parent, link] {
                            let through = Word { text: format!("{dir}/{}", s.text), dynamic: d.dynamic || s.dynamic, glob: d.glob || s.glob };
                            push(EffectKind::Write, &through, false, false);
                        }
                    }
                }
            }
            if let Some(d) = dest.filter(|d| !is_remote(&d.text)) {
                push(EffectKind::Write, d, tree, false);
                // The destination may be a directory: each source lands inside it, by its name.
                for s in &sources {
                    let name = super::shell::basename(s.text.trim_end_matches('/'));
                    if !matches!(name, "" | "." | "..") {
                        let inside = Word { text: format!("{}/{name}", d.text.trim_end_matches('/')), dynamic: d.dynamic || s.dynamic, glob: d.glob || s.glob };
                        push(EffectKind::Write, &inside, tree, false);
                    }
                }
            }
        }
        "tar" | "bsdtar" => {
            // `tar xf a.tar -C dir` (or the old `tar xzf`) writes a tree; creating an archive
            // reads whole trees.
            let extract =
                args.first().is_some_and(|w| !w.text.starts_with('-') && w.text.contains('x')) || has('x', "--extract") || args.iter().take_while(|w| w.text != "--").any(|w| w.text == "--get");
            // The old form's first word is its options (`tar czf out.tgz .`): with `f`, the
            // next word is the archive, written when it creates one.
            let bundle = args.first().filter(|w| !w.text.starts_with('-') && !w.text.is_empty() && w.text.bytes().all(|b| b.is_ascii_alphabetic()) && w.text.contains(['c', 'x', 't', 'r', 'u']));
            // `-f ARCHIVE` (`-czf a.tgz`, `--file=a.tgz`): read when extracting or listing,
            // written when creating.
            let listing = args.first().is_some_and(|w| !w.text.starts_with('-') && w.text.contains('t')) || has('t', "--list");
            for a in super::programs::option_values(
                &cmd.argv,
                &["-f", "--file"],
                &["-C", "--directory", "-T", "--files-from", "-X", "--exclude-from", "--exclude", "-b", "-H", "--format", "-K", "-N", "-V", "-L"],
            ) {
                if a.text != "-" {
                    push(if extract || listing { EffectKind::Read } else { EffectKind::Write }, &a, false, false);
                }
            }
            let archive = bundle.filter(|b| b.text.contains('f')).and_then(|_| args.get(1));
            if let Some(a) = archive.filter(|a| a.text != "-") {
                push(if extract || listing { EffectKind::Read } else { EffectKind::Write }, a, false, false);
            }
            let pos: Vec<&Word> = pos.iter().copied().filter(|p| !bundle.is_some_and(|b| std::ptr::eq(*p, b)) && !archive.is_some_and(|a| std::ptr::eq(*p, a))).collect();
            // `-C DIR`: the names after it are read below DIR (`tar czf - -C ~ .aws`).
            let base =
                if extract { None } else { super::programs::option_values(&cmd.argv, &["-C", "--directory"], &["-f", "--file", "-T", "--files-from", "-X", "--exclude-from", "--exclude"]).pop() };
            // `-T LIST`: names a file lists, only known when it runs, below DIR or here.
            if !extract && !super::programs::option_values(&cmd.argv, &["-T", "--files-from"], &["-f", "--file", "-C", "--directory", "-X", "--exclude-from", "--exclude"]).is_empty() {
                let dir = base.as_ref().map_or(".".to_owned(), |d| d.text.clone());
                push(EffectKind::Read, &Word { text: format!("{}/$(files-from)", dir.trim_end_matches('/')), dynamic: true, glob: false }, true, false);
            }
            for w in &pos {
                match &base {
                    Some(d) if !w.text.starts_with(['/', '~']) => {
                        let joined = Word { text: format!("{}/{}", d.text.trim_end_matches('/'), w.text), dynamic: d.dynamic || w.dynamic, glob: w.glob };
                        push(EffectKind::Read, &joined, !extract, false);
                    }
                    _ => push(EffectKind::Read, w, !extract, false),
                }
            }
            // `--remove-files`: what goes into the archive is deleted after.
            if !extract && args.iter().take_while(|w| w.text != "--").any(|w| w.text.len() >= 10 && "--remove-files".starts_with(w.text.as_str())) {
                for w in &pos {
                    push(EffectKind::Delete, w, true, true);
                }
            }
            if extract {
                let mut dirs: Vec<Word> = Vec::new();
                let mut it = args.iter();
                while let Some(w) = it.next() {
                    if w.text == "-C" || w.text == "--directory" {
                        dirs.extend(it.next().cloned());
                    } else if let Some(d) = w.text.strip_prefix("--directory=") {
                        dirs.push(Word { text: d.into(), ..w.clone() });
                    }
                }
                if dirs.is_empty() {
                    dirs.push(Word::lit("."));
                }
                if has('P', "--absolute-names") {
                    // Absolute names in the archive are written where they say.
                    dirs = vec![Word::lit("/")];
                }
                for d in &dirs {
                    push(EffectKind::Write, d, true, false);
                }
            }
        }
        "unzip" => {
            let dir = option_value(args, "-d", "-d").cloned().unwrap_or_else(|| Word::lit("."));
            push(EffectKind::Write, &dir, true, false);
        }
        // A patch names the files it changes below the working tree (`git -C DIR` included).
        "git"
            if pos.iter().map(|w| w.text.as_str()).find(|t| !is_git_option_value(args, t)).is_some_and(|t| matches!(t, "apply" | "am"))
                && !args.iter().any(|w| matches!(w.text.as_str(), "--check" | "--stat" | "--numstat" | "--summary")) =>
        {
            push(EffectKind::Write, &Word::lit("."), true, false);
        }
        "git" if pos.first().is_some_and(|w| w.text == "clone") && pos.len() >= 3 => {
            // `git clone URL DIR`: the directory it fills (without DIR, a new one in cwd).
            let dir = pos[pos.len() - 1];
            if !dir.text.contains("://") && !is_remote(&dir.text) {
                push(EffectKind::Write, dir, true, false);
            }
        }
        // Subcommands that show a file's bytes: `diff --no-index A B`, `blame --contents F`,
        // `hash-object F` (whose `-w` stores it where `cat-file` shows it).
        "git" if git_reads(args, &pos).is_some() => {
            for w in git_reads(args, &pos).unwrap_or_default() {
                push(EffectKind::Read, &w, false, false);
            }
        }
        // PowerShell's `Remove-Item` (Copilot's `powershell` tool): `-Recurse`, `-Force`.
        p if p.eq_ignore_ascii_case("remove-item") => {
            let flag = |names: &[&str]| args.iter().any(|w| names.iter().any(|n| w.text.eq_ignore_ascii_case(n)));
            let recursive = flag(&["-Recurse", "-r"]);
            let forced = flag(&["-Force", "-f"]);
            for w in pos.iter().filter(|w| !w.text.starts_with('-')) {
                push(EffectKind::Delete, w, recursive, forced);
            }
        }
        // Codex's `apply_patch` run through the shell, its patch on stdin: the files it names.
        "apply_patch" | "applypatch" => {
            const MARKERS: [&str; 4] = ["*** Add File: ", "*** Update File: ", "*** Delete File: ", "*** Move to: "];
            let text = cmd.stdin_text.clone().unwrap_or_else(|| pos.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join("\n"));
            for p in text.lines().filter_map(|l| MARKERS.iter().find_map(|m| l.trim_start().strip_prefix(m))) {
                push(EffectKind::Write, &Word::lit(p.trim()), false, false);
            }
            if cmd.stdin_text.is_none() && pos.is_empty() {
                // The patch comes from elsewhere: it may touch any file below the directory.
                push(EffectKind::Write, &Word::lit("."), true, false);
            }
        }
        "vim" | "vi" | "nvim" | "nano" | "emacs" | "ed" | "ex" | "red" | "micro" | "hx" => {
            // Editors read a file and may write it back (`vim -es -c 'wq'`, `ed` with a script).
            for w in &pos {
                push(EffectKind::Read, w, false, false);
                push(EffectKind::Edit, w, false, false);
            }
        }
        "sqlite3" | "sqlite" => {
            if let Some(db) = pos.first() {
                // Opening the database reads it (a browser's cookies), and may change it.
                push(EffectKind::Read, db, false, false);
                push(EffectKind::Edit, db, false, false);
            }
            // `readfile('F')` reads F, `writefile('F', …)` writes it.
            for w in pos.iter().skip(1) {
                for f in quoted_after(&w.text, "readfile(") {
                    push(EffectKind::Read, &Word { text: f, ..(*w).clone() }, false, false);
                }
                for f in quoted_after(&w.text, "writefile(") {
                    push(EffectKind::Write, &Word { text: f, ..(*w).clone() }, false, false);
                }
            }
        }
        "patch" => {
            const VALUES: &[&str] = &[
                "-d",
                "--directory",
                "-i",
                "--input",
                "-p",
                "--strip",
                "-o",
                "--output",
                "-r",
                "--reject-file",
                "-B",
                "--prefix",
                "-F",
                "--fuzz",
                "-z",
                "--suffix",
                "-D",
                "--ifdef",
                "-V",
                "--version-control",
            ];
            let dir = option_value(args, "-d", "--directory").cloned().unwrap_or_else(|| Word::lit("."));
            let files: Vec<&Word> = super::positional_indices(args, VALUES).into_iter().map(|i| &args[i]).collect();
            match files.first() {
                Some(file) => {
                    let inside = Word {
                        text: if file.text.starts_with('/') || dir.text == "." { file.text.clone() } else { format!("{}/{}", dir.text, file.text) },
                        dynamic: file.dynamic || dir.dynamic,
                        glob: file.glob,
                    };
                    push(EffectKind::Edit, &inside, false, false);
                }
                // Without a file, the patch names the files it changes below the directory.
                None => push(EffectKind::Write, &dir, true, false),
            }
            if let Some(o) = option_value(args, "-o", "--output") {
                push(EffectKind::Write, o, false, false);
            }
        }
        "cpio" => {
            // Copy-in mode writes the archive's names, absolute ones included unless told not to;
            // pass-through mode writes into its directory.
            let copy_in = has('i', "--extract");
            let pass = has('p', "--pass-through");
            if copy_in {
                let absolute_ok = !args.iter().any(|w| w.text == "--no-absolute-filenames");
                let dir = option_value(args, "-D", "--directory").cloned().unwrap_or_else(|| Word::lit("."));
                push(EffectKind::Write, &if absolute_ok { Word::lit("/") } else { dir }, true, false);
            } else if pass && let Some(d) = pos.last() {
                push(EffectKind::Write, d, true, false);
            }
        }
        "tee" | "touch" | "truncate" | "sponge" => {
            for w in &pos {
                push(EffectKind::Write, w, false, false);
            }
        }
        // `chmod 600 KEY`, `chmod go-rwx KEY`: taking permissions away changes nothing a reader
        // or a later program would see.
        "chmod" if pos.first().is_some_and(|m| takes_away(&m.text)) => {}
        // `ssh-keygen -t TYPE -f NEW`: makes a new key (it asks before overwriting one).
        "ssh-keygen" if args.iter().any(|w| w.text == "-t") && !args.iter().any(|w| matches!(w.text.as_str(), "-y" | "-e" | "-p" | "-i" | "-m" | "-c" | "-s")) => {}
        "chmod" | "chown" | "chgrp" | "chattr" | "setfacl" => {
            let reference = args.iter().any(|w| w.text.starts_with("--reference"));
            for w in pos.iter().skip(if reference { 0 } else { 1 }) {
                push(EffectKind::Write, w, false, false);
            }
        }
        "sed" | "perl" => {
            let in_place = args.iter().take_while(|w| w.text != "--").any(|w| {
                let a = w.text.as_str();
                a.starts_with("--in-place") || (a.starts_with('-') && !a.starts_with("--") && a[1..].contains('i'))
            });
            // The files after the script are edited in place, or else read.
            let scripted = args.iter().any(|w| matches!(w.text.as_str(), "-e" | "-f" | "--expression" | "--file"));
            for w in pos.iter().skip(if scripted { 0 } else { 1 }) {
                push(if in_place { EffectKind::Edit } else { EffectKind::Read }, w, false, false);
            }
        }
        "socat" => {
            // Addresses that are files: `FILE:PATH`, `OPEN:PATH`, `GOPEN:PATH` (read or written,
            // by the direction), `CREATE:PATH` (written).
            for w in &pos {
                let (kind, rest) = match w.text.split_once(':') {
                    Some((k, rest)) if matches!(k.to_ascii_uppercase().as_str(), "FILE" | "OPEN" | "GOPEN") => (EffectKind::Read, rest),
                    Some((k, rest)) if k.eq_ignore_ascii_case("CREATE") => (EffectKind::Write, rest),
                    _ => continue,
                };
                let path = rest.split(',').next().unwrap_or(rest);
                push(kind, &Word { text: path.to_owned(), ..(*w).clone() }, false, false);
                if kind == EffectKind::Read && !w.text.to_ascii_uppercase().contains("RDONLY") {
                    push(EffectKind::Write, &Word { text: path.to_owned(), ..(*w).clone() }, false, false);
                }
            }
        }
        "dd" => {
            for w in args {
                if let Some(t) = w.text.strip_prefix("of=") {
                    push(EffectKind::Write, &Word { text: t.into(), ..w.clone() }, false, false);
                } else if let Some(t) = w.text.strip_prefix("if=") {
                    push(EffectKind::Read, &Word { text: t.into(), ..w.clone() }, false, false);
                }
            }
        }
        "curl" | "wget" | "wget2" => {
            // The files a request sends or is configured by, in every spelling of the options.
            for w in data_files(cmd) {
                push(EffectKind::Read, &w, false, false);
            }
            let values: &[&str] = if cmd.program == "curl" { CURL_VALUES } else { WGET_VALUES };
            let data: &[&str] = if cmd.program == "curl" { CURL_DATA } else { WGET_DATA };
            let mut it = args.iter().peekable();
            while let Some(w) = it.next() {
                // A cluster ending in a letter that takes a value (`-sT F`, `-sSLo F`) is read as
                // that letter.
                // The first such letter takes the rest of the word, or else the next word.
                let short;
                let a = match w.text.as_str() {
                    t if t.len() > 2 && t.starts_with('-') && !t.starts_with("--") && t.is_ascii() => {
                        let takes = |k: usize| {
                            let s = &t[k..=k];
                            let f = format!("-{s}");
                            (values.contains(&f.as_str()) || data.contains(&f.as_str()) || matches!(s, "o" | "O" | "i" | "P")).then_some(f)
                        };
                        match (1..t.len()).find_map(|k| takes(k).map(|f| (k, f))) {
                            Some((k, f)) if k + 1 == t.len() => {
                                short = f;
                                short.as_str()
                            }
                            Some((k, f)) => {
                                // `-ofile`, `-sOfile`: the output named in the word.
                                if ((cmd.program == "curl" && f == "-o") || (cmd.program != "curl" && f == "-O")) && &t[k + 1..] != "-" {
                                    push(EffectKind::Write, &Word { text: t[k + 1..].to_owned(), ..w.clone() }, false, false);
                                }
                                continue;
                            }
                            None => t,
                        }
                    }
                    t => t,
                };
                let value_of = |flag: &str| a.strip_prefix(flag).and_then(|v| v.strip_prefix('='));
                if data.contains(&a) {
                    it.next();
                } else if let Some(p) = file_url(a) {
                    // `file://PATH` reads a local file.
                    push(EffectKind::Read, &Word { text: p, ..w.clone() }, false, false);
                } else if cmd.program != "curl" && matches!(a, "-i" | "--input-file" | "-P" | "--directory-prefix") {
                    // `-i F` reads the addresses (and shows them in errors); `-P DIR` saves there.
                    if let Some(v) = it.next() {
                        let kind = if a == "-i" || a == "--input-file" { EffectKind::Read } else { EffectKind::Write };
                        push(kind, v, kind == EffectKind::Write, false);
                    }
                } else if let Some(v) = value_of("--input-file") {
                    push(EffectKind::Read, &Word { text: v.into(), ..w.clone() }, false, false);
                } else if let Some(v) = value_of("--directory-prefix").or_else(|| if cmd.program != "curl" { a.strip_prefix("-P").filter(|v| !v.is_empty()) } else { None }) {
                    push(EffectKind::Write, &Word { text: v.into(), ..w.clone() }, true, false);
                } else if (cmd.program == "curl" && matches!(a, "-o" | "--output")) || (cmd.program != "curl" && matches!(a, "-O" | "--output-document" | "-o" | "--output-file")) {
                    if let Some(v) = it.next()
                        && v.text != "-"
                    {
                        push(EffectKind::Write, v, false, false);
                    }
                } else if a == "--url" {
                    if let Some(v) = it.next() {
                        push(EffectKind::Fetch, &Word { text: as_url(&v.text), ..v.clone() }, false, false);
                    }
                } else if let Some(v) = a.strip_prefix("--url=") {
                    push(EffectKind::Fetch, &Word { text: as_url(v), ..w.clone() }, false, false);
                } else if (a.starts_with('-') && a.len() > 1) || a.is_empty() {
                    // An option; the values of those that take one are not addresses.
                    let values: &[&str] = if cmd.program == "curl" { CURL_VALUES } else { WGET_VALUES };
                    if values.contains(&a) {
                        it.next();
                    }
                } else {
                    // Any other word is an address, with or without its scheme (`curl
                    // 169.254.169.254/…`, `HTTPS://…`, `https:/host`), as both read it.
                    push(EffectKind::Fetch, &Word { text: as_url(a), ..w.clone() }, false, false);
                }
            }
        }
        "http" | "https" | "xh" | "xhs" | "httpie" => {
            // httpie's request items: `field@FILE` and `field=@FILE` upload a file, `@FILE` is
            // the body, `header:@FILE` and `field:=@FILE` read one.
            for w in &pos {
                let t = w.text.as_str();
                if t.contains("://") {
                    push(EffectKind::Fetch, w, false, false);
                    continue;
                }
                let file = t.strip_prefix('@').or_else(|| t.find('@').filter(|&i| i > 0).map(|i| &t[i + 1..]));
                if let Some(f) = file.filter(|f| !f.is_empty()) {
                    push(EffectKind::Read, &Word { text: f.to_owned(), ..(*w).clone() }, false, false);
                }
            }
        }
        p if SEARCHERS.contains(&p) => {
            let explicit_pattern = args.iter().any(|w| matches!(w.text.as_str(), "-e" | "-f" | "--regexp" | "--file"));
            // rg, ag and ack search directories whole; grep with -r.
            let tree = !p.ends_with("grep") || has('r', "--recursive") || has('R', "--dereference-recursive");
            for w in pos.iter().skip(if explicit_pattern { 0 } else { 1 }) {
                push(EffectKind::Read, w, tree, false);
            }
        }
        "zip" | "7z" | "7za" | "rar" => {
            // `zip -m`, `7z a -sdel`, `rar m`: the files are moved into the archive, deleted here.
            let moves = match cmd.program.as_str() {
                "zip" => has('m', "--move"),
                "rar" => args.first().is_some_and(|w| matches!(w.text.as_str(), "m" | "mf")),
                _ => args.iter().any(|w| w.text == "-sdel"),
            };
            for w in &pos {
                push(EffectKind::Read, w, true, false);
                if moves {
                    push(EffectKind::Delete, w, true, true);
                }
            }
        }
        "awk" | "gawk" | "mawk" => {
            for w in pos.iter().skip(1) {
                push(EffectKind::Read, w, false, false);
            }
            // `getline < "F"` in the program reads F.
            if let Some(prog) = pos.first() {
                for f in quoted_after(&prog.text.replace("getline <", "getline<"), "<").into_iter().filter(|_| prog.text.contains("getline")) {
                    push(EffectKind::Read, &Word { text: f, ..(*prog).clone() }, false, false);
                }
            }
        }
        "sort" => {
            for w in &pos {
                push(EffectKind::Read, w, false, false);
            }
            if let Some(o) = option_value(args, "-o", "--output") {
                push(EffectKind::Write, o, false, false);
            }
        }
        // A certificate's fields, a chain's check: what they print is certificates, never a
        // private key, whatever file they are given; `-out` writes.
        "openssl" if args.first().is_some_and(|w| matches!(w.text.as_str(), "x509" | "verify" | "crl")) => {
            for w in super::programs::option_values(&cmd.argv, &["-out"], &[]) {
                push(EffectKind::Write, &w, false, false);
            }
        }
        p if READERS.contains(&p) => {
            for w in &pos {
                push(EffectKind::Read, w, false, false);
            }
        }
        // Any other program may read the files it is given (`sed -n p`, `gh gist create`,
        // `aws s3 cp`, `mail -A`): an argument that reads as a path counts as read, unless the
        // program only looks at names (`ls`, `stat`, `mkdir`) or uses a key without showing it
        // (`ssh -i`). Bare words (`build`, `status`) are not paths.
        p if !metadata_only(p) => {
            for w in &pos {
                let t = w.text.as_str();
                if (t.contains('/') || t.contains('.') || t.starts_with('~')) && !t.contains("://") && !is_remote(t) && !t.starts_with('@') {
                    push(EffectKind::Read, w, false, false);
                }
            }
        }
        _ => {}
    }
    out
}

/// Whether a chmod mode only takes permissions away from the group and others: an octal mode
/// whose group and other digits are 0 (`600`, `0400`), or symbolic removals (`go-rwx`).
fn takes_away(mode: &str) -> bool {
    if !mode.is_empty() && mode.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        let m = mode.trim_start_matches('0');
        return m.len() <= 3 && !m.is_empty() && m.ends_with("00") && !(m.len() == 3 && m.as_bytes()[0] > b'7');
    }
    !mode.is_empty()
        && mode.split(',').all(|c| c.contains('-') && !c.contains(['+', '=']) && c.find('-').is_some_and(|i| !c[..i].is_empty() && c[..i].bytes().all(|b| matches!(b, b'g' | b'o' | b'a' | b'u'))))
}

/// The path of a `file://` URL (`file:///etc/x`, `file://localhost/etc/x`).
pub fn file_url(url: &str) -> Option<String> {
    let rest = url.get(..7).filter(|p| p.eq_ignore_ascii_case("file://")).map(|_| &url[7..])?;
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    let path = path.split(['?', '#']).next().unwrap_or(path);
    Some(if path.starts_with('/') { path.to_owned() } else { format!("/{path}") })
}

/// The quoted strings (`'…'` or `"…"`) right after each `marker` in `text`, spaces allowed.
fn quoted_after(text: &str, marker: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        rest = rest[at + marker.len()..].trim_start();
        if let Some(q) = rest.chars().next().filter(|c| *c == '\'' || *c == '"')
            && let Some(end) = rest[1..].find(q)
        {
            out.push(rest[1..1 + end].to_owned());
        }
    }
    out
}

/// The files a git subcommand shows the bytes of, if it is one that does.
fn git_reads(args: &[Word], pos: &[&Word]) -> Option<Vec<Word>> {
    let sub = pos.iter().position(|w| !is_git_option_value(args, &w.text))?;
    let after = &pos[sub + 1..];
    match pos[sub].text.as_str() {
        "diff" if args.iter().any(|w| w.text == "--no-index") => Some(after.iter().map(|w| (*w).clone()).collect()),
        "hash-object" => Some(after.iter().map(|w| (*w).clone()).collect()),
        // A message, note or tag text from a file (`notes add -F .env`, `commit -F F`): stored
        // in the repository, where a push sends it.
        "commit" | "tag" | "notes" | "merge" | "stash" => {
            // (`--file=F`, `-FF`: the file past the option.)
            let given: Vec<Word> = args
                .iter()
                .enumerate()
                .filter_map(|(i, w)| match w.text.as_str() {
                    "-F" | "--file" | "-t" | "--template" => args.get(i + 1).cloned(),
                    t => {
                        t.strip_prefix("--file=").or_else(|| t.strip_prefix("--template=")).or_else(|| t.strip_prefix("-F").filter(|r| !r.is_empty())).map(|f| Word { text: f.to_owned(), ..w.clone() })
                    }
                })
                .collect();
            (!given.is_empty()).then_some(given)
        }
        "blame" | "annotate" => {
            // The file it prints, line by line; or the one `--contents` gives in its place.
            if let Some(i) = args.iter().position(|w| w.text == "--contents" || w.text.starts_with("--contents=")) {
                return match args[i].text.strip_prefix("--contents=") {
                    Some(_) => None,
                    None => args.get(i + 1).map(|w| vec![w.clone()]),
                };
            }
            let files: Vec<Word> = after_dashes(args).or_else(|| after.last().map(|w| vec![(*w).clone()])).unwrap_or_default();
            (!files.is_empty()).then_some(files)
        }
        // A file's bytes as the history holds them (`show HEAD:.env`, `cat-file -p HEAD~3:.env`,
        // `show :.env` from the index), or its changed lines (`diff HEAD~1 -- .env`, `log -p --
        // .env`, `grep TOKEN -- .env`): read as the file in the working tree is.
        "show" | "cat-file" | "diff" | "log" | "whatchanged" | "grep" | "archive" | "format-patch" | "difftool" | "range-diff" => {
            let mut files: Vec<Word> = after
                .iter()
                .filter(|w| !w.text.starts_with('-') && !w.text.contains("://"))
                .filter_map(|w| w.text.split_once(':').filter(|(_, path)| !path.is_empty()).map(|(_, path)| Word { text: path.to_owned(), ..(*w).clone() }))
                .collect();
            let prints_lines = match pos[sub].text.as_str() {
                "log" | "whatchanged" => args.iter().any(|w| matches!(w.text.as_str(), "-p" | "-u" | "--patch" | "--full-diff") || w.text.starts_with("-L")),
                _ => true,
            };
            if prints_lines {
                files.extend(after_dashes(args).unwrap_or_default());
            }
            (!files.is_empty()).then_some(files)
        }
        _ => None,
    }
}

/// The paths after a lone `--` (`git diff HEAD -- .env`).
fn after_dashes(args: &[Word]) -> Option<Vec<Word>> {
    let at = args.iter().position(|w| w.text == "--")?;
    let files: Vec<Word> = args[at + 1..].to_vec();
    (!files.is_empty()).then_some(files)
}

/// curl's options whose value is a file or names one (`-T F`, `-d @F`, `-F k=@F`, `-H @F`).
const CURL_DATA: &[&str] =
    &["-T", "--upload-file", "-K", "--config", "-d", "--data", "--data-binary", "--data-ascii", "--json", "--data-urlencode", "--variable", "-F", "--form", "--data-raw", "--form-string"];
/// curl's and wget's long options whose value is a file, or names one, written out when given
/// abbreviated (both take an unambiguous beginning: `--upload-fi F`, `--post-fi=F`).
const CURL_LONG: &[&str] = &[
    "--upload-file",
    "--config",
    "--data-binary",
    "--data-ascii",
    "--data-urlencode",
    "--data-raw",
    "--data",
    "--json",
    "--header",
    "--variable",
    "--form",
    "--form-string",
    "--url-query",
    "--proxy-header",
];
const WGET_LONG: &[&str] = &["--post-file", "--body-file", "--config", "--input-file"];

/// A program's words with its option spellings made plain: a cluster split at the letter that
/// takes a value (`-sd@F` → `-s -d @F`, `-sT F` → `-s -T F`), and a long option of `long` given
/// abbreviated written out (`--upload-fi F` → `--upload-file F`).
fn plain_words(argv: &[Word], long: &[&str], takes_value: &dyn Fn(&str) -> bool) -> Vec<Word> {
    let mut out = Vec::with_capacity(argv.len() + 4);
    let mut words = argv.iter();
    out.extend(words.next().cloned());
    let mut operands = false;
    for w in words {
        let t = w.text.as_str();
        let with = |text: String| Word { text, ..w.clone() };
        if operands || t == "--" || !t.starts_with('-') || t == "-" {
            operands |= t == "--";
            out.push(w.clone());
        } else if let Some(body) = t.strip_prefix("--") {
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (body, None),
            };
            let given = format!("--{name}");
            let name = if long.contains(&given.as_str()) || name.len() < 3 { given } else { long.iter().find(|l| l.starts_with(&given)).map_or(given, |l| (*l).to_owned()) };
            out.push(with(match value {
                Some(v) => format!("{name}={v}"),
                None => name,
            }));
        } else {
            for (k, ch) in t[1..].char_indices() {
                let short = format!("-{ch}");
                out.push(with(short.clone()));
                if takes_value(&short) {
                    let rest = &t[1 + k + ch.len_utf8()..];
                    if !rest.is_empty() {
                        out.push(with(rest.to_owned()));
                    }
                    break;
                }
            }
        }
    }
    out
}

/// wget's options whose value is a file read and sent (or its configuration).
const WGET_DATA: &[&str] = &["--post-file", "--body-file", "--config", "--post-data", "--body-data"];

/// The files curl or wget reads for what it sends: `-T F`, `-K F`, `-d @F` (also `--data-binary`,
/// `--json`, `-H`), `--data-urlencode name@F`, `--variable name@F`, `-F k=@F;type=…`, `-F k=<F`,
/// wget's `--post-file`, `--body-file` and `--config`; in clusters (`-sT F`) and `--opt=F` too.
/// `-` (stdin) is not a file here; what flows in on stdin is the pipeline's.
fn data_files(cmd: &Cmd) -> Vec<Word> {
    let argv = cmd.argv.as_slice();
    let curl = cmd.program == "curl";
    // Most requests give none of these options: one look at the words first. (A letter in a
    // cluster, `--opt` or `--opt=` all show as one of these bytes or prefixes.)
    let may = |w: &Word| {
        let t = w.text.as_bytes();
        t.first() == Some(&b'-')
            && if t.get(1) == Some(&b'-') {
                [b"--up", b"--co", b"--da", b"--js", b"--he", b"--va", b"--fo", b"--po", b"--bo", b"--ur", b"--pr"].iter().any(|p| t.starts_with(*p))
            } else {
                t[1..].iter().any(|c| matches!(c, b'T' | b'K' | b'd' | b'H' | b'F'))
            }
    };
    if !argv.iter().skip(1).any(may) {
        return Vec::new();
    }
    let normalized =
        if curl { plain_words(argv, CURL_LONG, &|s| CURL_VALUES.contains(&s) || CURL_DATA.contains(&s) || s == "-o") } else { plain_words(argv, WGET_LONG, &|s| WGET_VALUES.contains(&s)) };
    let argv = normalized.as_slice();
    let others: &[&str] = if curl { CURL_VALUES } else { WGET_VALUES };
    let with = |w: &Word, f: &str| Word { text: f.to_owned(), ..w.clone() };
    let mut out = Vec::new();
    let whole: &[&str] = if curl { &["-T", "--upload-file", "-K", "--config"] } else { &["--post-file", "--body-file", "--config"] };
    // curl expands `{a,b}` and `[1-9]` in an upload's name itself: which files, ana cannot tell.
    out.extend(
        super::programs::option_values(argv, whole, others)
            .into_iter()
            .filter(|w| w.text != "-" && w.text != ".")
            .map(|w| if curl && w.text.contains(['{', '[']) { Word { dynamic: true, ..w } } else { w }),
    );
    if !curl {
        return out;
    }
    for w in super::programs::option_values(argv, &["-d", "--data", "--data-binary", "--data-ascii", "--json", "-H", "--header", "--proxy-header", "--url-query"], others) {
        // `--url-query +@F` (the `+` says not to encode).
        if let Some(f) = w.text.trim_start_matches('+').strip_prefix('@').filter(|f| !f.is_empty() && *f != "-") {
            out.push(with(&w, f));
        }
    }
    for w in super::programs::option_values(argv, &["--data-urlencode", "--variable"], others) {
        if let Some((name, f)) = w.text.split_once('@').filter(|(n, f)| !n.contains('=') && !f.is_empty() && *f != "-") {
            let _ = name;
            out.push(with(&w, f));
        }
    }
    for w in super::programs::option_values(argv, &["-F", "--form"], others) {
        let v = w.text.split_once('=').map_or("", |(_, v)| v);
        if let Some(f) = v.strip_prefix('@').or_else(|| v.strip_prefix('<')) {
            let f = f.split(';').next().unwrap_or(f);
            if !f.is_empty() && f != "-" {
                out.push(with(&w, f));
            }
        }
    }
    out
}

/// Whether `t` is the value of one of git's own options (`-C DIR`, `-c KEY=VALUE`), not the
/// subcommand.
fn is_git_option_value(args: &[Word], t: &str) -> bool {
    args.windows(2).any(|w| matches!(w[0].text.as_str(), "-C" | "-c" | "--git-dir" | "--work-tree" | "--namespace" | "--config-env") && w[1].text == t)
}

/// The host side of each bind mount of a container command (`-v HOST:CTR[:ro]`, `--volume`,
/// `--mount type=bind,source=HOST,…`), and whether it is read-only. Named volumes are skipped.
fn mounts(args: &[Word]) -> Vec<(Word, bool)> {
    let mut out = Vec::new();
    let mut it = args.iter().peekable();
    while let Some(w) = it.next() {
        let a = w.text.as_str();
        let value = if matches!(a, "-v" | "--volume" | "--mount") {
            it.next().map(|v| (a, v.clone()))
        } else if let Some(v) = a.strip_prefix("--volume=").or_else(|| a.strip_prefix("-v")).filter(|v| !v.is_empty()) {
            Some(("-v", Word { text: v.to_owned(), ..w.clone() }))
        } else {
            a.strip_prefix("--mount=").map(|v| ("--mount", Word { text: v.to_owned(), ..w.clone() }))
        };
        let Some((kind, v)) = value else { continue };
        if kind == "--mount" {
            let fields: Vec<&str> = v.text.split(',').collect();
            let source = fields.iter().find_map(|f| f.strip_prefix("source=").or_else(|| f.strip_prefix("src=")));
            let bind = fields.contains(&"type=bind");
            let ro = fields.iter().any(|f| matches!(*f, "readonly" | "ro" | "readonly=true" | "ro=true"));
            if let (Some(src), true) = (source, bind) {
                out.push((Word { text: src.to_owned(), ..v.clone() }, ro));
            }
        } else {
            let mut parts = v.text.splitn(3, ':');
            let host = parts.next().unwrap_or("");
            let _ = parts.next();
            let ro = parts.next().is_some_and(|o| o.split(',').any(|x| x == "ro" || x == "readonly"));
            // A named volume has no slash and no leading `.` or `~`.
            if host.contains('/') || host.starts_with('.') || host.starts_with('~') || v.dynamic {
                out.push((Word { text: host.to_owned(), ..v.clone() }, ro));
            }
        }
    }
    out
}

fn is_remote(s: &str) -> bool {
    // `host:path` or `user@host:path` (scp, rsync); a local path with a colon needs `./`.
    match s.find(':') {
        Some(c) => !s[..c].contains('/') && c > 0,
        None => false,
    }
}

fn option_value<'a>(args: &'a [Word], short: &str, long: &str) -> Option<&'a Word> {
    let mut it = args.iter();
    while let Some(w) = it.next() {
        if w.text == short || w.text == long {
            return it.next();
        }
    }
    None
}

/// Positional arguments: everything not an option, and everything after `--`; never `-`
/// (stdin), which names no file.
/// curl's options that take a value (its `--url`, data, output and upload options are read
/// apart).
const CURL_VALUES: &[&str] = &[
    "-A",
    "-b",
    "-c",
    "-C",
    "-D",
    "-e",
    "-E",
    "-H",
    "-m",
    "-P",
    "-Q",
    "-r",
    "-t",
    "-u",
    "-U",
    "-w",
    "-x",
    "-X",
    "-y",
    "-Y",
    "-z",
    "--user-agent",
    "--cookie",
    "--cookie-jar",
    "--continue-at",
    "--dump-header",
    "--referer",
    "--cert",
    "--header",
    "--max-time",
    "--ftp-port",
    "--quote",
    "--range",
    "--telnet-option",
    "--user",
    "--proxy-user",
    "--write-out",
    "--proxy",
    "--request",
    "--speed-limit",
    "--speed-time",
    "--time-cond",
    "--connect-timeout",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "--limit-rate",
    "--resolve",
    "--connect-to",
    "--interface",
    "--cacert",
    "--capath",
    "--key",
    "--key-type",
    "--cert-type",
    "--pass",
    "--output-dir",
    "--max-filesize",
    "--max-redirs",
    "--noproxy",
    "--proto",
    "--proto-redir",
    "--unix-socket",
    "--abstract-unix-socket",
    "--oauth2-bearer",
    "--aws-sigv4",
    "--json",
    "--url-query",
    "--variable",
    "--trace",
    "--trace-ascii",
    "--stderr",
    "--dns-servers",
    "--local-port",
    "--preproxy",
    "--proxy-header",
    "--socks4",
    "--socks4a",
    "--socks5",
    "--socks5-hostname",
    "--mail-from",
    "--mail-rcpt",
    "--mail-auth",
    "--login-options",
    "--ciphers",
    "--pinnedpubkey",
    "--crlfile",
    "--expect100-timeout",
    "--happy-eyeballs-timeout-ms",
    "--keepalive-time",
    "--hostpubmd5",
    "--hostpubsha256",
];

/// wget's options that take a value as the next word.
const WGET_VALUES: &[&str] = &[
    "-a",
    "-A",
    "-B",
    "-D",
    "-e",
    "-I",
    "-l",
    "-Q",
    "-R",
    "-t",
    "-T",
    "-U",
    "-w",
    "-X",
    "--header",
    "--user-agent",
    "--user",
    "--password",
    "--http-user",
    "--http-password",
    "--post-data",
    "--body-data",
    "--method",
    "--referer",
    "--tries",
    "--timeout",
    "--wait",
    "--execute",
    "--load-cookies",
    "--save-cookies",
    "--append-output",
    "--base",
    "--accept",
    "--reject",
    "--domains",
    "--level",
    "--quota",
    "--limit-rate",
    "--bind-address",
    "--ca-certificate",
    "--certificate",
    "--private-key",
];

/// An address as curl and wget take it: the scheme in lower case, `http://` when there is none,
/// `scheme:/host` read as `scheme://host`.
fn as_url(text: &str) -> String {
    match text.split_once(':') {
        Some((scheme, rest)) if !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphabetic()) && rest.starts_with('/') => {
            format!("{}://{}", scheme.to_ascii_lowercase(), rest.trim_start_matches('/'))
        }
        _ => format!("http://{text}"),
    }
}

/// [`positionals`], with the values of the options `program`'s family takes skipped (`rsync
/// --exclude .env`, `tar -C dir`), and zip's `-x`/`-i` lists (every word up to the next option).
pub fn positionals_for<'w>(program: &str, args: &'w [Word]) -> Vec<&'w Word> {
    let Some(values) = super::programs::value_options(program) else { return positionals(args) };
    let mut out = Vec::with_capacity(args.len());
    let mut i = 0;
    while i < args.len() {
        let a = args[i].text.as_str();
        if a == "--" {
            out.extend(args[i + 1..].iter().filter(|w| w.text != "-"));
            break;
        }
        if program == "zip" && matches!(a, "-x" | "-i" | "--exclude" | "--include") {
            i += 1;
            while i < args.len() && !args[i].text.starts_with('-') {
                i += 1;
            }
            continue;
        }
        if values.contains(&a) {
            i += 2;
            continue;
        }
        if (!a.starts_with('-') || a.len() == 1) && a != "-" {
            out.push(&args[i]);
        }
        i += 1;
    }
    out
}

pub fn positionals(args: &[Word]) -> Vec<&Word> {
    // `positional_indices(args, &[])` without `-`, in one pass.
    let mut out = Vec::with_capacity(args.len());
    let mut done = false;
    for w in args {
        let a = w.text.as_str();
        if !done && a == "--" {
            done = true;
        } else if (done || !a.starts_with('-') || a.len() == 1) && a != "-" {
            out.push(w);
        }
    }
    out
}

fn effect(kind: EffectKind, w: &Word, cwd: Option<&str>, home: &str, links: &[Link], recursive: bool, forced: bool) -> Option<Effect> {
    if w.text.is_empty() {
        return None;
    }
    if kind == EffectKind::Fetch {
        return Some(Effect { kind, target: w.text.clone(), dynamic: w.dynamic, glob: false, recursive, forced, spelled: None, within: None });
    }
    let (target, dynamic) = resolve_through(&w.text, w.dynamic, cwd, home, links);
    // `dir/../x`: a link on disk among the named directories changes where it leads; keep the
    // spelling, absolute, for the caller that can look.
    // So does a link among the directories a `cd` went through (`cd cfg && rm -r ../x`): the
    // kernel takes `..` from where the link led.
    // (Made only for a `..`: a normalized cwd has none of its own.)
    let joined = match (w.text.starts_with('/') || w.text.starts_with('~') || !w.text.contains(".."), cwd) {
        (false, Some(c)) => Some(format!("{c}/{}", w.text)),
        _ => None,
    };
    let spelled = (!dynamic && (super::path::has_dot_dot_after_name(&w.text) || joined.as_deref().is_some_and(super::path::has_dot_dot_after_name))).then(|| match (w.text.starts_with('/'), joined) {
        (true, _) => w.text.clone(),
        (false, Some(j)) => j,
        _ => target.clone(),
    });
    let within = if dynamic { static_dir(&w.text, cwd, home) } else { None };
    Some(Effect { kind, target, dynamic, glob: w.glob, recursive, forced, spelled, within })
}

/// The directory the static beginning of a dynamic path names (`~/.ssh/$k` → `~/.ssh`), when
/// it names one: up to the last `/` before the first part only known at run time.
pub(crate) fn static_dir(text: &str, cwd: Option<&str>, home: &str) -> Option<String> {
    let dynamic_at = text.find(['$', '`', '(', '<']).unwrap_or(text.len());
    let dir = &text[..text[..dynamic_at].rfind('/')?];
    let dir = if dir.is_empty() { "/" } else { dir };
    match (dir.starts_with('/') || dir.starts_with('~'), cwd) {
        (true, _) => Some(super::path::normalize(dir, "/", home)),
        (false, Some(c)) => Some(super::path::normalize(dir, c, home)),
        (false, None) => None,
    }
}

/// The last component of a dynamic path, when it is static (`$(…)/id_rsa` → `id_rsa`).
pub(crate) fn static_name(text: &str) -> Option<&str> {
    let name = text.rsplit('/').next()?;
    (!name.is_empty() && !name.contains(['$', '`', '(', ')', '<', '>', '{', '}', '*', '?', '[']) && name != "." && name != "..").then_some(name)
}

/// The file effects of a Write, Edit or Read tool on `paths`; `spelled` gives, by index, the
/// spelling of those a link on disk may take elsewhere (see `Object::Files`).
pub fn of_files(kind: EffectKind, paths: &[String], spelled: &[Option<String>]) -> Vec<Effect> {
    paths
        .iter()
        .enumerate()
        .map(|(i, p)| Effect { kind, target: p.clone(), dynamic: false, glob: false, recursive: false, forced: false, spelled: spelled.get(i).cloned().flatten(), within: None })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn metadata_only_names_are_found_and_others_not() {
        assert!(super::METADATA_ONLY.windows(2).all(|w| w[0] < w[1]), "kept sorted, without repeats");
        assert!(super::METADATA_ONLY.iter().all(|p| super::metadata_only(p)));
        for p in ["", "cat", "rm", "l", "lsx", "~", "\u{e9}"] {
            assert!(!super::metadata_only(p), "{p}");
        }
    }

    #[test]
    fn chmod_modes_that_only_take_permissions_away() {
        for m in ["600", "0600", "400", "700", "go-rwx", "og-w", "g-w,o-r"] {
            assert!(super::takes_away(m), "{m}");
        }
        for m in ["644", "755", "0644", "u+x", "a+r", "go=r", "o+w", "0", "-x"] {
            assert!(!super::takes_away(m), "{m}");
        }
    }

    #[test]
    fn file_urls() {
        assert_eq!(super::file_url("file:///etc/passwd").as_deref(), Some("/etc/passwd"));
        assert_eq!(super::file_url("FILE://localhost/etc/x?y").as_deref(), Some("/etc/x"));
        assert_eq!(super::file_url("https://x/file:///etc"), None);
    }
}
