/* pt-progress.c — the text of the progress line; pure, so it is tested
 * apart from the terminal.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-progress"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "pt-progress.h"

/* Below this much wall-clock time the speed is mostly start-up noise. */
#define MIN_ELAPSED_FOR_RATE_S 0.5

static void
append_duration (GString *line,
                 double   seconds)
{
  guint64 s = (guint64) ceil (seconds);

  if (s >= 3600)
    g_string_append_printf (line, "%" G_GUINT64_FORMAT ":%02u:%02u", s / 3600,
                            (guint) (s / 60 % 60), (guint) (s % 60));
  else
    g_string_append_printf (line, "%u:%02u", (guint) (s / 60), (guint) (s % 60));
}

char *
pt_progress_format (const PtProgressState *state)
{
  GString *line = g_string_new (NULL);
  gboolean known_total = state->seconds_total > 0.0;
  double fraction = known_total ? MIN (state->seconds_done / state->seconds_total, 1.0) : 0.0;
  double speed = state->elapsed_s >= MIN_ELAPSED_FOR_RATE_S
                 ? state->seconds_done / state->elapsed_s : 0.0;

  g_string_append_printf (line, _("%u/%u files"), state->files_done, state->n_files);
  if (known_total)
    g_string_append_printf (line, "  %3d%%", (int) floor (100.0 * fraction));
  else
    {
      g_string_append (line, "  ");
      append_duration (line, state->seconds_done);
      g_string_append (line, _(" of audio"));
    }
  if (speed > 0.0)
    g_string_append_printf (line, _("  %.0fx real time"), speed);
  if (known_total && speed > 0.0 && state->files_done < state->n_files)
    {
      g_string_append (line, "  ");
      append_duration (line, MAX (state->seconds_total - state->seconds_done, 0.0) / speed);
      g_string_append (line, _(" left"));
    }
  return g_string_free (line, FALSE);
}
