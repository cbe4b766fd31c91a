/* test-volume-detector.c — the level channel: dBFS of known sines, level
 * classes, clipping by peak and by the worklet's count, non-finite samples,
 * the decaying peak hold, and notifications only on change.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "pt-test-util.h"
#include "pt-volume-detector.h"

#define RATE 48000.0
/* 1 kHz at 48 kHz: 48 samples a period, so 4800 samples hold 100 whole periods
 * and the crest sample lands on the peak exactly. */
#define TONE_HZ 1000.0
#define N_SAMPLES 4800

static void
process (PtVolumeDetector *detector,
         const float      *samples,
         gsize             n_samples,
         guint             clipped,
         guint             nonfinite)
{
  PtAnalysisBatch batch = {
    .samples = samples, .n_samples = n_samples, .sample_rate = RATE,
    .clipped_count = clipped, .nonfinite_count = nonfinite,
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_analyzer_process_batch (PT_ANALYZER (detector), &batch, &error));
  g_assert_no_error (error);
}

typedef struct
{
  double       amplitude;
  PtLevelClass level;
} SineCase;

static const SineCase sine_cases[] = {
  { 0.9,     PT_LEVEL_LOUD },      /* rms -3.9 dBFS */
  { 0.5,     PT_LEVEL_OPTIMAL },   /* -9.0 */
  { 0.1,     PT_LEVEL_OPTIMAL },   /* -23.0 */
  { 0.01,    PT_LEVEL_QUIET },     /* -43.0 */
  { 0.002,   PT_LEVEL_QUIET },     /* -57.0 */
  { 0.001,   PT_LEVEL_SILENT },    /* -63.0 */
  { 0.0001,  PT_LEVEL_SILENT },    /* -83.0 */
};

static void
test_sine_dbfs (gconstpointer data)
{
  const SineCase *c = data;
  g_autoptr(PtVolumeDetector) detector = pt_volume_detector_new ();
  g_autofree float *samples = g_new (float, N_SAMPLES);
  double expected_peak = 20.0 * log10 (c->amplitude);
  double expected_rms = expected_peak - 10.0 * log10 (2.0);
  PtLevelClass expected_level = c->level;

  pt_test_fill_sine (samples, N_SAMPLES, RATE, TONE_HZ, c->amplitude, 0.0);
  process (detector, samples, N_SAMPLES, 0, 0);

  g_assert_cmpfloat_with_epsilon (pt_volume_detector_get_rms_dbfs (detector), expected_rms, 0.05);
  g_assert_cmpfloat_with_epsilon (pt_volume_detector_get_peak_dbfs (detector), expected_peak, 0.05);
  g_assert_cmpfloat_with_epsilon (pt_volume_detector_get_peak_hold_dbfs (detector),
                                  expected_peak, 0.05);
  g_assert_cmpint (pt_volume_detector_get_level (detector), ==, expected_level);
  g_assert_cmpfloat_with_epsilon (pt_volume_detector_get_weight (detector),
                                  pt_level_weight (expected_level, expected_rms), 0.01);
  g_assert_cmpuint (pt_volume_detector_get_clipped_total (detector), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&detector));
}

static void
test_silence (void)
{
  g_autoptr(PtVolumeDetector) detector = pt_volume_detector_new ();
  float samples[512] = { 0 };

  process (detector, samples, G_N_ELEMENTS (samples), 0, 0);
  g_assert_cmpfloat (pt_volume_detector_get_rms_dbfs (detector), ==, PT_LEVEL_FLOOR_DBFS);
  g_assert_cmpfloat (pt_volume_detector_get_peak_dbfs (detector), ==, PT_LEVEL_FLOOR_DBFS);
  g_assert_cmpint (pt_volume_detector_get_level (detector), ==, PT_LEVEL_SILENT);
  g_assert_cmpfloat (pt_volume_detector_get_weight (detector), ==, 0.0);
  g_assert_finalize_object (g_steal_pointer (&detector));
}

