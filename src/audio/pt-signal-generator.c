/* pt-signal-generator.c — band-limited test waveforms for the worklet.
 *
 * Sine is computed directly. Square, sawtooth and triangle are read (linear
 * interpolation) from a one-period table that holds exactly the harmonics of
 * the current frequency below Nyquist, made by an inverse FFT from their
 * Fourier series whenever the frequency or the waveform changes: nothing
 * aliases and the RMS is the band-limited waveform's. The inverse FFT uses a
 * plan made at init and preallocated arrays, so a change allocates nothing
 * (a 4096-point transform, some microseconds, only on a change).
 *
 * The phase is a double in periods: a frequency change only changes its
 * increment, so the waveform stays continuous. For the tabled waveforms the
 * new frequency and its table take over together at the next quiet point of
 * the period (a quarter period away from any edge, so at most one period
 * later), where both tables agree to within their smallest harmonics: an old
 * table played faster would alias, a new one switched at an edge would jump.
 *
 * The tables follow the Fourier series, so a band-limited square or sawtooth
 * overshoots its amplitude by up to 9% at its edges (Gibbs): above an
 * amplitude of about 0.9 the worklet's clamp counts some samples as clipped.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-signal-generator"

#include "config.h"

#include <math.h>
#include <string.h>
#include <fftw3.h>

#include "pt-fftw.h"
#include "pt-signal-generator.h"

#define TABLE_SIZE PT_SIGNAL_GENERATOR_TABLE_SIZE

void
pt_signal_generator_init (PtSignalGenerator *self,
                          double             sample_rate)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (sample_rate > 0.0);

  *self = (PtSignalGenerator) {
    .sample_rate = sample_rate,
    .waveform = PT_WAVEFORM_SINE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (self->tables); i++)
    {
      self->tables[i] = fftwf_alloc_real (TABLE_SIZE + 1);
      memset (self->tables[i], 0, (TABLE_SIZE + 1) * sizeof (float));
    }
  self->spectrum = fftwf_alloc_complex (TABLE_SIZE / 2 + 1);
  pt_fftw_planner_lock ();
  self->plan = fftwf_plan_dft_c2r_1d (TABLE_SIZE, self->spectrum, self->tables[0],
                                      FFTW_ESTIMATE);
  pt_fftw_planner_unlock ();

  pt_signal_generator_set_frequency (self, 440.0);
}

void
pt_signal_generator_clear (PtSignalGenerator *self)
{
  pt_fftw_planner_lock ();
  g_clear_pointer (&self->plan, fftwf_destroy_plan);
  pt_fftw_planner_unlock ();
  g_clear_pointer (&self->spectrum, fftwf_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->tables); i++)
    g_clear_pointer (&self->tables[i], fftwf_free);
}

/* Amplitude of harmonic @k, as a sine term (square, sawtooth) or a cosine
 * term (triangle), of the waveforms that process() makes naively:
 * square +1 then -1, sawtooth rising from -1, triangle -1 at phase 0. */
static void
fill_spectrum (PtSignalGenerator *self,
               guint              n_harmonics)
{
  fftwf_complex *spectrum = self->spectrum;

  memset (spectrum, 0, (TABLE_SIZE / 2 + 1) * sizeof (fftwf_complex));
  for (guint k = 1; k <= n_harmonics; k++)
    {
      /* c2r gives x[n] = Σ 2·Re (X_k e^{2πikn/N}): a sine term a is X_k = -i·a/2. */
      switch (self->waveform)
        {
        case PT_WAVEFORM_SQUARE:
          if (k % 2 == 1)
            spectrum[k][1] = (float) (-0.5 * 4.0 / (G_PI * k));
          break;
        case PT_WAVEFORM_SAWTOOTH:
          spectrum[k][1] = (float) (0.5 * 2.0 / (G_PI * k));
          break;
        case PT_WAVEFORM_TRIANGLE:
          if (k % 2 == 1)
            spectrum[k][0] = (float) (-0.5 * 8.0 / (G_PI * G_PI * k * k));
          break;
        case PT_WAVEFORM_SINE:
        default:
          break;
        }
    }
}

/* Makes the inactive table for the current waveform and frequency. */
static void
build_table (PtSignalGenerator *self)
{
  guint next = 1 - self->active_table;
  float *table = self->tables[next];
  guint n_harmonics = 1;

  if (self->frequency > 0.0)
    n_harmonics = (guint) MAX (1.0, ceil (self->sample_rate / 2.0 / self->frequency) - 1.0);
  n_harmonics = MIN (n_harmonics, TABLE_SIZE / 2 - 1);

  fill_spectrum (self, n_harmonics);
  fftwf_execute_dft_c2r (self->plan, self->spectrum, table);
  table[TABLE_SIZE] = table[0];
  self->pending_table = TRUE;
}

