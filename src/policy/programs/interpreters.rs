//! Interpreters: where their arguments hold code (`-c`, `-e`, `--eval=`, a code-running module),
//! a script file, or a script read from stdin, in every spelling of their options (clusters such
//! as `-Ic`, values such as `-W ignore` that are not the script, `--eval=CODE`).

use super::super::schema::fact;
use super::super::shell::Word;

/// How one interpreter family reads its options.
struct Lang {
    /// Short letters whose presence means the code is given inline (`-c`, `-e`).
    code_short: &'static [u8],
    /// Long options that carry inline code (`--eval`, `--print`, pwsh's `-Command`).
    code_long: &'static [&'static str],
    /// Short letters that take a value, attached (`-Wignore`) or as the next word (`-W ignore`).
    value_short: &'static [u8],
    /// Short letters that take the rest of their cluster as an optional value, never the next word.
    attached_short: &'static [u8],
    /// Long options that take the next word as their value unless written `--name=value`.
    value_long: &'static [&'static str],
    /// Single-dash long options, compared case-insensitively whole (pwsh).
    single_dash_long: bool,
    /// The short letter that names a module to run (`python -m`, `perl -M`).
    module_short: Option<u8>,
}

const PYTHON: Lang = Lang { code_short: b"c", code_long: &[], value_short: b"WXQ", attached_short: b"", value_long: &["--check-hash-based-pycs"], single_dash_long: false, module_short: Some(b'm') };
const PERL: Lang = Lang { code_short: b"eE", code_long: &[], value_short: b"Ix", attached_short: b"CdDFil0", value_long: &[], single_dash_long: false, module_short: Some(b'M') };
const RUBY: Lang = Lang {
    code_short: b"e",
    code_long: &[],
    value_short: b"rICEK",
    attached_short: b"FxTW0",
    value_long: &["--encoding", "--external-encoding", "--internal-encoding", "--enable", "--disable"],
    single_dash_long: false,
    module_short: None,
};
const NODE: Lang = Lang {
    code_short: b"ep",
    code_long: &["--eval", "--print"],
    value_short: b"rC",
    attached_short: b"",
    value_long: &[
        "--require",
        "--import",
        "--loader",
        "--experimental-loader",
        "--input-type",
        "--conditions",
        "--env-file",
        "--title",
        "--stack-size",
        "--max-old-space-size",
        "--experimental-default-type",
    ],
    single_dash_long: false,
    module_short: None,
};
const PHP: Lang = Lang {
    code_short: b"rBRFE",
    code_long: &["--run", "--process-begin", "--process-code", "--process-end"],
    value_short: b"cdftz",
    attached_short: b"",
    value_long: &["--php-ini", "--define", "--file", "--docroot", "--zend-extension"],
    single_dash_long: false,
    module_short: None,
};
const PWSH: Lang = Lang {
    code_short: b"",
    // Any unambiguous prefix of these is accepted (`-comm`, `-enc`); `-e` and `-ec` too.
    code_long: &["-command", "-encodedcommand", "-commandwithargs", "-ec", "-cwa"],
    value_short: b"",
    attached_short: b"",
    value_long: &[
        "-executionpolicy",
        "-ex",
        "-ep",
        "-workingdirectory",
        "-wd",
        "-configurationname",
        "-outputformat",
        "-of",
        "-inputformat",
        "-if",
        "-settingsfile",
        "-windowstyle",
        "-custompipename",
        "-file",
        "-f",
    ],
    single_dash_long: true,
    module_short: None,
};
/// `-e CODE` and nothing else known (lua, R, osascript, julia, elixir, groovy, …).
const GENERIC: Lang = Lang { code_short: b"e", code_long: &["--eval", "-eval", "--expression"], value_short: b"lI", attached_short: b"", value_long: &[], single_dash_long: false, module_short: None };

/// `spark-submit [OPTIONS] APP [ARGS]`: its options that take a value; the application, when a
/// Python or R file, is read as that language's script (a JAR is not read).
const SPARK: Lang = Lang {
    code_short: b"",
    code_long: &[],
    value_short: b"c",
    attached_short: b"",
    value_long: &[
        "--master",
        "--deploy-mode",
        "--class",
        "--name",
        "--jars",
        "--packages",
        "--exclude-packages",
        "--repositories",
        "--py-files",
        "--files",
        "--archives",
        "--conf",
        "--properties-file",
        "--driver-memory",
        "--driver-java-options",
        "--driver-library-path",
        "--driver-class-path",
        "--executor-memory",
        "--proxy-user",
        "--driver-cores",
        "--total-executor-cores",
        "--executor-cores",
        "--num-executors",
        "--principal",
        "--keytab",
        "--queue",
        "--kill",
        "--status",
        "--remote",
    ],
    single_dash_long: false,
    module_short: None,
};

