//! The program model: what ana knows about programs that run other code through their own
//! options, scripts, configuration or environment, in one table per family, read by one shared
//! option reader.
//!
//! A family answers with [`Code`]: a shell command line it will run (`rsync -e CMD`,
//! `ssh -o ProxyCommand=CMD`, `tar --checkpoint-action=exec=CMD`, sqlite's `.shell CMD`), which
//! the shell walker then follows as a script of its own; or a fact for code ana cannot see into
//! (vim's `-c`, gdb's `-ex`, awk's `system()`, sed's `e` command). Nothing here does I/O.

pub mod devices;
pub mod git;
pub mod interpreters;
pub mod remote;
pub mod tasks;
pub mod text;
pub mod wrappers;

use super::schema::{Names, fact};
use super::shell::Word;

/// Something a program runs besides itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Code {
    /// A shell command line.
    Shell(Word),
    /// Code ana cannot follow: bits of [`fact`].
    Fact(u64),
}

/// How a family names the options that matter to it.
struct Family {
    programs: &'static [&'static str],
    /// Options whose value is a shell command line (`-e`, `--rsh`, `--use-compress-program`).
    shell_options: &'static [&'static str],
    /// Options that run code ana cannot see (`-c` for vim, `-ex` for gdb), with or without a value.
    code_options: &'static [&'static str],
    /// Of `code_options`, those that take the next word as their value.
    code_values: &'static [&'static str],
    /// Other options that take a value, so that it is not read as an option or an argument.
    value_options: &'static [&'static str],
}

const FAMILIES: &[Family] = &[
    Family {
        programs: &["rsync"],
        shell_options: &["-e", "--rsh", "--rsync-path"],
        code_options: &[],
        code_values: &[],
        value_options: &[
            "--exclude",
            "--include",
            "--filter",
            "-f",
            "--files-from",
            "--exclude-from",
            "--include-from",
            "--log-file",
            "--password-file",
            "--chmod",
            "--chown",
            "--timeout",
            "--port",
            "--bwlimit",
            "--backup-dir",
            "--suffix",
            "--partial-dir",
            "--temp-dir",
            "-T",
            "--compare-dest",
            "--copy-dest",
            "--link-dest",
            "--out-format",
            "--info",
            "--debug",
            "--max-size",
            "--min-size",
            "--iconv",
        ],
    },
    Family {
        programs: &["tar", "gtar", "bsdtar"],
        shell_options: &["--use-compress-program", "-I", "--to-command", "--info-script", "--new-volume-script", "-F", "--rsh-command", "--rmt-command"],
        code_options: &[],
        code_values: &[],
        value_options: &[
            "-f",
            "--file",
            "-C",
            "--directory",
            "-T",
            "--files-from",
            "-X",
            "--exclude-from",
            "--exclude",
            "-b",
            "--blocking-factor",
            "-H",
            "--format",
            "-K",
            "--starting-file",
            "-N",
            "--newer",
            "-V",
            "--label",
            "--owner",
            "--group",
            "--mode",
            "--transform",
            "--xform",
            "--strip-components",
            "-L",
            "--tape-length",
        ],
    },
    Family {
        programs: &["zip"],
        shell_options: &["-TT", "--unzip-command"],
        code_options: &[],
        code_values: &[],
        value_options: &["-b", "-n", "-x", "-i", "-t", "-tt", "-P", "--password", "-Z", "-O"],
    },
    Family {
        programs: &["vim", "vi", "nvim", "ex", "view", "gvim", "vimdiff", "nvim-qt", "rvim", "evim"],
        shell_options: &[],
        // Script and configuration files, Lua; the Ex commands of `-c`, `--cmd` and `+…` are read
        // (`editor_commands_run_code`).
        code_options: &["-S", "-u", "-l", "--headless"],
        code_values: &["-c", "--cmd", "-s", "-u"],
        value_options: &["-i", "-t", "-q", "-r", "-T", "-w", "-W", "--listen", "--servername"],
    },
    Family {
        programs: &["emacs", "emacs-nox", "emacsclient", "xemacs"],
        shell_options: &[],
        code_options: &["--eval", "-eval", "-e", "-l", "--load", "-batch", "--batch", "--script", "-x", "-f", "--funcall", "-L", "--directory", "-u", "--user"],
        code_values: &["--eval", "-eval", "-e", "-l", "--load", "--script", "-f", "--funcall", "-L", "--directory", "-u", "--user"],
        value_options: &["-s", "--socket-name", "-a", "--alternate-editor"],
    },
    Family {
        programs: &["gdb", "gdb-multiarch", "cgdb", "lldb", "rust-gdb", "rust-lldb"],
        shell_options: &[],
        // Script files and attaching to a running process; commands given inline are read
        // (`debugger_commands_run_code`).
        code_options: &["-x", "-ix", "--command", "--init-command", "-s", "--source", "-S", "--source-before-file", "-p", "--pid", "--attach-pid", "--attach-name"],
        code_values: &[
            "-ex",
            "-iex",
            "-x",
            "-ix",
            "--command",
            "--eval-command",
            "--init-command",
            "--init-eval-command",
            "-o",
            "--one-line",
            "-s",
            "--source",
            "-O",
            "--one-line-before-file",
            "-k",
            "-K",
            "-p",
            "--pid",
            "--attach-pid",
            "--attach-name",
        ],
        value_options: &["--args", "-cd", "--directory", "-D", "--data-directory"],
    },
    Family {
        programs: &["man"],
        shell_options: &["-P", "--pager", "-H", "--html"],
        code_options: &[],
        code_values: &[],
        value_options: &["-M", "--manpath", "-S", "-s", "--sections", "-L", "--locale", "-m", "--systems", "-E", "--encoding", "-C", "--config-file"],
    },
    Family { programs: &["scp", "sftp"], shell_options: &["-S", "-D"], code_options: &[], code_values: &[], value_options: &["-P", "-i", "-l", "-o", "-c", "-J", "-X", "-B", "-b", "-R", "-s", "-F"] },
    Family { programs: &["expect"], shell_options: &[], code_options: &["-c", "-f"], code_values: &["-c", "-f"], value_options: &[] },
    Family {
        programs: &["nc", "ncat", "netcat", "nc.traditional", "nc.openbsd"],
        shell_options: &["-c", "--sh-exec"],
        code_options: &["--lua-exec"],
        code_values: &["--lua-exec"],
        value_options: &[
            "-p",
            "-s",
            "-w",
            "-i",
            "-q",
            "-x",
            "-X",
            "-O",
            "-T",
            "-V",
            "-m",
            "--source",
            "--source-port",
            "--wait",
            "--proxy",
            "--proxy-type",
            "--proxy-auth",
            "--allow",
            "--allowfile",
            "--deny",
            "--denyfile",
            "-g",
            "-G",
            "-o",
            "--output",
            "--max-conns",
        ],
    },
];

