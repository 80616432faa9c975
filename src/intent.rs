//! The intent an approval signs: a typed [`Intent`], written in RFC 9396 `authorization_details`
//! shape, its canonical bytes (RFC 8785, JCS) and the WebAuthn challenge over them.
//!
//! Every member of the JSON form is a field of [`Intent`], and [`Intent::from_value`] refuses a
//! form with any other member: what the key signs is exactly what the prompts render (see
//! `render`), and nothing reads an intent by searching its text. The whole tool input is part of
//! the intent, so every field of it (Edit's `replace_all`, a notebook cell, MCP arguments) is bound.
//!
//! Pure: the caller supplies the nonce and the clock.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::action::{Action, Agent, Kind, Object};
use crate::policy::{Decision, Level, Verdict};

/// The `type` of ana's authorization details for a tool call.
pub const DETAIL_TYPE: &str = "agent_tool_call";
/// The `type` of an administrative action on ana itself (removing a key).
pub const ADMIN_TYPE: &str = "ana_admin";
/// The version of the tool-call form: bumped when its members change.
pub const VERSION: u64 = 2;
/// The largest integer (in magnitude) a JSON number may hold and still have one exact canonical
/// form: RFC 8785 writes numbers as IEEE 754 doubles.
pub const MAX_EXACT_INTEGER: u64 = 1 << 53;

/// Why an intent cannot be built or read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IntentError {
    /// A number in the tool input has no exact canonical form (an integer beyond ±2^53).
    #[error("the number {0} at `{1}` cannot be signed exactly (RFC 8785 numbers are IEEE 754 doubles: integers up to 2^53); ana refuses it rather than sign a rounded value")]
    InexactNumber(String, String),
    /// The JSON form is not an intent ana wrote.
    #[error("not an intent ana can show: {0}")]
    Malformed(String),
}

/// What one approval signs.
#[derive(Clone, Debug, PartialEq)]
pub struct Intent {
    pub body: Body,
    /// presence (a touch) or verification (PIN or biometric).
    pub level: Level,
    /// Drawn by the requester; unique per request.
    pub nonce: String,
    /// When the request was made (unix ms).
    pub created_ms: u64,
    /// After this (unix ms) the approval is worth nothing.
    pub expires_ms: u64,
}

/// What is approved.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// An agent's tool call.
    ToolCall(ToolCall),
    /// Removing an enrolled key (`ana keys remove`).
    KeyRemoval { credential: String, name: String },
}

/// An agent's tool call, as the hook saw it.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolCall {
    pub agent: Agent,
    pub session: String,
    /// The session's working directory (also the RFC 9396 `locations`).
    pub cwd: String,
    /// The tool's own name.
    pub tool: String,
    /// What kind of thing the tool does (the RFC 9396 `actions`).
    pub kind: Kind,
    /// The object as the policy understood it.
    pub target: Target,
    /// The whole tool input, exactly as the agent sent it (canonical numbers only).
    pub input: Value,
    /// The rule that asked for the approval.
    pub rule: Option<String>,
    /// The policy's reason, as the user and the agent read it.
    pub reason: String,
}

/// The object of a tool call, as the policy understood it.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A shell command, exactly as sent.
    Command(String),
    /// Absolute, normalized paths.
    Files(Vec<String>),
    /// A URL, or `search:` and a query.
    Url(String),
    Mcp {
        server: String,
        tool: String,
    },
    /// Nothing beyond the tool input.
    Input,
}

impl Intent {
    /// The intent for `action` under `verdict`; `input` is the whole tool input the agent sent.
    /// Fails when a number in `input` has no exact canonical form.
    pub fn for_action(action: &Action, input: Value, verdict: &Verdict, nonce: &str, created_ms: u64, expires_ms: u64) -> Result<Intent, IntentError> {
        check_numbers(&input, &mut String::from("input"))?;
        let target = match &action.object {
            Object::Command { command } => Target::Command(command.clone()),
            Object::Files { paths, .. } => Target::Files(paths.clone()),
            Object::Url { url } => Target::Url(url.clone()),
            Object::Mcp { server, tool, .. } => Target::Mcp { server: server.clone(), tool: tool.clone() },
            Object::Raw { .. } => Target::Input,
        };
        Ok(Intent {
            body: Body::ToolCall(ToolCall {
                agent: action.agent,
                session: action.session.clone(),
                cwd: action.cwd.clone(),
                tool: action.tool.clone(),
                kind: action.kind,
                target,
                input,
                rule: verdict.rule.clone(),
                reason: verdict.reason.clone(),
            }),
            level: verdict.level,
            nonce: nonce.to_owned(),
            created_ms,
            expires_ms,
        })
    }

