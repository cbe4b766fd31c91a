#!/usr/bin/env python3
# analyze-jobs.py — `pitch-toy --analyze DIR` on a folder of 200 short files
# and 4 long ones: the speed-up of the default --jobs (one per core) over
# --jobs 1, and a check that both print the same bytes.
#
# Copyright 2026 The Pitch Toy developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The files are made once in the work directory (16-bit WAV, sox-like tones
# written here, no tool needed). Runs alternate between the two settings so
# that a change of load on a shared machine hits both alike; the medians
# are compared, and the load average is printed beside them.

import argparse
import array
import hashlib
import math
import os
import resource
import statistics
import struct
import subprocess
import sys
import time

RATE = 48000
N_SHORT, SHORT_S = 200, 2
N_LONG, LONG_S = 4, 60


def write_wav(path, frequency, seconds):
    samples = array.array('h', (int(8000 * math.sin(2.0 * math.pi * frequency * i / RATE))
                                for i in range(int(RATE * seconds))))
    if sys.byteorder != 'little':
        samples.byteswap()
    data = samples.tobytes()
    with open(path, 'wb') as out:
        out.write(b'RIFF' + struct.pack('<I', 36 + len(data)) + b'WAVEfmt '
                  + struct.pack('<IHHIIHH', 16, 1, 1, RATE, 2 * RATE, 2, 16)
                  + b'data' + struct.pack('<I', len(data)) + data)


def make_folder(folder):
    """200 short takes, 4 long ones among them (by name, the long ones first)."""
    os.makedirs(folder, exist_ok=True)
    wanted = [('long-%d.wav' % i, 110.0 * (i + 1), LONG_S) for i in range(N_LONG)]
    wanted += [('take-%03d.wav' % i, 100.0 + 7.0 * i, SHORT_S) for i in range(N_SHORT)]
    for name, frequency, seconds in wanted:
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            write_wav(path + '.part', frequency, seconds)
            os.rename(path + '.part', path)


def child_cpu_s():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv):
    cpu = child_cpu_s()
    start = time.perf_counter()
    out = subprocess.run(argv, check=True, stdout=subprocess.PIPE).stdout
    return time.perf_counter() - start, child_cpu_s() - cpu, hashlib.sha256(out).hexdigest()


def free_cores(cores):
    """How many cores the machine gives right now: the same busy loop run once
    alone and then once per core at the same time."""
    spin = [sys.executable, '-c', 'sum(range(20000000))']
    start = time.perf_counter()
    subprocess.run(spin, check=True)
    alone = time.perf_counter() - start
    start = time.perf_counter()
    for process in [subprocess.Popen(spin) for _ in range(cores)]:
        process.wait()
    return cores * alone / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--pitch-toy', required=True)
    parser.add_argument('--workdir', required=True)
    parser.add_argument('--runs', type=int, default=3)
    args = parser.parse_args()

    folder = os.path.join(os.path.abspath(args.workdir), 'jobs-folder')
    make_folder(folder)
    cores = os.cpu_count()
    settings = {'--jobs 1': ['--jobs', '1'], 'default (%d cores)' % cores: []}
    wall = {name: [] for name in settings}
    cpu = {name: [] for name in settings}
    digests = set()

    load_start = os.getloadavg()
    free_before = free_cores(cores)
    for _ in range(args.runs):
        for name, extra in settings.items():
            w, c, digest = timed([args.pitch_toy, '--analyze', folder, '--quiet'] + extra)
            wall[name].append(w)
            cpu[name].append(c)
            digests.add(digest)

    audio_s = N_SHORT * SHORT_S + N_LONG * LONG_S
    print('%d files of %d s and %d of %d s (%d s of audio) at %d Hz; median of %d runs'
          % (N_SHORT, SHORT_S, N_LONG, LONG_S, audio_s, RATE, args.runs))
    print('%-20s %9s %9s %9s' % ('run', 'wall s', 'min s', 'cpu s'))
    for name in settings:
        print('%-20s %9.2f %9.2f %9.2f' % (name, statistics.median(wall[name]), min(wall[name]),
                                           statistics.median(cpu[name])))
    one, many = (statistics.median(wall[name]) for name in settings)
    best_one, best_many = (min(wall[name]) for name in settings)
    print('speed-up of the default over --jobs 1 on %d cores: %.2fx (medians), %.2fx (best runs, '
          'the least disturbed by other work)' % (cores, one / many, best_one / best_many))
    print('output identical for every run and --jobs: %s' % ('yes' if len(digests) == 1
                                                              else 'NO'))
    print('load average before: %.2f %.2f %.2f, after: %.2f %.2f %.2f' % (load_start
                                                                     + os.getloadavg()))
    print('cores free for a busy loop (of %d): %.2f before, %.2f after; the speed-up '
          'cannot pass that on a shared machine' % (cores, free_before, free_cores(cores)))
    return 0 if len(digests) == 1 else 1


if __name__ == '__main__':
    sys.exit(main())
