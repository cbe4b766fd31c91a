/* test-yin.c — the YIN estimator on synthetic tones over every semitone from
 * E1 to C7 at 44.1, 48 and 96 kHz: pure sines, tones with a weak, a missing
 * or an overpowered fundamental, vibrato, 20 dB of white noise; and noise or
 * silence alone, which must stay unvoiced.
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
#define FRAMES_PER_NOTE 4
#define FRAME_SPACING 512
#define VIBRATO_RATE_HZ 5.5
#define VIBRATO_DEPTH_CENTS 50.0

typedef enum
{
  KIND_SINE,
  KIND_WEAK_FUNDAMENTAL,     /* fundamental at -20 dB under harmonics 2…10 */
  KIND_MISSING_FUNDAMENTAL,  /* harmonics 2…10 only */
  KIND_STRONG_SECOND,        /* second harmonic twice the fundamental, odd ones weak */
  KIND_WEAK_ODD,             /* odd harmonics 20 dB under the even ones: the octave trap */
  KIND_VIBRATO,              /* ±50 cents at 5.5 Hz */
  KIND_NOISY_SINE,           /* 20 dB SNR, white */
  KIND_NOISY_HARMONIC,       /* harmonics 1…10 at 1/h, 20 dB SNR */
  N_KINDS
} ToneKind;

static const char * const kind_names[N_KINDS] = {
  "sine", "weak-fundamental", "missing-fundamental", "strong-second", "weak-odd",
  "vibrato", "noisy-sine", "noisy-harmonic",
};

/* Largest per-note median error allowed, in cents. The issue asks < 1 cent
 * on clean tones and < 5 at 20 dB SNR; vibrato is judged against the
 * frequency at the middle of the span the estimate compares. */
static const double median_limit[N_KINDS] = { 1.0, 1.0, 1.0, 1.0, 1.0, 10.0, 5.0, 5.0 };

static const double sample_rates[] = { 44100.0, 48000.0, 96000.0 };

typedef struct
{
  ToneKind kind;
  double   sample_rate;
} GridCase;

