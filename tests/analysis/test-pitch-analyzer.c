/* test-pitch-analyzer.c — the pitch channel: frames at a fixed hop whatever
 * the batch sizes, its own level gate, DC removal, notifications only on
 * change, the steadied note, note settings, reset; plucked notes decaying
 * into the noise of a room, and tones above the range.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "pt-analysis-enum-types.h"
#include "pt-pitch-analyzer.h"
#include "pt-test-util.h"

typedef struct
{
  GArray *frames;   /* of PtPitchFrame */
  guint   pitch_changed;
  guint   stable_note_notifies;
  int     last_stable_note;
  guint   stable_note_changes;
} Recorder;

static void
on_frame (PtPitchAnalyzer    *analyzer,
          const PtPitchFrame *frame,
          Recorder           *recorder)
{
  g_array_append_vals (recorder->frames, frame, 1);
}

static void
on_pitch_changed (PtPitchAnalyzer *analyzer,
                  Recorder        *recorder)
{
  recorder->pitch_changed++;
}

static void
on_stable_note (PtPitchAnalyzer *analyzer,
                GParamSpec      *pspec,
                Recorder        *recorder)
{
  const PtNote *note = pt_pitch_analyzer_get_stable_note (analyzer);
  int value = note != NULL ? note->nearest_midi : -1000;

  recorder->stable_note_notifies++;
  if (value != recorder->last_stable_note)
    recorder->stable_note_changes++;
  recorder->last_stable_note = value;
}

static void
recorder_init (Recorder        *recorder,
               PtPitchAnalyzer *analyzer)
{
  recorder->frames = g_array_new (FALSE, TRUE, sizeof (PtPitchFrame));
  recorder->pitch_changed = 0;
  recorder->stable_note_notifies = 0;
  recorder->last_stable_note = -1000;
  recorder->stable_note_changes = 0;
  g_signal_connect (analyzer, "frame", G_CALLBACK (on_frame), recorder);
  g_signal_connect (analyzer, "pitch-changed", G_CALLBACK (on_pitch_changed), recorder);
  g_signal_connect (analyzer, "notify::stable-note", G_CALLBACK (on_stable_note), recorder);
}

static void
recorder_clear (Recorder *recorder)
{
  g_clear_pointer (&recorder->frames, g_array_unref);
}

static float *
make_sine (gsize  n,
           double rate,
           double frequency,
           double amplitude)
{
  float *samples = g_new (float, n);

  pt_test_fill_sine (samples, n, rate, frequency, amplitude, 0.0);
  return samples;
}

static void
test_defaults (void)
{
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (48000.0);
  PtNoteSettings settings;
  guint window, hop;
  double min_frequency;

  g_object_get (analyzer, "window-size", &window, "hop-size", &hop,
                "min-frequency", &min_frequency, NULL);
  g_assert_cmpuint (window, ==, 2404);
  g_assert_cmpuint (pt_pitch_analyzer_get_window_size (analyzer), ==, 2404);
  g_assert_cmpuint (hop, ==, 256);
  g_assert_cmpfloat (min_frequency, ==, 40.0);
  g_assert_cmpuint (pt_pitch_analyzer_get_latency_frames (analyzer), ==, 1202);
  g_assert_false (pt_pitch_analyzer_get_voiced (analyzer));
  g_assert_null (pt_pitch_analyzer_get_note (analyzer));
  g_assert_null (pt_pitch_analyzer_get_stable_note (analyzer));
  g_assert_cmpfloat (pt_pitch_analyzer_get_frequency (analyzer), ==, 0.0);
  pt_pitch_analyzer_get_note_settings (analyzer, &settings);
  g_assert_cmpfloat (settings.reference_hz, ==, 440.0);
  g_assert_true (PT_IS_ANALYZER (analyzer));

  g_assert_finalize_object (analyzer);
}

/* Frames fall every hop on the stream, the same whatever the batch sizes,
 * and through the channel interface too. */
static void
test_fixed_hop (void)
{
  const double rate = 48000.0;
  const gsize n = 48000;
  g_autofree float *samples = make_sine (n, rate, 440.0, 0.3);
  const gsize chunk_sizes[] = { 1, 7, 128, 1000, 4096 };
  PtPitchAnalyzer *whole = pt_pitch_analyzer_new (rate);
  Recorder reference;

  recorder_init (&reference, whole);
  pt_pitch_analyzer_push_samples (whole, samples, n);

  /* First frame once a window's centre is in the stream, then every hop. */
  g_assert_cmpuint (reference.frames->len, ==, (n - 1280) / 256 + 1);
  for (guint i = 0; i < reference.frames->len; i++)
    {
      const PtPitchFrame *frame = &g_array_index (reference.frames, PtPitchFrame, i);

      g_assert_cmpuint (frame->frame_index, ==, 1280 + i * 256 - 1202);
      g_assert_cmpfloat (frame->time_s, ==, frame->frame_index / rate);
    }

  for (guint c = 0; c < G_N_ELEMENTS (chunk_sizes); c++)
    {
      PtPitchAnalyzer *chunked = pt_pitch_analyzer_new (rate);
      Recorder recorder;

      recorder_init (&recorder, chunked);
      for (gsize pos = 0; pos < n; pos += chunk_sizes[c])
        pt_pitch_analyzer_push_samples (chunked, samples + pos, MIN (chunk_sizes[c], n - pos));
      g_assert_cmpuint (recorder.frames->len, ==, reference.frames->len);
      g_assert_cmpmem (recorder.frames->data, recorder.frames->len * sizeof (PtPitchFrame),
                       reference.frames->data, reference.frames->len * sizeof (PtPitchFrame));
      recorder_clear (&recorder);
      g_assert_finalize_object (chunked);
    }

  /* Through PtAnalyzer, batches of 128 starting at stream position 0. */
  {
    PtPitchAnalyzer *channel = pt_pitch_analyzer_new (rate);
    Recorder recorder;

    recorder_init (&recorder, channel);
    for (gsize pos = 0; pos < n; pos += 128)
      {
        PtAnalysisBatch batch = { samples + pos, MIN (128, n - pos), rate, pos, 0, 0 };
        g_autoptr(GError) error = NULL;

        g_assert_true (pt_analyzer_process_batch (PT_ANALYZER (channel), &batch, &error));
        g_assert_no_error (error);
      }
    g_assert_cmpmem (recorder.frames->data, recorder.frames->len * sizeof (PtPitchFrame),
                     reference.frames->data, reference.frames->len * sizeof (PtPitchFrame));
    recorder_clear (&recorder);
    g_assert_finalize_object (channel);
  }

  recorder_clear (&reference);
  g_assert_finalize_object (whole);
}

