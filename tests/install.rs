//! `ana install` / `ana uninstall` on real-shaped settings: merged, idempotent, reversible,
//! validated, and never touching a file it cannot parse.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home { dir: tempfile::tempdir().unwrap() }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn put(&self, rel: &str, fixture: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/install").join(fixture), &p).unwrap();
        p
    }

    fn ana(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_ana"))
            .args(args)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", self.dir.path())
            .env("ANA_HOME", self.path("ana"))
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.ana(args);
        assert!(out.status.success(), "ana {}: {}{}", args.join(" "), String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

fn json(p: &Path) -> serde_json::Value {
    serde_json::from_str(&read(p)).unwrap()
}

fn ana_exe() -> String {
    Path::new(env!("CARGO_BIN_EXE_ana")).canonicalize().unwrap().display().to_string()
}

#[test]
fn claude_code_user_scope() {
    let home = Home::new();
    let file = home.put(".claude/settings.json", "claude-settings.json");
    let original = read(&file);
    home.ok(&["install", "claude-code"]);
    let after = read(&file);
    let v = json(&file);
    let pre = v["hooks"]["PreToolUse"].as_array().unwrap();
    assert_eq!(pre.len(), 2, "the user's own PreToolUse hook stays, ana's is added after it");
    assert_eq!(pre[0]["hooks"][0]["command"], "~/.claude/hooks/log-bash.sh");
    let ours = &pre[1];
    assert_eq!(ours["matcher"], "*");
    assert_eq!(ours["hooks"][0]["timeout"], 120);
    assert_eq!(ours["hooks"][0]["onFailure"], "block");
    assert_eq!(ours["hooks"][0]["command"], format!("{} hook --agent claude-code --timeout 120", ana_exe()));
    // Every other key, in its order.
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["$schema", "permissions", "env", "hooks", "model", "someFutureKey"]);
    assert_eq!(v["hooks"]["PostToolUse"], json_of(&original)["hooks"]["PostToolUse"]);
    assert_eq!(read(&PathBuf::from(format!("{}.ana-backup", file.display()))), original, "a backup is kept");
    // Twice: byte-identical.
    home.ok(&["install", "claude-code"]);
    assert_eq!(read(&file), after);
    // A new timeout replaces ana's entry in place.
    home.ok(&["install", "claude-code", "--timeout", "300"]);
    let v = json(&file);
    assert_eq!(v["hooks"]["PreToolUse"].as_array().unwrap().len(), 2);
    assert_eq!(v["hooks"]["PreToolUse"][1]["hooks"][0]["timeout"], 300);
    assert!(v["hooks"]["PreToolUse"][1]["hooks"][0]["command"].as_str().unwrap().ends_with("--timeout 300"));
    // Uninstall: exactly the original.
    home.ok(&["uninstall", "claude-code"]);
    assert_eq!(read(&file), original);
}

fn json_of(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap()
}

#[test]
fn claude_code_project_and_local_scopes_and_a_new_file() {
    let home = Home::new();
    home.ok(&["install", "claude-code", "--scope", "project"]);
    home.ok(&["install", "claude-code", "--scope", "local"]);
    for f in [".claude/settings.json", ".claude/settings.local.json"] {
        let v = json(&home.path(f));
        assert_eq!(v["hooks"]["PreToolUse"][0]["hooks"][0]["onFailure"], "block", "{f}");
    }
    home.ok(&["uninstall", "claude-code", "--scope", "local"]);
    assert!(!home.path(".claude/settings.local.json").exists(), "a file only ana's hook was in is removed");
    assert!(!home.path(".claude/.ana-install.lock").exists(), "no lock file beside the user's settings");
}

#[test]
fn gemini_cli_keeps_four_space_indentation_and_uses_milliseconds() {
    let home = Home::new();
    let file = home.put(".gemini/settings.json", "gemini-settings.json");
    let original = read(&file);
    home.ok(&["install", "gemini-cli"]);
    let after = read(&file);
    assert!(after.contains("\n    \"security\""), "4-space indentation kept:\n{after}");
    let v = json(&file);
    assert_eq!(v["hooks"]["BeforeTool"][0]["hooks"][0]["timeout"], 120_000);
    assert_eq!(v["hooks"]["AfterTool"], json_of(&original)["hooks"]["AfterTool"]);
    home.ok(&["install", "gemini-cli"]);
    assert_eq!(read(&file), after);
    home.ok(&["uninstall", "gemini-cli"]);
    assert_eq!(read(&file), original);
}

#[test]
fn copilot_cli_gets_its_own_file() {
    let home = Home::new();
    home.ok(&["install", "copilot-cli"]);
    let file = home.path(".copilot/hooks/ana.json");
    let v = json(&file);
    let h = &v["hooks"]["preToolUse"][0];
    assert_eq!(h["exec"], ana_exe());
    assert_eq!(h["args"], serde_json::json!(["hook", "--agent", "copilot-cli", "--timeout", "120"]));
    assert_eq!(h["timeoutSec"], 120);
    home.ok(&["uninstall", "copilot-cli"]);
    assert!(!file.exists());
    // A file ana did not write is not removed.
    std::fs::write(&file, "{\"version\":1,\"hooks\":{}}").unwrap();
    assert!(!home.ana(&["uninstall", "copilot-cli"]).status.success());
    assert!(file.exists());
}

#[test]
fn codex_hooks_and_trust_keep_the_users_config() {
    let home = Home::new();
    let hooks = home.put(".codex/hooks.json", "codex-hooks.json");
    let config = home.put(".codex/config.toml", "codex-config.toml");
    let (hooks_before, config_before) = (read(&hooks), read(&config));
    home.ok(&["install", "codex"]);
    let v = json(&hooks);
    let group = &v["hooks"]["PreToolUse"][1];
    assert!(group.get("matcher").is_none(), "every tool");
    let handler = &group["hooks"][0];
    assert_eq!(handler["timeout"], 120);
    let cfg = read(&config);
    assert!(cfg.starts_with("# My Codex configuration.\nmodel = \"gpt-5.1-codex\"   # the default model"), "comments and formatting kept:\n{cfg}");
    assert!(cfg.contains("plugins = false  # no network at start-up"));
    assert!(cfg.contains("sha256:0000000000000000000000000000000000000000000000000000000000000000"), "the user's own trust entry stays");
    let key = format!("{}:pre_tool_use:1:0", hooks.display());
    let doc: toml_edit::DocumentMut = cfg.parse().unwrap();
    let hash = doc["hooks"]["state"][&key]["trusted_hash"].as_str().unwrap().to_owned();
    // The hash Codex computes: SHA-256 of the compact, key-sorted hook description.
    let desc = format!(r#"{{"event_name":"pre_tool_use","hooks":[{{"async":false,"command":"{}","timeout":120,"type":"command"}}]}}"#, handler["command"].as_str().unwrap());
    use sha2::Digest;
    assert_eq!(hash, format!("sha256:{}", ana::intent::hex(&sha2::Sha256::digest(desc.as_bytes()))));
    let (hooks_after, config_after) = (read(&hooks), read(&config));
    home.ok(&["install", "codex"]);
    assert_eq!((read(&hooks), read(&config)), (hooks_after, config_after), "twice: byte-identical");
    home.ok(&["uninstall", "codex"]);
    assert_eq!(read(&hooks), hooks_before);
    assert_eq!(read(&config), config_before);
}

#[test]
fn a_file_that_does_not_parse_is_left_untouched() {
    let home = Home::new();
    let file = home.path(".claude/settings.json");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let broken = "{\n  \"permissions\": {\n    \"allow\": [\"Bash(ls)\",]\n";
    std::fs::write(&file, broken).unwrap();
    let out = home.ana(&["install", "claude-code"]);
    assert_eq!(out.status.code(), Some(3), "a failure, by the exit-code policy");
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to change"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(read(&file), broken);
    let config = home.path(".codex/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "model = \n").unwrap();
    assert!(!home.ana(&["install", "codex"]).status.success());
    assert_eq!(read(&config), "model = \n");
}

#[test]
fn two_installs_at_once_corrupt_nothing() {
    let home = Home::new();
    let file = home.put(".claude/settings.json", "claude-settings.json");
    let spawn =
        |timeout: &str| Command::new(env!("CARGO_BIN_EXE_ana")).args(["install", "claude-code", "--timeout", timeout]).env("HOME", home.dir.path()).env("ANA_HOME", home.path("ana")).spawn().unwrap();
    for _ in 0..5 {
        let (mut a, mut b) = (spawn("60"), spawn("90"));
        assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
        let v = json(&file);
        let ours: Vec<_> = v["hooks"]["PreToolUse"].as_array().unwrap().iter().filter(|g| g.to_string().contains("hook --agent claude-code")).collect();
        assert_eq!(ours.len(), 1);
        assert_eq!(v["hooks"]["PreToolUse"].as_array().unwrap().len(), 2);
    }
}

#[test]
fn the_service_unit_points_at_the_agent() {
    let home = Home::new();
    let out = home.ana(&["install", "service"]);
    // Without ana-agent beside ana (a plain `cargo test -p ana`), it says so.
    if !Path::new(env!("CARGO_BIN_EXE_ana")).with_file_name("ana-agent").exists() {
        assert!(!out.status.success());
        return;
    }
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let unit = read(&home.path(".config/systemd/user/ana-agent.service"));
    assert!(unit.contains("ExecStart=") && unit.contains("ana-agent run") && !unit.contains("@ANA_AGENT@"), "{unit}");
    home.ok(&["uninstall", "service"]);
    assert!(!home.path(".config/systemd/user/ana-agent.service").exists());
}

#[test]
fn doctor_reports_what_is_missing() {
    let home = Home::new();
    home.ok(&["install", "claude-code"]);
    let out = home.ana(&["doctor"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("ok    claude-code: hook installed"), "{text}");
    assert!(text.contains("FAIL  approver") && text.contains("FAIL  no security key enrolled"), "{text}");
}

#[test]
fn completions_and_man_page_are_current() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = Command::new(env!("CARGO_BIN_EXE_ana")).args(["completions", shell]).output().unwrap();
        let committed = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("completions/ana.{shell}"))).unwrap();
        assert!(out.stdout == committed, "completions/ana.{shell} is stale: regenerate with `ana completions {shell} > completions/ana.{shell}`");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_ana")).arg("man").output().unwrap();
    let committed = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("man/ana.1")).unwrap();
    assert!(out.stdout == committed, "man/ana.1 is stale: regenerate with `ana man --dir man`");
}

