/* pt-buffer-pool.h — the fixed pool of sample buffers the worklet fills and
 * the main thread hands back: PT_BUFFER_POOL_SIZE buffers of
 * PT_BUFFER_CAPACITY frames, each with its own preallocated envelope.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pt-envelope.h"

G_BEGIN_DECLS

#define PT_BUFFER_POOL_NO_BUFFER (-1)

PtBufferPool *pt_buffer_pool_new                (void);
PtBufferPool *pt_buffer_pool_ref                (PtBufferPool *self);
void          pt_buffer_pool_unref              (PtBufferPool *self);

/* Audio thread only. */
int           pt_buffer_pool_acquire            (PtBufferPool *self);
float        *pt_buffer_pool_get_samples        (PtBufferPool *self,
                                                 int           buffer_id);
PtEnvelope   *pt_buffer_pool_get_envelope       (PtBufferPool *self,
                                                 int           buffer_id);
guint         pt_buffer_pool_get_available      (PtBufferPool *self);
guint         pt_buffer_pool_get_in_use         (PtBufferPool *self);
guint         pt_buffer_pool_get_exhausted_count (PtBufferPool *self);

/* Any thread; usually done by the last pt_envelope_unref() of a batch. */
void          pt_buffer_pool_release            (PtBufferPool *self,
                                                 int           buffer_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtBufferPool, pt_buffer_pool_unref)

G_END_DECLS
