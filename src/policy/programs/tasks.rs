//! Task runners: which file a runner reads its tasks from, which tasks a command runs, and the
//! commands those tasks hold (`task deploy` runs the `deploy` task of the nearest Taskfile.yml,
//! `poe clean` the `clean` task of pyproject.toml, `composer install` the install events of
//! composer.json, `honcho start` every line of the Procfile).
//!
//! A task's commands are what ana judges when the runner runs (see `crate::ondisk`), and when a
//! task file is written. Tasks that run other tasks (`deps`, `- task: x`, `@x`, a sequence of
//! names) are followed within the file. A file that does not parse counts whole: every command
//! it holds, as if every task ran. Nothing here does I/O.

use super::super::shell::{Word, quote};

/// What a task runner reads for one command.
#[derive(Debug, PartialEq, Eq)]
pub struct Runs {
    /// The file names it looks for, in its order, in the directory it runs in and each one above.
    pub files: &'static [&'static str],
    /// The file given on the command line (`task -t ci.yml`), instead of `files`.
    pub file: Option<String>,
    /// The directory given on the command line (`task -d svc`), where it looks instead.
    pub dir: Option<String>,
    /// The tasks it runs; `None` when ana cannot tell which (then every task counts).
    pub tasks: Option<Vec<String>>,
    /// Files it also runs when they exist, relative to where it runs (mise's file tasks).
    pub also: Vec<String>,
}

const TASKFILES: &[&str] = &[
    "Taskfile.yml",
    "taskfile.yml",
    "Taskfile.yaml",
    "taskfile.yaml",
    "Taskfile.dist.yml",
    "taskfile.dist.yml",
    "Taskfile.dist.yaml",
    "taskfile.dist.yaml",
    // taskipy's `task NAME` reads pyproject.toml's `[tool.taskipy.tasks]`.
    "pyproject.toml",
];
const PYPROJECT: &[&str] = &["pyproject.toml"];
const HATCH: &[&str] = &["hatch.toml", "pyproject.toml"];
const PIXI: &[&str] = &["pixi.toml", "pyproject.toml"];
const MISE: &[&str] = &["mise.toml", ".mise.toml", "mise.local.toml", ".mise.local.toml", ".config/mise.toml", ".config/mise/config.toml"];
const TOX: &[&str] = &["tox.ini", "tox.toml", "setup.cfg", "pyproject.toml"];
const PROCFILE: &[&str] = &["Procfile"];
const CARGO_MAKE: &[&str] = &["Makefile.toml"];
const DENO: &[&str] = &["deno.json", "deno.jsonc", "package.json"];
const COMPOSER: &[&str] = &["composer.json"];
const PRE_COMMIT: &[&str] = &[".pre-commit-config.yaml", ".pre-commit-config.yml"];
const LEFTHOOK: &[&str] = &["lefthook.yml", "lefthook.yaml", ".lefthook.yml", ".lefthook.yaml", "lefthook-local.yml", "lefthook-local.yaml"];
const RAKE: &[&str] = &["Rakefile", "rakefile", "Rakefile.rb", "rakefile.rb"];
const GRADLE: &[&str] = &["build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts"];
const GEMFILE: &[&str] = &["Gemfile"];
const NOX: &[&str] = &["noxfile.py"];
const INVOKE: &[&str] = &["tasks.py", "tasks/__init__.py"];
const FABRIC: &[&str] = &["fabfile.py"];
const BUILD_RS: &[&str] = &["build.rs"];
const FASTLANE: &[&str] = &["fastlane/Fastfile", "Fastfile"];
const CMAKE: &[&str] = &["CMakeLists.txt"];
const MESON: &[&str] = &["meson.build"];
const BAZEL: &[&str] = &["BUILD.bazel", "BUILD", "MODULE.bazel", "WORKSPACE"];
const ZIG: &[&str] = &["build.zig"];
const SWIFT: &[&str] = &["Package.swift"];
const DVC: &[&str] = &["dvc.yaml"];
const MLPROJECT: &[&str] = &["MLproject", "MLproject.yaml"];
/// Mix evaluates mix.exs (Elixir) on every task; sbt its build definition (Scala).
const MIX: &[&str] = &["mix.exs"];
const SBT: &[&str] = &["build.sbt", "project/plugins.sbt", "project/build.properties"];

/// The base names of the files [`runs`] can name: a task file runs in its own directory.
pub fn is_task_file(name: &str) -> bool {
    [
        TASKFILES, HATCH, PIXI, MISE, TOX, PROCFILE, CARGO_MAKE, DENO, COMPOSER, PRE_COMMIT, LEFTHOOK, RAKE, GRADLE, GEMFILE, NOX, INVOKE, FABRIC, BUILD_RS, FASTLANE, CMAKE, MESON, BAZEL, ZIG, SWIFT,
        DVC, MLPROJECT, MIX, SBT,
    ]
    .iter()
    .any(|l| l.iter().any(|f| f.rsplit('/').next() == Some(name)))
}

