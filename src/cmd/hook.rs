//! `ana hook`: the enforcement point each agent runs before every tool call.
//!
//! Reads one payload on stdin, classifies it, answers in the agent's own format, and exits. It
//! fails closed: bad arguments, a malformed payload, a broken policy, a panic, or running out of
//! time all end in an explicit deny. It never starts an async runtime, never opens the history
//! on the allow path, and skips the general CLI parser (`main` hands argv straight here).

use std::ffi::OsString;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use crate::action::Agent;
use crate::paths::Paths;
use crate::policy::Decision;
use crate::wire::{self, Answer, Rendered};

/// The agent's hook timeout when `--timeout` is not given: each agent's documented default,
/// capped so that a forgotten flag never means a ten-minute wait.
fn default_timeout(agent: Option<Agent>) -> Duration {
    Duration::from_secs(match agent {
        Some(Agent::CopilotCli) => 30,
        Some(Agent::GeminiCli) => 60,
        _ => 120,
    })
}

/// How long before the agent's deadline the hook answers: enough to be scheduled, write and exit
/// on a loaded machine.
pub fn margin(timeout: Duration) -> Duration {
    (timeout / 10).clamp(Duration::from_millis(200), Duration::from_secs(3))
}

/// Set once the answer is being written, so the watchdog and the main path never both answer.
static ANSWERED: AtomicBool = AtomicBool::new(false);
/// The deny the watchdog and the panic hook write, rendered before any work starts.
static FALLBACK: OnceLock<(Vec<u8>, Vec<u8>, i32)> = OnceLock::new();

/// A deny that every agent reads as a block, for when the agent is not known: Claude Code and
/// Codex read `hookSpecificOutput`, Copilot CLI `permissionDecision`, Gemini CLI `decision`, and
/// the exit code 2 blocks in all but Copilot CLI, which blocks on the JSON.
pub fn universal_deny(reason: &str) -> Rendered {
    let v = serde_json::json!({
        "hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "deny", "permissionDecisionReason": reason},
        "permissionDecision": "deny",
        "permissionDecisionReason": reason,
        "decision": "deny",
        "reason": reason,
    });
    Rendered { stdout: format!("{v}\n"), stderr: format!("ana: {reason}\n"), code: 2 }
}

fn render_deny(agent: Option<Agent>, reason: &str) -> Rendered {
    match agent {
        Some(a) => wire::render(a, &Answer::Deny(reason.to_owned())),
        None => universal_deny(reason),
    }
}

/// Writes the answer once and exits.
fn answer(r: &Rendered) -> ! {
    if ANSWERED.swap(true, Ordering::SeqCst) {
        // The watchdog is answering; let it finish.
        std::thread::sleep(Duration::from_secs(5));
        std::process::exit(r.code);
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(r.stdout.as_bytes());
    let _ = out.flush();
    if !r.stderr.is_empty() {
        let _ = std::io::stderr().write_all(r.stderr.as_bytes());
    }
    std::process::exit(r.code)
}

extern "C" fn on_alarm(_: libc::c_int) {
    if ANSWERED.swap(true, Ordering::SeqCst) {
        return;
    }
    if let Some((out, err, code)) = FALLBACK.get() {
        // SAFETY: write(2) and _exit(2) are async-signal-safe; the buffers were built before the
        // alarm was armed and are never freed.
        unsafe {
            libc::write(1, out.as_ptr().cast(), out.len());
            libc::write(2, err.as_ptr().cast(), err.len());
            libc::_exit(*code);
        }
    }
    // SAFETY: as above.
    unsafe { libc::_exit(2) }
}

/// Arms a one-shot timer that answers deny at `after` if the hook has not answered by then.
fn arm_watchdog(after: Duration) {
    // SAFETY: installs a handler that only calls async-signal-safe functions, then arms a
    // one-shot real-time timer.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_alarm as *const () as usize;
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(libc::SIGALRM, &sa, std::ptr::null_mut());
        let t = libc::itimerval {
            it_interval: libc::timeval { tv_sec: 0, tv_usec: 0 },
            it_value: libc::timeval { tv_sec: after.as_secs() as libc::time_t, tv_usec: after.subsec_micros() as libc::suseconds_t },
        };
        libc::setitimer(libc::ITIMER_REAL, &t, std::ptr::null_mut());
    }
}

