//! The real agent CLIs, wired by the real `ana install`, driven offline against mock model
//! servers on 127.0.0.1. For each agent: a harmless command is allowed and really runs; a
//! forbidden one is denied, does not run, and the model receives the reason; approved with the
//! software key, it runs; denied by the user, it does not; an approval that outlasts the hook's
//! deadline ends in a deny, and after the late approval the retry runs, once; with the approval
//! agent down, nothing sensitive runs. Confinement: a call under a `confine` rule runs through
//! the agent's own input rewriting, its `cd` holds for the next call (where the agent keeps one
//! shell), a blocked write reaches the model with ana's explanation, and a build runs.
//!
//! The commands the mock model asks for are fakes on PATH that only leave a marker, so nothing
//! dangerous can run even if a hook failed open. The CLIs come from `npm ci --prefix tests/e2e`,
//! which the suite runs itself when they are missing; a suite that cannot install them fails.

#[path = "../../../tests/e2e/agents.rs"]
mod agents;
#[path = "../../../tests/e2e/mock.rs"]
mod mock;
mod util;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use agents::Agent;
use mock::{Mock, Reply, Seen};
use util::Home;

const HOOK_TIMEOUT: u32 = 6;

/// The agent's CLI from `tests/e2e/node_modules`, installed there (`npm ci --prefix tests/e2e`,
/// pinned by its lock file) on first use when it is missing. A test that cannot get its CLI
/// fails: it never passes without having run the agent.
fn cli(agent: Agent) -> PathBuf {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e");
    let p = e2e.join("node_modules/.bin").join(agent.bin());
    INSTALL.call_once(|| {
        if !p.exists() {
            eprintln!("installing the agent CLIs: npm ci --prefix tests/e2e");
            let status = Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error", "--prefix"]).arg(&e2e).status();
            assert!(status.is_ok_and(|s| s.success()), "`npm ci --prefix tests/e2e` failed: the real-agent tests cannot run (is npm installed?)");
        }
    });
    assert!(p.exists(), "{} is missing after `npm ci --prefix tests/e2e`", p.display());
    p
}

struct World {
    agent: Agent,
    ana: Home,
    /// The home and project: not in a temp directory, which confined commands may write.
    user: tempfile::TempDir,
    tmp: tempfile::TempDir,
    project: PathBuf,
    bin: PathBuf,
    markers: PathBuf,
}

impl World {
    fn new(agent: Agent) -> World {
        let ana = Home::new();
        let user = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let project = user.path().join("project");
        // The markers lie in the project: an approved command runs confined, and may write there.
        let (bin, markers) = (user.path().join("fakebin"), project.join(".markers"));
        for d in [&project, &bin, &markers] {
            std::fs::create_dir_all(d).unwrap();
        }
        // A repository, as most projects are: its root is the project wherever the agent `cd`s
        // (a plain directory's project is the call's own directory).
        let git = Command::new("git").args(["init", "-q"]).current_dir(&project).status().unwrap();
        assert!(git.success(), "git init");
        for prog in ["terraform", "mkfs.ext4"] {
            // Each fake also tries to leave a mark outside the project, which confinement stops.
            let script = format!("#!/bin/sh\necho \"$*\" >> {}/{prog}\ntouch \"$HOME/outside-{prog}\" 2>/dev/null\nexit 0\n", markers.display());
            std::fs::write(bin.join(prog), script).unwrap();
            std::process::Command::new("chmod").args(["+x", &bin.join(prog).display().to_string()]).status().unwrap();
        }
        let w = World { agent, ana, user, tmp, project, bin, markers };
        w.prepare();
        let out = w.ana_cmd(&["install", agent.name(), "--timeout", &HOOK_TIMEOUT.to_string()]);
        assert!(out.status.success(), "ana install: {}", String::from_utf8_lossy(&out.stderr));
        w
    }

    fn home(&self) -> &Path {
        self.user.path()
    }

    /// Agent configuration that must exist before `ana install` merges into it.
    fn prepare(&self) {
        match self.agent {
            Agent::Gemini => {
                let dir = self.home().join(".gemini");
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(
                    dir.join("settings.json"),
                    r#"{"security":{"auth":{"selectedType":"gemini-api-key"}},"general":{"disableAutoUpdate":true,"disableUpdateNag":true},"telemetry":{"enabled":false}}"#,
                )
                .unwrap();
            }
            Agent::Codex => {
                let dir = self.home().join(".codex");
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(
                    dir.join("config.toml"),
                    "model = \"mock-model\"\nmodel_provider = \"mock\"\napproval_policy = \"never\"\nsandbox_mode = \"danger-full-access\"\ncheck_for_update_on_startup = false\n\n[model_providers.mock]\nname = \"mock\"\nbase_url = \"http://127.0.0.1:1/v1\"\nwire_api = \"responses\"\nenv_key = \"MOCK_API_KEY\"\n\n[analytics]\nenabled = false\n\n[features]\nplugins = false\n",
                )
                .unwrap();
            }
            _ => {}
        }
    }

