#compdef ana

autoload -U is-at-least

_ana() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_ana_commands" \
"*::: :->ana" \
&& ret=0
    case $state in
    (ana)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ana-command-$line[1]:"
        case $line[1] in
            (hook)
_arguments "${_arguments_options[@]}" : \
'-a+[Whose payload and answer format (detected when left out)]:AGENT:(claude-code copilot-cli gemini-cli codex)' \
'--agent=[Whose payload and answer format (detected when left out)]:AGENT:(claude-code copilot-cli gemini-cli codex)' \
'-t+[The agent'\''s hook timeout in seconds; ana always answers before it (default\: 120, Copilot CLI 30, Gemini CLI 60)]:SECONDS:_default' \
'--timeout=[The agent'\''s hook timeout in seconds; ana always answers before it (default\: 120, Copilot CLI 30, Gemini CLI 60)]:SECONDS:_default' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(run)
_arguments "${_arguments_options[@]}" : \
'--profile=[The confinement profile\: its write areas and the secrets it may read]:NAME:_default' \
'--project=[The project the command may write beneath]:DIR:_files -/' \
'--cwd-file=[The hook'\''s file through which a \`cd\` in the command carries over to the agent'\''s shell]:FILE:_files' \
'-c+[The command, run by the shell]:COMMAND:_default' \
'--explain[List the profile'\''s write areas, devices, hidden and refused paths, and run nothing]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'*::program -- A program and its arguments, run without a shell:_default' \
&& ret=0
;;
(check)
_arguments "${_arguments_options[@]}" : \
'--agent=[Whose payload shape (detected when left out)]:AGENT:(claude-code copilot-cli gemini-cli codex)' \
'--json[Print one JSON object\: {"decision","rule","reason"}]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(explain)
_arguments "${_arguments_options[@]}" : \
'--cwd=[The directory it runs in (default\: the current directory)]:CWD:_files -/' \
'--json[Print one JSON object, for scripts]' \
'-h[Print help]' \
'--help[Print help]' \
':command -- The command, exactly as an agent would send it:_default' \
&& ret=0
;;
(policy)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
":: :_ana__subcmd__policy_commands" \
"*::: :->policy" \
&& ret=0

    case $state in
    (policy)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ana-policy-command-$line[1]:"
        case $line[1] in
            (check)
_arguments "${_arguments_options[@]}" : \
'--layer=[Judge FILE as this layer'\''s (default\: by where it is — \`.ana/policy.toml\` is a project'\''s, /etc/ana a system'\''s, anything else yours)]:LAYER:((system\:"The site policy in /etc/ana (root'\''s)"
user\:"Yours (~/.config/ana/policy.toml)"
project\:"This repository'\''s .ana/policy.toml\: it may only tighten"))' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'::file -- The file (default\: every layer that applies in this directory):_files' \
&& ret=0
;;
(edit)
_arguments "${_arguments_options[@]}" : \
'--layer=[Which layer'\''s file\: yours, this repository'\''s (.ana/policy.toml) or, as root, the site'\''s]:LAYER:((system\:"The site policy in /etc/ana (root'\''s)"
user\:"Yours (~/.config/ana/policy.toml)"
project\:"This repository'\''s .ana/policy.toml\: it may only tighten"))' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
'--full[Print the built-in packs'\'' TOML too]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(test)
_arguments "${_arguments_options[@]}" : \
'--agent=[The agent whose payload shape to build]:AGENT:(claude-code copilot-cli gemini-cli codex)' \
'--cwd=[The session'\''s working directory for every case]:CWD:_files -/' \
'-h[Print help]' \
'--help[Print help]' \
':file -- The corpus, one JSON object a line:_files' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_ana__subcmd__policy__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ana-policy-help-command-$line[1]:"
        case $line[1] in
            (check)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(edit)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(test)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(agent)
_arguments "${_arguments_options[@]}" : \
'--authenticator=[Which authenticator approvals use (default\: USB; the software key when only software keys are enrolled)]:AUTHENTICATOR:((usb\:"A USB security key (FIDO2/CTAP2)"
nfc\:"An NFC security key, through PC/SC (pcscd)"
usb-ctaphid\:"USB keys through ctap-hid-fido2, for keys the default stack mishandles"
soft\:"The software key\: insecure, for tests and the demo only"))' \
'--grant-ttl=[How long an approval that arrives after the hook stopped waiting stays usable (seconds)]:SECONDS:_default' \
'--touch-timeout=[System mode, software key\: how long a ceremony waits for \`sudo ana touch\` (seconds)]:SECONDS:_default' \
'--daemonize[Return once the approver listens; it keeps running in the background and logs to \`agent.log\` in its state directory]' \
'--no-notify[No desktop notifications (they are on when a desktop session is there)]' \
'--system[System mode\: run as the approver'\''s own account (started as root, it prepares its directories and drops to that account), trusting only /etc/ana]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
":: :_ana__subcmd__agent_commands" \
"*::: :->agent" \
&& ret=0

    case $state in
    (agent)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ana-agent-command-$line[1]:"
        case $line[1] in
            (run)
_arguments "${_arguments_options[@]}" : \
'--authenticator=[Which authenticator approvals use (default\: USB; the software key when only software keys are enrolled)]:AUTHENTICATOR:((usb\:"A USB security key (FIDO2/CTAP2)"
nfc\:"An NFC security key, through PC/SC (pcscd)"
usb-ctaphid\:"USB keys through ctap-hid-fido2, for keys the default stack mishandles"
soft\:"The software key\: insecure, for tests and the demo only"))' \
'--grant-ttl=[How long an approval that arrives after the hook stopped waiting stays usable (seconds)]:SECONDS:_default' \
'--touch-timeout=[System mode, software key\: how long a ceremony waits for \`sudo ana touch\` (seconds)]:SECONDS:_default' \
'--daemonize[Return once the approver listens; it keeps running in the background and logs to \`agent.log\` in its state directory]' \
'--no-notify[No desktop notifications (they are on when a desktop session is there)]' \
'--system[System mode\: run as the approver'\''s own account (started as root, it prepares its directories and drops to that account), trusting only /etc/ana]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(stop)
_arguments "${_arguments_options[@]}" : \
'--json[Print the approver'\''s answer as JSON, for scripts]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(status)
_arguments "${_arguments_options[@]}" : \
'--json[Print one JSON object, for scripts]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(enroll)
_arguments "${_arguments_options[@]}" : \
'--authenticator=[Which authenticator to enroll (default\: a USB security key)]:AUTHENTICATOR:((usb\:"A USB security key (FIDO2/CTAP2)"
nfc\:"An NFC security key, through PC/SC (pcscd)"
usb-ctaphid\:"USB keys through ctap-hid-fido2, for keys the default stack mishandles"
soft\:"The software key\: insecure, for tests and the demo only"))' \
'--name=[The key'\''s name, unique among the enrolled keys (\`ana keys remove NAME\`)]:NAME:_default' \
'--touch-timeout=[System mode, software key\: how long to wait for \`sudo ana touch\` (seconds)]:SECONDS:_default' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_ana__subcmd__agent__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ana-agent-help-command-$line[1]:"
        case $line[1] in
            (run)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(stop)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(status)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(enroll)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(enroll)
_arguments "${_arguments_options[@]}" : \
'--authenticator=[Which authenticator to enroll (default\: a USB security key)]:AUTHENTICATOR:((usb\:"A USB security key (FIDO2/CTAP2)"
nfc\:"An NFC security key, through PC/SC (pcscd)"
usb-ctaphid\:"USB keys through ctap-hid-fido2, for keys the default stack mishandles"
soft\:"The software key\: insecure, for tests and the demo only"))' \
'--name=[The key'\''s name, unique among the enrolled keys (\`ana keys remove NAME\`)]:NAME:_default' \
'--touch-timeout=[System mode, software key\: how long to wait for \`sudo ana touch\` (seconds)]:SECONDS:_default' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(keys)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
":: :_ana__subcmd__keys_commands" \
"*::: :->keys" \
&& ret=0

    case $state in
    (keys)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ana-keys-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(remove)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
':key -- The key'\''s name or the start of its credential id (`ana keys list`):_default' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_ana__subcmd__keys__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ana-keys-help-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(remove)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(approve)
_arguments "${_arguments_options[@]}" : \
'--yes[Approve without the prompt (the one pending request, or ID), printing it whole. A hardware key still needs its touch]' \
'(--yes)--plain[A line-mode prompt for terminals without a full-screen UI]' \
'-h[Print help]' \
'--help[Print help]' \
'::id -- The pending request'\''s number, as the prompt shows it:_default' \
&& ret=0
;;
(deny)
_arguments "${_arguments_options[@]}" : \
'--reason=[Told to the agent'\''s model]:REASON:_default' \
'-h[Print help]' \
'--help[Print help]' \
'::id -- The pending request'\''s number, as the prompt shows it:_default' \
&& ret=0
;;
(demo)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(install)
_arguments "${_arguments_options[@]}" : \
'--scope=[Which of the agent'\''s settings files (local\: Claude Code only)]:SCOPE:((user\:"Your home\: every project"
project\:"This repository, in a file shared with everyone who clones it"
local\:"This repository, in a file of yours alone"))' \
'--timeout=[The hook'\''s deadline in seconds, written both to the agent and to the hook]:TIMEOUT:_default' \
'--user=[system\: the user who may reach the approval agent (default\: the one running sudo)]:USER:_default' \
'--allow-software-key[system\: let a SOFTWARE key count (tests and demos only; \`sudo ana touch\` is its finger)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':target -- What to wire\: a coding agent, the approver'\''s service, or system mode:((claude-code\:"Claude Code'\''s settings.json"
copilot-cli\:"Copilot CLI'\''s hooks/ana.json"
gemini-cli\:"Gemini CLI'\''s settings.json"
codex\:"Codex'\''s hooks.json and its trust entry"
service\:"the approver in your service manager (systemd user unit, launchd agent)"
system\:"system mode, as root\: the trust anchor out of your user'\''s reach"))' \
&& ret=0
;;
(uninstall)
_arguments "${_arguments_options[@]}" : \
'--scope=[The scope it was installed in]:SCOPE:((user\:"Your home\: every project"
project\:"This repository, in a file shared with everyone who clones it"
local\:"This repository, in a file of yours alone"))' \
'--purge[system\: also remove the approval agent'\''s state (history) and its account]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':target -- What to unwire\: a coding agent, the approver'\''s service, or system mode:((claude-code\:"Claude Code'\''s settings.json"
copilot-cli\:"Copilot CLI'\''s hooks/ana.json"
gemini-cli\:"Gemini CLI'\''s settings.json"
codex\:"Codex'\''s hooks.json and its trust entry"
service\:"the approver in your service manager (systemd user unit, launchd agent)"
system\:"system mode, as root\: the trust anchor out of your user'\''s reach"))' \
&& ret=0
;;
(touch)
_arguments "${_arguments_options[@]}" : \
'--wait=[How long to wait for a ceremony that wants a touch (seconds)]:WAIT:_default' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(doctor)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
':shell -- The shell to complete for:(bash elvish fish powershell zsh)' \
&& ret=0
;;
(man)
_arguments "${_arguments_options[@]}" : \
'--dir=[Write \`ana.1\`, \`ana-approve.1\`, … for every command into this directory]:DIR:_files -/' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(history)
_arguments "${_arguments_options[@]}" : \
'--since=[From this time\: \`yesterday\`, \`today\`, \`2h\`, \`3 days ago\`, \`2026-11-29\`, \`2026-11-29 14\:00\` (local time; a trailing \`Z\` means UTC)]:SINCE:_default' \
'--until=[Before this time (same forms as --since)]:UNTIL:_default' \
'--agent=[Only this coding agent'\''s calls]:AGENT:(claude-code copilot-cli gemini-cli codex)' \
'--session=[Only this session'\''s calls (the coding agent'\''s session id, whole)]:ID:_default' \
'--decision=[Only allowed or only denied calls]:DECISION:(allow deny)' \
'--rule=[Only the calls this rule decided (its id, e.g. \`git.force-push\`; \`ana explain\` names it)]:RULE_ID:_default' \
'--grep=[Text in the summary, reason or cwd]:TEXT:_default' \
'--limit=[At most this many records, newest first]:LIMIT:_default' \
'--json[A JSON array, for scripts]' \
'--utc[Show and read times in UTC instead of local time]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
":: :_ana__subcmd__history_commands" \
"*::: :->history" \
&& ret=0

    case $state in
    (history)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ana-history-command-$line[1]:"
        case $line[1] in
            (show)
_arguments "${_arguments_options[@]}" : \
'--since=[From this time\: \`yesterday\`, \`today\`, \`2h\`, \`3 days ago\`, \`2026-11-29\`, \`2026-11-29 14\:00\` (local time; a trailing \`Z\` means UTC)]:SINCE:_default' \
'--until=[Before this time (same forms as --since)]:UNTIL:_default' \
'--utc[Show and read times in UTC instead of local time]' \
'-h[Print help]' \
'--help[Print help]' \
':id -- The record'\''s number (the ID column of `ana history`):_default' \
&& ret=0
;;
(verify)
_arguments "${_arguments_options[@]}" : \
'--since=[From this time\: \`yesterday\`, \`today\`, \`2h\`, \`3 days ago\`, \`2026-11-29\`, \`2026-11-29 14\:00\` (local time; a trailing \`Z\` means UTC)]:SINCE:_default' \
'--until=[Before this time (same forms as --since)]:UNTIL:_default' \
'--utc[Show and read times in UTC instead of local time]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(export)
_arguments "${_arguments_options[@]}" : \
'--since=[From this time\: \`yesterday\`, \`today\`, \`2h\`, \`3 days ago\`, \`2026-11-29\`, \`2026-11-29 14\:00\` (local time; a trailing \`Z\` means UTC)]:SINCE:_default' \
'--until=[Before this time (same forms as --since)]:UNTIL:_default' \
'--utc[Show and read times in UTC instead of local time]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(stats)
_arguments "${_arguments_options[@]}" : \
'--since=[From this time\: \`yesterday\`, \`today\`, \`2h\`, \`3 days ago\`, \`2026-11-29\`, \`2026-11-29 14\:00\` (local time; a trailing \`Z\` means UTC)]:SINCE:_default' \
'--until=[Before this time (same forms as --since)]:UNTIL:_default' \
'--utc[Show and read times in UTC instead of local time]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(prune)
_arguments "${_arguments_options[@]}" : \
'--before=[Records older than this go (same forms as --since)]:BEFORE:_default' \
'--since=[From this time\: \`yesterday\`, \`today\`, \`2h\`, \`3 days ago\`, \`2026-11-29\`, \`2026-11-29 14\:00\` (local time; a trailing \`Z\` means UTC)]:SINCE:_default' \
'--until=[Before this time (same forms as --since)]:UNTIL:_default' \
'--dry-run[Say how many records would go, and delete nothing]' \
'--utc[Show and read times in UTC instead of local time]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_ana__subcmd__history__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ana-history-help-command-$line[1]:"
        case $line[1] in
            (show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(verify)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(export)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(stats)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(prune)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_ana__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ana-help-command-$line[1]:"
        case $line[1] in
            (hook)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(run)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(check)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(explain)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(policy)
_arguments "${_arguments_options[@]}" : \
":: :_ana__subcmd__help__subcmd__policy_commands" \
"*::: :->policy" \
&& ret=0

    case $state in
    (policy)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ana-help-policy-command-$line[1]:"
        case $line[1] in
            (check)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(edit)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(test)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(agent)
_arguments "${_arguments_options[@]}" : \
":: :_ana__subcmd__help__subcmd__agent_commands" \
"*::: :->agent" \
&& ret=0

    case $state in
    (agent)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ana-help-agent-command-$line[1]:"
        case $line[1] in
            (run)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(stop)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(status)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(enroll)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(enroll)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(keys)
_arguments "${_arguments_options[@]}" : \
":: :_ana__subcmd__help__subcmd__keys_commands" \
"*::: :->keys" \
&& ret=0

    case $state in
    (keys)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ana-help-keys-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(remove)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(approve)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(deny)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(demo)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(install)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(uninstall)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(touch)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(doctor)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(man)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(history)
_arguments "${_arguments_options[@]}" : \
":: :_ana__subcmd__help__subcmd__history_commands" \
"*::: :->history" \
&& ret=0

    case $state in
    (history)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ana-help-history-command-$line[1]:"
        case $line[1] in
            (show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(verify)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(export)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(stats)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(prune)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_ana_commands] )) ||
_ana_commands() {
    local commands; commands=(
'hook:Run as a coding agent'\''s pre-tool hook\: read the payload on stdin, answer in the agent'\''s format' \
'run:Run a command confined by the kernel (Landlock), as the hook does for \`confine\` rules' \
'check:Classify a payload on stdin without side effects and without contacting anything' \
'explain:Show how a shell command is parsed and which rule decides each part' \
'policy:Validate, edit, show and test policies' \
'agent:The approver, ana'\''s approval agent\: run (the default), status, stop' \
'enroll:Enroll a security key (CTAP2 makeCredential for ana'\''s relying party)' \
'keys:The enrolled keys\: list, remove' \
'approve:The approval prompt\: every pending request, what exactly it asks; y approves (then touch the key), n denies' \
'deny:Deny a pending request (the one pending, or ID)' \
'demo:A tour on a temporary home with the software key\: allow, deny, approve, a late approval' \
'install:Wire ana into a coding agent, the approver into your service manager, or set up system mode' \
'uninstall:Remove exactly what \`ana install\` added' \
'touch:System mode, as root\: give the touch a software key waits for (tests and demos only)' \
'doctor:Check the installation and explain how to fix what is wrong' \
'completions:Print shell completions' \
'man:Print the man page (roff), or write every page — one per command — into DIR' \
'history:The approval history\: list (newest first), show, verify, export, stats, prune' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ana commands' commands "$@"
}
(( $+functions[_ana__subcmd__agent_commands] )) ||
_ana__subcmd__agent_commands() {
    local commands; commands=(
'run:Run the approver (the default)\: in the foreground, or with --daemonize in the background' \
'stop:Stop the running approver; pending requests are denied' \
'status:What runs, since when, which authenticator and keys, what is pending and granted' \
'enroll:\`ana enroll\`, as handed over to the approver'\''s binary' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ana agent commands' commands "$@"
}
(( $+functions[_ana__subcmd__agent__subcmd__enroll_commands] )) ||
_ana__subcmd__agent__subcmd__enroll_commands() {
    local commands; commands=()
    _describe -t commands 'ana agent enroll commands' commands "$@"
}
(( $+functions[_ana__subcmd__agent__subcmd__help_commands] )) ||
_ana__subcmd__agent__subcmd__help_commands() {
    local commands; commands=(
'run:Run the approver (the default)\: in the foreground, or with --daemonize in the background' \
'stop:Stop the running approver; pending requests are denied' \
'status:What runs, since when, which authenticator and keys, what is pending and granted' \
'enroll:\`ana enroll\`, as handed over to the approver'\''s binary' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ana agent help commands' commands "$@"
}
(( $+functions[_ana__subcmd__agent__subcmd__help__subcmd__enroll_commands] )) ||
_ana__subcmd__agent__subcmd__help__subcmd__enroll_commands() {
    local commands; commands=()
    _describe -t commands 'ana agent help enroll commands' commands "$@"
}
(( $+functions[_ana__subcmd__agent__subcmd__help__subcmd__help_commands] )) ||
_ana__subcmd__agent__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'ana agent help help commands' commands "$@"
}
(( $+functions[_ana__subcmd__agent__subcmd__help__subcmd__run_commands] )) ||
_ana__subcmd__agent__subcmd__help__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'ana agent help run commands' commands "$@"
}
(( $+functions[_ana__subcmd__agent__subcmd__help__subcmd__status_commands] )) ||
_ana__subcmd__agent__subcmd__help__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'ana agent help status commands' commands "$@"
}
(( $+functions[_ana__subcmd__agent__subcmd__help__subcmd__stop_commands] )) ||
_ana__subcmd__agent__subcmd__help__subcmd__stop_commands() {
    local commands; commands=()
    _describe -t commands 'ana agent help stop commands' commands "$@"
}
(( $+functions[_ana__subcmd__agent__subcmd__run_commands] )) ||
_ana__subcmd__agent__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'ana agent run commands' commands "$@"
}
(( $+functions[_ana__subcmd__agent__subcmd__status_commands] )) ||
_ana__subcmd__agent__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'ana agent status commands' commands "$@"
}
(( $+functions[_ana__subcmd__agent__subcmd__stop_commands] )) ||
_ana__subcmd__agent__subcmd__stop_commands() {
    local commands; commands=()
    _describe -t commands 'ana agent stop commands' commands "$@"
}
(( $+functions[_ana__subcmd__approve_commands] )) ||
_ana__subcmd__approve_commands() {
    local commands; commands=()
    _describe -t commands 'ana approve commands' commands "$@"
}
(( $+functions[_ana__subcmd__check_commands] )) ||
_ana__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'ana check commands' commands "$@"
}
(( $+functions[_ana__subcmd__completions_commands] )) ||
_ana__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'ana completions commands' commands "$@"
}
(( $+functions[_ana__subcmd__demo_commands] )) ||
_ana__subcmd__demo_commands() {
    local commands; commands=()
    _describe -t commands 'ana demo commands' commands "$@"
}
(( $+functions[_ana__subcmd__deny_commands] )) ||
_ana__subcmd__deny_commands() {
    local commands; commands=()
    _describe -t commands 'ana deny commands' commands "$@"
}
(( $+functions[_ana__subcmd__doctor_commands] )) ||
_ana__subcmd__doctor_commands() {
    local commands; commands=()
    _describe -t commands 'ana doctor commands' commands "$@"
}
(( $+functions[_ana__subcmd__enroll_commands] )) ||
_ana__subcmd__enroll_commands() {
    local commands; commands=()
    _describe -t commands 'ana enroll commands' commands "$@"
}
(( $+functions[_ana__subcmd__explain_commands] )) ||
_ana__subcmd__explain_commands() {
    local commands; commands=()
    _describe -t commands 'ana explain commands' commands "$@"
}
(( $+functions[_ana__subcmd__help_commands] )) ||
_ana__subcmd__help_commands() {
    local commands; commands=(
'hook:Run as a coding agent'\''s pre-tool hook\: read the payload on stdin, answer in the agent'\''s format' \
'run:Run a command confined by the kernel (Landlock), as the hook does for \`confine\` rules' \
'check:Classify a payload on stdin without side effects and without contacting anything' \
'explain:Show how a shell command is parsed and which rule decides each part' \
'policy:Validate, edit, show and test policies' \
'agent:The approver, ana'\''s approval agent\: run (the default), status, stop' \
'enroll:Enroll a security key (CTAP2 makeCredential for ana'\''s relying party)' \
'keys:The enrolled keys\: list, remove' \
'approve:The approval prompt\: every pending request, what exactly it asks; y approves (then touch the key), n denies' \
'deny:Deny a pending request (the one pending, or ID)' \
'demo:A tour on a temporary home with the software key\: allow, deny, approve, a late approval' \
'install:Wire ana into a coding agent, the approver into your service manager, or set up system mode' \
'uninstall:Remove exactly what \`ana install\` added' \
'touch:System mode, as root\: give the touch a software key waits for (tests and demos only)' \
'doctor:Check the installation and explain how to fix what is wrong' \
'completions:Print shell completions' \
'man:Print the man page (roff), or write every page — one per command — into DIR' \
'history:The approval history\: list (newest first), show, verify, export, stats, prune' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ana help commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__agent_commands] )) ||
_ana__subcmd__help__subcmd__agent_commands() {
    local commands; commands=(
'run:Run the approver (the default)\: in the foreground, or with --daemonize in the background' \
'stop:Stop the running approver; pending requests are denied' \
'status:What runs, since when, which authenticator and keys, what is pending and granted' \
'enroll:\`ana enroll\`, as handed over to the approver'\''s binary' \
    )
    _describe -t commands 'ana help agent commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__agent__subcmd__enroll_commands] )) ||
_ana__subcmd__help__subcmd__agent__subcmd__enroll_commands() {
    local commands; commands=()
    _describe -t commands 'ana help agent enroll commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__agent__subcmd__run_commands] )) ||
_ana__subcmd__help__subcmd__agent__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'ana help agent run commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__agent__subcmd__status_commands] )) ||
_ana__subcmd__help__subcmd__agent__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'ana help agent status commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__agent__subcmd__stop_commands] )) ||
_ana__subcmd__help__subcmd__agent__subcmd__stop_commands() {
    local commands; commands=()
    _describe -t commands 'ana help agent stop commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__approve_commands] )) ||
_ana__subcmd__help__subcmd__approve_commands() {
    local commands; commands=()
    _describe -t commands 'ana help approve commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__check_commands] )) ||
_ana__subcmd__help__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'ana help check commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__completions_commands] )) ||
_ana__subcmd__help__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'ana help completions commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__demo_commands] )) ||
_ana__subcmd__help__subcmd__demo_commands() {
    local commands; commands=()
    _describe -t commands 'ana help demo commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__deny_commands] )) ||
_ana__subcmd__help__subcmd__deny_commands() {
    local commands; commands=()
    _describe -t commands 'ana help deny commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__doctor_commands] )) ||
_ana__subcmd__help__subcmd__doctor_commands() {
    local commands; commands=()
    _describe -t commands 'ana help doctor commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__enroll_commands] )) ||
_ana__subcmd__help__subcmd__enroll_commands() {
    local commands; commands=()
    _describe -t commands 'ana help enroll commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__explain_commands] )) ||
_ana__subcmd__help__subcmd__explain_commands() {
    local commands; commands=()
    _describe -t commands 'ana help explain commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__help_commands] )) ||
_ana__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'ana help help commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__history_commands] )) ||
_ana__subcmd__help__subcmd__history_commands() {
    local commands; commands=(
'show:One record in full, with its proof checked' \
'verify:Re-check the chain and every signature; exits 1 naming the first bad record' \
'export:Every record as JSON lines, oldest first' \
'stats:Counts by decision, rule, agent and day; the median time to approve' \
'prune:Delete records before a date; the rest stays verifiable' \
    )
    _describe -t commands 'ana help history commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__history__subcmd__export_commands] )) ||
_ana__subcmd__help__subcmd__history__subcmd__export_commands() {
    local commands; commands=()
    _describe -t commands 'ana help history export commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__history__subcmd__prune_commands] )) ||
_ana__subcmd__help__subcmd__history__subcmd__prune_commands() {
    local commands; commands=()
    _describe -t commands 'ana help history prune commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__history__subcmd__show_commands] )) ||
_ana__subcmd__help__subcmd__history__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'ana help history show commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__history__subcmd__stats_commands] )) ||
_ana__subcmd__help__subcmd__history__subcmd__stats_commands() {
    local commands; commands=()
    _describe -t commands 'ana help history stats commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__history__subcmd__verify_commands] )) ||
_ana__subcmd__help__subcmd__history__subcmd__verify_commands() {
    local commands; commands=()
    _describe -t commands 'ana help history verify commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__hook_commands] )) ||
_ana__subcmd__help__subcmd__hook_commands() {
    local commands; commands=()
    _describe -t commands 'ana help hook commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__install_commands] )) ||
_ana__subcmd__help__subcmd__install_commands() {
    local commands; commands=()
    _describe -t commands 'ana help install commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__keys_commands] )) ||
_ana__subcmd__help__subcmd__keys_commands() {
    local commands; commands=(
'list:List enrolled keys' \
'remove:Remove a key (by id prefix or name); needs an approval with another enrolled key' \
    )
    _describe -t commands 'ana help keys commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__keys__subcmd__list_commands] )) ||
_ana__subcmd__help__subcmd__keys__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'ana help keys list commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__keys__subcmd__remove_commands] )) ||
_ana__subcmd__help__subcmd__keys__subcmd__remove_commands() {
    local commands; commands=()
    _describe -t commands 'ana help keys remove commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__man_commands] )) ||
_ana__subcmd__help__subcmd__man_commands() {
    local commands; commands=()
    _describe -t commands 'ana help man commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__policy_commands] )) ||
_ana__subcmd__help__subcmd__policy_commands() {
    local commands; commands=(
'check:Validate a policy file (default\: every layer that applies here)\: every error at once, with file\:line\:col, the line and "did you mean"; rules that can never match are flagged' \
'edit:Edit a policy in \$VISUAL/\$EDITOR, as visudo does\: a copy is edited, checked, and installed only when it compiles' \
'show:Print the effective layered policy' \
'test:Run a labelled corpus (JSON lines\: id, expect allow|block, tool_name, tool_input)' \
    )
    _describe -t commands 'ana help policy commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__policy__subcmd__check_commands] )) ||
_ana__subcmd__help__subcmd__policy__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'ana help policy check commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__policy__subcmd__edit_commands] )) ||
_ana__subcmd__help__subcmd__policy__subcmd__edit_commands() {
    local commands; commands=()
    _describe -t commands 'ana help policy edit commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__policy__subcmd__show_commands] )) ||
_ana__subcmd__help__subcmd__policy__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'ana help policy show commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__policy__subcmd__test_commands] )) ||
_ana__subcmd__help__subcmd__policy__subcmd__test_commands() {
    local commands; commands=()
    _describe -t commands 'ana help policy test commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__run_commands] )) ||
_ana__subcmd__help__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'ana help run commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__touch_commands] )) ||
_ana__subcmd__help__subcmd__touch_commands() {
    local commands; commands=()
    _describe -t commands 'ana help touch commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__uninstall_commands] )) ||
_ana__subcmd__help__subcmd__uninstall_commands() {
    local commands; commands=()
    _describe -t commands 'ana help uninstall commands' commands "$@"
}
(( $+functions[_ana__subcmd__history_commands] )) ||
_ana__subcmd__history_commands() {
    local commands; commands=(
'show:One record in full, with its proof checked' \
'verify:Re-check the chain and every signature; exits 1 naming the first bad record' \
'export:Every record as JSON lines, oldest first' \
'stats:Counts by decision, rule, agent and day; the median time to approve' \
'prune:Delete records before a date; the rest stays verifiable' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ana history commands' commands "$@"
}
(( $+functions[_ana__subcmd__history__subcmd__export_commands] )) ||
_ana__subcmd__history__subcmd__export_commands() {
    local commands; commands=()
    _describe -t commands 'ana history export commands' commands "$@"
}
(( $+functions[_ana__subcmd__history__subcmd__help_commands] )) ||
_ana__subcmd__history__subcmd__help_commands() {
    local commands; commands=(
'show:One record in full, with its proof checked' \
'verify:Re-check the chain and every signature; exits 1 naming the first bad record' \
'export:Every record as JSON lines, oldest first' \
'stats:Counts by decision, rule, agent and day; the median time to approve' \
'prune:Delete records before a date; the rest stays verifiable' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ana history help commands' commands "$@"
}
(( $+functions[_ana__subcmd__history__subcmd__help__subcmd__export_commands] )) ||
_ana__subcmd__history__subcmd__help__subcmd__export_commands() {
    local commands; commands=()
    _describe -t commands 'ana history help export commands' commands "$@"
}
(( $+functions[_ana__subcmd__history__subcmd__help__subcmd__help_commands] )) ||
_ana__subcmd__history__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'ana history help help commands' commands "$@"
}
(( $+functions[_ana__subcmd__history__subcmd__help__subcmd__prune_commands] )) ||
_ana__subcmd__history__subcmd__help__subcmd__prune_commands() {
    local commands; commands=()
    _describe -t commands 'ana history help prune commands' commands "$@"
}
(( $+functions[_ana__subcmd__history__subcmd__help__subcmd__show_commands] )) ||
_ana__subcmd__history__subcmd__help__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'ana history help show commands' commands "$@"
}
(( $+functions[_ana__subcmd__history__subcmd__help__subcmd__stats_commands] )) ||
_ana__subcmd__history__subcmd__help__subcmd__stats_commands() {
    local commands; commands=()
    _describe -t commands 'ana history help stats commands' commands "$@"
}
(( $+functions[_ana__subcmd__history__subcmd__help__subcmd__verify_commands] )) ||
_ana__subcmd__history__subcmd__help__subcmd__verify_commands() {
    local commands; commands=()
    _describe -t commands 'ana history help verify commands' commands "$@"
}
(( $+functions[_ana__subcmd__history__subcmd__prune_commands] )) ||
_ana__subcmd__history__subcmd__prune_commands() {
    local commands; commands=()
    _describe -t commands 'ana history prune commands' commands "$@"
}
(( $+functions[_ana__subcmd__history__subcmd__show_commands] )) ||
_ana__subcmd__history__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'ana history show commands' commands "$@"
}
(( $+functions[_ana__subcmd__history__subcmd__stats_commands] )) ||
_ana__subcmd__history__subcmd__stats_commands() {
    local commands; commands=()
    _describe -t commands 'ana history stats commands' commands "$@"
}
(( $+functions[_ana__subcmd__history__subcmd__verify_commands] )) ||
_ana__subcmd__history__subcmd__verify_commands() {
    local commands; commands=()
    _describe -t commands 'ana history verify commands' commands "$@"
}
(( $+functions[_ana__subcmd__hook_commands] )) ||
_ana__subcmd__hook_commands() {
    local commands; commands=()
    _describe -t commands 'ana hook commands' commands "$@"
}
(( $+functions[_ana__subcmd__install_commands] )) ||
_ana__subcmd__install_commands() {
    local commands; commands=()
    _describe -t commands 'ana install commands' commands "$@"
}
(( $+functions[_ana__subcmd__keys_commands] )) ||
_ana__subcmd__keys_commands() {
    local commands; commands=(
'list:List enrolled keys' \
'remove:Remove a key (by id prefix or name); needs an approval with another enrolled key' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ana keys commands' commands "$@"
}
(( $+functions[_ana__subcmd__keys__subcmd__help_commands] )) ||
_ana__subcmd__keys__subcmd__help_commands() {
    local commands; commands=(
'list:List enrolled keys' \
'remove:Remove a key (by id prefix or name); needs an approval with another enrolled key' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ana keys help commands' commands "$@"
}
(( $+functions[_ana__subcmd__keys__subcmd__help__subcmd__help_commands] )) ||
_ana__subcmd__keys__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'ana keys help help commands' commands "$@"
}
(( $+functions[_ana__subcmd__keys__subcmd__help__subcmd__list_commands] )) ||
_ana__subcmd__keys__subcmd__help__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'ana keys help list commands' commands "$@"
}
(( $+functions[_ana__subcmd__keys__subcmd__help__subcmd__remove_commands] )) ||
_ana__subcmd__keys__subcmd__help__subcmd__remove_commands() {
    local commands; commands=()
    _describe -t commands 'ana keys help remove commands' commands "$@"
}
(( $+functions[_ana__subcmd__keys__subcmd__list_commands] )) ||
_ana__subcmd__keys__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'ana keys list commands' commands "$@"
}
(( $+functions[_ana__subcmd__keys__subcmd__remove_commands] )) ||
_ana__subcmd__keys__subcmd__remove_commands() {
    local commands; commands=()
    _describe -t commands 'ana keys remove commands' commands "$@"
}
(( $+functions[_ana__subcmd__man_commands] )) ||
_ana__subcmd__man_commands() {
    local commands; commands=()
    _describe -t commands 'ana man commands' commands "$@"
}
(( $+functions[_ana__subcmd__policy_commands] )) ||
_ana__subcmd__policy_commands() {
    local commands; commands=(
'check:Validate a policy file (default\: every layer that applies here)\: every error at once, with file\:line\:col, the line and "did you mean"; rules that can never match are flagged' \
'edit:Edit a policy in \$VISUAL/\$EDITOR, as visudo does\: a copy is edited, checked, and installed only when it compiles' \
'show:Print the effective layered policy' \
'test:Run a labelled corpus (JSON lines\: id, expect allow|block, tool_name, tool_input)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ana policy commands' commands "$@"
}
(( $+functions[_ana__subcmd__policy__subcmd__check_commands] )) ||
_ana__subcmd__policy__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'ana policy check commands' commands "$@"
}
(( $+functions[_ana__subcmd__policy__subcmd__edit_commands] )) ||
_ana__subcmd__policy__subcmd__edit_commands() {
    local commands; commands=()
    _describe -t commands 'ana policy edit commands' commands "$@"
}
(( $+functions[_ana__subcmd__policy__subcmd__help_commands] )) ||
_ana__subcmd__policy__subcmd__help_commands() {
    local commands; commands=(
'check:Validate a policy file (default\: every layer that applies here)\: every error at once, with file\:line\:col, the line and "did you mean"; rules that can never match are flagged' \
'edit:Edit a policy in \$VISUAL/\$EDITOR, as visudo does\: a copy is edited, checked, and installed only when it compiles' \
'show:Print the effective layered policy' \
'test:Run a labelled corpus (JSON lines\: id, expect allow|block, tool_name, tool_input)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ana policy help commands' commands "$@"
}
(( $+functions[_ana__subcmd__policy__subcmd__help__subcmd__check_commands] )) ||
_ana__subcmd__policy__subcmd__help__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'ana policy help check commands' commands "$@"
}
(( $+functions[_ana__subcmd__policy__subcmd__help__subcmd__edit_commands] )) ||
_ana__subcmd__policy__subcmd__help__subcmd__edit_commands() {
    local commands; commands=()
    _describe -t commands 'ana policy help edit commands' commands "$@"
}
(( $+functions[_ana__subcmd__policy__subcmd__help__subcmd__help_commands] )) ||
_ana__subcmd__policy__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'ana policy help help commands' commands "$@"
}
(( $+functions[_ana__subcmd__policy__subcmd__help__subcmd__show_commands] )) ||
_ana__subcmd__policy__subcmd__help__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'ana policy help show commands' commands "$@"
}
(( $+functions[_ana__subcmd__policy__subcmd__help__subcmd__test_commands] )) ||
_ana__subcmd__policy__subcmd__help__subcmd__test_commands() {
    local commands; commands=()
    _describe -t commands 'ana policy help test commands' commands "$@"
}
(( $+functions[_ana__subcmd__policy__subcmd__show_commands] )) ||
_ana__subcmd__policy__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'ana policy show commands' commands "$@"
}
(( $+functions[_ana__subcmd__policy__subcmd__test_commands] )) ||
_ana__subcmd__policy__subcmd__test_commands() {
    local commands; commands=()
    _describe -t commands 'ana policy test commands' commands "$@"
}
(( $+functions[_ana__subcmd__run_commands] )) ||
_ana__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'ana run commands' commands "$@"
}
(( $+functions[_ana__subcmd__touch_commands] )) ||
_ana__subcmd__touch_commands() {
    local commands; commands=()
    _describe -t commands 'ana touch commands' commands "$@"
}
(( $+functions[_ana__subcmd__uninstall_commands] )) ||
_ana__subcmd__uninstall_commands() {
    local commands; commands=()
    _describe -t commands 'ana uninstall commands' commands "$@"
}

if [ "$funcstack[1]" = "_ana" ]; then
    _ana "$@"
else
    compdef _ana ana
fi