static double
gaussian (GRand *rand)
{
  double u = 1.0 - g_rand_double (rand), v = g_rand_double (rand);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

static double
harmonic_amplitude (ToneKind kind,
                    int      h)
{
  static const double strong_second[] = { 0.0, 0.5, 1.0, 0.12, 0.3, 0.08, 0.15 };
  static const double weak_odd[] = { 0.0, 0.1, 1.0, 0.08, 0.5, 0.05, 0.3 };

  switch (kind)
    {
    case KIND_WEAK_FUNDAMENTAL:
      return h == 1 ? 0.03 : 1.0 / h;
    case KIND_MISSING_FUNDAMENTAL:
      return h == 1 ? 0.0 : 1.0 / h;
    case KIND_STRONG_SECOND:
      return h < (int) G_N_ELEMENTS (strong_second) ? strong_second[h] : 0.0;
    case KIND_WEAK_ODD:
      return h < (int) G_N_ELEMENTS (weak_odd) ? weak_odd[h] : 0.0;
    case KIND_NOISY_HARMONIC:
      return 1.0 / h;
    case KIND_SINE:
    case KIND_VIBRATO:
    case KIND_NOISY_SINE:
    case N_KINDS:
    default:
      return h == 1 ? 1.0 : 0.0;
    }
}

/* Fills @samples with the tone, peak near 0.5, plus noise for the noisy
 * kinds. */
static void
make_tone (float  *samples,
           gsize   n,
           double  sample_rate,
           double  frequency,
           ToneKind kind,
           GRand  *rand)
{
  double power = 0.0, scale, noise_rms;
  double deviation = frequency * (exp2 (VIBRATO_DEPTH_CENTS / 1200.0) - 1.0);
  g_autofree double *tone = g_new0 (double, n);

  for (int h = 1; h <= 10; h++)
    {
      double amplitude = harmonic_amplitude (kind, h);
      double phase = 0.7 * h * h;

      if (amplitude == 0.0 || h * frequency >= 0.45 * sample_rate)
        continue;
      for (gsize i = 0; i < n; i++)
        {
          double t = i / sample_rate;
          double vibrato = kind == KIND_VIBRATO
                           ? deviation / VIBRATO_RATE_HZ * sin (2.0 * G_PI * VIBRATO_RATE_HZ * t)
                           : 0.0;

          tone[i] += amplitude * sin (h * (2.0 * G_PI * frequency * t + vibrato) + phase);
        }
    }
  for (gsize i = 0; i < n; i++)
    power += tone[i] * tone[i];
  power /= n;
  scale = 0.25 / sqrt (power);
  noise_rms = (kind == KIND_NOISY_SINE || kind == KIND_NOISY_HARMONIC)
              ? 0.25 * pow (10.0, -20.0 / 20.0) : 0.0;
  for (gsize i = 0; i < n; i++)
    samples[i] = (float) (scale * tone[i] + (noise_rms > 0.0 ? noise_rms * gaussian (rand) : 0.0));
}

static void
test_grid (gconstpointer data)
{
  const GridCase *c = data;
  guint window = pt_yin_window_for_range (c->sample_rate, 40.0);
  g_autoptr(PtYin) yin = pt_yin_new (window, c->sample_rate, 40.0, 2200.0);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234 + c->kind);
  gsize n = window + (FRAMES_PER_NOTE - 1) * FRAME_SPACING;
  g_autofree float *samples = g_new (float, n);
  guint frames = 0, voiced = 0, octave_errors = 0, gross_errors = 0;
  double worst_median = 0.0;

  for (int midi = LOWEST_MIDI; midi <= HIGHEST_MIDI; midi++)
    {
      double f0 = 440.0 * exp2 ((midi - 69) / 12.0);
      double errors[FRAMES_PER_NOTE];
      guint n_errors = 0;

      make_tone (samples, n, c->sample_rate, f0, c->kind, rand);
      for (guint k = 0; k < FRAMES_PER_NOTE; k++)
        {
          PtYinResult result;
          double reference = f0, cents;

          pt_yin_process (yin, samples + k * FRAME_SPACING, 0.0, &result);
          frames++;
          if (!result.voiced)
            continue;
          voiced++;

          if (c->kind == KIND_VIBRATO)
            {
              /* The middle of the compared span: the newest half window,
               * and half a period before it. */
              double t = (k * FRAME_SPACING + window - window / 4.0
                          - c->sample_rate / f0 / 2.0) / c->sample_rate;
              double deviation = f0 * (exp2 (VIBRATO_DEPTH_CENTS / 1200.0) - 1.0);

              reference = f0 + deviation * cos (2.0 * G_PI * VIBRATO_RATE_HZ * t);
            }
          cents = 1200.0 * log2 (result.frequency / reference);
          if (fabs (cents) > 50.0)
            gross_errors++;
          if (fabs (fabs (cents) - 1200.0) < 100.0 || fabs (fabs (cents) - 2400.0) < 100.0)
            octave_errors++;
          errors[n_errors++] = fabs (cents);
        }
      if (n_errors > 0)
        {
          qsort (errors, n_errors, sizeof (double), pt_compare_doubles);
          worst_median = MAX (worst_median, errors[n_errors / 2]);
          if (errors[n_errors / 2] >= median_limit[c->kind])
            g_test_message ("MIDI %d: median error %.3f cents", midi, errors[n_errors / 2]);
        }
    }

  g_test_message ("%s at %.0f Hz: %u/%u voiced, worst median %.3f cents, %u octave errors, "
                  "%u off by more than 50 cents", kind_names[c->kind], c->sample_rate,
                  voiced, frames, worst_median, octave_errors, gross_errors);
  g_assert_cmpuint (voiced * 100, >=, frames * 99);
  g_assert_cmpfloat (worst_median, <, median_limit[c->kind]);
  g_assert_cmpuint (octave_errors * 100, <=, voiced);
  g_assert_cmpuint (gross_errors * 100, <=, voiced);
}

/* The steadying of a held pitch must leave a vibrato alone: ±50 cents at
 * 5.5 Hz, each frame fed the previous one's lag as the pitch analyser does,
 * reads within a quarter cent of the same frames taken one by one. */
static void
test_vibrato_followed (gconstpointer data)
{
  const double *sample_rate = data;
  guint window = pt_yin_window_for_range (*sample_rate, 40.0);
  g_autoptr(PtYin) followed = pt_yin_new (window, *sample_rate, 40.0, 2200.0);
  g_autoptr(PtYin) single = pt_yin_new (window, *sample_rate, 40.0, 2200.0);
  const guint n_frames = 200, hop = 256;
  gsize n = window + n_frames * hop;
  g_autofree float *samples = g_new (float, n);

  for (int midi = 40; midi <= 88; midi += 12)
    {
      double previous_lag = 0.0, worst = 0.0, sum = 0.0;

      make_tone (samples, n, *sample_rate, 440.0 * exp2 ((midi - 69) / 12.0), KIND_VIBRATO, NULL);
      for (guint k = 0; k < n_frames; k++)
        {
          PtYinResult result, alone;
          double cents;

          pt_yin_process (followed, samples + k * hop, previous_lag, &result);
          pt_yin_process (single, samples + k * hop, 0.0, &alone);
          g_assert_true (result.voiced && alone.voiced);
          cents = 1200.0 * log2 (alone.lag / result.lag);
          worst = MAX (worst, fabs (cents));
          sum += cents * cents;
          previous_lag = result.lag;
        }
      g_test_message ("MIDI %d: %.3f cents rms, %.3f at most from the frames alone",
                      midi, sqrt (sum / n_frames), worst);
      g_assert_cmpfloat (worst, <=, 0.2501);
      g_assert_cmpfloat (sqrt (sum / n_frames), <, 0.15);
    }
}

