//! The real prompt binary in tmux: approve with `y`, deny with `n` and a reason, quit with `q`.

mod util;

use std::process::Command;
use std::time::{Duration, Instant};

use util::{Home, answer, bash};

struct Tmux(String);

impl Tmux {
    fn start(home: &Home, name: &str) -> Tmux {
        Tmux::run(home, name, "approve")
    }

    /// `ana ARGS` in a new tmux session.
    fn run(home: &Home, name: &str, args: &str) -> Tmux {
        let _ = Command::new("tmux").args(["kill-session", "-t", name]).status();
        let cmd = format!("env ANA_HOME={} HOME=/home/dev TERM=xterm-256color {} {args}", home.dir.path().display(), util::ana_bin().display());
        let ok = Command::new("tmux").args(["new-session", "-d", "-s", name, "-x", "110", "-y", "32", &cmd]).status().expect("tmux is installed");
        assert!(ok.success());
        Tmux(name.into())
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&Command::new("tmux").args(["capture-pane", "-p", "-t", &self.0]).output().unwrap().stdout).into_owned()
    }

    /// Waits until the screen shows `text` (the prompt redraws on every queue change).
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(Instant::now() < deadline, "the prompt never showed {text:?}:\n{s}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.0];
        args.extend_from_slice(keys);
        assert!(Command::new("tmux").args(&args).status().unwrap().success());
    }

    fn alive(&self) -> bool {
        Command::new("tmux").args(["has-session", "-t", &self.0]).status().map(|s| s.success()).unwrap_or(false)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["kill-session", "-t", &self.0]).status();
    }
}

#[test]
fn approve_and_deny_in_the_terminal_prompt() {
    if Command::new("tmux").arg("-V").output().is_err() {
        panic!("tmux is needed for this test (apt-get install tmux)");
    }
    let mut home = Home::new();
    home.start();
    let tmux = Tmux::start(&home, &format!("ana-prompt-{}", std::process::id()));
    tmux.wait_for("nothing to approve");

    let hook = home.hook("claude-code", &bash("s1", "ls && git push --force origin main"), 60);
    tmux.wait_for("git push --force origin main");
    // The status pane is drawn last: once it shows, the request above it is on screen.
    let screen = tmux.wait_for("SOFTWARE KEY");
    assert!(screen.contains("git.force-push") && screen.contains("git push --force origin main"), "{screen}");
    tmux.keys(&["y"]);
    let (decision, reason, _) = answer(hook);
    assert_eq!(decision, "allow", "{reason}");
    tmux.wait_for("approved with test key");

    let hook = home.hook("claude-code", &bash("s1", "terraform destroy"), 60);
    tmux.wait_for("terraform destroy");
    tmux.keys(&["n"]);
    tmux.wait_for("reason for the agent");
    tmux.keys(&["-l", "use the staging workspace"]);
    tmux.keys(&["Enter"]);
    let (decision, reason, _) = answer(hook);
    assert_eq!(decision, "deny");
    assert!(reason.contains("use the staging workspace"), "{reason}");

    tmux.keys(&["q"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while tmux.alive() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!tmux.alive(), "q quits the prompt");
}

/// `ana history` on a terminal: the browser filters as you type, Enter shows the record with its
/// proof verified (as `ana history show ID` prints it), q goes back, Esc quits.
#[test]
fn the_history_browser_in_a_terminal() {
    if Command::new("tmux").arg("-V").output().is_err() {
        panic!("tmux is needed for this test (apt-get install tmux)");
    }
    let mut home = Home::new();
    home.start();
    // An approval (with a proof) and a policy denial.
    let hook = home.hook("claude-code", &bash("s1", "git push --force origin main"), 60);
    let id = home.wait_pending(1)[0].id;
    assert!(home.decide(id, true).0);
    assert_eq!(answer(hook).0, "allow");
    assert_eq!(answer(home.hook("claude-code", &bash("s1", "rm -rf /"), 60)).0, "deny");
    let deny_recorded = Instant::now() + Duration::from_secs(30);
    while !String::from_utf8_lossy(&home.ana(&["history"]).stdout).contains("rm -rf /") {
        assert!(Instant::now() < deny_recorded, "the denial was never recorded");
        std::thread::sleep(Duration::from_millis(50));
    }

    let tmux = Tmux::run(&home, &format!("ana-history-{}", std::process::id()), "history");
    let screen = tmux.wait_for("type to filter");
    assert!(screen.contains("rm -rf /") && screen.contains("git push --force origin main"), "{screen}");
    tmux.keys(&["-l", "git.force"]);
    let screen = tmux.wait_for("filter: git.force");
    assert!(!screen.contains("rm -rf /"), "{screen}");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("verifies against enrolled key");
    assert!(screen.contains("as `ana history show"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("type to filter");
    tmux.keys(&["Escape"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while tmux.alive() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!tmux.alive(), "Esc quits the browser");
}