static void
test_sine_is_a4 (void)
{
  const double rate = 44100.0;
  const gsize n = 44100;
  g_autofree float *samples = make_sine (n, rate, 440.0, 0.3);
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (rate);
  g_autoptr(PtNote) note = NULL;
  Recorder recorder;
  guint voiced = 0;

  recorder_init (&recorder, analyzer);
  pt_pitch_analyzer_push_samples (analyzer, samples, n);

  for (guint i = 0; i < recorder.frames->len; i++)
    {
      const PtPitchFrame *frame = &g_array_index (recorder.frames, PtPitchFrame, i);

      if (frame->frame_index < 2250)  /* the window still holds silence */
        continue;
      g_assert_true (frame->voiced);
      g_assert_cmpstr (frame->note.name, ==, "A4");
      g_assert_cmpfloat (fabs (frame->note.cents), <, 0.5);
      g_assert_cmpfloat (frame->confidence, >, 0.5);
      g_assert_cmpfloat (frame->confidence, <=, 1.0);
      g_assert_cmpfloat_with_epsilon (frame->rms_dbfs, 20.0 * log10 (0.3 / sqrt (2.0)), 0.1);
      /* The window mean of a non-whole number of periods moves the peak a hair. */
      g_assert_cmpfloat_with_epsilon (frame->peak_dbfs, 20.0 * log10 (0.3), 0.3);
      voiced++;
    }
  g_assert_cmpuint (voiced, >, 150);

  g_assert_true (pt_pitch_analyzer_get_voiced (analyzer));
  g_object_get (analyzer, "note", &note, NULL);
  g_assert_nonnull (note);
  g_assert_cmpstr (note->name, ==, "A4");
  g_assert_cmpstr (pt_pitch_analyzer_get_stable_note (analyzer)->name, ==, "A4");
  g_assert_cmpfloat (fabs (pt_pitch_analyzer_get_stable_frequency (analyzer) - 440.0), <, 0.1);
  /* Silence → A4 once: one pitch-changed, not one per frame. */
  g_assert_cmpuint (recorder.pitch_changed, ==, 1);

  recorder_clear (&recorder);
  g_assert_finalize_object (analyzer);
}

static guint
count_voiced (PtPitchAnalyzer *analyzer,
              const float     *samples,
              gsize            n,
              guint           *n_frames)
{
  Recorder recorder;
  guint voiced = 0;

  recorder_init (&recorder, analyzer);
  pt_pitch_analyzer_push_samples (analyzer, samples, n);
  for (guint i = 0; i < recorder.frames->len; i++)
    voiced += g_array_index (recorder.frames, PtPitchFrame, i).voiced;
  *n_frames = recorder.frames->len;
  recorder_clear (&recorder);
  g_signal_handlers_disconnect_by_data (analyzer, &recorder);
  return voiced;
}

static void
test_silence_and_noise_unvoiced (void)
{
  const double rates[] = { 44100.0, 48000.0, 96000.0 };
  const double noise_levels[] = { 0.001, 0.05, 0.5 };

  for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
    {
      const gsize n = (gsize) rates[r];
      g_autofree float *samples = g_new0 (float, n);
      g_autoptr(GRand) rand = g_rand_new_with_seed (7 + r);
      PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (rates[r]);
      guint frames, voiced;

      voiced = count_voiced (analyzer, samples, n, &frames);
      g_assert_cmpuint (frames, >, 0);
      g_assert_cmpuint (voiced, ==, 0);

      for (guint l = 0; l < G_N_ELEMENTS (noise_levels); l++)
        {
          for (gsize i = 0; i < n; i++)
            samples[i] = (float) (noise_levels[l] * (2.0 * g_rand_double (rand) - 1.0));
          voiced = count_voiced (analyzer, samples, n, &frames);
          g_test_message ("noise %.3f at %.0f Hz: %u/%u voiced", noise_levels[l], rates[r],
                          voiced, frames);
          g_assert_cmpuint (voiced * 100, <=, frames);
        }
      g_assert_finalize_object (analyzer);
    }
}

/* Under the noise gate a clean tone is not pitched; lowering the gate lets
 * it through. The default gate lets a clean decay sound down to -80 dBFS. */
static void
test_level_gate (void)
{
  const double rate = 48000.0;
  const gsize n = 24000;
  g_autofree float *quiet = make_sine (n, rate, 220.0, 0.0005);    /* -69 dBFS RMS */
  g_autofree float *quieter = make_sine (n, rate, 220.0, 0.00005); /* -89 dBFS RMS */
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (rate);
  guint frames, voiced;

  voiced = count_voiced (analyzer, quiet, n, &frames);
  g_assert_cmpuint (voiced, >, frames / 2);
  /* Voiced, but the level weight says how little to trust it. */
  g_assert_cmpfloat (pt_pitch_analyzer_get_confidence (analyzer), <, 0.05);

  pt_analyzer_reset (PT_ANALYZER (analyzer));
  voiced = count_voiced (analyzer, quieter, n, &frames);
  g_assert_cmpuint (voiced, ==, 0);

  g_object_set (analyzer, "noise-gate-dbfs", -100.0, NULL);
  pt_analyzer_reset (PT_ANALYZER (analyzer));
  voiced = count_voiced (analyzer, quieter, n, &frames);
  g_assert_cmpuint (voiced, >, frames / 2);

  g_object_set (analyzer, "noise-gate-dbfs", -60.0, NULL);
  pt_analyzer_reset (PT_ANALYZER (analyzer));
  voiced = count_voiced (analyzer, quiet, n, &frames);
  g_assert_cmpuint (voiced, ==, 0);

  g_assert_finalize_object (analyzer);
}

