/* pt-buffer-pool.c — PT_BUFFER_POOL_SIZE buffers and their envelopes, all
 * allocated once, recycled without locks.
 *
 * One atomic word says which buffers are out: the audio thread sets a bit when
 * it takes a free buffer, the thread that drops the last reference of a batch
 * envelope clears it (through the envelope's release hook). Only the audio
 * thread sets bits and only releases clear them, so an atomic OR and an atomic
 * AND are all it takes: acquire never waits and never allocates, and a buffer
 * cannot be handed out twice. Each buffer out holds a reference on the pool,
 * so envelopes still queued on the main side keep their storage alive.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-buffer-pool"

#include "config.h"

#include "pt-buffer-pool.h"

G_STATIC_ASSERT (PT_BUFFER_POOL_SIZE <= 32);

#define ALL_BUFFERS ((guint) (((guint64) 1 << PT_BUFFER_POOL_SIZE) - 1))

struct _PtBufferPool
{
  float      *storage;           /* PT_BUFFER_POOL_SIZE × PT_BUFFER_CAPACITY */
  PtEnvelope  envelopes[PT_BUFFER_POOL_SIZE];
  guint       in_use_mask;       /* atomic */
  guint       exhausted_count;   /* audio thread */
};

static void
on_envelope_released (PtEnvelope *envelope,
                      gpointer    user_data)
{
  PtBufferPool *self = user_data;

  pt_buffer_pool_release (self, (int) (envelope - self->envelopes));
}

PtBufferPool *
pt_buffer_pool_new (void)
{
  PtBufferPool *self = g_atomic_rc_box_new0 (PtBufferPool);

  self->storage = g_aligned_alloc0 ((gsize) PT_BUFFER_POOL_SIZE * PT_BUFFER_CAPACITY,
                                    sizeof (float), 64);
  for (guint i = 0; i < PT_BUFFER_POOL_SIZE; i++)
    pt_envelope_init_static (&self->envelopes[i], on_envelope_released, self);

  return self;
}

PtBufferPool *
pt_buffer_pool_ref (PtBufferPool *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
pt_buffer_pool_clear (PtBufferPool *self)
{
  g_aligned_free (self->storage);
}

void
pt_buffer_pool_unref (PtBufferPool *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) pt_buffer_pool_clear);
}

/* The id of a free buffer, now in use, or PT_BUFFER_POOL_NO_BUFFER. */
int
pt_buffer_pool_acquire (PtBufferPool *self)
{
  guint in_use = (guint) g_atomic_int_get (&self->in_use_mask);
  guint free_mask = ~in_use & ALL_BUFFERS;
  int buffer_id;

  if (free_mask == 0)
    {
      self->exhausted_count++;
      return PT_BUFFER_POOL_NO_BUFFER;
    }

  buffer_id = g_bit_nth_lsf (free_mask, -1);
  g_atomic_rc_box_acquire (self);
  g_atomic_int_or (&self->in_use_mask, 1u << buffer_id);

  return buffer_id;
}

float *
pt_buffer_pool_get_samples (PtBufferPool *self,
                            int           buffer_id)
{
  g_assert (buffer_id >= 0 && buffer_id < PT_BUFFER_POOL_SIZE);

  return self->storage + (gsize) buffer_id * PT_BUFFER_CAPACITY;
}

PtEnvelope *
pt_buffer_pool_get_envelope (PtBufferPool *self,
                             int           buffer_id)
{
  g_assert (buffer_id >= 0 && buffer_id < PT_BUFFER_POOL_SIZE);

  return &self->envelopes[buffer_id];
}

guint
pt_buffer_pool_get_in_use (PtBufferPool *self)
{
  return (guint) __builtin_popcount ((guint) g_atomic_int_get (&self->in_use_mask));
}

guint
pt_buffer_pool_get_available (PtBufferPool *self)
{
  return PT_BUFFER_POOL_SIZE - pt_buffer_pool_get_in_use (self);
}

guint
pt_buffer_pool_get_exhausted_count (PtBufferPool *self)
{
  return self->exhausted_count;
}

/* Gives @buffer_id back: the audio thread may hand it out again at once.
 * May drop the last reference on the pool. */
void
pt_buffer_pool_release (PtBufferPool *self,
                        int           buffer_id)
{
  guint bit;
  guint was_in_use;

  g_return_if_fail (self != NULL);
  g_return_if_fail (buffer_id >= 0 && buffer_id < PT_BUFFER_POOL_SIZE);

  bit = 1u << buffer_id;
  was_in_use = g_atomic_int_and (&self->in_use_mask, ~bit);
  if ((was_in_use & bit) == 0)
    {
      g_critical ("Buffer %d released but not in use", buffer_id);
      return;
    }

  pt_buffer_pool_unref (self);
}
