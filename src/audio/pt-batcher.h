/* pt-batcher.h — gathers the worklet's frames into pooled buffers and sends
 * them as AudioDataBatch envelopes: when a batch is full, or partial when its
 * timeout passes. Plain C for the audio thread: no allocation, no locks.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pt-buffer-pool.h"

G_BEGIN_DECLS

/* Receives a full reference on @batch. */
typedef void (*PtBatcherEmitFunc) (PtEnvelope *batch,
                                   gpointer    user_data);

typedef struct
{
  /*< private >*/
  PtBufferPool      *pool;
  double             sample_rate;
  PtBatchConfig      config;             /* as asked */
  guint              effective_timeout_ms;
  guint              quantum_frames;     /* largest cycle seen */
  int                buffer_id;          /* PT_BUFFER_POOL_NO_BUFFER between batches */
  float             *samples;
  guint              fill;
  guint64            first_frame;
  double             first_frame_time_ms;
  guint              clipped_count;
  guint              nonfinite_count;
  guint64            next_frame;         /* stream position of the next frame pushed */
  guint64            next_sequence;
  guint64            dropped_frames;     /* total, for want of a buffer */
  PtBatcherEmitFunc  emit;
  gpointer           emit_data;
} PtBatcher;

void     pt_batcher_init               (PtBatcher         *self,
                                        PtBufferPool      *pool,
                                        double             sample_rate,
                                        PtBatcherEmitFunc  emit,
                                        gpointer           emit_data);
void     pt_batcher_clear              (PtBatcher         *self);

void     pt_batcher_set_quantum        (PtBatcher         *self,
                                        guint              n_frames);
void     pt_batcher_set_sample_rate    (PtBatcher         *self,
                                        double             sample_rate,
                                        double             now_ms);
void     pt_batcher_push_frames        (PtBatcher         *self,
                                        const float       *frames,
                                        guint              n_frames,
                                        double             now_ms);
gboolean pt_batcher_check_timeout      (PtBatcher         *self,
                                        double             now_ms);
gboolean pt_batcher_flush              (PtBatcher         *self,
                                        double             now_ms);
void     pt_batcher_set_config         (PtBatcher         *self,
                                        const PtBatchConfig *config,
                                        double             now_ms);
void     pt_batcher_get_config         (PtBatcher         *self,
                                        PtBatchConfig     *config);

guint64  pt_batcher_get_dropped_frames (PtBatcher         *self);
guint    pt_batcher_get_fill           (PtBatcher         *self);

G_END_DECLS
