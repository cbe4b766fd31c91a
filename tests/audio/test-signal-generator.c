/* test-signal-generator.c — frequency within 0.1 cent, RMS within 0.1 dB of
 * the band-limited waveform, aliases far below the naive waveform's, and no
 * click when frequency or amplitude change.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <fftw3.h>

#include "pt-signal-generator.h"

static const char *waveform_names[] = { "sine", "square", "sawtooth", "triangle" };

typedef struct
{
  PtWaveform waveform;
  double     sample_rate;
  double     frequency;
} Case;

static float *
generate (PtWaveform waveform,
          double     sample_rate,
          double     frequency,
          double     amplitude,
          guint      n_frames)
{
  PtSignalGenerator generator;
  float *samples = g_new (float, n_frames);

  pt_signal_generator_init (&generator, sample_rate);
  pt_signal_generator_set_waveform (&generator, waveform);
  pt_signal_generator_set_frequency (&generator, frequency);
  pt_signal_generator_set_amplitude (&generator, amplitude);
  /* Past the fade-in of the amplitude. */
  pt_signal_generator_process (&generator, samples, MIN (n_frames, (guint) sample_rate));
  /* In small pieces, as the worklet runs it. */
  for (guint done = 0; done < n_frames; done += 128)
    pt_signal_generator_process (&generator, samples + done, MIN (128, n_frames - done));
  pt_signal_generator_clear (&generator);
  return samples;
}

/* Period from a least-squares line through the upward zero crossings, each
 * placed by linear interpolation between the samples around it. */
static double
measure_frequency (const float *x,
                   guint        n,
                   double       sample_rate)
{
  double sum_k = 0, sum_t = 0, sum_kk = 0, sum_kt = 0;
  guint k = 0;

  for (guint i = 1; i < n; i++)
    if (x[i - 1] < 0.0f && x[i] >= 0.0f)
      {
        double t = (i - 1) + x[i - 1] / (double) (x[i - 1] - x[i]);

        sum_k += k;
        sum_t += t;
        sum_kk += (double) k * k;
        sum_kt += k * t;
        k++;
      }
  g_assert_cmpuint (k, >, 10);

  return sample_rate / ((k * sum_kt - sum_k * sum_t) / (k * sum_kk - sum_k * sum_k));
}

static void
test_frequency (gconstpointer data)
{
  const Case *c = data;
  guint n = (guint) (2 * c->sample_rate);
  g_autofree float *x = generate (c->waveform, c->sample_rate, c->frequency, 0.8, n);
  double measured = measure_frequency (x, n, c->sample_rate);
  double cents = 1200.0 * log2 (measured / c->frequency);

  g_test_message ("%s %.1f Hz at %.0f Hz: measured %.6f Hz, %+.5f cent",
                  waveform_names[c->waveform], c->frequency, c->sample_rate, measured, cents);
  g_assert_cmpfloat (fabs (cents), <, 0.1);
}

/* Mean square of the Fourier series cut at Nyquist: what a band-limited
 * waveform of amplitude @a has. */
static double
expected_mean_square (PtWaveform waveform,
                      double     a,
                      double     frequency,
                      double     sample_rate)
{
  double sum = 0.0;

  if (waveform == PT_WAVEFORM_SINE)
    return a * a / 2.0;

  for (guint k = 1; k * frequency < sample_rate / 2.0; k++)
    {
      double c = 0.0;

      if (waveform == PT_WAVEFORM_SAWTOOTH)
        c = 2.0 * a / (G_PI * k);
      else if (k % 2 == 1 && waveform == PT_WAVEFORM_SQUARE)
        c = 4.0 * a / (G_PI * k);
      else if (k % 2 == 1 && waveform == PT_WAVEFORM_TRIANGLE)
        c = 8.0 * a / (G_PI * G_PI * k * k);
      sum += c * c / 2.0;
    }
  return sum;
}

static void
test_rms (gconstpointer data)
{
  const Case *c = data;
  guint n = (guint) (2 * c->sample_rate);
  g_autofree float *x = generate (c->waveform, c->sample_rate, c->frequency, 0.5, n);
  double sum = 0.0;
  double db;

  for (guint i = 0; i < n; i++)
    sum += (double) x[i] * x[i];
  db = 10.0 * log10 ((sum / n) / expected_mean_square (c->waveform, 0.5, c->frequency,
                                                         c->sample_rate));

  g_test_message ("%s %.1f Hz at %.0f Hz: RMS %+.4f dB from expected",
                  waveform_names[c->waveform], c->frequency, c->sample_rate, db);
  g_assert_cmpfloat (fabs (db), <, 0.1);
}

