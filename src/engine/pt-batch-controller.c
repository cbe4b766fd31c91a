/* pt-batch-controller.c — the batch size that follows the load.
 *
 * Behind: a batch took longer than the target to be delivered, more than one
 * envelope waits, or more than the usable buffers are out. Then, while a
 * batch is shorter than the lateness (so several wait for each wake of the
 * main side), the size doubles (fewer, larger envelopes, and the pool's
 * buffers cover more time), at most once per GROW_HOLD_MS. Keeping up (the decaying peak of the
 * latency under half the target) for SHRINK_HOLD_MS since the last change
 * and the last time behind, it halves, towards PT_BATCH_SIZE_MIN. Never
 * below the floor: the size at which PT_BATCH_CONTROLLER_USABLE_BUFFERS
 * hold the frames that arrive during the lateness measured; a floor above
 * the size in force is asked at once, whatever the hold.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-batch-controller"

#include "config.h"

#include <math.h>

#include "pt-batch-controller.h"

static guint
round_up_to_chunk (double frames)
{
  guint chunks = (guint) ceil (frames / PT_CHUNK_SIZE);

  return MAX (chunks, 1) * PT_CHUNK_SIZE;
}

void
pt_batch_controller_init (PtBatchController *self,
                          guint              maximum,
                          double             sample_rate,
                          double             now_ms)
{
  g_return_if_fail (maximum >= PT_BATCH_SIZE_MIN && maximum <= PT_BATCH_SIZE_MAX);
  g_return_if_fail (sample_rate > 0.0);

  *self = (PtBatchController) {
    .sample_rate = sample_rate,
    .maximum = maximum,
    .size = maximum,
    .peak_time_ms = now_ms,
    .last_change_ms = now_ms,
    .last_behind_ms = now_ms,
  };
}

guint
pt_batch_controller_get_size (PtBatchController *self)
{
  return self->size;
}

guint
pt_batch_controller_get_floor (PtBatchController *self)
{
  double frames = self->peak_ms * self->sample_rate / 1000.0;
  guint floor_size = round_up_to_chunk (frames / PT_BATCH_CONTROLLER_USABLE_BUFFERS);

  return CLAMP (floor_size, PT_BATCH_SIZE_MIN, self->maximum);
}

static void
update_peak (PtBatchController *self,
             double             now_ms,
             double             latency_ms)
{
  double age = MAX (0.0, now_ms - self->peak_time_ms);

  self->peak_ms *= exp2 (-age / PT_BATCH_CONTROLLER_PEAK_HALF_LIFE_MS);
  self->peak_ms = MAX (self->peak_ms, latency_ms);
  self->peak_time_ms = now_ms;
}

static gboolean
is_behind (const PtBatchObservation *observation)
{
  return observation->latency_ms > PT_BATCH_CONTROLLER_TARGET_MS ||
         observation->queue_depth > 1 ||
         observation->pool_in_use > PT_BATCH_CONTROLLER_USABLE_BUFFERS;
}

static guint
decide (PtBatchController *self,
        double             now_ms,
        gboolean           behind)
{
  guint floor_size = pt_batch_controller_get_floor (self);
  double since_change = now_ms - self->last_change_ms;

  if (floor_size > self->size)
    return floor_size;
  /* A batch longer than the lateness already leaves one envelope per wake. */
  if (behind && since_change >= PT_BATCH_CONTROLLER_GROW_HOLD_MS &&
      self->peak_ms > self->size * 1000.0 / self->sample_rate)
    return MIN (self->size * 2, self->maximum);
  if (!behind && self->peak_ms < PT_BATCH_CONTROLLER_TARGET_MS / 2 &&
      since_change >= PT_BATCH_CONTROLLER_SHRINK_HOLD_MS &&
      now_ms - self->last_behind_ms >= PT_BATCH_CONTROLLER_SHRINK_HOLD_MS)
    return MAX (round_up_to_chunk (self->size / 2.0), floor_size);
  return self->size;
}

guint
pt_batch_controller_observe (PtBatchController        *self,
                             const PtBatchObservation *observation)
{
  gboolean behind = is_behind (observation);
  guint size;

  update_peak (self, observation->now_ms, observation->latency_ms);
  if (behind)
    self->last_behind_ms = observation->now_ms;
  if (self->pending != 0)
    return 0;

  size = decide (self, observation->now_ms, behind);
  if (size == self->size)
    return 0;
  self->pending = size;
  self->last_change_ms = observation->now_ms;
  return size;
}

void
pt_batch_controller_acknowledge (PtBatchController *self,
                                 guint              size)
{
  self->size = size;
  self->pending = 0;
}
