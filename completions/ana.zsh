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
'--agent=[]:AGENT:(claude-code copilot-cli gemini-cli codex)' \
'--timeout=[The agent'\''s hook timeout in seconds; ana always answers before it]:TIMEOUT:_default' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(run)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
'*::args:_default' \
&& ret=0
;;
(check)
_arguments "${_arguments_options[@]}" : \
'--agent=[]:AGENT:(claude-code copilot-cli gemini-cli codex)' \
'--json[Print one JSON object\: {"decision","rule","reason"}]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(explain)
_arguments "${_arguments_options[@]}" : \
'--cwd=[The directory it runs in (default\: the current directory)]:CWD:_default' \
'--json[]' \
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
'--layer=[Judge FILE as this layer'\''s (default\: by where it is — \`.ana/policy.toml\` is a project'\''s, /etc/ana a system'\''s, anything else yours)]:LAYER:(system user project)' \
'-h[Print help]' \
'--help[Print help]' \
'::file:_files' \
&& ret=0
;;
(edit)
_arguments "${_arguments_options[@]}" : \
'--layer=[]:LAYER:(system user project)' \
'-h[Print help]' \
'--help[Print help]' \
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
'--cwd=[The session'\''s working directory for every case]:CWD:_default' \
'-h[Print help]' \
'--help[Print help]' \
':file:_files' \
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
'*::args:_default' \
&& ret=0
;;
(enroll)
_arguments "${_arguments_options[@]}" : \
'*::args:_default' \
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
':key:_default' \
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
'::id:_default' \
&& ret=0
;;
(deny)
_arguments "${_arguments_options[@]}" : \
'--reason=[Told to the agent'\''s model]:REASON:_default' \
'-h[Print help]' \
'--help[Print help]' \
'::id:_default' \
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
'--scope=[user (your home), project (this repository, shared), local (this repository, yours)]:SCOPE:(user project local)' \
'--timeout=[The hook'\''s deadline in seconds, written both to the agent and to the hook]:TIMEOUT:_default' \
'--user=[system\: the user who may reach the approval agent (default\: the one running sudo)]:USER:_default' \
'--allow-software-key[system\: let a SOFTWARE key count (tests and demos only; \`sudo ana touch\` is its finger)]' \
'-h[Print help]' \
'--help[Print help]' \
':target:_default' \
&& ret=0
;;
(uninstall)
_arguments "${_arguments_options[@]}" : \
'--scope=[]:SCOPE:(user project local)' \
'--purge[system\: also remove the approval agent'\''s state (history) and its account]' \
'-h[Print help]' \
'--help[Print help]' \
':target:_default' \
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
':shell:(bash elvish fish powershell zsh)' \
&& ret=0
;;
(man)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(history)
_arguments "${_arguments_options[@]}" : \
'--since=[From this time\: \`yesterday\`, \`today\`, \`2h\`, \`3 days ago\`, \`2026-11-29\`, \`2026-11-29 14\:00\` (local time; a trailing \`Z\` means UTC)]:SINCE:_default' \
'--until=[Before this time (same forms as --since)]:UNTIL:_default' \
'--agent=[Only this coding agent'\''s calls]:AGENT:(claude-code copilot-cli gemini-cli codex)' \
'--session=[]:SESSION:_default' \
'--decision=[Only allowed or only denied calls]:DECISION:(allow deny)' \
'--rule=[]:RULE:_default' \
'--grep=[Text in the summary, reason or cwd]:GREP:_default' \
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
':id:_default' \
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
&& ret=0
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
'hook:Run as an agent'\''s pre-tool hook\: read the payload on stdin, answer in the agent'\''s format' \
'run:Run a command confined\: what the hook puts in front of a command whose rule says \`confine\` (\`ana run \[--profile NAME\] \[--project DIR\] -c '\''COMMAND'\''\`; \`--explain\` lists the areas)' \
'check:Classify a payload on stdin without side effects and without contacting anything' \
'explain:Show how a shell command is parsed and which rule decides each part' \
'policy:Validate, show and test policies' \
'agent:The approval agent\: \`ana agent \[--daemonize\] \[--authenticator usb|nfc|soft\]\`, \`ana agent stop\`, \`ana agent status\`' \
'enroll:Enroll a security key\: \`ana enroll \[--authenticator usb|nfc|soft\] \[--name NAME\]\`' \
'keys:Enrolled keys' \
'approve:The approval prompt\: every pending request, what exactly it asks; y approves (then touch the key), n denies' \
'deny:Deny a pending request (the one pending, or ID)' \
'demo:A tour on a temporary home with the software key\: allow, deny, approve, a late approval' \
'install:Wire ana into an agent'\''s hook settings (claude-code, copilot-cli, gemini-cli, codex), the approval agent into your service manager (service), or — with sudo — set up system mode (system), where the trust anchor is out of the reach of your user and so of your agents' \
'uninstall:Remove exactly what \`ana install\` added' \
'touch:System mode, as root\: give the touch a software key waits for (tests and demos only)' \
'doctor:Check the installation and explain how to fix what is wrong' \
'completions:Print shell completions' \
'man:Print the man page (roff)' \
'history:The approval history\: list (newest first), show, verify, export, stats, prune' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ana commands' commands "$@"
}
(( $+functions[_ana__subcmd__agent_commands] )) ||
_ana__subcmd__agent_commands() {
    local commands; commands=()
    _describe -t commands 'ana agent commands' commands "$@"
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
'hook:Run as an agent'\''s pre-tool hook\: read the payload on stdin, answer in the agent'\''s format' \
'run:Run a command confined\: what the hook puts in front of a command whose rule says \`confine\` (\`ana run \[--profile NAME\] \[--project DIR\] -c '\''COMMAND'\''\`; \`--explain\` lists the areas)' \
'check:Classify a payload on stdin without side effects and without contacting anything' \
'explain:Show how a shell command is parsed and which rule decides each part' \
'policy:Validate, show and test policies' \
'agent:The approval agent\: \`ana agent \[--daemonize\] \[--authenticator usb|nfc|soft\]\`, \`ana agent stop\`, \`ana agent status\`' \
'enroll:Enroll a security key\: \`ana enroll \[--authenticator usb|nfc|soft\] \[--name NAME\]\`' \
'keys:Enrolled keys' \
'approve:The approval prompt\: every pending request, what exactly it asks; y approves (then touch the key), n denies' \
'deny:Deny a pending request (the one pending, or ID)' \
'demo:A tour on a temporary home with the software key\: allow, deny, approve, a late approval' \
'install:Wire ana into an agent'\''s hook settings (claude-code, copilot-cli, gemini-cli, codex), the approval agent into your service manager (service), or — with sudo — set up system mode (system), where the trust anchor is out of the reach of your user and so of your agents' \
'uninstall:Remove exactly what \`ana install\` added' \
'touch:System mode, as root\: give the touch a software key waits for (tests and demos only)' \
'doctor:Check the installation and explain how to fix what is wrong' \
'completions:Print shell completions' \
'man:Print the man page (roff)' \
'history:The approval history\: list (newest first), show, verify, export, stats, prune' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ana help commands' commands "$@"
}
(( $+functions[_ana__subcmd__help__subcmd__agent_commands] )) ||
_ana__subcmd__help__subcmd__agent_commands() {
    local commands; commands=()
    _describe -t commands 'ana help agent commands' commands "$@"
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