/* Share of the power (dB) that is not near a harmonic below Nyquist. */
static double
alias_ratio_db (const float *x,
                guint        n,
                double       sample_rate,
                double       frequency)
{
  float *in = fftwf_alloc_real (n);
  fftwf_complex *out = fftwf_alloc_complex (n / 2 + 1);
  fftwf_plan plan = fftwf_plan_dft_r2c_1d ((int) n, in, out, FFTW_ESTIMATE);
  double bin_hz = sample_rate / n;
  double harmonic = 0.0, alias = 0.0;

  for (guint i = 0; i < n; i++)
    {
      /* 4-term Blackman-Harris: sidelobes under -92 dB */
      double w = 2.0 * G_PI * i / n;

      in[i] = (float) (x[i] * (0.35875 - 0.48829 * cos (w) + 0.14128 * cos (2 * w)
                               - 0.01168 * cos (3 * w)));
    }
  fftwf_execute (plan);

  for (guint b = (guint) (20.0 / bin_hz); b <= n / 2; b++)
    {
      double f = b * bin_hz;
      double power = (double) out[b][0] * out[b][0] + (double) out[b][1] * out[b][1];
      double k = round (f / frequency);

      if (k >= 1 && k * frequency < sample_rate / 2.0 && fabs (f - k * frequency) <= 6 * bin_hz)
        harmonic += power;
      else
        alias += power;
    }

  fftwf_destroy_plan (plan);
  fftwf_free (in);
  fftwf_free (out);
  return 10.0 * log10 (alias / harmonic);
}

static float *
generate_naive (PtWaveform waveform,
                double     sample_rate,
                double     frequency,
                guint      n)
{
  float *x = g_new (float, n);
  double t = 0.0;

  for (guint i = 0; i < n; i++)
    {
      if (waveform == PT_WAVEFORM_SQUARE)
        x[i] = t < 0.5 ? 1.0f : -1.0f;
      else if (waveform == PT_WAVEFORM_SAWTOOTH)
        x[i] = (float) (2.0 * t - 1.0);
      else
        x[i] = (float) (1.0 - 4.0 * fabs (t - 0.5));
      t += frequency / sample_rate;
      if (t >= 1.0)
        t -= 1.0;
    }
  return x;
}

static void
test_aliasing (gconstpointer data)
{
  const Case *c = data;
  guint n = 1 << 16;
  g_autofree float *ours = generate (c->waveform, c->sample_rate, c->frequency, 1.0, n);
  g_autofree float *naive = generate_naive (c->waveform, c->sample_rate, c->frequency, n);
  double ours_db = alias_ratio_db (ours, n, c->sample_rate, c->frequency);
  double naive_db = alias_ratio_db (naive, n, c->sample_rate, c->frequency);

  g_test_message ("%s %.1f Hz at %.0f Hz: aliases %.1f dB (naive %.1f dB)",
                  waveform_names[c->waveform], c->frequency, c->sample_rate, ours_db, naive_db);
  g_assert_cmpfloat (ours_db, <, naive_db - 15.0);
  g_assert_cmpfloat (ours_db, <, -80.0);
}

static double
max_step (const float *x,
          guint        n)
{
  double max = 0.0;

  for (guint i = 1; i < n; i++)
    max = MAX (max, fabs ((double) x[i] - x[i - 1]));
  return max;
}

/* Frequency hops at arbitrary instants: the largest sample step stays within
 * what the waveform has anyway at one of those frequencies. The references
 * run a hair off each, so their edges fall at every fraction of a sample and
 * meet the worst case of the band-limited edge. */
