#!/usr/bin/env python3
# Builds each one-include library of tests/layers with ninja and checks that
# an include the layering refuses fails for want of that header, and that an
# allowed one builds. Speaks TAP.
#
# Copyright 2026 The Pitch Toy developers
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import subprocess
import sys


def build(ninja, builddir, target):
    rel = os.path.relpath(target, builddir)
    proc = subprocess.run([ninja, '-C', builddir, rel],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc.returncode, proc.stdout


def main():
    ninja, builddir, cases = sys.argv[1], sys.argv[2], sys.argv[3:]
    print(f'1..{len(cases)}')
    failed = 0
    for number, case in enumerate(cases, 1):
        target, header, expected = case.rsplit(':', 2)
        name = os.path.basename(target)
        status, output = build(ninja, builddir, target)
        if expected == 'allowed':
            ok = status == 0
        else:
            ok = status != 0 and f'{header}: No such file' in output
        if not ok:
            failed += 1
            print(f'# {name}: {header} {expected}, but the build said:')
            for line in output.splitlines()[-15:]:
                print(f'#   {line}')
        print(f'{"ok" if ok else "not ok"} {number} {name} ({header} {expected})')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
