/* pt-drone.h — the drone: a steady reference tone for intonation practice,
 * a sine or a soft organ-like tone, that fades in and out along a raised
 * cosine so it never clicks. The main thread sets it through atomics; the
 * playback's audio thread adds it to its output. Plain C: no allocation, no
 * lock.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdatomic.h>

#include <glib.h>

#include "pt-types.h"

G_BEGIN_DECLS

/* A fade in or out, and a change of volume, takes this long. */
#define PT_DRONE_FADE_MS 60.0

typedef struct
{
  /*< private >*/
  /* Set from any thread. */
  _Atomic double  frequency;
  _Atomic double  volume;
  _Atomic int     waveform;
  _Atomic int     enabled;
  _Atomic int     silent;       /* published by the audio thread */

  /* The audio thread's. */
  double          sample_rate;
  double          phase;        /* in periods, [0, 1) */
  double          fade;         /* 0 (off) … 1 (on), along the raised cosine */
  double          level;        /* the volume in force, moving towards volume */
} PtDrone;

void     pt_drone_init            (PtDrone         *self,
                                   double           sample_rate);

/* Any thread. */
void     pt_drone_set_enabled     (PtDrone         *self,
                                   gboolean         enabled);
void     pt_drone_set_frequency   (PtDrone         *self,
                                   double           frequency);
void     pt_drone_set_volume      (PtDrone         *self,
                                   double           volume);
void     pt_drone_set_waveform    (PtDrone         *self,
                                   PtDroneWaveform  waveform);
/* Off and faded out: it adds nothing. */
gboolean pt_drone_is_silent       (PtDrone         *self);

/* While no thread adds it: off and silent at once, with no fade (nothing
 * was playing the fade). */
void     pt_drone_reset           (PtDrone         *self);

/* The audio thread: a new rate, between cycles. */
void     pt_drone_set_sample_rate (PtDrone         *self,
                                   double           sample_rate);
/* Adds @n_frames of the drone to @out. */
void     pt_drone_add             (PtDrone         *self,
                                   float           *out,
                                   guint            n_frames);

G_END_DECLS