/// What the runner `program` reads when run with `args` (after the program's name); `wrapper`
/// is the runner a command is run through (`pdm run lint`: program `lint`, wrapper `pdm`).
pub fn runs(program: &str, wrapper: Option<&str>, args: &[Word]) -> Option<Runs> {
    // Words past the options (and their values) of the runner.
    let positionals = |values: &[&str]| -> Vec<&Word> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let t = args[i].text.as_str();
            if t == "--" {
                break;
            }
            if t.starts_with('-') && t.len() > 1 {
                i += if values.contains(&t) { 2 } else { 1 };
                continue;
            }
            out.push(&args[i]);
            i += 1;
        }
        out
    };
    let value = |names: &[&str]| -> Option<String> {
        args.iter().enumerate().find_map(|(i, w)| {
            let t = w.text.as_str();
            if names.contains(&t) { args.get(i + 1).map(|v| v.text.clone()) } else { names.iter().find_map(|n| t.strip_prefix(n).and_then(|r| r.strip_prefix('=')).map(str::to_owned)) }
        })
    };
    // Static names only: a computed one may be any task.
    let names = |words: &[&Word]| -> Option<Vec<String>> { words.iter().all(|w| !w.dynamic).then(|| words.iter().map(|w| w.text.clone()).collect()) };
    // Run through another runner: the command's name is the task's, if the file has one.
    let through = match wrapper {
        Some("pdm" | "rye") => Some(PYPROJECT),
        Some("hatch") => Some(HATCH),
        Some("pixi") => Some(PIXI),
        Some("mise" | "rtx") => Some(MISE),
        _ => None,
    };
    if let Some(files) = through {
        // `hatch run test:cov`: the script `cov` of the environment `test`.
        let name = program.rsplit(':').next().unwrap_or(program).to_owned();
        let also = if files == MISE { mise_file_tasks(std::slice::from_ref(&name)) } else { Vec::new() };
        return Some(Runs { files, file: None, dir: None, tasks: Some(vec![name]), also });
    }
    // Options that list, explain or set up the tasks instead of running one.
    let listing = || args.iter().any(|w| matches!(w.text.as_str(), "--list" | "-l" | "--list-all" | "-a" | "--help" | "-h" | "--version" | "--summary" | "--dry" | "-n" | "--init"));
    match program {
        "task" | "go-task" if !listing() => {
            let pos =
                positionals(&["-t", "--taskfile", "-d", "--dir", "-o", "--output", "-c", "--color", "--sort", "-C", "--concurrency", "--interval", "-I", "--output-group-begin", "--output-group-end"]);
            let tasks = if pos.is_empty() { Some(vec!["default".to_owned()]) } else { names(&pos) };
            Some(Runs { files: TASKFILES, file: value(&["-t", "--taskfile"]), dir: value(&["-d", "--dir"]), tasks, also: Vec::new() })
        }
        "poe" if !listing() => {
            let pos = positionals(&["-C", "--directory", "--root", "-e", "--executor"]);
            Some(Runs { files: PYPROJECT, file: None, dir: value(&["-C", "--directory", "--root"]), tasks: names(&pos[..pos.len().min(1)]), also: Vec::new() })
        }
        // pdm runs the `pre_NAME` and `post_NAME` scripts of its own commands.
        "pdm" => {
            let pos = positionals(&["-p", "--project", "-G", "--group", "-L", "--lockfile"]);
            let verb = pos.first().filter(|w| !w.dynamic && w.text != "run")?;
            Some(Runs { files: PYPROJECT, file: None, dir: value(&["-p", "--project"]), tasks: Some(vec![verb.text.clone()]), also: Vec::new() })
        }
        // hatch makes an environment (running its install commands) before it uses one.
        "hatch" if matches!(positionals(&["-e", "--env", "-p", "--project"]).first().map(|w| w.text.as_str()), Some("shell" | "env" | "test" | "fmt" | "run")) => {
            Some(Runs { files: HATCH, file: None, dir: None, tasks: Some(Vec::new()), also: Vec::new() })
        }
        "tox" => Some(Runs { files: TOX, file: value(&["-c", "--conf"]), dir: None, tasks: None, also: Vec::new() }),
        "nox" => Some(Runs { files: NOX, file: value(&["-f", "--noxfile"]), dir: None, tasks: None, also: Vec::new() }),
        "invoke" | "inv" => Some(Runs { files: INVOKE, file: None, dir: value(&["-r", "--search-root"]), tasks: None, also: Vec::new() }),
        "fab" => Some(Runs { files: FABRIC, file: value(&["-f", "--fabfile"]), dir: None, tasks: None, also: Vec::new() }),
        "honcho" | "foreman" | "overmind" | "hivemind" | "nf" => {
            Some(Runs { files: PROCFILE, file: value(&["-f", "--procfile"]), dir: value(&["-d", "--app-root", "--root"]), tasks: None, also: Vec::new() })
        }
        // CMake configures from the source directory's CMakeLists.txt (`-S DIR`, or a directory
        // given), runs a script with `-P FILE`; `--build` runs the custom commands it holds.
        "cmake" if !args.iter().any(|w| matches!(w.text.as_str(), "-E" | "--help" | "--version" | "--install" | "--system-information")) => {
            let script = value(&["-P"]);
            let pos = positionals(&[
                "-S",
                "-B",
                "-G",
                "-T",
                "-A",
                "-C",
                "-D",
                "-U",
                "-P",
                "--build",
                "--preset",
                "-j",
                "--parallel",
                "--target",
                "-t",
                "--config",
                "--toolchain",
                "--install-prefix",
                "--log-level",
            ]);
            let dir = value(&["-S"]).or_else(|| pos.first().filter(|w| !w.dynamic).map(|w| w.text.clone()));
            Some(Runs { files: CMAKE, file: script, dir, tasks: None, also: Vec::new() })
        }
        // Build systems whose build files run commands when they configure or build.
        "meson" | "muon" if !listing() => Some(Runs { files: MESON, file: None, dir: value(&["-C", "--sourcedir"]), tasks: None, also: Vec::new() }),
        "bazel" | "bazelisk" if !listing() => Some(Runs { files: BAZEL, file: None, dir: None, tasks: None, also: Vec::new() }),
        "zig" if args.first().is_some_and(|w| w.text == "build") => Some(Runs { files: ZIG, file: value(&["--build-file"]), dir: None, tasks: None, also: Vec::new() }),
        "swift" if args.first().is_some_and(|w| matches!(w.text.as_str(), "build" | "run" | "test" | "package")) => {
            Some(Runs { files: SWIFT, file: None, dir: value(&["--package-path"]), tasks: None, also: Vec::new() })
        }
        "makers" | "cargo-make" => Some(Runs { files: CARGO_MAKE, file: value(&["--makefile"]), dir: value(&["--cwd"]), tasks: None, also: Vec::new() }),
        "cargo" => {
            let pos = positionals(&[
                "-p",
                "--package",
                "--manifest-path",
                "--target",
                "--target-dir",
                "-j",
                "--jobs",
                "--features",
                "-F",
                "--profile",
                "--bin",
                "--example",
                "--test",
                "--bench",
                "-Z",
                "--config",
                "--color",
            ]);
            match pos.first().map(|w| w.text.as_str()) {
                Some("make") => Some(Runs { files: CARGO_MAKE, file: value(&["--makefile"]), dir: value(&["--cwd"]), tasks: None, also: Vec::new() }),
                // A build compiles and runs the package's build script first.
                Some("build" | "b" | "check" | "c" | "test" | "t" | "run" | "r" | "bench" | "doc" | "d" | "clippy" | "install" | "package" | "publish") => Some(Runs {
                    files: BUILD_RS,
                    file: None,
                    dir: value(&["--manifest-path"]).map(|m| m.rsplit_once('/').map_or(".".to_owned(), |(d, _)| d.to_owned())),
                    tasks: None,
                    also: Vec::new(),
                }),
                _ => None,
            }
        }
        "deno" => {
            let pos = positionals(&["--config", "-c", "--cwd"]);
            (pos.first().is_some_and(|w| w.text == "task") && pos.len() > 1).then(|| Runs {
                files: DENO,
                file: value(&["--config", "-c"]),
                dir: value(&["--cwd"]),
                tasks: names(&pos[1..2]),
                also: Vec::new(),
            })
        }
        "mise" | "rtx" => {
            let pos = positionals(&["-C", "--cd", "-E", "--env", "-j", "--jobs", "-t", "--tool"]);
            let at = match pos.first().map(|w| w.text.as_str()) {
                Some("run" | "r") => 1,
                Some("tasks") if pos.get(1).is_some_and(|w| w.text == "run") => 2,
                _ => return None,
            };
            let tasks = pos.get(at).and_then(|w| names(&[w]));
            // A file task (`.mise/tasks/build`) is a script of its own.
            let also = tasks.as_deref().map(mise_file_tasks).unwrap_or_default();
            Some(Runs { files: MISE, file: None, dir: value(&["-C", "--cd"]), tasks, also })
        }
        "composer" => {
            let pos = positionals(&["-d", "--working-dir"]);
            let verb = pos.first().map(|w| w.text.as_str())?;
            const AUTOLOAD: [&str; 2] = ["pre-autoload-dump", "post-autoload-dump"];
            let events: Vec<&str> = match verb {
                "run-script" | "run" => return Some(Runs { files: COMPOSER, file: None, dir: value(&["-d", "--working-dir"]), tasks: names(&pos[1..pos.len().min(2)]), also: Vec::new() }),
                "install" | "i" => ["pre-install-cmd", "post-install-cmd", "post-root-package-install"].into_iter().chain(AUTOLOAD).collect(),
                "update" | "u" | "upgrade" | "require" | "r" | "remove" | "rm" => ["pre-update-cmd", "post-update-cmd"].into_iter().chain(AUTOLOAD).collect(),
                "dump-autoload" | "dumpautoload" => AUTOLOAD.to_vec(),
                "create-project" => vec!["post-root-package-install", "post-create-project-cmd", "pre-install-cmd", "post-install-cmd"],
                "archive" => vec!["pre-archive-cmd", "post-archive-cmd"],
                // A script run by its own name (`composer test`).
                v if !pos[0].dynamic => vec![v],
                _ => return Some(Runs { files: COMPOSER, file: None, dir: None, tasks: None, also: Vec::new() }),
            };
            Some(Runs { files: COMPOSER, file: None, dir: value(&["-d", "--working-dir"]), tasks: Some(events.into_iter().map(str::to_owned).collect()), also: Vec::new() })
        }
        "pre-commit" | "prek" => {
            let pos = positionals(&["-c", "--config", "--hook-stage", "--from-ref", "--to-ref", "-s", "-o", "--files"]);
            matches!(pos.first().map(|w| w.text.as_str()), Some("run" | "try-repo" | "hook-impl")).then(|| Runs {
                files: PRE_COMMIT,
                file: value(&["-c", "--config"]),
                dir: None,
                tasks: None,
                also: Vec::new(),
            })
        }
        "lefthook" => positionals(&[]).first().is_some_and(|w| w.text == "run").then_some(Runs { files: LEFTHOOK, file: None, dir: None, tasks: None, also: Vec::new() }),
        "rake" if !listing() => Some(Runs { files: RAKE, file: value(&["-f", "--rakefile"]), dir: value(&["-C", "--directory"]), tasks: None, also: Vec::new() }),
        "gradle" | "gradlew" => Some(Runs { files: GRADLE, file: value(&["-b", "--build-file"]), dir: value(&["-p", "--project-dir"]), tasks: None, also: Vec::new() }),
        // fastlane runs the lanes of its Fastfile (Ruby).
        "fastlane" if !listing() => Some(Runs { files: FASTLANE, file: None, dir: None, tasks: None, also: Vec::new() }),
        // DVC runs its pipeline's stages (`dvc repro`, `dvc exp run`, `dvc queue start` later).
        "dvc" => {
            let pos = positionals(&["-R", "--recursive", "-n", "--name", "-S", "--set-param", "-j", "--jobs", "--pipeline", "-p"]);
            let first: Vec<&str> = pos.iter().take(2).map(|w| w.text.as_str()).collect();
            matches!(first.as_slice(), ["repro", ..] | ["exp", "run", ..] | ["experiments", "run", ..] | ["stage", "run", ..]).then_some(Runs {
                files: DVC,
                file: None,
                dir: None,
                tasks: None,
                also: Vec::new(),
            })
        }
        // `mlflow run DIR`: the entry points of the project's MLproject.
        "mlflow" => {
            let pos = positionals(&[
                "-e",
                "--entry-point",
                "-v",
                "--version",
                "-P",
                "--param-list",
                "-A",
                "--docker-args",
                "--experiment-name",
                "--experiment-id",
                "-b",
                "--backend",
                "-c",
                "--backend-config",
                "--env-manager",
                "--storage-dir",
                "--run-id",
                "--run-name",
                "--build-image",
            ]);
            (pos.first().is_some_and(|w| w.text == "run")).then(|| Runs { files: MLPROJECT, file: None, dir: pos.get(1).filter(|w| !w.dynamic).map(|w| w.text.clone()), tasks: None, also: Vec::new() })
        }
        // Mix evaluates mix.exs on every task (its aliases are tasks of their own: `cmd …` runs a
        // shell line); `iex -S mix` runs one; sbt loads its build definition.
        "mix" if !listing() => Some(Runs { files: MIX, file: None, dir: None, tasks: None, also: Vec::new() }),
        "iex" if args.windows(2).any(|w| w[0].text == "-S" && w[1].text == "mix") => Some(Runs { files: MIX, file: None, dir: None, tasks: None, also: Vec::new() }),
        "sbt" | "sbtn" if !listing() => Some(Runs { files: SBT, file: None, dir: None, tasks: None, also: Vec::new() }),
        // Bundler evaluates the Gemfile (Ruby) on every command.
        "bundle" | "bundler" => Some(Runs { files: GEMFILE, file: value(&["--gemfile"]), dir: None, tasks: None, also: Vec::new() }),
        _ => None,
    }
}