/// `man/` holds exactly the pages `ana man --dir` writes — one per command, byte for byte — so
/// they cannot drift from the binary.
#[test]
fn man_pages_are_current_and_complete() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ana")).args(["man", "--dir"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pages = |d: &Path| -> std::collections::BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(d).unwrap().map(|e| e.unwrap()).map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())).collect()
    };
    let generated = pages(dir.path());
    let committed = pages(&Path::new(env!("CARGO_MANIFEST_DIR")).join("man"));
    let names = |m: &std::collections::BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&committed), names(&generated), "man/ differs from `ana man --dir`: regenerate with `ana man --dir man` (and remove pages of commands that are gone)");
    for (name, text) in &generated {
        assert!(committed[name] == *text, "man/{name} is stale: regenerate with `ana man --dir man`");
    }
    for page in ["ana.1", "ana-approve.1", "ana-history.1", "ana-history-prune.1", "ana-agent.1", "ana-agent-status.1", "ana-enroll.1", "ana-hook.1", "ana-policy-edit.1"] {
        assert!(generated.contains_key(page), "no {page}");
    }
}

/// Every `ana…(N)` a page, the README or a service unit names is a page in `man/`: no dangling
/// references.
#[test]
fn man_pages_name_only_pages_that_exist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("man");
    let mut checked = 0;
    let mut dangling = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.extend(["README.md", "installers/ana-agent.service", "installers/ana-agent-system.service"].map(|f| root.join(f)));
    for path in files {
        // roff writes `-` as `\-`; a reference reads `ana\-history(1)`.
        let text = std::fs::read_to_string(&path).unwrap().replace("\\-", "-");
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(at) = text[i..].find("ana") {
            let start = i + at;
            let word_start = start == 0 || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'-');
            let mut end = start + 3;
            while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'-') {
                end += 1;
            }
            let name = &text[start..end];
            if word_start
                && (name == "ana" || name.starts_with("ana-"))
                && text[end..].starts_with('(')
                && let Some(close) = text[end..].find(')')
            {
                let section = &text[end + 1..end + close];
                if section.len() == 1 && section.chars().all(|c| c.is_ascii_digit()) {
                    checked += 1;
                    let page = format!("{name}.{section}");
                    if !dir.join(&page).exists() {
                        dangling.push(format!("{}: {page}", path.display()));
                    }
                }
            }
            i = end;
        }
    }
    assert!(checked >= 40, "found only {checked} references: the scan broke");
    assert!(dangling.is_empty(), "pages named but not there:\n{}", dangling.join("\n"));
}

/// `ana doctor` recognises every form `ana install` writes, Copilot CLI's `exec` + `args` too.
#[rstest::rstest]
#[case::claude_code("claude-code")]
#[case::copilot_cli("copilot-cli")]
#[case::gemini_cli("gemini-cli")]
#[case::codex("codex")]
fn doctor_recognises_each_install(#[case] agent: &str) {
    let home = Home::new();
    home.ok(&["install", agent]);
    let out = home.ana(&["doctor"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("ok    {agent}: hook installed")), "{text}");
}
