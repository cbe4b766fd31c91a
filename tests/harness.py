#!/usr/bin/env python3
# harness.py — runs one test inside a private world: its own runtime dir and
# session bus, optionally a private PipeWire server (pipewire + wireplumber)
# with a silent default speaker, a virtual microphone that tests can feed, and
# a control channel through which the test reshapes that world; optionally an
# Xvfb display.
#
#   harness.py [--pipewire] [--display] -- TEST [ARGS...]
#
# Every process it starts runs in a process group of its own, recorded and
# ended by the harness itself on success, failure or SIGTERM from meson's
# timeout. Should the harness be killed outright, a reaper it forked first sees
# its pipe close and kills those groups (grandchildren included) and removes
# the private directory. Readiness is judged by the server's registry, as a
# long-lived `pw-dump --monitor` sees it, polled, never slept for. A world
# process that dies unasked fails the run; one the test killed through the
# control channel does not.
#
# The control channel is a unix socket at $PT_TEST_HARNESS_CONTROL; the test
# sends one command per line and reads one reply line, `ok` or `error WHY`:
#
#   add-source NAME AMPLITUDE FREQ...  a virtual source NAME, one sine per channel
#   remove-source NAME                 its processes ended, its nodes gone (the
#                                      microphone too: a world with no source)
#   set-default-source NAME            default.audio.source names NAME
#   kill                               every PipeWire process SIGKILLed, as a crash
#   restart                            the world started again as it was
#   force-rate RATE                    clock.force-rate RATE (0 clears it)
#   wait-node NAME present|absent      a node NAME is (or is no longer) in the registry
#
# Copyright 2026 The Pitch Toy developers
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import codecs
import ctypes
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

WATCHDOG_S = 30.0
FEED_NODE = 'pt-test-feed'
MIC_NODE = 'pt-test-mic'
SPEAKER_NODE = 'pt-test-speaker'
MIN_QUANTUM = 16
CONTROL_SOCKET = 'pt-harness.sock'
TONE_RATE = 48000
MAX_CHANNELS = 8
NODE_NAME = re.compile(r'[A-Za-z0-9][A-Za-z0-9._-]*\Z')
PR_SET_PDEATHSIG = 1
PRCTL = ctypes.CDLL(None, use_errno=True).prctl  # resolved before any fork


def log(*args):
    print('harness:', *args, file=sys.stderr, flush=True)


