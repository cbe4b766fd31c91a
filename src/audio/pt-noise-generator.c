/* pt-noise-generator.c — white and pink noise for the worklet.
 *
 * White noise is uniform in [-level, level) (RMS level/√3), from PCG32
 * (O'Neill), a tiny generator the audio thread owns; g_random takes a lock.
 * Pink noise is that white noise through Paul Kellet's "refined" filter
 * (musicdsp.org, 1999): six one-pole low-passes and a one-sample delay summed,
 * within ±0.05 dB of −3 dB/octave above 9.2 Hz at 44.1 kHz. It is scaled by
 * the filter's exact power gain, computed at init, so pink noise has the same
 * RMS as white noise at the same level.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-noise-generator"

#include "config.h"

#include <math.h>
#include <string.h>

#include "pt-noise-generator.h"

/* Kellet's refined filter: pole and gain of each one-pole section. */
static const double pink_poles[6] = { 0.99886, 0.99332, 0.96900, 0.86650, 0.55000, -0.7616 };
static const double pink_gains[6] = { 0.0555179, 0.0750759, 0.1538520, 0.3104856,
                                      0.5329522, -0.0168980 };
#define PINK_DIRECT  0.5362
#define PINK_DELAYED 0.115926

/* Σ h[n]² of the filter's impulse response
 * h[n] = Σ g_i p_i^n + direct·δ[n] + delayed·δ[n-1], in closed form. */
static double
pink_power_gain (void)
{
  double power = PINK_DIRECT * PINK_DIRECT + PINK_DELAYED * PINK_DELAYED;

  for (guint i = 0; i < G_N_ELEMENTS (pink_poles); i++)
    {
      for (guint j = 0; j < G_N_ELEMENTS (pink_poles); j++)
        power += pink_gains[i] * pink_gains[j] / (1.0 - pink_poles[i] * pink_poles[j]);
      power += 2.0 * PINK_DIRECT * pink_gains[i];
      power += 2.0 * PINK_DELAYED * pink_gains[i] * pink_poles[i];
    }

  return power;
}

void
pt_noise_generator_init (PtNoiseGenerator *self,
                         guint64           seed)
{
  g_return_if_fail (self != NULL);

  *self = (PtNoiseGenerator) {
    .increment = (seed << 1) | 1,
    .noise_type = PT_NOISE_WHITE,
    .pink_scale = 1.0 / sqrt (pink_power_gain ()),
  };
  /* PCG32's seeding: step, add the seed, step. */
  pt_noise_generator_next_u32 (self);
  self->state += seed ^ G_GUINT64_CONSTANT (0x853c49e6748fea9b);
  pt_noise_generator_next_u32 (self);
}

void
pt_noise_generator_set_type (PtNoiseGenerator *self,
                             PtNoiseType       noise_type)
{
  if (noise_type != self->noise_type)
    memset (self->pink, 0, sizeof self->pink);
  self->noise_type = noise_type;
}

void
pt_noise_generator_set_level (PtNoiseGenerator *self,
                              double            level)
{
  if (isfinite (level))
    self->level = CLAMP (level, 0.0, 1.0);
}

guint32
pt_noise_generator_next_u32 (PtNoiseGenerator *self)
{
  guint64 old = self->state;
  guint32 xorshifted = (guint32) (((old >> 18) ^ old) >> 27);
  guint32 rotation = (guint32) (old >> 59);

  self->state = old * G_GUINT64_CONSTANT (6364136223846793005) + self->increment;
  return (xorshifted >> rotation) | (xorshifted << ((32 - rotation) & 31));
}

/* Uniform in [-1, 1), from the top 24 bits (exact in a float). */
static inline double
next_white (PtNoiseGenerator *self)
{
  return (double) (pt_noise_generator_next_u32 (self) >> 8) * (2.0 / 16777216.0) - 1.0;
}

static inline double
next_pink (PtNoiseGenerator *self)
{
  double white = next_white (self);
  double *b = self->pink;
  double pink;

  for (guint i = 0; i < 6; i++)
    b[i] = pink_poles[i] * b[i] + pink_gains[i] * white;
  pink = b[0] + b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + white * PINK_DIRECT;
  b[6] = white * PINK_DELAYED;

  return pink * self->pink_scale;
}

/* Adds the noise to @samples in place. */
void
pt_noise_generator_add (PtNoiseGenerator *self,
                        float            *samples,
                        guint             n_frames)
{
  double level = self->level;

  if (self->noise_type == PT_NOISE_PINK)
    {
      for (guint i = 0; i < n_frames; i++)
        samples[i] += (float) (level * next_pink (self));
    }
  else
    {
      for (guint i = 0; i < n_frames; i++)
        samples[i] += (float) (level * next_white (self));
    }
}
