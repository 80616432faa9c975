//! The intent an approval signs: the action in RFC 9396 `authorization_details` shape, a nonce,
//! and an expiry; its canonical bytes (RFC 8785, JCS) and the WebAuthn challenge over them.
//!
//! Pure: the caller supplies the nonce and the clock.

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::action::{Action, Object};
use crate::policy::{Decision, Verdict};

/// The `type` of ana's authorization details.
pub const DETAIL_TYPE: &str = "agent_tool_call";

/// Builds the intent for `action` under `verdict`. `content` is the text a Write or Edit would put
/// in the file; its digest is bound so the approval covers that exact content.
pub fn build(action: &Action, verdict: &Verdict, nonce: &str, created_ms: u64, expires_ms: u64) -> Value {
    let mut d = Map::new();
    d.insert("type".into(), DETAIL_TYPE.into());
    d.insert("actions".into(), json!([action.kind.name()]));
    d.insert("locations".into(), json!([format!("file://{}", action.cwd)]));
    d.insert("agent".into(), action.agent.name().into());
    d.insert("session".into(), action.session.clone().into());
    d.insert("cwd".into(), action.cwd.clone().into());
    d.insert("tool".into(), action.tool.clone().into());
    match &action.object {
        Object::Command { command } => {
            d.insert("command".into(), command.clone().into());
        }
        Object::Files { paths, content, old } => {
            d.insert("paths".into(), json!(paths));
            if let Some(c) = content {
                d.insert("content_sha256".into(), hex(&Sha256::digest(c.as_bytes())).into());
            }
            if let Some(o) = old {
                d.insert("old_sha256".into(), hex(&Sha256::digest(o.as_bytes())).into());
            }
        }
        Object::Url { url } => {
            d.insert("url".into(), url.clone().into());
        }
        Object::Mcp { server, tool, input } => {
            d.insert("mcp".into(), json!({"server": server, "tool": tool, "input": input}));
        }
        Object::Raw { input } => {
            d.insert("input".into(), input.clone());
        }
    }
    d.insert("rule".into(), verdict.rule.clone().map_or(Value::Null, Value::from));
    d.insert("decision".into(), Decision::Approve.name().into());
    d.insert("level".into(), verdict.level.name().into());
    d.insert("nonce".into(), nonce.into());
    d.insert("created_at".into(), created_ms.into());
    d.insert("expires_at".into(), expires_ms.into());
    Value::Object(d)
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

/// RFC 8785 canonical JSON. Fails on non-integral numbers, which an intent never holds.
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
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
                    out.push_str(&(f as i64).to_string());
                } else {
                    return Err(format!("the number {n} has no canonical form here"));
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
        assert!(canonical(&json!(1.5)).is_err());
    }

    #[test]
    fn action_part_drops_per_request_members() {
        let a = json!({"type": "agent_tool_call", "command": "x", "nonce": "n1", "created_at": 1, "expires_at": 2});
        let b = json!({"type": "agent_tool_call", "command": "x", "nonce": "n2", "created_at": 5, "expires_at": 9});
        assert_ne!(challenge(&a).unwrap(), challenge(&b).unwrap());
        assert_eq!(action_digest(&a).unwrap(), action_digest(&b).unwrap());
    }
}
