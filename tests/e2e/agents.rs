//! The four agent CLIs the end-to-end tests drive: their names in ana, the model API each speaks
//! (for the mock server), and their commands.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use crate::mock::Api;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Agent {
    Claude,
    Copilot,
    Gemini,
    Codex,
}

pub const AGENTS: [Agent; 4] = [Agent::Claude, Agent::Copilot, Agent::Gemini, Agent::Codex];

impl Agent {
    /// The name `ana install` and `ana hook --agent` take.
    pub fn name(self) -> &'static str {
        match self {
            Agent::Claude => "claude-code",
            Agent::Copilot => "copilot-cli",
            Agent::Gemini => "gemini-cli",
            Agent::Codex => "codex",
        }
    }

    pub fn api(self) -> Api {
        match self {
            Agent::Claude => Api::Anthropic,
            Agent::Copilot => Api::OpenAiChat,
            Agent::Gemini => Api::Gemini,
            Agent::Codex => Api::OpenAiResponses,
        }
    }

    /// The command in `node_modules/.bin`.
    pub fn bin(self) -> &'static str {
        match self {
            Agent::Claude => "claude",
            Agent::Copilot => "copilot",
            Agent::Gemini => "gemini",
            Agent::Codex => "codex",
        }
    }

    /// Sets `c` (the agent's CLI) up for one offline run against a mock model at `base`
    /// (`http://127.0.0.1:PORT`): its prompt, its flags, its provider's variables; for Codex, the
    /// mock provider in `codex_home`'s config.toml is pointed at `base` and the run is in `project`.
    pub fn offline_run(self, c: &mut Command, base: &str, codex_home: &Path, project: &Path) {
        match self {
            Agent::Claude => {
                c.args(["-p", "run the command", "--output-format", "json", "--allowedTools", "Bash"])
                    .env("ANTHROPIC_BASE_URL", base)
                    .env("ANTHROPIC_API_KEY", "dummy")
                    .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
            }
            Agent::Copilot => {
                c.args(["-p", "run the command", "--allow-all-tools"])
                    .env("COPILOT_OFFLINE", "true")
                    .env("COPILOT_PROVIDER_BASE_URL", format!("{base}/v1"))
                    .env("COPILOT_MODEL", "gpt-4.1")
                    .env("COPILOT_PROVIDER_API_KEY", "dummy");
            }
            Agent::Gemini => {
                c.args(["-p", "run the command", "--yolo"]).env("GOOGLE_GEMINI_BASE_URL", base).env("GEMINI_API_KEY", "dummy").env("GEMINI_CLI_TRUST_WORKSPACE", "true");
            }
            Agent::Codex => {
                let cfg = codex_home.join("config.toml");
                let text = std::fs::read_to_string(&cfg).unwrap();
                // The first line with `base_url` is the mock provider's.
                let text: String = text.lines().map(|l| if l.starts_with("base_url") { format!("base_url = \"{base}/v1\"\n") } else { format!("{l}\n") }).collect();
                std::fs::write(&cfg, text).unwrap();
                c.args(["exec", "--skip-git-repo-check", "-C", &project.display().to_string(), "--json", "run the command"]).env("CODEX_HOME", codex_home).env("MOCK_API_KEY", "dummy");
            }
        }
    }
}
