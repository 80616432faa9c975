# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ana_global_optspecs
    string join \n h/help V/version
end

function __fish_ana_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ana_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ana_using_subcommand
    set -l cmd (__fish_ana_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ana -n "__fish_ana_needs_command" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_needs_command" -s V -l version -d 'Print version'
complete -c ana -n "__fish_ana_needs_command" -f -a "hook" -d 'Run as a coding agent\'s pre-tool hook: read the payload on stdin, answer in the agent\'s format'
complete -c ana -n "__fish_ana_needs_command" -f -a "run" -d 'Run a command confined by the kernel (Landlock), as the hook does for `confine` rules'
complete -c ana -n "__fish_ana_needs_command" -f -a "check" -d 'Classify a payload on stdin without side effects and without contacting anything'
complete -c ana -n "__fish_ana_needs_command" -f -a "explain" -d 'Show how a shell command is parsed and which rule decides each part'
complete -c ana -n "__fish_ana_needs_command" -f -a "policy" -d 'Validate, edit, show and test policies'
complete -c ana -n "__fish_ana_needs_command" -f -a "agent" -d 'The approver, ana\'s approval agent: run (the default), status, stop'
complete -c ana -n "__fish_ana_needs_command" -f -a "enroll" -d 'Enroll a security key (CTAP2 makeCredential for ana\'s relying party)'
complete -c ana -n "__fish_ana_needs_command" -f -a "keys" -d 'The enrolled keys: list, remove'
complete -c ana -n "__fish_ana_needs_command" -f -a "approve" -d 'The approval prompt: every pending request, what exactly it asks; y approves (then touch the key), n denies'
complete -c ana -n "__fish_ana_needs_command" -f -a "deny" -d 'Deny a pending request (the one pending, or ID)'
complete -c ana -n "__fish_ana_needs_command" -f -a "demo" -d 'A tour on a temporary home with the software key: allow, deny, approve, a late approval'
complete -c ana -n "__fish_ana_needs_command" -f -a "install" -d 'Wire ana into a coding agent, the approver into your service manager, or set up system mode'
complete -c ana -n "__fish_ana_needs_command" -f -a "uninstall" -d 'Remove exactly what `ana install` added'
complete -c ana -n "__fish_ana_needs_command" -f -a "touch" -d 'System mode, as root: give the touch a software key waits for (tests and demos only)'
complete -c ana -n "__fish_ana_needs_command" -f -a "doctor" -d 'Check the installation and explain how to fix what is wrong'
complete -c ana -n "__fish_ana_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c ana -n "__fish_ana_needs_command" -f -a "man" -d 'Print the man page (roff), or write every page — one per command — into DIR'
complete -c ana -n "__fish_ana_needs_command" -f -a "history" -d 'The approval history: list (newest first), show, verify, export, stats, prune'
complete -c ana -n "__fish_ana_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ana -n "__fish_ana_using_subcommand hook" -s a -l agent -d 'Whose payload and answer format (detected when left out)' -r -f -a "claude-code\t''
copilot-cli\t''
gemini-cli\t''
codex\t''"
complete -c ana -n "__fish_ana_using_subcommand hook" -s t -l timeout -d 'The agent\'s hook timeout in seconds; ana always answers before it (default: 120, Copilot CLI 30, Gemini CLI 60)' -r
complete -c ana -n "__fish_ana_using_subcommand hook" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ana -n "__fish_ana_using_subcommand run" -l profile -d 'The confinement profile: its write areas and the secrets it may read' -r
complete -c ana -n "__fish_ana_using_subcommand run" -l project -d 'The project the command may write beneath' -r -f -a "(__fish_complete_directories)"
complete -c ana -n "__fish_ana_using_subcommand run" -l cwd-file -d 'The hook\'s file through which a `cd` in the command carries over to the agent\'s shell' -r -F
complete -c ana -n "__fish_ana_using_subcommand run" -s c -d 'The command, run by the shell' -r
complete -c ana -n "__fish_ana_using_subcommand run" -l explain -d 'List the profile\'s write areas, devices, hidden and refused paths, and run nothing'
complete -c ana -n "__fish_ana_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ana -n "__fish_ana_using_subcommand check" -l agent -d 'Whose payload shape (detected when left out)' -r -f -a "claude-code\t''
copilot-cli\t''
gemini-cli\t''
codex\t''"
complete -c ana -n "__fish_ana_using_subcommand check" -l json -d 'Print one JSON object: {"decision","rule","reason"}'
complete -c ana -n "__fish_ana_using_subcommand check" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand explain" -l cwd -d 'The directory it runs in (default: the current directory)' -r -f -a "(__fish_complete_directories)"
complete -c ana -n "__fish_ana_using_subcommand explain" -l json -d 'Print one JSON object, for scripts'
complete -c ana -n "__fish_ana_using_subcommand explain" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand policy; and not __fish_seen_subcommand_from check edit show test help" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand policy; and not __fish_seen_subcommand_from check edit show test help" -f -a "check" -d 'Validate a policy file (default: every layer that applies here): every error at once, with file:line:col, the line and "did you mean"; rules that can never match are flagged'
complete -c ana -n "__fish_ana_using_subcommand policy; and not __fish_seen_subcommand_from check edit show test help" -f -a "edit" -d 'Edit a policy in $VISUAL/$EDITOR, as visudo does: a copy is edited, checked, and installed only when it compiles'
complete -c ana -n "__fish_ana_using_subcommand policy; and not __fish_seen_subcommand_from check edit show test help" -f -a "show" -d 'Print the effective layered policy'
complete -c ana -n "__fish_ana_using_subcommand policy; and not __fish_seen_subcommand_from check edit show test help" -f -a "test" -d 'Run a labelled corpus (JSON lines: id, expect allow|block, tool_name, tool_input)'
complete -c ana -n "__fish_ana_using_subcommand policy; and not __fish_seen_subcommand_from check edit show test help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ana -n "__fish_ana_using_subcommand policy; and __fish_seen_subcommand_from check" -l layer -d 'Judge FILE as this layer\'s (default: by where it is — `.ana/policy.toml` is a project\'s, /etc/ana a system\'s, anything else yours)' -r -f -a "system\t'The site policy in /etc/ana (root\'s)'
user\t'Yours (~/.config/ana/policy.toml)'
project\t'This repository\'s .ana/policy.toml: it may only tighten'"
complete -c ana -n "__fish_ana_using_subcommand policy; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ana -n "__fish_ana_using_subcommand policy; and __fish_seen_subcommand_from edit" -l layer -d 'Which layer\'s file: yours, this repository\'s (.ana/policy.toml) or, as root, the site\'s' -r -f -a "system\t'The site policy in /etc/ana (root\'s)'
user\t'Yours (~/.config/ana/policy.toml)'
project\t'This repository\'s .ana/policy.toml: it may only tighten'"
complete -c ana -n "__fish_ana_using_subcommand policy; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ana -n "__fish_ana_using_subcommand policy; and __fish_seen_subcommand_from show" -l full -d 'Print the built-in packs\' TOML too'
complete -c ana -n "__fish_ana_using_subcommand policy; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand policy; and __fish_seen_subcommand_from test" -l agent -d 'The agent whose payload shape to build' -r -f -a "claude-code\t''
copilot-cli\t''
gemini-cli\t''
codex\t''"
complete -c ana -n "__fish_ana_using_subcommand policy; and __fish_seen_subcommand_from test" -l cwd -d 'The session\'s working directory for every case' -r -f -a "(__fish_complete_directories)"
complete -c ana -n "__fish_ana_using_subcommand policy; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "check" -d 'Validate a policy file (default: every layer that applies here): every error at once, with file:line:col, the line and "did you mean"; rules that can never match are flagged'
complete -c ana -n "__fish_ana_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Edit a policy in $VISUAL/$EDITOR, as visudo does: a copy is edited, checked, and installed only when it compiles'
complete -c ana -n "__fish_ana_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the effective layered policy'
complete -c ana -n "__fish_ana_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "test" -d 'Run a labelled corpus (JSON lines: id, expect allow|block, tool_name, tool_input)'
complete -c ana -n "__fish_ana_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ana -n "__fish_ana_using_subcommand agent; and not __fish_seen_subcommand_from run stop status enroll help" -l authenticator -d 'Which authenticator approvals use (default: USB; the software key when only software keys are enrolled)' -r -f -a "usb\t'A USB security key (FIDO2/CTAP2)'
nfc\t'An NFC security key, through PC/SC (pcscd)'
usb-ctaphid\t'USB keys through ctap-hid-fido2, for keys the default stack mishandles'
soft\t'The software key: insecure, for tests and the demo only'"
complete -c ana -n "__fish_ana_using_subcommand agent; and not __fish_seen_subcommand_from run stop status enroll help" -l grant-ttl -d 'How long an approval that arrives after the hook stopped waiting stays usable (seconds)' -r
complete -c ana -n "__fish_ana_using_subcommand agent; and not __fish_seen_subcommand_from run stop status enroll help" -l touch-timeout -d 'System mode, software key: how long a ceremony waits for `sudo ana touch` (seconds)' -r
complete -c ana -n "__fish_ana_using_subcommand agent; and not __fish_seen_subcommand_from run stop status enroll help" -l daemonize -d 'Return once the approver listens; it keeps running in the background and logs to `agent.log` in its state directory'
complete -c ana -n "__fish_ana_using_subcommand agent; and not __fish_seen_subcommand_from run stop status enroll help" -l no-notify -d 'No desktop notifications (they are on when a desktop session is there)'
complete -c ana -n "__fish_ana_using_subcommand agent; and not __fish_seen_subcommand_from run stop status enroll help" -l system -d 'System mode: run as the approver\'s own account (started as root, it prepares its directories and drops to that account), trusting only /etc/ana'
complete -c ana -n "__fish_ana_using_subcommand agent; and not __fish_seen_subcommand_from run stop status enroll help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ana -n "__fish_ana_using_subcommand agent; and not __fish_seen_subcommand_from run stop status enroll help" -f -a "run" -d 'Run the approver (the default): in the foreground, or with --daemonize in the background'
complete -c ana -n "__fish_ana_using_subcommand agent; and not __fish_seen_subcommand_from run stop status enroll help" -f -a "stop" -d 'Stop the running approver; pending requests are denied'
complete -c ana -n "__fish_ana_using_subcommand agent; and not __fish_seen_subcommand_from run stop status enroll help" -f -a "status" -d 'What runs, since when, which authenticator and keys, what is pending and granted'
complete -c ana -n "__fish_ana_using_subcommand agent; and not __fish_seen_subcommand_from run stop status enroll help" -f -a "enroll" -d '`ana enroll`, as handed over to the approver\'s binary'
complete -c ana -n "__fish_ana_using_subcommand agent; and not __fish_seen_subcommand_from run stop status enroll help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from run" -l authenticator -d 'Which authenticator approvals use (default: USB; the software key when only software keys are enrolled)' -r -f -a "usb\t'A USB security key (FIDO2/CTAP2)'
nfc\t'An NFC security key, through PC/SC (pcscd)'
usb-ctaphid\t'USB keys through ctap-hid-fido2, for keys the default stack mishandles'
soft\t'The software key: insecure, for tests and the demo only'"
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from run" -l grant-ttl -d 'How long an approval that arrives after the hook stopped waiting stays usable (seconds)' -r
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from run" -l touch-timeout -d 'System mode, software key: how long a ceremony waits for `sudo ana touch` (seconds)' -r
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from run" -l daemonize -d 'Return once the approver listens; it keeps running in the background and logs to `agent.log` in its state directory'
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from run" -l no-notify -d 'No desktop notifications (they are on when a desktop session is there)'
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from run" -l system -d 'System mode: run as the approver\'s own account (started as root, it prepares its directories and drops to that account), trusting only /etc/ana'
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from stop" -l json -d 'Print the approver\'s answer as JSON, for scripts'
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from status" -l json -d 'Print one JSON object, for scripts'
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from enroll" -l authenticator -d 'Which authenticator to enroll (default: a USB security key)' -r -f -a "usb\t'A USB security key (FIDO2/CTAP2)'
nfc\t'An NFC security key, through PC/SC (pcscd)'
usb-ctaphid\t'USB keys through ctap-hid-fido2, for keys the default stack mishandles'
soft\t'The software key: insecure, for tests and the demo only'"
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from enroll" -l name -d 'The key\'s name, unique among the enrolled keys (`ana keys remove NAME`)' -r
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from enroll" -l touch-timeout -d 'System mode, software key: how long to wait for `sudo ana touch` (seconds)' -r
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from enroll" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run the approver (the default): in the foreground, or with --daemonize in the background'
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop the running approver; pending requests are denied'
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "status" -d 'What runs, since when, which authenticator and keys, what is pending and granted'
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "enroll" -d '`ana enroll`, as handed over to the approver\'s binary'
complete -c ana -n "__fish_ana_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ana -n "__fish_ana_using_subcommand enroll" -l authenticator -d 'Which authenticator to enroll (default: a USB security key)' -r -f -a "usb\t'A USB security key (FIDO2/CTAP2)'
nfc\t'An NFC security key, through PC/SC (pcscd)'
usb-ctaphid\t'USB keys through ctap-hid-fido2, for keys the default stack mishandles'
soft\t'The software key: insecure, for tests and the demo only'"
complete -c ana -n "__fish_ana_using_subcommand enroll" -l name -d 'The key\'s name, unique among the enrolled keys (`ana keys remove NAME`)' -r
complete -c ana -n "__fish_ana_using_subcommand enroll" -l touch-timeout -d 'System mode, software key: how long to wait for `sudo ana touch` (seconds)' -r
complete -c ana -n "__fish_ana_using_subcommand enroll" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ana -n "__fish_ana_using_subcommand keys; and not __fish_seen_subcommand_from list remove help" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand keys; and not __fish_seen_subcommand_from list remove help" -f -a "list" -d 'List enrolled keys'
complete -c ana -n "__fish_ana_using_subcommand keys; and not __fish_seen_subcommand_from list remove help" -f -a "remove" -d 'Remove a key (by id prefix or name); needs an approval with another enrolled key'
complete -c ana -n "__fish_ana_using_subcommand keys; and not __fish_seen_subcommand_from list remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ana -n "__fish_ana_using_subcommand keys; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand keys; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "list" -d 'List enrolled keys'
complete -c ana -n "__fish_ana_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a key (by id prefix or name); needs an approval with another enrolled key'
complete -c ana -n "__fish_ana_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ana -n "__fish_ana_using_subcommand approve" -l yes -d 'Approve without the prompt (the one pending request, or ID), printing it whole. A hardware key still needs its touch'
complete -c ana -n "__fish_ana_using_subcommand approve" -l plain -d 'A line-mode prompt for terminals without a full-screen UI'
complete -c ana -n "__fish_ana_using_subcommand approve" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand deny" -l reason -d 'Told to the agent\'s model' -r
complete -c ana -n "__fish_ana_using_subcommand deny" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand demo" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand install" -l scope -d 'Which of the agent\'s settings files (local: Claude Code only)' -r -f -a "user\t'Your home: every project'
project\t'This repository, in a file shared with everyone who clones it'
local\t'This repository, in a file of yours alone'"
complete -c ana -n "__fish_ana_using_subcommand install" -l timeout -d 'The hook\'s deadline in seconds, written both to the agent and to the hook' -r
complete -c ana -n "__fish_ana_using_subcommand install" -l user -d 'system: the user who may reach the approval agent (default: the one running sudo)' -r
complete -c ana -n "__fish_ana_using_subcommand install" -l allow-software-key -d 'system: let a SOFTWARE key count (tests and demos only; `sudo ana touch` is its finger)'
complete -c ana -n "__fish_ana_using_subcommand install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ana -n "__fish_ana_using_subcommand uninstall" -l scope -d 'The scope it was installed in' -r -f -a "user\t'Your home: every project'
project\t'This repository, in a file shared with everyone who clones it'
local\t'This repository, in a file of yours alone'"
complete -c ana -n "__fish_ana_using_subcommand uninstall" -l purge -d 'system: also remove the approval agent\'s state (history) and its account'
complete -c ana -n "__fish_ana_using_subcommand uninstall" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ana -n "__fish_ana_using_subcommand touch" -l wait -d 'How long to wait for a ceremony that wants a touch (seconds)' -r
complete -c ana -n "__fish_ana_using_subcommand touch" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand completions" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand man" -l dir -d 'Write `ana.1`, `ana-approve.1`, … for every command into this directory' -r -f -a "(__fish_complete_directories)"
complete -c ana -n "__fish_ana_using_subcommand man" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand history; and not __fish_seen_subcommand_from show verify export stats prune help" -l since -d 'From this time: `yesterday`, `today`, `2h`, `3 days ago`, `2026-11-29`, `2026-11-29 14:00` (local time; a trailing `Z` means UTC)' -r
complete -c ana -n "__fish_ana_using_subcommand history; and not __fish_seen_subcommand_from show verify export stats prune help" -l until -d 'Before this time (same forms as --since)' -r
complete -c ana -n "__fish_ana_using_subcommand history; and not __fish_seen_subcommand_from show verify export stats prune help" -l agent -d 'Only this coding agent\'s calls' -r -f -a "claude-code\t''
copilot-cli\t''
gemini-cli\t''
codex\t''"
complete -c ana -n "__fish_ana_using_subcommand history; and not __fish_seen_subcommand_from show verify export stats prune help" -l session -d 'Only this session\'s calls (the coding agent\'s session id, whole)' -r
complete -c ana -n "__fish_ana_using_subcommand history; and not __fish_seen_subcommand_from show verify export stats prune help" -l decision -d 'Only allowed or only denied calls' -r -f -a "allow\t''
deny\t''"
complete -c ana -n "__fish_ana_using_subcommand history; and not __fish_seen_subcommand_from show verify export stats prune help" -l rule -d 'Only the calls this rule decided (its id, e.g. `git.force-push`; `ana explain` names it)' -r
complete -c ana -n "__fish_ana_using_subcommand history; and not __fish_seen_subcommand_from show verify export stats prune help" -l grep -d 'Text in the summary, reason or cwd' -r
complete -c ana -n "__fish_ana_using_subcommand history; and not __fish_seen_subcommand_from show verify export stats prune help" -l limit -d 'At most this many records, newest first' -r
complete -c ana -n "__fish_ana_using_subcommand history; and not __fish_seen_subcommand_from show verify export stats prune help" -l json -d 'A JSON array, for scripts'
complete -c ana -n "__fish_ana_using_subcommand history; and not __fish_seen_subcommand_from show verify export stats prune help" -l utc -d 'Show and read times in UTC instead of local time'
complete -c ana -n "__fish_ana_using_subcommand history; and not __fish_seen_subcommand_from show verify export stats prune help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ana -n "__fish_ana_using_subcommand history; and not __fish_seen_subcommand_from show verify export stats prune help" -f -a "show" -d 'One record in full, with its proof checked'
complete -c ana -n "__fish_ana_using_subcommand history; and not __fish_seen_subcommand_from show verify export stats prune help" -f -a "verify" -d 'Re-check the chain and every signature; exits 1 naming the first bad record'
complete -c ana -n "__fish_ana_using_subcommand history; and not __fish_seen_subcommand_from show verify export stats prune help" -f -a "export" -d 'Every record as JSON lines, oldest first'
complete -c ana -n "__fish_ana_using_subcommand history; and not __fish_seen_subcommand_from show verify export stats prune help" -f -a "stats" -d 'Counts by decision, rule, agent and day; the median time to approve'
complete -c ana -n "__fish_ana_using_subcommand history; and not __fish_seen_subcommand_from show verify export stats prune help" -f -a "prune" -d 'Delete records before a date; the rest stays verifiable'
complete -c ana -n "__fish_ana_using_subcommand history; and not __fish_seen_subcommand_from show verify export stats prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from show" -l since -d 'From this time: `yesterday`, `today`, `2h`, `3 days ago`, `2026-11-29`, `2026-11-29 14:00` (local time; a trailing `Z` means UTC)' -r
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from show" -l until -d 'Before this time (same forms as --since)' -r
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from show" -l utc -d 'Show and read times in UTC instead of local time'
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from verify" -l since -d 'From this time: `yesterday`, `today`, `2h`, `3 days ago`, `2026-11-29`, `2026-11-29 14:00` (local time; a trailing `Z` means UTC)' -r
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from verify" -l until -d 'Before this time (same forms as --since)' -r
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from verify" -l utc -d 'Show and read times in UTC instead of local time'
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from export" -l since -d 'From this time: `yesterday`, `today`, `2h`, `3 days ago`, `2026-11-29`, `2026-11-29 14:00` (local time; a trailing `Z` means UTC)' -r
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from export" -l until -d 'Before this time (same forms as --since)' -r
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from export" -l utc -d 'Show and read times in UTC instead of local time'
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from stats" -l since -d 'From this time: `yesterday`, `today`, `2h`, `3 days ago`, `2026-11-29`, `2026-11-29 14:00` (local time; a trailing `Z` means UTC)' -r
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from stats" -l until -d 'Before this time (same forms as --since)' -r
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from stats" -l utc -d 'Show and read times in UTC instead of local time'
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from prune" -l before -d 'Records older than this go (same forms as --since)' -r
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from prune" -l since -d 'From this time: `yesterday`, `today`, `2h`, `3 days ago`, `2026-11-29`, `2026-11-29 14:00` (local time; a trailing `Z` means UTC)' -r
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from prune" -l until -d 'Before this time (same forms as --since)' -r
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from prune" -l dry-run -d 'Say how many records would go, and delete nothing'
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from prune" -l utc -d 'Show and read times in UTC instead of local time'
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "show" -d 'One record in full, with its proof checked'
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Re-check the chain and every signature; exits 1 naming the first bad record'
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "export" -d 'Every record as JSON lines, oldest first'
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Counts by decision, rule, agent and day; the median time to approve'
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Delete records before a date; the rest stays verifiable'
complete -c ana -n "__fish_ana_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "hook" -d 'Run as a coding agent\'s pre-tool hook: read the payload on stdin, answer in the agent\'s format'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "run" -d 'Run a command confined by the kernel (Landlock), as the hook does for `confine` rules'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "check" -d 'Classify a payload on stdin without side effects and without contacting anything'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "explain" -d 'Show how a shell command is parsed and which rule decides each part'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "policy" -d 'Validate, edit, show and test policies'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "agent" -d 'The approver, ana\'s approval agent: run (the default), status, stop'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "enroll" -d 'Enroll a security key (CTAP2 makeCredential for ana\'s relying party)'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "keys" -d 'The enrolled keys: list, remove'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "approve" -d 'The approval prompt: every pending request, what exactly it asks; y approves (then touch the key), n denies'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "deny" -d 'Deny a pending request (the one pending, or ID)'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "demo" -d 'A tour on a temporary home with the software key: allow, deny, approve, a late approval'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "install" -d 'Wire ana into a coding agent, the approver into your service manager, or set up system mode'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "uninstall" -d 'Remove exactly what `ana install` added'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "touch" -d 'System mode, as root: give the touch a software key waits for (tests and demos only)'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "doctor" -d 'Check the installation and explain how to fix what is wrong'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "completions" -d 'Print shell completions'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "man" -d 'Print the man page (roff), or write every page — one per command — into DIR'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "history" -d 'The approval history: list (newest first), show, verify, export, stats, prune'
complete -c ana -n "__fish_ana_using_subcommand help; and not __fish_seen_subcommand_from hook run check explain policy agent enroll keys approve deny demo install uninstall touch doctor completions man history help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ana -n "__fish_ana_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "check" -d 'Validate a policy file (default: every layer that applies here): every error at once, with file:line:col, the line and "did you mean"; rules that can never match are flagged'
complete -c ana -n "__fish_ana_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "edit" -d 'Edit a policy in $VISUAL/$EDITOR, as visudo does: a copy is edited, checked, and installed only when it compiles'
complete -c ana -n "__fish_ana_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "show" -d 'Print the effective layered policy'
complete -c ana -n "__fish_ana_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "test" -d 'Run a labelled corpus (JSON lines: id, expect allow|block, tool_name, tool_input)'
complete -c ana -n "__fish_ana_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "run" -d 'Run the approver (the default): in the foreground, or with --daemonize in the background'
complete -c ana -n "__fish_ana_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "stop" -d 'Stop the running approver; pending requests are denied'
complete -c ana -n "__fish_ana_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "status" -d 'What runs, since when, which authenticator and keys, what is pending and granted'
complete -c ana -n "__fish_ana_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "enroll" -d '`ana enroll`, as handed over to the approver\'s binary'
complete -c ana -n "__fish_ana_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "list" -d 'List enrolled keys'
complete -c ana -n "__fish_ana_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "remove" -d 'Remove a key (by id prefix or name); needs an approval with another enrolled key'
complete -c ana -n "__fish_ana_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "show" -d 'One record in full, with its proof checked'
complete -c ana -n "__fish_ana_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "verify" -d 'Re-check the chain and every signature; exits 1 naming the first bad record'
complete -c ana -n "__fish_ana_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "export" -d 'Every record as JSON lines, oldest first'
complete -c ana -n "__fish_ana_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "stats" -d 'Counts by decision, rule, agent and day; the median time to approve'
complete -c ana -n "__fish_ana_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "prune" -d 'Delete records before a date; the rest stays verifiable'
