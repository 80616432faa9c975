//! `ana demo` in a real terminal (tmux), answered by a person who takes their time: the tour
//! waits, asks at each step where the README says it asks, and finishes with a verified history.

use std::process::Command;
use std::time::{Duration, Instant};

fn ana() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_BIN_EXE_ana-agent")).with_file_name("ana")
}

struct Tmux(String);

impl Tmux {
    fn screen(&self) -> String {
        let out = Command::new("tmux").args(["capture-pane", "-p", "-S", "-200", "-t", &self.0]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen shows `text` `n` times.
    fn wait_for(&self, text: &str, n: usize) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let s = self.screen();
            if s.matches(text).count() >= n {
                return s;
            }
            assert!(Instant::now() < deadline, "the demo never showed {text:?} {n} times:\n{s}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn keys(&self, keys: &str) {
        assert!(Command::new("tmux").args(["send-keys", "-t", &self.0, keys, "Enter"]).status().unwrap().success());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["kill-session", "-t", &self.0]).status();
    }
}

#[test]
fn the_demo_waits_for_a_slow_person_and_asks_at_each_step() {
    assert!(Command::new("tmux").arg("-V").output().is_ok(), "tmux is needed for this test (apt-get install tmux)");
    let name = format!("ana-demo-{}", std::process::id());
    let cmd = format!("env HOME=/home/dev TERM=xterm-256color {} demo; echo DEMO-EXIT=$?; sleep 30", ana().display());
    assert!(Command::new("tmux").args(["new-session", "-d", "-s", &name, "-x", "200", "-y", "50", &cmd]).status().unwrap().success());
    let t = Tmux(name);

    // Step 4: the person reads for longer than the old tour's 20-second limit before answering.
    let s = t.wait_for("approve it? [y/n]", 1);
    assert!(s.contains("the hook waits"), "the demo shows the deadline it simulates:\n{s}");
    std::thread::sleep(Duration::from_secs(25));
    t.keys("y");
    t.wait_for("approved with demo key", 1);

    // Step 5: the README says the demo asks; the person answers n.
    t.wait_for("approve it? [y/n]", 2);
    t.keys("n");
    // Step 6: the late approval.
    t.wait_for("approve it? [y/n]", 3);
    t.keys("y");
    let s = t.wait_for("DEMO-EXIT=", 1);
    assert!(s.contains("DEMO-EXIT=0"), "{s}");
    assert!(s.contains("records verified"), "{s}");
    assert!(!s.contains("did not answer in time"), "{s}");
    // Reasons are shown whole, not cut mid-word.
    assert!(s.contains("tell the user what you wanted to do and why."), "{s}");
}
