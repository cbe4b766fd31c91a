#!/usr/bin/env python3
# harness.py — runs one test inside a private world: its own runtime dir and
# session bus, optionally a private PipeWire server (pipewire + wireplumber) with
# a virtual microphone that tests can feed, and optionally an Xvfb display.
#
#   harness.py [--pipewire] [--display] -- TEST [ARGS...]
#
# Every process it starts runs in a process group of its own, recorded and
# ended by the harness itself on success, failure or SIGTERM from meson's
# timeout. Should the harness be killed outright, a reaper it forked first sees
# its pipe close and kills those groups (grandchildren included) and removes
# the private directory. Readiness is polled, never slept for.
#
# Copyright 2026 The Pitch Toy developers
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

WATCHDOG_S = 30.0
FEED_NODE = 'pt-test-feed'
MIC_NODE = 'pt-test-mic'
PR_SET_PDEATHSIG = 1


def log(*args):
    print('harness:', *args, file=sys.stderr, flush=True)


def die_with_parent():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def start_reaper(tmp):
    """Forks a process that outlives the harness: it reads process group ids
    from a pipe, and when the pipe closes (the harness finished or died) kills
    every group and removes @tmp. Returns the pipe's write end and its pid."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(write_fd)
        os.setsid()  # out of the harness's group, which meson may kill whole
        groups = []
        with os.fdopen(read_fd) as pipe:
            for line in pipe:
                groups.append(int(line))
        for group in groups:
            try:
                os.killpg(group, signal.SIGKILL)
            except OSError:
                pass
        shutil.rmtree(tmp, ignore_errors=True)
        os._exit(0)
    os.close(read_fd)
    return os.fdopen(write_fd, 'w', buffering=1), pid


class World:
    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix='pt-harness-')
        self.reaper, self.reaper_pid = start_reaper(self.tmp)
        self.runtime = os.path.join(self.tmp, 'runtime')
        os.mkdir(self.runtime, 0o700)
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ('DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY',
                                 'PIPEWIRE_REMOTE', 'PIPEWIRE_RUNTIME_DIR', 'PULSE_SERVER',
                                 'XAUTHORITY')}
        for name in ('config', 'state', 'cache', 'data'):
            path = os.path.join(self.tmp, name)
            os.mkdir(path, 0o700)
            self.env['XDG_%s_HOME' % name.upper()] = path
        self.env['XDG_RUNTIME_DIR'] = self.runtime
        self.procs = []

    def spawn(self, name, argv, **kwargs):
        logfile = open(os.path.join(self.tmp, name + '.log'), 'wb')
        proc = subprocess.Popen(argv, env=self.env, stdin=subprocess.DEVNULL,
                                stdout=kwargs.pop('stdout', logfile),
                                stderr=kwargs.pop('stderr', logfile),
                                preexec_fn=die_with_parent, start_new_session=True,
                                **kwargs)
        proc.pt_name = name
        self.procs.append(proc)
        self.reaper.write('%d\n' % proc.pid)
        return proc

    def wait_for(self, what, condition):
        deadline = time.monotonic() + WATCHDOG_S
        while time.monotonic() < deadline:
            for proc in self.procs:
                if proc.poll() is not None:
                    raise RuntimeError('%s exited (%d) while waiting for %s'
                                       % (proc.pt_name, proc.returncode, what))
            if condition():
                return
            time.sleep(0.05)
        raise RuntimeError('timed out after %d s waiting for %s' % (WATCHDOG_S, what))

    def start_session_bus(self):
        proc = self.spawn('dbus', ['dbus-daemon', '--session', '--nofork', '--nopidfile',
                                   '--address=unix:path=' + os.path.join(self.runtime, 'bus'),
                                   '--print-address'], stdout=subprocess.PIPE)
        address = proc.stdout.readline().decode().strip()
        if not address:
            raise RuntimeError('dbus-daemon printed no address')
        self.env['DBUS_SESSION_BUS_ADDRESS'] = address

    def start_display(self):
        read_fd, write_fd = os.pipe()
        self.spawn('xvfb', ['Xvfb', '-displayfd', str(write_fd), '-screen', '0', '1280x800x24',
                            '-nolisten', 'tcp', '-noreset'], pass_fds=(write_fd,))
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError('Xvfb reported no display number')
        self.env['DISPLAY'] = ':' + number
        self.env['GDK_BACKEND'] = 'x11'

    def pw_nodes(self):
        result = subprocess.run(['pw-dump'], env=self.env, capture_output=True, timeout=10)
        if result.returncode != 0 or not result.stdout.strip():
            return {}
        nodes = {}
        for obj in json.loads(result.stdout):
            props = (obj.get('info') or {}).get('props') or {}
            if obj.get('type', '').endswith(':Node') and 'node.name' in props:
                nodes[props['node.name']] = props
        return nodes

    def start_pipewire(self):
        socket = os.path.join(self.runtime, 'pipewire-0')
        self.spawn('pipewire', ['pipewire'])
        self.wait_for('the PipeWire socket', lambda: os.path.exists(socket))
        self.spawn('wireplumber', ['wireplumber'])
        self.spawn('loopback', ['pw-loopback', '--channels', '1', '-m', '[ MONO ]',
                                '--capture-props',
                                'media.class=Audio/Sink node.name=%s node.description="Pitch Toy test feed"'
                                % FEED_NODE,
                                '--playback-props',
                                'media.class=Audio/Source node.name=%s node.description="Pitch Toy test microphone"'
                                % MIC_NODE])
        self.wait_for('the virtual microphone',
                      lambda: {FEED_NODE, MIC_NODE} <= set(self.pw_nodes()))
        self.env['PT_TEST_FEED_NODE'] = FEED_NODE
        self.env['PT_TEST_MIC_NODE'] = MIC_NODE

    def stop(self):
        for proc in reversed(self.procs):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except OSError:
                pass
        for proc in reversed(self.procs):
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def dump_logs(self):
        for proc in self.procs:
            path = os.path.join(self.tmp, proc.pt_name + '.log')
            with open(path, 'rb') as f:
                tail = f.read()[-2000:].decode(errors='replace')
            if tail.strip():
                log('--- %s log (tail) ---\n%s' % (proc.pt_name, tail))

    def remove(self):
        """Lets the reaper end what is left of every group and remove the tree."""
        self.reaper.close()
        os.waitpid(self.reaper_pid, 0)


def on_signal(signum, frame):
    raise SystemExit(128 + signum)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--pipewire', action='store_true')
    parser.add_argument('--display', action='store_true')
    parser.add_argument('command', nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ['--'] else args.command
    if not command:
        parser.error('no test command given')

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    world = World()
    status = 1
    try:
        world.start_session_bus()
        if args.display:
            world.start_display()
        if args.pipewire:
            world.start_pipewire()
        test = world.spawn('test', command, stdout=None, stderr=None)
        status = test.wait()
        if status < 0:
            log('test killed by signal %d' % -status)
            status = 128 - status
    except Exception as error:  # noqa: BLE001 - report anything that stops the set-up
        log('set-up failed:', error)
        world.dump_logs()
        status = 99
    finally:
        world.stop()
        if status != 0:
            world.dump_logs()
        world.remove()
    return status


if __name__ == '__main__':
    sys.exit(main())
