//! Programs that run another command line: tracers, sandboxes and namespaces, environment and
//! secret injectors, task runners, proxies. Each entry says where the wrapped command starts (an
//! argv the shell walker then peels as its own) or which option holds a shell script.

use super::super::shell::Word;

/// What a wrapper runs.
#[derive(Debug, PartialEq, Eq)]
pub enum Runs {
    /// The command whose argv starts at this index.
    Argv(usize),
    /// Shell scripts given as strings (`nix-shell --run S`, `npm exec -c S`, `sg GROUP S`).
    Scripts(Vec<Word>),
    /// Nothing this module knows of.
    Nothing,
}

/// How a wrapper's own arguments look before the command.
struct Wrapper {
    /// The programs this entry is for; [`entries`] is the same table as a `match` (a test keeps
    /// the two in step).
    #[cfg_attr(not(test), allow(dead_code))]
    names: &'static [&'static str],
    /// Words that must come first (`direnv exec`, `poetry run`); empty for none.
    sub: &'static [&'static str],
    /// Options that take the next word as their value.
    values: &'static [&'static str],
    /// Positional words of the wrapper's own before the command (setarch's ARCH, faketime's
    /// TIME, `direnv exec DIR`, `aws-vault exec PROFILE`).
    positional: usize,
    /// Options whose value is a shell script.
    script_options: &'static [&'static str],
}

