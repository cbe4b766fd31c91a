#!/usr/bin/env python3
# test-harness-cleanup.py — the harness ends every process it started and
# removes its private world, whether the test passes, fails, is killed by a
# signal, or the harness itself is killed outright (SIGKILL, as a hung CI job
# would be). Speaks TAP.
#
# Copyright 2026 The Pitch Toy developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import signal
import subprocess
import sys
import tempfile
import time

HARNESS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'harness.py')
WATCHDOG_S = 30.0


def processes_in(runtime_dir):
    """Pids whose environment names @runtime_dir as XDG_RUNTIME_DIR."""
    needle = ('XDG_RUNTIME_DIR=%s' % runtime_dir).encode()
    pids = []
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open('/proc/%s/environ' % pid, 'rb') as f:
                if needle in f.read().split(b'\0'):
                    pids.append(int(pid))
        except OSError:
            pass
    return pids


def wait_until(condition):
    deadline = time.monotonic() + WATCHDOG_S
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def run_case(name, script, kill_harness=False):
    """Runs @script under the harness with a private PipeWire server and
    display. The test writes its runtime dir to a file, so we know what to look
    for, and waits until we have seen its world running before it ends."""
    with tempfile.TemporaryDirectory() as scratch:
        marker = os.path.join(scratch, 'runtime')
        go = os.path.join(scratch, 'go')
        command = ('echo "$XDG_RUNTIME_DIR" > %s; while [ ! -e %s ]; do sleep 0.05; done; %s'
                   % (marker, go, script))
        harness = subprocess.Popen([sys.executable, HARNESS, '--pipewire', '--display', '--',
                                    'sh', '-c', command],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_until(lambda: os.path.exists(marker) and os.path.getsize(marker) > 0):
            harness.kill()
            return False, 'the test never started'
        with open(marker) as f:
            runtime = f.read().strip()
        if not processes_in(runtime):
            return False, 'no process of the private world was found while it ran'
        open(go, 'w').close()
        if kill_harness:
            harness.send_signal(signal.SIGKILL)
        status = harness.wait(timeout=WATCHDOG_S)
        if not wait_until(lambda: not processes_in(runtime)):
            return False, 'processes left behind: %s' % processes_in(runtime)
        if not wait_until(lambda: not os.path.exists(os.path.dirname(runtime))):
            return False, 'private directory left behind: %s' % os.path.dirname(runtime)
        return True, 'harness exit status %d' % status


CASES = [
    ('passing-test', 'exit 0', False),
    ('failing-test', 'exit 3', False),
    ('test-killed-by-signal', 'kill -KILL $$', False),
    ('harness-killed', 'sleep 60 & wait', True),
]


def main():
    print('1..%d' % len(CASES), flush=True)
    failed = 0
    for number, (name, script, kill_harness) in enumerate(CASES, 1):
        ok, detail = run_case(name, script, kill_harness)
        failed += not ok
        print('%s %d /pitch-toy/harness/cleanup/%s # %s'
              % ('ok' if ok else 'not ok', number, name, detail), flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