/* A harmonic tone of 1/h partials at @frequency, from sample @start on,
 * @level at its start and decaying by @decay_per_s (1 for none), added to
 * @samples. */
static void
add_note (float  *samples,
          gsize   n,
          double  sample_rate,
          double  frequency,
          gsize   start,
          double  level,
          double  decay_per_s)
{
  for (gsize i = start; i < n; i++)
    {
      double t = (i - start) / sample_rate, tone = 0.0;

      for (int h = 1; h <= 8 && h * frequency < 0.45 * sample_rate; h++)
        tone += sin (2.0 * G_PI * h * frequency * t + 0.7 * h * h) / h;
      samples[i] += (float) (level * pow (decay_per_s, t) * tone);
    }
}

/* The RMS of @n samples, for the analyser's gate. */
static double
rms_of (const float *x,
        gsize        n)
{
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    sum += (double) x[i] * x[i];
  return sqrt (sum / n);
}

/* A note three semitones over the release of the one before, which still
 * sounds at -75 dBFS, above the pitch analyser's -80 dBFS gate (quieter
 * frames are not analysed, as in PtPitchAnalyzer): the new note reads as itself from its
 * first voiced frame, within 22 ms of its onset, and never as the note
 * before, which the estimator's memory of it read for a frame. */
static void
test_note_after_note (gconstpointer data)
{
  const double *sample_rate = data;
  guint window = pt_yin_window_for_range (*sample_rate, 40.0);
  g_autoptr(PtYin) yin = pt_yin_new (window, *sample_rate, 40.0, 2200.0);
  const guint hop = 256;
  gsize onset = (gsize) *sample_rate, n = onset + window + 40 * hop;
  g_autofree float *samples = g_new0 (float, n);
  double previous_lag = 0.0, first_ms = -1.0, b = 261.63;
  guint wrong = 0;

  add_note (samples, n, *sample_rate, 220.0, 0, 0.25, 0.001);   /* -60 dB a second */
  add_note (samples, n, *sample_rate, b, onset, 0.25, 1.0);
  for (gsize end = window; end <= n; end += hop)
    {
      PtYinResult result;
      double ms = 1000.0 * ((double) end - onset) / *sample_rate;

      if (rms_of (samples + end - window, window) < 1e-4)
        {
          previous_lag = 0.0;
          continue;
        }
      pt_yin_process (yin, samples + end - window, previous_lag, &result);
      previous_lag = result.voiced ? result.lag : 0.0;
      if (ms <= 0.0 || !result.voiced)
        continue;
      if (fabs (1200.0 * log2 (result.frequency / b)) > 50.0)
        wrong++;
      else if (first_ms < 0.0)
        first_ms = ms;
    }
  g_test_message ("%.0f Hz: the new note read %.1f ms after its onset, %u frames wrong",
                  *sample_rate, first_ms, wrong);
  g_assert_cmpfloat (first_ms, >, 0.0);
  g_assert_cmpfloat (first_ms, <, 22.0);
  g_assert_cmpuint (wrong, ==, 0);
}

static void
test_noise_unvoiced (gconstpointer data)
{
  const double *sample_rate = data;
  guint window = pt_yin_window_for_range (*sample_rate, 40.0);
  g_autoptr(PtYin) yin = pt_yin_new (window, *sample_rate, 40.0, 2200.0);
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  const guint n_frames = 200, hop = 256;
  gsize n = window + n_frames * hop;
  g_autofree float *samples = g_new (float, n);
  guint voiced = 0;

  for (gsize i = 0; i < n; i++)
    samples[i] = (float) (0.1 * gaussian (rand));
  for (guint k = 0; k < n_frames; k++)
    {
      PtYinResult result;

      pt_yin_process (yin, samples + k * hop, 0.0, &result);
      voiced += result.voiced;
      g_assert_cmpfloat (result.periodicity, <, 0.5);
    }
  g_test_message ("white noise at %.0f Hz: %u/%u frames voiced", *sample_rate, voiced, n_frames);
  g_assert_cmpuint (voiced * 100, <=, n_frames);
}

static void
test_silence_unvoiced (void)
{
  guint window = pt_yin_window_for_range (48000.0, 40.0);
  g_autoptr(PtYin) yin = pt_yin_new (window, 48000.0, 40.0, 2200.0);
  g_autofree float *samples = g_new0 (float, window);
  PtYinResult result;

  pt_yin_process (yin, samples, 0.0, &result);
  g_assert_false (result.voiced);
  g_assert_cmpfloat (result.frequency, ==, 0.0);

  /* A constant offset is silence too. */
  for (guint i = 0; i < window; i++)
    samples[i] = 0.25f;
  pt_yin_process (yin, samples, 0.0, &result);
  g_assert_false (result.voiced);
}