const WRAPPERS: &[Wrapper] = &[
    Wrapper {
        names: &["strace"],
        sub: &[],
        values: &["-o", "-e", "-p", "-s", "-u", "-E", "-P", "-a", "-b", "-I", "-O", "-S", "-X", "--output", "--trace", "--signal", "--user"],
        positional: 0,
        script_options: &[],
    },
    Wrapper { names: &["ltrace"], sub: &[], values: &["-o", "-e", "-p", "-s", "-u", "-n", "-a", "-A", "-D", "-F", "-x", "-L"], positional: 0, script_options: &[] },
    Wrapper {
        names: &[
            "valgrind",
            "catchsegv",
            "firejail",
            "chronic",
            "ssh-agent",
            "dbus-run-session",
            "dbus-launch",
            "linux32",
            "linux64",
            "run-one",
            "systemd-inhibit",
            "entr",
            "cgexec",
            "runcon",
            "chpst",
            "tsocks",
            "torsocks",
            "torify",
            "unbuffer",
            "gosu",
            "su-exec",
            "setuidgid",
            "s6-setuidgid",
            "with-contenv",
            "tini",
            "dumb-init",
            "catatonit",
            "envchain",
            "summon",
            "setpriv",
        ],
        sub: &[],
        values: &[
            "-u",
            "-p",
            "-a",
            "-P",
            "--what",
            "--who",
            "--why",
            "--mode",
            "-g",
            "-t",
            "--reuid",
            "--regid",
            "--groups",
            "--init-groups",
            "--inh-caps",
            "--ambient-caps",
            "--bounding-set",
            "--securebits",
            "-e",
            "--exec",
            "-x",
            "-w",
            "--watch",
        ],
        positional: 0,
        script_options: &[],
    },
    Wrapper {
        names: &["unshare"],
        sub: &[],
        values: &["-S", "--setuid", "-G", "--setgid", "-R", "--root", "-w", "--wd", "--map-user", "--map-group", "--map-users", "--map-groups", "--propagation", "--setgroups", "--kill-child"],
        positional: 0,
        script_options: &[],
    },
    Wrapper { names: &["fakeroot", "fakeroot-ng", "fakechroot"], sub: &[], values: &["-l", "--lib", "--faked", "-s", "-i", "-b"], positional: 0, script_options: &[] },
    Wrapper {
        names: &["proot", "bwrap", "bubblewrap"],
        sub: &[],
        values: &[
            "-r",
            "-b",
            "-w",
            "-q",
            "-k",
            "-m",
            "--rootfs",
            "--bind",
            "--cwd",
            "--chdir",
            "--setenv",
            "--unsetenv",
            "--uid",
            "--gid",
            "--hostname",
            "--proc",
            "--dev",
            "--tmpfs",
            "--dir",
            "--symlink",
            "--file",
            "--bind-data",
            "--ro-bind",
            "--ro-bind-try",
            "--bind-try",
            "--dev-bind",
            "--remount-ro",
            "--chmod",
            "--lock-file",
            "--sync-fd",
            "--info-fd",
            "--seccomp",
            "--exec-label",
            "--file-label",
            "--argv0",
        ],
        positional: 0,
        script_options: &[],
    },
    Wrapper { names: &["proxychains", "proxychains4"], sub: &[], values: &["-f"], positional: 0, script_options: &[] },
    Wrapper {
        names: &["xvfb-run"],
        sub: &[],
        values: &["-n", "--server-num", "-s", "--server-args", "-f", "--auth-file", "-e", "--error-file", "-p", "--xauth-protocol", "-l"],
        positional: 0,
        script_options: &[],
    },
    Wrapper { names: &["setarch"], sub: &[], values: &[], positional: 1, script_options: &[] },
    Wrapper {
        names: &["numactl"],
        sub: &[],
        values: &["-C", "-N", "-m", "-p", "-i", "--physcpubind", "--cpunodebind", "--membind", "--preferred", "--interleave"],
        positional: 0,
        script_options: &[],
    },
    Wrapper { names: &["faketime"], sub: &[], values: &["-f", "-m", "-p"], positional: 1, script_options: &[] },
    Wrapper { names: &["direnv"], sub: &["exec"], values: &[], positional: 1, script_options: &[] },
    Wrapper { names: &["nix-shell"], sub: &[], values: &["-p", "--packages", "-I", "--arg", "--argstr", "-A", "--attr", "--keep", "-k"], positional: 0, script_options: &["--run", "--command"] },
    Wrapper { names: &["nix"], sub: &["develop"], values: &["--profile", "-I", "--override-input", "--arg", "--argstr"], positional: 0, script_options: &[] },
    Wrapper { names: &["nix"], sub: &["shell"], values: &["-I", "--override-input", "--arg", "--argstr"], positional: 0, script_options: &[] },
    Wrapper {
        names: &["poetry", "pipenv", "pdm", "hatch", "rye", "uv", "conda", "mamba", "micromamba", "pixi", "yarn", "pnpm", "npm", "bundle", "mise", "asdf", "rtx", "dotnet"],
        sub: &["run", "exec", "x", "dlx", "tool run", "env run"],
        values: &[
            "--with",
            "--python",
            "-p",
            "--project",
            "--directory",
            "--package",
            "--env-file",
            "--group",
            "--extra",
            "--index",
            "--index-url",
            "-n",
            "--name",
            "--prefix",
            "--env",
            "-e",
            "--filter",
            "-F",
            "--workspace",
            "-w",
            "--call",
        ],
        positional: 0,
        script_options: &["-c", "--call"],
    },
    Wrapper { names: &["npx", "bunx", "pnpx"], sub: &[], values: &["-p", "--package"], positional: 0, script_options: &["-c", "--call"] },
    Wrapper { names: &["cross-env", "cross-env-shell", "dotenv", "env-cmd", "dotenvx"], sub: &[], values: &["-e", "-f", "--file", "-c", "--environments", "-v"], positional: 0, script_options: &[] },
    Wrapper {
        names: &["op", "doppler", "infisical", "teller", "phase"],
        sub: &["run"],
        values: &["--env-file", "--env", "--project", "--config", "-p", "-c", "--path", "--account"],
        positional: 0,
        script_options: &["--command"],
    },
    Wrapper { names: &["aws-vault"], sub: &["exec"], values: &["--duration", "-d", "--region", "--mfa-token", "-t"], positional: 1, script_options: &[] },
    Wrapper { names: &["saml2aws", "aws-sso", "gimme-aws-creds"], sub: &["exec"], values: &["--profile", "-p", "--region", "--role", "-a", "--idp-account"], positional: 0, script_options: &[] },
    Wrapper { names: &["granted"], sub: &["exec"], values: &["--region", "-r"], positional: 1, script_options: &[] },
    Wrapper { names: &["chamber"], sub: &["exec"], values: &["--pristine"], positional: 1, script_options: &[] },
    Wrapper { names: &["sops"], sub: &["exec-env", "exec-file"], values: &[], positional: 1, script_options: &[] },
    Wrapper { names: &["perf"], sub: &["record", "stat", "trace"], values: &["-o", "-e", "-p", "-t", "-C", "-F", "-c", "-g", "--output", "--event", "--pid"], positional: 0, script_options: &[] },
    Wrapper { names: &["gdb"], sub: &[], values: &[], positional: 0, script_options: &[] },
    // `sshpass -p PASS ssh …`; `k3s kubectl …`, `k0s ctr …`: the program they bundle is the
    // word after them.
    Wrapper { names: &["sshpass", "k3s", "k0s"], sub: &[], values: &["-p", "-f", "-d", "-P", "--data-dir"], positional: 0, script_options: &[] },
    // Parallel and cluster launchers: the command runs on each rank or node.
    Wrapper {
        names: &["mpirun", "mpiexec", "orterun", "oshrun", "mpiexec.hydra", "prterun"],
        sub: &[],
        values: &[
            "-np",
            "-n",
            "-N",
            "-c",
            "-H",
            "--host",
            "-host",
            "-hosts",
            "--hostfile",
            "-hostfile",
            "--machinefile",
            "-machinefile",
            "-f",
            "--map-by",
            "-map-by",
            "--bind-to",
            "-bind-to",
            "--rank-by",
            "-x",
            "-wdir",
            "--wdir",
            "-ppn",
            "-perhost",
            "-npernode",
            "--npernode",
            "-rf",
            "--rankfile",
            "--prefix",
            "-iface",
            "-launcher",
            "-bootstrap",
            "-genvlist",
            "-envlist",
            "-tune",
            "--output-filename",
            "--timeout",
            "-timeout",
            "--personality",
            "--display",
            "--runtime-options",
            "-s",
            "--stdin",
        ],
        positional: 0,
        script_options: &[],
    },
    Wrapper {
        names: &["horovodrun"],
        sub: &[],
        values: &[
            "-np",
            "--num-proc",
            "-H",
            "--hosts",
            "-hostfile",
            "--hostfile",
            "-p",
            "--ssh-port",
            "-i",
            "--ssh-identity-file",
            "--start-timeout",
            "--network-interface",
            "--output-filename",
            "--config-file",
            "--gloo-timeout-seconds",
            "--log-level",
            "--min-np",
            "--max-np",
            "--slots",
            "--host-discovery-script",
            "--reset-limit",
            "--blacklist-cooldown-range",
        ],
        positional: 0,
        script_options: &[],
    },
    Wrapper {
        names: &["srun", "salloc"],
        sub: &[],
        values: &[
            "-n",
            "-N",
            "-c",
            "-p",
            "-t",
            "-J",
            "-A",
            "-w",
            "-o",
            "-e",
            "-i",
            "-G",
            "-q",
            "-x",
            "-C",
            "-D",
            "-d",
            "-L",
            "-m",
            "-r",
            "-M",
            "-S",
            "-T",
            "-W",
            "--ntasks",
            "--nodes",
            "--cpus-per-task",
            "--partition",
            "--time",
            "--job-name",
            "--account",
            "--nodelist",
            "--output",
            "--error",
            "--input",
            "--gpus",
            "--gres",
            "--qos",
            "--exclude",
            "--constraint",
            "--chdir",
            "--dependency",
            "--licenses",
            "--mem",
            "--mem-per-cpu",
            "--mem-per-gpu",
            "--gpus-per-node",
            "--gpus-per-task",
            "--ntasks-per-node",
            "--reservation",
            "--export",
            "--mpi",
            "--cpu-bind",
            "--distribution",
            "--container-image",
            "--container-mounts",
            "--jobid",
            "--overlap-with",
        ],
        positional: 0,
        script_options: &[],
    },
    // Profilers and tracers of a program they start.
    Wrapper {
        names: &["nsys"],
        sub: &["profile"],
        values: &[
            "-o",
            "--output",
            "-t",
            "--trace",
            "-s",
            "--sample",
            "-d",
            "--duration",
            "-w",
            "--show-output",
            "-f",
            "--force-overwrite",
            "--capture-range",
            "--stats",
            "-e",
            "--env-var",
            "-b",
            "--backtrace",
            "--gpu-metrics-device",
            "--cuda-memory-usage",
            "-x",
            "--stop-on-exit",
            "--delay",
            "-y",
            "-c",
            "--cpuctxsw",
            "--export",
        ],
        positional: 0,
        script_options: &[],
    },
    Wrapper {
        names: &["nsys"],
        sub: &["launch"],
        values: &["-t", "--trace", "-e", "--env-var", "-w", "--show-output", "-b", "--backtrace", "-p", "--nvtx-capture"],
        positional: 0,
        script_options: &[],
    },
    Wrapper {
        names: &["ncu", "nv-nsight-cu-cli", "nvprof", "compute-sanitizer", "cuda-memcheck", "austin", "rocprof", "rocprofv2", "rocprofv3", "omniperf"],
        sub: &[],
        values: &[
            "-o",
            "--export",
            "--set",
            "--section",
            "-k",
            "--kernel-name",
            "-c",
            "--launch-count",
            "-s",
            "--launch-skip",
            "--metrics",
            "--target-processes",
            "--export-profile",
            "--log-file",
            "--events",
            "--tool",
            "-i",
            "--interval",
            "-t",
            "--timeout",
            "--output",
            "-x",
            "--exposure",
            "-d",
            "--input",
            "--kernel-id",
        ],
        positional: 0,
        script_options: &[],
    },
    Wrapper {
        names: &["py-spy"],
        sub: &["record"],
        values: &["-o", "--output", "-f", "--format", "-r", "--rate", "-d", "--duration", "-p", "--pid", "--function", "--idle"],
        positional: 0,
        script_options: &[],
    },
    Wrapper { names: &["py-spy"], sub: &["top"], values: &["-r", "--rate", "-p", "--pid"], positional: 0, script_options: &[] },
    // `ray job submit … -- CMD`: the entry point, run in the cluster from the working directory.
    Wrapper {
        names: &["ray"],
        sub: &["job submit"],
        values: &[
            "--address",
            "--job-id",
            "--submission-id",
            "--runtime-env",
            "--runtime-env-json",
            "--working-dir",
            "--entrypoint-num-cpus",
            "--entrypoint-num-gpus",
            "--entrypoint-memory",
            "--entrypoint-resources",
            "--metadata-json",
            "--log-style",
            "--log-color",
            "--headers",
            "--verify",
        ],
        positional: 0,
        script_options: &[],
    },
];