/// mise's file tasks of these names: scripts of their own (`.mise/tasks/build`).
fn mise_file_tasks(tasks: &[String]) -> Vec<String> {
    tasks.iter().filter(|t| !t.contains(['/', '.'])).flat_map(|t| [".mise/tasks", "mise-tasks", ".mise-tasks", ".config/mise/tasks"].map(|d| format!("{d}/{t}"))).collect()
}

/// The shell commands of the tasks `tasks` of a task file (`name` is its base name, `text` what
/// it holds), and of the tasks they run; every command of the file when `tasks` is `None` or
/// the file does not parse. `None` for a file that is code (a Rakefile, tasks.py), which is
/// judged as code.
pub fn commands(name: &str, text: &str, tasks: Option<&[String]>) -> Option<Vec<String>> {
    match name {
        _ if name.starts_with("Taskfile") || name.starts_with("taskfile") => Some(yaml_tasks(text, tasks)),
        "pyproject.toml" | "hatch.toml" | "pixi.toml" | "Makefile.toml" | "tox.toml" => Some(toml_tasks(name, text, tasks)),
        _ if MISE.iter().any(|m| m.rsplit('/').next() == Some(name)) => Some(toml_tasks(name, text, tasks)),
        "deno.json" | "deno.jsonc" | "composer.json" => Some(json_tasks(name, text, tasks)),
        "tox.ini" | "setup.cfg" => Some(ini_commands(text)),
        _ if name.starts_with("Procfile") => Some(text.lines().filter_map(|l| l.split_once(':')).filter(|(k, _)| !k.trim_start().starts_with('#')).map(|(_, v)| v.trim().to_owned()).collect()),
        _ if PRE_COMMIT.contains(&name) => Some(yaml_values(text, &["entry"])),
        // A stage's `cmd:` is a command or a list of them; an entry point's `command:` one.
        "dvc.yaml" => Some(yaml_values(text, &["cmd"])),
        _ if MLPROJECT.contains(&name) => Some(yaml_values(text, &["command"])),
        _ if LEFTHOOK.contains(&name) || name.starts_with("lefthook") => Some(yaml_values(text, &["run"])),
        // A file named otherwise, read by what it holds (an included `ops/Tasks.yml`, hooks in
        // `ci/pc.yaml`): all of it, for which of its tasks run is not known.
        _ => shape(name, text).and_then(|as_name| commands(as_name, text, None)),
    }
}