static void
count_level_changed (PtVolumeDetector *detector,
                     PtLevelClass      level,
                     guint            *count)
{
  (*count)++;
}

static void
test_clipping_by_peak (void)
{
  g_autoptr(PtVolumeDetector) detector = pt_volume_detector_new ();
  g_autofree float *samples = g_new (float, N_SAMPLES);
  guint level_changes = 0;

  g_signal_connect (detector, "level-changed", G_CALLBACK (count_level_changed), &level_changes);

  /* A quiet RMS with a few samples over full scale: the RMS alone would say
   * "optimal", the peak says clipping. */
  pt_test_fill_sine (samples, N_SAMPLES, RATE, TONE_HZ, 0.1, 0.0);
  samples[100] = 1.5f;
  samples[200] = -1.0f;
  process (detector, samples, N_SAMPLES, 0, 0);

  g_assert_cmpint (pt_volume_detector_get_level (detector), ==, PT_LEVEL_CLIPPING);
  g_assert_cmpuint (pt_volume_detector_get_clipped_total (detector), ==, 2);
  g_assert_cmpfloat_with_epsilon (pt_volume_detector_get_weight (detector), 0.1, 1e-9);
  g_assert_cmpuint (level_changes, ==, 1);
  g_assert_finalize_object (g_steal_pointer (&detector));
}

static void
test_clipping_by_count (void)
{
  g_autoptr(PtVolumeDetector) detector = pt_volume_detector_new ();
  g_autofree float *samples = g_new (float, N_SAMPLES);

  /* The worklet clamped 7 samples; the ones we see are at ±1 after the clamp,
   * here all seven, so the counts are the same samples, not 14. */
  pt_test_fill_sine (samples, N_SAMPLES, RATE, TONE_HZ, 0.2, 0.0);
  for (guint i = 0; i < 7; i++)
    samples[1000 + i] = 1.0f;
  process (detector, samples, N_SAMPLES, 7, 0);
  g_assert_cmpint (pt_volume_detector_get_level (detector), ==, PT_LEVEL_CLIPPING);
  g_assert_cmpuint (pt_volume_detector_get_clipped_total (detector), ==, 7);

  /* A count alone, with samples that do not reach full scale, still clips. */
  pt_test_fill_sine (samples, N_SAMPLES, RATE, TONE_HZ, 0.2, 0.0);
  process (detector, samples, N_SAMPLES, 3, 0);
  g_assert_cmpint (pt_volume_detector_get_level (detector), ==, PT_LEVEL_CLIPPING);
  g_assert_cmpuint (pt_volume_detector_get_clipped_total (detector), ==, 10);

  /* And back to optimal once the batch is clean. */
  process (detector, samples, N_SAMPLES, 0, 0);
  g_assert_cmpint (pt_volume_detector_get_level (detector), ==, PT_LEVEL_OPTIMAL);
  g_assert_finalize_object (g_steal_pointer (&detector));
}

static void
on_nonfinite (PtVolumeDetector *detector,
              guint             count,
              guint            *reports)
{
  reports[0]++;
  reports[1] = count;
}

static void
on_measured (PtVolumeDetector          *detector,
             const PtVolumeMeasurement *m,
             PtVolumeMeasurement       *last)
{
  *last = *m;
}