/* Brown noise (a rumble: integrated white noise) at @amplitude RMS, added. */
static void
add_rumble (float  *samples,
            gsize   n,
            double  amplitude,
            GRand  *rand)
{
  g_autofree double *rumble = g_new (double, n);
  double level = 0.0, sum = 0.0, mean = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      level = 0.998 * level + (2.0 * g_rand_double (rand) - 1.0);
      rumble[i] = level;
      mean += level / n;
    }
  for (gsize i = 0; i < n; i++)
    sum += (rumble[i] - mean) * (rumble[i] - mean);
  for (gsize i = 0; i < n; i++)
    samples[i] += (float) ((rumble[i] - mean) * amplitude / sqrt (sum / n));
}

/* The frames a new analyser at @rate makes of @samples; @window: its
 * window size. */
static GArray *
analyse (const float *samples,
         gsize        n,
         double       rate,
         guint       *window)
{
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (rate);
  Recorder recorder;
  GArray *frames;

  recorder_init (&recorder, analyzer);
  pt_pitch_analyzer_push_samples (analyzer, samples, n);
  frames = g_array_ref (recorder.frames);
  if (window != NULL)
    *window = pt_pitch_analyzer_get_window_size (analyzer);
  recorder_clear (&recorder);
  g_assert_finalize_object (analyzer);
  return frames;
}

/* Voiced frames from @from_s on, after pushing @samples to a new analyser;
 * @wrong: of them, those more than 50 cents off @frequency. */
static guint
voiced_from (const float *samples,
             gsize        n,
             double       rate,
             double       from_s,
             double       frequency,
             guint       *wrong)
{
  g_autoptr(GArray) frames = analyse (samples, n, rate, NULL);
  guint voiced = 0;

  *wrong = 0;
  for (guint i = 0; i < frames->len; i++)
    {
      const PtPitchFrame *frame = &g_array_index (frames, PtPitchFrame, i);

      if (frame->time_s < from_s || !frame->voiced)
        continue;
      voiced++;
      *wrong += fabs (1200.0 * log2 (frame->frequency / frequency)) > 50.0;
    }
  return voiced;
}

/* The gate follows the background it measures. A rumble YIN sometimes
 * finds periodic (1 to 3 % of its frames, at 40 to 80 Hz) is read by no
 * frame once the analyser has heard it for a few seconds; a note over it,
 * 12 dB louder, still reads from its start to its end; so does a note held
 * for 20 s with a burst of noise every half second as loud as itself,
 * which the background never grows into; and a clean note decays, voiced
 * and right, far under the -60 dBFS the gate used to stop at. */