/// Whether a Python install names only the projects' own published indexes (the PyTorch,
/// NVIDIA, JAX, PyG and OpenMMLab wheel indexes, and PyPI) by its index options, and no other
/// source option: `pip install torch --index-url https://download.pytorch.org/whl/cu121`.
pub fn official_indexes_only(c: &super::shell::Cmd) -> bool {
    const INDEX: &[&str] = &["-i", "--index-url", "--extra-index-url", "--index", "--default-index", "--find-links", "-f"];
    const OFFICIAL: &[&str] = &[
        "https://download.pytorch.org/whl/",
        "https://download.pytorch.org/whl",
        "https://pypi.nvidia.com",
        "https://pypi.ngc.nvidia.com",
        "https://storage.googleapis.com/jax-releases/",
        "https://data.pyg.org/whl/",
        "https://download.openmmlab.com/mmcv/",
        "https://flashinfer.ai/whl/",
        "https://pypi.org/simple",
    ];
    if !matches!(c.program.as_str(), "pip" | "pip3" | "uv" | "pipx") {
        return false;
    }
    let args = c.args();
    // Any other source option is judged as it is.
    if args.iter().any(|w| ["--trusted-host", "--registry", "--git", "--source", "--clear-sources", "--no-index"].iter().any(|o| w.text == *o || w.text.starts_with(&format!("{o}=")))) {
        return false;
    }
    let values = option_values(&c.argv, INDEX, &["-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-t", "--target", "--python", "-p"]);
    !values.is_empty() && values.iter().all(|v| !v.dynamic && OFFICIAL.iter().any(|o| v.text == *o || v.text.strip_prefix(o).is_some_and(|r| r.is_empty() || o.ends_with('/') || r.starts_with('/'))))
}

/// Whether a conda-family install takes packages from a channel other than the well-known ones
/// (`conda install -c someone numpy`, `mamba install someone::numpy`, `pixi add --channel x`).
pub fn conda_other_channel(c: &super::shell::Cmd) -> bool {
    const KNOWN: &[&str] = &["conda-forge", "defaults", "main", "r", "msys2", "nvidia", "pytorch", "pytorch-nightly", "bioconda", "rapidsai", "anaconda", "free", "nodefaults"];
    if !matches!(c.program.as_str(), "conda" | "mamba" | "micromamba" | "pixi" | "conda-lock" | "conda-env") {
        return false;
    }
    let args = c.args();
    let verb = args.iter().find(|w| !w.text.starts_with('-')).map(|w| w.text.as_str());
    if !matches!(verb, Some("install" | "create" | "add" | "update" | "upgrade" | "env" | "search" | "lock" | "global")) {
        return false;
    }
    let known = |ch: &str| {
        let ch = ch.trim_end_matches('/');
        let name = ch.strip_prefix("https://conda.anaconda.org/").or_else(|| ch.strip_prefix("https://repo.anaconda.com/pkgs/")).unwrap_or(ch);
        KNOWN.contains(&name)
    };
    let channels = option_values(&c.argv, &["-c", "--channel"], &["-n", "--name", "-p", "--prefix", "--file", "-f", "--platform", "--manifest-path", "-e", "--environment", "--feature"]);
    channels.iter().any(|w| w.dynamic || !known(&w.text))
        || args.iter().any(|w| !w.text.starts_with('-') && w.text.split_once("::").is_some_and(|(ch, _)| !known(ch)))
        || args.iter().any(|w| w.text == "--override-channels" || w.text.starts_with("--channel-alias"))
}

/// The values of `names` in `argv` as programs read options: `--name=value`, `--name value`,
/// `-n value`, `-nvalue` and `-abn value` (a cluster ending in the option), up to `--`.
/// `with_value` lists every other option that takes a value, so that its value is skipped.
pub fn option_values(argv: &[Word], names: &[&str], with_value: &[&str]) -> Vec<Word> {
    let mut out = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let w = &argv[i];
        let a = w.text.as_str();
        if a == "--" {
            break;
        }
        if !a.starts_with('-') || a == "-" {
            i += 1;
            continue;
        }
        let value_at = |i: usize| argv.get(i).cloned();
        if let Some((name, value)) = a.split_once('=').filter(|_| a.starts_with("--")) {
            if names.contains(&name) {
                out.push(Word { text: value.to_owned(), ..w.clone() });
            }
            i += 1;
            continue;
        }
        if names.contains(&a) {
            out.extend(value_at(i + 1));
            i += 2;
            continue;
        }
        if with_value.contains(&a) {
            i += 2;
            continue;
        }
        if !a.starts_with("--") && a.len() > 2 && a.is_char_boundary(2) && names.contains(&&a[..2]) && !a[1..].bytes().all(|b| b.is_ascii_alphanumeric()) {
            // `-oProxyCommand=X`: the value attached.
            out.push(Word { text: a[2..].to_owned(), ..w.clone() });
            i += 1;
            continue;
        }
        if !a.starts_with("--") && a.len() > 2 && a[1..].bytes().all(|b| b.is_ascii_alphanumeric()) {
            // A cluster: the first letter that takes a value takes the rest, or the next word.
            let b = a.as_bytes();
            let mut skipped = false;
            for k in 1..b.len() {
                let short = [b'-', b[k]];
                let short = std::str::from_utf8(&short).unwrap_or("");
                if names.contains(&short) {
                    if k + 1 < b.len() {
                        out.push(Word { text: a[k + 1..].to_owned(), ..w.clone() });
                    } else {
                        out.extend(value_at(i + 1));
                        skipped = true;
                    }
                    break;
                }
                if with_value.contains(&short) {
                    skipped = k + 1 == b.len();
                    break;
                }
            }
            i += if skipped { 2 } else { 1 };
            continue;
        }
        i += 1;
    }
    out
}

/// Whether any of `names` is given (as a word, `--name=…`, or inside a short cluster).
fn has_option(argv: &[Word], names: &[&str]) -> bool {
    argv.iter().skip(1).take_while(|w| w.text != "--").any(|w| {
        let a = w.text.as_str();
        names.contains(&a) || a.split_once('=').is_some_and(|(n, _)| a.starts_with("--") && names.contains(&n))
    })
}

/// The positional arguments of `argv` (options and the values of `with_value` skipped).
fn positionals<'w>(argv: &'w [Word], with_value: &[&str]) -> Vec<&'w Word> {
    let mut out = Vec::new();
    let mut i = 1;
    let mut done = false;
    while i < argv.len() {
        let a = argv[i].text.as_str();
        if done || !a.starts_with('-') || a == "-" {
            out.push(&argv[i]);
        } else if a == "--" {
            done = true;
        } else if with_value.contains(&a) {
            i += 1;
        }
        i += 1;
    }
    out
}