def die_with_parent():
    # The "parent" is the thread that spawned: processes started by the
    # control thread live as long as it does, which is the harness's lifetime.
    PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def start_reaper(tmp):
    """Forks a process that outlives the harness: it reads process group ids
    from a pipe (a negative one: that group ended and is forgotten, so a
    recycled id is never hit), and when the pipe closes (the harness finished
    or died) kills every group left and removes @tmp. Returns the pipe's write
    end and its pid."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(write_fd)
        os.setsid()  # out of the harness's group, which meson may kill whole
        groups = set()
        with os.fdopen(read_fd) as pipe:
            for line in pipe:
                group = int(line)
                if group > 0:
                    groups.add(group)
                else:
                    groups.discard(-group)
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
    """The private directory, the environment and the table of processes."""

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
        self.lock = threading.Lock()
        self.closed = False
        self.deadline = time.monotonic() + WATCHDOG_S

    def spawn(self, name, argv, **kwargs):
        with self.lock, open(os.path.join(self.tmp, name + '.log'), 'ab') as logfile:
            if self.closed:
                raise RuntimeError('the harness is stopping')
            proc = subprocess.Popen(argv, env=self.env,
                                    stdin=kwargs.pop('stdin', subprocess.DEVNULL),
                                    stdout=kwargs.pop('stdout', logfile),
                                    stderr=kwargs.pop('stderr', logfile),
                                    preexec_fn=die_with_parent, start_new_session=True,
                                    **kwargs)
            proc.pt_name = name
            proc.pt_on_purpose = False
            self.procs.append(proc)
            self.reaper.write('%d\n' % proc.pid)
        return proc

    def end(self, procs, signum):
        """Ends @procs on purpose with @signum, each with its whole group, and
        returns once they are dead and forgotten."""
        for proc in procs:
            proc.pt_on_purpose = True
            try:
                os.killpg(proc.pid, signum)
            except OSError:
                pass
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, self.deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                raise RuntimeError('%s did not die' % proc.pt_name) from None
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # what it left in its group
            except OSError:
                pass
            with self.lock:
                self.procs.remove(proc)
                self.reaper.write('-%d\n' % proc.pid)

    def start_deadline(self):
        self.deadline = time.monotonic() + WATCHDOG_S

    def dead_unasked(self, but=None):
        with self.lock:
            return [proc for proc in self.procs
                    if proc is not but and not proc.pt_on_purpose and proc.poll() is not None]

    def wait_for(self, what, condition):
        while True:
            for proc in self.dead_unasked():
                raise RuntimeError('%s exited (%d) while waiting for %s'
                                   % (proc.pt_name, proc.returncode, what))
            if condition():
                return
            if time.monotonic() > self.deadline:
                raise RuntimeError('timed out after %d s waiting for %s' % (WATCHDOG_S, what))
            time.sleep(0.02)

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

    def stop(self):
        with self.lock:
            self.closed = True
            procs = list(reversed(self.procs))
        for proc in procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except OSError:
                pass
        for proc in procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def dump_logs(self):
        for name in sorted(os.listdir(self.tmp)):
            if name.endswith('.log'):
                with open(os.path.join(self.tmp, name), 'rb') as f:
                    tail = f.read()[-2000:].decode(errors='replace')
                if tail.strip():
                    log('--- %s (tail) ---\n%s' % (name, tail))

    def remove(self):
        """Lets the reaper end what is left of every group and remove the tree."""
        self.reaper.close()
        os.waitpid(self.reaper_pid, 0)


class Registry:
    """What the monitors saw at one moment: nodes by name, metadata (subject
    0) by name, links as (output node id, input node id, state)."""

    def __init__(self, objects, metadata):
        self.nodes, self.links = {}, set()
        self.metadata = metadata
        for obj in objects:
            kind = obj.get('type', '').rsplit(':', 1)[-1]
            info = obj.get('info') or {}
            if kind == 'Node' and 'node.name' in info.get('props', {}):
                self.nodes[info['props']['node.name']] = obj
            elif kind == 'Link':
                self.links.add((info.get('output-node-id'), info.get('input-node-id'),
                                info.get('state')))

    def setting(self, key):
        return self.metadata.get('settings', {}).get(key)

    def default(self, key):
        value = self.metadata.get('default', {}).get(key)
        return value.get('name') if isinstance(value, dict) else None

    def linked(self, output, input):
        ids = [self.nodes[name]['id'] for name in (output, input) if name in self.nodes]
        return len(ids) == 2 and (ids[0], ids[1], 'active') in self.links


METADATA_LINE = re.compile(r"(update|remove): id:0 key:'([^']*)'(?: value:'(.*)' type:'[^']*')?$")


def apply_metadata_line(line, entries):
    """Applies one line of pw-metadata's output (an update or a removal of a
    key of subject 0; other lines say nothing) to @entries."""
    match = METADATA_LINE.match(line.rstrip('\n'))
    if match and match.group(1) == 'update':
        try:
            entries[match.group(2)] = json.loads(match.group(3))
        except ValueError:
            entries[match.group(2)] = match.group(3)
    elif match:
        entries.pop(match.group(2), None)


class Monitor:
    """The server's objects as long-lived monitors see them: nodes and links
    from `pw-dump --monitor`, the `default` and `settings` metadata from a
    `pw-metadata --monitor` each (pw-dump holds back a metadata change until
    some other event). Each binds the metadata once: PipeWire 0.3.65 sends a
    change that comes while a bind is pending to the binder alone, so a
    pw-dump per look would make the test's own listeners miss changes."""

    def __init__(self, pipewire):
        self.objects = {}
        self.metadata = {'default': {}, 'settings': {}}
        self.lock = threading.Lock()
        dump = pipewire.spawn('monitor', ['pw-dump', '--monitor', '--no-colors'],
                              stdout=subprocess.PIPE)
        threading.Thread(target=self.read_objects, args=(dump.stdout,), daemon=True).start()
        for name in self.metadata:
            proc = pipewire.spawn('monitor-' + name, ['pw-metadata', '--monitor', '--name', name],
                                  stdout=subprocess.PIPE)
            threading.Thread(target=self.read_metadata, daemon=True,
                             args=(proc.stdout, self.metadata[name])).start()

    def read_objects(self, pipe):
        decoder, text = json.JSONDecoder(), ''
        utf8 = codecs.getincrementaldecoder('utf-8')()
        for chunk in iter(lambda: pipe.read1(65536), b''):
            text += utf8.decode(chunk)
            while True:
                text = text.lstrip()
                try:
                    update, end = decoder.raw_decode(text)
                except ValueError:
                    break  # the rest of this update has not come yet
                text = text[end:]
                with self.lock:
                    for obj in update:
                        if 'type' in obj:
                            self.objects[obj['id']] = obj
                        else:  # {"id": N, "info": null}: gone
                            self.objects.pop(obj['id'], None)

    def read_metadata(self, pipe, entries):
        for line in pipe:
            with self.lock:
                apply_metadata_line(line.decode(errors='replace'), entries)

    def registry(self):
        with self.lock:
            return Registry(list(self.objects.values()),
                            {name: dict(entries) for name, entries in self.metadata.items()})


