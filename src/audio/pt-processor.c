/* pt-processor.c — the worklet.
 *
 * Each cycle: take the pending ToWorklet envelopes (try-pop, never wait) and
 * apply them; while running, take the input (NULL is silence), replace it by
 * the test signal when that is on, add the background noise, and hand the
 * frames to the batcher, which sanitises, counts and batches them; post what
 * it produced on to_main and wake the main side once. In the steady state this
 * allocates nothing of its own: batch envelopes and buffers come from the
 * pool. Replies, errors and status changes are rare and may allocate; pool
 * exhaustion is reported at most once per PT_PROCESSOR_OVERFLOW_REPORT_INTERVAL_MS.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-processor"

#include "config.h"

#include <string.h>

#include "pt-noise-generator.h"
#include "pt-processor.h"
#include "pt-signal-generator.h"

struct _PtProcessor
{
  double                  sample_rate;
  PtProcessorState        state;
  PtBufferPool           *pool;
  PtBatcher               batcher;
  PtSignalGenerator       signal;
  PtNoiseGenerator        noise;
  PtTestSignalConfig      signal_config;
  PtBackgroundNoiseConfig noise_config;

  GAsyncQueue            *to_worklet;
  GAsyncQueue            *to_main;
  PtProcessorWakeupFunc   wakeup_func;
  gpointer                wakeup_data;
  gboolean                posted;            /* in this cycle */

  gboolean                overflow_reported;
  double                  last_overflow_report_ms;
  guint64                 dropped_at_last_report;

  float                   mix[PT_BUFFER_CAPACITY];
};

static void
post (PtProcessor *self,
      PtEnvelope  *envelope)
{
  g_async_queue_push (self->to_main, envelope);
  self->posted = TRUE;
}

static void
on_batch (PtEnvelope *batch,
          gpointer    user_data)
{
  post (user_data, batch);
}

/* Messages from the worklet carry its clock, like the batches. */
static void
post_reply (PtProcessor *self,
            PtEnvelope  *envelope,
            guint32      in_reply_to,
            double       now_ms)
{
  envelope->timestamp_ms = now_ms;
  envelope->in_reply_to = in_reply_to;
  post (self, envelope);
}

PtProcessor *
pt_processor_new (double  sample_rate,
                  guint64 noise_seed)
{
  PtProcessor *self;

  g_return_val_if_fail (sample_rate > 0.0, NULL);

  self = g_new0 (PtProcessor, 1);
  self->sample_rate = sample_rate;
  self->state = PT_PROCESSOR_STATE_STOPPED;
  self->pool = pt_buffer_pool_new ();
  self->to_worklet = g_async_queue_new_full ((GDestroyNotify) pt_envelope_unref);
  self->to_main = g_async_queue_new_full ((GDestroyNotify) pt_envelope_unref);
  pt_batcher_init (&self->batcher, self->pool, sample_rate, on_batch, self);

  pt_signal_generator_init (&self->signal, sample_rate);
  self->signal_config = (PtTestSignalConfig) {
    .enabled = FALSE,
    .waveform = PT_WAVEFORM_SINE,
    .frequency = 440.0,
    .amplitude = 0.5,
  };
  pt_signal_generator_set_amplitude (&self->signal, self->signal_config.amplitude);

  pt_noise_generator_init (&self->noise, noise_seed);
  self->noise_config = (PtBackgroundNoiseConfig) {
    .enabled = FALSE,
    .noise_type = PT_NOISE_WHITE,
    .level = 0.1,
  };
  pt_noise_generator_set_level (&self->noise, self->noise_config.level);

  return self;
}

/* Envelopes still queued on the main side keep the pool alive. */
void
pt_processor_free (PtProcessor *self)
{
  if (self == NULL)
    return;

  pt_batcher_clear (&self->batcher);
  pt_signal_generator_clear (&self->signal);
  g_clear_pointer (&self->to_worklet, g_async_queue_unref);
  g_clear_pointer (&self->to_main, g_async_queue_unref);
  g_clear_pointer (&self->pool, pt_buffer_pool_unref);
  g_free (self);
}

GAsyncQueue *
pt_processor_get_to_worklet_queue (PtProcessor *self)
{
  return self->to_worklet;
}

GAsyncQueue *
pt_processor_get_to_main_queue (PtProcessor *self)
{
  return self->to_main;
}

PtBufferPool *
pt_processor_get_pool (PtProcessor *self)
{
  return self->pool;
}

void
pt_processor_set_wakeup_func (PtProcessor           *self,
                              PtProcessorWakeupFunc  func,
                              gpointer               user_data)
{
  self->wakeup_func = func;
  self->wakeup_data = user_data;
}

PtProcessorState
pt_processor_get_state (PtProcessor *self)
{
  return self->state;
}

guint64
pt_processor_get_dropped_frames (PtProcessor *self)
{
  return pt_batcher_get_dropped_frames (&self->batcher);
}