    /// The tool call, when this is one.
    pub fn tool_call(&self) -> Option<&ToolCall> {
        match &self.body {
            Body::ToolCall(t) => Some(t),
            Body::KeyRemoval { .. } => None,
        }
    }

    /// The rule that asked for the approval.
    pub fn rule(&self) -> Option<&str> {
        match &self.body {
            Body::ToolCall(t) => t.rule.as_deref(),
            Body::KeyRemoval { .. } => Some("ana.keys-remove"),
        }
    }

    /// The JSON form (RFC 9396 authorization details) whose canonical bytes the key signs.
    pub fn to_value(&self) -> Value {
        let mut d = Map::new();
        match &self.body {
            Body::ToolCall(t) => {
                d.insert("type".into(), DETAIL_TYPE.into());
                d.insert("version".into(), VERSION.into());
                d.insert("actions".into(), json!([t.kind.name()]));
                d.insert("locations".into(), json!([format!("file://{}", t.cwd)]));
                d.insert("agent".into(), t.agent.name().into());
                d.insert("session".into(), t.session.clone().into());
                d.insert("cwd".into(), t.cwd.clone().into());
                d.insert("tool".into(), t.tool.clone().into());
                match &t.target {
                    Target::Command(c) => {
                        d.insert("command".into(), c.clone().into());
                    }
                    Target::Files(p) => {
                        d.insert("paths".into(), json!(p));
                    }
                    Target::Url(u) => {
                        d.insert("url".into(), u.clone().into());
                    }
                    Target::Mcp { server, tool } => {
                        d.insert("mcp".into(), json!({"server": server, "tool": tool}));
                    }
                    Target::Input => {}
                }
                d.insert("input".into(), t.input.clone());
                d.insert("rule".into(), t.rule.clone().map_or(Value::Null, Value::from));
                d.insert("reason".into(), t.reason.clone().into());
                d.insert("decision".into(), Decision::Approve.name().into());
            }
            Body::KeyRemoval { credential, name } => {
                d.insert("type".into(), ADMIN_TYPE.into());
                d.insert("actions".into(), json!(["keys.remove"]));
                d.insert("credential".into(), credential.clone().into());
                d.insert("name".into(), name.clone().into());
            }
        }
        d.insert("level".into(), self.level.name().into());
        d.insert("nonce".into(), self.nonce.clone().into());
        d.insert("created_at".into(), self.created_ms.into());
        d.insert("expires_at".into(), self.expires_ms.into());
        Value::Object(d)
    }