/// Git hook names, the top-level keys of a lefthook configuration.
const HOOK_KEYS: &[&str] = &["pre-commit", "pre-push", "commit-msg", "prepare-commit-msg", "post-commit", "post-checkout", "post-merge", "pre-rebase", "post-rewrite", "pre-merge-commit"];

/// The task file a text under another name reads as, by its top-level keys: a Taskfile
/// (`tasks:`), a pre-commit configuration (`repos:` with `entry:`), a lefthook configuration
/// (hook names with `run:`), a TOML task table (`[tasks.x]`, cargo-make's and mise's).
pub fn shape(name: &str, text: &str) -> Option<&'static str> {
    let top = |k: &str| text.lines().any(|l| l.strip_prefix(k).is_some_and(|r| r.trim().is_empty() || r.trim_start().starts_with('#')));
    if name.ends_with(".yml") || name.ends_with(".yaml") {
        if top("tasks:") {
            return Some("Taskfile.yml");
        }
        if top("repos:") && (text.contains("entry:") || text.contains("hooks:")) {
            return Some(".pre-commit-config.yaml");
        }
        if text.contains("run:") && HOOK_KEYS.iter().any(|h| top(&format!("{h}:"))) {
            return Some("lefthook.yml");
        }
    }
    if name.ends_with(".toml") && text.parse::<toml::Table>().ok()?.get("tasks").is_some_and(toml::Value::is_table) {
        return Some("Makefile.toml");
    }
    None
}

/// The files a task file, Compose file or build script pulls in, as it names them (relative to
/// its directory; `*` in a pattern; an address for one fetched from another machine): Taskfile
/// `includes:`, Compose `include:`, lefthook `extends:` and `remotes:`, just's `import` and
/// `mod`, make's `include`, Ruby's `eval_gemfile`, `import`, `load`, `require_relative`,
/// `gemspec` (the directory's `*.gemspec`), Gradle's `apply from:`.
pub fn includes(name: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    if name.ends_with(".yml") || name.ends_with(".yaml") {
        let mut under: Option<&str> = None;
        for l in text.lines() {
            if l.trim().is_empty() || l.trim_start().starts_with('#') {
                continue;
            }
            if indent(l) == 0 && !l.starts_with("- ") {
                under = ["includes:", "include:", "extends:", "remotes:"].into_iter().find(|k| l.trim_end().starts_with(k)).map(|k| k.trim_end_matches(':'));
                // `extends: [a.yml, b.yml]`, `include: x.yaml`
                if let Some((_, v)) = l.split_once(':')
                    && under.is_some()
                    && !v.trim().is_empty()
                {
                    out.extend(v.trim().trim_matches(['[', ']']).split(',').map(unquote).filter(|v| !v.is_empty()));
                }
                continue;
            }
            let Some(key) = under else { continue };
            let t = l.trim_start();
            match (key, yaml_pair(l)) {
                // `ns: ./path`, `ns: {taskfile: ./path}`, `taskfile: ./path`
                ("includes", Some((k, v))) => {
                    let v = v.trim();
                    let v = v.strip_prefix('{').map_or(v, |m| m.split("taskfile:").nth(1).unwrap_or("").split([',', '}']).next().unwrap_or(""));
                    let p = unquote(v);
                    let a_path = k == "taskfile" || p.ends_with(".yml") || p.ends_with(".yaml") || p.starts_with("./") || p.starts_with("../") || p.contains("://");
                    if !p.is_empty() && a_path && !matches!(k, "dir" | "optional" | "internal" | "aliases" | "vars" | "flatten" | "excludes") {
                        if p.ends_with(".yml") || p.ends_with(".yaml") || p.contains("://") {
                            out.push(p);
                        } else {
                            out.extend(["Taskfile.yml", "Taskfile.yaml", "taskfile.yml", "taskfile.yaml"].map(|f| format!("{}/{f}", p.trim_end_matches('/'))));
                        }
                    }
                }
                ("include", Some(("path" | "env_file", v))) => out.extend(v.trim().trim_matches(['[', ']']).split(',').map(unquote).filter(|v| !v.is_empty())),
                ("remotes", Some(("git_url", v))) => out.push(unquote(v)),
                // `- path`, `- https://…` (an address's `:` reads as a key)
                ("include" | "extends", _) if t.starts_with("- ") && (yaml_pair(l).is_none() || t.contains("://")) => out.push(unquote(&t[2..])),
                _ => {}
            }
        }
    }
    // just's `import 'x'`, `import? 'x'`, `!include x`, and modules (`mod x 'path'`).
    if name.eq_ignore_ascii_case("justfile") || name == ".justfile" || name.ends_with(".just") {
        for l in text.lines().map(str::trim) {
            let rest = l.strip_prefix("import?").or_else(|| l.strip_prefix("import ")).or_else(|| l.strip_prefix("!include ")).or_else(|| l.strip_prefix("mod? ")).or_else(|| l.strip_prefix("mod "));
            let Some(rest) = rest else { continue };
            let rest = rest.trim();
            match rest.find(['\'', '"']) {
                Some(q) => out.extend(rest[q + 1..].split(['\'', '"']).next().filter(|v| !v.is_empty()).map(str::to_owned)),
                None if l.starts_with("!include") => out.push(rest.to_owned()),
                // `mod x`: `x.just` or `x/mod.just` beside it.
                None => {
                    let m = rest.trim_end_matches(['{', ' ']).to_owned();
                    out.extend([format!("{m}.just"), format!("{m}/mod.just"), format!("{m}/justfile")]);
                }
            }
        }
    }
    // make's `include`, `-include`, `sinclude` (a name holding a variable is left out).
    if matches!(name, "Makefile" | "makefile" | "GNUmakefile") || name.ends_with(".mk") {
        for l in text.lines() {
            let Some(rest) = ["include ", "-include ", "sinclude "].iter().find_map(|k| l.strip_prefix(k)) else { continue };
            out.extend(rest.split_whitespace().take_while(|w| !w.starts_with('#')).filter(|w| !w.contains('$')).map(str::to_owned));
        }
    }
    let ruby = matches!(name, "Gemfile" | "Rakefile" | "rakefile" | "Rakefile.rb" | "gems.rb") || name.ends_with(".rake") || name.ends_with(".rb");
    let gradle = name.ends_with(".gradle") || name.ends_with(".gradle.kts");
    if ruby || gradle {
        for l in text.lines().map(str::trim) {
            if ruby && (l == "gemspec" || l.starts_with("gemspec ") || l.starts_with("gemspec(")) {
                out.push("*.gemspec".to_owned());
                continue;
            }
            let arg = if ruby {
                ["eval_gemfile", "import", "load", "require_relative"].iter().find_map(|k| l.strip_prefix(k).filter(|r| r.starts_with([' ', '('])))
            } else {
                l.strip_prefix("apply").filter(|r| r.starts_with([' ', '('])).and_then(|r| r.split_once("from").map(|(_, v)| v.trim_start_matches([' ', ':', '=', '('])))
            };
            let Some(arg) = arg else { continue };
            let arg = arg.trim().trim_start_matches('(').trim();
            let Some(q) = arg.chars().next().filter(|c| matches!(c, '\'' | '"')) else { continue };
            let Some(v) = arg[1..].split(q).next().filter(|v| !v.is_empty() && !v.contains("#{")) else { continue };
            // `require_relative 'lib/x'` loads `lib/x.rb`.
            out.push(if l.starts_with("require_relative") && !v.ends_with(".rb") { format!("{v}.rb") } else { v.to_owned() });
        }
    }
    out
}