/// Python modules that run code given on their command line (`-m timeit`, `pdb -c`) or read
/// from stdin; those that run a script file they are pointed at are [`LAUNCHERS`].
pub(crate) const CODE_MODULES: &[&str] = &["timeit", "pdb", "trace", "runpy", "code", "doctest", "IPython", "ipdb", "idlelib", "site"];

/// A program that runs a script file it is given in an interpreter of its own: distributed
/// launchers, profilers, app servers, batch schedulers.
struct Launcher {
    names: &'static [&'static str],
    /// Words that must come first (`accelerate launch`, `streamlit run`); empty for none.
    sub: &'static [&'static str],
    /// Options that take the next word as their value.
    values: &'static [&'static str],
    /// Options after which what runs is a module or a program, not a script file.
    not_a_file: &'static [&'static str],
    /// Whether the script is a shell script (a batch job) rather than Python.
    shell: bool,
}

const TORCHRUN_VALUES: &[&str] = &[
    "--nproc_per_node",
    "--nproc-per-node",
    "--nnodes",
    "--node_rank",
    "--node-rank",
    "--master_addr",
    "--master-addr",
    "--master_port",
    "--master-port",
    "--rdzv_backend",
    "--rdzv-backend",
    "--rdzv_endpoint",
    "--rdzv-endpoint",
    "--rdzv_id",
    "--rdzv-id",
    "--rdzv_conf",
    "--rdzv-conf",
    "--max_restarts",
    "--max-restarts",
    "--monitor_interval",
    "--monitor-interval",
    "--start_method",
    "--start-method",
    "--role",
    "--log_dir",
    "--log-dir",
    "-r",
    "--redirects",
    "-t",
    "--tee",
    "--local_addr",
    "--local-addr",
    "--logs_specs",
    "--logs-specs",
    "--local_ranks_filter",
    "--local-ranks-filter",
    "--event_log_handler",
    "--event-log-handler",
    "--numa_binding",
    "--numa-binding",
];

const ACCELERATE_VALUES: &[&str] = &[
    "--config_file",
    "--config-file",
    "--num_processes",
    "--num-processes",
    "--num_machines",
    "--num-machines",
    "--machine_rank",
    "--machine-rank",
    "--main_process_ip",
    "--main-process-ip",
    "--main_process_port",
    "--main-process-port",
    "--mixed_precision",
    "--mixed-precision",
    "--gpu_ids",
    "--gpu-ids",
    "--dynamo_backend",
    "--dynamo-backend",
    "--num_cpu_threads_per_process",
    "--deepspeed_config_file",
    "--zero_stage",
    "--offload_optimizer_device",
    "--offload_param_device",
    "--gradient_accumulation_steps",
    "--gradient_clipping",
    "--deepspeed_hostfile",
    "--deepspeed_exclusion_filter",
    "--deepspeed_inclusion_filter",
    "--deepspeed_multinode_launcher",
    "--fsdp_sharding_strategy",
    "--fsdp_config",
    "--fsdp_offload_params",
    "--fsdp_auto_wrap_policy",
    "--fsdp_transformer_layer_cls_to_wrap",
    "--fsdp_state_dict_type",
    "--fsdp_version",
    "--rdzv_backend",
    "--rdzv_conf",
    "--max_restarts",
    "--monitor_interval",
    "--tpu_cluster",
    "--tpu_vm",
    "--env",
    "--log_dir",
    "--project_dir",
    "--dynamo_mode",
    "--mpirun_hostfile",
    "--mpirun_ccl",
    "--megatron_lm_tp_degree",
    "--megatron_lm_pp_degree",
];