/// Whether `name` fetches the packages it runs (`npx`, `pnpm dlx`, `uvx`), when they are not
/// installed.
pub fn runs_packages(name: &str) -> bool {
    matches!(name, "npx" | "bunx" | "pnpx" | "npm" | "pnpm" | "yarn" | "bun" | "uvx" | "pipx")
}

/// Whether `nix shell`, `nix develop` or `nix-shell` builds its environment from code at another
/// address (`github:o/r#x`, `git+https://…`, `https://…/x.tar.gz`, `-I name=https://…`) other
/// than nixpkgs.
pub fn nix_from_elsewhere(name: &str, argv: &[Word]) -> bool {
    let words = match name {
        "nix" if argv.get(1).is_some_and(|w| matches!(w.text.as_str(), "shell" | "develop" | "print-dev-env" | "eval" | "build")) => &argv[2..],
        "nix-shell" | "nix-build" | "nix-instantiate" => &argv[1..],
        _ => return false,
    };
    const ELSEWHERE: &[&str] = &["github:", "gitlab:", "sourcehut:", "git+", "git@", "http://", "https://", "tarball+", "hg+", "channel:"];
    let nixpkgs = |r: &str| {
        let l = r.to_ascii_lowercase();
        l.starts_with("github:nixos/nixpkgs") || l.contains("github.com/nixos/nixpkgs") || l.contains("nixos.org/") || l.starts_with("channel:nixos") || l.starts_with("channel:nixpkgs")
    };
    // An expression that fetches (`-E 'import (fetchTarball "https://…") {}'`, `--expr
    // '(builtins.getFlake "github:o/r")…'`).
    let fetching = ["fetchtarball", "fetchgit", "fetchurl", "getflake", "fetchfromgithub", "fetchfromgitlab", "fetchtree"];
    if words.windows(2).any(|p| {
        matches!(p[0].text.as_str(), "-E" | "--expr") && {
            let l = p[1].text.to_ascii_lowercase();
            fetching.iter().any(|f| l.contains(f)) && (l.contains("://") || l.contains("github:") || l.contains("gitlab:")) && !nixpkgs(&l)
        }
    }) {
        return true;
    }
    words
        .iter()
        .take_while(|w| !matches!(w.text.as_str(), "-c" | "--command" | "--run" | "--"))
        .map(|w| w.text.split_once('=').filter(|(n, _)| !n.contains(':') && !n.starts_with('-')).map_or(w.text.as_str(), |(_, v)| v))
        .any(|r| ELSEWHERE.iter().any(|p| r.starts_with(p)) && !nixpkgs(r))
}