static void
switch_table (PtSignalGenerator *self)
{
  self->active_table = 1 - self->active_table;
  self->phase_increment = self->next_increment;
  self->pending_table = FALSE;
}

void
pt_signal_generator_set_waveform (PtSignalGenerator *self,
                                  PtWaveform         waveform)
{
  if (waveform == self->waveform)
    return;

  self->waveform = waveform;
  if (waveform != PT_WAVEFORM_SINE)
    build_table (self);
  switch_table (self);
}

/* Clamped below Nyquist. */
void
pt_signal_generator_set_frequency (PtSignalGenerator *self,
                                   double             frequency)
{
  if (!isfinite (frequency))
    return;

  self->frequency = CLAMP (frequency, 0.0, self->sample_rate * 0.5);
  self->next_increment = self->frequency / self->sample_rate;
  if (self->waveform != PT_WAVEFORM_SINE)
    build_table (self);
  else
    self->phase_increment = self->next_increment;
}

/* A new stream rate: @frequency (the one asked for, which the old Nyquist
 * may have clamped) takes over at once, with its table. Allocates nothing. */
void
pt_signal_generator_set_sample_rate (PtSignalGenerator *self,
                                     double             sample_rate,
                                     double             frequency)
{
  g_return_if_fail (sample_rate > 0.0);

  self->sample_rate = sample_rate;
  pt_signal_generator_set_frequency (self, frequency);
  if (self->pending_table)
    switch_table (self);
}

void
pt_signal_generator_set_amplitude (PtSignalGenerator *self,
                                   double             amplitude)
{
  guint ramp_frames;

  if (!isfinite (amplitude))
    return;

  self->target_amplitude = CLAMP (amplitude, 0.0, 1.0);
  ramp_frames = MAX (1, (guint) (self->sample_rate * PT_SIGNAL_GENERATOR_RAMP_MS / 1000.0));
  self->amplitude_step = (self->target_amplitude - self->amplitude) / ramp_frames;
  self->ramp_frames_left = ramp_frames;
}

/* No ramp: for a generator that is not playing yet. */
void
pt_signal_generator_jump_to_amplitude (PtSignalGenerator *self,
                                       double             amplitude)
{
  if (!isfinite (amplitude))
    return;

  self->amplitude = self->target_amplitude = CLAMP (amplitude, 0.0, 1.0);
  self->ramp_frames_left = 0;
}

/* Quarter periods away from the edges of square and triangle (0 and ½), half
 * a period from the sawtooth's (0). */
static inline gboolean
crossed_quiet_point (PtWaveform waveform,
                     double     from,
                     double     to)
{
  if (to < from)
    to += 1.0;
  if (waveform == PT_WAVEFORM_SAWTOOTH)
    return from < 0.5 && to >= 0.5;
  return (from < 0.25 && to >= 0.25) || (from < 0.75 && to >= 0.75) ||
         (from < 1.25 && to >= 1.25);
}

static inline double
read_table (const float *table,
            double       t)
{
  double position = t * TABLE_SIZE;
  guint i = (guint) position;
  double fraction = position - i;

  i &= TABLE_SIZE - 1;
  return table[i] + fraction * (table[i + 1] - table[i]);
}

void
pt_signal_generator_process (PtSignalGenerator *self,
                             float             *out,
                             guint              n_frames)
{
  double t = self->phase;
  double dt = self->phase_increment;
  gboolean sine = self->waveform == PT_WAVEFORM_SINE;

  for (guint i = 0; i < n_frames; i++)
    {
      double value;

      if (self->ramp_frames_left > 0)
        {
          self->ramp_frames_left--;
          self->amplitude = self->ramp_frames_left > 0
                            ? self->amplitude + self->amplitude_step
                            : self->target_amplitude;
        }

      value = sine ? sin (2.0 * G_PI * t) : read_table (self->tables[self->active_table], t);
      out[i] = (float) (self->amplitude * value);

      if (G_UNLIKELY (self->pending_table) &&
          (self->amplitude == 0.0 || crossed_quiet_point (self->waveform, t, t + dt)))
        {
          switch_table (self);
          dt = self->phase_increment;
        }

      t += dt;
      if (t >= 1.0)
        t -= 1.0;
    }

  self->phase = t;
}