const LAUNCHERS: &[Launcher] = &[
    Launcher {
        names: &["torchrun", "torch.distributed.run", "torch.distributed.launch"],
        sub: &[],
        values: TORCHRUN_VALUES,
        not_a_file: &["-m", "--module", "--no_python", "--no-python"],
        shell: false,
    },
    Launcher { names: &["accelerate"], sub: &["launch"], values: ACCELERATE_VALUES, not_a_file: &["-m", "--module", "--no_python", "--no-python"], shell: false },
    Launcher { names: &["accelerate.commands.launch"], sub: &[], values: ACCELERATE_VALUES, not_a_file: &["-m", "--module", "--no_python", "--no-python"], shell: false },
    Launcher {
        names: &["deepspeed", "deepspeed.launcher.runner"],
        sub: &[],
        values: &[
            "-H",
            "--hostfile",
            "-i",
            "--include",
            "-e",
            "--exclude",
            "--num_nodes",
            "--num_gpus",
            "--num_accelerators",
            "--min_elastic_nodes",
            "--max_elastic_nodes",
            "--master_port",
            "--master_addr",
            "--launcher",
            "--launcher_args",
            "--ssh_port",
            "--bind_core_list",
            "--comment",
            "--venv_script",
            "--node_rank",
        ],
        not_a_file: &["--module", "--no_python", "--no-python"],
        shell: false,
    },
    Launcher {
        names: &["coverage"],
        sub: &["run"],
        values: &["--rcfile", "--source", "--include", "--omit", "--data-file", "--context", "--concurrency", "--debug"],
        not_a_file: &["-m", "--module"],
        shell: false,
    },
    Launcher { names: &["cProfile", "profile"], sub: &[], values: &["-o", "-s"], not_a_file: &["-m"], shell: false },
    Launcher {
        names: &["pyinstrument"],
        sub: &[],
        values: &["-o", "--outfile", "-r", "--renderer", "-p", "--render-option", "-i", "--interval", "--target-description"],
        not_a_file: &["-m", "-c", "--from-path"],
        shell: false,
    },
    Launcher {
        names: &["scalene"],
        sub: &[],
        values: &[
            "--outfile",
            "--profile-interval",
            "--cpu-percent-threshold",
            "--cpu-sampling-rate",
            "--malloc-threshold",
            "--program-path",
            "--profile-only",
            "--profile-exclude",
            "--reduced-profile",
            "--column-width",
        ],
        not_a_file: &["---", "-m"],
        shell: false,
    },
    Launcher { names: &["kernprof"], sub: &[], values: &["-o", "--outfile", "-u", "--unit", "-s", "--setup", "-p", "--prof-mod"], not_a_file: &["-m", "-c"], shell: false },
    Launcher {
        names: &["viztracer"],
        sub: &[],
        values: &["-o", "--output_file", "--tracer_entries", "--max_stack_depth", "--include_files", "--exclude_files", "--log_func_args"],
        not_a_file: &["-m", "-c", "--run"],
        shell: false,
    },
    Launcher { names: &["memray"], sub: &["run"], values: &["-o", "--output", "--native-traces", "--follow-fork", "--trace-python-allocators"], not_a_file: &["-m", "-c"], shell: false },
    Launcher {
        names: &["streamlit", "marimo", "chainlit", "solara", "fastapi", "flet"],
        sub: &["run"],
        values: &["--server.port", "--server.address", "--port", "--host", "--config"],
        not_a_file: &[],
        shell: false,
    },
    Launcher { names: &["marimo"], sub: &["edit"], values: &["--port", "--host", "--token-password"], not_a_file: &[], shell: false },
    Launcher { names: &["fastapi"], sub: &["dev"], values: &["--port", "--host", "--app", "--root-path"], not_a_file: &[], shell: false },
    Launcher { names: &["panel", "bokeh"], sub: &["serve"], values: &["--port", "--address", "--allow-websocket-origin", "--prefix", "--num-procs"], not_a_file: &[], shell: false },
    Launcher {
        names: &["gradio", "locust", "mprof"],
        sub: &[],
        values: &["--demo-name", "-H", "--host", "-u", "--users", "-r", "--spawn-rate", "-t", "--run-time", "--web-port"],
        not_a_file: &[],
        shell: false,
    },
    Launcher { names: &["modal"], sub: &["run"], values: &["--env", "-e", "--name"], not_a_file: &["-m"], shell: false },
    Launcher { names: &["modal"], sub: &["serve"], values: &["--env", "-e", "--name", "--timeout"], not_a_file: &["-m"], shell: false },
    Launcher { names: &["modal"], sub: &["deploy"], values: &["--env", "-e", "--name", "--tag"], not_a_file: &["-m"], shell: false },
    Launcher { names: &["modal"], sub: &["shell"], values: &["--env", "-e", "--cmd", "--image", "--gpu", "--cpu", "--memory"], not_a_file: &["-m"], shell: false },
    // (`uv run x.py` and `pdm run x.py` are peeled as wrappers, and their file given to Python.)
    Launcher {
        names: &["pipx"],
        sub: &["run"],
        values: &["--python", "-p", "--with", "--spec", "--index-url", "-i", "--env-file", "--project", "--directory", "--group", "--extra"],
        not_a_file: &["-m", "--module"],
        shell: false,
    },
    // App servers and task workers: the application they load, `module:attribute` or a
    // module (`uvicorn app.main:app`, `gunicorn wsgi:application`, `dramatiq tasks`).
    Launcher {
        names: &["uvicorn", "hypercorn", "granian", "daphne", "waitress-serve", "gunicorn"],
        sub: &[],
        values: &[
            "--host",
            "--port",
            "--uds",
            "--fd",
            "--reload-dir",
            "--reload-include",
            "--reload-exclude",
            "--reload-delay",
            "--workers",
            "--loop",
            "--http",
            "--ws",
            "--ws-max-size",
            "--ws-max-queue",
            "--ws-ping-interval",
            "--ws-ping-timeout",
            "--lifespan",
            "--interface",
            "--env-file",
            "--log-config",
            "--log-level",
            "--root-path",
            "--limit-concurrency",
            "--backlog",
            "--limit-max-requests",
            "--timeout-keep-alive",
            "--timeout-graceful-shutdown",
            "--ssl-keyfile",
            "--ssl-certfile",
            "--ssl-keyfile-password",
            "--ssl-version",
            "--ssl-cert-reqs",
            "--ssl-ca-certs",
            "--ssl-ciphers",
            "--header",
            "--app-dir",
            "--forwarded-allow-ips",
            "-b",
            "--bind",
            "-w",
            "-k",
            "--worker-class",
            "-c",
            "--config",
            "-p",
            "-u",
            "--unix-socket",
            "-e",
            "--endpoint",
            "--access-log",
            "--access-logfile",
            "--error-logfile",
            "--certfile",
            "--keyfile",
            "--threads",
            "-t",
            "--timeout",
            "--log-file",
            "--chdir",
            "--pythonpath",
            "--env",
            "-n",
            "--name",
            "--pid",
            "--user",
            "-g",
            "--group",
            "--max-requests",
            "--max-requests-jitter",
            "--graceful-timeout",
            "--keep-alive",
            "--worker-connections",
            "--statsd-host",
            "-m",
            "--umask",
        ],
        not_a_file: &[],
        shell: false,
    },
    Launcher {
        names: &["dramatiq", "huey_consumer", "huey_consumer.py", "arq", "rq"],
        sub: &[],
        values: &["-p", "--processes", "-t", "--threads", "--path", "-P", "-w", "--workers", "-k", "--worker-type", "-Q", "--queues", "--watch", "-l", "--logfile", "-u", "--url", "-c", "--config"],
        not_a_file: &[],
        shell: false,
    },
    Launcher {
        names: &["lightning"],
        sub: &["run", "model"],
        values: &["--accelerator", "--strategy", "--devices", "--num-nodes", "--num_nodes", "--node-rank", "--main-address", "--main-port", "--precision"],
        not_a_file: &[],
        shell: false,
    },
    Launcher {
        names: &["colossalai"],
        sub: &["run"],
        values: &["--nproc_per_node", "--host", "--hostfile", "--master_addr", "--master_port", "--include", "--exclude", "--num_nodes", "--ssh-port"],
        not_a_file: &[],
        shell: false,
    },
    // A notebook served as an app runs its cells.
    Launcher { names: &["voila"], sub: &[], values: &["--port", "--template", "--theme", "--strip_sources"], not_a_file: &[], shell: false },
    // A batch job's script: a shell script whose `#SBATCH` lines are comments to the shell.
    Launcher {
        names: &["sbatch", "qsub", "msub", "oarsub", "condor_qsub"],
        sub: &[],
        values: &[
            "-A",
            "--account",
            "-p",
            "--partition",
            "-t",
            "--time",
            "-J",
            "--job-name",
            "-N",
            "--nodes",
            "-n",
            "--ntasks",
            "-c",
            "--cpus-per-task",
            "-o",
            "--output",
            "-e",
            "--error",
            "-G",
            "--gpus",
            "--gres",
            "--mem",
            "--mem-per-cpu",
            "--mem-per-gpu",
            "-q",
            "--qos",
            "-d",
            "--dependency",
            "-D",
            "--chdir",
            "-w",
            "--nodelist",
            "-x",
            "--exclude",
            "-C",
            "--constraint",
            "-a",
            "--array",
            "--export",
            "-l",
            "-N",
            "-W",
            "-v",
            "-V",
            "-j",
            "-m",
            "-M",
            "-S",
            "-r",
            "-P",
            "--gpus-per-node",
            "--ntasks-per-node",
            "--reservation",
            "--mail-type",
            "--mail-user",
            "--signal",
            "--begin",
            "--comment",
            "-L",
            "--licenses",
        ],
        not_a_file: &["--wrap"],
        shell: true,
    },
];

