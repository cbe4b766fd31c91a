/* test-yin-precision.c — how finely YIN reads the pitch of tones rich in
 * harmonics (1/k partials up to 8 kHz, random phases from fixed seeds, off
 * the semitone grid) from E1 to C7 at 44.1, 48 and 96 kHz, under white
 * noise at 40 and 20 dB SNR: each tone's median error, the p95 of |error|
 * over the grid, and the spread of the frames of one tone.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "pt-yin.h"
#include "pt-stats.h"

#define LOWEST_MIDI  28   /* E1, 41.2 Hz */
#define HIGHEST_MIDI 96   /* C7, 2093 Hz */
#define FRAMES_PER_TONE 64
#define HOP 256
#define HIGHEST_PARTIAL_HZ 8000.0

/* The targets are 0.1 cent (median of each tone), 0.1 and 0.3 cent
 * (p95 at 40 and 20 dB) and 0.05 cent (spread at 20 dB); the limits leave a
 * margin for FFTW taking other code paths on another CPU. Each frame gets
 * the previous one's lag, as the pitch analyser passes it. */
typedef struct
{
  double snr_db;
  double sample_rate;
  double median_limit;
  double p95_limit;
  double spread_limit;
} PrecisionCase;

static double
gaussian (GRand *rand)
{
  double u = 1.0 - g_rand_double (rand), v = g_rand_double (rand);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

/* A tone of 1/k partials with random phases, RMS 0.25, plus white noise
 * @snr_db under it. */
static void
make_rich_tone (float  *samples,
                gsize   n,
                double  sample_rate,
                double  frequency,
                double  snr_db,
                GRand  *rand)
{
  double top = MIN (HIGHEST_PARTIAL_HZ, 0.45 * sample_rate), power = 0.0, scale, noise_rms;
  g_autofree double *tone = g_new0 (double, n);

  for (int k = 1; k * frequency < top; k++)
    {
      double phase = 2.0 * G_PI * g_rand_double (rand), step = 2.0 * G_PI * k * frequency / sample_rate;
      double re = cos (phase) / k, im = sin (phase) / k, c = cos (step), s = sin (step);

      /* A rotating phasor: a sine per partial and sample would be slow. */
      for (gsize i = 0; i < n; i++)
        {
          double next = re * c - im * s;

          tone[i] += im;
          im = re * s + im * c;
          re = next;
        }
    }
  for (gsize i = 0; i < n; i++)
    power += tone[i] * tone[i];
  scale = 0.25 / sqrt (power / n);
  noise_rms = 0.25 * pow (10.0, -snr_db / 20.0);
  for (gsize i = 0; i < n; i++)
    samples[i] = (float) (scale * tone[i] + noise_rms * gaussian (rand));
}

/* The RMS of the change from one frame to the next. */
static double
frame_to_frame_spread (const double *x,
                       guint         n)
{
  double sum = 0.0;

  for (guint i = 1; i < n; i++)
    sum += (x[i] - x[i - 1]) * (x[i] - x[i - 1]);
  return sqrt (sum / (n - 1));
}

static void
test_precision (gconstpointer data)
{
  const PrecisionCase *c = data;
  guint window = pt_yin_window_for_range (c->sample_rate, 40.0);
  g_autoptr(PtYin) yin = pt_yin_new (window, c->sample_rate, 40.0, 2200.0);
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) (c->sample_rate + c->snr_db));
  gsize n = window + (FRAMES_PER_TONE - 1) * HOP;
  g_autofree float *samples = g_new (float, n);
  guint n_tones = HIGHEST_MIDI - LOWEST_MIDI + 1, n_all = 0;
  g_autofree double *all = g_new (double, n_tones * FRAMES_PER_TONE);
  double worst_median = 0.0, spread_sum = 0.0, worst_spread = 0.0;

  for (int midi = LOWEST_MIDI; midi <= HIGHEST_MIDI; midi++)
    {
      /* Off the grid by up to a semitone either way, short of C7 + 1. */
      double detune = midi == HIGHEST_MIDI ? -g_rand_double (rand) : g_rand_double_range (rand, -0.5, 0.5);
      double f0 = 440.0 * exp2 ((midi + detune - 69) / 12.0);
      double cents[FRAMES_PER_TONE], sorted[FRAMES_PER_TONE], median, spread;
      double previous_lag = 0.0;

      make_rich_tone (samples, n, c->sample_rate, f0, c->snr_db, rand);
      for (guint k = 0; k < FRAMES_PER_TONE; k++)
        {
          PtYinResult result;

          pt_yin_process (yin, samples + k * HOP, previous_lag, &result);
          previous_lag = result.lag;
          g_assert_true (result.voiced);
          cents[k] = 1200.0 * log2 (result.frequency / f0);
          sorted[k] = cents[k];
          all[n_all++] = fabs (cents[k]);
        }
      qsort (sorted, FRAMES_PER_TONE, sizeof (double), pt_compare_doubles);
      median = 0.5 * (sorted[FRAMES_PER_TONE / 2 - 1] + sorted[FRAMES_PER_TONE / 2]);
      spread = frame_to_frame_spread (cents, FRAMES_PER_TONE);
      if (g_test_verbose ())
        g_test_message ("%.2f Hz: median %+.4f, spread %.4f cents", f0, median, spread);
      worst_median = MAX (worst_median, fabs (median));
      worst_spread = MAX (worst_spread, spread);
      spread_sum += spread;
    }
  qsort (all, n_all, sizeof (double), pt_compare_doubles);

  g_test_message ("%.0f dB SNR at %.0f Hz: worst median %.4f, p95 %.4f, mean spread %.4f "
                  "(worst %.4f) cents", c->snr_db, c->sample_rate, worst_median,
                  all[n_all * 95 / 100], spread_sum / n_tones, worst_spread);
  g_assert_cmpfloat (worst_median, <, c->median_limit);
  g_assert_cmpfloat (all[n_all * 95 / 100], <, c->p95_limit);
  g_assert_cmpfloat (spread_sum / n_tones, <, c->spread_limit);
}

int
main (int   argc,
      char *argv[])
{
  static const double sample_rates[] = { 44100.0, 48000.0, 96000.0 };
  static PrecisionCase cases[2 * G_N_ELEMENTS (sample_rates)];
  guint n = 0;

  g_test_init (&argc, &argv, NULL);

  for (guint r = 0; r < G_N_ELEMENTS (sample_rates); r++)
    {
      cases[n] = (PrecisionCase) { 40.0, sample_rates[r], 0.08, 0.05, 0.02 };
      cases[n + 1] = (PrecisionCase) { 20.0, sample_rates[r], 0.08, 0.2, 0.04 };
      for (guint i = n; i < n + 2; i++)
        {
          g_autofree char *path = g_strdup_printf ("/pitch-toy/yin/precision/%.0f-dB/%.0f",
                                                   cases[i].snr_db, cases[i].sample_rate);

          g_test_add_data_func (path, &cases[i], test_precision);
        }
      n += 2;
    }
  return g_test_run ();
}