    /// Reads an intent back. Strict: an unknown or missing member, a member of the wrong type, a
    /// `locations` that is not the cwd, or a number without an exact canonical form is refused,
    /// so that nothing is signed that the prompts do not show.
    pub fn from_value(v: &Value) -> Result<Intent, IntentError> {
        let bad = |why: String| IntentError::Malformed(why);
        let m = v.as_object().ok_or_else(|| bad("not a JSON object".into()))?;
        let s = |k: &str| -> Result<String, IntentError> { m.get(k).and_then(Value::as_str).map(str::to_owned).ok_or_else(|| bad(format!("`{k}` is missing or not a string"))) };
        let n = |k: &str| -> Result<u64, IntentError> { m.get(k).and_then(Value::as_u64).ok_or_else(|| bad(format!("`{k}` is missing or not a whole number"))) };
        let allowed: &[&str] = match m.get("type").and_then(Value::as_str) {
            Some(DETAIL_TYPE) => &[
                "type",
                "version",
                "actions",
                "locations",
                "agent",
                "session",
                "cwd",
                "tool",
                "command",
                "paths",
                "url",
                "mcp",
                "input",
                "rule",
                "reason",
                "decision",
                "level",
                "nonce",
                "created_at",
                "expires_at",
            ],
            Some(ADMIN_TYPE) => &["type", "actions", "credential", "name", "level", "nonce", "created_at", "expires_at"],
            _ => return Err(bad("an unknown `type`".into())),
        };
        if let Some(k) = m.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(bad(format!("an unknown member `{k}`")));
        }
        let level = match s("level")?.as_str() {
            "presence" => Level::Presence,
            "verification" => Level::Verification,
            other => return Err(bad(format!("an unknown level `{other}`"))),
        };
        let one = |k: &str| -> Result<String, IntentError> {
            match m.get(k).and_then(Value::as_array).map(Vec::as_slice) {
                Some([Value::String(x)]) => Ok(x.clone()),
                _ => Err(bad(format!("`{k}` is not a list of one string"))),
            }
        };
        let body = if m["type"] == ADMIN_TYPE {
            if one("actions")? != "keys.remove" {
                return Err(bad("an unknown administrative action".into()));
            }
            Body::KeyRemoval { credential: s("credential")?, name: s("name")? }
        } else {
            if n("version")? != VERSION {
                return Err(bad(format!("intent version {} (this ana reads {VERSION})", n("version")?)));
            }
            if s("decision")? != Decision::Approve.name() {
                return Err(bad("`decision` is not approve".into()));
            }
            let cwd = s("cwd")?;
            if one("locations")? != format!("file://{cwd}") {
                return Err(bad("`locations` is not the cwd".into()));
            }
            let kind = kind_of(&one("actions")?).ok_or_else(|| bad("an unknown action".into()))?;
            let agent = Agent::from_name(&s("agent")?).filter(|a| a.name() == s("agent").unwrap_or_default()).ok_or_else(|| bad("an unknown agent".into()))?;
            let present: Vec<&str> = ["command", "paths", "url", "mcp"].into_iter().filter(|k| m.contains_key(*k)).collect();
            let target = match present.as_slice() {
                [] => Target::Input,
                ["command"] => Target::Command(s("command")?),
                ["url"] => Target::Url(s("url")?),
                ["paths"] => Target::Files(
                    m["paths"].as_array().and_then(|a| a.iter().map(|p| p.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>()).ok_or_else(|| bad("`paths` is not a list of strings".into()))?,
                ),
                ["mcp"] => {
                    let mcp = m["mcp"].as_object().filter(|o| o.len() == 2).ok_or_else(|| bad("`mcp` is not {server, tool}".into()))?;
                    match (mcp.get("server").and_then(Value::as_str), mcp.get("tool").and_then(Value::as_str)) {
                        (Some(server), Some(tool)) => Target::Mcp { server: server.into(), tool: tool.into() },
                        _ => return Err(bad("`mcp` is not {server, tool}".into())),
                    }
                }
                _ => return Err(bad("more than one object".into())),
            };
            let input = m.get("input").cloned().ok_or_else(|| bad("`input` is missing".into()))?;
            check_numbers(&input, &mut String::from("input"))?;
            let rule = match m.get("rule") {
                Some(Value::Null) => None,
                Some(Value::String(r)) => Some(r.clone()),
                _ => return Err(bad("`rule` is missing or not a string".into())),
            };
            Body::ToolCall(ToolCall { agent, session: s("session")?, cwd, tool: s("tool")?, kind, target, input, rule, reason: s("reason")? })
        };
        Ok(Intent { body, level, nonce: s("nonce")?, created_ms: n("created_at")?, expires_ms: n("expires_at")? })
    }

    /// The canonical bytes (RFC 8785).
    pub fn canonical(&self) -> String {
        canonical(&self.to_value()).expect("an Intent's numbers are checked when it is made")
    }

    /// SHA-256 of the canonical intent: the WebAuthn challenge.
    pub fn challenge(&self) -> [u8; 32] {
        Sha256::digest(self.canonical().as_bytes()).into()
    }

    /// SHA-256 of the canonical action part: what a one-time grant is bound to.
    pub fn action_digest(&self) -> [u8; 32] {
        action_digest(&self.to_value()).expect("an Intent's numbers are checked when it is made")
    }
}

fn kind_of(name: &str) -> Option<Kind> {
    [Kind::Exec, Kind::Write, Kind::Edit, Kind::Read, Kind::Fetch, Kind::Mcp, Kind::Other].into_iter().find(|k| k.name() == name)
}

/// Refuses numbers that RFC 8785 cannot write exactly; `at` names where, for the message.
fn check_numbers(v: &Value, at: &mut String) -> Result<(), IntentError> {
    match v {
        Value::Number(n) => {
            let exact = match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => i.unsigned_abs() <= MAX_EXACT_INTEGER,
                (None, Some(u)) => u <= MAX_EXACT_INTEGER,
                _ => n.as_f64().is_some_and(f64::is_finite),
            };
            if !exact {
                return Err(IntentError::InexactNumber(n.to_string(), at.clone()));
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("[{i}]"));
                check_numbers(x, at)?;
                at.truncate(len);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                let len = at.len();
                at.push('.');
                at.push_str(k);
                check_numbers(x, at)?;
                at.truncate(len);
            }
        }
        _ => {}
    }
    Ok(())
}