static void
test_noise_floor (void)
{
  const double rate = 48000.0;
  const gsize n = 30 * (gsize) rate;
  g_autofree float *samples = g_new0 (float, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  guint voiced, wrong, quiet_voiced = 0;
  double decay_end = 0.0;

  /* The rumble at -40 dBFS, then a 220 Hz note at -28 dBFS from 20 s. */
  add_rumble (samples, n, 0.01, rand);
  voiced = voiced_from (samples, 20 * (gsize) rate, rate, 15.0, 220.0, &wrong);
  g_test_message ("rumble alone, 15-20 s: %u voiced", voiced);
  g_assert_cmpuint (voiced, ==, 0);
  {
    PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (rate);
    double floor_dbfs;

    g_assert_cmpfloat (pt_pitch_analyzer_get_gate_dbfs (analyzer), ==,
                       PT_PITCH_ANALYZER_DEFAULT_NOISE_GATE + 3.0);
    pt_pitch_analyzer_push_samples (analyzer, samples, 20 * (gsize) rate);
    floor_dbfs = pt_pitch_analyzer_get_noise_floor_dbfs (analyzer);
    g_test_message ("rumble at -40 dBFS: floor measured %.1f dBFS", floor_dbfs);
    g_assert_cmpfloat (fabs (floor_dbfs + 40.0), <, 3.0);
    g_assert_cmpfloat (pt_pitch_analyzer_get_gate_dbfs (analyzer), ==, floor_dbfs + 3.0);
    g_assert_finalize_object (analyzer);
  }
  for (gsize i = 20 * (gsize) rate; i < n; i++)
    samples[i] += (float) (0.04 * M_SQRT2 * sin (2.0 * G_PI * 220.0 * i / rate));
  voiced = voiced_from (samples, n, rate, 20.1, 220.0, &wrong);
  g_test_message ("note over the rumble: %u voiced, %u wrong", voiced, wrong);
  g_assert_cmpuint (voiced, >=, (guint) (9.85 * rate / PT_PITCH_ANALYZER_DEFAULT_HOP));
  g_assert_cmpuint (wrong, ==, 0);

  /* A held note, with 40 ms of white noise as loud every 500 ms. */
  pt_test_fill_sine (samples, n, rate, 220.0, 0.1, 0.0);
  for (gsize i = 0; i < n; i++)
    if (i % (gsize) (rate / 2) < (gsize) (0.04 * rate))
      samples[i] = (float) (0.14 * (2.0 * g_rand_double (rand) - 1.0));
  {
    /* No frame on another note; every frame clear of a burst on this one. */
    guint window;
    g_autoptr(GArray) frames = analyse (samples, n, rate, &window);

    for (guint i = 0; i < frames->len; i++)
      {
        const PtPitchFrame *frame = &g_array_index (frames, PtPitchFrame, i);
        gsize end = frame->frame_index + window / 2, period = (gsize) (rate / 2);
        gsize burst_end = (end / period) * period + (gsize) (0.04 * rate);

        if (frame->voiced)
          g_assert_cmpfloat (fabs (1200.0 * log2 (frame->frequency / 220.0)), <, 50.0);
        if (frame->frame_index < window / 2 || end < burst_end
            || end - window < burst_end)
          continue;
        if (!frame->voiced)
          g_test_message ("held note: unvoiced at %.3f s", frame->time_s);
        g_assert_true (frame->voiced);
      }
  }

  /* A clean note decaying 20 dB a second from -23 dBFS, for 3 s. */
  memset (samples, 0, n * sizeof (float));
  for (gsize i = 0; i < 3 * (gsize) rate; i++)
    samples[i] = (float) (0.1 * pow (10.0, -(double) i / rate)
                          * sin (2.0 * G_PI * 220.0 * i / rate));
  {
    g_autoptr(GArray) frames = analyse (samples, 4 * (gsize) rate, rate, NULL);

    for (guint i = 0; i < frames->len; i++)
      {
        const PtPitchFrame *frame = &g_array_index (frames, PtPitchFrame, i);

        if (!frame->voiced)
          continue;
        g_assert_cmpfloat (fabs (1200.0 * log2 (frame->frequency / 220.0)), <, 1.0);
        quiet_voiced += frame->rms_dbfs < -60.0;
        decay_end = frame->time_s;
      }
  }
  g_test_message ("clean decay: voiced to %.2f s, %u frames under -60 dBFS",
                  decay_end, quiet_voiced);
  g_assert_cmpuint (quiet_voiced, >, 100);
}

/* A DC offset changes neither the pitch nor the level. */
static void
test_dc_removed (void)
{
  const double rate = 48000.0;
  const gsize n = 24000;
  g_autofree float *samples = make_sine (n, rate, 196.0, 0.2);
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (rate);
  Recorder recorder;
  const PtPitchFrame *last;

  for (gsize i = 0; i < n; i++)
    samples[i] += 0.4f;
  recorder_init (&recorder, analyzer);
  pt_pitch_analyzer_push_samples (analyzer, samples, n);
  last = &g_array_index (recorder.frames, PtPitchFrame, recorder.frames->len - 1);
  g_assert_true (last->voiced);
  g_assert_cmpstr (last->note.name, ==, "G3");
  g_assert_cmpfloat (fabs (last->note.cents), <, 0.5);
  g_assert_cmpfloat_with_epsilon (last->rms_dbfs, 20.0 * log10 (0.2 / sqrt (2.0)), 0.1);

  recorder_clear (&recorder);
  g_assert_finalize_object (analyzer);
}

static void
test_note_settings (void)
{
  const double rate = 48000.0;
  const gsize n = 12000;
  g_autofree float *samples = make_sine (n, rate, 440.0, 0.3);
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (rate);

  g_object_set (analyzer, "transposition", PT_TRANSPOSITION_B_FLAT, NULL);
  pt_pitch_analyzer_push_samples (analyzer, samples, n);
  g_assert_cmpstr (pt_pitch_analyzer_get_note (analyzer)->name, ==, "B4");

  g_object_set (analyzer, "transposition", PT_TRANSPOSITION_C, "reference", 466.0,
                "note-names", PT_NOTE_NAMES_FLATS, NULL);
  pt_pitch_analyzer_push_samples (analyzer, samples, n);
  g_assert_cmpstr (pt_pitch_analyzer_get_note (analyzer)->name, ==, "Ab4");

  g_object_set (analyzer, "reference", 440.0, "tuning", PT_TUNING_JUST, "tonic", 5, NULL);
  pt_pitch_analyzer_push_samples (analyzer, samples, n);
  /* A is the just major third of F: 13.7 cents over it in equal temperament. */
  g_assert_cmpstr (pt_pitch_analyzer_get_note (analyzer)->name, ==, "A4");
  g_assert_cmpfloat_with_epsilon (pt_pitch_analyzer_get_note (analyzer)->cents, 13.69, 0.5);

  g_assert_finalize_object (analyzer);
}

static void
test_properties_notify_once (void)
{
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (48000.0);
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_DOUBLE);
  g_value_set_double (&value, 442.0);
  pt_test_assert_notifies_once (analyzer, "reference", &value);
  g_value_set_double (&value, -50.0);
  pt_test_assert_notifies_once (analyzer, "noise-gate-dbfs", &value);
  g_value_set_double (&value, 60.0);
  pt_test_assert_notifies_once (analyzer, "min-frequency", &value);
  g_value_set_double (&value, 1500.0);
  pt_test_assert_notifies_once (analyzer, "max-frequency", &value);
  g_value_unset (&value);

  g_value_init (&value, G_TYPE_UINT);
  g_value_set_uint (&value, 512);
  pt_test_assert_notifies_once (analyzer, "hop-size", &value);
  g_value_set_uint (&value, 2048);
  pt_test_assert_notifies_once (analyzer, "window-size", &value);
  g_assert_cmpuint (pt_pitch_analyzer_get_latency_frames (analyzer), ==, 1024);
  g_value_unset (&value);

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 7);
  pt_test_assert_notifies_once (analyzer, "tonic", &value);
  g_value_unset (&value);

  g_value_init (&value, PT_TYPE_TUNING_SYSTEM);
  g_value_set_enum (&value, PT_TUNING_JUST);
  pt_test_assert_notifies_once (analyzer, "tuning", &value);
  g_value_unset (&value);

  g_value_init (&value, PT_TYPE_NOTE_NAMES);
  g_value_set_enum (&value, PT_NOTE_NAMES_FLATS);
  pt_test_assert_notifies_once (analyzer, "note-names", &value);
  g_value_unset (&value);

  g_value_init (&value, PT_TYPE_TRANSPOSITION);
  g_value_set_enum (&value, PT_TRANSPOSITION_E_FLAT);
  pt_test_assert_notifies_once (analyzer, "transposition", &value);
  g_value_unset (&value);

  g_assert_finalize_object (analyzer);
}

