/* test-pitch-history.c — PtPitchHistory: the ring keeps the newest frames
 * in constant memory, follows a real analyser fed a real tone, says
 * "changed" once per dispatch, finds times, and writes CSV and JSON Lines
 * that parse back.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "pt-pitch-history.h"
#include "pt-test-util.h"

#define RATE 48000.0

static PtPitchFrame
make_frame (double time_s,
            double frequency)
{
  PtPitchFrame frame = { .time_s = time_s, .frequency = frequency, .voiced = frequency > 0 };
  PtNoteSettings settings;

  pt_note_settings_init_default (&settings);
  if (frame.voiced)
    {
      frame.confidence = 0.9;
      g_assert_true (pt_note_from_frequency (frequency, &settings, &frame.note));
    }
  return frame;
}

static void
count_changed (PtPitchHistory *history,
               guint          *count)
{
  (*count)++;
}

static gboolean
count_is_positive (gpointer user_data)
{
  return *(guint *) user_data > 0;
}

static void
test_ring_keeps_newest (void)
{
  PtPitchHistory *history = pt_pitch_history_new (4);

  g_assert_cmpuint (sizeof (PtPitchHistoryEntry), <=, 24);
  for (guint i = 0; i < 6; i++)
    {
      PtPitchFrame frame = make_frame (i * 0.01, i % 2 ? 440.0 : 0.0);

      pt_pitch_history_append (history, &frame);
    }
  g_assert_cmpuint (pt_pitch_history_get_n_entries (history), ==, 4);
  g_assert_cmpfloat_with_epsilon (pt_pitch_history_get_entry (history, 0)->time_s, 0.02, 1e-12);
  g_assert_cmpfloat_with_epsilon (pt_pitch_history_get_latest_time (history), 0.05, 1e-12);
  g_assert_cmpfloat_with_epsilon (pt_pitch_history_get_last_voiced_time (history), 0.05, 1e-12);
  g_assert_cmpint (pt_pitch_history_get_entry (history, 1)->midi, ==, 69);
  g_assert_false (pt_pitch_history_get_entry (history, 2)->voiced);

  g_assert_cmpuint (pt_pitch_history_find_time (history, 0.0), ==, 0);
  g_assert_cmpuint (pt_pitch_history_find_time (history, 0.035), ==, 2);
  g_assert_cmpuint (pt_pitch_history_find_time (history, 1.0), ==, 4);

  pt_pitch_history_clear (history);
  g_assert_cmpuint (pt_pitch_history_get_n_entries (history), ==, 0);
  g_assert_true (isinf (pt_pitch_history_get_last_voiced_time (history)));
  g_assert_finalize_object (history);
}

/* A restarted stream's clock begins at 0 again; times keep growing. */
static void
test_time_keeps_growing (void)
{
  PtPitchHistory *history = pt_pitch_history_new (16);
  PtPitchFrame late = make_frame (5.0, 440.0);
  PtPitchFrame early = make_frame (0.1, 440.0);

  pt_pitch_history_append (history, &late);
  pt_pitch_history_append (history, &early);
  early.time_s = 0.2;
  pt_pitch_history_append (history, &early);
  g_assert_cmpfloat (pt_pitch_history_get_entry (history, 1)->time_s, >=, 5.0);
  g_assert_cmpfloat_with_epsilon (pt_pitch_history_get_latest_time (history), 5.1, 1e-9);
  g_assert_finalize_object (history);
}

/* A real analyser, a real tone: every frame lands, and "changed" comes once
 * for a whole batch of frames. */
