//! `ana hook`: the enforcement point each agent runs before every tool call.
//!
//! Reads one payload on stdin, classifies it, answers in the agent's own format, and exits. A
//! shell command it lets run (allowed, under a `confine` rule, or approved) is handed back
//! rewritten to run confined (`crate::confine`); anything else allowed gets no opinion. It fails
//! closed: bad arguments, a malformed payload, a broken policy, a panic, or running out of
//! time all end in an explicit deny. It never starts an async runtime, never opens the history
//! on the allow path, and skips the general CLI parser (`main` hands argv straight here).

use std::ffi::OsString;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
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

/// How long the hook waits for another history writer before giving up on its record.
const HISTORY_BUSY: Duration = Duration::from_millis(250);

/// Set once the answer is being written, so the watchdog and the main path never both answer.
static ANSWERED: AtomicBool = AtomicBool::new(false);
/// Which agent the watchdog answers for: an index into [`DEADLINE_DENY`] (the last is universal).
static FALLBACK_AGENT: AtomicU8 = AtomicU8::new(4);

/// One deny per agent, written at compile time: Claude Code, Copilot CLI, Gemini CLI, Codex, and
/// the universal form, each with its exit code. Used where nothing may be allocated or formatted
/// (a signal handler). Checked against `render` in tests.
macro_rules! fixed_denies {
    ($reason:literal) => {
        [
            (concat!(r#"{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":""#, $reason, r#""}}"#, "\n"), 2),
            (concat!(r#"{"permissionDecision":"deny","permissionDecisionReason":""#, $reason, r#""}"#, "\n"), 0),
            (concat!(r#"{"decision":"deny","reason":""#, $reason, r#""}"#, "\n"), 2),
            (concat!(r#"{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":""#, $reason, r#""}}"#, "\n"), 2),
            (
                concat!(
                    r#"{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":""#,
                    $reason,
                    r#""},"permissionDecision":"deny","permissionDecisionReason":""#,
                    $reason,
                    r#"","decision":"deny","reason":""#,
                    $reason,
                    r#""}"#,
                    "\n"
                ),
                2,
            ),
        ]
    };
}

const DEADLINE_REASON: &str = "ana could not decide before the hook's deadline; the call is blocked. Retry it.";
/// The watchdog's answers, fixed at compile time so that arming it costs nothing.
pub const DEADLINE_DENY: [(&str, i32); 5] = fixed_denies!("ana could not decide before the hook's deadline; the call is blocked. Retry it.");

const CRASH_REASON: &str = "ana failed internally (the hook crashed); the call is blocked. Please report this.";
/// The answers of the last-resort handler for a crash (stack overflow, segmentation fault, abort).
pub const CRASH_DENY: [(&str, i32); 5] = fixed_denies!("ana failed internally (the hook crashed); the call is blocked. Please report this.");
const CRASH_STDERR: &str = "ana: ana failed internally (the hook crashed); the call is blocked. Please report this.\n";
const DEADLINE_STDERR: &str = "ana: ana could not decide before the hook's deadline; the call is blocked. Retry it.\n";

fn agent_index(agent: Option<Agent>) -> u8 {
    match agent {
        Some(Agent::ClaudeCode) => 0,
        Some(Agent::CopilotCli) => 1,
        Some(Agent::GeminiCli) => 2,
        Some(Agent::Codex) => 3,
        None => 4,
    }
}

/// The deadline deny for `agent`, as `render` would write it.
pub fn deadline_deny(agent: Option<Agent>) -> Rendered {
    let (out, code) = DEADLINE_DENY[agent_index(agent) as usize];
    Rendered { stdout: out.to_owned(), stderr: DEADLINE_STDERR.to_owned(), code }
}

/// The reason the watchdog gives (for tests).
pub const fn deadline_reason() -> &'static str {
    DEADLINE_REASON
}

/// The crash handler's deny for `agent`, as `render` would write it (for tests).
pub fn crash_deny(agent: Option<Agent>) -> Rendered {
    let (out, code) = CRASH_DENY[agent_index(agent) as usize];
    Rendered { stdout: out.to_owned(), stderr: CRASH_STDERR.to_owned(), code }
}

/// The reason the crash handler gives (for tests).
pub const fn crash_reason() -> &'static str {
    CRASH_REASON
}

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
    let (out, code) = DEADLINE_DENY[(FALLBACK_AGENT.load(Ordering::SeqCst) as usize).min(4)];
    // SAFETY: write(2) and _exit(2) are async-signal-safe; the buffers are static.
    unsafe {
        libc::write(1, out.as_ptr().cast(), out.len());
        libc::write(2, DEADLINE_STDERR.as_ptr().cast(), DEADLINE_STDERR.len());
        libc::_exit(code);
    }
}

extern "C" fn on_crash(_: libc::c_int) {
    if ANSWERED.swap(true, Ordering::SeqCst) {
        // SAFETY: _exit(2) is async-signal-safe. The answer is already out (or being written).
        unsafe { libc::_exit(2) }
    }
    let (out, code) = CRASH_DENY[(FALLBACK_AGENT.load(Ordering::SeqCst) as usize).min(4)];
    // SAFETY: write(2) and _exit(2) are async-signal-safe; the buffers are static.
    unsafe {
        libc::write(1, out.as_ptr().cast(), out.len());
        libc::write(2, CRASH_STDERR.as_ptr().cast(), CRASH_STDERR.len());
        libc::_exit(code);
    }
}

/// The alternate signal stack the crash handler runs on: a stack overflow leaves no room on the
/// thread's own stack. Static, so that installing it allocates nothing.
const ALT_STACK_BYTES: usize = 64 * 1024;
static mut ALT_STACK: [u8; ALT_STACK_BYTES] = [0; ALT_STACK_BYTES];

/// The last resort: a stack overflow, a segmentation or bus fault, an illegal instruction or an
/// abort (a double panic, an allocation failure) answers deny in the agent's format, from an
/// alternate stack, instead of dying silently (which Gemini CLI and Codex take as "go ahead").
fn arm_crash_handler() {
    // SAFETY: the alternate stack is a static buffer used only by this process's main thread's
    // signal handlers; the handler calls only async-signal-safe functions.
    unsafe {
        let ss = libc::stack_t { ss_sp: std::ptr::addr_of_mut!(ALT_STACK).cast(), ss_flags: 0, ss_size: ALT_STACK_BYTES };
        libc::sigaltstack(&ss, std::ptr::null_mut());
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_crash as *const () as usize;
        sa.sa_flags = libc::SA_ONSTACK;
        libc::sigemptyset(&mut sa.sa_mask);
        for sig in [libc::SIGSEGV, libc::SIGBUS, libc::SIGABRT, libc::SIGILL, libc::SIGFPE] {
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
    }
}

/// Debug builds only: `ANA_HOOK_TEST_CRASH` makes the hook crash on purpose after reading its
/// payload, so tests can check the last-resort answer. Either way the outcome is a deny.
#[cfg(debug_assertions)]
fn test_crash() {
    #[allow(unconditional_recursion)]
    fn overflow(n: u64) -> u64 {
        let pad = [n; 512];
        std::hint::black_box(&pad);
        overflow(std::hint::black_box(n + 1)) + pad[3]
    }
    match std::env::var("ANA_HOOK_TEST_CRASH").as_deref() {
        Ok("abort") => std::process::abort(),
        Ok("segv") => {
            // SAFETY: raising a signal; the crash handler answers and exits.
            unsafe { libc::raise(libc::SIGSEGV) };
        }
        Ok("overflow") => {
            std::hint::black_box(overflow(0));
        }
        _ => {}
    }
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

const HELP: &str = "\
The enforcement point each agent runs before every tool call: reads the agent's payload on stdin,
classifies it, and answers in the agent's own format before the agent's deadline. `ana install
AGENT` wires it; you do not run it by hand.

Usage: ana hook [--agent claude-code|copilot-cli|gemini-cli|codex] [--timeout SECONDS]

Options:
  -a, --agent <AGENT>      whose payload and answer format (detected when left out)
  -t, --timeout <SECONDS>  the agent's own timeout for this hook; ana answers before it
                           (default: 120, Copilot CLI 30, Gemini CLI 60)
  -h, --help               this text

Example:
  echo '{\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"ls\"},\"cwd\":\"/tmp\"}' | ana hook --agent claude-code

Exit status and output follow each agent's hook protocol: nothing on stdout means no opinion;
a deny is the agent's deny JSON (exit 2 for Claude Code, Gemini CLI and Codex).
";

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

/// Why a shell call cannot run confined here, or `None` when it can: confinement is available,
/// the call is a shell command given as one string, and the agent's input can be rewritten.
fn cannot_confine(payload: &[u8], action: &crate::action::Action) -> Option<String> {
    let support = crate::confine::support();
    if !support.is_available() {
        return Some(support.describe());
    }
    if !matches!(action.object, crate::action::Object::Command { .. }) {
        return Some("only shell commands can run confined".into());
    }
    if action.tool.eq_ignore_ascii_case("powershell") {
        return Some("PowerShell commands cannot run confined".into());
    }
    if wire::with_command(payload, "").is_none() {
        return Some("the call's command cannot be replaced".into());
    }
    None
}

/// The `ana run` line for `command` run from `cwd` under `profile`, with `cwd_file` (a fresh
/// name in ana's runtime directory) for the final directory.
fn run_line(command: &str, cwd: &str, profile: &crate::confine::profile::Profile, cwd_file: &str, exe: &str, paths: &Paths) -> String {
    use crate::confine::rewrite;
    let project = crate::paths::project_root(cwd, &paths.home);
    let (write, read) = profile.policy_parts();
    let read: Vec<String> = read.into_iter().cloned().collect();
    rewrite::command_line(&rewrite::Rewrite { ana: exe, profile: &profile.name, write, read: &read, project: project.as_deref(), cwd_file, command })
}

/// The answer that runs `action` confined under `profile`: the agent's own tool input with the
/// command replaced by the `ana run` line. `Err` says why it cannot run confined.
fn confine_call(payload: &[u8], action: &crate::action::Action, profile: &crate::confine::profile::Profile, reason: String, paths: &Paths) -> Result<Answer, String> {
    if let Some(why) = cannot_confine(payload, action) {
        return Err(why);
    }
    let crate::action::Object::Command { command } = &action.object else {
        return Err("only shell commands can run confined".into());
    };
    let exe = std::env::current_exe().map_err(|e| format!("ana cannot find its own binary ({e})"))?;
    let exe = exe.to_str().ok_or("ana's own path is not UTF-8")?;
    let mut nonce = [0u8; 16];
    getrandom::fill(&mut nonce).map_err(|e| format!("no randomness for the cwd file ({e})"))?;
    let name: String = nonce.iter().map(|b| format!("{b:02x}")).collect();
    let cwd_file = crate::cmd::run::cwd_dir(paths).join(name);
    let cwd_file = cwd_file.to_str().ok_or("ana's runtime directory is not UTF-8")?;
    let line = run_line(command, &action.cwd, profile, cwd_file, exe, paths);
    let input = wire::with_command(payload, &line).ok_or("the call's command cannot be replaced")?;
    Ok(Answer::Rewrite { reason, input })
}

/// What the signed reason of an approval says about confinement: the approved command is
/// derived from the signed one and the signed rule's profile, and the prompt shows which.
fn approval_note(profile: &crate::confine::profile::Profile) -> String {
    let about = crate::confine::profile::builtin(&profile.name).map(|b| b.about).unwrap_or("a profile of your policy");
    format!(" Once approved it runs confined, profile `{}`: {about}.", profile.name)
}

/// Whether `action` is a line `confine_call` wrote for this very `ana`, around a command that
/// would run confined in exactly this way (same profile, areas and project).
fn already_confined(agent: crate::action::Agent, payload: &[u8], action: &crate::action::Action, paths: &Paths) -> bool {
    let crate::action::Object::Command { command } = &action.object else { return false };
    if !command.contains(" run --resolved --profile ") {
        return false;
    }
    let Some(p) = crate::confine::rewrite::parse_line(command) else { return false };
    let exe = std::env::current_exe().ok().and_then(|e| e.to_str().map(str::to_owned));
    if !(exe.as_deref() == Some(p.ana.as_str()) || root_owned_binary(&p.ana)) {
        return false;
    }
    let Some(inner) = wire::with_command(payload, &p.command) else { return false };
    let Ok(inner) = serde_json::to_vec(&match serde_json::from_slice::<serde_json::Value>(payload) {
        Ok(mut top) => {
            let key = if top.get("tool_input").is_some() { "tool_input" } else { "toolArgs" };
            top[key] = inner;
            top
        }
        Err(_) => return false,
    }) else {
        return false;
    };
    // Only what would have run confined without asking anyone: an approved command's line is
    // not a pass for the next call.
    match crate::guard::classify_payload_for_run(agent, &inner, paths) {
        Ok((_, v, Ok(Some(profile)))) if matches!(v.decision, Decision::Allow | Decision::Confine) => run_line(&p.command, &action.cwd, &profile, &p.cwd_file, &p.ana, paths) == *command,
        _ => false,
    }
}

/// An `ana` the agent's account cannot have put there: a regular file owned by root, in a
/// directory owned by root, neither writable by group or others (a system install whose hook
/// ran before this one, as Copilot CLI runs its policy hooks before the user's).
fn root_owned_binary(path: &str) -> bool {
    use std::os::unix::fs::MetadataExt;
    let path = std::path::Path::new(path);
    let safe = |m: &std::fs::Metadata| m.uid() == 0 && m.mode() & 0o022 == 0;
    path.is_absolute()
        && path.file_name().is_some_and(|n| n == "ana")
        && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file() && safe(&m))
        && path.parent().and_then(|d| std::fs::metadata(d).ok()).is_some_and(|m| safe(&m))
}

/// Runs the hook with the process's argv after `hook`. Never returns.
pub fn main(args: &[OsString]) -> ! {
    if args.iter().any(|a| a == "--help" || a == "-h") {
        print!("{HELP}");
        std::process::exit(0);
    }
    let started = std::time::Instant::now();
    let parsed = parse_args(args);
    let agent_arg = parsed.as_ref().ok().and_then(|a| a.agent);
    let timeout = parsed.as_ref().ok().and_then(|a| a.timeout).unwrap_or_else(|| default_timeout(agent_arg));
    let deadline = timeout.saturating_sub(margin(timeout));

    FALLBACK_AGENT.store(agent_index(agent_arg), Ordering::SeqCst);
    std::panic::set_hook(Box::new(move |info| {
        let r = render_deny(agent_arg, &format!("ana failed internally ({info}); the call is blocked. Please report this."));
        answer(&r);
    }));
    arm_watchdog(deadline);
    arm_crash_handler();

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
    FALLBACK_AGENT.store(agent_index(Some(agent)), Ordering::SeqCst);
    #[cfg(debug_assertions)]
    test_crash();

    let paths = Paths::current();
    let (action, mut verdict, profile) = match crate::guard::classify_payload_for_run(agent, &input, &paths) {
        Ok(avp) => avp,
        Err(reason) => answer(&wire::render(agent, &Answer::Deny(reason))),
    };
    // A call this hook (or another ana hook before it) already rewrote: no opinion, when its
    // inner command would run confined in exactly this way.
    if already_confined(agent, &input, &action, &paths) {
        answer(&wire::render(agent, &Answer::NoOpinion));
    }
    let is_command = matches!(action.object, crate::action::Object::Command { .. });
    // The quick reading skips members it does not need; a command's call is rewritten from the
    // whole payload, so one that does not parse whole (nested past the JSON reader's limit) is
    // refused here rather than left to run unconfined. Small payloads of other tools too.
    if (is_command || input.len() <= 64 * 1024)
        && let Err(e) = serde_json::from_slice::<serde_json::Value>(&input)
    {
        answer(&wire::render(agent, &Answer::Deny(format!("ana blocked this call: its payload is not valid JSON as a whole ({e})"))))
    }
    // A profile a rule names but no policy defines: the call cannot run the way its rule says.
    let profile = match profile {
        Ok(p) => p,
        Err(why) if is_command => {
            let rule = verdict.rule.as_deref().unwrap_or("-");
            answer(&wire::render(agent, &Answer::Deny(format!("ana rule `{rule}`: {why}; the call is blocked. Ask the user to run `ana policy check`."))))
        }
        Err(_) => None,
    };
    let confinable = is_command && cannot_confine(&input, &action).is_none();
    // `confine`: rewrite the command to run under `ana run`, or, where that is not possible,
    // ask for approval as before confinement existed (or allow it, for a rule that only picks
    // a profile for an ordinary command).
    let mut rewritten = None;
    if verdict.decision == Decision::Confine {
        let p = profile.clone().unwrap_or_default();
        match confine_call(&input, &action, &p, format!("ana: {}", verdict.reason), &paths) {
            Ok(a) => rewritten = Some(a),
            Err(_) if crate::guard::unconfined_decision(&paths, &action, &verdict) == Decision::Allow => verdict.decision = Decision::Allow,
            Err(why) => {
                verdict.decision = Decision::Approve;
                verdict.level = crate::policy::Level::Presence;
                let rule = verdict.rule.as_deref().unwrap_or("-");
                let subject = crate::action::one_line(&verdict.subject, 160);
                verdict.reason = format!("needs the user's approval on their security key: ana rule `{rule}` would run this confined, but {why} (`{subject}`)");
            }
        }
    }
    // An approved shell command runs confined under its rule's profile, and the signed reason
    // says so: what runs is derived from what the user saw and signed.
    let run_approved = match (&profile, verdict.decision) {
        (Some(p), Decision::Approve) if confinable => {
            verdict.reason.push_str(&approval_note(p));
            Some(p.clone())
        }
        _ => None,
    };
    let reply = match verdict.decision {
        // Every allowed shell command runs confined, where it can (else as before: no opinion).
        Decision::Allow => match (&profile, confinable) {
            (Some(p), true) => match confine_call(&input, &action, p, format!("ana: allowed, runs confined (profile `{}`)", p.name), &paths) {
                Ok(a) => a,
                Err(_) => answer(&render_deny(Some(agent), "ana could not put this call under confinement; the call is blocked. Retry it.")),
            },
            _ => Answer::NoOpinion,
        },
        Decision::Confine => match rewritten {
            Some(a) => a,
            None => answer(&render_deny(Some(agent), "ana could not put this call under confinement; the call is blocked. Retry it.")),
        },
        Decision::Deny => {
            let rec = crate::history::Record::of(&action, crate::record::RecordKind::PolicyDenial, crate::record::DecidedBy::Policy, verdict.rule.clone(), &verdict.reason);
            crate::history::record_from_hook(&paths, rec, HISTORY_BUSY);
            Answer::Deny(verdict.reason.clone())
        }
        Decision::Ask => Answer::Ask(verdict.reason.clone()),
        Decision::Approve => {
            // Stop waiting half a margin before the watchdog, so that the hook detaches (keeping
            // the request for a late approval) and answers itself.
            let slack = (margin(timeout) * 2 / 3).max(Duration::from_millis(250));
            let remaining = deadline.saturating_sub(started.elapsed()).saturating_sub(slack);
            // The approval binds the exact content a Write or Edit would put in the file.
            // The whole tool input is bound too: every member of it (`replace_all`, MCP arguments).
            let (answer, recorded) = match (wire::parse(agent, &input, &paths.home, true), wire::tool_input(&input)) {
                (Ok(full), Ok(tool_input)) => crate::cmd::approval::request(&paths, &full, tool_input, &verdict, remaining),
                (Err(e), _) | (_, Err(e)) => (Answer::Deny(format!("ana blocked this call: {e}")), false),
            };
            // The approval agent records what it decided; the hook records what it refused on
            // its own (no agent, no key, an approval that did not verify).
            if let (Answer::Deny(reason), false) = (&answer, recorded) {
                let rec = crate::history::Record::of(&action, crate::record::RecordKind::Denial, crate::record::DecidedBy::Agent, verdict.rule.clone(), reason);
                crate::history::record_from_hook(&paths, rec, HISTORY_BUSY);
            }
            match (answer, &run_approved) {
                // The signed command, under the signed rule's profile; never unconfined once the
                // reason said it would be confined.
                (Answer::Allow(why), Some(p)) => match confine_call(&input, &action, p, format!("ana: {why}"), &paths) {
                    Ok(a) => a,
                    Err(e) => Answer::Deny(format!("ana could not put the approved call under confinement ({e}); the call is blocked. Retry it.")),
                },
                (answer, _) => answer,
            }
        }
    };
    answer(&wire::render(agent, &reply))
}