/// App servers and workers that load the application an option names (`celery -A proj worker`,
/// `flask --app hello run`, `faust -A app worker`).
const APP_OPTIONS: &[(&[&str], &[&str])] = &[(&["celery", "faust"], &["-A", "--app"]), (&["flask"], &["--app", "-A"]), (&["rq"], &["--worker-class"])];

/// Where the program a launcher is told to run as it is (`torchrun --no-python CMD …`,
/// `accelerate launch --no_python CMD`) starts in `argv`.
pub fn launched_program(p: &str, argv: &[Word]) -> Option<usize> {
    if !argv.iter().any(|w| matches!(w.text.as_str(), "--no-python" | "--no_python")) {
        return None;
    }
    let l = LAUNCHERS.iter().find(|l| l.names.contains(&p))?;
    let mut i = 1 + l.sub.len();
    while let Some(w) = argv.get(i) {
        let a = w.text.as_str();
        if a == "--" {
            return argv.get(i + 1).map(|_| i + 1);
        }
        if !a.starts_with('-') || a == "-" {
            return Some(i);
        }
        i += if l.values.contains(&a) { 2 } else { 1 };
    }
    None
}

/// What a launcher runs: the index in `argv` of its script file (or of the module it is told to
/// run, `--module=x` included), and whether the file is a shell script (else Python); `None`
/// when it runs a program, or nothing it names.
pub fn launched(p: &str, argv: &[Word]) -> Option<(usize, bool)> {
    if let Some((_, options)) = APP_OPTIONS.iter().find(|(names, _)| names.contains(&p)) {
        for (i, w) in argv.iter().enumerate().skip(1) {
            let name = w.text.split_once('=').map_or(w.text.as_str(), |(n, _)| n);
            if options.contains(&name) {
                return if w.text.contains('=') { Some((i, false)) } else { argv.get(i + 1).map(|_| (i + 1, false)) };
            }
            // (A short option's value written on to it: `celery -Aproj worker`.)
            if !w.text.starts_with("--") && w.text.len() > 2 && options.iter().any(|o| o.len() == 2 && w.text.starts_with(o)) {
                return Some((i, false));
            }
        }
        if p != "rq" {
            return None;
        }
    }
    'entries: for l in LAUNCHERS.iter().filter(|l| l.names.contains(&p)) {
        let mut i = 1;
        for sub in l.sub {
            // (Options of the program's own may come before its subcommand.)
            while argv.get(i).is_some_and(|w| w.text.starts_with('-') && w.text.len() > 1) {
                i += 1;
            }
            if argv.get(i).is_none_or(|w| w.text != *sub) {
                continue 'entries;
            }
            i += 1;
        }
        while let Some(w) = argv.get(i) {
            let a = w.text.as_str();
            let name = a.split_once('=').map_or(a, |(n, _)| n);
            // A module of the project's (`accelerate launch -m pkg.train`): read as its file.
            if matches!(name, "-m" | "--module") && l.not_a_file.contains(&name) {
                return if a.contains('=') { Some((i, l.shell)) } else { argv.get(i + 1).map(|_| (i + 1, l.shell)) };
            }
            if l.not_a_file.contains(&name) {
                return None;
            }
            if a == "--" {
                i += 1;
                break;
            }
            if !a.starts_with('-') || a == "-" {
                break;
            }
            i += if l.values.contains(&a) { 2 } else { 1 };
        }
        let word = argv.get(i)?;
        // An option ana has no list for, whose value was taken for the script
        // (`--fancy 2 train.py`): the first word that names a Python file is.
        if !l.shell
            && !word.text.ends_with(".py")
            && !word.dynamic
            && let Some(k) = argv[i..].iter().position(|w| w.text.ends_with(".py") && !w.text.starts_with('-'))
        {
            return Some((i + k, l.shell));
        }
        // (`modal run app.py::main`: the file before the function.)
        return Some((i, l.shell));
    }
    None
}