/// A package named by where it comes from rather than by a registry name: a repository
/// (`github:o/r`, `git+https://…`, `o/r#ref`) or an address (`https://…/x.tgz`, `file:…`).
pub fn fetched_from_elsewhere(spec: &str) -> bool {
    const FROM: &[&str] = &["github:", "gitlab:", "bitbucket:", "gist:", "git+", "git:", "git@", "http:", "https:", "file:", "ftp:"];
    FROM.iter().any(|p| spec.starts_with(p))
        || spec.ends_with(".tgz")
        || spec.ends_with(".tar.gz")
        // `owner/repo`: npm's shorthand for a GitHub repository (a scoped name starts with `@`).
        || (spec.contains('/') && !spec.starts_with(['@', '.', '/', '~', '$']) && !spec.contains("://"))
}

/// The entries of [`WRAPPERS`] for `name`, as a `match` (most commands have none).
fn entries(name: &str) -> &'static [usize] {
    match name {
        "strace" => &[0],
        "ltrace" => &[1],
        "catatonit" | "catchsegv" | "cgexec" | "chpst" | "chronic" | "dbus-launch" | "dbus-run-session" | "dumb-init" | "entr" | "envchain" | "firejail" | "gosu" | "linux32" | "linux64"
        | "run-one" | "runcon" | "s6-setuidgid" | "setpriv" | "setuidgid" | "ssh-agent" | "su-exec" | "summon" | "systemd-inhibit" | "tini" | "torify" | "torsocks" | "tsocks" | "unbuffer"
        | "valgrind" | "with-contenv" => &[2],
        "unshare" => &[3],
        "fakechroot" | "fakeroot" | "fakeroot-ng" => &[4],
        "bubblewrap" | "bwrap" | "proot" => &[5],
        "proxychains" | "proxychains4" => &[6],
        "xvfb-run" => &[7],
        "setarch" => &[8],
        "numactl" => &[9],
        "faketime" => &[10],
        "direnv" => &[11],
        "nix-shell" => &[12],
        "nix" => &[13, 14],
        "asdf" | "bundle" | "conda" | "dotnet" | "hatch" | "mamba" | "micromamba" | "mise" | "npm" | "pdm" | "pipenv" | "pixi" | "pnpm" | "poetry" | "rtx" | "rye" | "uv" | "yarn" => &[15],
        "bunx" | "npx" | "pnpx" => &[16],
        "cross-env" | "cross-env-shell" | "dotenv" | "dotenvx" | "env-cmd" => &[17],
        "doppler" | "infisical" | "op" | "phase" | "teller" => &[18],
        "aws-vault" => &[19],
        "saml2aws" | "aws-sso" | "gimme-aws-creds" => &[20],
        "granted" => &[21],
        "chamber" => &[22],
        "sops" => &[23],
        "perf" => &[24],
        "gdb" => &[25],
        "sshpass" | "k3s" | "k0s" => &[26],
        "mpirun" | "mpiexec" | "orterun" | "oshrun" | "mpiexec.hydra" | "prterun" => &[27],
        "horovodrun" => &[28],
        "srun" | "salloc" => &[29],
        "nsys" => &[30, 31],
        "ncu" | "nv-nsight-cu-cli" | "nvprof" | "compute-sanitizer" | "cuda-memcheck" | "austin" | "rocprof" | "rocprofv2" | "rocprofv3" | "omniperf" => &[32],
        "py-spy" => &[33, 34],
        "ray" => &[35],
        _ => &[],
    }
}

