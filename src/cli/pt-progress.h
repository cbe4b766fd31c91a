/* pt-progress.h — the one-line progress report of a long `--analyze`:
 * files done, percent of the audio, speed against real time, time left.
 * Drawn on a terminal only; the caller decides (isatty, --quiet).
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint   files_done;
  guint   n_files;
  double  seconds_done;    /* of audio analysed */
  double  seconds_total;   /* of audio the headers promise; 0 when unknown */
  double  elapsed_s;       /* wall-clock time since the start */
} PtProgressState;

/* The line for @state, without a line break: "3/204 files  41%  96x real
 * time  0:12 left". Percent and time left are left out while unknown. */
char *pt_progress_format (const PtProgressState *state);

G_END_DECLS