struct Args {
    agent: Option<Agent>,
    timeout: Option<Duration>,
}

fn parse_args(args: &[OsString]) -> Result<Args, String> {
    let mut out = Args { agent: None, timeout: None };
    let mut it = args.iter().map(|a| a.to_str().ok_or_else(|| "an argument is not UTF-8".to_owned()));
    while let Some(a) = it.next() {
        let a = a?;
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (a, None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => it.next().ok_or_else(|| format!("`{name}` needs a value"))?.map(str::to_owned),
            }
        };
        match flag {
            "--agent" | "-a" => {
                let v = value("--agent")?;
                out.agent = Some(Agent::from_name(&v).ok_or_else(|| format!("unknown agent `{v}` (claude-code, copilot-cli, gemini-cli, codex)"))?);
            }
            "--timeout" | "-t" => {
                let v = value("--timeout")?;
                let secs: f64 = v.parse().map_err(|_| format!("`--timeout {v}` is not a number of seconds"))?;
                if !(1.0..=86_400.0).contains(&secs) {
                    return Err(format!("`--timeout {v}` must be between 1 and 86400 seconds"));
                }
                out.timeout = Some(Duration::from_secs_f64(secs));
            }
            other => return Err(format!("unknown argument `{other}` to `ana hook`")),
        }
    }
    Ok(out)
}

/// Runs the hook with the process's argv after `hook`. Never returns.
pub fn main(args: &[OsString]) -> ! {
    let started = std::time::Instant::now();
    let parsed = parse_args(args);
    let agent_arg = parsed.as_ref().ok().and_then(|a| a.agent);
    let timeout = parsed.as_ref().ok().and_then(|a| a.timeout).unwrap_or_else(|| default_timeout(agent_arg));
    let deadline = timeout.saturating_sub(margin(timeout));

    let fallback = render_deny(agent_arg, "ana could not decide before the hook's deadline; the call is blocked. Retry it.");
    let _ = FALLBACK.set((fallback.stdout.into_bytes(), fallback.stderr.into_bytes(), fallback.code));
    std::panic::set_hook(Box::new(move |info| {
        let r = render_deny(agent_arg, &format!("ana failed internally ({info}); the call is blocked. Please report this."));
        answer(&r);
    }));
    arm_watchdog(deadline);

    let args = match parsed {
        Ok(a) => a,
        Err(e) => answer(&render_deny(None, &format!("ana hook: {e}"))),
    };
    let mut input = Vec::with_capacity(8192);
    let limit = wire::MAX_PAYLOAD_BYTES as u64 + 1;
    if let Err(e) = std::io::stdin().lock().take(limit).read_to_end(&mut input) {
        answer(&render_deny(args.agent, &format!("ana could not read the hook payload: {e}")));
    }
    let agent = match args.agent.or_else(|| wire::detect_agent(&input, |k| std::env::var(k).ok())) {
        Some(a) => a,
        None => answer(&universal_deny("ana could not tell which agent sent this call; install the hook with `ana install AGENT`, which passes `--agent`")),
    };
    let _ = FALLBACK.set({
        let r = render_deny(Some(agent), "ana could not decide before the hook's deadline; the call is blocked. Retry it.");
        (r.stdout.into_bytes(), r.stderr.into_bytes(), r.code)
    });

    let paths = Paths::current();
    let action = match wire::parse(agent, &input, &paths.home) {
        Ok(a) => a,
        Err(e) => answer(&wire::render(agent, &Answer::Deny(format!("ana blocked this call: {e}")))),
    };
    let verdict = match crate::guard::classify(&paths, &action) {
        Ok((v, _, _)) => v,
        Err(e) => answer(&wire::render(agent, &Answer::Deny(format!("ana's policy is broken, so every call is blocked until it is fixed: {e}. Ask the user to run `ana policy check`.")))),
    };
    let reply = match verdict.decision {
        Decision::Allow => Answer::NoOpinion,
        Decision::Deny => Answer::Deny(verdict.reason.clone()),
        Decision::Ask => Answer::Ask(verdict.reason.clone()),
        Decision::Approve => {
            let remaining = deadline.saturating_sub(started.elapsed());
            crate::cmd::approval::request(&paths, &action, &verdict, remaining)
        }
    };
    answer(&wire::render(agent, &reply))
}
