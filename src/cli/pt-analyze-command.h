/* pt-analyze-command.h — `pitch-toy --analyze FILE|DIR...`: reads recordings
 * with libsndfile, runs the live pitch and level analysers over them and
 * prints one JSON object (or CSV row) per analysis frame.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean pt_analyze_command_wanted (int    argc,
                                    char **argv);
/* Returns the exit status: 0 done, 1 bad command line, 2 an input could
 * not be analysed, 3 the output could not be written. */
int      pt_analyze_command_main   (int    argc,
                                    char **argv);

G_END_DECLS
