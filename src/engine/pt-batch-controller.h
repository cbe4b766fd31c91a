/* pt-batch-controller.h — adaptive batching: from what the main side
 * measures of each batch it delivers (latency, queue depth, pool use, on the
 * caller's clock) it decides the batch size, between PT_BATCH_SIZE_MIN and
 * the configured size, with hysteresis. The engine sends each decision as
 * an UpdateBatchConfig and acknowledges it when the worklet's
 * ConfigApplied comes back. Plain C, no clock of its own, so tests drive it
 * with a fake one.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pt-types.h"

G_BEGIN_DECLS

/* Delivery latency the main side should keep under. */
#define PT_BATCH_CONTROLLER_TARGET_MS      10.0
/* Growing again is allowed this long after a change… */
#define PT_BATCH_CONTROLLER_GROW_HOLD_MS   200.0
/* …shrinking only once the main side has kept up this long since the last
 * change and since it last fell behind: the size cannot swing faster. */
#define PT_BATCH_CONTROLLER_SHRINK_HOLD_MS 2000.0
/* The lateness measured decays by half over this long. */
#define PT_BATCH_CONTROLLER_PEAK_HALF_LIFE_MS 1000.0
/* Buffers the lateness may use; the rest are the margin. */
#define PT_BATCH_CONTROLLER_USABLE_BUFFERS (PT_BUFFER_POOL_SIZE / 2)

typedef struct
{
  double now_ms;
  double latency_ms;    /* the audio thread's push → the end of its dispatch */
  guint  queue_depth;   /* envelopes still waiting behind it */
  guint  pool_in_use;   /* buffers out when the batch left */
} PtBatchObservation;

typedef struct
{
  /*< private >*/
  double sample_rate;
  guint  maximum;
  guint  size;          /* in force, as acknowledged */
  guint  pending;       /* asked, not acknowledged yet; 0 when none */
  double peak_ms;       /* the lateness measured, decaying */
  double peak_time_ms;
  double last_change_ms;
  double last_behind_ms;
} PtBatchController;

/* Starts at @maximum, the configured size. */
void  pt_batch_controller_init        (PtBatchController        *self,
                                       guint                     maximum,
                                       double                    sample_rate,
                                       double                    now_ms);
/* A size to ask for, or 0 to keep the one in force (and while a change
 * waits for its acknowledgement). */
guint pt_batch_controller_observe     (PtBatchController        *self,
                                       const PtBatchObservation *observation);
void  pt_batch_controller_acknowledge (PtBatchController        *self,
                                       guint                     size);
guint pt_batch_controller_get_size    (PtBatchController        *self);
/* The smallest size whose usable buffers cover the lateness measured. */
guint pt_batch_controller_get_floor   (PtBatchController        *self);

G_END_DECLS