/// A YAML scalar as written: quotes taken off.
fn unquote(v: &str) -> String {
    let v = v.trim();
    let v = v.split(" #").next().unwrap_or(v).trim();
    if v.len() >= 2 && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\''))) {
        let inner = &v[1..v.len() - 1];
        if v.starts_with('\'') { inner.replace("''", "'") } else { inner.replace("\\\"", "\"").replace("\\\\", "\\") }
    } else {
        v.to_owned()
    }
}

fn indent(l: &str) -> usize {
    l.len() - l.trim_start().len()
}

/// `key: value` of a YAML line (`- key: value` too), the key bare.
fn yaml_pair(l: &str) -> Option<(&str, &str)> {
    let t = l.trim_start().trim_start_matches("- ").trim_start();
    let (k, v) = t.split_once(':')?;
    let k = k.trim().trim_matches(['"', '\'']);
    (!k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))).then_some((k, v))
}

/// Every value of the keys `keys`, anywhere in a YAML text, block scalars included.
fn yaml_values(text: &str, keys: &[&str]) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some((k, v)) = yaml_pair(l)
            && keys.contains(&k)
        {
            out.push(scalar_at(&lines, i, v));
        }
    }
    out
}

/// The scalar of line `i` whose text after the key is `v`: the text itself, or a block scalar
/// (`|`, `>`) of the lines indented below it.
fn scalar_at(lines: &[&str], i: usize, v: &str) -> String {
    let v = v.trim();
    // A list below the key (`cmd:` then `- a`, `- b`): its items, one a line.
    if v.is_empty() || v.starts_with('#') {
        let base = indent(lines[i]);
        let items: Vec<String> = lines[i + 1..]
            .iter()
            .take_while(|l| l.trim().is_empty() || indent(l) > base || (indent(l) == base && l.trim_start().starts_with("- ")))
            .filter_map(|l| l.trim_start().strip_prefix("- "))
            .map(|item| unquote(item.trim()))
            .collect();
        return items.join("\n");
    }
    if v.starts_with('[') && v.ends_with(']') {
        return v[1..v.len() - 1].split(',').map(|item| unquote(item.trim())).collect::<Vec<_>>().join("\n");
    }
    if v.starts_with('|') || v.starts_with('>') {
        let base = indent(lines[i]);
        lines[i + 1..].iter().take_while(|l| l.trim().is_empty() || indent(l) > base).map(|l| l.trim()).collect::<Vec<_>>().join("\n")
    } else {
        unquote(v)
    }
}