    fn env(&self, c: &mut Command) {
        let path = format!("{}:{}", self.bin.display(), std::env::var("PATH").unwrap_or_default());
        c.env_clear()
            .env("PATH", path)
            .env("HOME", self.home())
            .env("TMPDIR", self.tmp.path())
            .env("ANA_HOME", self.ana.dir.path())
            .env("NO_COLOR", "1")
            .env("TERM", "dumb")
            // Only the hooks this test installs: not a system-wide install on the machine.
            .env("GEMINI_CLI_SYSTEM_SETTINGS_PATH", self.home().join("no-system-settings.json"))
            .current_dir(&self.project);
    }

    fn ana_cmd(&self, args: &[&str]) -> std::process::Output {
        let mut c = Command::new(util::ana_bin());
        c.args(args);
        self.env(&mut c);
        c.output().unwrap()
    }

    fn ran(&self, prog: &str) -> String {
        std::fs::read_to_string(self.markers.join(prog)).unwrap_or_default()
    }

    /// Runs the agent once against `mock`; returns its output.
    fn run(&self, mock: &Mock) -> String {
        let base = format!("http://127.0.0.1:{}", mock.port);
        let mut c = Command::new(cli(self.agent));
        self.env(&mut c);
        self.agent.offline_run(&mut c, &base, &self.home().join(".codex"), &self.project);
        let mut child = c.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let out = child.wait_with_output().unwrap();
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    }
}

/// A model that asks for each of `commands` in turn, one per tool result, then finishes.
fn steps(commands: &[String]) -> Arc<mock::Script> {
    let commands = commands.to_vec();
    Arc::new(move |seen: &Seen, results: usize| {
        let has_tools = ["\"tools\"", "\"functionDeclarations\"", "\"function_declarations\""].iter().any(|k| seen.body.contains(k));
        match commands.get(results) {
            Some(c) if has_tools => Reply::Tool(c.clone()),
            _ if !has_tools => Reply::Text("ok".into()),
            _ => Reply::Text("done".into()),
        }
    })
}

/// Calls under `confine` rules, through the real agent: the rewritten command runs, `cd` holds
/// where the agent keeps one shell between calls, a blocked write reaches the model with ana's
/// explanation and changes nothing, and a project's build script runs.
fn confinement(agent: Agent) {
    cli(agent);
    assert!(ana::confine::landlock::kernel_support().is_available(), "confinement tests need Landlock");
    let w = World::new(agent);
    let python = "/usr/bin/python3";
    std::fs::create_dir_all(w.project.join("sub")).unwrap();
    std::fs::write(w.home().join(".bashrc"), "# original\n").unwrap();
    std::fs::write(w.project.join("build.sh"), "#!/bin/sh\nmkdir -p out && echo built > out/artifact && echo build-ok\n").unwrap();
    Command::new("chmod").args(["+x", &w.project.join("build.sh").display().to_string()]).status().unwrap();
    let pwd_file = w.project.join("pwd-after");

    // 1. `cd` in a confined call, then a plain call: it runs where it would have without ana.
    //    First the same two calls with a plain `cd` (no rewrite), for the agent's own behaviour:
    //    Claude Code keeps one shell's directory between calls; others may start each call afresh.
    let m = Mock::start(agent.api(), steps(&["cd sub && echo plain".to_owned(), format!("pwd > {}", pwd_file.display())]));
    let out = w.run(&m);
    let baseline = std::fs::read_to_string(&pwd_file).unwrap_or_default();
    assert!(!baseline.is_empty(), "{}: the plain calls did not run:\n{out}\n{}", agent.name(), m.bodies());
    std::fs::remove_file(&pwd_file).unwrap();
    let m = Mock::start(agent.api(), steps(&[format!("cd sub && {python} -c 'print(6 * 7)'"), format!("pwd > {}", pwd_file.display())]));
    let out = w.run(&m);
    assert!(m.bodies().contains("42"), "{}: the confined command did not run:\n{out}\n{}", agent.name(), m.bodies());
    let ended = std::fs::read_to_string(&pwd_file).unwrap_or_default();
    assert_eq!(ended, baseline, "{}: after a confined `cd` the next call ran elsewhere than without ana:\n{out}", agent.name());
    if agent == Agent::Claude {
        let sub = w.project.join("sub").canonicalize().unwrap();
        assert_eq!(ended.trim(), sub.display().to_string(), "{}: the confined `cd` did not hold:\n{out}", agent.name());
    }
    eprintln!("{}: after `cd sub`, the next call ran in {}", agent.name(), ended.trim());

    // 2. A blocked write: nothing changes, and the model reads why. The code is given as byte
    //    values: written plainly, ana reads it and asks for approval before anything runs (and
    //    it asks before running code it sees decoded, such as `bytes.fromhex`); here what stops
    //    it must be the kernel.
    let code = format!("open('{}', 'a').write('evil')", w.home().join(".bashrc").display());
    let bytes: Vec<String> = code.bytes().map(|b| b.to_string()).collect();
    let m = Mock::start(agent.api(), steps(&[format!("{python} -c \"exec(bytes([{}]).decode())\"", bytes.join(","))]));
    let out = w.run(&m);
    assert_eq!(std::fs::read_to_string(w.home().join(".bashrc")).unwrap(), "# original\n", "{}: a confined command wrote ~/.bashrc:\n{out}", agent.name());
    assert!(m.bodies().contains("ran confined"), "{}: the model did not get ana's explanation:\n{}", agent.name(), m.bodies());

    // 3. A build runs.
    let m = Mock::start(agent.api(), steps(&["./build.sh".to_owned()]));
    let out = w.run(&m);
    assert_eq!(std::fs::read_to_string(w.project.join("out/artifact")).unwrap_or_default(), "built\n", "{}: the build did not run:\n{out}", agent.name());
}

