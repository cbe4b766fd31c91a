/* pt-ring.h — a preallocated single-producer, single-consumer ring of
 * samples, the hand-off from the worklet to the playback stream (PipeWire's
 * audio-src-ring.c is the model). Writing and reading touch only the
 * preallocated samples and two atomic positions: no lock, no allocation.
 * What does not fit is dropped and counted; a read past what is there is
 * silence, counted as an underrun.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdatomic.h>

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  /*< private >*/
  float           *samples;
  guint            mask;          /* capacity - 1; the capacity is a power of two */
  _Atomic guint64  write_pos;     /* frames ever written, the producer's */
  _Atomic guint64  read_pos;      /* frames ever read or skipped, the consumer's */
  _Atomic guint64  overrun_frames;
  _Atomic guint64  underrun_frames;
} PtRing;

/* Main thread: room for at least @min_capacity frames. */
void    pt_ring_init                (PtRing      *self,
                                     guint        min_capacity);
void    pt_ring_clear               (PtRing      *self);

guint   pt_ring_get_capacity        (PtRing      *self);
/* Any thread: frames written and not yet read. */
guint   pt_ring_get_fill            (PtRing      *self);
guint64 pt_ring_get_overrun_frames  (PtRing      *self);
guint64 pt_ring_get_underrun_frames (PtRing      *self);

/* The producer: @frames (NULL: silence); what does not fit is dropped. The
 * count written. */
guint   pt_ring_write               (PtRing      *self,
                                     const float *frames,
                                     guint        n_frames);
/* The consumer: @n_frames into @out, silence past what there is. The count
 * that came from the ring. */
guint   pt_ring_read                (PtRing      *self,
                                     float       *out,
                                     guint        n_frames);
/* The consumer: drops the oldest @n_frames (at most the fill); the count. */
guint   pt_ring_skip                (PtRing      *self,
                                     guint        n_frames);

G_END_DECLS
