/* pt-processor.h — the worklet: per cycle it applies the messages the main
 * thread sent, mixes the input with the test signal and the noise, batches
 * the result into pooled buffers and posts the batches. No PipeWire in it:
 * the capture code (or a test, with a fake clock) calls pt_processor_process.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pt-batcher.h"
#include "pt-buffer-pool.h"
#include "pt-envelope.h"

G_BEGIN_DECLS

/* Exhaustion of the pool is reported at most this often. */
#define PT_PROCESSOR_OVERFLOW_REPORT_INTERVAL_MS 1000.0

/* Called on the audio thread after a cycle that posted something; the engine
 * passes g_main_context_wakeup. */
typedef void (*PtProcessorWakeupFunc) (gpointer user_data);

PtProcessor      *pt_processor_new                 (double                 sample_rate,
                                                    guint64                noise_seed);
void              pt_processor_free                (PtProcessor           *self);

GAsyncQueue      *pt_processor_get_to_worklet_queue (PtProcessor          *self);
GAsyncQueue      *pt_processor_get_to_main_queue   (PtProcessor           *self);
PtBufferPool     *pt_processor_get_pool            (PtProcessor           *self);
void              pt_processor_set_wakeup_func     (PtProcessor           *self,
                                                    PtProcessorWakeupFunc  func,
                                                    gpointer               user_data);

/* Audio thread. */
void              pt_processor_process             (PtProcessor           *self,
                                                    const float           *input,
                                                    guint                  n_frames,
                                                    double                 now_ms);
void              pt_processor_check_timeout       (PtProcessor           *self,
                                                    double                 now_ms);
PtProcessorState  pt_processor_get_state           (PtProcessor           *self);
guint64           pt_processor_get_dropped_frames  (PtProcessor           *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtProcessor, pt_processor_free)

G_END_DECLS
