#!/usr/bin/env python3
# peer-accuracy.py — pitch accuracy of Pitch Toy against aubio (yinfast) and
# Praat (To Pitch (ac)) on real instrument tones rendered with FluidSynth from
# the General MIDI soundfont, plus sox tones, clean and played into a room;
# prints RPA50, RPA10, RPA1, RCA50, octave and other wrong notes, voicing and
# the frame-to-frame spread per tool, overall and per instrument.
#
# Copyright 2026 The Pitch Toy developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Scoring (the same rule for every tool): each tool's frame covers an analysis
# window ending at its newest sample; a frame is scored only when that whole
# window lies inside the steady part of a note, from SETTLE_S after note-on to
# note-off. So onsets, the tools' own latencies and release tails are never
# scored, and each tool is judged on the same audio. Per scored frame, against
# the nominal note (equal temperament, A4 = 440 Hz):
#   RPA50  voiced and within 50 cents (unvoiced counts as a miss)
#   RPA10, RPA1  the same within 10 and 1 cents (FluidR3's samples are not
#          all tuned to the cent: RPA1 says more about the samples than the
#          tools; the synthetic tones of test-yin-precision are the fine test)
#   RCA50  the same, octave errors forgiven (error folded into ±600 cents)
#   octave voiced, within 50 cents of a whole number (≠ 0) of octaves off
#   wrong  voiced, more than 50 cents off and not an octave: a confident wrong note
#   voicing  voiced frames / scored frames
#   spread  median over notes of the RMS change, in cents, from one frame to
#          the next while both are within 50 cents (each tool at its own hop:
#          Pitch Toy and aubio 5.8 ms, Praat 10 ms)
# and per note, from note-on, the time to the newest sample of the first
# frame within 50 cents of it: median and p90 over the GM instruments' notes
# (the church organ aside), and the notes missed for a whole second.
# With --slow MS, Pitch Toy's notes over MS, each with the time its rendering
# takes to sound, the time after that in periods, and what was read before.
# The rates are over all scored frames, octave errors included.
#
# The room: each set played into a room as a microphone would hear it:
# sox's reverb at a reverberance of 26 % (RT60 0.67 s, measured on a click
# by Schroeder integration), dry and wet mixed; an 80 Hz–8 kHz band; pink
# noise 20 dB under the set's RMS; and a gain from -20 to 0 dB drawn per set
# from a fixed seed (peaks -23 to -3 dBFS).

import argparse
import array
import concurrent.futures
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import random
import wave
import zlib

RATE = 44100
LEAD_IN_S = 0.2
NOTE_S = 1.0
GAP_S = 0.4
SETTLE_S = 0.05
LATENCY_LIMIT_S = 1.0
SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2'
ROOM_REVERBERANCE = 26
ROOM_BAND = '80-8000'
ROOM_NOISE_DB = -20.0
ROOM_GAIN_DB = (-20.0, 0.0)

# (name, GM program 0-based, lowest MIDI note, highest MIDI note); the step
# through each range is 3 semitones, so every pitch class comes up somewhere.
INSTRUMENTS = [
    ('piano', 0, 28, 96),
    ('electric piano', 4, 36, 84),
    ('harpsichord', 6, 36, 84),
    ('church organ', 19, 36, 96),
    ('nylon guitar', 24, 40, 76),
    ('steel guitar', 25, 40, 81),
    ('clean e-guitar', 27, 40, 81),
    ('acoustic bass', 32, 28, 55),
    ('finger e-bass', 33, 28, 60),
    ('violin', 40, 55, 93),  # FluidR3's violin is silent from A#6
    ('viola', 41, 48, 84),
    ('cello', 42, 36, 72),
    ('contrabass', 43, 28, 55),
    ('string ensemble', 48, 36, 84),
    ('choir aahs', 52, 48, 79),
    ('voice oohs', 53, 48, 79),
    ('trumpet', 56, 54, 84),
    ('trombone', 57, 40, 72),
    ('tuba', 58, 28, 58),
    ('french horn', 60, 41, 77),
    ('soprano sax', 64, 56, 87),
    ('alto sax', 65, 49, 81),
    ('tenor sax', 66, 44, 75),
    ('oboe', 68, 58, 91),
    ('bassoon', 70, 34, 72),
    ('clarinet', 71, 50, 91),
    ('flute', 73, 60, 96),
]
SOX_TONES = ['sine', 'square', 'sawtooth', 'triangle', 'pluck']
SOX_RANGE = (28, 96, 4)

