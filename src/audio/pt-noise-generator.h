/* pt-noise-generator.h — the background noise of the worklet: white or pink
 * noise at a level, from its own seeded generator (no locks, reproducible in
 * tests). Plain C for the audio thread: no allocation in process.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pt-types.h"

G_BEGIN_DECLS

typedef struct
{
  guint64     state;      /* PCG32 */
  guint64     increment;
  PtNoiseType noise_type;
  double      level;
  double      pink[7];    /* Kellet's filter state */
  double      pink_scale; /* gives pink the RMS of white at the same level */
} PtNoiseGenerator;

void    pt_noise_generator_init       (PtNoiseGenerator *self,
                                       guint64           seed);
void    pt_noise_generator_set_type   (PtNoiseGenerator *self,
                                       PtNoiseType       noise_type);
void    pt_noise_generator_set_level  (PtNoiseGenerator *self,
                                       double            level);
guint32 pt_noise_generator_next_u32   (PtNoiseGenerator *self);
void    pt_noise_generator_add        (PtNoiseGenerator *self,
                                       float            *samples,
                                       guint             n_frames);

G_END_DECLS
