//! The four agent CLIs the end-to-end tests drive: their names in ana, the model API each speaks
//! (for the mock server), and their commands.
#![allow(dead_code)]

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
}
