/* pt-drone.c — the drone.
 *
 * The phase runs in double precision periods, so the frequency is exact to
 * far below a hundredth of a cent over hours. The organ tone is the
 * fundamental with three softer harmonics (an octave, a twelfth, two
 * octaves), those at or above 0.45 × the rate left out, scaled so its peak
 * stays at the volume. On and off move `fade` linearly over
 * PT_DRONE_FADE_MS and the gain follows (1 - cos (π fade)) / 2, whose slope
 * is zero at both ends, so neither end clicks; a new volume is reached
 * linearly over the same time.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-drone"

#include "config.h"

#include <math.h>

#include "pt-drone.h"

static const double organ_harmonics[] = { 1.0, 0.5, 0.25, 0.125 };

void
pt_drone_init (PtDrone *self,
               double   sample_rate)
{
  g_return_if_fail (sample_rate > 0.0);

  atomic_init (&self->frequency, 261.6255653005986);
  atomic_init (&self->volume, 0.5);
  atomic_init (&self->waveform, PT_DRONE_WAVEFORM_SINE);
  atomic_init (&self->enabled, FALSE);
  atomic_init (&self->silent, TRUE);
  self->sample_rate = sample_rate;
  self->phase = 0.0;
  self->fade = 0.0;
  self->level = 0.5;
}

void
pt_drone_set_enabled (PtDrone  *self,
                      gboolean  enabled)
{
  atomic_store (&self->enabled, !!enabled);
  if (enabled)
    atomic_store (&self->silent, FALSE);
}

void
pt_drone_set_frequency (PtDrone *self,
                        double   frequency)
{
  g_return_if_fail (frequency > 0.0);
  atomic_store (&self->frequency, frequency);
}

void
pt_drone_set_volume (PtDrone *self,
                     double   volume)
{
  atomic_store (&self->volume, CLAMP (volume, 0.0, 1.0));
}

void
pt_drone_set_waveform (PtDrone         *self,
                       PtDroneWaveform  waveform)
{
  atomic_store (&self->waveform, waveform);
}

gboolean
pt_drone_is_silent (PtDrone *self)
{
  return atomic_load (&self->silent);
}

void
pt_drone_reset (PtDrone *self)
{
  atomic_store (&self->enabled, FALSE);
  atomic_store (&self->silent, TRUE);
  self->fade = 0.0;
}

void
pt_drone_set_sample_rate (PtDrone *self,
                          double   sample_rate)
{
  g_return_if_fail (sample_rate > 0.0);
  self->sample_rate = sample_rate;
}

static double
organ_sample (double phase,
              double frequency,
              double sample_rate)
{
  double sum = 0.0, norm = 0.0;

  for (guint h = 0; h < G_N_ELEMENTS (organ_harmonics); h++)
    {
      if ((h + 1) * frequency >= 0.45 * sample_rate)
        break;
      sum += organ_harmonics[h] * sin (2.0 * G_PI * (h + 1) * phase);
      norm += organ_harmonics[h];
    }
  return norm > 0.0 ? sum / norm : 0.0;
}

void
pt_drone_add (PtDrone *self,
              float   *out,
              guint    n_frames)
{
  double frequency = atomic_load (&self->frequency);
  double volume = atomic_load (&self->volume);
  gboolean organ = atomic_load (&self->waveform) == PT_DRONE_WAVEFORM_ORGAN;
  double target = atomic_load (&self->enabled) ? 1.0 : 0.0;
  double fade_step = 1000.0 / (PT_DRONE_FADE_MS * self->sample_rate);
  double increment = frequency / self->sample_rate;

  if (self->fade == 0.0 && target == 0.0)
    {
      atomic_store (&self->silent, TRUE);
      return;
    }

  for (guint i = 0; i < n_frames; i++)
    {
      double gain = self->level * (1.0 - cos (G_PI * self->fade)) / 2.0;
      double x = organ ? organ_sample (self->phase, frequency, self->sample_rate)
                       : sin (2.0 * G_PI * self->phase);

      out[i] += (float) (gain * x);
      self->phase += increment;
      self->phase -= floor (self->phase);
      self->fade = target > self->fade ? MIN (target, self->fade + fade_step)
                                       : MAX (target, self->fade - fade_step);
      self->level = volume > self->level ? MIN (volume, self->level + fade_step)
                                         : MAX (volume, self->level - fade_step);
    }
}
