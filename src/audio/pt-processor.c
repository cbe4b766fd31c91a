/* pt-processor.c — the worklet.
 *
 * Each cycle: take the pending ToWorklet envelopes (try-pop, never wait) and
 * apply them; apply a new stream rate if one was handed over; while running,
 * take the chosen channel of the input (NULL is silence), replace it by the
 * test signal when that is on, add the background noise, and hand the frames
 * to the batcher, which sanitises, counts and batches them; post what it
 * produced on to_main and wake the main side once.
 *
 * In the steady state this allocates and frees nothing: batch envelopes and
 * buffers come from the pool, the pool-overflow report is an envelope
 * prepared at creation (it comes exactly when the machine is under stress),
 * and consumed to-worklet envelopes go back on the spent queue for the main
 * side to free. Replies and status changes answer the main side's own
 * messages, so they are as rare as those, and may allocate.
 *
 * The partial batch's timeout is checked at the end of every cycle, on the
 * thread that runs the cycle; when cycles stop (a paused stream), the driver
 * calls pt_processor_check_timeout from a timer of that same thread's loop
 * (PipeWire's data loop). One thread touches the batcher, so it needs no lock.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-processor"

#include "config.h"

#include <stdatomic.h>
#include <string.h>

#include "pt-noise-generator.h"
#include "pt-processor.h"
#include "pt-signal-generator.h"

struct _PtProcessor
{
  double                  sample_rate;
  PtProcessorState        state;             /* the driving thread's; published in state_now */
  PtBufferPool           *pool;
  PtBatcher               batcher;
  PtSignalGenerator       signal;
  PtNoiseGenerator        noise;
  PtTestSignalConfig      signal_config;
  PtBackgroundNoiseConfig noise_config;

  GAsyncQueue            *to_worklet;
  GAsyncQueue            *to_main;
  GAsyncQueue            *spent;             /* consumed to-worklet envelopes */
  PtProcessorWakeupFunc   wakeup_func;
  gpointer                wakeup_data;
  gboolean                posted;            /* in this cycle */

  PtEnvelope              overflow_report;   /* preallocated; its message set once */
  int                     overflow_report_busy; /* atomic: the main side still holds it */
  gboolean                overflow_reported;
  double                  last_overflow_report_ms;
  guint64                 dropped_at_last_report;

  /* Written by other threads, read at each cycle. */
  guint                   requested_rate;    /* atomic, Hz */
  int                     input_channel;     /* atomic, or PT_PROCESSOR_INPUT_MIX */
  GThread                *owner;             /* atomic: the driving thread */
  PtRing                 *monitor;           /* atomic, NULL when off */

  /* Written at each cycle, read by any thread. */
  int                     state_now;         /* atomic PtProcessorState */
  _Atomic guint64         dropped_now;

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

static void
release_overflow_report (PtEnvelope *envelope,
                         gpointer    user_data)
{
  PtProcessor *self = user_data;

  g_atomic_int_set (&self->overflow_report_busy, FALSE);
}