/* A steady tone notifies "voiced" and "note" once, not every frame. */
static void
test_results_notify_on_change (void)
{
  const double rate = 48000.0;
  const gsize n = 48000;
  g_autofree float *samples = make_sine (n, rate, 330.0, 0.3);
  g_autofree float *silence = g_new0 (float, n);
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (rate);
  guint voiced_notifies = 0, note_notifies = 0;

  g_signal_connect (analyzer, "notify::voiced", G_CALLBACK (pt_test_count_notify), &voiced_notifies);
  g_signal_connect (analyzer, "notify::note", G_CALLBACK (pt_test_count_notify), &note_notifies);
  pt_pitch_analyzer_push_samples (analyzer, samples, n);
  g_assert_cmpuint (voiced_notifies, ==, 1);
  /* The note's cents move by a hair each frame, so "note" does notify. */
  g_assert_cmpuint (note_notifies, >=, 1);

  pt_pitch_analyzer_push_samples (analyzer, silence, n);
  g_assert_cmpuint (voiced_notifies, ==, 2);
  g_assert_false (pt_pitch_analyzer_get_voiced (analyzer));
  g_assert_null (pt_pitch_analyzer_get_note (analyzer));
  g_assert_null (pt_pitch_analyzer_get_stable_note (analyzer));

  voiced_notifies = note_notifies = 0;
  pt_pitch_analyzer_push_samples (analyzer, silence, n);
  g_assert_cmpuint (voiced_notifies, ==, 0);
  g_assert_cmpuint (note_notifies, ==, 0);

  g_assert_finalize_object (analyzer);
}

/* A tone wavering across the boundary between A4 and A#4 flips the raw
 * note over and over; the steadied note changes far less often. */
static void
test_stable_note_hysteresis (void)
{
  const double rate = 48000.0;
  const gsize n = 3 * 48000;
  g_autofree float *samples = g_new (float, n);
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (rate);
  Recorder recorder;
  double phase = 0.0;
  guint raw_changes = 0;
  int last_raw = -1000;

  for (gsize i = 0; i < n; i++)
    {
      double cents = 50.0 + 12.0 * sin (2.0 * G_PI * 7.0 * i / rate);

      phase += 2.0 * G_PI * 440.0 * exp2 (cents / 1200.0) / rate;
      samples[i] = (float) (0.3 * sin (phase));
    }

  recorder_init (&recorder, analyzer);
  pt_pitch_analyzer_push_samples (analyzer, samples, n);
  for (guint i = 0; i < recorder.frames->len; i++)
    {
      const PtPitchFrame *frame = &g_array_index (recorder.frames, PtPitchFrame, i);

      if (frame->voiced && frame->note.nearest_midi != last_raw)
        {
          raw_changes++;
          last_raw = frame->note.nearest_midi;
        }
    }
  g_test_message ("raw note changes %u, steadied %u", raw_changes, recorder.stable_note_changes);
  g_assert_cmpuint (raw_changes, >=, 20);
  g_assert_cmpuint (recorder.stable_note_changes * 4, <=, raw_changes);
  g_assert_cmpuint (recorder.pitch_changed, ==, raw_changes);

  recorder_clear (&recorder);
  g_assert_finalize_object (analyzer);
}

/* A clean jump from one note to another moves the steadied note too, a few
 * frames later. */
static void
test_stable_note_follows (void)
{
  const double rate = 48000.0;
  const gsize n = 24000;
  g_autofree float *a = make_sine (n, rate, 440.0, 0.3);
  g_autofree float *e = make_sine (n, rate, 659.2551, 0.3);
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (rate);

  pt_pitch_analyzer_push_samples (analyzer, a, n);
  g_assert_cmpstr (pt_pitch_analyzer_get_stable_note (analyzer)->name, ==, "A4");
  pt_pitch_analyzer_push_samples (analyzer, e, n);
  g_assert_cmpstr (pt_pitch_analyzer_get_stable_note (analyzer)->name, ==, "E5");
  g_assert_cmpfloat (fabs (pt_pitch_analyzer_get_stable_frequency (analyzer) - 659.2551), <, 0.2);

  g_assert_finalize_object (analyzer);
}

/* The tracker that keeps a note through a noisy frame must not keep the old
 * octave after a real jump, up or down: once a window holds only the new
 * note, every frame names it. */
static void
test_octave_jumps (void)
{
  const double rate = 48000.0, frequencies[] = { 220.0, 440.0, 220.0, 110.0, 220.0 };
  const char * const names[] = { "A3", "A4", "A3", "A2", "A3" };
  const gsize segment = 24000;
  g_autofree float *samples = g_new (float, segment * G_N_ELEMENTS (frequencies));
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (rate);
  guint window = pt_pitch_analyzer_get_window_size (analyzer);
  Recorder recorder;
  guint checked = 0;

  for (guint s = 0; s < G_N_ELEMENTS (frequencies); s++)
    pt_test_fill_harmonic (samples + s * segment, segment, rate, frequencies[s], 0.2);
  recorder_init (&recorder, analyzer);
  pt_pitch_analyzer_push_samples (analyzer, samples, segment * G_N_ELEMENTS (frequencies));

  for (guint i = 0; i < recorder.frames->len; i++)
    {
      const PtPitchFrame *frame = &g_array_index (recorder.frames, PtPitchFrame, i);
      guint64 newest = frame->frame_index + window / 2;
      guint64 oldest = newest - window;
      guint s = (guint) (oldest / segment);

      if (newest / segment != s || newest % segment == 0)
        continue;   /* the window straddles two notes */
      g_assert_true (frame->voiced);
      g_assert_cmpstr (frame->note.name, ==, names[s]);
      checked++;
    }
  g_assert_cmpuint (checked, >, 300);

  recorder_clear (&recorder);
  g_assert_finalize_object (analyzer);
}

