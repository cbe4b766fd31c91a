/* pt-processor.h — the worklet: per cycle it applies the messages the main
 * thread sent, takes the chosen channel (or the mix) of the interleaved
 * input, mixes in the test signal and the noise, batches the result into
 * pooled buffers and posts the batches. No PipeWire in it: the capture code
 * (or a test, with a fake clock) calls pt_processor_process.
 *
 * Threads: one thread at a time drives it, calling pt_processor_process and
 * pt_processor_check_timeout: the first to call either after creation or
 * after pt_processor_release_thread. Debug builds assert it. The functions
 * marked "any thread" only touch atomics and queues; the main side learns
 * everything else from the envelopes on the to-main queue.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pt-batcher.h"
#include "pt-buffer-pool.h"
#include "pt-envelope.h"
#include "pt-ring.h"

G_BEGIN_DECLS

/* Exhaustion of the pool is reported at most this often. */
#define PT_PROCESSOR_OVERFLOW_REPORT_INTERVAL_MS 1000.0

/* pt_processor_set_input_channel: the average of every channel. */
#define PT_PROCESSOR_INPUT_MIX (-1)

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

/* Main thread: frees the to-worklet envelopes the audio thread has consumed
 * (it hands them back rather than free them itself). */
void              pt_processor_free_spent          (PtProcessor           *self);

/* Any thread. A new rate (the server renegotiated the format) is applied at
 * the start of the next cycle: the partial batch leaves at the old rate, the
 * generators and the batcher move to the new one, a StatusUpdate says so. */
void              pt_processor_set_sample_rate     (PtProcessor           *self,
                                                    guint                  sample_rate);
/* Any thread: a channel index, or PT_PROCESSOR_INPUT_MIX; an index beyond the
 * input's channels takes its last channel. */
void              pt_processor_set_input_channel   (PtProcessor           *self,
                                                    int                    channel);
/* Any thread: while running, every cycle also writes what it batches (the
 * input with the test signal and noise mixed in) into @ring, the monitor's;
 * NULL stops it. The ring must outlive the processor or the next call. */
void              pt_processor_set_monitor_ring    (PtProcessor           *self,
                                                    PtRing                *ring);
PtProcessorState  pt_processor_get_state           (PtProcessor           *self);
guint64           pt_processor_get_dropped_frames  (PtProcessor           *self);

/* Any thread, once the thread driving the processor has stopped calling it:
 * the next thread to call process or check_timeout drives it from then on
 * (the clock source hands over to a stream this way, and back). */
void              pt_processor_release_thread      (PtProcessor           *self);

/* The driving thread. @input holds @n_frames interleaved frames of
 * @n_channels samples (NULL: silence). */
void              pt_processor_process             (PtProcessor           *self,
                                                    const float           *input,
                                                    guint                  n_frames,
                                                    guint                  n_channels,
                                                    double                 now_ms);
void              pt_processor_check_timeout       (PtProcessor           *self,
                                                    double                 now_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtProcessor, pt_processor_free)

G_END_DECLS