/// A model that asks for `command`, and after each tool result either asks again (`retries`
/// more times, each once `gate` opens) or finishes.
fn script(command: &str, retries: usize, gate: Option<Arc<(Mutex<bool>, Condvar)>>) -> Arc<mock::Script> {
    let command = command.to_owned();
    Arc::new(move |seen: &Seen, results: usize| {
        // Side requests without tools (titles, summaries) get a plain answer.
        let has_tools = ["\"tools\"", "\"functionDeclarations\"", "\"function_declarations\""].iter().any(|k| seen.body.contains(k));
        if !has_tools {
            return Reply::Text("ok".into());
        }
        if results == 0 {
            return Reply::Tool(command.clone());
        }
        if results <= retries {
            if let Some(g) = &gate {
                let (lock, cv) = &**g;
                let mut open = lock.lock().unwrap();
                let deadline = Instant::now() + Duration::from_secs(60);
                while !*open && Instant::now() < deadline {
                    open = cv.wait_timeout(open, Duration::from_millis(100)).unwrap().0;
                }
            }
            return Reply::Tool(command.clone());
        }
        Reply::Text("done".into())
    })
}

fn scenarios(agent: Agent) {
    cli(agent);
    let started = Instant::now();
    let mut w = World::new(agent);
    let w_bin = w.bin.clone();
    w.ana.start();

    // 1. Harmless: allowed, and it really runs — confined: its write outside the project fails.
    let marker = w.project.join("harmless-ran");
    let outside = w.home().join("harmless-outside");
    let m = Mock::start(agent.api(), script(&format!("touch {}; touch {}", marker.display(), outside.display()), 0, None));
    let out = w.run(&m);
    assert!(marker.exists(), "{}: the harmless command did not run:\n{out}", agent.name());
    assert!(!outside.exists(), "{}: the allowed command ran unconfined:\n{out}", agent.name());

    // Fakes by absolute path: some agents run commands in a login shell, which resets PATH.
    let fake = |prog: &str| w_bin.join(prog).display().to_string();

    // 2. Forbidden: denied, not run, and the model is told why.
    let m = Mock::start(agent.api(), script(&format!("{} /dev/sdz", fake("mkfs.ext4")), 0, None));
    let out = w.run(&m);
    assert_eq!(w.ran("mkfs.ext4"), "", "{}: a forbidden command ran:\n{out}", agent.name());
    assert!(m.bodies().contains("disk.format"), "{}: the model did not receive the deny reason:\n{}", agent.name(), m.bodies());

    // 3. Approved on the key: it runs.
    let m = Mock::start(agent.api(), script(&format!("{} apply -auto-approve", fake("terraform")), 0, None));
    let approver = {
        let home = w.ana.paths.clone();
        std::thread::spawn(move || approve_first(&home, true))
    };
    let out = w.run(&m);
    approver.join().unwrap();
    assert_eq!(w.ran("terraform").trim(), "apply -auto-approve", "{}: the approved command did not run:\n{out}", agent.name());
    assert!(!w.home().join("outside-terraform").exists(), "{}: the approved command ran unconfined (it wrote outside the project)", agent.name());

    // 4. Denied by the user: it does not run, and the model is told.
    let m = Mock::start(agent.api(), script(&format!("{} destroy", fake("terraform")), 0, None));
    let denier = {
        let home = w.ana.paths.clone();
        std::thread::spawn(move || approve_first(&home, false))
    };
    let out = w.run(&m);
    denier.join().unwrap();
    assert!(!w.ran("terraform").contains("destroy"), "{}: a denied command ran:\n{out}", agent.name());
    assert!(m.bodies().contains("the user denied this"), "{}: the model did not hear the user's no", agent.name());

    // 5. Late approval: the hook's deadline passes first (deny, "approval pending"), the user
    //    approves afterwards, the model retries, and the retry runs — once.
    let gate = Arc::new((Mutex::new(false), Condvar::new()));
    let m = Mock::start(agent.api(), script(&format!("{} apply -target=module.db", fake("terraform")), 1, Some(gate.clone())));
    let late = {
        let home = w.ana.paths.clone();
        let gate = gate.clone();
        std::thread::spawn(move || {
            let pending = wait_state(&home, ana::protocol::PendingState::Detached);
            decide(&home, pending, true);
            let (lock, cv) = &*gate;
            *lock.lock().unwrap() = true;
            cv.notify_all();
        })
    };
    let out = w.run(&m);
    late.join().unwrap();
    assert!(m.bodies().contains("approval pending"), "{}: the model was not told the approval is pending:\n{}", agent.name(), m.bodies());
    assert_eq!(w.ran("terraform").matches("-target=module.db").count(), 1, "{}: the late-approved retry must run exactly once:\n{out}", agent.name());

    // 6. The approval agent down: nothing sensitive runs.
    let socket = w.ana.paths.socket();
    drop_agent(&w.ana);
    util::wait_gone(&socket);
    let m = Mock::start(agent.api(), script(&format!("{} apply -target=module.net", fake("terraform")), 0, None));
    let out = w.run(&m);
    assert!(!w.ran("terraform").contains("module.net"), "{}: ran without the approval agent:\n{out}", agent.name());
    assert!(m.bodies().contains("not running"), "{}: the model was not told the agent is down", agent.name());
    w.ana.start_agent_only();
    eprintln!("{}: end to end in {:.1} s", agent.name(), started.elapsed().as_secs_f64());
}