/// Whether `p` is an interpreter whose arguments this module reads.
pub fn is_interpreter(p: &str) -> bool {
    lang(p).is_some()
}

/// Whether `p` is a Python interpreter (`python3`, `python3.12`, `pypy3`).
pub fn is_python(p: &str) -> bool {
    matches!(p.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.'), "python" | "pypy" | "python-dbg")
}

fn lang(p: &str) -> Option<&'static Lang> {
    let family = p.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    Some(match family {
        "python" | "pypy" | "ipython" | "python-dbg" | "pyspark" => &PYTHON,
        "perl" => &PERL,
        "ruby" | "jruby" | "truffleruby" | "irb" => &RUBY,
        "node" | "nodejs" | "bun" | "tsx" | "ts-node" => &NODE,
        "php" | "php-cli" => &PHP,
        "pwsh" | "powershell" => &PWSH,
        "deno" | "lua" | "luajit" | "Rscript" | "R" | "osascript" | "tclsh" | "wish" | "jshell" | "groovy" | "julia" | "elixir" | "iex" | "escript" | "erl" | "scala" | "kotlin" | "guile"
        | "racket" | "sbcl" | "clisp" | "gst" | "spark-shell" => &GENERIC,
        "spark-submit" => &SPARK,
        _ => return None,
    })
}