/// The commands of a Taskfile's tasks `tasks` (and those they run), as go-task reads them:
/// `cmds` (strings, `cmd:`, block scalars), `cmd`, `status`, `preconditions`, `sh:` values
/// (dynamic variables, run whatever the task), `deps` and `- task: NAME` followed.
fn yaml_tasks(text: &str, tasks: Option<&[String]>) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    // Data, not commands: the lists of these keys.
    const DATA: &[&str] =
        &["sources", "generates", "aliases", "platforms", "requires", "includes", "vars", "env", "dotenv", "set", "shopt", "label", "desc", "summary", "prompt", "dir", "method", "run"];
    // Each task: its name, the command of its `name: cmd` shorthand, and its lines; the file's
    // own `vars:`/`env:` go with every task.
    let mut blocks: Vec<(String, Option<String>, Vec<usize>)> = Vec::new();
    let mut global: Vec<usize> = Vec::new();
    let mut in_tasks = false;
    let mut task_indent = None;
    for (i, l) in lines.iter().enumerate() {
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            continue;
        }
        let ind = indent(l);
        if ind == 0 {
            in_tasks = l.trim_end() == "tasks:";
            task_indent = None;
            if !in_tasks {
                global.push(i);
            }
            continue;
        }
        if !in_tasks {
            global.push(i);
            continue;
        }
        if ind == *task_indent.get_or_insert(ind) {
            let (name, inline) = l.trim().split_once(':').unwrap_or((l.trim(), ""));
            let inline = (!inline.trim().is_empty()).then(|| scalar_at(&lines, i, inline));
            blocks.push((name.trim().trim_matches(['"', '\'']).to_owned(), inline, Vec::new()));
        } else if let Some(b) = blocks.last_mut() {
            b.2.push(i);
        }
    }
    let commands_of = |idx: &[usize]| -> (Vec<String>, Vec<String>) {
        let (mut cmds, mut refs) = (Vec::new(), Vec::new());
        // The key each line is under, by indent.
        let mut keys: Vec<(usize, String)> = Vec::new();
        let mut skip_below: Option<usize> = None;
        for &i in idx {
            let l = lines[i];
            let ind = indent(l);
            if let Some(s) = skip_below {
                if ind > s {
                    continue;
                }
                skip_below = None;
            }
            keys.retain(|(k, _)| *k < ind);
            let item = l.trim_start().starts_with("- ") || l.trim() == "-";
            let under = keys.last().map(|(_, k)| k.as_str()).unwrap_or("");
            match yaml_pair(l) {
                Some((k, v)) => {
                    let v = v.trim();
                    match k {
                        "cmd" | "sh" => cmds.push(scalar_at(&lines, i, v)),
                        "task" => refs.push(unquote(v)),
                        "cmds" | "status" | "preconditions" if !v.is_empty() && !v.starts_with('[') => cmds.push(scalar_at(&lines, i, v)),
                        "cmds" | "status" | "preconditions" => cmds.extend(v.trim_matches(['[', ']']).split(',').map(unquote).filter(|s| !s.is_empty())),
                        "deps" if v.starts_with('[') => refs.extend(v.trim_matches(['[', ']']).split(',').map(unquote).filter(|s| !s.is_empty())),
                        _ => {}
                    }
                    if v.starts_with('|') || v.starts_with('>') {
                        skip_below = Some(ind);
                    }
                    if !item || v.is_empty() {
                        keys.push((ind + if item { 2 } else { 0 }, k.to_owned()));
                    }
                }
                None if item => {
                    let v = l.trim_start()[1..].trim();
                    if under == "deps" {
                        refs.push(unquote(v));
                    } else if !DATA.contains(&under) {
                        cmds.push(scalar_at(&lines, i, v));
                        if v.starts_with('|') || v.starts_with('>') {
                            skip_below = Some(ind);
                        }
                    }
                }
                None => {}
            }
        }
        (cmds, refs)
    };
    let mut out = commands_of(&global).0;
    let every = |out: &mut Vec<String>| {
        for (_, inline, idx) in &blocks {
            out.extend(inline.clone());
            out.extend(commands_of(idx).0);
        }
    };
    match tasks {
        Some(wanted) => {
            let mut queue: Vec<String> = wanted.to_vec();
            let mut seen: Vec<String> = Vec::new();
            while let Some(name) = queue.pop() {
                if seen.contains(&name) || seen.len() > 64 {
                    continue;
                }
                seen.push(name.clone());
                // A name go-task does not find in the file may be an include's (`ns:task`) or
                // a wildcard task's: every task counts.
                let Some((_, inline, idx)) = blocks.iter().find(|(n, _, _)| *n == name) else {
                    every(&mut out);
                    return out;
                };
                out.extend(inline.clone());
                let (cmds, refs) = commands_of(idx);
                out.extend(cmds);
                queue.extend(refs);
            }
            out
        }
        None => {
            every(&mut out);
            out
        }
    }
}

/// The table of tasks of a TOML task file, by the runner that reads it.
fn toml_tasks(name: &str, text: &str, tasks: Option<&[String]>) -> Vec<String> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        // Not TOML: every quoted string of the file counts.
        return text.lines().filter_map(|l| l.split_once('=')).map(|(_, v)| unquote(v.trim().trim_matches(['[', ']']))).filter(|v| !v.is_empty()).collect();
    };
    let get = |path: &[&str]| -> Option<&toml::Table> {
        let mut t = &doc;
        for p in path {
            t = t.get(*p)?.as_table()?;
        }
        Some(t)
    };
    let mut tables: Vec<&toml::Table> = Vec::new();
    match name {
        "pyproject.toml" => {
            for p in [&["tool", "poe", "tasks"][..], &["tool", "pdm", "scripts"], &["tool", "rye", "scripts"], &["tool", "taskipy", "tasks"], &["tool", "pixi", "tasks"], &["tool", "hatch", "scripts"]]
            {
                tables.extend(get(p));
            }
            if let Some(envs) = get(&["tool", "hatch", "envs"]) {
                tables.extend(envs.values().filter_map(|e| e.get("scripts")?.as_table()));
            }
            if let Some(tox) = get(&["tool", "tox"]) {
                let mut out = Vec::new();
                toml_strings(&toml::Value::Table(tox.clone()), &mut out, 0);
                return out;
            }
        }
        "hatch.toml" => {
            if let Some(envs) = get(&["envs"]) {
                tables.extend(envs.values().filter_map(|e| e.get("scripts")?.as_table()));
            }
        }
        "tox.toml" => {
            let mut out = Vec::new();
            toml_strings(&toml::Value::Table(doc.clone()), &mut out, 0);
            return out;
        }
        _ => tables.extend(get(&["tasks"])),
    }
    // hatch runs an environment's install commands when it makes it, whatever then runs.
    let mut out = Vec::new();
    let hatch_envs = match name {
        "pyproject.toml" => get(&["tool", "hatch", "envs"]),
        "hatch.toml" => get(&["envs"]),
        _ => None,
    };
    if let Some(envs) = hatch_envs {
        for key in ["pre-install-commands", "post-install-commands"] {
            out.extend(envs.values().filter_map(|e| e.get(key)?.as_array()).flatten().filter_map(toml::Value::as_str).map(str::to_owned));
        }
    }
    for table in tables {
        let mut queue: Vec<String> = match tasks {
            Some(t) => t.iter().flat_map(|n| [n.clone(), format!("pre_{n}"), format!("post_{n}")]).collect(),
            None => table.keys().cloned().collect(),
        };
        let mut seen: Vec<String> = Vec::new();
        while let Some(n) = queue.pop() {
            if seen.contains(&n) || seen.len() > 64 {
                continue;
            }
            seen.push(n.clone());
            let Some(v) = table.get(&n) else { continue };
            let (cmds, refs) = toml_task(v, table);
            out.extend(cmds);
            queue.extend(refs);
        }
    }
    out
}