/// Where the module of `python [OPTIONS] -m MODULE ARGS` starts, as a command of its own.
fn python_module(argv: &[Word]) -> Runs {
    let mut i = 1;
    while let Some(w) = argv.get(i) {
        let a = w.text.as_str();
        if a == "--check-hash-based-pycs" {
            i += 2;
            continue;
        }
        if a.starts_with("--") || !a.starts_with('-') || a == "-" {
            return Runs::Nothing;
        }
        // A cluster of single letters: `-c` ends in code, `-W`/`-X` take a value, `-m` the module.
        for (k, c) in a.bytes().enumerate().skip(1) {
            match c {
                b'c' => return Runs::Nothing,
                b'W' | b'X' | b'Q' => {
                    i += usize::from(k + 1 == a.len());
                    break;
                }
                b'm' if k + 1 == a.len() => {
                    return match argv.get(i + 1) {
                        Some(m) if !m.dynamic && !super::interpreters::CODE_MODULES.contains(&m.text.as_str()) => Runs::Argv(i + 1),
                        _ => Runs::Nothing,
                    };
                }
                // `-mtwine`: the module glued on; left to the interpreter's reading.
                b'm' => return Runs::Nothing,
                _ => {}
            }
        }
        i += 1;
    }
    Runs::Nothing
}