def channel_positions(n_channels):
    if n_channels == 1:
        return ['MONO']
    if n_channels == 2:
        return ['FL', 'FR']
    return ['AUX%d' % c for c in range(n_channels)]


class Source:
    """A virtual source: a loopback whose sink side (the feed) comes out of an
    Audio/Source node. A test's source is fed its tones by pt-tone-feeder;
    the microphone (no tones) by whatever the test plays."""

    def __init__(self, name, frequencies, amplitude, feed=None, descriptions=None):
        self.name = name
        self.feed = feed or name + '-feed'
        self.feeder = name + '-feeder'
        self.descriptions = descriptions or ('%s test source' % name, '%s test feed' % name)
        self.frequencies = frequencies
        self.amplitude = amplitude
        self.procs = []


def parse_name(word):
    if not NODE_NAME.match(word):
        raise ValueError('%r is not a usable node name' % word)
    return word


def parse_number(word, low, high):
    value = float(word)
    if not low <= value <= high:
        raise ValueError('%s is outside %g..%g' % (word, low, high))
    return value


class PipeWire:
    """The private PipeWire world: server, WirePlumber, speaker, microphone,
    the test's sources, and the commands of the control channel."""

    def __init__(self, world):
        self.world = world
        self.sources = {MIC_NODE: Source(MIC_NODE, [], 0, FEED_NODE, (
            'Pitch Toy test microphone', 'Pitch Toy test feed'))}
        self.default_source = MIC_NODE
        world.env['PT_TEST_FEED_NODE'] = FEED_NODE
        world.env['PT_TEST_MIC_NODE'] = MIC_NODE
        world.env['PT_TEST_SPEAKER_NODE'] = SPEAKER_NODE
        self.procs = []
        self.monitor = None
        self.running = False
        self.commands = {
            'add-source': self.add_source,
            'remove-source': self.remove_source,
            'set-default-source': self.set_default_source,
            'kill': self.kill,
            'restart': self.restart,
            'force-rate': self.force_rate,
            'wait-node': self.wait_node,
        }

    def run(self, *argv):
        result = subprocess.run(argv, env=self.world.env, capture_output=True, timeout=10)
        if result.returncode != 0:
            raise RuntimeError('%s failed: %s' % (' '.join(argv),
                                                 result.stderr.decode(errors='replace').strip()))

    def spawn(self, name, argv, **kwargs):
        proc = self.world.spawn(name, argv, **kwargs)
        self.procs.append(proc)
        return proc

    def wait_for(self, what, condition):
        self.world.wait_for(what, lambda: condition(self.monitor.registry()))

    def answers(self):
        """Whether the server's core answers (pw-cli binds nothing else)."""
        return subprocess.run(['pw-cli', 'info', '0'], env=self.world.env,
                              capture_output=True, timeout=10).returncode == 0

    def configure_default(self, kind, name):
        self.run('pw-metadata', '-n', 'default', '0', 'default.configured.' + kind,
                 json.dumps({'name': name}), 'Spa:String:JSON')

    def read_default(self, key):
        """@key of the `default` metadata as a fresh pw-metadata reads it."""
        result = subprocess.run(['pw-metadata', '-n', 'default'], env=self.world.env,
                                capture_output=True, timeout=10)
        entries = {}
        for line in result.stdout.decode(errors='replace').splitlines():
            apply_metadata_line(line, entries)
        return Registry([], {'default': entries}).default(key)

    def wait_for_default(self, kind, name):
        """Waits until default.@kind names @name: as the monitor sees it, and
        once a second as a fresh read sees it, should a client binding the
        metadata at the wrong moment have cost the monitor the change."""
        key = 'default.' + kind
        last_read = [time.monotonic()]

        def holds(registry):
            if registry.default(key) == name:
                return True
            if time.monotonic() - last_read[0] < 1:
                return False
            last_read[0] = time.monotonic()
            if self.read_default(key) != name:
                return False
            log('the monitor missed %s = %s; a fresh read saw it' % (key, name))
            return True
        self.wait_for('%s to be %s' % (key, name), holds)

    def start(self):
        """Starts the world: at first, and again after a kill."""
        self.spawn('pipewire', ['pipewire'])
        self.world.wait_for('the PipeWire server', self.answers)
        self.monitor = Monitor(self)
        self.wait_for('the registry', lambda r: r.setting('clock.rate') is not None)
        self.start_speaker()
        self.spawn('wireplumber', ['wireplumber'])
        # Once WirePlumber has picked the lone speaker itself, it follows
        # what we configure; so playback never reaches the test microphone.
        self.wait_for('WirePlumber', lambda r: r.default('default.audio.sink') == SPEAKER_NODE)
        # Configured before their nodes come, WirePlumber picks them itself
        # as they appear, while nothing else binds the metadata (see Monitor).
        self.configure_default('audio.sink', SPEAKER_NODE)
        self.configure_default('audio.source', self.default_source)
        for source in self.sources.values():
            self.start_source(source)
        self.wait_for_default('audio.sink', SPEAKER_NODE)
        if self.default_source in self.sources:
            self.wait_for_default('audio.source', self.default_source)
        self.running = True

    def start_speaker(self):
        self.run('pw-cli', 'create-node', 'adapter',
                 '{ factory.name=support.null-audio-sink node.name=%s '
                 'node.description="Pitch Toy test speaker" media.class=Audio/Sink '
                 'object.linger=true audio.position=[ FL FR ] }' % SPEAKER_NODE)
        # Debian raises the floor to 1024 on a virtual machine; tests ask for 128.
        self.run('pw-metadata', '-n', 'settings', '0', 'clock.min-quantum', str(MIN_QUANTUM))
        self.wait_for('the speaker and clock.min-quantum %d' % MIN_QUANTUM,
                      lambda r: SPEAKER_NODE in r.nodes
                      and r.setting('clock.min-quantum') == MIN_QUANTUM)

    def start_source(self, source):
        positions = channel_positions(max(1, len(source.frequencies)))
        source.procs = [self.spawn('source-' + source.name, [
            'pw-loopback', '--channels', str(len(positions)), '-m', '[ %s ]' % ' '.join(positions),
            '--capture-props', 'media.class=Audio/Sink node.name=%s node.description="%s" '
            'node.dont-reconnect=true' % (source.feed, source.descriptions[1]),
            '--playback-props', 'media.class=Audio/Source node.name=%s node.description="%s" '
            'node.dont-reconnect=true' % (source.name, source.descriptions[0])])]
        self.wait_for('the nodes of source %s' % source.name,
                      lambda r: {source.name, source.feed} <= set(r.nodes))
        if source.frequencies:
            source.procs.append(self.start_feeder(source, positions))

    def start_feeder(self, source, positions):
        # pt-tone-feeder, not `pw-cat -` fed from a pipe: 0.3.65's pw-cat
        # crashes when the graph around it is relinked.
        feeder = self.spawn('feeder-' + source.name, [
            os.environ['PT_TEST_TONE_FEEDER'], source.feeder, source.feed,
            repr(source.amplitude)] + [repr(f) for f in source.frequencies])
        self.wait_for('the tone of source %s' % source.name,
                      lambda r: r.linked(source.feeder, source.feed))
        return feeder

    def require_running(self):
        if not self.running:
            raise RuntimeError('the world is down: restart it first')

    def add_source(self, name, amplitude, *frequencies):
        self.require_running()
        name = parse_name(name)
        if name in self.sources:
            raise ValueError('there is already a source %s' % name)
        if not 1 <= len(frequencies) <= MAX_CHANNELS:
            raise ValueError('a source has 1 to %d channels, one frequency each' % MAX_CHANNELS)
        source = Source(name, [parse_number(f, 0, TONE_RATE / 2) for f in frequencies],
                        parse_number(amplitude, 0, 1))
        self.start_source(source)
        self.sources[name] = source

    def remove_source(self, name):
        self.require_running()
        source = self.sources.pop(name, None)
        if source is None:
            raise ValueError('there is no source %s' % name)
        self.world.end(source.procs, signal.SIGTERM)
        self.procs = [proc for proc in self.procs if proc not in source.procs]
        self.wait_for('the nodes of source %s to go' % name,
                      lambda r: not {name, source.feed, source.feeder} & set(r.nodes))

    def set_default_source(self, name):
        self.require_running()
        if name not in self.sources:
            raise ValueError('no source %s to make the default' % name)
        self.configure_default('audio.source', name)
        self.wait_for_default('audio.source', name)
        self.default_source = name

    def kill(self):
        self.require_running()
        self.running = False
        self.world.end(self.procs, signal.SIGKILL)
        self.procs = []

    def restart(self):
        if self.running:
            raise RuntimeError('the world is running: kill it first')
        self.start()

    def force_rate(self, rate):
        self.require_running()
        rate = int(parse_number(rate, 0, 768000))
        self.run('pw-metadata', '-n', 'settings', '0', 'clock.force-rate', str(rate))
        self.wait_for('clock.force-rate %d' % rate, lambda r: r.setting('clock.force-rate') == rate)

    def wait_node(self, name, state):
        self.require_running()
        if state not in ('present', 'absent'):
            raise ValueError('a node is present or absent, not %r' % state)
        self.wait_for('node %s to be %s' % (name, state),
                      lambda r: (name in r.nodes) == (state == 'present'))

    def command(self, line):
        """Runs one control command under the watchdog; the reply line."""
        words = line.split()
        started = time.monotonic()
        self.world.start_deadline()
        try:
            if not words or words[0] not in self.commands:
                raise ValueError('unknown command %r' % line)
            self.commands[words[0]](*words[1:])
            reply = 'ok'
        except TypeError:
            reply = 'error wrong arguments for %s' % words[0]
        except (RuntimeError, ValueError) as error:
            reply = 'error %s' % ' '.join(str(error).split())
        log('%s: %s (%.0f ms)' % (line, reply, 1000 * (time.monotonic() - started)))
        return reply

    def serve_control(self):
        """Opens the control socket and serves it from a thread that lives as
        long as the harness (the processes it spawns die with it)."""
        path = os.path.join(self.world.runtime, CONTROL_SOCKET)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        listener.listen()
        self.world.env['PT_TEST_HARNESS_CONTROL'] = path
        threading.Thread(target=self.serve, args=(listener,), daemon=True).start()

    def serve(self, listener):
        while True:
            connection, _ = listener.accept()
            try:
                with connection, connection.makefile('rw', encoding='utf-8') as stream:
                    for line in stream:
                        stream.write(self.command(line.strip()) + '\n')
                        stream.flush()
            except OSError:
                pass  # the test went away mid-command


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
            pipewire = PipeWire(world)
            pipewire.start()
            pipewire.serve_control()
        test = world.spawn('test', command, stdout=None, stderr=None)
        status = test.wait()
        if status < 0:
            log('test killed by signal %d' % -status)
            status = 128 - status
        for proc in world.dead_unasked(but=test):
            log('%s died during the test (%d)' % (proc.pt_name, proc.returncode))
            status = status or 1
    except Exception as error:  # noqa: BLE001 - report anything that stops the set-up
        log('set-up failed:', error)
        status = 99
    finally:
        world.stop()
        if status != 0:
            world.dump_logs()
        world.remove()
    return status


if __name__ == '__main__':
    sys.exit(main())