/* The default window holds two periods of the lowest note, and the range it
 * gives reaches 40 Hz. */
static void
test_window_for_range (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (sample_rates); i++)
    {
      double rate = sample_rates[i];
      guint window = pt_yin_window_for_range (rate, 40.0);
      g_autoptr(PtYin) yin = pt_yin_new (window, rate, 40.0, 2200.0);

      g_assert_cmpuint (window % 2, ==, 0);
      g_assert_cmpuint (window, >=, 2 * (guint) ceil (rate / 40.0));
      g_assert_cmpuint (window, <=, 2 * (guint) ceil (rate / 40.0) + 4);
      g_assert_cmpuint (pt_yin_get_window (yin), ==, window);
      g_assert_cmpfloat (pt_yin_get_min_frequency (yin), <=, 40.0 + 1e-9);
      g_assert_cmpfloat (pt_yin_get_max_frequency (yin), >=, 2200.0);
    }
  g_assert_cmpuint (pt_yin_window_for_range (48000.0, 40.0), ==, 2404);
  g_assert_cmpuint (pt_yin_window_for_range (44100.0, 40.0), ==, 2210);
}

/* A window too short for the requested floor narrows the range to what it
 * can hold: 2048 at 44.1 kHz reaches down to 43.2 Hz. */
static void
test_short_window (void)
{
  g_autoptr(PtYin) yin = pt_yin_new (2048, 44100.0, 40.0, 2200.0);
  g_autofree float *samples = g_new (float, 2048);
  PtYinResult result;
  guint n_lags = 0;
  const float *cmndf;

  g_assert_cmpfloat_with_epsilon (pt_yin_get_min_frequency (yin), 44100.0 / 1022.0, 1e-9);

  for (gsize i = 0; i < 2048; i++)
    samples[i] = (float) (0.5 * sin (2.0 * G_PI * 440.0 * i / 44100.0));
  pt_yin_process (yin, samples, 0.0, &result);
  g_assert_true (result.voiced);
  g_assert_cmpfloat (fabs (1200.0 * log2 (result.frequency / 440.0)), <, 0.5);
  g_assert_cmpfloat (result.periodicity, >, 0.99);
  g_assert_cmpfloat_with_epsilon (result.lag, 44100.0 / 440.0, 0.01);

  cmndf = pt_yin_get_cmndf (yin, &n_lags);
  g_assert_cmpuint (n_lags, ==, 1022 + 3);
  g_assert_cmpfloat (cmndf[0], ==, 1.0f);
  g_assert_cmpfloat (cmndf[100], <, 0.01f);   /* the period, 100.2 samples */
  g_assert_cmpfloat (cmndf[50], >, 1.0f);     /* half of it */
}

int
main (int   argc,
      char *argv[])
{
  static GridCase cases[N_KINDS * G_N_ELEMENTS (sample_rates)];
  guint n = 0;

  g_test_init (&argc, &argv, NULL);

  for (int kind = 0; kind < N_KINDS; kind++)
    for (guint r = 0; r < G_N_ELEMENTS (sample_rates); r++)
      {
        g_autofree char *path = g_strdup_printf ("/pitch-toy/yin/grid/%s/%.0f",
                                                 kind_names[kind], sample_rates[r]);

        cases[n] = (GridCase) { kind, sample_rates[r] };
        g_test_add_data_func (path, &cases[n++], test_grid);
      }
  for (guint r = 0; r < G_N_ELEMENTS (sample_rates); r++)
    {
      g_autofree char *path = g_strdup_printf ("/pitch-toy/yin/noise-unvoiced/%.0f",
                                               sample_rates[r]);
      g_autofree char *vibrato = g_strdup_printf ("/pitch-toy/yin/vibrato-followed/%.0f",
                                                  sample_rates[r]);
      g_autofree char *after = g_strdup_printf ("/pitch-toy/yin/note-after-note/%.0f",
                                                sample_rates[r]);

      g_test_add_data_func (path, &sample_rates[r], test_noise_unvoiced);
      g_test_add_data_func (vibrato, &sample_rates[r], test_vibrato_followed);
      g_test_add_data_func (after, &sample_rates[r], test_note_after_note);
    }
  g_test_add_func ("/pitch-toy/yin/silence-unvoiced", test_silence_unvoiced);
  g_test_add_func ("/pitch-toy/yin/window-for-range", test_window_for_range);
  g_test_add_func ("/pitch-toy/yin/short-window", test_short_window);

  return g_test_run ();
}