PRAAT_SCRIPT = '''form Pitch
  sentence infile x
  positive floor 35
  positive ceiling 2500
endform
Read from file: infile$
To Pitch (ac): 0.01, floor, 15, "no", 0.03, 0.45, 0.01, 0.35, 0.14, ceiling
n = Get number of frames
for i to n
  t = Get time from frame number: i
  f = Get value in frame: i, "Hertz"
  appendInfoLine: fixed$ (t, 5), " ", fixed$ (f, 3)
endfor
'''
PRAAT_FLOOR = 35.0
PRAAT_CEILING = 2500.0
AUBIO_WINDOW = 2048
AUBIO_HOP = 256


def midi_to_hz(midi):
    return 440.0 * 2.0 ** ((midi - 69) / 12.0)


def note_name(midi):
    names = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B']
    return '%s%d' % (names[midi % 12], midi // 12 - 1)


# --- MIDI files, written by hand: format 0, one track, 480 ticks a quarter at
# the default 120 bpm, so 960 ticks a second.

def varlen(value):
    out = [value & 0x7f]
    value >>= 7
    while value:
        out.insert(0, (value & 0x7f) | 0x80)
        value >>= 7
    return bytes(out)


def write_midi(path, program, notes):
    ticks_per_s = 960
    events = bytearray()
    events += varlen(0) + bytes([0xc0, program])
    previous = 0
    for i, note in enumerate(notes):
        on = int(round((LEAD_IN_S + i * (NOTE_S + GAP_S)) * ticks_per_s))
        off = int(round((LEAD_IN_S + i * (NOTE_S + GAP_S) + NOTE_S) * ticks_per_s))
        events += varlen(on - previous) + bytes([0x90, note, 100])
        events += varlen(off - on) + bytes([0x80, note, 0])
        previous = off
    # A silent second at the end so the last release is rendered.
    events += varlen(ticks_per_s) + bytes([0xff, 0x01, 0x00])
    events += varlen(0) + bytes([0xff, 0x2f, 0x00])
    with open(path, 'wb') as f:
        f.write(b'MThd' + struct.pack('>IHHH', 6, 0, 1, 480))
        f.write(b'MTrk' + struct.pack('>I', len(events)) + events)


def render_instrument(workdir, name, program, low, high):
    notes = list(range(low, high + 1, 3))
    base = os.path.join(workdir, cache_prefix() + name.replace(' ', '-'))
    mid, stereo, mono = base + '.mid', base + '-stereo.wav', base + '.wav'
    if not os.path.exists(mono):
        write_midi(mid, program, notes)
        subprocess.run(['fluidsynth', '-ni', '-R', '0', '-C', '0', '-g', '0.5',
                        '-r', str(RATE), '-F', stereo, SOUNDFONT, mid],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Peak at -3 dBFS, as a recording set up with care would be.
        subprocess.run(['sox', stereo, '-c', '1', mono + '.tmp.wav', 'norm', '-3'], check=True)
        os.rename(mono + '.tmp.wav', mono)
        os.remove(stereo)
    return mono, notes


def cache_prefix():
    """Renderings from another soundfont than FluidR3 are kept apart."""
    stem = os.path.splitext(os.path.basename(SOUNDFONT))[0]
    return '' if stem == 'FluidR3_GM' else stem + '-'


def render_sox_tone(workdir, shape):
    notes = list(range(*SOX_RANGE))
    mono = os.path.join(workdir, 'sox-%s.wav' % shape)
    if not os.path.exists(mono):
        parts = []
        lead = os.path.join(workdir, 'sox-%s-lead.wav' % shape)
        subprocess.run(['sox', '-n', '-r', str(RATE), '-b', '16', '-c', '1', lead,
                        'trim', '0', str(LEAD_IN_S)], check=True)
        parts.append(lead)
        for note in notes:
            part = os.path.join(workdir, 'sox-%s-%d.wav' % (shape, note))
            subprocess.run(['sox', '-n', '-r', str(RATE), '-b', '16', '-c', '1', part,
                            'synth', str(NOTE_S), shape, '%.4f' % midi_to_hz(note),
                            'vol', '0.4', 'pad', '0', str(GAP_S)], check=True)
            parts.append(part)
        subprocess.run(['sox'] + parts + [mono + '.tmp.wav'], check=True)
        os.rename(mono + '.tmp.wav', mono)
        for part in parts:
            os.remove(part)
    return mono, notes


def rms_db(path):
    out = subprocess.run(['sox', path, '-n', 'stats'], check=True, capture_output=True,
                         text=True).stderr
    for line in out.splitlines():
        if line.startswith('RMS lev dB'):
            return float(line.split()[3])
    raise RuntimeError('sox stats gave no RMS for %s' % path)


def render_room(workdir, name, clean):
    """@clean played into the room (see the top of the file)."""
    base = os.path.join(workdir, 'room-' + cache_prefix() + name.replace(' ', '-'))
    room, wet, noise = base + '.wav', base + '-wet.wav', base + '-noise.wav'
    if os.path.exists(room):
        return room
    gain = random.Random(zlib.crc32(name.encode())).uniform(*ROOM_GAIN_DB)
    subprocess.run(['sox', clean, '-e', 'floating-point', wet, 'reverb',
                    str(ROOM_REVERBERANCE), '50', '100', '100', '0', '0', 'channels', '1',
                    'sinc', ROOM_BAND, 'norm', '-3', 'vol', '%.2fdB' % gain], check=True)
    seconds = float(subprocess.run(['soxi', '-D', wet], check=True, capture_output=True,
                                   text=True).stdout)
    # -R: the noise and the dither from a fixed seed, so a room is the same
    # on every run and every machine.
    subprocess.run(['sox', '-R', '-n', '-r', str(RATE), '-c', '1', '-e', 'floating-point', noise,
                    'synth', '%.3f' % seconds, 'pinknoise'], check=True)
    level = rms_db(wet) + ROOM_NOISE_DB - rms_db(noise)
    subprocess.run(['sox', '-R', '-m', '-v', '1', wet, '-v', '%.6f' % 10.0 ** (level / 20.0), noise,
                    '-b', '16', room + '.tmp.wav'], check=True)
    os.rename(room + '.tmp.wav', room)
    os.remove(wet)
    os.remove(noise)
    return room


# --- The tools. Each returns a list of (newest sample time, window length,
# frequency or 0 when unvoiced).

def run_pitch_toy(exe, path):
    out = subprocess.run([exe, '--analyze', path], check=True, capture_output=True,
                         text=True).stdout
    frames = []
    # time is the centre of the window Pitch Toy picks by default at this rate.
    window_s = PITCH_TOY_WINDOW_S
    for line in out.splitlines():
        frame = json.loads(line)
        frames.append((frame['time'] + window_s / 2.0, window_s, frame['frequency'] or 0.0))
    return frames


def run_aubio(path):
    out = subprocess.run(['aubiopitch', '-i', path, '-p', 'yinfast', '-B', str(AUBIO_WINDOW),
                          '-H', str(AUBIO_HOP), '-u', 'freq'],
                         check=True, capture_output=True, text=True).stdout
    frames = []
    window_s = AUBIO_WINDOW / RATE
    for line in out.splitlines():
        t, f = line.split()
        # The time is the start of the hop just read: the window ends a hop later.
        frames.append((float(t) + AUBIO_HOP / RATE, window_s, float(f)))
    return frames


def run_praat(script, path):
    out = subprocess.run(['praat', '--run', script, path, str(PRAAT_FLOOR), str(PRAAT_CEILING)],
                         check=True, capture_output=True, text=True).stdout
    frames = []
    # To Pitch (ac) looks at 3 periods of the floor, centred on the frame time.
    window_s = 3.0 / PRAAT_FLOOR
    for line in out.splitlines():
        t, f = line.split()
        f = 0.0 if 'undefined' in f else float(f)
        frames.append((float(t) + window_s / 2.0, window_s, f))
    return frames


# --- Scoring.

class Score:
    def __init__(self):
        self.scored = self.rpa = self.rca = self.octave = self.voiced = 0
        self.up = self.down = self.wrong = self.unvoiced = 0
        self.rpa10 = self.rpa1 = 0
        self.spreads = []      # per note: RMS frame-to-frame change, cents
        self.steps = []        # of the note being scored
        self.last_cents = None

    def add(self, other):
        for key in vars(self):
            if key == 'spreads':
                self.spreads += other.spreads
            elif key not in ('steps', 'last_cents'):
                setattr(self, key, getattr(self, key) + getattr(other, key))

    def end_note(self):
        if len(self.steps) >= 2:
            self.spreads.append(math.sqrt(sum(x * x for x in self.steps) / len(self.steps)))
        self.steps = []
        self.last_cents = None

    def spread(self):
        if not self.spreads:
            return float('nan')
        return sorted(self.spreads)[len(self.spreads) // 2]

    def frame(self, nominal_hz, f):
        self.scored += 1
        if f <= 0.0:
            self.unvoiced += 1
            self.last_cents = None
            return
        self.voiced += 1
        cents = 1200.0 * math.log2(f / nominal_hz)
        folded = (cents + 600.0) % 1200.0 - 600.0
        if abs(cents) <= 50.0:
            if self.last_cents is not None:
                self.steps.append(cents - self.last_cents)
            self.last_cents = cents
        else:
            self.last_cents = None
        if abs(cents) <= 10.0:
            self.rpa10 += 1
        if abs(cents) <= 1.0:
            self.rpa1 += 1
        if abs(cents) <= 50.0:
            self.rpa += 1
        if abs(folded) <= 50.0:
            self.rca += 1
            if abs(cents) > 50.0:
                self.octave += 1
                if cents > 0:
                    self.up += 1
                else:
                    self.down += 1
        elif abs(cents) > 50.0:
            self.wrong += 1

    def rate(self, value):
        return value / self.scored if self.scored else float('nan')


def score_frames(frames, notes, per_note):
    score = Score()
    current = None
    for newest, window_s, f in frames:
        start = newest - window_s
        i = int((start - LEAD_IN_S) // (NOTE_S + GAP_S))
        if i < 0 or i >= len(notes):
            continue
        onset = LEAD_IN_S + i * (NOTE_S + GAP_S)
        if start >= onset + SETTLE_S and newest <= onset + NOTE_S:
            if i != current:
                score.end_note()
                for s in per_note.values():
                    s.end_note()
                current = i
            score.frame(midi_to_hz(notes[i]), f)
            per_note.setdefault(notes[i], Score()).frame(midi_to_hz(notes[i]), f)
    score.end_note()
    for s in per_note.values():
        s.end_note()
    return score


def note_latencies(frames, notes):
    """Per note, the time from note-on to the newest sample of the first
    frame within 50 cents of it (None when none comes within LATENCY_LIMIT_S)."""
    first = [None] * len(notes)
    for newest, _, f in frames:
        if f <= 0.0:
            continue
        i = int((newest - LEAD_IN_S) // (NOTE_S + GAP_S))
        if i < 0 or i >= len(notes) or first[i] is not None:
            continue
        since = newest - (LEAD_IN_S + i * (NOTE_S + GAP_S))
        if 0.0 <= since <= LATENCY_LIMIT_S and abs(1200.0 * math.log2(f / midi_to_hz(notes[i]))) <= 50.0:
            first[i] = since
    return first


def sounding_delays(path, notes):
    """Per note, the time from note-on to its first sample over 1 % of the
    peak of its first 200 ms: how long the rendering takes to sound."""
    with wave.open(path) as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1
        data = array.array('h', w.readframes(w.getnframes()))
    delays = []
    for i in range(len(notes)):
        on = int(round((LEAD_IN_S + i * (NOTE_S + GAP_S)) * RATE))
        part = data[on:on + int(0.2 * RATE)]
        peak = max((abs(x) for x in part), default=0)
        delays.append(next((k / RATE for k, x in enumerate(part) if abs(x) > 0.01 * peak), 0.0))
    return delays


def frames_before(frames, notes, latencies):
    """Per note, what Pitch Toy read from note-on to its first correct frame:
    (unvoiced, an octave off, another note) frame counts."""
    counts = [[0, 0, 0] for _ in notes]
    for newest, _, f in frames:
        i = int((newest - LEAD_IN_S) // (NOTE_S + GAP_S))
        if i < 0 or i >= len(notes):
            continue
        since = newest - (LEAD_IN_S + i * (NOTE_S + GAP_S))
        if not 0.0 <= since < (LATENCY_LIMIT_S if latencies[i] is None else latencies[i]):
            continue
        if f <= 0.0:
            counts[i][0] += 1
            continue
        cents = 1200.0 * math.log2(f / midi_to_hz(notes[i]))
        counts[i][1 if abs((cents + 600.0) % 1200.0 - 600.0) <= 50.0 else 2] += 1
    return counts


def print_slow_notes(condition, sets, rendered, results, slow_ms):
    print()
    print('Pitch Toy\'s notes over %g ms. The rendering sounds from its first sample over 1 %% of '
          'the note\'s first 200 ms peak (clean set); T is the period; then the frames before the '
          'first correct one: unvoiced / an octave off / another note' % slow_ms)
    print('  %-16s %-4s %8s %10s %10s %7s   %s'
          % ('set', 'note', 'ms', 'sounds at', 'after it', 'in T', 'frames before'))
    for (name, kind, _), (paths, notes) in zip(sets, rendered):
        if kind != 'fluid' or name == 'church organ':
            continue
        frames = results[(condition, name, 'Pitch Toy')]
        latencies = note_latencies(frames, notes)
        delays = sounding_delays(paths['clean'], notes)
        before = frames_before(frames, notes, latencies)
        for note, latency, delay, counts in zip(notes, latencies, delays, before):
            if latency is None or 1000.0 * latency > slow_ms:
                after = (LATENCY_LIMIT_S if latency is None else latency) - delay
                print('  %-16s %-4s %8s %10.1f %10.1f %7.1f   %d / %d / %d'
                      % (name, note_name(note),
                         'missed' if latency is None else '%.1f' % (1000.0 * latency),
                         1000.0 * delay, 1000.0 * after, after * midi_to_hz(note), *counts))


def latency_line(tool, latencies):
    found = sorted(x for x in latencies if x is not None)
    if not found:
        return '%-14s no note found' % tool
    return ('%-14s %8d %9.1f %9.1f %9d'
            % (tool, len(latencies), 1000.0 * found[len(found) // 2],
               1000.0 * found[min(len(found) - 1, len(found) * 9 // 10)],
               len(latencies) - len(found)))


SUMMARY_HEADER = ('%-14s %8s %7s %7s %7s %7s %7s %7s %8s %7s'
                  % ('tool', 'frames', 'RPA50', 'RPA10', 'RPA1', 'RCA50', 'octave', 'wrong',
                     'voicing', 'spread'))


def summary_line(tool, s):
    return ('%-14s %8d %7.4f %7.4f %7.4f %7.4f %6.2f%% %6.2f%% %8.4f %7.3f'
            % (tool, s.scored, s.rate(s.rpa), s.rate(s.rpa10), s.rate(s.rpa1), s.rate(s.rca),
               100.0 * s.rate(s.octave), 100.0 * s.rate(s.wrong), s.rate(s.voiced),
               s.spread()))


def main():
    global PITCH_TOY_WINDOW_S, SOUNDFONT
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--pitch-toy', required=True)
    parser.add_argument('--workdir', required=True)
    parser.add_argument('--jobs', type=int, default=2)
    parser.add_argument('--only', help='comma-separated instrument names')
    parser.add_argument('--slow', type=float, metavar='MS',
                        help='list the notes Pitch Toy takes longer than MS to read')
    parser.add_argument('--soundfont', default=SOUNDFONT,
                        help='another General MIDI soundfont, to check on instruments '
                        'the figures were not made on (e.g. TimGM6mb.sf2 from '
                        'timgm6mb-soundfont)')
    args = parser.parse_args()
    SOUNDFONT = args.soundfont

    for tool in ('fluidsynth', 'sox', 'aubiopitch', 'praat'):
        if shutil.which(tool) is None:
            print('peer-accuracy: %s is not installed (apt install fluidsynth '
                  'fluid-soundfont-gm sox aubio-tools praat)' % tool, file=sys.stderr)
            return 77
    if not os.path.exists(SOUNDFONT):
        print('peer-accuracy: %s is missing (apt install fluid-soundfont-gm)' % SOUNDFONT,
              file=sys.stderr)
        return 77

    args.workdir = os.path.abspath(args.workdir)
    os.makedirs(args.workdir, exist_ok=True)
    script = os.path.join(args.workdir, 'pitch.praat')
    with open(script, 'w') as f:
        f.write(PRAAT_SCRIPT)

    # Pitch Toy's default window at this rate, from its own output: its
    # --window default is chosen from the 40 Hz floor.
    PITCH_TOY_WINDOW_S = pitch_toy_window(args.pitch_toy, args.workdir)

    sets = [(name, 'fluid', (program, low, high)) for name, program, low, high in INSTRUMENTS]
    sets += [('sox ' + shape, 'sox', shape) for shape in SOX_TONES]
    if args.only:
        wanted = set(args.only.split(','))
        sets = [s for s in sets if s[0] in wanted]

    def render(entry):
        name, kind, spec = entry
        if kind == 'fluid':
            path, notes = render_instrument(args.workdir, name, *spec)
        else:
            path, notes = render_sox_tone(args.workdir, spec)
        return {'clean': path, 'room': render_room(args.workdir, name, path)}, notes

    tools = [
        ('Pitch Toy', lambda p: run_pitch_toy(args.pitch_toy, p)),
        ('aubio yinfast', run_aubio),
        ('Praat ac', lambda p: run_praat(script, p)),
    ]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        rendered = list(pool.map(render, sets))
        jobs = {}
        for (name, _, _), (paths, notes) in zip(sets, rendered):
            for condition in CONDITIONS:
                for tool, run in tools:
                    jobs[(condition, name, tool)] = pool.submit(run, paths[condition])
        results = {key: job.result() for key, job in jobs.items()}

    print('Pitch accuracy on %d sets (%d GM instruments from %s, %d sox tones), '
          '%g s notes, steady part only (window inside [on + %g s, off])'
          % (len(sets), sum(1 for s in sets if s[1] == 'fluid'), os.path.basename(SOUNDFONT),
             sum(1 for s in sets if s[1] == 'sox'), NOTE_S, SETTLE_S))
    for condition in CONDITIONS:
        print()
        print_condition(condition, sets, rendered, tools, results)
        if args.slow is not None:
            print_slow_notes(condition, sets, rendered, results, args.slow)
    return 0


CONDITIONS = ('clean', 'room')
CONDITION_TITLES = {
    'clean': 'Clean',
    'room': 'In a room (reverb RT60 0.67 s, 80 Hz-8 kHz, pink noise 20 dB under, random gain)',
}


def print_condition(condition, sets, rendered, tools, results):
    totals = {tool: Score() for tool, _ in tools}
    per_set = {}
    per_note = {tool: {} for tool, _ in tools}
    for (name, _, _), (paths, notes) in zip(sets, rendered):
        for tool, _ in tools:
            notes_score = {}
            score = score_frames(results[(condition, name, tool)], notes, notes_score)
            per_set[(name, tool)] = score
            totals[tool].add(score)
            for note, s in notes_score.items():
                per_note[tool].setdefault((name, note), Score()).add(s)

    print('== %s' % CONDITION_TITLES[condition])
    print()
    print(SUMMARY_HEADER)
    for tool, _ in tools:
        print(summary_line(tool, totals[tool]))
    print()
    print('Time to the correct note, from note-on to the newest sample of the first frame within')
    print('50 cents (GM instruments but the church organ; missed: none within %g s)'
          % LATENCY_LIMIT_S)
    print('%-14s %8s %9s %9s %9s' % ('tool', 'notes', 'median ms', 'p90 ms', 'missed'))
    for tool, _ in tools:
        latencies = []
        for (name, kind, _), (paths, notes) in zip(sets, rendered):
            if kind == 'fluid' and name != 'church organ':
                latencies += note_latencies(results[(condition, name, tool)], notes)
        print(latency_line(tool, latencies))
    print()
    print('RPA50 per set (Pitch Toy misses: octave up / down, other wrong, unvoiced frames)')
    print('%-16s %9s %9s %9s   %s' % ('set', 'PitchToy', 'aubio', 'Praat', 'Pitch Toy misses'))
    for name, _, _ in sets:
        s = [per_set[(name, tool)] for tool, _ in tools]
        p = s[0]
        print('%-16s %9.4f %9.4f %9.4f   up %d down %d wrong %d unvoiced %d of %d'
              % (name, s[0].rate(s[0].rpa), s[1].rate(s[1].rpa), s[2].rate(s[2].rpa),
                 p.up, p.down, p.wrong, p.unvoiced, p.scored))
    print()
    print('Notes where Pitch Toy has RPA50 below 0.9 (aubio and Praat on the same note):')
    bad = [(key, s) for key, s in sorted(per_note['Pitch Toy'].items())
           if s.rate(s.rpa) < 0.9]
    for (name, note), s in bad:
        others = [per_note[tool].get((name, note), Score()) for tool in ('aubio yinfast', 'Praat ac')]
        print('  %-16s %-4s %7.1f Hz  RPA50 %.2f (aubio %.2f, Praat %.2f)  '
              'up %d down %d wrong %d unvoiced %d of %d'
              % (name, note_name(note), midi_to_hz(note), s.rate(s.rpa),
                 others[0].rate(others[0].rpa), others[1].rate(others[1].rpa),
                 s.up, s.down, s.wrong, s.unvoiced, s.scored))
    if not bad:
        print('  none')

    # FluidR3's church organ sounds a strong sub-octave on its upper notes,
    # which fools every tool alike: the totals without it, for reference.
    print()
    print('Totals without the church organ set:')
    print(SUMMARY_HEADER)
    for tool, _ in tools:
        s = Score()
        for name, _, _ in sets:
            if name != 'church organ':
                s.add(per_set[(name, tool)])
        print(summary_line(tool, s))


def pitch_toy_window(exe, workdir):
    """The analysis window Pitch Toy picks by default at RATE, found by
    probing: with a hop of 1, frames start once half a window is in."""
    probe = os.path.join(workdir, 'probe.wav')
    with wave.open(probe, 'wb') as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b'\0\0' * RATE)
    out = subprocess.run([exe, '--analyze', probe, '--hop', '1'], check=True,
                         capture_output=True, text=True).stdout
    first = json.loads(out.splitlines()[0])
    # The first frame's centre is sample 0; n_frames = n_samples - window / 2 + 1.
    n_frames = len(out.splitlines())
    window = 2 * (RATE - n_frames + 1)
    assert abs(first['time']) < 1e-9, first
    return window / RATE


if __name__ == '__main__':
    sys.exit(main())
