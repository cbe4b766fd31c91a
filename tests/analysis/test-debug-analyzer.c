/* test-debug-analyzer.c — the debug channel: the waveform is the latest
 * batch, the spectrum peaks at the tone's bin at its level in dBFS and
 * spans the newest samples across small batches, a reset forgets it all.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "pt-debug-analyzer.h"
#include "pt-test-util.h"

#define RATE 48000.0
/* On bin 40 of the 2048-point transform. */
#define TONE_HZ (40 * RATE / PT_DEBUG_ANALYZER_FFT_SIZE)

static void
feed (PtDebugAnalyzer *analyzer,
      float           *samples,
      gsize            n_samples,
      guint            n_batches,
      guint            batch)
{
  g_autoptr(GError) error = NULL;

  pt_test_fill_sine (samples, n_samples, RATE, TONE_HZ, 0.5, 0.0);
  for (guint i = 0; i < n_batches; i++)
    {
      PtAnalysisBatch analysis = {
        .samples = samples + i * batch, .n_samples = batch, .sample_rate = RATE,
        .first_frame = i * batch,
      };

      g_assert_true (pt_analyzer_process_batch (PT_ANALYZER (analyzer), &analysis, &error));
      g_assert_no_error (error);
    }
}

static gsize
peak_bin (const float *spectrum,
          gsize        n_bins)
{
  gsize peak = 0;

  for (gsize k = 1; k < n_bins; k++)
    if (spectrum[k] > spectrum[peak])
      peak = k;
  return peak;
}

static void
assert_tone (PtDebugAnalyzer *analyzer)
{
  gsize n_bins;
  const float *spectrum = pt_debug_analyzer_get_spectrum (analyzer, &n_bins);

  g_assert_cmpuint (n_bins, ==, PT_DEBUG_ANALYZER_N_BINS);
  g_assert_cmpuint (peak_bin (spectrum, n_bins), ==, 40);
  g_assert_cmpfloat_with_epsilon (spectrum[40], 20.0 * log10 (0.5), 0.05);
  /* Hann: far from the tone, the sidelobes are deep. */
  g_assert_cmpfloat (spectrum[400], <, -80.0);
}

static void
test_waveform_and_spectrum (void)
{
  g_autoptr(PtDebugAnalyzer) analyzer = pt_debug_analyzer_new ();
  g_autofree float *samples = g_new (float, 3 * 1024);
  gsize n;
  const float *waveform;

  g_assert_cmpuint (pt_debug_analyzer_get_batches (analyzer), ==, 0);
  feed (analyzer, samples, 3 * 1024, 3, 1024);
  g_assert_cmpuint (pt_debug_analyzer_get_batches (analyzer), ==, 3);
  g_assert_cmpfloat (pt_debug_analyzer_get_sample_rate (analyzer), ==, RATE);
  waveform = pt_debug_analyzer_get_waveform (analyzer, &n);
  g_assert_cmpuint (n, ==, 1024);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (waveform[i], ==, samples[2 * 1024 + i]);
  assert_tone (analyzer);

  pt_analyzer_reset (PT_ANALYZER (analyzer));
  g_assert_cmpuint (pt_debug_analyzer_get_batches (analyzer), ==, 0);
  pt_debug_analyzer_get_waveform (analyzer, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpfloat (pt_debug_analyzer_get_spectrum (analyzer, &n)[40], ==,
                     PT_DEBUG_ANALYZER_FLOOR_DB);
  g_assert_finalize_object (g_steal_pointer (&analyzer));
}

/* Batches of 128: the spectrum still covers the newest 2048 samples. */
static void
test_small_batches (void)
{
  g_autoptr(PtDebugAnalyzer) analyzer = pt_debug_analyzer_new ();
  g_autofree float *samples = g_new (float, 20 * 128);
  gsize n;

  feed (analyzer, samples, 20 * 128, 20, 128);
  pt_debug_analyzer_get_waveform (analyzer, &n);
  g_assert_cmpuint (n, ==, 128);
  assert_tone (analyzer);
  g_assert_finalize_object (g_steal_pointer (&analyzer));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pitch-toy/debug-analyzer/waveform-and-spectrum", test_waveform_and_spectrum);
  g_test_add_func ("/pitch-toy/debug-analyzer/small-batches", test_small_batches);

  return g_test_run ();
}