#define ROOM_RT60_S 0.7

/* @x played into a room: Schroeder's reverberator (four parallel combs,
 * two all-passes; the delays freeverb uses at 44.1 kHz), wet and dry
 * mixed. Its combs are what a decaying note turns into: periodicities far
 * below the note. */
static void
play_in_room (double *x,
              gsize   n,
              double  rate)
{
  static const guint combs[] = { 1557, 1617, 1491, 1422 };
  static const guint passes[] = { 556, 225 };
  g_autofree double *wet = g_new0 (double, n);
  g_autofree double *comb = g_new (double, n);

  for (guint c = 0; c < G_N_ELEMENTS (combs); c++)
    {
      guint delay = (guint) (combs[c] * rate / 44100.0);
      double feedback = pow (10.0, -3.0 * delay / (ROOM_RT60_S * rate));

      for (gsize i = 0; i < n; i++)
        {
          comb[i] = i >= delay ? x[i - delay] + feedback * comb[i - delay] : 0.0;
          wet[i] += 0.25 * comb[i];
        }
    }
  for (guint a = 0; a < G_N_ELEMENTS (passes); a++)
    {
      guint delay = (guint) (passes[a] * rate / 44100.0);

      memcpy (comb, wet, n * sizeof (double));
      for (gsize i = 0; i < n; i++)
        wet[i] = -0.5 * comb[i] + (i >= delay ? comb[i - delay] + 0.5 * wet[i - delay] : 0.0);
    }
  for (gsize i = 0; i < n; i++)
    x[i] += wet[i];
}

/* Pink noise of RMS about @rms (Paul Kellet's economy filter on white). */
static void
add_pink_noise (double *x,
                gsize   n,
                double  rms,
                GRand  *rand)
{
  double b0 = 0.0, b1 = 0.0, b2 = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      double white = g_rand_double_range (rand, -1.0, 1.0);

      b0 = 0.99765 * b0 + white * 0.0990460;
      b1 = 0.96300 * b1 + white * 0.2965164;
      b2 = 0.57000 * b2 + white * 1.0526913;
      x[i] += rms * 1.6 * (b0 + b1 + b2 + white * 0.1848);
    }
}

/* A plucked note: 12 partials at 1/k with random phases, the higher ones
 * dying faster, from 0 dB falling 35 dB a second. Returns the RMS of its
 * first half second. */
static double
pluck (double *x,
       gsize   n,
       double  rate,
       double  frequency,
       GRand  *rand)
{
  double sum = 0.0;

  for (int k = 1; k <= 12 && k * frequency < 0.45 * rate; k++)
    {
      double phase = g_rand_double_range (rand, 0.0, 2.0 * G_PI);
      double decay = log (10.0) * (35.0 + 10.0 * (k - 1)) / 20.0 / rate;

      for (gsize i = 0; i < n; i++)
        x[i] += 0.2 / k * exp (-decay * i) * sin (2.0 * G_PI * k * frequency * i / rate + phase);
    }
  for (gsize i = 0; i < (gsize) (rate / 2); i++)
    sum += x[i] * x[i];
  return sqrt (sum / (rate / 2));
}

typedef struct
{
  guint voiced;
  guint wrong;    /* more than 50 cents off, and not a whole number of octaves */
  guint octave;
  guint late;     /* voiced after 2.5 s, the note long gone */
} DecayCount;

/* Analyses @samples, a decay of @frequency, into @count. */
static void
count_decay (const float *samples,
             gsize        n,
             double       rate,
             double       frequency,
             DecayCount  *count)
{
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (rate);
  guint window = pt_pitch_analyzer_get_window_size (analyzer);
  Recorder recorder;

  recorder_init (&recorder, analyzer);
  pt_pitch_analyzer_push_samples (analyzer, samples, n);
  for (guint i = 0; i < recorder.frames->len; i++)
    {
      const PtPitchFrame *frame = &g_array_index (recorder.frames, PtPitchFrame, i);
      double cents;

      if (frame->frame_index < window / 2 || !frame->voiced)
        continue;
      count->voiced++;
      cents = 1200.0 * log2 (frame->frequency / frequency);
      if (fabs (remainder (cents, 1200.0)) > 50.0)
        {
          g_test_message ("%.1f Hz at %.3f s: %.1f Hz", frequency, frame->time_s,
                          frame->frequency);
          count->wrong++;
        }
      else if (fabs (cents) > 50.0)
        {
          count->octave++;
        }
      count->late += frame->time_s > 2.5;
    }
  recorder_clear (&recorder);
  g_assert_finalize_object (analyzer);
}

/* Plucked notes decaying into pink noise 20 dB under them, in a room: as
 * the note fades, the frames go unvoiced before they read a wrong note, and
 * nothing is voiced once it has gone. Where the room's echo beats with the
 * note, a frame or two may still read it over half a semitone off (0.3 % of
 * the frames voiced here; 2.3 % read a wrong note, 2.3 % an octave, before
 * the estimator followed the note). The note stays voiced as long as its
 * average over the frames shows it: 823 frames, 685 when a frame whose
 * clearest dip was the room's went unvoiced. */
