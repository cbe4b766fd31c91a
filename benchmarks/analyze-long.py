#!/usr/bin/env python3
# analyze-long.py — peak memory and time of `pitch-toy --analyze -` on an
# hour of audio streamed through standard input (48 kHz mono, 96 kHz
# stereo), beside `aubiopitch -p yinfast` on the same stream (through a
# named pipe: it does not read standard input). Nothing that size is
# written to disk.
#
# Copyright 2026 The Pitch Toy developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Both tools get the same window and hop (2048 / 256 at 48 kHz, 4096 / 512
# at 96 kHz: the same time resolution), print one line a frame to
# /dev/null, and are timed by wait4 (): wall time, CPU time, peak RSS.

import argparse
import array
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time

CASES = [
    # rate, channels, window, hop
    (48000, 1, 2048, 256),
    (96000, 2, 4096, 512),
]
NOTES_HZ = [110.0, 220.0, 329.63, 440.0, 587.33, 880.0, 146.83, 261.63]


def wav_header(rate, channels):
    """A 16-bit PCM header with the placeholder sizes a streaming writer puts."""
    placeholder = 0x7ffff000
    return (b'RIFF' + struct.pack('<I', placeholder + 36) + b'WAVEfmt '
            + struct.pack('<IHHIIHH', 16, 1, channels, rate, rate * 2 * channels,
                          2 * channels, 16)
            + b'data' + struct.pack('<I', placeholder))


def note_seconds(rate, channels):
    """One second of each note (a touch of second harmonic), interleaved."""
    blocks = []
    for frequency in NOTES_HZ:
        samples = array.array('h')
        step = 2.0 * math.pi * frequency / rate
        for i in range(rate):
            x = 0.25 * math.sin(step * i) + 0.08 * math.sin(2.0 * step * i)
            value = int(x * 32767.0)
            for c in range(channels):
                samples.append(value if c == 0 else value // 2)
        if sys.byteorder != 'little':
            samples.byteswap()
        blocks.append(samples.tobytes())
    return blocks


def feed(path_or_fd, header, blocks, seconds):
    """Writes the stream; a reader that goes away ends it."""
    try:
        with (open(path_or_fd, 'wb') if isinstance(path_or_fd, str)
              else os.fdopen(path_or_fd, 'wb')) as out:
            out.write(header)
            for i in range(seconds):
                out.write(blocks[i % len(blocks)])
    except BrokenPipeError:
        pass


def run_streamed(argv, header, blocks, seconds, fifo=None):
    """Runs @argv on the stream (its stdin, or @fifo); wall s, cpu s, peak RSS MiB."""
    start = time.perf_counter()
    if fifo is None:
        process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        feeder = threading.Thread(target=feed,
                                  args=(os.dup(process.stdin.fileno()), header, blocks,
                                        seconds))
        process.stdin.close()
    else:
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
        feeder = threading.Thread(target=feed, args=(fifo, header, blocks, seconds))
    feeder.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    feeder.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError('%s exited with %d' % (argv[0], process.returncode))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--pitch-toy', required=True)
    parser.add_argument('--seconds', type=int, default=3600)
    args = parser.parse_args()

    if shutil.which('aubiopitch') is None:
        print('analyze-long: aubiopitch is not installed (apt install aubio-tools)',
              file=sys.stderr)
        return 77

    print('%d s of audio streamed, not stored; load average at the start: %.2f %.2f %.2f'
          % ((args.seconds,) + os.getloadavg()))
    print('%-22s %-24s %9s %9s %12s' % ('stream', 'tool', 'wall s', 'cpu s', 'peak RSS MiB'))
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, 'stream.wav')
        os.mkfifo(fifo)
        for rate, channels, window, hop in CASES:
            header = wav_header(rate, channels)
            blocks = note_seconds(rate, channels)
            name = '%d Hz, %d channel%s' % (rate, channels, 's' if channels > 1 else '')
            min_freq = '%.2f' % (math.ceil(100.0 * rate / (window / 2 - 2)) / 100.0)
            ours = run_streamed([args.pitch_toy, '--analyze', '-', '--window', str(window),
                                 '--hop', str(hop), '--min-freq', min_freq],
                                header, blocks, args.seconds)
            theirs = run_streamed(['aubiopitch', '-i', fifo, '-p', 'yinfast', '-B',
                                   str(window), '-H', str(hop)],
                                  header, blocks, args.seconds, fifo=fifo)
            for tool, figures in (('pitch-toy --analyze -', ours),
                                  ('aubiopitch -p yinfast', theirs)):
                print('%-22s %-24s %9.1f %9.1f %12.1f' % ((name, tool) + figures))
            print('%-22s aubio / Pitch Toy: %.2fx wall, %.2fx cpu, %.2fx memory'
                  % ('', theirs[0] / ours[0], theirs[1] / ours[1], theirs[2] / ours[2]))
    print('Load average at the end: %.2f %.2f %.2f (the machine is shared: compare CPU '
          'times when it was busy)' % os.getloadavg())
    return 0


if __name__ == '__main__':
    sys.exit(main())
