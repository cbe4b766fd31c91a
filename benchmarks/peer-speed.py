#!/usr/bin/env python3
# peer-speed.py — speed of `pitch-toy --analyze` against `aubiopitch -p
# yinfast` on the same 60 s file at window 2048 / hop 256: wall time over a
# few runs, the ratio, and the cost of one analysis frame.
#
# Copyright 2026 The Pitch Toy developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Both tools decode the file and print one line a frame, so the wall times
# compare like with like. A second Pitch Toy run with a hop of 65536 (a few
# frames) measures what is not per-frame work (start-up, FFTW planning,
# decoding); the difference over the frame count is the net cost of a frame.

import argparse
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

RATE = 44100
DURATION_S = 60
WINDOW = 2048
HOP = 256


def child_cpu_s():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_run(argv, wall, cpu):
    """Wall time, and CPU time (user + system), which a busy machine skews less."""
    cpu_start = child_cpu_s()
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    wall.append(time.perf_counter() - start)
    cpu.append(child_cpu_s() - cpu_start)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--pitch-toy', required=True)
    parser.add_argument('--workdir', required=True)
    parser.add_argument('--runs', type=int, default=5)
    args = parser.parse_args()

    for tool in ('sox', 'aubiopitch'):
        if shutil.which(tool) is None:
            print('peer-speed: %s is not installed (apt install sox aubio-tools)' % tool,
                  file=sys.stderr)
            return 77

    os.makedirs(args.workdir, exist_ok=True)
    path = os.path.join(os.path.abspath(args.workdir), 'speed-60s.wav')
    if not os.path.exists(path):
        # A voiced signal all the way, so no frame is skipped as silence.
        subprocess.run(['sox', '-n', '-r', str(RATE), '-c', '1', '-b', '16', path,
                        'synth', str(DURATION_S), 'sawtooth', '55:1760', 'vol', '0.5'],
                       check=True)

    # The lowest frequency a 2048 window allows: YIN compares two halves, so
    # the longest lag is window / 2, less the two its refinement needs
    # (pitch-toy refuses a --min-freq its window cannot reach).
    # Rounded up to the 0.01 Hz it is printed with.
    min_freq = math.ceil(100.0 * RATE / (WINDOW / 2 - 2)) / 100.0
    pitch_toy = [args.pitch_toy, '--analyze', path, '--window', str(WINDOW),
                 '--min-freq', '%.2f' % min_freq]
    n_frames = sum(1 for _ in subprocess.run(pitch_toy + ['--hop', str(HOP)], check=True,
                                             capture_output=True).stdout.splitlines())
    aubio = ['aubiopitch', '-i', path, '-p', 'yinfast', '-B', str(WINDOW), '-H', str(HOP)]

    # Interleave the runs so load changes hit both tools alike.
    runs = {
        'pitch-toy --analyze': pitch_toy + ['--hop', str(HOP)],
        'aubiopitch -p yinfast': aubio,
        'pitch-toy, hop 65536': pitch_toy + ['--hop', '65536'],
    }
    wall = {name: [] for name in runs}
    cpu = {name: [] for name in runs}
    for _ in range(args.runs):
        for name, argv in runs.items():
            timed_run(argv, wall[name], cpu[name])

    print('Speed on a %d s file at %d Hz, window %d, hop %d (%d frames); median of %d runs'
          % (DURATION_S, RATE, WINDOW, HOP, n_frames, args.runs))
    print('Window %d at %d Hz allows %.1f Hz and up (lag up to window / 2 - 2); '
          'Pitch Toy run with --min-freq %.2f, its default --max-freq'
          % (WINDOW, RATE, min_freq, min_freq))
    print()
    print('%-24s %9s %9s %9s %13s %13s'
          % ('run', 'wall s', 'min s', 'cpu s', 'wall us/frm', 'cpu us/frm'))
    med = {}
    for name in runs:
        med[name] = (statistics.median(wall[name]), statistics.median(cpu[name]))
        print('%-24s %9.3f %9.3f %9.3f %13.1f %13.1f'
              % (name, med[name][0], min(wall[name]), med[name][1],
                 1e6 * med[name][0] / n_frames, 1e6 * med[name][1] / n_frames))
    ours, theirs, base = (med[name] for name in runs)
    print()
    print('aubio / Pitch Toy time: %.2fx wall, %.2fx cpu (above 1: Pitch Toy is faster)'
          % (theirs[0] / ours[0], theirs[1] / ours[1]))
    print('Pitch Toy start-up and decoding (hop 65536 run): %.3f s cpu' % base[1])
    print('Pitch Toy net cost of a frame (cpu, minus the hop-65536 run): %.1f us'
          % (1e6 * max(ours[1] - base[1], 0.0) / n_frames))
    return 0


if __name__ == '__main__':
    sys.exit(main())