/// Every string of a TOML value (a tox configuration: commands are lists of words).
fn toml_strings(v: &toml::Value, out: &mut Vec<String>, depth: usize) {
    if depth > 16 {
        return;
    }
    match v {
        toml::Value::String(s) => out.push(s.clone()),
        toml::Value::Array(a) if a.iter().all(toml::Value::is_str) && a.len() > 1 => out.push(a.iter().filter_map(toml::Value::as_str).map(quote).collect::<Vec<_>>().join(" ")),
        toml::Value::Array(a) => a.iter().for_each(|x| toml_strings(x, out, depth + 1)),
        toml::Value::Table(t) => t.values().for_each(|x| toml_strings(x, out, depth + 1)),
        _ => {}
    }
}

/// One task of a TOML table: its commands, and the names of the tasks it runs.
fn toml_task(v: &toml::Value, table: &toml::Table) -> (Vec<String>, Vec<String>) {
    let (mut cmds, mut refs) = (Vec::new(), Vec::new());
    // A string naming another task of the table runs it; otherwise it is a command.
    let text = |s: &str, cmds: &mut Vec<String>, refs: &mut Vec<String>| {
        let s = s.trim();
        let bare = s.trim_start_matches(['@', ':']);
        if table.contains_key(bare) {
            refs.push(bare.to_owned());
        } else {
            cmds.push(s.to_owned());
        }
    };
    match v {
        toml::Value::String(s) => text(s, &mut cmds, &mut refs),
        toml::Value::Array(a) => {
            for x in a {
                match x {
                    toml::Value::String(s) => text(s, &mut cmds, &mut refs),
                    other => {
                        let (c, r) = toml_task(other, table);
                        cmds.extend(c);
                        refs.extend(r);
                    }
                }
            }
        }
        toml::Value::Table(t) => {
            // cargo-make: `command` and its `args`.
            if let Some(c) = t.get("command").and_then(toml::Value::as_str) {
                // (cargo-make expands `${HOME}` in them.)
                let arg = |a: &str| match a.strip_prefix("${HOME}").or_else(|| a.strip_prefix("$HOME")) {
                    Some("") => "~".to_owned(),
                    Some(rest) => format!("~{}", quote(rest)),
                    None => quote(a),
                };
                let args: Vec<String> = t.get("args").and_then(toml::Value::as_array).map_or_else(Vec::new, |a| a.iter().filter_map(toml::Value::as_str).map(arg).collect());
                cmds.push(std::iter::once(c.to_owned()).chain(args).collect::<Vec<_>>().join(" "));
            }
            for key in ["cmd", "shell", "run", "script", "composite", "sequence", "chain", "ref", "depends", "deps", "dependencies", "run_task", "depends-on", "depends_on"] {
                let Some(x) = t.get(key) else { continue };
                let names_only = matches!(key, "ref" | "depends" | "deps" | "dependencies" | "run_task" | "depends-on" | "depends_on");
                match x {
                    // A `cmd` list is one command's words.
                    toml::Value::Array(a) if key == "cmd" && a.iter().all(toml::Value::is_str) => cmds.push(a.iter().filter_map(toml::Value::as_str).map(quote).collect::<Vec<_>>().join(" ")),
                    toml::Value::String(s) if names_only => refs.push(s.clone()),
                    toml::Value::Array(a) if names_only => refs.extend(a.iter().filter_map(|v| v.as_str().map(str::to_owned).or_else(|| v.get("task")?.as_str().map(str::to_owned)))),
                    toml::Value::Table(r) if key == "run_task" => refs.extend(r.get("name").and_then(toml::Value::as_str).map(str::to_owned)),
                    // A script given as a Python callable (`pkg.mod:main`) is the project's code.
                    toml::Value::String(s) if key == "script" && !s.contains(' ') && s.contains(':') => {}
                    other => {
                        let (c, r) = toml_task(other, table);
                        cmds.extend(c);
                        refs.extend(r);
                    }
                }
            }
        }
        _ => {}
    }
    (cmds, refs)
}