static void
post_config_applied (PtProcessor *self,
                     guint32      in_reply_to,
                     double       now_ms)
{
  PtBatchConfig batch;

  pt_batcher_get_config (&self->batcher, &batch);
  post_reply (self,
              pt_envelope_new_config_applied (&batch, &self->signal_config,
                                              &self->noise_config, in_reply_to),
              in_reply_to, now_ms);
}

static void
set_state (PtProcessor      *self,
           PtProcessorState  state,
           const char       *details,
           guint32           in_reply_to,
           double            now_ms)
{
  self->state = state;
  post_reply (self, pt_envelope_new_status_update (state, details), in_reply_to, now_ms);
}

static void
start_processing (PtProcessor *self,
                  guint32      in_reply_to,
                  double       now_ms)
{
  PtBatchConfig batch;

  if (self->state == PT_PROCESSOR_STATE_RUNNING)
    {
      set_state (self, self->state, "Already running", in_reply_to, now_ms);
      return;
    }

  pt_batcher_get_config (&self->batcher, &batch);
  post_reply (self,
              pt_envelope_new_processor_ready (batch.batch_size, self->sample_rate, PT_CHUNK_SIZE),
              in_reply_to, now_ms);
  set_state (self, PT_PROCESSOR_STATE_RUNNING, "Processing", in_reply_to, now_ms);
}

static void
stop_processing (PtProcessor *self,
                 guint32      in_reply_to,
                 double       now_ms)
{
  if (self->state != PT_PROCESSOR_STATE_RUNNING)
    {
      set_state (self, self->state, "Not running", in_reply_to, now_ms);
      return;
    }

  /* What was captured before the stop is still delivered. */
  pt_batcher_flush (&self->batcher, now_ms);
  set_state (self, PT_PROCESSOR_STATE_STOPPED, "Stopped", in_reply_to, now_ms);
}

static void
apply_test_signal (PtProcessor              *self,
                   const PtTestSignalConfig *config)
{
  /* Switched on, it fades in from silence rather than jumping in. */
  if (config->enabled && !self->signal_config.enabled)
    {
      pt_signal_generator_jump_to_amplitude (&self->signal, 0.0);
      self->signal.phase = 0.0;
    }

  self->signal_config = *config;
  /* Frequency first: a new waveform then starts at once at the new frequency. */
  pt_signal_generator_set_frequency (&self->signal, config->frequency);
  pt_signal_generator_set_waveform (&self->signal, config->waveform);
  pt_signal_generator_set_amplitude (&self->signal, config->amplitude);
}

static void
apply_noise (PtProcessor                   *self,
             const PtBackgroundNoiseConfig *config)
{
  self->noise_config = *config;
  pt_noise_generator_set_type (&self->noise, config->noise_type);
  pt_noise_generator_set_level (&self->noise, config->level);
}

static void
reject (PtProcessor  *self,
        PtEnvelope   *envelope,
        const GError *error,
        double        now_ms)
{
  PtEnvelope *reply;

  reply = pt_envelope_new_processing_error (PT_WORKLET_ERROR_INVALID_CONFIGURATION,
                                            error->message, envelope->message_id);
  reply->payload.error.timestamp_ms = now_ms;
  pt_envelope_error_add_context (reply, "message_type",
                                 pt_message_type_to_string (envelope->type) ?: "unknown");
  post_reply (self, reply, envelope->message_id, now_ms);
}

static void
apply_message (PtProcessor *self,
               PtEnvelope  *envelope,
               double       now_ms)
{
  g_autoptr(GError) error = NULL;
  guint32 id = envelope->message_id;

  if (pt_message_type_get_direction (envelope->type) != PT_MESSAGE_DIRECTION_TO_WORKLET)
    {
      error = g_error_new (PT_PROTOCOL_ERROR, PT_PROTOCOL_ERROR_UNKNOWN_TYPE,
                           "The worklet does not accept %s messages",
                           pt_message_type_to_string (envelope->type) ?: "unknown");
      reject (self, envelope, error, now_ms);
      return;
    }

  if (!pt_envelope_validate (envelope, self->sample_rate, &error))
    {
      reject (self, envelope, error, now_ms);
      return;
    }

  switch (envelope->type)
    {
    case PT_MESSAGE_START_PROCESSING:
      start_processing (self, id, now_ms);
      break;

    case PT_MESSAGE_STOP_PROCESSING:
      stop_processing (self, id, now_ms);
      break;

    case PT_MESSAGE_UPDATE_BATCH_CONFIG:
      pt_batcher_set_config (&self->batcher, &envelope->payload.batch_config, now_ms);
      post_config_applied (self, id, now_ms);
      break;

    case PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG:
      apply_test_signal (self, &envelope->payload.test_signal);
      post_config_applied (self, id, now_ms);
      break;

    case PT_MESSAGE_UPDATE_BACKGROUND_NOISE_CONFIG:
      apply_noise (self, &envelope->payload.noise);
      post_config_applied (self, id, now_ms);
      break;

    case PT_MESSAGE_PROCESSOR_READY:
    case PT_MESSAGE_AUDIO_DATA_BATCH:
    case PT_MESSAGE_PROCESSING_ERROR:
    case PT_MESSAGE_STATUS_UPDATE:
    case PT_MESSAGE_CONFIG_APPLIED:
    default:
      g_assert_not_reached ();
    }
}

