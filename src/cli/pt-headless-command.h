/* pt-headless-command.h — the live modes with no display:
 * `pitch-toy --list-devices [--json]` and `pitch-toy --headless …`, which runs
 * the engine and prints its analysis frames as they come.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes: 0 done (also after SIGINT or SIGTERM), 1 bad command line,
 * 2 no such device or no server to list devices from, 3 output failed. */
#define PT_HEADLESS_EXIT_OK      0
#define PT_HEADLESS_EXIT_USAGE   1
#define PT_HEADLESS_EXIT_DEVICE  2
#define PT_HEADLESS_EXIT_OUTPUT  3

gboolean pt_headless_command_wanted (int    argc,
                                     char **argv);
int      pt_headless_command_main   (int    argc,
                                     char **argv);

G_END_DECLS
