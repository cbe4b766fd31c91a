/* pt-ring.c — the ring. The producer owns write_pos and the consumer
 * read_pos; each publishes its own with release order after touching the
 * samples and reads the other's with acquire order, so a sample is never
 * read before it is written nor overwritten before it is read.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-ring"

#include "config.h"

#include <string.h>

#include "pt-ring.h"

void
pt_ring_init (PtRing *self,
              guint   min_capacity)
{
  guint capacity = 1;

  g_return_if_fail (min_capacity > 0 && min_capacity <= G_MAXUINT / 2);

  while (capacity < min_capacity)
    capacity <<= 1;
  self->samples = g_new0 (float, capacity);
  self->mask = capacity - 1;
  atomic_init (&self->write_pos, 0);
  atomic_init (&self->read_pos, 0);
  atomic_init (&self->overrun_frames, 0);
  atomic_init (&self->underrun_frames, 0);
}

void
pt_ring_clear (PtRing *self)
{
  g_clear_pointer (&self->samples, g_free);
}

guint
pt_ring_get_capacity (PtRing *self)
{
  return self->mask + 1;
}

guint
pt_ring_get_fill (PtRing *self)
{
  guint64 read = atomic_load_explicit (&self->read_pos, memory_order_acquire);
  guint64 write = atomic_load_explicit (&self->write_pos, memory_order_acquire);

  return (guint) (write - read);
}

guint64
pt_ring_get_overrun_frames (PtRing *self)
{
  return atomic_load_explicit (&self->overrun_frames, memory_order_relaxed);
}

guint64
pt_ring_get_underrun_frames (PtRing *self)
{
  return atomic_load_explicit (&self->underrun_frames, memory_order_relaxed);
}

/* @n frames between @pos and the ring's end, then from its start. */
static void
copy_in (PtRing      *self,
         guint64      pos,
         const float *frames,
         guint        n)
{
  guint start = (guint) (pos & self->mask);
  guint first = MIN (n, self->mask + 1 - start);

  if (frames != NULL)
    {
      memcpy (self->samples + start, frames, first * sizeof (float));
      memcpy (self->samples, frames + first, (n - first) * sizeof (float));
    }
  else
    {
      memset (self->samples + start, 0, first * sizeof (float));
      memset (self->samples, 0, (n - first) * sizeof (float));
    }
}

guint
pt_ring_write (PtRing      *self,
               const float *frames,
               guint        n_frames)
{
  guint64 write = atomic_load_explicit (&self->write_pos, memory_order_relaxed);
  guint64 read = atomic_load_explicit (&self->read_pos, memory_order_acquire);
  guint room = pt_ring_get_capacity (self) - (guint) (write - read);
  guint n = MIN (n_frames, room);

  copy_in (self, write, frames, n);
  atomic_store_explicit (&self->write_pos, write + n, memory_order_release);
  if (n < n_frames)
    atomic_fetch_add_explicit (&self->overrun_frames, n_frames - n, memory_order_relaxed);
  return n;
}

guint
pt_ring_read (PtRing *self,
              float  *out,
              guint   n_frames)
{
  guint64 read = atomic_load_explicit (&self->read_pos, memory_order_relaxed);
  guint64 write = atomic_load_explicit (&self->write_pos, memory_order_acquire);
  guint n = MIN (n_frames, (guint) (write - read));
  guint start = (guint) (read & self->mask);
  guint first = MIN (n, self->mask + 1 - start);

  memcpy (out, self->samples + start, first * sizeof (float));
  memcpy (out + first, self->samples, (n - first) * sizeof (float));
  memset (out + n, 0, (n_frames - n) * sizeof (float));
  atomic_store_explicit (&self->read_pos, read + n, memory_order_release);
  if (n < n_frames)
    atomic_fetch_add_explicit (&self->underrun_frames, n_frames - n, memory_order_relaxed);
  return n;
}

guint
pt_ring_skip (PtRing *self,
              guint   n_frames)
{
  guint64 read = atomic_load_explicit (&self->read_pos, memory_order_relaxed);
  guint fill = pt_ring_get_fill (self);
  guint n = MIN (n_frames, fill);

  atomic_store_explicit (&self->read_pos, read + n, memory_order_release);
  return n;
}