/// Whether the Ex commands a vi-family editor is given (`-c`, `--cmd`, `+cmd`, `-s` keys outside
/// Ex mode, a script on stdin in Ex mode) do more than edit text: a shell filter or command
/// (`!`, `r !`, `w !`), a script language, a sourced file, a function call, `:execute`, a
/// terminal, mappings and autocommands. Substitutions, `normal` keys, global commands, writes and
/// quits only edit.
fn editor_commands_run_code(argv: &[Word], stdin_text: Option<&str>) -> bool {
    const EDITS: &[&str] = &[
        "s",
        "substitute",
        "g",
        "global",
        "v",
        "vglobal",
        "normal",
        "norm",
        "w",
        "write",
        "wq",
        "x",
        "xit",
        "q",
        "quit",
        "qa",
        "qall",
        "wqa",
        "wqall",
        "xa",
        "xall",
        "wa",
        "wall",
        "update",
        "up",
        "set",
        "se",
        "setlocal",
        "retab",
        "ret",
        "sort",
        "sor",
        "d",
        "delete",
        "m",
        "move",
        "t",
        "co",
        "copy",
        "j",
        "join",
        ">",
        "<",
        "a",
        "append",
        "i",
        "insert",
        "c",
        "change",
        "e",
        "edit",
        "bufdo",
        "argdo",
        "windo",
        "undo",
        "u",
        "redo",
        "syntax",
        "filetype",
        "noh",
        "nohlsearch",
        "le",
        "left",
        "ri",
        "right",
        "ce",
        "center",
        "y",
        "yank",
        "pu",
        "put",
        "k",
        "mark",
        "ma",
        "%",
        "&",
        "&&",
        "~",
        "=",
        "goto",
        "go",
        "$",
        "startinsert",
    ];
    let mut commands: Vec<String> = Vec::new();
    let ex_mode = argv.iter().skip(1).any(|w| matches!(w.text.as_str(), "-e" | "-E" | "-es" | "-Es" | "-se" | "-sE") || w.text.starts_with("-e") && w.text.len() <= 3);
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].text.as_str();
        if let Some(c) = a.strip_prefix('+').filter(|c| !c.is_empty() && !c.bytes().all(|b| b.is_ascii_digit())) {
            commands.push(c.to_owned());
        } else if a == "-c" || a == "--cmd" || (a.starts_with('-') && !a.starts_with("--") && a.ends_with('c') && a.len() > 2 && a[1..].bytes().all(|b| b.is_ascii_alphabetic())) {
            match argv.get(i + 1) {
                Some(w) if !w.dynamic => commands.push(w.text.clone()),
                _ => return true,
            }
            i += 1;
        } else if a == "-s" && !ex_mode {
            // Keys read from a file: anything.
            return true;
        } else if a == "--" {
            break;
        }
        i += 1;
    }
    if ex_mode && let Some(t) = stdin_text {
        commands.extend(t.lines().map(str::to_owned));
    }
    for c in &commands {
        for piece in c.split('|') {
            let cmd = piece.trim_start().trim_start_matches(|ch: char| ch.is_ascii_digit() || matches!(ch, '$' | ',' | '.' | ';' | '+' | '-' | '%' | ':' | '\'' | '<' | '>' | ' '));
            if cmd.is_empty() {
                continue;
            }
            let word: String = cmd.chars().take_while(|ch| ch.is_ascii_alphabetic()).collect();
            let word = if word.is_empty() { cmd[..cmd.chars().next().map_or(0, char::len_utf8)].to_owned() } else { word };
            // A shell filter or command anywhere, a `:normal` that types `:`, a function call.
            let rest = &cmd[word.len().min(cmd.len())..];
            // (`:w !cmd` pipes to a command; `:w!` only forces the write.)
            let shell = cmd.starts_with('!')
                || (matches!(word.as_str(), "r" | "read" | "w" | "write") && (rest.starts_with(" !") || rest.starts_with("\t!") || rest.starts_with("!!")))
                || cmd.contains("system(")
                || cmd.contains("systemlist(")
                || cmd.contains("jobstart(")
                || cmd.contains("termopen(");
            if shell || !EDITS.contains(&word.as_str()) {
                return true;
            }
            if matches!(word.as_str(), "normal" | "norm") && (rest.contains(':') || rest.contains('!')) {
                return true;
            }
            // `:g/re/cmd`: the command it runs on each line.
            // `:g/re/!cmd`, `:g/re/exe …`: the command it runs on each line.
            if matches!(word.as_str(), "g" | "global" | "v" | "vglobal") && ["/!", "exe", "call", "so", "py", "lua", "norm"].iter().any(|k| rest.contains(k)) {
                return true;
            }
        }
    }
    false
}

/// Whether a debugger's inline commands (`gdb -ex`, `lldb -o`) do more than debug the program it
/// starts: a shell or script command, a call into the program (`call system(…)`), a file read
/// or written as commands or memory, a process attached.
fn debugger_commands_run_code(argv: &[Word]) -> bool {
    const INLINE: &[&str] = &["-ex", "-iex", "--eval-command", "--init-eval-command", "-o", "--one-line", "-O", "--one-line-before-file", "-k", "-K", "--one-line-on-crash"];
    const DEBUG: &[&str] = &[
        "run",
        "r",
        "start",
        "starti",
        "continue",
        "c",
        "next",
        "n",
        "step",
        "s",
        "finish",
        "until",
        "bt",
        "backtrace",
        "where",
        "frame",
        "f",
        "up",
        "down",
        "info",
        "i",
        "list",
        "l",
        "break",
        "b",
        "breakpoint",
        "br",
        "tbreak",
        "watch",
        "watchpoint",
        "rwatch",
        "awatch",
        "delete",
        "disable",
        "enable",
        "condition",
        "display",
        "thread",
        "x",
        "disassemble",
        "disas",
        "quit",
        "q",
        "kill",
        "set",
        "show",
        "ptype",
        "whatis",
        "register",
        "reg",
        "memory",
        "image",
        "target",
        "process",
        "file",
        "bt",
        "thread",
        "args",
        "handle",
        "catch",
        "gcore",
        "generate-core-file",
        "v",
        "var",
        "fr",
        "frame",
        "settings",
        "type",
        "help",
    ];
    // The program debugged: a shell or an interpreter runs whatever it is given.
    const VALUES: &[&str] = &[
        "-ex",
        "-iex",
        "--eval-command",
        "--init-eval-command",
        "-o",
        "--one-line",
        "-O",
        "--one-line-before-file",
        "-k",
        "-K",
        "-x",
        "-ix",
        "--command",
        "-s",
        "--source",
        "-S",
        "-p",
        "--pid",
        "-cd",
        "--directory",
        "-D",
        "--data-directory",
        "-c",
        "--core",
        "--attach-pid",
        "--attach-name",
        "-n",
        "-a",
        "--arch",
    ];
    let debugged = argv.iter().skip(1).position(|w| w.text == "--args" || w.text == "--").map_or_else(|| positionals(argv, VALUES).first().copied(), |k| argv.get(k + 2));
    if debugged.is_some_and(|w| w.dynamic || super::shell::SHELLS.contains(&w.text.rsplit('/').next().unwrap_or("")) || interpreters::is_interpreter(w.text.rsplit('/').next().unwrap_or(""))) {
        return true;
    }
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].text.as_str();
        let (name, value) = match a.split_once('=').filter(|(n, _)| n.starts_with("--")) {
            Some((n, v)) => (n, Some(v.to_owned())),
            None => (a, argv.get(i + 1).map(|w| if w.dynamic { "\u{0}".to_owned() } else { w.text.clone() })),
        };
        if a == "--" || a == "--args" {
            break;
        }
        if INLINE.contains(&name) {
            let Some(v) = value else { return true };
            let lower = v.trim().to_ascii_lowercase();
            let first = lower.split_whitespace().next().unwrap_or("").split('/').next().unwrap_or("");
            let calls = ["system", "exec", "popen", "dlopen", "fork"].iter().any(|w| lower.contains(w));
            // `process launch --shell`, `settings set target.*` (the environment, a launcher),
            // `target create`/`file` of another program, `x`/`memory` reads are debugging;
            // `dump`/`restore` write and read files, `source`/`command script` run scripts.
            let launcher = lower.contains("--shell") || lower.contains("launch-with-shell") || lower.contains("exec-wrapper") || lower.contains("startup-with-shell");
            let evaluates = matches!(first, "print" | "p" | "expr" | "expression" | "call" | "po") && lower.contains('(');
            // gdb starts the program through a shell: `run ARGS` and `set args` are shell words
            // (redirections, `$(…)`); lldb's `process launch --shell`, `target.run-args`.
            let shell_words = (matches!(first, "run" | "r" | "start" | "starti") && lower.contains(['|', ';', '&', '$', '`', '>', '(', '*', '?', '{', '~']))
                || lower.starts_with("set args")
                || lower.contains("run-args")
                || lower.contains("shell")
                || lower.contains("target remote |")
                || lower.contains("target extended-remote |")
                || lower.starts_with("pipe")
                || lower.starts_with('|');
            if shell_words {
                return true;
            }
            if v.contains('\0') || calls || launcher || evaluates || lower.contains("logging") || !(DEBUG.contains(&first) || matches!(first, "print" | "p" | "expr" | "expression" | "po")) {
                return true;
            }
            if !a.contains('=') {
                i += 1;
            }
        }
        i += 1;
    }
    false
}

