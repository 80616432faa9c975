//! Mock model servers for the end-to-end tests: just enough of each vendor's streaming API for
//! a real agent CLI to ask for one tool call and then finish. Loopback only; the accept loop
//! stops by itself.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request the agent made.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub body: String,
}

/// What the scripted model does next, given how many tool results it has seen.
pub type Script = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

pub enum Reply {
    /// Ask for this shell command.
    Tool(String),
    /// Say this and stop.
    Text(String),
    /// A plain JSON answer (for side requests the agent makes).
    Json(String),
}

pub struct Mock {
    pub port: u16,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Which wire protocol to speak.
#[derive(Clone, Copy, Debug)]
pub enum Api {
    /// Claude Code: POST /v1/messages (Anthropic Messages, SSE).
    Anthropic,
    /// Copilot CLI (BYOK): POST /v1/chat/completions (OpenAI chat, SSE).
    OpenAiChat,
    /// Codex: POST /v1/responses (OpenAI Responses, SSE).
    OpenAiResponses,
    /// Gemini CLI: POST /v1beta/models/*:streamGenerateContent?alt=sse.
    Gemini,
}

impl Mock {
    /// Serves `api` on 127.0.0.1 until dropped (or 5 minutes, whichever is first).
    pub fn start(api: Api, script: Arc<Script>) -> Mock {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen2, stop2) = (seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(300);
            while !stop2.load(Ordering::SeqCst) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (seen, script) = (seen2.clone(), script.clone());
                        std::thread::spawn(move || {
                            let _ = serve(stream, api, &seen, &*script);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Mock { port, seen, stop, thread: Some(thread) }
    }

    pub fn bodies(&self) -> String {
        self.seen.lock().unwrap().iter().map(|s| s.body.as_str()).collect::<Vec<_>>().join("\n")
    }
}

fn serve(stream: TcpStream, api: Api, seen: &Mutex<Vec<Seen>>, script: &Script) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut length = 0usize;
        let mut chunked = false;
        loop {
            let mut h = String::new();
            reader.read_line(&mut h)?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let lower = h.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
            if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                let mut size = String::new();
                reader.read_line(&mut size)?;
                let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
                let mut chunk = vec![0; n + 2];
                reader.read_exact(&mut chunk)?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
        } else {
            body.resize(length, 0);
            reader.read_exact(&mut body)?;
        }
        let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_owned();
        let s = Seen { path: path.clone(), body: String::from_utf8_lossy(&body).into_owned() };
        let results = tool_results(api, &s.body);
        if std::env::var_os("ANA_E2E_TRACE").is_some() {
            eprintln!("    mock: {} {} tool results, {} bytes", s.path, results, s.body.len());
        }
        seen.lock().unwrap().push(s.clone());
        let mut w = stream.try_clone()?;
        if request_line.starts_with("GET") {
            let b = "{\"data\":[],\"models\":[]}";
            write!(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{b}", b.len())?;
            continue;
        }
        let reply = script(&s, results);
        let (ctype, payload) = match reply {
            Reply::Json(j) => ("application/json", j),
            r => ("text/event-stream", sse(api, &r)),
        };
        write!(w, "HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nCache-Control: no-cache\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}", payload.len())?;
        w.flush()?;
        return Ok(());
    }
}

/// How many tool results the conversation so far holds.
fn tool_results(api: Api, body: &str) -> usize {
    let marker = match api {
        Api::Anthropic => "\"tool_result\"",
        Api::OpenAiChat => "\"role\":\"tool\"",
        Api::OpenAiResponses => "\"function_call_output\"",
        Api::Gemini => "\"functionResponse\"",
    };
    body.matches(marker).count()
}

fn ev(name: Option<&str>, data: serde_json::Value) -> String {
    match name {
        Some(n) => format!("event: {n}\ndata: {data}\n\n"),
        None => format!("data: {data}\n\n"),
    }
}

/// Every tool call gets its own id: an agent that sees one id twice takes the second call for
/// the first.
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn sse(api: Api, r: &Reply) -> String {
    use serde_json::json;
    let id = format!("call_{}_{}", std::process::id(), NEXT_ID.fetch_add(1, Ordering::SeqCst));
    match (api, r) {
        (Api::Anthropic, r) => {
            let mut s = ev(
                Some("message_start"),
                json!({"type":"message_start","message":{"id":"msg_mock","type":"message","role":"assistant","model":"claude-mock","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}),
            );
            match r {
                Reply::Tool(cmd) => {
                    s += &ev(Some("content_block_start"), json!({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":format!("toolu_{id}"),"name":"Bash","input":{}}}));
                    s += &ev(
                        Some("content_block_delta"),
                        json!({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":json!({"command":cmd,"description":"run it"}).to_string()}}),
                    );
                    s += &ev(Some("content_block_stop"), json!({"type":"content_block_stop","index":0}));
                    s += &ev(Some("message_delta"), json!({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":1}}));
                }
                Reply::Text(t) | Reply::Json(t) => {
                    s += &ev(Some("content_block_start"), json!({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}));
                    s += &ev(Some("content_block_delta"), json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":t}}));
                    s += &ev(Some("content_block_stop"), json!({"type":"content_block_stop","index":0}));
                    s += &ev(Some("message_delta"), json!({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":1}}));
                }
            }
            s + &ev(Some("message_stop"), json!({"type":"message_stop"}))
        }
        (Api::OpenAiChat, r) => {
            let base = json!({"id":"chatcmpl-mock","object":"chat.completion.chunk","created":1,"model":"gpt-4.1"});
            let chunk = |delta: serde_json::Value, finish: Option<&str>| {
                let mut c = base.clone();
                c["choices"] = json!([{"index":0,"delta":delta,"finish_reason":finish}]);
                ev(None, c)
            };
            let mut s = match r {
                Reply::Tool(cmd) => {
                    chunk(
                        json!({"role":"assistant","content":null,"tool_calls":[{"index":0,"id":id,"type":"function","function":{"name":"bash","arguments":json!({"command":cmd,"description":"run it"}).to_string()}}]}),
                        None,
                    ) + &chunk(json!({}), Some("tool_calls"))
                }
                Reply::Text(t) | Reply::Json(t) => chunk(json!({"role":"assistant","content":t}), None) + &chunk(json!({}), Some("stop")),
            };
            s += "data: [DONE]\n\n";
            s
        }
        (Api::OpenAiResponses, r) => {
            let item = match r {
                Reply::Tool(cmd) => json!({"type":"function_call","id":format!("fc_{id}"),"call_id":id,"name":"exec_command","arguments":json!({"cmd":cmd}).to_string(),"status":"completed"}),
                Reply::Text(t) | Reply::Json(t) => json!({"type":"message","id":"msg_mock","role":"assistant","status":"completed","content":[{"type":"output_text","text":t,"annotations":[]}]}),
            };
            ev(Some("response.created"), json!({"type":"response.created","response":{"id":"resp_mock","status":"in_progress","output":[]}}))
                + &ev(Some("response.output_item.done"), json!({"type":"response.output_item.done","output_index":0,"item":item}))
                + &ev(
                    Some("response.completed"),
                    json!({"type":"response.completed","response":{"id":"resp_mock","status":"completed","output":[item],"usage":{"input_tokens":1,"input_tokens_details":{"cached_tokens":0},"output_tokens":1,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":2}}}),
                )
        }
        (Api::Gemini, r) => {
            let part = match r {
                Reply::Tool(cmd) => json!({"functionCall":{"name":"run_shell_command","args":{"command":cmd,"description":"run it"}}}),
                Reply::Text(t) | Reply::Json(t) => json!({"text":t}),
            };
            ev(
                None,
                json!({"candidates":[{"content":{"role":"model","parts":[part]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":1,"candidatesTokenCount":1,"totalTokenCount":2},"modelVersion":"gemini-mock"}),
            )
        }
    }
}