fn wait_state(paths: &ana::paths::Paths, state: ana::protocol::PendingState) -> u64 {
    let mut c = ana::ipc::Client::connect(&paths.socket(), ana::protocol::Role::Prompt, Duration::from_secs(5)).unwrap();
    c.send(&ana::protocol::Request::Subscribe).unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let ana::protocol::Response::Queue { pending } = c.recv(deadline).expect("a request arrives")
            && let Some(p) = pending.iter().find(|p| p.state == state)
        {
            return p.id;
        }
    }
}

fn decide(paths: &ana::paths::Paths, id: u64, approve: bool) {
    let mut c = ana::ipc::Client::connect(&paths.socket(), ana::protocol::Role::Cli, Duration::from_secs(5)).unwrap();
    c.send(&ana::protocol::Request::Decide { id, choice: if approve { ana::protocol::Choice::Approve } else { ana::protocol::Choice::Deny }, reason: None, pin: None, shown: None }).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let ana::protocol::Response::Decided { id: got, .. } = c.recv(deadline).unwrap()
            && got == id
        {
            return;
        }
    }
}

fn approve_first(paths: &ana::paths::Paths, approve: bool) {
    let id = wait_state(paths, ana::protocol::PendingState::Waiting);
    decide(paths, id, approve);
}

fn drop_agent(home: &Home) {
    let mut c = home.client(ana::protocol::Role::Cli);
    c.send(&ana::protocol::Request::Stop).unwrap();
    let _ = c.recv(Instant::now() + Duration::from_secs(5));
}

#[test]
fn claude_code() {
    scenarios(Agent::Claude);
}

#[test]
fn copilot_cli() {
    scenarios(Agent::Copilot);
}

#[test]
fn gemini_cli() {
    scenarios(Agent::Gemini);
}

#[test]
fn codex() {
    scenarios(Agent::Codex);
}

#[test]
fn confined_claude_code() {
    confinement(Agent::Claude);
}

#[test]
fn confined_copilot_cli() {
    confinement(Agent::Copilot);
}

#[test]
fn confined_gemini_cli() {
    confinement(Agent::Gemini);
}

#[test]
fn confined_codex() {
    confinement(Agent::Codex);
}