/// A word as the shell would read it back: quoted, or `"$v"` when computed.
fn quote_word(w: &Word) -> String {
    if w.dynamic { "\"$v\"".to_owned() } else { super::shell::quote(&w.text) }
}

/// `cmake -E TOOL ARGS…` as the command it stands for (`rm`, `remove_directory`, `copy`,
/// `rename`, `create_symlink`, `touch`, `make_directory`, `env … CMD`, `chdir DIR CMD`).
fn cmake_tool_command(argv: &[Word]) -> Option<Word> {
    let e = argv.iter().position(|w| w.text == "-E")?;
    let tool = argv.get(e + 1)?;
    let rest = &argv[e + 2..];
    let words = |ws: &[Word]| ws.iter().map(quote_word).collect::<Vec<_>>().join(" ");
    let plain: Vec<Word> = rest.iter().filter(|w| !w.text.starts_with('-')).cloned().collect();
    let text = match tool.text.as_str() {
        "rm" | "remove" | "remove_directory" | "rmdir" => format!("rm -rf -- {}", words(&plain)),
        "copy" | "copy_if_different" | "copy_directory" | "copy_directory_if_different" => format!("cp -r -- {}", words(&plain)),
        "rename" => format!("mv -- {}", words(&plain)),
        "create_symlink" => format!("ln -s -- {}", words(&plain)),
        "create_hardlink" => format!("ln -- {}", words(&plain)),
        "touch" | "touch_nocreate" => format!("touch -- {}", words(&plain)),
        "make_directory" => format!("mkdir -p -- {}", words(&plain)),
        "cat" => format!("cat -- {}", words(&plain)),
        "env" => {
            let cmd: Vec<Word> = rest.iter().skip_while(|w| w.text.starts_with('-') || w.text.contains('=')).cloned().collect();
            format!("env {}", words(&cmd))
        }
        "chdir" => {
            let (dir, cmd) = rest.split_first()?;
            format!("cd {} && {}", quote_word(dir), words(cmd))
        }
        "time" => words(rest),
        "tar" => format!("tar {}", words(rest)),
        _ => return None,
    };
    Some(Word { text, dynamic: false, glob: false })
}

/// The family of `program`: a `match`, which the compiler turns into a few length and byte
/// comparisons (most commands belong to none).
fn family(program: &str) -> Option<&'static Family> {
    match program {
        "rsync" => Some(&FAMILIES[0]),
        "tar" | "gtar" | "bsdtar" => Some(&FAMILIES[1]),
        "zip" => Some(&FAMILIES[2]),
        "vim" | "vi" | "nvim" | "ex" | "view" | "gvim" | "vimdiff" | "nvim-qt" | "rvim" | "evim" => Some(&FAMILIES[3]),
        "emacs" | "emacs-nox" | "emacsclient" | "xemacs" => Some(&FAMILIES[4]),
        "gdb" | "gdb-multiarch" | "cgdb" | "lldb" | "rust-gdb" | "rust-lldb" => Some(&FAMILIES[5]),
        "man" => Some(&FAMILIES[6]),
        "scp" | "sftp" => Some(&FAMILIES[7]),
        "expect" => Some(&FAMILIES[8]),
        "nc" | "ncat" | "netcat" | "nc.traditional" | "nc.openbsd" => Some(&FAMILIES[9]),
        _ => None,
    }
}

/// The options of `program` that take a value (its family's table), so that a value is not
/// read as a path (`rsync --exclude .env . host:`); `None` for a program no family knows.
pub fn value_options(program: &str) -> Option<Vec<&'static str>> {
    let f = family(program)?;
    let mut out: Vec<&'static str> = f.value_options.to_vec();
    out.extend(f.shell_options);
    out.extend(f.code_values);
    Some(out)
}

/// Whether [`nested`] knows anything about `program` (most commands: no).
fn known(program: &str) -> bool {
    static KNOWN: Names<256> = Names::new(&[
        "ansible",
        "at",
        "autossh",
        "awk",
        "batch",
        "bazel",
        "bazelisk",
        "bmake",
        "bsdtar",
        "busybox-awk",
        "cargo",
        "cgdb",
        "cmake",
        "ctest",
        "dc",
        "dotnet",
        "dotnet-sonarscanner",
        "duckdb",
        "emacs",
        "emacs-nox",
        "emacsclient",
        "evim",
        "ex",
        "expect",
        "gawk",
        "gdb",
        "gdb-multiarch",
        "git",
        "gmake",
        "go",
        "gradle",
        "gradlew",
        "gsed",
        "gtar",
        "gvim",
        "less",
        "litecli",
        "lldb",
        "make",
        "man",
        "mariadb",
        "mix",
        "mawk",
        "msbuild",
        "mvn",
        "mvnw",
        "more",
        "most",
        "mycli",
        "mysql",
        "nawk",
        "nc",
        "nc.openbsd",
        "nc.traditional",
        "ncat",
        "netcat",
        "nvim",
        "nvim-qt",
        "osascript",
        "pgcli",
        "php",
        "psql",
        "rails",
        "rsync",
        "rust-gdb",
        "rust-lldb",
        "rvim",
        "sbt",
        "sbtn",
        "scp",
        "sed",
        "sftp",
        "socat",
        "sonar-scanner",
        "sonar-scanner-cli",
        "spatialite",
        "sqlcmd",
        "sqlite",
        "sqlite3",
        "ssh",
        "tar",
        "vi",
        "view",
        "vim",
        "vimdiff",
        "wp",
        "xbuild",
        "xemacs",
        "zip",
    ]);
    KNOWN.contains(program)
}

/// Whether one sbt command (`eval …`, `set …`, `console` fed on stdin, `-addPluginSbtFile=F`)
/// compiles and runs Scala ana cannot read.
fn sbt_runs_code(dynamic: bool, t: &str, fed: bool) -> bool {
    let lower = t.to_ascii_lowercase();
    dynamic
        || lower == "eval"
        || lower.starts_with("eval ")
        || lower.contains("/eval ")
        || lower.starts_with("-j-javaagent")
        || lower.starts_with("-j-agentpath")
        || lower.starts_with("setevery ")
        || lower.starts_with("-addpluginsbtfile")
        || lower.starts_with("--addpluginsbtfile")
        // (`set scalaVersion := "2.13.12"` only sets a value; a call, a compiler plug-in or JVM
        // options run code.)
        || (lower.starts_with("set ") && (t.contains('(') || ["javaoptions", "javaagent", "-xplugin", "addcompilerplugin", "addsbtplugin", "resolvers", "externalresolvers"].iter().any(|k| lower.contains(k))))
        || (matches!(t, "console" | "consoleQuick" | "consoleProject") && fed)
}