static void
test_decay_in_room (void)
{
  const double rate = 44100.0, frequencies[] = { 82.41, 110.0, 196.0, 329.63, 392.0, 659.26,
                                                 1046.5, 1318.5 };
  const gsize n = (gsize) (3.0 * rate);
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  g_autofree double *x = g_new (double, n);
  g_autofree float *samples = g_new (float, n);
  DecayCount count = { 0 };

  for (guint f = 0; f < G_N_ELEMENTS (frequencies); f++)
    {
      double level;

      memset (x, 0, n * sizeof (double));
      level = pluck (x, n, rate, frequencies[f], rand);
      play_in_room (x, n, rate);
      add_pink_noise (x, n, 0.1 * level, rand);
      for (gsize i = 0; i < n; i++)
        samples[i] = (float) x[i];
      count_decay (samples, n, rate, frequencies[f], &count);
    }
  g_test_message ("%u frames voiced: %u on a wrong note, %u an octave off, %u after 2.5 s",
                  count.voiced, count.wrong, count.octave, count.late);
  g_assert_cmpuint (count.voiced, >, 750);
  g_assert_cmpuint (count.wrong * 200, <=, count.voiced);
  g_assert_cmpuint (count.octave * 200, <=, count.voiced);
  g_assert_cmpuint (count.late, ==, 0);
}

/* Counts the frames of @samples voiced more than 50 cents off @frequency,
 * and those voiced at all. */
static guint
count_voiced_off (PtPitchAnalyzer *analyzer,
                  const float     *samples,
                  gsize            n,
                  double           frequency,
                  guint           *voiced)
{
  Recorder recorder;
  guint off = 0;

  recorder_init (&recorder, analyzer);
  pt_pitch_analyzer_push_samples (analyzer, samples, n);
  *voiced = 0;
  for (guint i = 0; i < recorder.frames->len; i++)
    {
      const PtPitchFrame *frame = &g_array_index (recorder.frames, PtPitchFrame, i);

      if (!frame->voiced)
        continue;
      (*voiced)++;
      off += fabs (1200.0 * log2 (frame->frequency / frequency)) > 50.0;
    }
  recorder_clear (&recorder);
  g_signal_handlers_disconnect_by_data (analyzer, &recorder);
  return off;
}

/* A tone above the highest frequency is no note, never one an octave or
 * two under it (just over the range, the last lag may still read it
 * right); the same tone is read right once the range allows it. */
static void
test_above_range_unvoiced (void)
{
  const double rates[] = { 44100.0, 48000.0, 96000.0 };
  const double frequencies[] = { 2300.0, 2637.0, 3136.0, 4186.0 };

  for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
    for (guint f = 0; f < G_N_ELEMENTS (frequencies); f++)
      {
        const gsize n = (gsize) (rates[r] / 4);
        g_autofree float *samples = g_new (float, n);
        PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (rates[r]);

        for (int partials = 1; partials <= 3; partials += 2)
          {
            guint voiced, off;

            for (gsize i = 0; i < n; i++)
              {
                double t = i / rates[r], v = 0.0;

                for (int k = 1; k <= partials && k * frequencies[f] < 0.45 * rates[r]; k++)
                  v += sin (2.0 * G_PI * k * frequencies[f] * t + k) / k;
                samples[i] = (float) (0.3 * v);
              }
            g_object_set (analyzer, "max-frequency", 2200.0, NULL);
            pt_analyzer_reset (PT_ANALYZER (analyzer));
            off = count_voiced_off (analyzer, samples, n, frequencies[f], &voiced);
            g_test_message ("%.0f Hz, %d partials, at %.0f Hz: %u frames voiced, %u off",
                            frequencies[f], partials, rates[r], voiced, off);
            g_assert_cmpuint (off, ==, 0);
            if (frequencies[f] > 2300.0)
              g_assert_cmpuint (voiced, ==, 0);

            g_object_set (analyzer, "max-frequency", 5000.0, NULL);
            off = count_voiced_off (analyzer, samples, n, frequencies[f], &voiced);
            g_assert_cmpuint (voiced, >, 30);
            g_assert_cmpuint (off, ==, 0);
          }
        g_assert_finalize_object (analyzer);
      }
}

static void
test_reset (void)
{
  const double rate = 48000.0;
  const gsize n = 12000;
  g_autofree float *samples = make_sine (n, rate, 440.0, 0.3);
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (rate);
  Recorder recorder;

  pt_pitch_analyzer_push_samples (analyzer, samples, n);
  g_assert_true (pt_pitch_analyzer_get_voiced (analyzer));
  pt_analyzer_reset (PT_ANALYZER (analyzer));
  g_assert_false (pt_pitch_analyzer_get_voiced (analyzer));
  g_assert_null (pt_pitch_analyzer_get_stable_note (analyzer));

  /* After a reset the ring is empty again: the grid restarts. */
  recorder_init (&recorder, analyzer);
  pt_pitch_analyzer_push_samples (analyzer, samples, 1280);
  g_assert_cmpuint (recorder.frames->len, ==, 1);
  g_assert_cmpuint (g_array_index (recorder.frames, PtPitchFrame, 0).frame_index, ==, 1280 - 1202);

  recorder_clear (&recorder);
  g_assert_finalize_object (analyzer);
}

/* A short gap in the stream (a dropped batch) is silence: frames keep their
 * places on the grid. */
static void
test_batch_gap (void)
{
  const double rate = 48000.0;
  g_autofree float *samples = make_sine (4096, rate, 440.0, 0.3);
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (rate);
  Recorder recorder;
  PtAnalysisBatch first = { samples, 2048, rate, 1000, 0, 0 };
  PtAnalysisBatch after_gap = { samples + 2048, 2048, rate, 1000 + 2048 + 128, 0, 0 };

  recorder_init (&recorder, analyzer);
  g_assert_true (pt_analyzer_process_batch (PT_ANALYZER (analyzer), &first, NULL));
  g_assert_true (pt_analyzer_process_batch (PT_ANALYZER (analyzer), &after_gap, NULL));
  for (guint i = 0; i < recorder.frames->len; i++)
    g_assert_cmpuint ((g_array_index (recorder.frames, PtPitchFrame, i).frame_index + 1202 - 1000)
                      % 256, ==, 0);
  g_assert_cmpuint (recorder.frames->len, ==, (2048 + 128 + 2048 - 1280) / 256 + 1);

  recorder_clear (&recorder);
  g_assert_finalize_object (analyzer);
}