static void
apply_pending_messages (PtProcessor *self,
                        double       now_ms)
{
  PtEnvelope *envelope;

  while ((envelope = g_async_queue_try_pop (self->to_worklet)) != NULL)
    {
      apply_message (self, envelope, now_ms);
      pt_envelope_unref (envelope);
    }
}

static void
report_overflow (PtProcessor *self,
                 double       now_ms)
{
  guint64 dropped = pt_batcher_get_dropped_frames (&self->batcher);
  PtEnvelope *error;
  char value[32];

  if (dropped == self->dropped_at_last_report)
    return;
  if (self->overflow_reported &&
      now_ms - self->last_overflow_report_ms < PT_PROCESSOR_OVERFLOW_REPORT_INTERVAL_MS)
    return;

  error = pt_envelope_new_processing_error (PT_WORKLET_ERROR_BUFFER_OVERFLOW,
                                            "Buffer pool exhausted, frames dropped", 0);
  error->payload.error.timestamp_ms = now_ms;
#define ADD_CONTEXT(key, format, number) \
  g_snprintf (value, sizeof value, format, number); \
  pt_envelope_error_add_context (error, key, value)
  ADD_CONTEXT ("capacity", "%u", (guint) PT_BUFFER_POOL_SIZE);
  ADD_CONTEXT ("in_use", "%u", pt_buffer_pool_get_in_use (self->pool));
  ADD_CONTEXT ("available", "%u", pt_buffer_pool_get_available (self->pool));
  ADD_CONTEXT ("exhausted_count", "%u", pt_buffer_pool_get_exhausted_count (self->pool));
  ADD_CONTEXT ("dropped_frames", "%" G_GUINT64_FORMAT, dropped - self->dropped_at_last_report);
  ADD_CONTEXT ("dropped_frames_total", "%" G_GUINT64_FORMAT, dropped);
#undef ADD_CONTEXT
  post_reply (self, error, 0, now_ms);

  self->overflow_reported = TRUE;
  self->last_overflow_report_ms = now_ms;
  self->dropped_at_last_report = dropped;
}

static void
mix_and_batch (PtProcessor *self,
               const float *input,
               guint        n_frames,
               double       now_ms)
{
  double ms_per_frame = 1000.0 / self->sample_rate;

  if (!self->signal_config.enabled && !self->noise_config.enabled)
    {
      pt_batcher_push_frames (&self->batcher, input, n_frames, now_ms);
      return;
    }

  for (guint done = 0; done < n_frames;)
    {
      guint n = MIN (n_frames - done, G_N_ELEMENTS (self->mix));

      if (self->signal_config.enabled)
        pt_signal_generator_process (&self->signal, self->mix, n);
      else if (input != NULL)
        memcpy (self->mix, input + done, n * sizeof (float));
      else
        memset (self->mix, 0, n * sizeof (float));

      if (self->noise_config.enabled)
        pt_noise_generator_add (&self->noise, self->mix, n);

      pt_batcher_push_frames (&self->batcher, self->mix, n, now_ms + done * ms_per_frame);
      done += n;
    }
}

static void
end_cycle (PtProcessor *self)
{
  if (self->posted && self->wakeup_func != NULL)
    self->wakeup_func (self->wakeup_data);
  self->posted = FALSE;
}

/* One cycle of @n_frames frames of @input (NULL: silence) starting at @now_ms.
 * While stopped the input is discarded. */
void
pt_processor_process (PtProcessor *self,
                      const float *input,
                      guint        n_frames,
                      double       now_ms)
{
  apply_pending_messages (self, now_ms);

  if (self->state == PT_PROCESSOR_STATE_RUNNING)
    {
      pt_batcher_set_quantum (&self->batcher, n_frames);
      mix_and_batch (self, input, n_frames, now_ms);
      pt_batcher_check_timeout (&self->batcher, now_ms);
      report_overflow (self, now_ms);
    }

  end_cycle (self);
}

/* For a timer of the audio thread's loop: input that stops still flushes. */
void
pt_processor_check_timeout (PtProcessor *self,
                            double       now_ms)
{
  apply_pending_messages (self, now_ms);
  if (self->state == PT_PROCESSOR_STATE_RUNNING)
    pt_batcher_check_timeout (&self->batcher, now_ms);
  end_cycle (self);
}
