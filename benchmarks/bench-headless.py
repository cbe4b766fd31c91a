#!/usr/bin/env python3
# bench-headless.py — the whole engine and its analysers at 48 kHz, as
# `pitch-toy --headless` runs them for 30 s on the harness's virtual
# microphone with a tone playing: the process's CPU time as a share of one
# core, and its peak RSS. Run inside tests/harness.py --pipewire. Prints
# figures; never fails on them.
#
# Copyright 2026 The Pitch Toy developers
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import math
import os
import struct
import subprocess
import tempfile
import time
import wave

SECONDS = 30


def write_tone(path, seconds, rate=48000, frequency=196.0):
    with wave.open(path, 'wb') as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = bytearray()
        for i in range(seconds * rate):
            frames += struct.pack('<h', int(12000 * math.sin(2 * math.pi * frequency * i / rate)))
        out.writeframes(bytes(frames))


def high_water_kb(pid):
    """The process's own peak RSS. Not ru_maxrss: the child of a vfork
    (Python's subprocess) inherits the parent's high-water mark at exec, so
    that would be this script's size."""
    try:
        with open(f'/proc/{pid}/status') as status:
            for line in status:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--pitch-toy', required=True)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, 'tone.wav')
        write_tone(wav, SECONDS + 10)
        feed = os.environ['PT_TEST_FEED_NODE']
        player = subprocess.Popen(['pw-play', '--target', feed, wav])
        try:
            start = time.monotonic()
            proc = subprocess.Popen([args.pitch_toy, '--headless', '--duration', str(SECONDS)],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            frames = 0
            peak_kb = 0
            for line in proc.stdout:
                frames += b'"time"' in line
                if frames % 100 == 0:
                    peak_kb = max(peak_kb, high_water_kb(proc.pid))
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.monotonic() - start
        finally:
            player.terminate()
            player.wait()

    cpu = usage.ru_utime + usage.ru_stime
    print(f'headless: {frames} frames in {wall:.1f} s, exit {os.waitstatus_to_exitcode(status)}')
    print(f'headless: CPU {cpu:.2f} s = {100 * cpu / wall:.2f} % of one core (target < 1 %), '
          f'peak RSS {peak_kb / 1024:.1f} MB (target < 20 MB)')


if __name__ == '__main__':
    main()