static void
test_follows_analyzer (void)
{
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (RATE);
  PtPitchHistory *history = pt_pitch_history_new (PT_PITCH_HISTORY_DEFAULT_CAPACITY);
  g_autofree float *samples = g_new (float, 24000);
  guint changed = 0;
  guint n, voiced = 0;
  GSignalQuery query;

  g_signal_query (g_signal_lookup ("frame", PT_TYPE_PITCH_ANALYZER), &query);
  g_assert_cmpuint (query.param_types[0] & ~G_SIGNAL_TYPE_STATIC_SCOPE, ==, PT_TYPE_PITCH_FRAME);

  g_object_set (history, "analyzer", analyzer, NULL);
  g_assert_true (pt_pitch_history_get_analyzer (history) == analyzer);
  g_signal_connect (history, "changed", G_CALLBACK (count_changed), &changed);
  pt_test_fill_sine (samples, 24000, RATE, 440.0, 0.5, 0.0);
  pt_pitch_analyzer_push_samples (analyzer, samples, 24000);

  n = pt_pitch_history_get_n_entries (history);
  g_assert_cmpuint (n, >, 80);
  g_assert_cmpuint (changed, ==, 0);
  pt_test_assert_eventually (NULL, count_is_positive, &changed, PT_TEST_TIMEOUT_UNIT_S);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changed, ==, 1);

  for (guint i = 0; i < n; i++)
    {
      const PtPitchHistoryEntry *entry = pt_pitch_history_get_entry (history, i);

      if (i > 0)
        g_assert_cmpfloat (entry->time_s, >, pt_pitch_history_get_entry (history, i - 1)->time_s);
      if (entry->voiced)
        {
          g_assert_cmpint (entry->midi, ==, 69);
          g_assert_cmpfloat (fabs (entry->cents), <, 1.0);
          voiced++;
        }
    }
  g_assert_cmpuint (voiced, >, n * 3 / 4);

  pt_pitch_history_set_analyzer (history, NULL);
  pt_pitch_analyzer_push_samples (analyzer, samples, 24000);
  g_assert_cmpuint (pt_pitch_history_get_n_entries (history), ==, n);
  g_assert_finalize_object (history);
  g_assert_finalize_object (analyzer);
}

static PtPitchHistory *
new_exported_history (void)
{
  PtPitchHistory *history = pt_pitch_history_new (16);
  const double frequencies[] = { 0.0, 440.0, 466.16 };

  for (guint i = 0; i < G_N_ELEMENTS (frequencies); i++)
    {
      PtPitchFrame frame = make_frame (0.25 * i, frequencies[i]);

      pt_pitch_history_append (history, &frame);
    }
  return history;
}

static char *
export (PtPitchHistory       *history,
        PtPitchHistoryFormat  format,
        PtNoteNames           names)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_pitch_history_write (history, stream, format, names, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

static void
test_export_csv (void)
{
  PtPitchHistory *history = new_exported_history ();
  g_autofree char *text = export (history, PT_PITCH_HISTORY_CSV, PT_NOTE_NAMES_FLATS);

  g_assert_cmpstr (text, ==,
                   "time_s,frequency_hz,confidence,voiced,note,cents\n"
                   "0.0000,0.00,0.000,false,,\n"
                   "0.2500,440.00,0.900,true,A4,0.0\n"
                   "0.5000,466.16,0.900,true,Bb4,0.0\n");
  g_assert_finalize_object (history);
}

static void
test_export_json_lines (void)
{
  PtPitchHistory *history = new_exported_history ();
  g_autofree char *text = export (history, PT_PITCH_HISTORY_JSON_LINES, PT_NOTE_NAMES_SHARPS);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  const char *notes[] = { NULL, "A4", "A#4" };

  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[3], ==, "");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *object;

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      g_assert_no_error (error);
      object = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpfloat (json_object_get_double_member (object, "time_s"), ==, 0.25 * i);
      g_assert_cmpint (json_object_get_boolean_member (object, "voiced"), ==, notes[i] != NULL);
      if (notes[i] == NULL)
        g_assert_true (json_object_get_null_member (object, "note"));
      else
        g_assert_cmpstr (json_object_get_string_member (object, "note"), ==, notes[i]);
    }
  g_assert_finalize_object (history);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pitch-toy/pitch-history/ring-keeps-newest", test_ring_keeps_newest);
  g_test_add_func ("/pitch-toy/pitch-history/time-keeps-growing", test_time_keeps_growing);
  g_test_add_func ("/pitch-toy/pitch-history/follows-analyzer", test_follows_analyzer);
  g_test_add_func ("/pitch-toy/pitch-history/export-csv", test_export_csv);
  g_test_add_func ("/pitch-toy/pitch-history/export-json-lines", test_export_json_lines);

  return g_test_run ();
}
