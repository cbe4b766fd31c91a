/* test-progress.c — the text of the progress line: files, percent of the
 * audio, speed, time left, and what is left out while unknown.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pt-progress.h"

typedef struct
{
  PtProgressState  state;
  const char      *line;
} Case;

static const Case cases[] = {
  /* Just started: no speed yet, so no time left. */
  { { 0, 204, 0.0, 3600.0, 0.1 }, "0/204 files    0%" },
  { { 3, 204, 1476.0, 3600.0, 15.0 }, "3/204 files   41%  98x real time  0:22 left" },
  { { 203, 204, 3599.0, 3600.0, 36.0 }, "203/204 files   99%  100x real time  0:01 left" },
  { { 204, 204, 3600.0, 3600.0, 36.0 }, "204/204 files  100%  100x real time" },
  /* Three hours at real time: hours in the time left. */
  { { 0, 1, 60.0, 10860.0, 60.0 }, "0/1 files    0%  1x real time  3:00:00 left" },
  /* Standard input: no length, so the audio done instead of a percent. */
  { { 0, 1, 95.5, 0.0, 1.0 }, "0/1 files  1:36 of audio  96x real time" },
};

static void
test_format (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *line = pt_progress_format (&c->state);

  g_assert_cmpstr (line, ==, c->line);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pitch-toy/progress/format/%u", i);

      g_test_add_data_func (path, &cases[i], test_format);
    }
  return g_test_run ();
}