/* Settings YIN cannot work with are refused with a reason, NaN included;
 * set as properties anyway, they leave a working analyser (no critical,
 * frames keep coming). */
static void
test_settings_checked (void)
{
  static const struct { double rate; guint window; double min, max; gboolean ok; } cases[] = {
    { 48000, 0, 40, 2200, TRUE },
    { 48000, 2404, 40, 2200, TRUE },
    { 4000, 0, 40, 1800, TRUE },
    { 48000, 0, 10000, 11000, FALSE },   /* a window of 14 samples */
    { 48000, 32, 40, 2200, FALSE },      /* holds no period of 40 Hz */
    { 48000, 0, 40, 24000, FALSE },      /* not below half the rate */
    { 48000, 0, 40, 40, FALSE },
    { 48000, 0, NAN, 2200, FALSE },
    { 48000, 0, 40, NAN, FALSE },
    { NAN, 0, 40, 2200, FALSE },
  };
  g_autofree float *samples = make_sine (4800, 48000, 10500.0, 0.3);
  PtPitchAnalyzer *analyzer;
  Recorder recorder;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = pt_pitch_analyzer_check_settings (cases[i].rate, cases[i].window,
                                                      cases[i].min, cases[i].max, &error);

      g_test_message ("case %u: %s", i, error != NULL ? error->message : "accepted");
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (!ok)
        g_assert_error (error, PT_PITCH_ANALYZER_ERROR, PT_PITCH_ANALYZER_ERROR_SETTINGS);
    }

  analyzer = g_object_new (PT_TYPE_PITCH_ANALYZER, "sample-rate", 48000.0,
                           "min-frequency", 10000.0, "max-frequency", 11000.0, NULL);
  recorder_init (&recorder, analyzer);
  g_assert_cmpuint (pt_pitch_analyzer_get_window_size (analyzer), >=, 16);
  pt_pitch_analyzer_push_samples (analyzer, samples, 4800);
  g_assert_cmpuint (recorder.frames->len, ==, 4800 / 256);
  recorder_clear (&recorder);
  g_assert_finalize_object (analyzer);
}

/* Finite samples near the float limit give a finite level, not inf and
 * not the -120 dBFS of silence. */
static void
test_huge_samples_finite_level (void)
{
  g_autofree float *samples = g_new (float, 4800);
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (48000.0);
  Recorder recorder;

  for (guint i = 0; i < 4800; i++)
    samples[i] = (i / 55) % 2 == 0 ? 3e38f : -3e38f;
  recorder_init (&recorder, analyzer);
  pt_pitch_analyzer_push_samples (analyzer, samples, 4800);
  g_assert_cmpuint (recorder.frames->len, >, 0);
  for (guint i = 0; i < recorder.frames->len; i++)
    {
      const PtPitchFrame *frame = &g_array_index (recorder.frames, PtPitchFrame, i);

      g_assert_true (isfinite (frame->rms_dbfs) && isfinite (frame->peak_dbfs));
      g_assert_cmpfloat (frame->rms_dbfs, >, 700.0);
      g_assert_cmpfloat (frame->peak_dbfs, >=, frame->rms_dbfs);
    }
  recorder_clear (&recorder);
  g_assert_finalize_object (analyzer);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pitch-toy/pitch-analyzer/defaults", test_defaults);
  g_test_add_func ("/pitch-toy/pitch-analyzer/fixed-hop", test_fixed_hop);
  g_test_add_func ("/pitch-toy/pitch-analyzer/sine-is-a4", test_sine_is_a4);
  g_test_add_func ("/pitch-toy/pitch-analyzer/silence-and-noise-unvoiced",
                   test_silence_and_noise_unvoiced);
  g_test_add_func ("/pitch-toy/pitch-analyzer/level-gate", test_level_gate);
  g_test_add_func ("/pitch-toy/pitch-analyzer/noise-floor", test_noise_floor);
  g_test_add_func ("/pitch-toy/pitch-analyzer/dc-removed", test_dc_removed);
  g_test_add_func ("/pitch-toy/pitch-analyzer/note-settings", test_note_settings);
  g_test_add_func ("/pitch-toy/pitch-analyzer/properties-notify-once",
                   test_properties_notify_once);
  g_test_add_func ("/pitch-toy/pitch-analyzer/results-notify-on-change",
                   test_results_notify_on_change);
  g_test_add_func ("/pitch-toy/pitch-analyzer/stable-note-hysteresis",
                   test_stable_note_hysteresis);
  g_test_add_func ("/pitch-toy/pitch-analyzer/stable-note-follows", test_stable_note_follows);
  g_test_add_func ("/pitch-toy/pitch-analyzer/octave-jumps", test_octave_jumps);
  g_test_add_func ("/pitch-toy/pitch-analyzer/decay-in-room", test_decay_in_room);
  g_test_add_func ("/pitch-toy/pitch-analyzer/above-range-unvoiced", test_above_range_unvoiced);
  g_test_add_func ("/pitch-toy/pitch-analyzer/reset", test_reset);
  g_test_add_func ("/pitch-toy/pitch-analyzer/batch-gap", test_batch_gap);
  g_test_add_func ("/pitch-toy/pitch-analyzer/settings-checked", test_settings_checked);
  g_test_add_func ("/pitch-toy/pitch-analyzer/huge-samples-finite-level",
                   test_huge_samples_finite_level);

  return g_test_run ();
}