/// Whether PHP's option `-LETTER VALUE` makes it run code ana does not see: an ini setting that
/// runs a file before or after the script (`-d auto_prepend_file=/tmp/x.php`) or loads a native
/// extension (`-d extension=/tmp/x.so`, `-z x.so`), or an ini file that may do either (`-c F`).
fn php_loads_code(letter: u8, value: &str) -> bool {
    let key = value.split('=').next().unwrap_or("").trim().to_ascii_lowercase();
    // (`-c FILE`: an ini file, which may set any of these.)
    letter == b'z'
        || letter == b'c'
        || (letter == b'd'
            && matches!(
                key.as_str(),
                "auto_prepend_file" | "auto_append_file" | "extension" | "zend_extension" | "extension_dir" | "include_path" | "sendmail_path" | "opcache.preload" | "error_log" | "user_ini.filename"
            ))
}

/// What an interpreter's arguments say it runs.
#[derive(Debug, PartialEq, Eq)]
pub enum Script {
    /// Code given inline, or a module that runs code (`python -m timeit`).
    Inline,
    /// A script whose name is computed when the command runs (`<(…)`, `$X`, `/dev/fd/3`).
    Computed,
    /// A script file.
    File,
    /// A script fetched from a URL (`deno run https://…`).
    Remote,
    /// The script is read from stdin (`-`, `/dev/stdin`, or no script argument).
    Stdin,
    /// A program of its own (`python -m pytest`), or only a question (`python --version`).
    None,
}

/// Reads `argv` of interpreter `p`.
pub fn script(p: &str, argv: &[Word]) -> Script {
    read_script(p, argv).0
}

/// The index in `argv` of the script file interpreter `p` runs (`python3 -W ignore x.py`: 3), as
/// it reads its options.
pub fn script_file(p: &str, argv: &[Word]) -> Option<usize> {
    match read_script(p, argv) {
        (Script::File, at) => at,
        _ => None,
    }
}