static void
test_nonfinite (void)
{
  g_autoptr(PtVolumeDetector) detector = pt_volume_detector_new ();
  g_autofree float *samples = g_new (float, N_SAMPLES);
  g_autofree float *clean = g_new (float, N_SAMPLES);
  PtVolumeMeasurement last = { 0 };
  guint reports[2] = { 0, 0 };
  double clean_rms;

  g_signal_connect (detector, "nonfinite-samples", G_CALLBACK (on_nonfinite), reports);
  g_signal_connect (detector, "measured", G_CALLBACK (on_measured), &last);

  pt_test_fill_sine (clean, N_SAMPLES, RATE, TONE_HZ, 0.5, 0.0);
  memcpy (samples, clean, N_SAMPLES * sizeof (float));
  /* Zero them in the clean copy: non-finite samples are read as 0. */
  samples[10] = NAN;
  samples[20] = INFINITY;
  samples[30] = -INFINITY;
  clean[10] = clean[20] = clean[30] = 0.0f;

  process (detector, clean, N_SAMPLES, 0, 0);
  clean_rms = pt_volume_detector_get_rms_dbfs (detector);
  g_assert_cmpuint (reports[0], ==, 0);

  process (detector, samples, N_SAMPLES, 0, 2);
  g_assert_true (isfinite (pt_volume_detector_get_rms_dbfs (detector)));
  g_assert_true (isfinite (pt_volume_detector_get_peak_dbfs (detector)));
  g_assert_cmpfloat_with_epsilon (pt_volume_detector_get_rms_dbfs (detector), clean_rms, 1e-6);
  g_assert_cmpint (pt_volume_detector_get_level (detector), ==, PT_LEVEL_OPTIMAL);
  g_assert_cmpuint (last.nonfinite_count, ==, 5);
  g_assert_cmpuint (pt_volume_detector_get_nonfinite_total (detector), ==, 5);
  g_assert_cmpuint (reports[0], ==, 1);
  g_assert_cmpuint (reports[1], ==, 5);

  /* Reported once: a second bad batch counts but does not report again. */
  process (detector, samples, N_SAMPLES, 0, 0);
  g_assert_cmpuint (pt_volume_detector_get_nonfinite_total (detector), ==, 8);
  g_assert_cmpuint (reports[0], ==, 1);

  /* Until a reset. */
  pt_analyzer_reset (PT_ANALYZER (detector));
  g_assert_cmpuint (pt_volume_detector_get_nonfinite_total (detector), ==, 0);
  process (detector, samples, N_SAMPLES, 0, 0);
  g_assert_cmpuint (reports[0], ==, 2);
  g_assert_finalize_object (g_steal_pointer (&detector));
}

static void
test_peak_hold_decays (void)
{
  g_autoptr(PtVolumeDetector) detector = pt_volume_detector_new ();
  g_autofree float *samples = g_new (float, N_SAMPLES);
  float silence[480] = { 0 };

  pt_volume_detector_set_peak_decay (detector, 20.0);
  pt_test_fill_sine (samples, N_SAMPLES, RATE, TONE_HZ, 0.5, 0.0);
  process (detector, samples, N_SAMPLES, 0, 0);
  g_assert_cmpfloat_with_epsilon (pt_volume_detector_get_peak_hold_dbfs (detector), -6.0206, 0.01);

  /* Ten batches of 10 ms: 100 ms at 20 dB/s is 2 dB down. */
  for (guint i = 0; i < 10; i++)
    process (detector, silence, G_N_ELEMENTS (silence), 0, 0);
  g_assert_cmpfloat (pt_volume_detector_get_peak_dbfs (detector), ==, PT_LEVEL_FLOOR_DBFS);
  g_assert_cmpfloat_with_epsilon (pt_volume_detector_get_peak_hold_dbfs (detector), -8.0206, 0.01);

  /* A louder peak takes over at once. */
  pt_test_fill_sine (samples, N_SAMPLES, RATE, TONE_HZ, 0.8, 0.0);
  process (detector, samples, N_SAMPLES, 0, 0);
  g_assert_cmpfloat_with_epsilon (pt_volume_detector_get_peak_hold_dbfs (detector),
                                  20.0 * log10 (0.8), 0.01);

  /* Long silence floors it, never below the floor. */
  for (guint i = 0; i < 1000; i++)
    process (detector, silence, G_N_ELEMENTS (silence), 0, 0);
  g_assert_cmpfloat (pt_volume_detector_get_peak_hold_dbfs (detector), ==, PT_LEVEL_FLOOR_DBFS);
  g_assert_finalize_object (g_steal_pointer (&detector));
}

