//! The ready snippets in hooks/ are valid and agree with themselves: the hook's `--timeout` equals
//! the agent's own timeout for it.

fn read(name: &str) -> serde_json::Value {
    let p = format!("{}/hooks/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn timeout_arg(command: &str) -> f64 {
    let words: Vec<&str> = command.split_whitespace().collect();
    let i = words.iter().position(|w| *w == "--timeout").expect("the hook gets --timeout");
    words[i + 1].parse().unwrap()
}

#[test]
fn claude_code() {
    let v = read("claude-code.settings.json");
    let h = &v["hooks"]["PreToolUse"][0]["hooks"][0];
    assert_eq!(h["onFailure"], "block");
    assert_eq!(timeout_arg(h["command"].as_str().unwrap()), h["timeout"].as_f64().unwrap());
}

#[test]
fn copilot_cli() {
    let v = read("copilot-cli.ana.json");
    let h = &v["hooks"]["preToolUse"][0];
    let args: Vec<&str> = h["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert_eq!(timeout_arg(&args.join(" ")), h["timeoutSec"].as_f64().unwrap());
}

#[test]
fn gemini_cli() {
    let v = read("gemini-cli.settings.json");
    let h = &v["hooks"]["BeforeTool"][0]["hooks"][0];
    assert_eq!(timeout_arg(h["command"].as_str().unwrap()) * 1000.0, h["timeout"].as_f64().unwrap());
}

#[test]
fn codex() {
    let v = read("codex.hooks.json");
    let h = &v["hooks"]["PreToolUse"][0]["hooks"][0];
    assert_eq!(timeout_arg(h["command"].as_str().unwrap()), h["timeout"].as_f64().unwrap());
}
