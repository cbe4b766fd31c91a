/* test-tuner-model.c — PtTunerModel with frames pushed directly: the first
 * note shows at once, a change must last the hold time of stream time,
 * silence dims and keeps the note, notifications come once per dispatch;
 * and with a real analyser fed a real tone.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "pt-test-util.h"
#include "pt-tuner-model.h"

#define RATE 48000.0
#define HOP_S (256.0 / RATE)

typedef struct
{
  PtTunerModel *model;
  double        time_s;   /* of the next frame */
  GHashTable   *notifies; /* property name → count */
} Fixture;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           Fixture    *fixture)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (fixture->notifies, pspec->name));

  g_hash_table_insert (fixture->notifies, (gpointer) pspec->name, GUINT_TO_POINTER (count + 1));
}

static guint
notify_count (Fixture    *fixture,
              const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (fixture->notifies, name));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->model = pt_tuner_model_new ();
  fixture->time_s = 0.0;
  fixture->notifies = g_hash_table_new (g_str_hash, g_str_equal);
  g_signal_connect (fixture->model, "notify", G_CALLBACK (on_notify), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->model);
  g_hash_table_unref (fixture->notifies);
}

/* Pushes frames of @frequency (0: silence) covering @duration_s. */
static void
push (Fixture *fixture,
      double   frequency,
      double   duration_s)
{
  PtNoteSettings settings;
  double end = fixture->time_s + duration_s - 1e-9;

  pt_note_settings_init_default (&settings);
  for (; fixture->time_s < end; fixture->time_s += HOP_S)
    {
      PtPitchFrame frame = { .time_s = fixture->time_s, .frequency = frequency,
                             .voiced = frequency > 0, .confidence = 0.9 };

      if (frame.voiced)
        g_assert_true (pt_note_from_frequency (frequency, &settings, &frame.note));
      pt_tuner_model_push_frame (fixture->model, &frame);
    }
}

static void
assert_note (Fixture    *fixture,
             const char *name,
             gboolean    dimmed)
{
  const PtNote *note = pt_tuner_model_get_note (fixture->model);

  g_assert_nonnull (note);
  g_assert_cmpstr (note->name, ==, name);
  g_assert_cmpint (pt_tuner_model_get_dimmed (fixture->model), ==, dimmed);
}

static void
test_first_note_at_once (Fixture       *fixture,
                         gconstpointer  data)
{
  g_assert_null (pt_tuner_model_get_note (fixture->model));
  push (fixture, 0.0, 0.1);
  g_assert_null (pt_tuner_model_get_note (fixture->model));
  push (fixture, 442.0, HOP_S);
  assert_note (fixture, "A4", FALSE);
  g_assert_cmpfloat (pt_tuner_model_get_frequency (fixture->model), ==, 442.0);
  g_assert_cmpfloat_with_epsilon (pt_tuner_model_get_cents (fixture->model), 7.85, 0.01);
}

static void
test_change_is_held (Fixture       *fixture,
                     gconstpointer  data)
{
  push (fixture, 440.0, 0.1);
  push (fixture, 466.16, 0.025);      /* under the hold time */
  assert_note (fixture, "A4", FALSE);
  g_assert_cmpfloat (pt_tuner_model_get_frequency (fixture->model), ==, 440.0);
  push (fixture, 440.0, 0.05);
  push (fixture, 466.16, 0.025);
  assert_note (fixture, "A4", FALSE);
  push (fixture, 466.16, 0.01);       /* now 35 ms */
  assert_note (fixture, "A#4", FALSE);
  /* A crossing that never settles on one note never shows. */
  for (guint i = 0; i < 10; i++)
    {
      push (fixture, 440.0, 0.02);
      push (fixture, 466.16, 0.02);
    }
  assert_note (fixture, "A#4", FALSE);
}

static void
test_silence_dims (Fixture       *fixture,
                   gconstpointer  data)
{
  push (fixture, 440.0, 0.1);
  push (fixture, 0.0, 0.02);
  assert_note (fixture, "A4", FALSE);
  push (fixture, 440.0, 0.02);        /* a short gap is no silence */
  push (fixture, 0.0, 0.035);
  assert_note (fixture, "A4", TRUE);
  push (fixture, 0.0, 1.0);
  assert_note (fixture, "A4", TRUE);
  push (fixture, 493.88, HOP_S);      /* after silence, at once */
  assert_note (fixture, "B4", FALSE);
}

static void
test_notifies_once_per_dispatch (Fixture       *fixture,
                                 gconstpointer  data)
{
  push (fixture, 440.0, 0.1);
  push (fixture, 441.0, 0.05);
  g_assert_cmpuint (g_hash_table_size (fixture->notifies), ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (notify_count (fixture, "note"), ==, 1);
  g_assert_cmpuint (notify_count (fixture, "frequency"), ==, 1);
  g_assert_cmpuint (notify_count (fixture, "cents"), ==, 1);
  g_assert_cmpuint (notify_count (fixture, "dimmed"), ==, 0);

  /* Nothing changes, nothing notifies. */
  push (fixture, 441.0, 0.05);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (notify_count (fixture, "frequency"), ==, 1);
}

static void
test_follows_analyzer (Fixture       *fixture,
                       gconstpointer  data)
{
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (RATE);
  g_autofree float *samples = g_new (float, 9600);

  pt_tuner_model_set_analyzer (fixture->model, analyzer);
  g_assert_true (pt_tuner_model_get_analyzer (fixture->model) == analyzer);
  pt_test_fill_sine (samples, 9600, RATE, 440.0, 0.5, 0.0);
  pt_pitch_analyzer_push_samples (analyzer, samples, 9600);
  assert_note (fixture, "A4", FALSE);
  g_assert_cmpfloat (fabs (pt_tuner_model_get_cents (fixture->model)), <, 1.0);

  pt_tuner_model_set_analyzer (fixture->model, NULL);
  g_assert_null (pt_tuner_model_get_note (fixture->model));
  g_assert_finalize_object (analyzer);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/pitch-toy/tuner-model/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("first-note-at-once", test_first_note_at_once);
  ADD ("change-is-held", test_change_is_held);
  ADD ("silence-dims", test_silence_dims);
  ADD ("notifies-once-per-dispatch", test_notifies_once_per_dispatch);
  ADD ("follows-analyzer", test_follows_analyzer);
#undef ADD

  return g_test_run ();
}
