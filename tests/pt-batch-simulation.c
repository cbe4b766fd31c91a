/* pt-batch-simulation.c — the simulation. Audio cycles of PT_CHUNK_SIZE
 * frames at 48 kHz advance the clock; after each, the main side, when it is
 * free and its stall has passed, takes everything the worklet posted,
 * spending the load's cost on each batch; a batch's latency runs from its push to the end
 * of its dispatch, as the engine measures it.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pt-batch-simulation.h"

#define SAMPLE_RATE 48000.0

static void
send (PtBatchSimulation *self,
      PtEnvelope        *envelope)
{
  g_async_queue_push (pt_processor_get_to_worklet_queue (self->processor), envelope);
}

void
pt_batch_simulation_init (PtBatchSimulation *self,
                          guint              maximum)
{
  *self = (PtBatchSimulation) {
    .processor = pt_processor_new (SAMPLE_RATE, 1),
    .changes = g_array_new (FALSE, FALSE, sizeof (PtSimulatedChange)),
  };
  pt_batch_controller_init (&self->controller, maximum, SAMPLE_RATE, 0.0);
  send (self, pt_envelope_new_start_processing ());
  send (self, pt_envelope_new_update_batch_config (maximum, PT_BATCH_TIMEOUT_DEFAULT_MS, TRUE));
}

void
pt_batch_simulation_clear (PtBatchSimulation *self)
{
  GAsyncQueue *queue = pt_processor_get_to_main_queue (self->processor);
  PtEnvelope *envelope;

  while ((envelope = g_async_queue_try_pop (queue)) != NULL)
    pt_envelope_unref (envelope);
  pt_processor_free_spent (self->processor);
  g_clear_pointer (&self->processor, pt_processor_free);
  g_clear_pointer (&self->changes, g_array_unref);
}

guint
pt_batch_simulation_get_size (PtBatchSimulation *self)
{
  return pt_batch_controller_get_size (&self->controller);
}

static void
dispatch_batch (PtBatchSimulation     *self,
                const PtSimulatedLoad *load,
                PtEnvelope            *envelope)
{
  const PtAudioDataBatch *batch = &envelope->payload.batch;
  PtBatchObservation observation;
  guint size;

  self->main_free_ms += load->cost_ms;
  observation = (PtBatchObservation) {
    .now_ms = self->main_free_ms,
    .latency_ms = self->main_free_ms - envelope->timestamp_ms,
    .queue_depth = g_async_queue_length (pt_processor_get_to_main_queue (self->processor)),
    .pool_in_use = batch->pool_in_use,
  };
  self->batches++;
  self->dropped_frames = batch->dropped_frames;
  self->latency_sum_ms += observation.latency_ms;
  self->latency_max_ms = MAX (self->latency_max_ms, observation.latency_ms);

  size = pt_batch_controller_observe (&self->controller, &observation);
  if (size != 0)
    {
      PtEnvelope *update = pt_envelope_new_update_batch_config (size, PT_BATCH_TIMEOUT_DEFAULT_MS,
                                                                TRUE);
      PtSimulatedChange change = { observation.now_ms, size };

      self->pending_id = update->message_id;
      g_array_append_val (self->changes, change);
      send (self, update);
    }
}

static void
dispatch (PtBatchSimulation     *self,
          const PtSimulatedLoad *load,
          PtEnvelope            *envelope)
{
  if (envelope->type == PT_MESSAGE_AUDIO_DATA_BATCH)
    {
      dispatch_batch (self, load, envelope);
    }
  else if (envelope->type == PT_MESSAGE_CONFIG_APPLIED)
    {
      if (self->pending_id != 0 && envelope->in_reply_to == self->pending_id)
        {
          pt_batch_controller_acknowledge (&self->controller,
                                           envelope->payload.applied.batch.batch_size);
          self->pending_id = 0;
          self->acknowledged++;
        }
      else if (self->changes->len > 0)
        {
          self->unanswered++;
        }
    }
}

static void
run_main_side (PtBatchSimulation     *self,
               const PtSimulatedLoad *load)
{
  GAsyncQueue *queue = pt_processor_get_to_main_queue (self->processor);
  PtEnvelope *envelope;

  if (self->now_ms < self->main_free_ms)
    return;
  /* As the engine's dispatch: everything that is there, in one go. */
  self->main_free_ms = self->now_ms;
  while ((envelope = g_async_queue_try_pop (queue)) != NULL)
    {
      dispatch (self, load, envelope);
      pt_envelope_unref (envelope);
    }
  pt_processor_free_spent (self->processor);
  self->main_free_ms += load->stall_ms;
}

void
pt_batch_simulation_run (PtBatchSimulation     *self,
                         const PtSimulatedLoad *load,
                         double                 duration_ms)
{
  double end_ms = self->now_ms + duration_ms;
  double cycle_ms = PT_CHUNK_SIZE * 1000.0 / SAMPLE_RATE;

  while (self->now_ms < end_ms)
    {
      pt_processor_process (self->processor, NULL, PT_CHUNK_SIZE, 1, self->now_ms);
      self->now_ms += cycle_ms;
      run_main_side (self, load);
    }
}
