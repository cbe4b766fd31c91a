#!/usr/bin/env python3
# check-flatpak-manifest.py — reads the Flathub manifest and checks what the
# app relies on: its id and command, a GNOME runtime, FFTW built in single
# precision, and a sandbox no broader than the allow-list below.
#
# Copyright 2026 The Pitch Toy developers
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import sys

APP_ID = 'io.github.pitchtoy.PitchToy'
# xdg-run/pipewire-0 is the only way a native PipeWire client reaches the
# server from the sandbox; nothing else on the host is shared.
ALLOWED = {'--socket=wayland', '--socket=fallback-x11', '--share=ipc', '--device=dri',
           '--filesystem=xdg-run/pipewire-0'}
REQUIRED = {'--socket=wayland', '--socket=fallback-x11', '--device=dri',
            '--filesystem=xdg-run/pipewire-0'}
MIN_GNOME_RUNTIME = 47

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def main(path):
    with open(path) as f:
        manifest = json.load(f)

    check(manifest.get('id', manifest.get('app-id')) == APP_ID, 'app id is not ' + APP_ID)
    check(manifest.get('command') == 'pitch-toy', 'command is not pitch-toy')
    check(manifest.get('runtime') == 'org.gnome.Platform', 'runtime is not org.gnome.Platform')
    check(manifest.get('sdk') == 'org.gnome.Sdk', 'sdk is not org.gnome.Sdk')
    version = str(manifest.get('runtime-version', ''))
    check(version.isdigit() and int(version) >= MIN_GNOME_RUNTIME,
          'runtime-version %r is not a current GNOME runtime' % version)

    finish_args = set(manifest.get('finish-args', []))
    check(finish_args <= ALLOWED, 'finish-args beyond the allow-list: %s'
          % sorted(finish_args - ALLOWED))
    check(REQUIRED <= finish_args, 'finish-args missing: %s' % sorted(REQUIRED - finish_args))

    modules = manifest.get('modules', [])
    fftw = [m for m in modules if isinstance(m, dict) and m.get('name', '').startswith('fftw')]
    check(len(fftw) == 1, 'no single FFTW module')
    if fftw:
        check('--enable-float' in fftw[0].get('config-opts', []),
              'FFTW is not built with --enable-float')
        for source in fftw[0].get('sources', []):
            check(source.get('url', '').startswith('https://') and len(source.get('sha256', '')) == 64,
                  'FFTW source without an https URL and a sha256')
    check(modules and modules[-1].get('name') == 'pitch-toy'
          and modules[-1].get('buildsystem') == 'meson',
          'the last module is not pitch-toy built with meson')

    for failure in failures:
        print('FAIL:', failure)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