/// What `program` (its base name) runs through its arguments and stdin text.
pub fn nested(program: &str, argv: &[Word], stdin_text: Option<&str>) -> Vec<Code> {
    let mut out = Vec::new();
    if !known(program) {
        return out;
    }
    if let Some(f) = family(program) {
        let mut with_value: Vec<&str> = f.value_options.to_vec();
        with_value.extend(f.code_values);
        for w in option_values(argv, f.shell_options, &with_value) {
            let text = w.text.strip_prefix("exec=").unwrap_or(&w.text).to_owned();
            out.push(Code::Shell(Word { text, ..w }));
        }
        let mut all: Vec<&str> = with_value.clone();
        all.extend(f.shell_options);
        if has_option(argv, f.code_options) {
            out.push(Code::Fact(fact::RUNS_CODE));
        }
        if f.programs[0] == "gdb" && debugger_commands_run_code(argv) {
            out.push(Code::Fact(fact::RUNS_CODE));
        }
        if f.programs[0] == "vim" && editor_commands_run_code(argv, stdin_text) {
            out.push(Code::Fact(fact::RUNS_CODE));
        }
        if f.programs[0] == "tar" {
            for w in option_values(argv, &["--checkpoint-action"], &all) {
                let action = w.text.as_str();
                if let Some(cmd) = action.strip_prefix("exec=").or_else(|| action.strip_prefix("exec:")) {
                    out.push(Code::Shell(Word { text: cmd.to_owned(), ..w.clone() }));
                } else if action.starts_with("exec") || w.dynamic {
                    out.push(Code::Fact(fact::RUNS_CODE));
                }
            }
        }
        if f.programs[0] == "nc" && has_option(argv, &["-e", "--exec"]) {
            // `nc -e PROGRAM`: a program wired to the network (a bind or reverse shell).
            for w in option_values(argv, &["-e", "--exec"], &all) {
                out.push(Code::Shell(w));
            }
        }
    }
    match program {
        "ssh" | "autossh" | "scp" | "sftp" => {
            const SSH_VALUES: &[&str] = &["-p", "-P", "-i", "-l", "-J", "-L", "-R", "-D", "-b", "-c", "-E", "-e", "-m", "-O", "-Q", "-S", "-W", "-w", "-B", "-I", "-X", "-s"];
            for w in option_values(argv, &["-o"], &[SSH_VALUES, &["-F"]].concat()) {
                out.extend(ssh_option(&w));
            }
            // `-F FILE`: a configuration file can run commands (ProxyCommand, LocalCommand, Match exec).
            let configs = option_values(argv, &["-F"], &[SSH_VALUES, &["-o"]].concat());
            if configs.iter().any(|w| !matches!(w.text.as_str(), "/dev/null" | "none")) {
                out.push(Code::Fact(fact::RUNS_CODE));
            }
        }
        "sqlite3" | "sqlite" | "duckdb" | "litecli" | "spatialite" => {
            let mut texts: Vec<Word> = option_values(argv, &["-cmd", "--cmd"], &["-separator", "-newline", "-nullvalue", "-init"]);
            texts.extend(positionals(argv, &["-cmd", "-separator", "-newline", "-nullvalue", "-init"]).into_iter().skip(1).cloned());
            texts.extend(stdin_text.map(Word::lit));
            for t in &texts {
                out.extend(text::sqlite(t));
            }
            if has_option(argv, &["-init"]) {
                out.push(Code::Fact(fact::RUNS_CODE));
            }
        }
        // dc's `!` runs the rest of the line as a shell command.
        "dc" => {
            let mut texts = option_values(argv, &["-e", "--expression"], &["-f", "--file"]);
            texts.extend(stdin_text.map(Word::lit));
            for t in &texts {
                out.extend(text::dc(t));
            }
        }
        "psql" | "pgcli" => {
            let mut texts = option_values(
                argv,
                &["-c", "--command"],
                &[
                    "-d",
                    "--dbname",
                    "-h",
                    "--host",
                    "-p",
                    "--port",
                    "-U",
                    "--username",
                    "-f",
                    "--file",
                    "-v",
                    "--set",
                    "--variable",
                    "-o",
                    "--output",
                    "-L",
                    "--log-file",
                    "-P",
                    "--pset",
                    "-F",
                    "-R",
                    "-T",
                ],
            );
            texts.extend(stdin_text.map(Word::lit));
            for t in &texts {
                out.extend(text::psql(t));
            }
            if option_values(argv, &["-o", "--output", "-L", "--log-file"], &[]).iter().any(|w| w.text.starts_with('|')) {
                out.push(Code::Fact(fact::RUNS_CODE));
            }
        }
        // A code scanner sends the sources it is given to its server (`sonar-scanner
        // -Dsonar.sources=DIR`, `mvn sonar:sonar -Dsonar.projectBaseDir=DIR`): judged as that
        // upload.
        "sonar-scanner" | "sonar-scanner-cli" | "mvn" | "mvnw" | "gradle" | "gradlew" | "dotnet-sonarscanner" => {
            let server = argv.iter().find_map(|w| w.text.strip_prefix("-Dsonar.host.url=")).unwrap_or("https://(the scanner's server)").to_owned();
            let scans = program.starts_with("sonar") || program.starts_with("dotnet-sonar") || argv.iter().any(|w| w.text.starts_with("sonar:") || w.text == "sonar" || w.text == "sonarqube");
            if scans {
                for w in argv.iter() {
                    if let Some(dirs) = ["-Dsonar.sources=", "-Dsonar.projectBaseDir=", "-Dsonar.tests=", "/d:sonar.sources="].iter().find_map(|p| w.text.strip_prefix(p)) {
                        for d in dirs.split(',').filter(|d| !d.is_empty()) {
                            out.push(Code::Shell(Word { text: format!("curl -sT {} {}", super::shell::quote(d), super::shell::quote(&server)), ..w.clone() }));
                        }
                    }
                }
            }
            // Maven's exec plugin given its program on the command line (`mvn exec:exec
            // -Dexec.executable=sh -Dexec.args="-c '…'"`).
            if matches!(program, "mvn" | "mvnw") {
                let define = |k: &str| argv.iter().find_map(|w| w.text.strip_prefix("-D").and_then(|d| d.strip_prefix(k)).and_then(|v| v.strip_prefix('=')).map(|v| (v.to_owned(), w)));
                if let Some((exe, w)) = define("exec.executable") {
                    let args = define("exec.args").map(|(a, _)| a).unwrap_or_default();
                    out.push(Code::Shell(Word { text: format!("{} {args}", super::shell::quote(&exe)), ..w.clone() }));
                }
            }
        }
        // `ctest --build-and-test … --test-command CMD ARGS…`: the rest is a command.
        "ctest" => {
            if let Some(k) = argv.iter().position(|w| w.text == "--test-command") {
                let words: Vec<String> = argv[k + 1..].iter().map(quote_word).collect();
                if !words.is_empty() {
                    out.push(Code::Shell(Word { text: words.join(" "), ..argv[k].clone() }));
                }
            }
        }
        // `bazel run|test --run_under=CMD`, `--workspace_status_command=CMD`: command lines.
        "bazel" | "bazelisk" => {
            for w in argv.iter().skip(1) {
                if let Some(v) = w.text.strip_prefix("--run_under=").or_else(|| w.text.strip_prefix("--workspace_status_command=")) {
                    out.push(Code::Shell(Word { text: v.to_owned(), ..w.clone() }));
                }
            }
        }
        // sqlcmd's `:!! CMD` (and `!! CMD`) runs a shell command, wherever a script holds it.
        "sqlcmd" => {
            for w in argv.iter().skip(1).chain(stdin_text.map(Word::lit).as_ref()) {
                for l in w.text.lines().map(str::trim_start) {
                    if let Some(cmd) = l.strip_prefix(":!!").or_else(|| l.strip_prefix("!!")) {
                        out.push(Code::Shell(Word { text: cmd.trim().to_owned(), ..w.clone() }));
                    }
                }
            }
        }
        // MSBuild properties that are command lines (`dotnet build -p:PreBuildEvent="…"`).
        "dotnet" | "msbuild" | "xbuild" => {
            for w in argv.iter().skip(1) {
                let t = w.text.as_str();
                let Some(props) = ["-p:", "/p:", "-property:", "/property:", "--property:"].iter().find_map(|p| t.strip_prefix(p)) else { continue };
                for name in ["PreBuildEvent=", "PostBuildEvent=", "RunCommand=", "RunPostBuildEvent="] {
                    if let Some(at) = props.find(name).filter(|&k| k == 0 || props[..k].ends_with(';')) {
                        out.push(Code::Shell(Word { text: props[at + name.len()..].to_owned(), ..w.clone() }));
                    }
                }
                // Package feeds given for this build.
                if ["RestoreSources=", "RestoreAdditionalProjectSources=", "RestoreConfigFile="].iter().any(|n| props.contains(n)) {
                    out.push(Code::Fact(fact::PACKAGE_SOURCE));
                }
            }
        }
        // Rails' `runner CODE` (or a file of it) and a console fed on stdin run Ruby in the
        // application, as `ruby -e` would; `dbconsole` fed on stdin runs its SQL, as psql would.
        "rails" => {
            let mut pos: Vec<&Word> = Vec::new();
            let mut i = 1;
            while let Some(w) = argv.get(i) {
                let t = w.text.as_str();
                if t.starts_with('-') && t.len() > 1 {
                    i += if matches!(t, "-e" | "--environment" | "-s" | "--skip-executor") && !t.contains('=') { 2 } else { 1 };
                    continue;
                }
                pos.push(w);
                i += 1;
            }
            let ruby = |code: &str, w: &Word| {
                let file = !code.contains(char::is_whitespace) && !code.contains(['(', ';', '.']) || code.ends_with(".rb");
                let text = if file { format!("ruby {}", super::shell::quote(code)) } else { format!("ruby -e {}", super::shell::quote(code)) };
                Code::Shell(Word { text, ..w.clone() })
            };
            match pos.first().map(|w| w.text.as_str()) {
                Some("runner" | "r") => {
                    if let Some(code) = pos.get(1) {
                        out.push(ruby(&code.text, code));
                    }
                }
                Some("console" | "c") => {
                    if let Some(t) = stdin_text {
                        out.push(Code::Shell(Word::lit(&format!("ruby -e {}", super::shell::quote(t)))));
                    }
                }
                Some("dbconsole" | "db") => {
                    if let Some(t) = stdin_text {
                        out.push(Code::Shell(Word::lit(&format!("psql -c {}", super::shell::quote(t)))));
                    }
                }
                _ => {}
            }
        }
        // Mix's `run -e CODE` (or a script) runs Elixir in the project, as `elixir -e` would;
        // `mix cmd ARGS` runs ARGS as a command.
        "mix" => {
            let pos: Vec<&Word> = argv.iter().skip(1).filter(|w| !w.text.starts_with('-')).collect();
            match pos.first().map(|w| w.text.as_str()) {
                Some("run") => {
                    let at = argv.iter().position(|w| w.text == "run").unwrap_or(1);
                    let mut i = at + 1;
                    while let Some(w) = argv.get(i) {
                        let t = w.text.as_str();
                        if let Some(code) = t.strip_prefix("--eval=") {
                            out.push(Code::Shell(Word { text: format!("elixir -e {}", super::shell::quote(code)), ..w.clone() }));
                        } else if matches!(t, "-e" | "--eval") {
                            if let Some(code) = argv.get(i + 1) {
                                out.push(Code::Shell(Word { text: format!("elixir -e {}", super::shell::quote(&code.text)), ..code.clone() }));
                            }
                            i += 1;
                        } else if matches!(t, "-r" | "--require" | "-p" | "--parallel-require" | "-c" | "--config") {
                            // (A file it requires first, then the script.)
                            if let Some(f) = argv.get(i + 1) {
                                out.push(Code::Shell(Word { text: format!("elixir {}", super::shell::quote(&f.text)), ..f.clone() }));
                            }
                            i += 1;
                        } else if !t.starts_with('-') {
                            out.push(Code::Shell(Word { text: format!("elixir {}", super::shell::quote(t)), ..w.clone() }));
                            break;
                        }
                        i += 1;
                    }
                }
                Some("cmd") => {
                    let at = argv.iter().position(|w| w.text == "cmd").unwrap_or(1);
                    let rest: Vec<&Word> = argv[at + 1..].iter().skip_while(|w| w.text.starts_with('-')).collect();
                    if let Some(first) = rest.first() {
                        let line = rest.iter().map(|w| if w.dynamic { w.text.clone() } else { super::shell::quote(&w.text) }).collect::<Vec<_>>().join(" ");
                        out.push(Code::Shell(Word { text: line, ..(*first).clone() }));
                    }
                }
                _ => {}
            }
        }
        // WP-CLI's `eval CODE` and Laravel's `tinker --execute=CODE`: PHP, as `php -r` runs it.
        "wp" | "php" => {
            let pos: Vec<&Word> = argv.iter().skip(1).filter(|w| !w.text.starts_with('-')).collect();
            let code = match (program, pos.first().map(|w| w.text.as_str()), pos.get(1).map(|w| w.text.as_str())) {
                ("wp", Some("eval"), _) => pos.get(1).map(|w| (*w).clone()),
                // (Or on stdin: `echo 'DB::table(…)->delete()' | php artisan tinker`.)
                ("php", Some(a), Some("tinker")) if a.ends_with("artisan") => option_values(argv, &["--execute"], &[]).into_iter().next().or_else(|| stdin_text.map(Word::lit)),
                ("wp", Some("shell"), _) => stdin_text.map(Word::lit),
                _ => None,
            };
            // WP-CLI's global `--exec=CODE` runs PHP before the command; `--require=FILE` loads a
            // file of it.
            if program == "wp" {
                for w in argv.iter().skip(1) {
                    if let Some(code) = w.text.strip_prefix("--exec=") {
                        out.push(Code::Shell(Word { text: format!("php -r {}", super::shell::quote(code)), ..w.clone() }));
                    } else if w.text == "--exec" || w.text.starts_with("--require") {
                        out.push(Code::Fact(fact::RUNS_CODE));
                    }
                }
            }
            if let Some(code) = code {
                out.push(Code::Shell(Word { text: format!("php -r {}", super::shell::quote(&code.text)), ..code }));
            }
            if program == "wp" && matches!(pos.first().map(|w| w.text.as_str()), Some("eval-file" | "shell")) {
                out.push(Code::Fact(fact::RUNS_CODE));
            }
        }
        // AppleScript's `do shell script "…"` runs a shell line; `with administrator privileges`
        // runs it as root after a password dialog, as `sudo` would.
        "osascript" => {
            let mut codes = option_values(argv, &["-e"], &["-l", "-s"]);
            codes.extend(stdin_text.map(Word::lit));
            for code in codes {
                // Blanks squeezed, as AppleScript reads them (`do  shell  script`).
                let text: String = code.text.split_whitespace().collect::<Vec<_>>().join(" ");
                let lower = text.to_ascii_lowercase();
                // Another application told to run a line or type keys runs it outside any
                // confinement (`tell application "Terminal" to do script …`, JXA's
                // `doScript(…)`, System Events' `keystroke`).
                if ["do script", "doscript(", "keystroke", "key code", "dojavascript", "do javascript"].iter().any(|k| lower.contains(k)) {
                    out.push(Code::Fact(fact::RUNS_CODE));
                }
                for (at, _) in lower.match_indices("do shell script") {
                    let rest = text[at + "do shell script".len()..].trim_start();
                    let Some(body) = rest.strip_prefix('"') else {
                        out.push(Code::Fact(fact::RUNS_CODE));
                        continue;
                    };
                    let mut line = String::new();
                    let mut chars = body.char_indices();
                    let mut end = body.len();
                    while let Some((k, c)) = chars.next() {
                        match c {
                            '\\' => line.extend(chars.next().map(|(_, c)| c)),
                            '"' => {
                                end = k + 1;
                                break;
                            }
                            c => line.push(c),
                        }
                    }
                    // A line put together from pieces (`"rm -rf " & dir`) cannot be read whole.
                    if body[end.min(body.len())..].trim_start().starts_with('&') {
                        out.push(Code::Fact(fact::RUNS_CODE));
                    }
                    let admin = lower[at..].contains("administrator privileges");
                    let line = if admin { format!("sudo sh -c {}", super::shell::quote(&line)) } else { line };
                    out.push(Code::Shell(Word { text: line, ..code.clone() }));
                }
            }
        }
        // sbt's commands given as words: `eval EXPR` and `set SETTING` are Scala it compiles and
        // runs (`sbt "eval scala.sys.process.Process(…).!"`), as is what `console` reads.
        "sbt" | "sbtn"
            if argv
                .iter()
                .skip(1)
                .map(|w| (w, w.text.clone()))
                .chain(stdin_text.map(|t| (&argv[0], t.to_owned())))
                .any(|(w, text)| text.split([';', '\n']).map(str::trim).any(|t| sbt_runs_code(w.dynamic, t, stdin_text.is_some()))) =>
        {
            out.push(Code::Fact(fact::RUNS_CODE));
        }
        "mysql" | "mariadb" | "mycli" => {
            let mut texts = option_values(argv, &["-e", "--execute"], &["-u", "--user", "-h", "--host", "-P", "--port", "-D", "--database", "-S", "--socket"]);
            texts.extend(stdin_text.map(Word::lit));
            for t in &texts {
                out.extend(text::mysql(t));
            }
        }
        "sed" | "gsed" => {
            let with_value = ["-l", "--line-length", "-s"];
            let mut scripts = option_values(argv, &["-e", "--expression"], &with_value);
            let files = option_values(argv, &["-f", "--file"], &with_value);
            if scripts.is_empty() && files.is_empty() {
                scripts.extend(positionals(argv, &["-e", "--expression", "-f", "--file", "-l", "--line-length"]).first().map(|w| (*w).clone()));
            }
            if scripts.iter().any(|s| s.dynamic || text::sed_runs_command(&s.text)) {
                out.push(Code::Fact(fact::RUNS_CODE));
            }
        }
        "awk" | "gawk" | "mawk" | "nawk" | "busybox-awk" => {
            let with_value = ["-v", "-F", "--assign", "--field-separator", "-i", "--include", "-l", "--load"];
            let mut programs = option_values(argv, &["-e", "--source"], &with_value);
            let files = option_values(argv, &["-f", "--file"], &with_value);
            if programs.is_empty() && files.is_empty() {
                let mut names = vec!["-e", "--source", "-f", "--file"];
                names.extend(with_value);
                programs.extend(positionals(argv, &names).first().map(|w| (*w).clone()));
            }
            // `-i inplace` is gawk's own in-place edit extension; any other include or load is code.
            let includes = option_values(argv, &["-i", "--include", "-l", "--load"], &with_value).into_iter().any(|w| w.dynamic || !matches!(w.text.as_str(), "inplace" | "inplace.awk"));
            if programs.iter().any(|p| p.dynamic || text::awk_runs_command(&p.text)) || includes {
                out.push(Code::Fact(fact::RUNS_CODE));
            }
        }
        "less" | "more" | "most" => {
            // `less '+!CMD'`: a command typed at the prompt before the file is shown.
            for w in argv.iter().skip(1) {
                if let Some(rest) = w.text.strip_prefix('+').or_else(|| w.text.strip_prefix("--cmd="))
                    && let Some(at) = rest.find('!')
                {
                    out.push(Code::Shell(Word { text: rest[at + 1..].to_owned(), ..w.clone() }));
                }
            }
        }
        "make" | "gmake" | "bmake" => {
            // (A standard shell for the recipes, `SHELL=/bin/bash`, runs them as written.)
            let standard = |v: &str| matches!(v, "/bin/bash" | "/usr/bin/bash" | "/bin/sh" | "/usr/bin/sh" | "bash" | "sh" | "/bin/dash" | "/bin/zsh" | "/usr/bin/zsh" | "/usr/bin/env bash");
            let overrides =
                argv.iter().skip(1).any(|w| w.text.strip_prefix("SHELL=").is_some_and(|v| w.dynamic || !standard(v)) || w.text.starts_with(".SHELLFLAGS=") || w.text.starts_with("MAKESHELL="));
            if overrides || has_option(argv, &["--eval", "-E"]) {
                out.push(Code::Fact(fact::RUNS_CODE));
            }
        }
        "socat" => {
            for w in argv.iter().skip(1).filter(|w| !w.text.starts_with('-')) {
                let lower = w.text.to_ascii_lowercase();
                if let Some(rest) = lower.strip_prefix("exec:").or_else(|| lower.strip_prefix("system:")) {
                    let cmd = &w.text[w.text.len() - rest.len()..];
                    let cmd = cmd.split(',').next().unwrap_or(cmd);
                    out.push(Code::Shell(Word { text: cmd.to_owned(), ..w.clone() }));
                }
            }
        }
        "at" | "batch" => {
            if let Some(t) = stdin_text {
                out.push(Code::Shell(Word::lit(t)));
            }
        }
        "git" => out.extend(git::nested(argv)),
        // `go test -exec CMD`, `go build -toolexec CMD`.
        "go" => {
            for w in option_values(argv, &["-exec", "-toolexec", "--exec", "--toolexec"], &["-o", "-C", "-p", "-run", "-bench", "-tags", "-ldflags", "-gcflags", "-mod", "-count", "-timeout"]) {
                out.push(Code::Shell(w));
            }
        }
        // `cargo --config KEY=VALUE`: runners, wrappers and linkers are programs it runs.
        "cargo" => {
            let runs =
                option_values(argv, &["--config"], &["-p", "--package", "--bin", "--example", "--features", "-F", "--target", "--manifest-path", "-j", "--jobs", "--profile", "-Z"]).iter().any(|w| {
                    let key = w.text.split('=').next().unwrap_or("").to_ascii_lowercase();
                    w.dynamic
                        || ["runner", "rustc", "rustc-wrapper", "rustc-workspace-wrapper", "linker", "rustdoc", "ar", "credential-provider", "global-credential-providers"]
                            .iter()
                            .any(|k| key.ends_with(k))
                        || key.starts_with("alias")
                });
            if runs {
                out.push(Code::Fact(fact::RUNS_CODE));
            }
            // `cargo clean --target-dir DIR` deletes DIR, wherever it is.
            if positionals(argv, &["-p", "--package", "--target", "--manifest-path", "--profile", "--target-dir", "--color", "-Z", "--config"]).first().is_some_and(|w| w.text == "clean") {
                for d in option_values(argv, &["--target-dir"], &["-p", "--package", "--target", "--manifest-path", "--profile", "--color", "-Z", "--config"]) {
                    out.push(Code::Shell(Word { text: format!("rm -rf -- {}", quote_word(&d)), ..d }));
                }
            }
        }
        // `cmake -E rm -rf PATH…`: its portable commands are the programs they stand for.
        "cmake" => {
            if let Some(line) = cmake_tool_command(argv) {
                out.push(Code::Shell(line));
            }
        }
        // `ansible HOSTS -m shell -a 'CMD'` (localhost included).
        "ansible" => {
            let module = option_values(argv, &["-m", "--module-name"], &["-i", "--inventory", "-u", "--user", "-e", "--extra-vars", "-f", "--forks"]);
            let args = option_values(argv, &["-a", "--args"], &["-i", "--inventory", "-u", "--user", "-e", "--extra-vars", "-f", "--forks"]);
            match module.first().map(|m| m.text.trim_start_matches("ansible.builtin.")) {
                Some("shell" | "command" | "raw") => out.extend(args.into_iter().map(Code::Shell)),
                Some("script" | "copy" | "template" | "file" | "lineinfile" | "blockinfile" | "cron" | "systemd" | "service" | "user" | "authorized_key") | None if !args.is_empty() => {
                    out.push(Code::Fact(fact::RUNS_CODE))
                }
                Some(_) if !args.is_empty() => out.push(Code::Fact(fact::RUNS_CODE)),
                _ => {}
            }
        }
        _ => {}
    }
    out
}

