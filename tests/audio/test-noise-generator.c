/* test-noise-generator.c — white noise at its level, pink noise with the
 * same RMS and a −3 dB/octave slope, the same sequence for the same seed.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <fftw3.h>

#include "pt-noise-generator.h"

#define SAMPLE_RATE 48000.0

static float *
generate (PtNoiseType type,
          double      level,
          guint64     seed,
          guint       n)
{
  PtNoiseGenerator generator;
  float *x = g_new0 (float, n);

  pt_noise_generator_init (&generator, seed);
  pt_noise_generator_set_type (&generator, type);
  pt_noise_generator_set_level (&generator, level);
  for (guint done = 0; done < n; done += 128)
    pt_noise_generator_add (&generator, x + done, MIN (128, n - done));
  return x;
}

static double
rms_db (const float *x,
        guint        n)
{
  double sum = 0.0;

  for (guint i = 0; i < n; i++)
    sum += (double) x[i] * x[i];
  return 10.0 * log10 (sum / n);
}

static void
test_white_rms (void)
{
  guint n = 1 << 21;
  g_autofree float *x = generate (PT_NOISE_WHITE, 0.3, 1, n);
  double expected = 20.0 * log10 (0.3 / sqrt (3.0));
  float peak = 0.0f;

  for (guint i = 0; i < n; i++)
    peak = MAX (peak, fabsf (x[i]));
  g_test_message ("white: %.4f dB, expected %.4f dB", rms_db (x, n), expected);
  g_assert_cmpfloat (fabs (rms_db (x, n) - expected), <, 0.1);
  g_assert_cmpfloat (peak, <=, 0.3f);
}

static void
test_pink_rms (void)
{
  guint n = 1 << 22;
  g_autofree float *x = generate (PT_NOISE_PINK, 0.3, 2, n);
  double expected = 20.0 * log10 (0.3 / sqrt (3.0));

  g_test_message ("pink: %.4f dB, expected %.4f dB", rms_db (x, n), expected);
  g_assert_cmpfloat (fabs (rms_db (x, n) - expected), <, 0.1);
}

/* Welch's average of Hann-windowed periodograms, then the least-squares slope
 * of the level (dB) against log2 of the frequency over third-octave bands
 * from 100 Hz to 10 kHz. */
static void
test_pink_slope (void)
{
  guint segment = 8192;
  guint n = 1 << 22;
  g_autofree float *x = generate (PT_NOISE_PINK, 0.5, 3, n);
  g_autofree double *psd = g_new0 (double, segment / 2 + 1);
  float *in = fftwf_alloc_real (segment);
  fftwf_complex *out = fftwf_alloc_complex (segment / 2 + 1);
  fftwf_plan plan = fftwf_plan_dft_r2c_1d ((int) segment, in, out, FFTW_ESTIMATE);
  double bin_hz = SAMPLE_RATE / segment;
  double sx = 0, sy = 0, sxx = 0, sxy = 0, slope, worst = 0.0;
  guint n_bands = 0;
  double band_x[24], band_y[24];

  for (guint start = 0; start + segment <= n; start += segment / 2)
    {
      for (guint i = 0; i < segment; i++)
        in[i] = x[start + i] * (float) (0.5 - 0.5 * cos (2.0 * G_PI * i / segment));
      fftwf_execute (plan);
      for (guint b = 0; b <= segment / 2; b++)
        psd[b] += (double) out[b][0] * out[b][0] + (double) out[b][1] * out[b][1];
    }

  for (double low = 100.0; low * 1.0001 < 10000.0; low *= pow (2.0, 1.0 / 3.0))
    {
      double high = low * pow (2.0, 1.0 / 3.0);
      double sum = 0.0;
      guint count = 0;

      for (guint b = (guint) ceil (low / bin_hz); b * bin_hz < high; b++)
        {
          sum += psd[b];
          count++;
        }
      g_assert_cmpuint (count, >, 0);
      band_x[n_bands] = log2 (sqrt (low * high));
      band_y[n_bands] = 10.0 * log10 (sum / count);
      sx += band_x[n_bands];
      sy += band_y[n_bands];
      sxx += band_x[n_bands] * band_x[n_bands];
      sxy += band_x[n_bands] * band_y[n_bands];
      n_bands++;
    }
  slope = (n_bands * sxy - sx * sy) / (n_bands * sxx - sx * sx);

  /* And no band strays from the line by more than 1 dB. */
  for (guint i = 0; i < n_bands; i++)
    {
      double fit = (sy - slope * sx) / n_bands + slope * band_x[i];

      worst = MAX (worst, fabs (band_y[i] - fit));
    }

  g_test_message ("pink: %.3f dB/octave over %u bands, worst band %.3f dB off the line",
                  slope, n_bands, worst);
  g_assert_cmpfloat (fabs (slope + 3.0103), <, 1.0);
  g_assert_cmpfloat (worst, <, 1.0);

  fftwf_destroy_plan (plan);
  fftwf_free (in);
  fftwf_free (out);
}

static void
test_seeded (void)
{
  guint n = 4096;
  g_autofree float *a = generate (PT_NOISE_WHITE, 1.0, 42, n);
  g_autofree float *b = generate (PT_NOISE_WHITE, 1.0, 42, n);
  g_autofree float *c = generate (PT_NOISE_WHITE, 1.0, 43, n);
  guint same = 0;

  g_assert_cmpmem (a, n * sizeof (float), b, n * sizeof (float));
  for (guint i = 0; i < n; i++)
    same += a[i] == c[i];
  g_assert_cmpuint (same, <, 10);
}

static void
test_level_zero_adds_nothing (void)
{
  PtNoiseGenerator generator;
  float x[256];

  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = 0.125f * i / 256.0f;
  pt_noise_generator_init (&generator, 7);
  pt_noise_generator_set_type (&generator, PT_NOISE_PINK);
  pt_noise_generator_set_level (&generator, 0.0);
  pt_noise_generator_add (&generator, x, G_N_ELEMENTS (x));
  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    g_assert_cmpfloat (x[i], ==, 0.125f * i / 256.0f);

  /* Out-of-range levels are clamped, NaN ignored. */
  pt_noise_generator_set_level (&generator, 7.0);
  g_assert_cmpfloat (generator.level, ==, 1.0);
  pt_noise_generator_set_level (&generator, NAN);
  g_assert_cmpfloat (generator.level, ==, 1.0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pitch-toy/noise-generator/white-rms", test_white_rms);
  g_test_add_func ("/pitch-toy/noise-generator/pink-rms", test_pink_rms);
  g_test_add_func ("/pitch-toy/noise-generator/pink-slope", test_pink_slope);
  g_test_add_func ("/pitch-toy/noise-generator/seeded", test_seeded);
  g_test_add_func ("/pitch-toy/noise-generator/level-zero-adds-nothing",
                   test_level_zero_adds_nothing);

  return g_test_run ();
}
