#!/usr/bin/env python3
# test-harness-cleanup.py — the harness ends every process it started and
# removes its private world, whether the test passes, fails, is killed by a
# signal, or the harness itself is killed outright (SIGKILL, as a hung CI job
# would be); its exit status says how the test ended, and a world process
# that died unasked fails the run while one killed through the control
# channel does not. Speaks TAP.
#
# Copyright 2026 The Pitch Toy developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import signal
import socket
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


def send_command(line):
    """Run inside a test: one command on the harness's control channel."""
    with socket.socket(socket.AF_UNIX) as control:
        control.connect(os.environ['PT_TEST_HARNESS_CONTROL'])
        control.sendall(line.encode() + b'\n')
        return 0 if control.makefile().readline() == 'ok\n' else 1


def is_dead(pid):
    """A zombie whose threads are all gone, so its parent can reap it (a
    killed leader shows Z while its other threads are still exiting)."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            state = f.read().rsplit(')', 1)[1].split()[0]
        return state == 'Z' and len(os.listdir('/proc/%d/task' % pid)) <= 1
    except OSError:
        return True


def kill_own(name):
    """Run inside a test: SIGKILLs the world's process @name behind the
    harness's back, and waits until it is dead (4: found none)."""
    for pid in processes_in(os.environ['XDG_RUNTIME_DIR']):
        with open('/proc/%d/comm' % pid) as f:
            if f.read().strip() == name:
                os.kill(pid, signal.SIGKILL)
                return 0 if wait_until(lambda: is_dead(pid)) else 4
    return 4


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
            return False, None, 'the test never started'
        with open(marker) as f:
            runtime = f.read().strip()
        if not processes_in(runtime):
            return False, None, 'no process of the private world was found while it ran'
        open(go, 'w').close()
        if kill_harness:
            harness.send_signal(signal.SIGKILL)
        status = harness.wait(timeout=WATCHDOG_S)
        if not wait_until(lambda: not processes_in(runtime)):
            return False, status, 'processes left behind: %s' % processes_in(runtime)
        if not wait_until(lambda: not os.path.exists(os.path.dirname(runtime))):
            return False, status, 'private directory left behind: %s' % os.path.dirname(runtime)
        return True, status, 'harness exit status %d' % status


SELF = '%s %s' % (sys.executable, os.path.abspath(__file__))

# name, test script, whether to kill the harness, the harness's exit status
CASES = [
    ('passing-test', 'exit 0', False, 0),
    ('failing-test', 'exit 3', False, 3),
    ('test-killed-by-signal', 'kill -KILL $$', False, 128 + signal.SIGKILL),
    ('harness-killed', 'sleep 60 & wait', True, -signal.SIGKILL),
    ('world-killed-on-purpose', SELF + ' --send kill', False, 0),
    ('world-process-dies-unasked', SELF + ' --kill-own wireplumber', False, 1),
]


def main():
    if sys.argv[1:2] == ['--send']:
        return send_command(' '.join(sys.argv[2:]))
    if sys.argv[1:2] == ['--kill-own']:
        return kill_own(sys.argv[2])
    print('1..%d' % len(CASES), flush=True)
    failed = 0
    for number, (name, script, kill_harness, expected) in enumerate(CASES, 1):
        ok, status, detail = run_case(name, script, kill_harness)
        if ok and status != expected:
            ok, detail = False, 'harness exit status %d, not %d' % (status, expected)
        failed += not ok
        print('%s %d /pitch-toy/harness/cleanup/%s # %s'
              % ('ok' if ok else 'not ok', number, name, detail), flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