PtProcessor *
pt_processor_new (double  sample_rate,
                  guint64 noise_seed)
{
  PtProcessor *self;

  g_return_val_if_fail (sample_rate > 0.0, NULL);

  self = g_new0 (PtProcessor, 1);
  self->sample_rate = sample_rate;
  self->requested_rate = (guint) sample_rate;
  self->state = PT_PROCESSOR_STATE_STOPPED;
  self->input_channel = PT_PROCESSOR_INPUT_MIX;
  self->pool = pt_buffer_pool_new ();
  self->to_worklet = g_async_queue_new_full ((GDestroyNotify) pt_envelope_unref);
  self->to_main = g_async_queue_new_full ((GDestroyNotify) pt_envelope_unref);
  self->spent = g_async_queue_new_full ((GDestroyNotify) pt_envelope_unref);
  pt_envelope_init_static (&self->overflow_report, release_overflow_report, self);
  self->overflow_report.payload.error.message = g_strdup ("Buffer pool exhausted, frames dropped");
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

/* Envelopes still queued on the main side keep the pool alive; the overflow
 * report is the processor's own, so it must have come back. */
void
pt_processor_free (PtProcessor *self)
{
  if (self == NULL)
    return;

  pt_batcher_clear (&self->batcher);
  pt_signal_generator_clear (&self->signal);
  g_clear_pointer (&self->to_worklet, g_async_queue_unref);
  g_clear_pointer (&self->to_main, g_async_queue_unref);
  g_clear_pointer (&self->spent, g_async_queue_unref);
  g_assert (!g_atomic_int_get (&self->overflow_report_busy));
  g_free (self->overflow_report.payload.error.message);
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

void
pt_processor_free_spent (PtProcessor *self)
{
  PtEnvelope *envelope;

  while ((envelope = g_async_queue_try_pop (self->spent)) != NULL)
    pt_envelope_unref (envelope);
}

void
pt_processor_set_sample_rate (PtProcessor *self,
                              guint        sample_rate)
{
  g_return_if_fail (sample_rate >= PT_PROTOCOL_SAMPLE_RATE_MIN_HZ &&
                    sample_rate <= PT_PROTOCOL_SAMPLE_RATE_MAX_HZ);

  g_atomic_int_set (&self->requested_rate, sample_rate);
}

void
pt_processor_set_input_channel (PtProcessor *self,
                                int          channel)
{
  g_return_if_fail (channel >= PT_PROCESSOR_INPUT_MIX);

  g_atomic_int_set (&self->input_channel, channel);
}

void
pt_processor_set_monitor_ring (PtProcessor *self,
                               PtRing      *ring)
{
  g_atomic_pointer_set (&self->monitor, ring);
}

PtProcessorState
pt_processor_get_state (PtProcessor *self)
{
  return g_atomic_int_get (&self->state_now);
}

guint64
pt_processor_get_dropped_frames (PtProcessor *self)
{
  return atomic_load_explicit (&self->dropped_now, memory_order_relaxed);
}

void
pt_processor_release_thread (PtProcessor *self)
{
  g_atomic_pointer_set (&self->owner, NULL);
}

/* The first thread to drive the processor owns it until it is released. */
static inline void
assert_driving_thread (PtProcessor *self)
{
#ifndef G_DISABLE_ASSERT
  GThread *current = g_thread_self ();

  if (G_UNLIKELY (!g_atomic_pointer_compare_and_exchange (&self->owner, NULL, current)))
    g_assert (g_atomic_pointer_get (&self->owner) == current);
#endif
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
  g_atomic_int_set (&self->state_now, state);
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
  reply->payload.error.context.rejection.message_type = envelope->type;
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
      g_async_queue_push (self->spent, envelope);
    }
}

/* A rate handed over by another thread takes effect here, between cycles. */
static void
apply_requested_rate (PtProcessor *self,
                      double       now_ms)
{
  double rate = g_atomic_int_get (&self->requested_rate);
  char details[64];

  if (G_LIKELY (rate == self->sample_rate))
    return;

  self->sample_rate = rate;
  pt_batcher_set_sample_rate (&self->batcher, rate, now_ms);
  pt_signal_generator_set_sample_rate (&self->signal, rate, self->signal_config.frequency);
  pt_signal_generator_set_amplitude (&self->signal, self->signal_config.amplitude);
  g_snprintf (details, sizeof details, "Sample rate %.0f Hz", rate);
  post_reply (self, pt_envelope_new_status_update (self->state, details), 0, now_ms);
}

static void
report_overflow (PtProcessor *self,
                 double       now_ms)
{
  guint64 dropped = pt_batcher_get_dropped_frames (&self->batcher);
  PtEnvelope *report = &self->overflow_report;
  PtOverflowContext *context = &report->payload.error.context.overflow;

  if (dropped == self->dropped_at_last_report)
    return;
  if (self->overflow_reported &&
      now_ms - self->last_overflow_report_ms < PT_PROCESSOR_OVERFLOW_REPORT_INTERVAL_MS)
    return;
  /* The main side still holds the last one: the drops go into the next. */
  if (g_atomic_int_get (&self->overflow_report_busy))
    return;

  g_atomic_int_set (&self->overflow_report_busy, TRUE);
  pt_envelope_prepare_static (report, PT_MESSAGE_PROCESSING_ERROR, now_ms);
  report->payload.error.code = PT_WORKLET_ERROR_BUFFER_OVERFLOW;
  report->payload.error.timestamp_ms = now_ms;
  *context = (PtOverflowContext) {
    .capacity = PT_BUFFER_POOL_SIZE,
    .in_use = pt_buffer_pool_get_in_use (self->pool),
    .available = pt_buffer_pool_get_available (self->pool),
    .exhausted_count = pt_buffer_pool_get_exhausted_count (self->pool),
    .dropped_frames = dropped - self->dropped_at_last_report,
    .dropped_frames_total = dropped,
  };
  post (self, report);

  self->overflow_reported = TRUE;
  self->last_overflow_report_ms = now_ms;
  self->dropped_at_last_report = dropped;
}

/* @n frames of the chosen channel of @input (or their mix) into mix[]. */
static void
take_channel (PtProcessor *self,
              const float *input,
              guint        n_channels,
              guint        n)
{
  int channel = g_atomic_int_get (&self->input_channel);

  if (channel == PT_PROCESSOR_INPUT_MIX && n_channels > 1)
    {
      float scale = 1.0f / n_channels;

      for (guint i = 0; i < n; i++)
        {
          float sum = 0.0f;

          for (guint c = 0; c < n_channels; c++)
            sum += input[(gsize) i * n_channels + c];
          self->mix[i] = sum * scale;
        }
      return;
    }

  channel = CLAMP (channel, 0, (int) n_channels - 1);
  for (guint i = 0; i < n; i++)
    self->mix[i] = input[(gsize) i * n_channels + channel];
}

/* What is batched is what the monitor plays. */
static void
push_frames (PtProcessor *self,
             PtRing      *monitor,
             const float *frames,
             guint        n,
             double       now_ms)
{
  pt_batcher_push_frames (&self->batcher, frames, n, now_ms);
  if (monitor != NULL)
    pt_ring_write (monitor, frames, n);
}

static void
mix_and_batch (PtProcessor *self,
               const float *input,
               guint        n_frames,
               guint        n_channels,
               double       now_ms)
{
  double ms_per_frame = 1000.0 / self->sample_rate;
  gboolean generated = self->signal_config.enabled || self->noise_config.enabled;
  PtRing *monitor = g_atomic_pointer_get (&self->monitor);

  /* Mono input that nothing is added to goes to the batcher as it is. */
  if (!generated && (n_channels == 1 || input == NULL))
    {
      push_frames (self, monitor, input, n_frames, now_ms);
      return;
    }

  for (guint done = 0; done < n_frames;)
    {
      guint n = MIN (n_frames - done, G_N_ELEMENTS (self->mix));

      if (self->signal_config.enabled)
        pt_signal_generator_process (&self->signal, self->mix, n);
      else if (input != NULL)
        take_channel (self, input + (gsize) done * n_channels, n_channels, n);
      else
        memset (self->mix, 0, n * sizeof (float));

      if (self->noise_config.enabled)
        pt_noise_generator_add (&self->noise, self->mix, n);

      push_frames (self, monitor, self->mix, n, now_ms + done * ms_per_frame);
      done += n;
    }
}

static void
end_cycle (PtProcessor *self)
{
  atomic_store_explicit (&self->dropped_now, pt_batcher_get_dropped_frames (&self->batcher),
                         memory_order_relaxed);
  if (self->posted && self->wakeup_func != NULL)
    self->wakeup_func (self->wakeup_data);
  self->posted = FALSE;
}

/* One cycle of @n_frames interleaved frames of @input (NULL: silence)
 * starting at @now_ms. While stopped the input is discarded. */
void
pt_processor_process (PtProcessor *self,
                      const float *input,
                      guint        n_frames,
                      guint        n_channels,
                      double       now_ms)
{
  assert_driving_thread (self);
  g_assert (n_channels >= 1);

  apply_pending_messages (self, now_ms);
  apply_requested_rate (self, now_ms);

  if (self->state == PT_PROCESSOR_STATE_RUNNING)
    {
      pt_batcher_set_quantum (&self->batcher, n_frames);
      mix_and_batch (self, input, n_frames, n_channels, now_ms);
      pt_batcher_check_timeout (&self->batcher, now_ms);
      report_overflow (self, now_ms);
    }

  end_cycle (self);
}

/* For a timer of the driving thread's loop: input that stops still flushes. */
void
pt_processor_check_timeout (PtProcessor *self,
                            double       now_ms)
{
  assert_driving_thread (self);

  apply_pending_messages (self, now_ms);
  apply_requested_rate (self, now_ms);
  if (self->state == PT_PROCESSOR_STATE_RUNNING)
    pt_batcher_check_timeout (&self->batcher, now_ms);
  end_cycle (self);
}
