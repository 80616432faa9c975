"""Reads the guest's console log and reports like a test runner.

usage: report.py CONSOLE_LOG SECONDS   exit 0 only when the guest finished and every test passed.
Guest lines: `HIL: plan N`, `HIL: ok NAME (S s)`, `HIL: FAIL NAME: why`, `HIL: skip NAME: why`,
`HIL: done`.
"""
import re
import sys

log, seconds = sys.argv[1], sys.argv[2]
passed, failed, skipped, plan, done, boot = [], [], [], None, False, None
with open(log, errors="replace") as f:
    for line in f:
        line = line.rstrip("\n")
        if m := re.match(r"HIL: plan (\d+)$", line):
            plan = int(m.group(1))
        elif m := re.match(r"HIL: ok (\S+)", line):
            passed.append(m.group(1))
        elif m := re.match(r"HIL: FAIL (\S+?):? (.*)", line):
            failed.append(m.group(1))
        elif m := re.match(r"HIL: skip (\S+?):? (.*)", line):
            skipped.append(m.group(1))
        elif m := re.search(r"HIL: booted in (\S+) s", line):
            boot = m.group(1)
        elif line.strip() == "HIL: done":
            done = True
if not done:
    print("hil: the guest did not finish its tests (timeout, crash, or boot failure): see the console log")
    failed.append("guest-finished")
elif plan is not None and plan != len(passed) + len(failed) + len(skipped):
    print(f"hil: the guest planned {plan} tests but reported {len(passed) + len(failed) + len(skipped)}")
    failed.append("guest-plan")
if boot:
    print(f"hil: guest kernel booted to /init in {boot} s; whole run {seconds} s")
for name in failed:
    print(f"hil: FAILED {name}")
line = f"{len(passed)} passed, {len(failed)} failed"
if skipped:
    line += f", {len(skipped)} skipped"
print(line)
sys.exit(0 if not failed and passed else 1)