/// One `ssh -o` option: `ProxyCommand`, `LocalCommand`, `KnownHostsCommand` run a command line.
fn ssh_option(w: &Word) -> Option<Code> {
    let t = w.text.trim_start();
    let split = t.find(['=', ' ', '\t'])?;
    let key = t[..split].to_ascii_lowercase();
    let value = t[split + 1..].trim_start_matches(['=', ' ', '\t']);
    match key.as_str() {
        "proxycommand" | "localcommand" | "knownhostscommand" | "remotecommand" => {
            if value.eq_ignore_ascii_case("none") {
                None
            } else {
                Some(Code::Shell(Word { text: value.to_owned(), ..w.clone() }))
            }
        }
        "include" | "pkcs11provider" | "securitykeyprovider" => Some(Code::Fact(fact::RUNS_CODE)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<Word> {
        s.split(' ').map(Word::lit).collect()
    }

    fn shell_of(s: &str) -> Vec<String> {
        let argv = words(s);
        nested(&argv[0].text.clone(), &argv, None).into_iter().filter_map(|c| if let Code::Shell(w) = c { Some(w.text) } else { None }).collect()
    }

    fn runs_code(s: &str) -> bool {
        let argv = words(s);
        nested(&argv[0].text.clone(), &argv, None).iter().any(|c| matches!(c, Code::Fact(f) if f & fact::RUNS_CODE != 0))
    }

    #[test]
    fn every_family_program_is_known() {
        for f in FAMILIES {
            for n in f.programs {
                assert!(known(n), "{n}");
                assert!(family(n).is_some_and(|g| g.programs == f.programs), "{n}");
            }
        }
    }

    #[test]
    fn option_reader_spellings() {
        let v = |s: &str| option_values(&words(s), &["-e", "--rsh"], &["-f"]).into_iter().map(|w| w.text).collect::<Vec<_>>();
        assert_eq!(v("rsync -e X a b"), ["X"]);
        assert_eq!(v("rsync -avze X a b"), ["X"]);
        assert_eq!(v("rsync -eX a b"), ["X"]);
        assert_eq!(v("rsync --rsh=X a b"), ["X"]);
        assert_eq!(v("rsync --rsh X a b"), ["X"]);
        assert_eq!(v("rsync -f -e a b"), Vec::<String>::new());
        assert_eq!(v("rsync -- -e X"), Vec::<String>::new());
    }

    #[test]
    fn commands_run_through_options() {
        assert_eq!(shell_of("rsync -e sh-evil a b"), ["sh-evil"]);
        assert_eq!(shell_of("rsync --rsync-path=evil a b"), ["evil"]);
        assert_eq!(shell_of("tar --checkpoint=1 --checkpoint-action=exec=evil -cf a.tar x"), ["evil"]);
        assert_eq!(shell_of("tar --use-compress-program=evil -cf a.tar x"), ["evil"]);
        assert_eq!(shell_of("tar -I evil -cf a.tar x"), ["evil"]);
        assert_eq!(shell_of("zip a.zip x -T -TT evil"), ["evil"]);
        assert_eq!(shell_of("ssh -o ProxyCommand=evil host"), ["evil"]);
        assert_eq!(shell_of("ssh -oProxyCommand=evil host"), ["evil"]);
        assert_eq!(shell_of("scp -S evil a host:b"), ["evil"]);
        assert_eq!(shell_of("man -P evil ls"), ["evil"]);
        assert_eq!(shell_of("less +!evil file"), ["evil"]);
        assert_eq!(shell_of("socat TCP:h:1 EXEC:evil"), ["evil"]);
        assert_eq!(shell_of("nc -e /bin/sh h 1"), ["/bin/sh"]);
        assert_eq!(shell_of("ncat --sh-exec evil h 1"), ["evil"]);
        assert!(shell_of("rsync -av src/ dst/").is_empty());
        assert!(shell_of("tar -czf a.tgz src").is_empty());
        assert!(shell_of("ssh -o StrictHostKeyChecking=no host ls").is_empty());
    }

    #[test]
    fn code_ana_cannot_follow() {
        for s in [
            "vim -c :!evil x",
            "vim +:!evil x",
            "nvim --headless -c q",
            "emacs --batch --eval x",
            "gdb -ex shell ./a",
            "gdb -ex python ./a",
            "lldb -o script ./a",
            "gdb -batch -x s ./a",
            "make SHELL=/tmp/x",
            "ssh -F ./cfg host",
            "sed s/x/y/e f",
            "sed -e 1e\\ evil f",
            "awk BEGIN{system(\"x\")}",
        ] {
            assert!(runs_code(s), "{s}");
        }
        for s in ["vim +12 x", "vim x", "make -j4 test", "ssh -F /dev/null host", "sed -i s/x/y/g f", "awk {print$1} f", "gdb --version", "gdb -ex run -ex bt ./a", "lldb --batch -o run -o bt ./a"] {
            assert!(!runs_code(s), "{s}");
        }
    }
}