/// [`script`], with the index of the script's word when there is one.
fn read_script(p: &str, argv: &[Word]) -> (Script, Option<usize>) {
    let Some(lang) = lang(p) else { return (Script::None, None) };
    let mut i = 1;
    // `deno eval CODE`, `deno run FILE`, `bun run FILE`, `bun -e`.
    if matches!(p, "deno" | "bun")
        && let Some(sub) = argv.iter().skip(1).find(|w| !w.text.starts_with('-'))
    {
        match sub.text.as_str() {
            "eval" | "repl" => return (Script::Inline, None),
            "run" | "x" | "test" | "bench" | "serve" => {}
            // `bun x.ts` runs the file; `bun install`, `bun build` are its own commands.
            _ if p == "bun" && !sub.text.contains(['.', '/']) => return (Script::None, None),
            _ => {}
        }
    }
    while i < argv.len() {
        let w = &argv[i];
        let a = w.text.as_str();
        if a == "--" {
            return (script_word(argv.get(i + 1)), Some(i + 1));
        }
        if a == "-" {
            return (Script::Stdin, None);
        }
        if lang.single_dash_long && a.starts_with('-') {
            let lower = a.to_ascii_lowercase();
            let (name, value) = lower.split_once(':').map_or((lower.as_str(), None), |(n, v)| (n, Some(v)));
            if name == "-file" || name == "-f" {
                return (script_word(argv.get(i + 1)), Some(i + 1));
            }
            if lang.value_long.contains(&name) {
                i += if value.is_none() { 2 } else { 1 };
                continue;
            }
            if name.len() >= 2 && lang.code_long.iter().any(|c| c.starts_with(name)) {
                return (Script::Inline, None);
            }
            i += 1;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            let name = long.split_once('=').map_or(a, |(n, _)| &a[..n.len() + 2]);
            if p.starts_with("php") && matches!(name, "--define" | "--zend-extension" | "--php-ini") {
                let value = long.split_once('=').map(|(_, v)| v).or_else(|| argv.get(i + 1).map(|w| w.text.as_str())).unwrap_or("");
                let letter = match name {
                    "--define" => b'd',
                    "--php-ini" => b'c',
                    _ => b'z',
                };
                if php_loads_code(letter, value) {
                    return (Script::Computed, None);
                }
            }
            if lang.code_long.contains(&name) {
                return (Script::Inline, None);
            }
            i += if lang.value_long.contains(&name) && !a.contains('=') { 2 } else { 1 };
            continue;
        }
        if a.starts_with('-') && a.len() > 1 {
            if lang.code_long.contains(&a) {
                return (Script::Inline, None);
            }
            let b = a.as_bytes();
            let mut k = 1;
            let mut skip_next = false;
            while k < b.len() {
                let c = b[k];
                if lang.code_short.contains(&c) {
                    return (Script::Inline, None);
                }
                if Some(c) == lang.module_short {
                    let module = if k + 1 < b.len() { Some(&a[k + 1..]) } else { argv.get(i + 1).map(|w| w.text.as_str()) };
                    let found = match module {
                        Some(_) if argv.get(i + 1).is_some_and(|w| w.dynamic) && k + 1 == b.len() => Script::Computed,
                        // perl `-M'strict;system(…)'`: code, not a module name.
                        Some(m) if m.bytes().any(|b| !(b.is_ascii_alphanumeric() || b"_:.=,-".contains(&b))) => Script::Inline,
                        Some(m) if CODE_MODULES.contains(&m.split(['=', ' ']).next().unwrap_or(m)) => Script::Inline,
                        _ if p.starts_with("perl") => {
                            // perl's modules load and the script follows.
                            if k + 1 == b.len() {
                                skip_next = true;
                            }
                            break;
                        }
                        _ => Script::None,
                    };
                    return (found, None);
                }
                if lang.value_short.contains(&c) {
                    skip_next = k + 1 == b.len();
                    let value = if skip_next { argv.get(i + 1).map_or("", |w| w.text.as_str()) } else { &a[k + 1..] };
                    if p.starts_with("php") && php_loads_code(c, value) {
                        return (Script::Computed, None);
                    }
                    break;
                }
                if lang.attached_short.contains(&c) {
                    if matches!(c, b'l' | b'0') {
                        // perl's `-l[octal]` and `-0[octal]`: digits, then more letters.
                        k += 1;
                        while k < b.len() && b[k].is_ascii_digit() {
                            k += 1;
                        }
                        continue;
                    }
                    break;
                }
                k += 1;
            }
            i += if skip_next { 2 } else { 1 };
            continue;
        }
        if p == "deno" && matches!(a, "run" | "x" | "test" | "bench" | "serve") {
            i += 1;
            continue;
        }
        if p == "spark-submit" && !w.dynamic && !(a.ends_with(".py") || a.ends_with(".R") || a.ends_with(".r")) {
            return (Script::None, None);
        }
        return (script_word(Some(w)), Some(i));
    }
    if p == "spark-submit" {
        return (Script::None, None);
    }
    (Script::Stdin, None)
}

/// The script argument: a file, stdin, computed, or remote.
fn script_word(w: Option<&Word>) -> Script {
    match w {
        None => Script::Stdin,
        Some(w) if w.dynamic => Script::Computed,
        Some(w) if matches!(w.text.as_str(), "-" | "/dev/stdin" | "/dev/fd/0" | "/proc/self/fd/0") => Script::Stdin,
        Some(w) if w.text.starts_with("/dev/fd/") || w.text.starts_with("/proc/self/fd/") => Script::Computed,
        Some(w) if w.text.starts_with("http://") || w.text.starts_with("https://") => Script::Remote,
        Some(_) => Script::File,
    }
}