static void
test_notify_only_on_change (void)
{
  g_autoptr(PtVolumeDetector) detector = pt_volume_detector_new ();
  g_autofree float *samples = g_new (float, N_SAMPLES);
  guint rms_notifies = 0, level_notifies = 0, decay_notifies = 0;

  g_signal_connect (detector, "notify::rms-dbfs", G_CALLBACK (pt_test_count_notify), &rms_notifies);
  g_signal_connect (detector, "notify::level", G_CALLBACK (pt_test_count_notify), &level_notifies);
  g_signal_connect (detector, "notify::peak-decay", G_CALLBACK (pt_test_count_notify), &decay_notifies);

  pt_test_fill_sine (samples, N_SAMPLES, RATE, TONE_HZ, 0.5, 0.0);
  process (detector, samples, N_SAMPLES, 0, 0);
  process (detector, samples, N_SAMPLES, 0, 0);
  g_assert_cmpuint (rms_notifies, ==, 1);
  g_assert_cmpuint (level_notifies, ==, 1);

  pt_volume_detector_set_peak_decay (detector, 10.0);
  pt_volume_detector_set_peak_decay (detector, 10.0);
  g_object_set (detector, "peak-decay", 10.0, NULL);
  g_assert_cmpuint (decay_notifies, ==, 1);
  g_assert_cmpfloat (pt_volume_detector_get_peak_decay (detector), ==, 10.0);

  pt_analyzer_reset (PT_ANALYZER (detector));
  g_assert_cmpuint (rms_notifies, ==, 2);
  g_assert_cmpuint (level_notifies, ==, 2);
  g_assert_cmpint (pt_volume_detector_get_level (detector), ==, PT_LEVEL_SILENT);
  g_assert_finalize_object (g_steal_pointer (&detector));
}

static void
test_stateless_measure (void)
{
  g_autofree float *samples = g_new (float, N_SAMPLES);
  PtVolumeMeasurement m;

  pt_test_fill_sine (samples, N_SAMPLES, RATE, TONE_HZ, 0.25, 0.0);
  pt_volume_measure (samples, N_SAMPLES, &m);
  g_assert_cmpfloat_with_epsilon (m.rms_dbfs, 20.0 * log10 (0.25 / sqrt (2.0)), 0.05);
  g_assert_cmpfloat_with_epsilon (m.peak_dbfs, 20.0 * log10 (0.25), 0.05);
  g_assert_cmpint (m.level, ==, PT_LEVEL_OPTIMAL);
  g_assert_cmpuint (m.n_samples, ==, N_SAMPLES);

  pt_volume_measure (NULL, 0, &m);
  g_assert_cmpfloat (m.rms_dbfs, ==, PT_LEVEL_FLOOR_DBFS);
  g_assert_cmpint (m.level, ==, PT_LEVEL_SILENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (sine_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pitch-toy/volume-detector/sine-dbfs/%g",
                                               sine_cases[i].amplitude);
      g_test_add_data_func (path, &sine_cases[i], test_sine_dbfs);
    }
  g_test_add_func ("/pitch-toy/volume-detector/silence", test_silence);
  g_test_add_func ("/pitch-toy/volume-detector/clipping-by-peak", test_clipping_by_peak);
  g_test_add_func ("/pitch-toy/volume-detector/clipping-by-count", test_clipping_by_count);
  g_test_add_func ("/pitch-toy/volume-detector/nonfinite-counted-zeroed-reported-once",
                   test_nonfinite);
  g_test_add_func ("/pitch-toy/volume-detector/peak-hold-decays", test_peak_hold_decays);
  g_test_add_func ("/pitch-toy/volume-detector/notify-only-on-change", test_notify_only_on_change);
  g_test_add_func ("/pitch-toy/volume-detector/stateless-measure", test_stateless_measure);

  return g_test_run ();
}
