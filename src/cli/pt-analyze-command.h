/* pt-analyze-command.h — `pitch-toy --analyze FILE`: reads a recording with
 * libsndfile, runs the live pitch and level analysers over it and prints one
 * JSON object (or CSV row) per analysis frame.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses: 0 done, 1 bad command line, 2 the file cannot be analysed. */
#define PT_ANALYZE_EXIT_USAGE 1
#define PT_ANALYZE_EXIT_FILE  2

gboolean pt_analyze_command_wanted (int    argc,
                                    char **argv);
int      pt_analyze_command_main   (int    argc,
                                    char **argv);

G_END_DECLS
