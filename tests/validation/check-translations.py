#!/usr/bin/env python3
# check-translations.py — extracts the message template from the current
# sources, as `pitch-toy-pot` does, and fails when a file with marked strings
# is missing from po/POTFILES, when xgettext warns, or when a language of
# po/LINGUAS fails `msgfmt --check` or has a message untranslated or fuzzy
# against that template. So a string added without its translations fails
# `meson test`. It also merges the desktop file and the metainfo as meson's
# i18n.merge_file does (read from the sources: the built ones are not remade
# when only a .po changes) and checks that they carry every language.
#
# Usage: check-translations.py SRCDIR -- XGETTEXT_ARGS...
#
# Copyright 2026 The Pitch Toy developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import subprocess
import sys
import tempfile

PACKAGE = 'pitch-toy'
APP_ID = 'io.github.pitchtoy.PitchToy'
# A gettext call in C, or a translatable property in a GtkBuilder file.
C_MARK = re.compile(r'(?<![A-Za-z0-9_])(_|N_|C_|NC_|ngettext|g_dngettext|g_dpgettext2)\s*\(')
UI_MARK = re.compile(r'translatable="yes"')
# The data files are translated through meson's i18n (or GSettings' domain).
DATA_FILES = re.compile(r'^data/[^/]+\.(desktop\.in|metainfo\.xml\.in|gschema\.xml)$')

failures = []


def read_list(path):
    with open(path, encoding='utf-8') as f:
        return [line.strip() for line in f
                if line.strip() and not line.lstrip().startswith('#')]


def files_with_strings(srcdir):
    found = set()
    for top in ('src', 'data'):
        for root, _, names in os.walk(os.path.join(srcdir, top)):
            for name in names:
                path = os.path.relpath(os.path.join(root, name), srcdir)
                if DATA_FILES.match(path):
                    found.add(path)
                    continue
                mark = C_MARK if name.endswith('.c') else UI_MARK if name.endswith('.ui') else None
                if mark:
                    with open(os.path.join(srcdir, path), encoding='utf-8') as f:
                        if mark.search(f.read()):
                            found.add(path)
    return found


def check_potfiles(srcdir, potfiles):
    listed = set(potfiles)
    for path in sorted(files_with_strings(srcdir) - listed):
        failures.append('po/POTFILES: %s has translatable strings but is not listed' % path)
    for path in sorted(listed):
        if not os.path.exists(os.path.join(srcdir, path)):
            failures.append('po/POTFILES: %s does not exist' % path)


def extract_template(srcdir, pot, xgettext_args):
    result = subprocess.run(
        ['xgettext', '--package-name=' + PACKAGE, '-f', os.path.join(srcdir, 'po', 'POTFILES'),
         '-D', srcdir, '-k_', '-o', pot] + xgettext_args,
        capture_output=True, text=True)
    if result.returncode != 0 or 'warning' in result.stderr:
        failures.append('xgettext: ' + (result.stderr.strip() or 'failed'))


def messages(po, *msgattrib_args):
    """The msgids msgattrib selects from po, one line each."""
    result = subprocess.run(['msgattrib', '--no-wrap', '--no-obsolete'] + list(msgattrib_args)
                            + [po], capture_output=True, text=True, check=True)
    ids = re.findall(r'^msgid ((?:".*"\n)+)', result.stdout, re.M)
    ids = [''.join(re.findall(r'"(.*)"', i)) for i in ids]
    return [i for i in ids if i]


def check_language(srcdir, lang, pot, tmpdir):
    po = os.path.join(srcdir, 'po', lang + '.po')
    if not os.path.exists(po):
        failures.append('po/LINGUAS names %s, but po/%s.po does not exist' % (lang, lang))
        return
    result = subprocess.run(['msgfmt', '--check', '--check-accelerators=_', '-o', os.devnull, po],
                            capture_output=True, text=True)
    if result.returncode != 0:
        failures.append('msgfmt --check po/%s.po:\n%s' % (lang, result.stderr.strip()))
    merged = os.path.join(tmpdir, lang + '.po')
    subprocess.run(['msgmerge', '--quiet', '-o', merged, po, pot], check=True)
    for kind, args in (('untranslated', ['--untranslated']), ('fuzzy', ['--only-fuzzy'])):
        for msgid in messages(merged, *args):
            failures.append('po/%s.po: %s: "%s"' % (lang, kind, msgid))


def check_merged_file(srcdir, template, kind, pattern, langs, tmpdir):
    merged = os.path.join(tmpdir, os.path.basename(template))
    subprocess.run(['msgfmt', '--' + kind, '--template', os.path.join(srcdir, template),
                    '-d', os.path.join(srcdir, 'po'), '-o', merged], check=True)
    with open(merged, encoding='utf-8') as f:
        text = f.read()
    for lang in langs:
        if not re.search(pattern % re.escape(lang), text, re.M):
            failures.append('%s has no %s translation' % (template, lang))


def main(argv):
    srcdir = argv[1]
    xgettext_args = argv[3:] if argv[2:3] == ['--'] else []
    langs = read_list(os.path.join(srcdir, 'po', 'LINGUAS'))
    for path in sorted(os.listdir(os.path.join(srcdir, 'po'))):
        if path.endswith('.po') and path[:-3] not in langs:
            failures.append('po/%s is not in po/LINGUAS' % path)
    check_potfiles(srcdir, read_list(os.path.join(srcdir, 'po', 'POTFILES')))
    with tempfile.TemporaryDirectory() as tmpdir:
        pot = os.path.join(tmpdir, PACKAGE + '.pot')
        extract_template(srcdir, pot, xgettext_args)
        if os.path.exists(pot):
            for lang in langs:
                check_language(srcdir, lang, pot, tmpdir)
        check_merged_file(srcdir, 'data/%s.desktop.in' % APP_ID, 'desktop', r'^Name\[%s\]=',
                          langs, tmpdir)
        check_merged_file(srcdir, 'data/%s.metainfo.xml.in' % APP_ID, 'xml',
                          r'<name xml:lang="%s">', langs, tmpdir)
    for failure in failures:
        print(failure)
    print('%d languages, %d problems' % (len(langs), len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
