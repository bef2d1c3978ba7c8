"""Drives a command on a real pseudo-terminal, as a person at a terminal would.

Usage: python3 pty-driver.py '<json>' where the JSON is
  {"argv": [...], "cwd": "...", "steps": [{"expect": "<regex>", "send": "a\\n"} | {"expect": "<regex>", "kill": 9}
   | {"expect": "<regex>", "run": [...argv]}], "timeout": 60}
Each step waits until the output so far (after the previous step's match) matches `expect`, then
types `send`, kills the child with signal `kill`, or starts `run` as another process (not on the
terminal; "{1}" in its argv is the match's first group). The terminal's output is written to
stdout; then, for each `run`, a line `RUN <i> EXIT <code>` and its stdout and stderr; then one
last line `EXIT <code>` (or `SIGNAL <n>`). Python's own pty module: no native build needed.
"""
import json, os, pty, re, select, signal, subprocess, sys, time

spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.chdir(spec["cwd"])
    os.execvpe(spec["argv"][0], spec["argv"], os.environ)

deadline = time.time() + spec.get("timeout", 60)
output = b""
start = 0
steps = list(spec["steps"])
status = None
runs = []
while True:
    if time.time() > deadline:
        os.kill(pid, signal.SIGKILL)
        sys.stdout.write(output.decode("utf8", "replace") + "\nTIMEOUT waiting for " + (steps[0]["expect"] if steps else "exit") + "\n")
        sys.exit(3)
    ready, _, _ = select.select([fd], [], [], 0.2)
    if ready:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            break
        output += chunk
    while steps:
        text = output[start:].decode("utf8", "replace")
        match = re.search(steps[0]["expect"], text)
        if not match:
            break
        start += len(text[: match.end()].encode("utf8"))
        step = steps.pop(0)
        if "kill" in step:
            os.kill(pid, step["kill"])
        elif "run" in step:
            argv = [a.replace("{1}", match.group(1) or "") if match.groups() else a for a in step["run"]]
            runs.append(subprocess.Popen(argv, cwd=spec["cwd"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
        else:
            os.write(fd, step["send"].encode("utf8"))
    done, code = os.waitpid(pid, os.WNOHANG)
    if done:
        status = code
        # drain what is left
        while True:
            r, _, _ = select.select([fd], [], [], 0.1)
            if not r:
                break
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        break
if status is None:
    _, status = os.waitpid(pid, 0)
sys.stdout.write(output.decode("utf8", "replace"))
for i, run in enumerate(runs):
    out, err = run.communicate(timeout=max(1, deadline - time.time()))
    sys.stdout.write("\nRUN %d EXIT %d\n%s%s" % (i, run.returncode, out.decode("utf8", "replace"), err.decode("utf8", "replace")))
if os.WIFSIGNALED(status):
    sys.stdout.write("\nSIGNAL %d\n" % os.WTERMSIG(status))
else:
    sys.stdout.write("\nEXIT %d\n" % os.WEXITSTATUS(status))