/// The tasks of deno.json and the scripts of composer.json.
fn json_tasks(name: &str, text: &str, tasks: Option<&[String]>) -> Vec<String> {
    // deno.jsonc allows comments: lines that are only a comment are dropped before parsing.
    let cleaned: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let key = if name == "composer.json" { "scripts" } else { "tasks" };
    let table = match serde_json::from_str::<serde_json::Value>(&cleaned) {
        Ok(v) => match v.get(key).and_then(|t| t.as_object()) {
            Some(t) => t.clone(),
            None => return Vec::new(),
        },
        // Unparsed (a fragment an edit gives): every string value counts.
        Err(_) => return text.lines().filter_map(|l| l.split_once("\":")).map(|(_, v)| v.trim().trim_end_matches(',').trim_matches('"').to_owned()).collect(),
    };
    let mut queue: Vec<String> = match tasks {
        Some(t) => t.to_vec(),
        None => table.keys().cloned().collect(),
    };
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    while let Some(n) = queue.pop() {
        if seen.contains(&n) || seen.len() > 64 {
            continue;
        }
        seen.push(n.clone());
        let Some(v) = table.get(&n) else { continue };
        let items: Vec<&serde_json::Value> = match v {
            serde_json::Value::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        for item in items {
            match item {
                serde_json::Value::String(s) => {
                    let s = s.trim();
                    if let Some(r) = s.strip_prefix('@') {
                        // composer: `@other` runs a script; `@php x`, `@composer x` run those.
                        match r.split_once(' ') {
                            Some(("php" | "composer", _)) => out.push(r.to_owned()),
                            Some(("putenv", _)) => {}
                            _ => queue.push(r.to_owned()),
                        }
                    } else if !s.contains("::") || s.contains(' ') {
                        // (`Vendor\\Class::method`: a PHP callback, the project's code.)
                        out.push(s.to_owned());
                    }
                }
                serde_json::Value::Object(o) => {
                    out.extend(o.get("command").and_then(|c| c.as_str()).map(str::to_owned));
                    queue.extend(o.get("dependencies").and_then(|d| d.as_array()).into_iter().flatten().filter_map(|d| d.as_str().map(str::to_owned)));
                }
                _ => {}
            }
        }
    }
    out
}

/// The commands of tox's INI configuration: `commands`, `commands_pre`, `commands_post`, each
/// line of their values.
fn ini_commands(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_commands = false;
    for l in text.lines() {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        if t.starts_with('[') {
            in_commands = false;
            continue;
        }
        if !l.starts_with([' ', '\t']) {
            in_commands = false;
            if let Some((k, v)) = t.split_once('=') {
                let k = k.trim();
                // (tox runs its install command for every environment it makes.)
                in_commands = k.starts_with("commands") || matches!(k, "install_command" | "list_dependencies_command");
                if in_commands && !v.trim().is_empty() {
                    out.push(v.trim().to_owned());
                }
            }
        } else if in_commands {
            out.push(t.trim_start_matches('-').trim().to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<Word> {
        s.split_whitespace().map(Word::lit).collect()
    }

    #[test]
    fn a_taskfile_runs_the_named_task_and_what_it_calls() {
        let t = "version: '3'\nvars:\n  REV:\n    sh: git rev-parse HEAD\ntasks:\n  build:\n    deps: [gen]\n    cmds:\n      - go build ./...\n      - task: lint\n  gen:\n    cmds:\n      - cmd: go generate\n  lint: golangci-lint run\n  deploy:\n    cmds:\n      - |\n        git push --force origin main\n        echo done\n";
        let build = commands("Taskfile.yml", t, Some(&["build".to_owned()])).unwrap();
        assert!(build.contains(&"go build ./...".to_owned()), "{build:?}");
        assert!(build.contains(&"go generate".to_owned()), "{build:?}");
        assert!(build.contains(&"golangci-lint run".to_owned()), "{build:?}");
        assert!(build.contains(&"git rev-parse HEAD".to_owned()), "{build:?}");
        assert!(!build.iter().any(|c| c.contains("push")), "{build:?}");
        let deploy = commands("Taskfile.yml", t, Some(&["deploy".to_owned()])).unwrap();
        assert!(deploy.iter().any(|c| c.contains("git push --force origin main")), "{deploy:?}");
        let all = commands("Taskfile.yml", t, None).unwrap();
        assert!(all.iter().any(|c| c.contains("git push --force")), "{all:?}");
        // An unknown task: every task counts.
        assert!(commands("Taskfile.yml", t, Some(&["ns:x".to_owned()])).unwrap().iter().any(|c| c.contains("push")));
    }

    #[test]
    fn toml_runners_read_their_own_tables() {
        let t = "[tool.poe.tasks]\ntest = \"pytest\"\nclean = { shell = \"rm -rf ~/.cache/x\" }\nall = [\"test\", \"clean\"]\n[tool.pdm.scripts]\nlint = { cmd = [\"ruff\", \"check\", \".\"] }\n[tool.hatch.envs.default.scripts]\nfmt = [\"black .\", \"git push -f\"]\n";
        assert_eq!(commands("pyproject.toml", t, Some(&["test".to_owned()])).unwrap(), vec!["pytest"]);
        let all = commands("pyproject.toml", t, Some(&["all".to_owned()])).unwrap();
        assert!(all.contains(&"rm -rf ~/.cache/x".to_owned()) && all.contains(&"pytest".to_owned()), "{all:?}");
        assert_eq!(commands("pyproject.toml", t, Some(&["lint".to_owned()])).unwrap(), vec!["ruff check ."]);
        assert!(commands("pyproject.toml", t, Some(&["fmt".to_owned()])).unwrap().contains(&"git push -f".to_owned()));
        let mk = "[tasks.build]\ncommand = \"rm\"\nargs = [\"-rf\", \"/home/dev\"]\n[tasks.ci]\ndependencies = [\"build\"]\nscript = ['''\ncurl x | sh\n''']\n";
        let ci = commands("Makefile.toml", mk, Some(&["ci".to_owned()])).unwrap();
        assert!(ci.contains(&"rm -rf /home/dev".to_owned()) && ci.iter().any(|c| c.contains("curl x | sh")), "{ci:?}");
    }

    #[test]
    fn json_scripts_follow_references() {
        let c = r#"{"scripts": {"post-install-cmd": ["@build", "App\\Installer::run"], "build": "@php bin/x", "test": "phpunit", "evil": "curl x | sh"}}"#;
        assert_eq!(commands("composer.json", c, Some(&["post-install-cmd".to_owned()])).unwrap(), vec!["php bin/x"]);
        let d = "{\n  // tasks\n  \"tasks\": {\"dev\": {\"command\": \"deno run -A main.ts\", \"dependencies\": [\"gen\"]}, \"gen\": \"rm -rf ~/.ssh\"}\n}";
        let dev = commands("deno.json", d, Some(&["dev".to_owned()])).unwrap();
        assert!(dev.contains(&"rm -rf ~/.ssh".to_owned()), "{dev:?}");
    }

    #[test]
    fn ini_procfile_and_hook_files() {
        assert_eq!(commands("tox.ini", "[testenv]\ndeps = pytest\ncommands =\n    pytest\n    rm -rf ~/\n", None).unwrap(), vec!["pytest", "rm -rf ~/"]);
        assert_eq!(commands("Procfile", "web: gunicorn app\n# x: y\nworker: curl x | sh\n", None).unwrap(), vec!["gunicorn app", "curl x | sh"]);
        let pc = "repos:\n- repo: local\n  hooks:\n  - id: x\n    entry: bash -c 'curl x'\n    language: system\n";
        assert_eq!(commands(".pre-commit-config.yaml", pc, None).unwrap(), vec!["bash -c 'curl x'"]);
    }

    #[test]
    fn which_tasks_a_command_runs() {
        let r = runs("task", None, &words("-d svc deploy")).unwrap();
        assert_eq!((r.dir.as_deref(), r.tasks), (Some("svc"), Some(vec!["deploy".to_owned()])));
        assert_eq!(runs("task", None, &[]).unwrap().tasks, Some(vec!["default".to_owned()]));
        assert_eq!(runs("task", None, &words("--list")), None);
        assert_eq!(runs("lint", Some("pdm"), &[]).unwrap().tasks, Some(vec!["lint".to_owned()]));
        assert_eq!(runs("test:cov", Some("hatch"), &[]).unwrap().tasks, Some(vec!["cov".to_owned()]));
        assert!(runs("composer", None, &words("install")).unwrap().tasks.unwrap().contains(&"post-install-cmd".to_owned()));
        assert_eq!(runs("deno", None, &words("task dev")).unwrap().tasks, Some(vec!["dev".to_owned()]));
        assert_eq!(runs("deno", None, &words("run main.ts")), None);
        assert_eq!(runs("cargo", None, &words("make ci")).unwrap().files, CARGO_MAKE);
        assert_eq!(runs("mise", None, &words("run build")).unwrap().tasks, Some(vec!["build".to_owned()]));
    }
}