/// The signed level of a stored canonical intent (history records of any intent version).
pub fn signed_level(canonical_intent: &str) -> Option<Level> {
    let v: Value = serde_json::from_str(canonical_intent).ok()?;
    match v.get("level")?.as_str()? {
        "presence" => Some(Level::Presence),
        "verification" => Some(Level::Verification),
        _ => None,
    }
}

/// The members that make an intent unique to one request; without them, what remains names the
/// action itself (what a one-time grant is bound to).
const PER_REQUEST: [&str; 3] = ["nonce", "created_at", "expires_at"];

/// The intent without its per-request members.
pub fn action_part(intent: &Value) -> Value {
    let mut v = intent.clone();
    if let Value::Object(m) = &mut v {
        for k in PER_REQUEST {
            m.remove(k);
        }
    }
    v
}

/// RFC 8785 canonical JSON. Numbers are written as ECMAScript writes doubles; an integer beyond
/// ±2^53 (which a double cannot hold exactly) is an error.
pub fn canonical(v: &Value) -> Result<String, String> {
    let mut out = String::new();
    write_canonical(v, &mut out)?;
    Ok(out)
}

fn write_canonical(v: &Value, out: &mut String) -> Result<(), String> {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                if i.unsigned_abs() > MAX_EXACT_INTEGER {
                    return Err(format!("the number {n} has no exact canonical form"));
                }
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                if u > MAX_EXACT_INTEGER {
                    return Err(format!("the number {n} has no exact canonical form"));
                }
                out.push_str(&u.to_string());
            } else {
                match n.as_f64() {
                    Some(f) if f.is_finite() => out.push_str(&es_number(f)),
                    _ => return Err(format!("the number {n} has no canonical form")),
                }
            }
        }
        Value::String(s) => write_string(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(x, out)?;
            }
            out.push(']');
        }
        Value::Object(m) => {
            // Keys sort by their UTF-16 code units.
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_canonical(&m[k.as_str()], out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// A finite double as ECMAScript's `Number.prototype.toString` writes it (RFC 8785 §3.2.2.3):
/// the shortest digits that read back as the same double, plain between 1e-7 and 1e21.
pub fn es_number(f: f64) -> String {
    if f == 0.0 {
        return "0".into();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "-1.2345e-7".
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` writes an exponent");
    let exp: i32 = exp.parse().expect("`{:e}` writes an integer exponent");
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i32;
    let n = exp + 1;
    let mut out = String::new();
    if f < 0.0 {
        out.push('-');
    }
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if n - 1 < 0 { '-' } else { '+' });
        out.push_str(&(n - 1).abs().to_string());
    }
    out
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// SHA-256 of the canonical intent: the WebAuthn challenge.
pub fn challenge(intent: &Value) -> Result<[u8; 32], String> {
    Ok(Sha256::digest(canonical(intent)?.as_bytes()).into())
}

/// SHA-256 of the canonical action part: what a one-time grant is bound to.
pub fn action_digest(intent: &Value) -> Result<[u8; 32], String> {
    Ok(Sha256::digest(canonical(&action_part(intent))?.as_bytes()).into())
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh random nonce, base64url without padding.
pub fn nonce() -> Result<String, getrandom::Error> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)?;
    Ok(crate::webauthn::b64(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc8785_examples() {
        // Key order by UTF-16 code units; minimal escapes; integers as written.
        let v = json!({"b": 1, "a": "x\ny\u{1}\"", "\u{20ac}": true, "\r": [null, false], "10": {}, "1": -5});
        assert_eq!(canonical(&v).unwrap(), r#"{"\r":[null,false],"1":-5,"10":{},"a":"x\ny\u0001\"","b":1,"€":true}"#);
        // Astral characters sort by their surrogates (UTF-16), not by code point.
        let v = json!({"\u{1F600}": 1, "\u{FB33}": 2});
        assert_eq!(canonical(&v).unwrap(), "{\"\u{1F600}\":1,\"\u{FB33}\":2}");
    }

    #[test]
    fn rfc8785_numbers() {
        // RFC 8785 appendix B and ECMAScript's Number.prototype.toString.
        for (f, s) in [
            (1.5, "1.5"),
            (-0.0, "0"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
            (333333333.3333333, "333333333.3333333"),
            (1e23, "1e+23"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (-1.25e-9, "-1.25e-9"),
            (0.1, "0.1"),
            (4.35, "4.35"),
            (295147905179352830000.0, "295147905179352830000"),
        ] {
            assert_eq!(es_number(f), s, "{f:e}");
            assert_eq!(canonical(&json!(f)).unwrap(), s);
        }
        assert_eq!(canonical(&json!(9_007_199_254_740_992u64)).unwrap(), "9007199254740992");
        assert!(canonical(&json!(9_007_199_254_740_993u64)).is_err());
        assert!(canonical(&json!(-9_007_199_254_740_993i64)).is_err());
    }

    #[test]
    fn action_part_drops_per_request_members() {
        let a = json!({"type": "agent_tool_call", "command": "x", "nonce": "n1", "created_at": 1, "expires_at": 2});
        let b = json!({"type": "agent_tool_call", "command": "x", "nonce": "n2", "created_at": 5, "expires_at": 9});
        assert_ne!(challenge(&a).unwrap(), challenge(&b).unwrap());
        assert_eq!(action_digest(&a).unwrap(), action_digest(&b).unwrap());
    }

    fn edit(replace_all: bool) -> Intent {
        let action = Action {
            agent: Agent::ClaudeCode,
            session: "s".into(),
            cwd: "/p".into(),
            tool: "Edit".into(),
            kind: Kind::Edit,
            object: Object::Files { paths: vec!["/p/a.rs".into()], spelled: Vec::new(), content: None, old: None, pattern: None },
        };
        let verdict = Verdict { decision: Decision::Approve, level: Level::Presence, rule: Some("r".into()), reason: "why".into(), subject: String::new() };
        let input = json!({"file_path": "a.rs", "old_string": "x", "new_string": "y", "replace_all": replace_all});
        Intent::for_action(&action, input, &verdict, "nonce-0000000000000", 1, 2).unwrap()
    }

    #[test]
    fn the_json_form_reads_back_as_the_same_intent() {
        let i = edit(true);
        assert_eq!(Intent::from_value(&i.to_value()).unwrap(), i);
        let admin = Intent { body: Body::KeyRemoval { credential: "abc".into(), name: "spare".into() }, level: Level::Presence, nonce: "n".into(), created_ms: 1, expires_ms: 2 };
        assert_eq!(Intent::from_value(&admin.to_value()).unwrap(), admin);
    }

    #[test]
    fn every_member_of_the_tool_input_is_bound() {
        assert_ne!(edit(true).action_digest(), edit(false).action_digest());
    }

    #[test]
    fn a_member_the_prompt_would_not_show_is_refused() {
        let mut v = edit(false).to_value();
        v["display"] = "npm test".into();
        assert!(matches!(Intent::from_value(&v), Err(IntentError::Malformed(m)) if m.contains("display")));
        let mut v = edit(false).to_value();
        v["locations"] = json!(["file:///elsewhere"]);
        assert!(Intent::from_value(&v).is_err());
        let mut v = edit(false).to_value();
        v["command"] = "git push -f".into();
        assert!(Intent::from_value(&v).is_err(), "two objects");
    }

    #[test]
    fn fractions_are_signed_and_huge_integers_refused_by_name() {
        let action = Action {
            agent: Agent::ClaudeCode,
            session: "s".into(),
            cwd: "/p".into(),
            tool: "mcp__db__q".into(),
            kind: Kind::Mcp,
            object: Object::Mcp { server: "db".into(), tool: "q".into(), input: json!({}) },
        };
        let verdict = Verdict { decision: Decision::Approve, level: Level::Presence, rule: None, reason: "r".into(), subject: String::new() };
        let ok = Intent::for_action(&action, json!({"ratio": 0.25, "limit": 10}), &verdict, "n", 1, 2).unwrap();
        assert!(ok.canonical().contains("\"ratio\":0.25"));
        let err = Intent::for_action(&action, json!({"rows": [1, 18446744073709551615u64]}), &verdict, "n", 1, 2).unwrap_err();
        assert_eq!(err, IntentError::InexactNumber("18446744073709551615".into(), "input.rows[1]".into()));
        assert!(err.to_string().contains("cannot be signed exactly"));
    }
}