/// The fact for a script read from stdin, given what feeds it.
pub fn stdin_fact(stdin_text: bool, stdin_from: Option<&str>, network: &[&str]) -> u64 {
    if stdin_text {
        fact::INLINE_SCRIPT
    } else if let Some(from) = stdin_from {
        if network.contains(&from) { fact::REMOTE_SCRIPT } else { fact::PIPED_SCRIPT }
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> Script {
        let argv: Vec<Word> = s.split(' ').map(|t| if t.starts_with('$') || t.starts_with("<(") { Word { text: t.into(), dynamic: true, glob: false } } else { Word::lit(t) }).collect();
        script(&argv[0].text.clone(), &argv)
    }

    #[test]
    fn every_spelling_of_inline_code() {
        for s in [
            "python3 -c x",
            "python3 -W ignore -c x",
            "python3 -Wignore -c x",
            "python3 -Ic x",
            "python -u -X dev -c x",
            "python3 -m timeit x",
            "python3 -mtimeit x",
            "perl -e x",
            "perl -E x",
            "perl -lane x",
            "perl -Mstrict;system(1) x",
            "ruby -e x",
            "ruby -r lib -e x",
            "ruby -rlib -e x",
            "ruby -ne x",
            "node -e x",
            "node --eval=x",
            "node --eval x",
            "node -p x",
            "node --print=x",
            "node -r ./x.js -e x",
            "php -r x",
            "pwsh -Command x",
            "pwsh -c x",
            "pwsh -EncodedCommand x",
            "lua -e x",
            "Rscript -e x",
            "osascript -e x",
            "deno eval x",
            "python3.12 -c x",
            "bun -e x",
        ] {
            assert_eq!(run(s), Script::Inline, "{s}");
        }
    }

    #[test]
    fn scripts_programs_and_stdin() {
        assert_eq!(run("python3 script.py"), Script::File);
        assert_eq!(run("python3 -W ignore script.py"), Script::File);
        assert_eq!(run("python3 -m pytest -q"), Script::None);
        assert_eq!(run("python3 -m http.server"), Script::None);
        assert_eq!(run("python3 /dev/stdin"), Script::Stdin);
        assert_eq!(run("python3 -"), Script::Stdin);
        assert_eq!(run("python3"), Script::Stdin);
        assert_eq!(run("python3 <(…)"), Script::Computed);
        assert_eq!(run("python3 $X"), Script::Computed);
        assert_eq!(run("python3 /dev/fd/63"), Script::Computed);
        assert_eq!(run("perl -I lib x.pl"), Script::File);
        assert_eq!(run("perl -i.bak -p x.pl"), Script::File);
        assert_eq!(run("perl -pi -e x"), Script::Inline);
        assert_eq!(run("deno run https://x/y.ts"), Script::Remote);
        assert_eq!(run("deno run --allow-read x.ts"), Script::File);
        assert_eq!(run("node --version"), Script::Stdin);
        // A profiler's module runs as a program of its own, which reads its script.
        assert_eq!(run("python -m cProfile -s time x.py"), Script::None);
    }

    fn launch(s: &str) -> Option<String> {
        let argv: Vec<Word> = s.split(' ').map(Word::lit).collect();
        launched(&argv[0].text.clone(), &argv).map(|(i, shell)| format!("{}{}", if shell { "sh:" } else { "" }, argv[i].text))
    }

    #[test]
    fn where_a_launcher_finds_its_script() {
        for (line, script) in [
            ("torchrun --nproc_per_node 8 --master_port 29500 train.py --lr 1", Some("train.py")),
            ("torchrun --nproc-per-node=2 train", Some("train")),
            ("torchrun --standalone --nnodes=1 -m pkg.train", Some("pkg.train")),
            ("torchrun --no-python ./run.sh", None),
            ("accelerate launch --num_processes 2 --mixed_precision bf16 train.py", Some("train.py")),
            ("accelerate launch --unknown_option 4 train.py", Some("train.py")),
            ("accelerate config", None),
            ("accelerate.commands.launch train.py", Some("train.py")),
            ("deepspeed --num_gpus 4 train.py --deepspeed ds.json", Some("train.py")),
            ("cProfile -o out.prof -s time train.py", Some("train.py")),
            ("coverage run --source=. -m pytest", Some("pytest")),
            ("coverage report", None),
            ("streamlit run app.py --server.port 8501", Some("app.py")),
            ("modal run app.py::main", Some("app.py::main")),
            ("modal run -m pkg.app", Some("pkg.app")),
            ("torchrun --module=pkg.train", Some("--module=pkg.train")),
            ("sbatch -p gpu --gres gpu:1 jobs/train.sbatch", Some("sh:jobs/train.sbatch")),
            ("sbatch --wrap=hostname", None),
            ("pipx run --spec x tool.py", Some("tool.py")),
        ] {
            assert_eq!(launch(line).as_deref(), script, "{line}");
        }
    }
}