/// What wrapper `name` (a base name) runs, given its argv.
pub fn wrapped(name: &str, argv: &[Word]) -> Runs {
    // `torchrun --no-python CMD …`: a program, not a Python script.
    if let Some(i) = super::interpreters::launched_program(name, argv) {
        return Runs::Argv(i);
    }
    match name {
        // `sg [-] GROUP [-c] 'CMD'`: the command is a string run by the shell.
        "sg" => {
            let mut rest = argv.iter().skip(1).skip_while(|w| w.text == "-").skip(1).skip_while(|w| w.text == "-c");
            return rest.next().map_or(Runs::Nothing, |w| Runs::Scripts(vec![w.clone()]));
        }
        // `capsh … -- -c CMD`: the words after `--` go to bash.
        "capsh" => {
            return match argv.iter().position(|w| w.text == "--") {
                Some(i) if argv.get(i + 1).is_some_and(|w| w.text == "-c") => argv.get(i + 2).map_or(Runs::Nothing, |w| Runs::Scripts(vec![w.clone()])),
                _ => Runs::Nothing,
            };
        }
        // `python -m MODULE ARGS`: the module runs as a program of its own, named as its console
        // script is (`python3 -m pip install …`, `python -m twine upload …`); a module that runs
        // code from its arguments (`-m timeit`) stays the interpreter's, which reads that code.
        n if super::interpreters::is_python(n) => return python_module(argv),
        // `sbatch --wrap 'CMD'`: the job is that command line (a file given instead is read as
        // a launcher's script).
        "sbatch" => {
            let scripts = super::option_values(argv, &["--wrap"], &[]);
            return if scripts.is_empty() { Runs::Nothing } else { Runs::Scripts(scripts) };
        }
        // `gdb --args CMD …`
        "gdb" => return argv.iter().position(|w| w.text == "--args").map_or(Runs::Nothing, |i| Runs::Argv(i + 1)),
        // Each argument a command line to time.
        "hyperfine" => {
            let mut scripts = super::option_values(
                argv,
                &["-p", "--prepare", "-c", "--cleanup", "-s", "--setup", "--conclude", "--reference"],
                &[
                    "-w",
                    "--warmup",
                    "-r",
                    "--runs",
                    "-m",
                    "--min-runs",
                    "-M",
                    "--max-runs",
                    "--export-json",
                    "--export-markdown",
                    "--export-csv",
                    "-n",
                    "--command-name",
                    "-S",
                    "--shell",
                    "-L",
                    "--parameter-list",
                    "-P",
                    "--parameter-scan",
                    "--style",
                    "--time-unit",
                    "-o",
                    "--output",
                    "--input",
                ],
            );
            scripts.extend(argv.iter().skip(1).filter(|w| !w.text.starts_with('-')).cloned());
            return Runs::Scripts(scripts);
        }
        _ => {}
    }
    for w in entries(name).iter().map(|&i| &WRAPPERS[i]) {
        let mut i = 1;
        if !w.sub.is_empty() {
            // The subcommand, after the program's own options.
            while argv.get(i).is_some_and(|a| a.text.starts_with('-')) {
                i += if w.values.contains(&argv[i].text.as_str()) { 2 } else { 1 };
            }
            if argv.get(i).is_none() {
                continue;
            }
            let matched = w.sub.iter().find(|s| {
                let parts: Vec<&str> = s.split(' ').collect();
                parts.iter().enumerate().all(|(k, p)| argv.get(i + k).is_some_and(|a| a.text == *p))
            });
            match matched {
                Some(s) => i += s.split(' ').count(),
                None => continue,
            }
        }
        // The wrapper's options, its positional words, then the command; a script option is
        // one of the wrapper's own only before the command.
        let options_from = i - 1;
        while let Some(a) = argv.get(i) {
            let t = a.text.as_str();
            if t == "--" {
                i += 1;
                break;
            }
            if !t.starts_with('-') || t == "-" {
                break;
            }
            i += if w.values.contains(&t) || w.script_options.contains(&t) { 2 } else { 1 };
        }
        let scripts = super::option_values(&argv[options_from..i.min(argv.len())], w.script_options, w.values);
        if !scripts.is_empty() {
            return Runs::Scripts(scripts);
        }
        // cross-env and dotenv take NAME=VALUE words first.
        while argv
            .get(i)
            .is_some_and(|a| !a.text.starts_with('-') && a.text.contains('=') && a.text.split('=').next().is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')))
        {
            i += 1;
        }
        i += w.positional;
        // Options may follow the positional words too (`setarch ARCH -R CMD`).
        while argv.get(i).is_some_and(|a| a.text.starts_with('-') && a.text != "-") {
            let t = argv[i].text.as_str();
            i += 1;
            if t == "--" {
                break;
            }
            if w.values.contains(&t) {
                i += 1;
            }
        }
        return if i < argv.len() { Runs::Argv(i) } else { Runs::Nothing };
    }
    Runs::Nothing
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(s: &str) -> Option<String> {
        let argv: Vec<Word> = s.split(' ').map(Word::lit).collect();
        match wrapped(&argv[0].text.clone(), &argv) {
            Runs::Argv(i) => Some(argv[i..].iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")),
            Runs::Scripts(v) => Some(format!("script:{}", v.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join("|"))),
            Runs::Nothing => None,
        }
    }

    #[test]
    fn a_python_module_runs_as_a_program_of_its_own() {
        for (line, runs) in [
            ("python3 -m twine upload dist/x", Some("twine upload dist/x")),
            ("python3 -W ignore -m pip install --index-url https://x y", Some("pip install --index-url https://x y")),
            ("python3.12 -Im pip install y", Some("pip install y")),
            ("python -X dev -B -m twine upload", Some("twine upload")),
            ("python3 -m timeit print(1)", None),
            ("python3 -c import -m", None),
            ("python3 -mtwine upload", None),
            ("python3 script.py -m twine", None),
        ] {
            assert_eq!(start(line).as_deref(), runs, "{line}");
        }
    }

    #[test]
    fn every_name_finds_its_entries() {
        for (i, w) in WRAPPERS.iter().enumerate() {
            for n in w.names {
                assert!(entries(n).contains(&i), "{n}");
            }
        }
    }

    #[test]
    fn where_the_command_starts() {
        assert_eq!(start("strace -f -o log rm -rf x").as_deref(), Some("rm -rf x"));
        assert_eq!(start("setarch x86_64 -R rm x").as_deref(), Some("rm x"));
        assert_eq!(start("direnv exec . rm x").as_deref(), Some("rm x"));
        assert_eq!(start("poetry run rm x").as_deref(), Some("rm x"));
        assert_eq!(start("uv run --with requests python x.py").as_deref(), Some("python x.py"));
        assert_eq!(start("npm exec -- rm x").as_deref(), Some("rm x"));
        assert_eq!(start("npm exec -c rmx").as_deref(), Some("script:rmx"));
        assert_eq!(start("cross-env A=1 B=2 rm x").as_deref(), Some("rm x"));
        assert_eq!(start("op run --env-file .env -- rm x").as_deref(), Some("rm x"));
        assert_eq!(start("aws-vault exec prod -- rm x").as_deref(), Some("rm x"));
        assert_eq!(start("gdb --args rm x").as_deref(), Some("rm x"));
        assert_eq!(start("sg docker rmx").as_deref(), Some("script:rmx"));
        assert_eq!(start("uv run python -c code").as_deref(), Some("python -c code"));
        assert_eq!(start("nix-shell -p x --run rmx").as_deref(), Some("script:rmx"));
        assert_eq!(start("npm install"), None);
        assert_eq!(start("poetry install"), None);
        assert_eq!(start("uv sync"), None);
    }
}