static void
test_frequency_change_step (gconstpointer data)
{
  const Case *c = data;
  static const double hops[] = { 440.0, 523.25, 97.0, 1760.0, 1000.0, 1760.0, 55.0, 1333.3 };
  guint n = 48000;
  g_autofree float *x = g_new (float, n);
  PtSignalGenerator generator;
  double allowed = 0.0;
  guint done = 0;

  for (guint i = 0; i < G_N_ELEMENTS (hops); i++)
    {
      g_autofree float *steady = generate (c->waveform, c->sample_rate, hops[i] * 1.0001234, 0.7,
                                           20 * n);

      allowed = MAX (allowed, max_step (steady, 20 * n));
    }

  pt_signal_generator_init (&generator, c->sample_rate);
  pt_signal_generator_set_waveform (&generator, c->waveform);
  pt_signal_generator_jump_to_amplitude (&generator, 0.7);  /* only the hops are under test */

  for (guint i = 0; done < n; i++)
    {
      guint m = MIN (n - done, 997 + 131 * (i % 7));

      pt_signal_generator_set_frequency (&generator, hops[i % G_N_ELEMENTS (hops)]);
      pt_signal_generator_process (&generator, x + done, m);
      done += m;
    }
  pt_signal_generator_clear (&generator);

  g_test_message ("%s: largest step %.5f, largest steady %.5f",
                  waveform_names[c->waveform], max_step (x, n), allowed);
  g_assert_cmpfloat (max_step (x, n), <=, allowed * 1.0001);
}

/* An amplitude change adds at most its ramp's slope to a sine's own slope. */
static void
test_amplitude_ramp (void)
{
  PtSignalGenerator generator;
  float x[4800];
  double sample_rate = 48000.0;
  double ramp_frames = sample_rate * PT_SIGNAL_GENERATOR_RAMP_MS / 1000.0;
  double allowed = 2.0 * G_PI * 440.0 / sample_rate + 0.9 / ramp_frames;

  pt_signal_generator_init (&generator, sample_rate);
  pt_signal_generator_set_amplitude (&generator, 0.1);
  pt_signal_generator_process (&generator, x, G_N_ELEMENTS (x));
  g_assert_cmpfloat (fabs (generator.amplitude - 0.1), <, 1e-12);

  pt_signal_generator_set_amplitude (&generator, 1.0);
  pt_signal_generator_process (&generator, x, G_N_ELEMENTS (x));
  g_assert_cmpfloat (max_step (x, G_N_ELEMENTS (x)), <=, allowed);
  g_assert_cmpfloat (generator.amplitude, ==, 1.0);
  pt_signal_generator_clear (&generator);

  /* Starting from silence, the first sample is not a jump. */
  pt_signal_generator_init (&generator, sample_rate);
  pt_signal_generator_set_waveform (&generator, PT_WAVEFORM_SQUARE);
  pt_signal_generator_set_amplitude (&generator, 1.0);
  pt_signal_generator_process (&generator, x, 8);
  g_assert_cmpfloat (fabs (x[0]), <, 0.01);
  pt_signal_generator_clear (&generator);
}

int
main (int argc, char *argv[])
{
  static const double rates[] = { 44100.0, 48000.0, 96000.0 };
  static const double frequencies[] = { 55.0, 440.0, 1234.5, 3520.0 };
  static Case cases[4 * G_N_ELEMENTS (rates) * G_N_ELEMENTS (frequencies)];
  static Case hop_cases[4];
  guint n = 0;

  g_test_init (&argc, &argv, NULL);

  for (guint w = 0; w < 4; w++)
    {
      g_autofree char *hop_path = NULL;

      hop_path = g_strdup_printf ("/pitch-toy/signal-generator/frequency-change-step/%s",
                                  waveform_names[w]);

      hop_cases[w] = (Case) { w, 48000.0, 0.0 };
      g_test_add_data_func (hop_path, &hop_cases[w], test_frequency_change_step);

      for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
        for (guint f = 0; f < G_N_ELEMENTS (frequencies); f++)
          {
            g_autofree char *suffix = g_strdup_printf ("%s/%.0f/%.1f", waveform_names[w], rates[r],
                                                       frequencies[f]);
            g_autofree char *freq_path = NULL;
            g_autofree char *rms_path = NULL;

            freq_path = g_strconcat ("/pitch-toy/signal-generator/frequency/", suffix, NULL);
            rms_path = g_strconcat ("/pitch-toy/signal-generator/rms/", suffix, NULL);

            cases[n] = (Case) { w, rates[r], frequencies[f] };
            g_test_add_data_func (freq_path, &cases[n], test_frequency);
            g_test_add_data_func (rms_path, &cases[n], test_rms);
            if (w != PT_WAVEFORM_SINE && frequencies[f] > 100.0)
              {
                g_autofree char *alias_path = g_strconcat ("/pitch-toy/signal-generator/aliasing/",
                                                           suffix, NULL);

                g_test_add_data_func (alias_path, &cases[n], test_aliasing);
              }
            n++;
          }
    }
  g_test_add_func ("/pitch-toy/signal-generator/amplitude-ramp", test_amplitude_ramp);

  return g_test_run ();
}
