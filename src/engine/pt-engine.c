/* pt-engine.c — the engine.
 *
 * Who drives the processor. Exactly one of: nobody (stopped: a message sent
 * then is applied at once by a cycle run here, so every request is still
 * answered), the clock source (no server, or no device yet), or the capture
 * stream (a device is streaming). set_driver() hands over in that order —
 * the old driver is stopped and has released the processor before the new
 * one starts — so two threads never drive it at once.
 *
 * The device. The wanted device is the capture's target, pinned where
 * WirePlumber keeps it (see pt-capture.c); the capture reports the node it
 * is really linked to and which sources exist. When the wanted device goes,
 * WirePlumber relinks the stream to the default and we say DeviceLost; when
 * it comes back, WirePlumber moves the stream back to it.
 *
 * Playback. The monitor (what the worklet analyses, through a ring it
 * fills) and the drone play through one PtPlayback stream, connected while
 * either is on (the drone until it has faded out). When the sink the
 * playback is linked to is the node the capture listens to (its monitor),
 * the monitor would feed back into itself: it is refused, silenced, and an
 * InvalidConfiguration error says why, until the graph changes.
 *
 * Adaptive batching. With `adaptive`, the configured batch size is the
 * largest; each delivered batch feeds PtBatchController, and each size it
 * decides is sent as an UpdateBatchConfig and acknowledged by the worklet's
 * ConfigApplied before the next may be.
 *
 * Dispatch. A GSource on the thread-default main context at construction,
 * ready whenever the to-main queue is not empty; the audio side wakes the
 * context after a cycle that posted, so nothing polls. Each envelope is
 * validated before dispatch (an invalid one is counted and reported, never
 * dispatched); a batch is dropped, so its buffer returns to the pool, once
 * the hub and every "batch" handler have seen it.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-engine"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pt-batch-controller.h"
#include "pt-capture.h"
#include "pt-clock-source.h"
#include "pt-debug-analyzer.h"
#include "pt-engine.h"
#include "pt-playback.h"
#include "pt-base-enum-types.h"
#include "pt-engine-enum-types.h"
#include "pt-processor.h"
#include "pt-source.h"
#include "pt-stats.h"

#define DEFAULT_SAMPLE_RATE   48000.0
#define RECONNECT_FIRST_MS    100
#define RECONNECT_MAX_MS      5000
/* Room for a stall of the playback: more than its latency bound. */
#define MONITOR_RING_FRAMES   16384
#define DRONE_DEFAULT_VOLUME  0.5
#define DRONE_DEFAULT_OCTAVE  4
#define DRONE_NOTE_TONIC      (-1)

typedef enum
{
  DRIVER_NONE,
  DRIVER_CLOCK,
  DRIVER_CAPTURE,
} Driver;

typedef struct
{
  GSource   source;
  PtEngine *engine;
} DispatchSource;

struct _PtEngine
{
  GObject           parent_instance;

  GMainContext     *context;
  PtProcessor      *processor;
  GSource          *dispatch;
  PtCapture        *capture;
  PtClockSource    *clock;
  Driver            driver;

  PtHub            *hub;
  PtVolumeDetector *volume;
  PtPitchAnalyzer  *pitch;

  gboolean          started;
  PtEngineState     state;
  char             *device;
  gboolean          device_present;
  int               input_channel;
  double            sample_rate;
  guint             batch_size;

  GSource          *reconnect;
  guint             reconnect_ms;
  guint             reconnect_max_ms;

  gboolean          adaptive;
  guint             batch_timeout_ms;
  guint32           batch_request;     /* the adaptive change waiting for its ConfigApplied */
  PtBatchController batching;

  PtPlayback       *playback;
  PtRing            monitor_ring;
  PtDrone           drone;
  GSource          *drone_fade;        /* re-checks the playback once the drone faded out */
  gboolean          monitor;
  gboolean          monitor_refused;
  gboolean          drone_enabled;
  PtDroneWaveform   drone_waveform;
  double            drone_volume;
  int               drone_octave;
  int               drone_note;

  PtEngineMetrics   metrics;
  gboolean          have_sequence;
  guint64           last_sequence;
  double            latency_sum_ms;
  double            latencies[PT_ENGINE_LATENCY_WINDOW];
};

G_DEFINE_FINAL_TYPE (PtEngine, pt_engine, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (PtEngineMetrics, pt_engine_metrics, pt_engine_metrics_copy,
                     pt_engine_metrics_free)

enum {
  PROP_0,
  PROP_STATE,
  PROP_DEVICE,
  PROP_LINKED_DEVICE,
  PROP_INPUT_CHANNEL,
  PROP_SAMPLE_RATE,
  PROP_BATCH_SIZE,
  PROP_ADAPTIVE,
  PROP_HUB,
  PROP_MONITOR,
  PROP_MONITOR_REFUSED,
  PROP_DRONE_ENABLED,
  PROP_DRONE_WAVEFORM,
  PROP_DRONE_VOLUME,
  PROP_DRONE_OCTAVE,
  PROP_DRONE_NOTE,
  PROP_DRONE_FREQUENCY,
  N_PROPS
};

enum {
  SIGNAL_BATCH,
  SIGNAL_ERROR,
  SIGNAL_STATUS,
  SIGNAL_MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void update_driver (PtEngine *self);
static void sync_playback (PtEngine *self);

PtEngineMetrics *
pt_engine_metrics_copy (const PtEngineMetrics *metrics)
{
  return g_memdup2 (metrics, sizeof *metrics);
}

void
pt_engine_metrics_free (PtEngineMetrics *metrics)
{
  g_free (metrics);
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* Sending. */

static guint32
send (PtEngine   *self,
      PtEnvelope *envelope)
{
  guint32 id = envelope->message_id;

  self->metrics.envelopes_out[envelope->type]++;
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, envelope, TRUE);
  g_async_queue_push (pt_processor_get_to_worklet_queue (self->processor), envelope);

  /* Nobody drives the processor: run one cycle here so it answers. */
  if (self->driver == DRIVER_NONE)
    {
      pt_processor_check_timeout (self->processor, now_ms ());
      pt_processor_release_thread (self->processor);
    }
  return id;
}

/* Errors the engine itself finds (a lost device, a lost server) travel the
 * same way as the worklet's: one envelope, one "error" signal. */
static void
report_error (PtEngine   *self,
              PtEnvelope *envelope)
{
  g_autoptr(GError) error = pt_processing_error_to_gerror (&envelope->payload.error);

  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, envelope, FALSE);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
  pt_envelope_unref (envelope);
}

/* Driving. */

static void
set_driver (PtEngine *self,
            Driver    driver)
{
  if (driver == self->driver)
    return;

  if (self->driver == DRIVER_CLOCK)
    g_clear_pointer (&self->clock, pt_clock_source_free);
  else if (self->driver == DRIVER_CAPTURE && self->capture != NULL)
    pt_capture_set_driving (self->capture, FALSE);
  self->driver = DRIVER_NONE;

  if (driver == DRIVER_CLOCK)
    self->clock = pt_clock_source_new (self->processor, self->sample_rate);
  else if (driver == DRIVER_CAPTURE)
    pt_capture_set_driving (self->capture, TRUE);
  self->driver = driver;
}

static void
set_state (PtEngine      *self,
           PtEngineState  state)
{
  if (state == self->state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
update_driver (PtEngine *self)
{
  PtCaptureState capture = self->capture != NULL ? pt_capture_get_state (self->capture)
                                                 : PT_CAPTURE_STATE_DISCONNECTED;

  if (!self->started)
    {
      set_driver (self, DRIVER_NONE);
      set_state (self, PT_ENGINE_STATE_STOPPED);
    }
  else if (capture == PT_CAPTURE_STATE_STREAMING)
    {
      set_driver (self, DRIVER_CAPTURE);
      set_state (self, PT_ENGINE_STATE_RUNNING);
    }
  else
    {
      set_driver (self, DRIVER_CLOCK);
      set_state (self, capture == PT_CAPTURE_STATE_DISCONNECTED ? PT_ENGINE_STATE_FALLBACK
                                                                : PT_ENGINE_STATE_WAITING_FOR_DEVICE);
    }
  sync_playback (self);
}

/* The server. */

static gboolean connect_capture (PtEngine *self);

static gboolean
on_reconnect_timeout (gpointer user_data)
{
  PtEngine *self = user_data;

  g_clear_pointer (&self->reconnect, g_source_unref);
  if (!connect_capture (self))
    {
      self->reconnect_ms = MIN (self->reconnect_ms * 2, self->reconnect_max_ms);
      self->reconnect = pt_timeout_attach (self->reconnect_ms, on_reconnect_timeout, self);
    }
  return G_SOURCE_REMOVE;
}

static void
server_lost (PtEngine   *self,
             const char *message)
{
  report_error (self, pt_envelope_new_processing_error (PT_WORKLET_ERROR_SERVER_DISCONNECTED,
                                                        message, 0));
  self->device_present = FALSE;
  pt_playback_disconnect (self->playback);
  update_driver (self);
  if (self->reconnect == NULL)
    {
      self->reconnect_ms = RECONNECT_FIRST_MS;
      self->reconnect = pt_timeout_attach (self->reconnect_ms, on_reconnect_timeout, self);
    }
}

static void
on_server_lost (PtCapture *capture,
                PtEngine  *self)
{
  server_lost (self, _("The PipeWire server went away"));
}

static gboolean
connect_capture (PtEngine *self)
{
  g_autoptr(GError) error = NULL;

  if (pt_capture_connect (self->capture, self->device, &error))
    {
      self->reconnect_ms = RECONNECT_FIRST_MS;
      update_driver (self);
      return TRUE;
    }
  return FALSE;
}

/* The device. */


static gboolean
wants_explicit_device (PtEngine *self)
{
  return self->device != NULL && *self->device != '\0';
}

static void
follow_device (PtEngine *self)
{
  gboolean present;

  if (!wants_explicit_device (self) || pt_capture_get_state (self->capture) ==
      PT_CAPTURE_STATE_DISCONNECTED)
    return;

  present = pt_capture_has_source (self->capture, self->device);
  if (self->device_present && !present)
    {
      g_autofree char *message = g_strdup_printf (_("The input device “%s” went away"),
                                                  self->device);

      report_error (self, pt_envelope_new_device_lost (self->device, message));
    }
  self->device_present = present;
}

static void
on_capture_state (PtEngine *self)
{
  update_driver (self);
}

static void
on_capture_linked (PtEngine *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINKED_DEVICE]);
  follow_device (self);
}

/* Playback. */

static gboolean
monitor_plays (PtEngine *self)
{
  return self->monitor && self->started && !self->monitor_refused;
}

static gboolean
on_drone_faded (gpointer user_data)
{
  PtEngine *self = user_data;

  g_clear_pointer (&self->drone_fade, g_source_unref);
  sync_playback (self);
  return G_SOURCE_REMOVE;
}

/* Connected while the monitor or the drone sounds (the drone until it has
 * faded out); a new rate is a new stream. */
static void
sync_playback (PtEngine *self)
{
  gboolean sounds = (self->monitor && self->started) || self->drone_enabled;
  gboolean connected = pt_playback_is_connected (self->playback);
  gboolean wanted;

  /* With no stream, nothing plays a fade-out. */
  if (!connected && !self->drone_enabled)
    pt_drone_reset (&self->drone);
  wanted = sounds || !pt_drone_is_silent (&self->drone);

  pt_playback_set_monitor (self->playback, monitor_plays (self));
  pt_processor_set_monitor_ring (self->processor,
                                 monitor_plays (self) ? &self->monitor_ring : NULL);
  if (connected && (!wanted || pt_playback_get_sample_rate (self->playback) !=
                    (guint) self->sample_rate))
    {
      pt_playback_disconnect (self->playback);
      connected = FALSE;
    }
  /* A server out of reach is tried again at the next change; the capture's
   * reconnection is one. */
  if (wanted && !connected)
    connected = pt_playback_connect (self->playback, (guint) self->sample_rate, NULL);

  if (connected && !sounds && self->drone_fade == NULL)
    self->drone_fade = pt_timeout_attach ((guint) PT_DRONE_FADE_MS, on_drone_faded, self);
}

/* The monitor playing into the sink whose monitor we capture would feed back. */
static void
check_feedback (PtEngine *self)
{
  const char *sink = pt_capture_get_playback_sink (self->capture);
  gboolean refused = self->monitor && sink != NULL &&
                     g_strcmp0 (sink, pt_capture_get_linked_device (self->capture)) == 0;

  if (refused == self->monitor_refused)
    return;
  self->monitor_refused = refused;
  if (refused)
    {
      g_autofree char *message =
        g_strdup_printf (_("The monitor is off: it would play into “%s”, whose sound is the "
                           "input being analysed, and feed back into itself"), sink);

      g_autoptr(PtEnvelope) envelope =
        pt_envelope_new_processing_error (PT_WORKLET_ERROR_INVALID_CONFIGURATION, message, 0);
      g_autoptr(GError) error = g_error_new_literal (PT_WORKLET_ERROR,
                                                     PT_WORKLET_ERROR_INVALID_CONFIGURATION,
                                                     message);

      /* Not a message refused, so the GError names none. */
      g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, envelope, FALSE);
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
    }
  sync_playback (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR_REFUSED]);
}

static void
on_playback_node (PtEngine *self)
{
  pt_capture_set_playback_node (self->capture, pt_playback_get_node_id (self->playback));
}

/* The drone's note in the pitch analyser's tuning, reference and transposition. */
static double
drone_frequency (PtEngine *self)
{
  PtNoteSettings settings;
  int pitch_class;

  pt_pitch_analyzer_get_note_settings (self->pitch, &settings);
  pitch_class = self->drone_note == DRONE_NOTE_TONIC ? settings.tonic : self->drone_note;
  return pt_note_frequency_of_note (12 * (self->drone_octave + 1) + pitch_class, &settings);
}

static void
update_drone (PtEngine *self)
{
  pt_drone_set_frequency (&self->drone, drone_frequency (self));
  pt_drone_set_volume (&self->drone, self->drone_volume);
  pt_drone_set_waveform (&self->drone, self->drone_waveform);
  pt_drone_set_enabled (&self->drone, self->drone_enabled);
  sync_playback (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRONE_FREQUENCY]);
}

/* Adaptive batching. */

static void
set_batch_size (PtEngine *self,
                guint     batch_size)
{
  if (batch_size == self->batch_size)
    return;
  self->batch_size = batch_size;
  /* A block never needs to be shorter than the batch it fills: a batch
   * leaves when full, so larger blocks cost no latency and wake the
   * audio thread fewer times. */
  pt_capture_set_latency (self->capture, batch_size);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH_SIZE]);
}

static void
adapt_batch (PtEngine               *self,
             const PtAudioDataBatch *batch,
             double                  latency_ms)
{
  PtBatchObservation observation = {
    .now_ms = now_ms (),
    .latency_ms = latency_ms,
    .queue_depth = g_async_queue_length (pt_processor_get_to_main_queue (self->processor)),
    .pool_in_use = batch->pool_in_use,
  };
  guint size = pt_batch_controller_observe (&self->batching, &observation);

  if (size != 0)
    self->batch_request = send (self, pt_envelope_new_update_batch_config (size,
                                                                           self->batch_timeout_ms,
                                                                           TRUE));
}

static void
batch_config_applied (PtEngine   *self,
                      PtEnvelope *envelope)
{
  guint size = envelope->payload.applied.batch.batch_size;

  if (self->adaptive && envelope->in_reply_to == self->batch_request)
    pt_batch_controller_acknowledge (&self->batching, size);
  set_batch_size (self, size);
}

/* Dispatch. */

static void
record_latency (PtEngine *self,
                double    latency_ms)
{
  PtEngineMetrics *m = &self->metrics;

  self->latencies[m->batches % PT_ENGINE_LATENCY_WINDOW] = latency_ms;
  self->latency_sum_ms += latency_ms;
  m->latency_last_ms = latency_ms;
  m->latency_mean_ms = self->latency_sum_ms / m->batches;
  m->latency_max_ms = MAX (m->latency_max_ms, latency_ms);
}

static void
count_batch (PtEngine               *self,
             const PtAudioDataBatch *batch)
{
  PtEngineMetrics *m = &self->metrics;

  m->batches++;
  if (self->have_sequence && batch->sequence_number != self->last_sequence + 1)
    m->sequence_gaps++;
  self->have_sequence = TRUE;
  self->last_sequence = batch->sequence_number;
  m->dropped_frames = batch->dropped_frames;
  m->pool_in_use = batch->pool_in_use;
  m->pool_available = batch->pool_available;
  m->pool_high_water = MAX (m->pool_high_water, batch->pool_in_use);

  if (batch->sample_rate != self->sample_rate)
    {
      self->sample_rate = batch->sample_rate;
      sync_playback (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLE_RATE]);
    }
}

static void
dispatch_batch (PtEngine   *self,
                PtEnvelope *envelope)
{
  const PtAudioDataBatch *batch = &envelope->payload.batch;
  PtAnalysisBatch analysis = {
    .samples = batch->samples,
    .n_samples = batch->sample_count,
    .sample_rate = batch->sample_rate,
    .first_frame = batch->first_frame,
    .clipped_count = batch->clipped_count,
    .nonfinite_count = batch->nonfinite_count,
  };
  double latency_ms;

  count_batch (self, batch);
  pt_hub_process_batch (self->hub, &analysis);
  g_signal_emit (self, signals[SIGNAL_BATCH], 0, envelope);
  latency_ms = now_ms () - envelope->timestamp_ms;
  record_latency (self, latency_ms);
  if (self->adaptive)
    adapt_batch (self, batch, latency_ms);
}

static void
dispatch_envelope (PtEngine   *self,
                   PtEnvelope *envelope)
{
  g_autoptr(GError) error = NULL;

  if (!pt_envelope_validate (envelope, 0.0, &error))
    {
      self->metrics.invalid_envelopes++;
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
      return;
    }

  self->metrics.envelopes_in[envelope->type]++;
  if (envelope->type != PT_MESSAGE_AUDIO_DATA_BATCH)
    g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, envelope, FALSE);

  switch (envelope->type)
    {
    case PT_MESSAGE_AUDIO_DATA_BATCH:
      dispatch_batch (self, envelope);
      break;
    case PT_MESSAGE_PROCESSOR_READY:
      set_batch_size (self, envelope->payload.ready.batch_size);
      break;
    case PT_MESSAGE_CONFIG_APPLIED:
      batch_config_applied (self, envelope);
      break;
    case PT_MESSAGE_STATUS_UPDATE:
      g_signal_emit (self, signals[SIGNAL_STATUS], 0, envelope->payload.status.state,
                     envelope->payload.status.details);
      break;
    case PT_MESSAGE_PROCESSING_ERROR:
      error = pt_processing_error_to_gerror (&envelope->payload.error);
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
      break;
    case PT_MESSAGE_START_PROCESSING:
    case PT_MESSAGE_STOP_PROCESSING:
    case PT_MESSAGE_UPDATE_BATCH_CONFIG:
    case PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG:
    case PT_MESSAGE_UPDATE_BACKGROUND_NOISE_CONFIG:
    default:
      /* A message for the worklet on its way back: validation checks the
       * fields, not the direction. */
      self->metrics.invalid_envelopes++;
      break;
    }
}

static gboolean
dispatch_source_ready (GSource *source)
{
  PtEngine *engine = ((DispatchSource *) source)->engine;

  return g_async_queue_length (pt_processor_get_to_main_queue (engine->processor)) > 0;
}

static gboolean
dispatch_source_prepare (GSource *source,
                         int     *timeout)
{
  *timeout = -1;
  return dispatch_source_ready (source);
}

static gboolean
dispatch_source_dispatch (GSource     *source,
                          GSourceFunc  callback,
                          gpointer     user_data)
{
  PtEngine *self = ((DispatchSource *) source)->engine;
  GAsyncQueue *queue = pt_processor_get_to_main_queue (self->processor);
  PtEnvelope *envelope;

  g_object_ref (self);
  while ((envelope = g_async_queue_try_pop (queue)) != NULL)
    {
      self->metrics.queue_depth = g_async_queue_length (queue);
      dispatch_envelope (self, envelope);
      pt_envelope_unref (envelope);
    }
  pt_processor_free_spent (self->processor);
  g_object_unref (self);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs dispatch_source_funcs = {
  .prepare = dispatch_source_prepare,
  .check = dispatch_source_ready,
  .dispatch = dispatch_source_dispatch,
};

static void
wake_context (gpointer user_data)
{
  g_main_context_wakeup (user_data);
}

/* Public API. */

PtEngine *
pt_engine_new (void)
{
  return g_object_new (PT_TYPE_ENGINE, NULL);
}

void
pt_engine_start (PtEngine *self)
{
  g_return_if_fail (PT_IS_ENGINE (self));

  if (self->started)
    return;

  self->started = TRUE;
  send (self, pt_envelope_new_start_processing ());
  if (!connect_capture (self))
    server_lost (self, _("Cannot reach the PipeWire server"));
}

void
pt_engine_stop (PtEngine *self)
{
  g_return_if_fail (PT_IS_ENGINE (self));

  if (!self->started)
    return;

  self->started = FALSE;
  pt_clear_source (&self->reconnect);
  update_driver (self);
  pt_capture_disconnect (self->capture);
  self->device_present = FALSE;
  send (self, pt_envelope_new_stop_processing ());
}

PtEngineState
pt_engine_get_state (PtEngine *self)
{
  g_return_val_if_fail (PT_IS_ENGINE (self), PT_ENGINE_STATE_ERROR);
  return self->state;
}

const char *
pt_engine_get_device (PtEngine *self)
{
  g_return_val_if_fail (PT_IS_ENGINE (self), NULL);
  return self->device;
}

void
pt_engine_set_device (PtEngine   *self,
                      const char *device)
{
  g_return_if_fail (PT_IS_ENGINE (self));

  if (device == NULL)
    device = "";
  if (g_strcmp0 (device, self->device) == 0)
    return;

  g_free (self->device);
  self->device = g_strdup (device);
  self->device_present = wants_explicit_device (self) &&
                         pt_capture_has_source (self->capture, self->device);
  /* A new stream: the clock source drives meanwhile. */
  if (self->driver == DRIVER_CAPTURE)
    set_driver (self, DRIVER_CLOCK);
  pt_capture_set_target (self->capture, self->device);
  update_driver (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE]);
}

const char *
pt_engine_get_linked_device (PtEngine *self)
{
  g_return_val_if_fail (PT_IS_ENGINE (self), NULL);
  return pt_capture_get_linked_device (self->capture);
}

int
pt_engine_get_input_channel (PtEngine *self)
{
  g_return_val_if_fail (PT_IS_ENGINE (self), PT_PROCESSOR_INPUT_MIX);
  return self->input_channel;
}

void
pt_engine_set_input_channel (PtEngine *self,
                             int       channel)
{
  g_return_if_fail (PT_IS_ENGINE (self));
  g_return_if_fail (channel >= PT_PROCESSOR_INPUT_MIX);

  if (channel == self->input_channel)
    return;
  self->input_channel = channel;
  pt_processor_set_input_channel (self->processor, channel);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INPUT_CHANNEL]);
}

double
pt_engine_get_sample_rate (PtEngine *self)
{
  g_return_val_if_fail (PT_IS_ENGINE (self), 0.0);
  return self->sample_rate;
}

guint
pt_engine_get_batch_size (PtEngine *self)
{
  g_return_val_if_fail (PT_IS_ENGINE (self), 0);
  return self->batch_size;
}

guint32
pt_engine_configure_batch (PtEngine *self,
                           guint     batch_size,
                           guint     timeout_ms,
                           gboolean  adaptive)
{
  guint32 id;

  g_return_val_if_fail (PT_IS_ENGINE (self), 0);

  /* Adaptive, the configured size is the largest, and the first. One the
   * worklet refuses changes nothing here either. */
  id = send (self, pt_envelope_new_update_batch_config (batch_size, timeout_ms, adaptive));
  if (batch_size < PT_BATCH_SIZE_MIN || batch_size > PT_BATCH_SIZE_MAX ||
      batch_size % PT_CHUNK_SIZE != 0)
    return id;
  self->batch_timeout_ms = timeout_ms;
  self->batch_request = id;
  if (adaptive)
    pt_batch_controller_init (&self->batching, batch_size, self->sample_rate, now_ms ());
  if (!adaptive != !self->adaptive)
    {
      self->adaptive = adaptive;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADAPTIVE]);
    }
  return id;
}

gboolean
pt_engine_get_adaptive (PtEngine *self)
{
  g_return_val_if_fail (PT_IS_ENGINE (self), FALSE);
  return self->adaptive;
}

gboolean
pt_engine_get_monitor (PtEngine *self)
{
  g_return_val_if_fail (PT_IS_ENGINE (self), FALSE);
  return self->monitor;
}

void
pt_engine_set_monitor (PtEngine *self,
                       gboolean  monitor)
{
  g_return_if_fail (PT_IS_ENGINE (self));

  if (!monitor == !self->monitor)
    return;
  self->monitor = monitor;
  check_feedback (self);
  sync_playback (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}

gboolean
pt_engine_get_monitor_refused (PtEngine *self)
{
  g_return_val_if_fail (PT_IS_ENGINE (self), FALSE);
  return self->monitor_refused;
}

gboolean
pt_engine_get_drone_enabled (PtEngine *self)
{
  g_return_val_if_fail (PT_IS_ENGINE (self), FALSE);
  return self->drone_enabled;
}

void
pt_engine_set_drone_enabled (PtEngine *self,
                             gboolean  enabled)
{
  g_return_if_fail (PT_IS_ENGINE (self));

  if (!enabled == !self->drone_enabled)
    return;
  self->drone_enabled = enabled;
  update_drone (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRONE_ENABLED]);
}

double
pt_engine_get_drone_frequency (PtEngine *self)
{
  g_return_val_if_fail (PT_IS_ENGINE (self), 0.0);
  return drone_frequency (self);
}

gboolean
pt_engine_get_drone_silent (PtEngine *self)
{
  g_return_val_if_fail (PT_IS_ENGINE (self), TRUE);
  return pt_drone_is_silent (&self->drone);
}

guint32
pt_engine_configure_test_signal (PtEngine                 *self,
                                 const PtTestSignalConfig *config)
{
  g_return_val_if_fail (PT_IS_ENGINE (self), 0);
  g_return_val_if_fail (config != NULL, 0);
  return send (self, pt_envelope_new_update_test_signal_config (config->enabled,
                                                                config->waveform,
                                                                config->frequency,
                                                                config->amplitude));
}

guint32
pt_engine_configure_noise (PtEngine                      *self,
                           const PtBackgroundNoiseConfig *config)
{
  g_return_val_if_fail (PT_IS_ENGINE (self), 0);
  g_return_val_if_fail (config != NULL, 0);
  return send (self, pt_envelope_new_update_background_noise_config (config->enabled,
                                                                     config->noise_type,
                                                                     config->level));
}

PtHub *
pt_engine_get_hub (PtEngine *self)
{
  g_return_val_if_fail (PT_IS_ENGINE (self), NULL);
  return self->hub;
}

PtPitchAnalyzer *
pt_engine_get_pitch_analyzer (PtEngine *self)
{
  g_return_val_if_fail (PT_IS_ENGINE (self), NULL);
  return self->pitch;
}

PtVolumeDetector *
pt_engine_get_volume_detector (PtEngine *self)
{
  g_return_val_if_fail (PT_IS_ENGINE (self), NULL);
  return self->volume;
}

PtEngineMetrics *
pt_engine_get_metrics (PtEngine *self)
{
  PtEngineMetrics *metrics;
  guint n;
  double sorted[PT_ENGINE_LATENCY_WINDOW];

  g_return_val_if_fail (PT_IS_ENGINE (self), NULL);

  metrics = pt_engine_metrics_copy (&self->metrics);
  metrics->queue_depth = g_async_queue_length (pt_processor_get_to_main_queue (self->processor));
  metrics->quantum = pt_capture_get_quantum (self->capture);
  /* Live, even while no batch gets through. */
  metrics->dropped_frames = pt_processor_get_dropped_frames (self->processor);
  n = (guint) MIN (self->metrics.batches, PT_ENGINE_LATENCY_WINDOW);
  if (n > 0)
    {
      memcpy (sorted, self->latencies, n * sizeof (double));
      metrics->latency_p99_ms = pt_quantile (sorted, n, 0.99);
    }
  return metrics;
}

void
pt_engine_set_reconnect_max_ms (PtEngine *self,
                                guint     max_ms)
{
  g_return_if_fail (PT_IS_ENGINE (self));
  self->reconnect_max_ms = MAX (max_ms, RECONNECT_FIRST_MS);
}

/* GObject. */

static void
pt_engine_dispose (GObject *object)
{
  PtEngine *self = PT_ENGINE (object);

  pt_clear_source (&self->reconnect);
  pt_clear_source (&self->drone_fade);
  self->started = FALSE;
  if (self->processor != NULL)
    {
      set_driver (self, DRIVER_NONE);
      pt_processor_set_monitor_ring (self->processor, NULL);
    }
  /* The streams end now, not at their objects' own dispose: an event on its
   * way to the main context may hold them longer, and they use our
   * processor, ring and drone. */
  if (self->playback != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->playback, self);
      pt_playback_disconnect (self->playback);
    }
  g_clear_object (&self->playback);
  if (self->capture != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->capture, self);
      pt_capture_disconnect (self->capture);
    }
  g_clear_object (&self->capture);
  pt_clear_source (&self->dispatch);
  g_clear_object (&self->hub);
  g_clear_object (&self->volume);
  /* Others may hold the analyser longer. */
  if (self->pitch != NULL)
    g_signal_handlers_disconnect_by_data (self->pitch, self);
  g_clear_object (&self->pitch);

  G_OBJECT_CLASS (pt_engine_parent_class)->dispose (object);
}

static void
pt_engine_finalize (GObject *object)
{
  PtEngine *self = PT_ENGINE (object);

  g_clear_pointer (&self->processor, pt_processor_free);
  pt_ring_clear (&self->monitor_ring);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->device);

  G_OBJECT_CLASS (pt_engine_parent_class)->finalize (object);
}

static void
pt_engine_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PtEngine *self = PT_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_DEVICE:
      g_value_set_string (value, self->device);
      break;
    case PROP_LINKED_DEVICE:
      g_value_set_string (value, pt_engine_get_linked_device (self));
      break;
    case PROP_INPUT_CHANNEL:
      g_value_set_int (value, self->input_channel);
      break;
    case PROP_SAMPLE_RATE:
      g_value_set_double (value, self->sample_rate);
      break;
    case PROP_BATCH_SIZE:
      g_value_set_uint (value, self->batch_size);
      break;
    case PROP_ADAPTIVE:
      g_value_set_boolean (value, self->adaptive);
      break;
    case PROP_HUB:
      g_value_set_object (value, self->hub);
      break;
    case PROP_MONITOR:
      g_value_set_boolean (value, self->monitor);
      break;
    case PROP_MONITOR_REFUSED:
      g_value_set_boolean (value, self->monitor_refused);
      break;
    case PROP_DRONE_ENABLED:
      g_value_set_boolean (value, self->drone_enabled);
      break;
    case PROP_DRONE_WAVEFORM:
      g_value_set_enum (value, self->drone_waveform);
      break;
    case PROP_DRONE_VOLUME:
      g_value_set_double (value, self->drone_volume);
      break;
    case PROP_DRONE_OCTAVE:
      g_value_set_int (value, self->drone_octave);
      break;
    case PROP_DRONE_NOTE:
      g_value_set_int (value, self->drone_note);
      break;
    case PROP_DRONE_FREQUENCY:
      g_value_set_double (value, drone_frequency (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The drone's settings are plain fields; each change goes to the drone. */
static void
set_drone_setting (PtEngine     *self,
                   GParamSpec   *pspec,
                   const GValue *value)
{
  g_auto(GValue) old = G_VALUE_INIT;

  g_value_init (&old, G_VALUE_TYPE (value));
  g_object_get_property (G_OBJECT (self), pspec->name, &old);
  if (g_param_values_cmp (pspec, &old, value) == 0)
    return;

  if (pspec == properties[PROP_DRONE_WAVEFORM])
    self->drone_waveform = g_value_get_enum (value);
  else if (pspec == properties[PROP_DRONE_VOLUME])
    self->drone_volume = g_value_get_double (value);
  else if (pspec == properties[PROP_DRONE_OCTAVE])
    self->drone_octave = g_value_get_int (value);
  else
    self->drone_note = g_value_get_int (value);
  update_drone (self);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
pt_engine_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PtEngine *self = PT_ENGINE (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      pt_engine_set_device (self, g_value_get_string (value));
      break;
    case PROP_INPUT_CHANNEL:
      pt_engine_set_input_channel (self, g_value_get_int (value));
      break;
    case PROP_MONITOR:
      pt_engine_set_monitor (self, g_value_get_boolean (value));
      break;
    case PROP_DRONE_ENABLED:
      pt_engine_set_drone_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_DRONE_WAVEFORM:
    case PROP_DRONE_VOLUME:
    case PROP_DRONE_OCTAVE:
    case PROP_DRONE_NOTE:
      set_drone_setting (self, pspec, value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_engine_class_init (PtEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags readable = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags writable = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = pt_engine_dispose;
  object_class->finalize = pt_engine_finalize;
  object_class->get_property = pt_engine_get_property;
  object_class->set_property = pt_engine_set_property;

  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, PT_TYPE_ENGINE_STATE,
                                              PT_ENGINE_STATE_STOPPED, readable);
  properties[PROP_DEVICE] = g_param_spec_string ("device", NULL, NULL, "", writable);
  properties[PROP_LINKED_DEVICE] = g_param_spec_string ("linked-device", NULL, NULL, NULL,
                                                        readable);
  properties[PROP_INPUT_CHANNEL] = g_param_spec_int ("input-channel", NULL, NULL,
                                                     PT_PROCESSOR_INPUT_MIX, PT_MAX_CHANNELS - 1,
                                                     PT_PROCESSOR_INPUT_MIX, writable);
  properties[PROP_SAMPLE_RATE] = g_param_spec_double ("sample-rate", NULL, NULL, 0.0, G_MAXDOUBLE,
                                                      DEFAULT_SAMPLE_RATE, readable);
  properties[PROP_BATCH_SIZE] = g_param_spec_uint ("batch-size", NULL, NULL, PT_BATCH_SIZE_MIN,
                                                   PT_BATCH_SIZE_MAX, PT_BATCH_SIZE_DEFAULT,
                                                   readable);
  properties[PROP_ADAPTIVE] = g_param_spec_boolean ("adaptive", NULL, NULL, FALSE, readable);
  properties[PROP_HUB] = g_param_spec_object ("hub", NULL, NULL, PT_TYPE_HUB, readable);
  properties[PROP_MONITOR] = g_param_spec_boolean ("monitor", NULL, NULL, FALSE, writable);
  properties[PROP_MONITOR_REFUSED] = g_param_spec_boolean ("monitor-refused", NULL, NULL, FALSE,
                                                           readable);
  properties[PROP_DRONE_ENABLED] = g_param_spec_boolean ("drone-enabled", NULL, NULL, FALSE,
                                                         writable);
  properties[PROP_DRONE_WAVEFORM] = g_param_spec_enum ("drone-waveform", NULL, NULL,
                                                       PT_TYPE_DRONE_WAVEFORM,
                                                       PT_DRONE_WAVEFORM_SINE, writable);
  properties[PROP_DRONE_VOLUME] = g_param_spec_double ("drone-volume", NULL, NULL, 0.0, 1.0,
                                                       DRONE_DEFAULT_VOLUME, writable);
  properties[PROP_DRONE_OCTAVE] = g_param_spec_int ("drone-octave", NULL, NULL, 1, 7,
                                                    DRONE_DEFAULT_OCTAVE, writable);
  /* A pitch class, 0 = C … 11 = B, or -1 for the tonic. */
  properties[PROP_DRONE_NOTE] = g_param_spec_int ("drone-note", NULL, NULL, DRONE_NOTE_TONIC, 11,
                                                  DRONE_NOTE_TONIC, writable);
  /* Hz; notified when the drone's settings change (the tuning is the pitch
   * analyser's: read it again when that changes). */
  properties[PROP_DRONE_FREQUENCY] = g_param_spec_double ("drone-frequency", NULL, NULL, 0.0,
                                                          G_MAXDOUBLE, 0.0, readable);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A batch after the hub saw it; the envelope is borrowed. */
  signals[SIGNAL_BATCH] = g_signal_new ("batch", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                        PT_TYPE_ENVELOPE | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* A GError in PT_WORKLET_ERROR (the worklet's, or a lost device or server),
   * or in PT_PROTOCOL_ERROR for an envelope refused before dispatch. */
  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_STATUS] = g_signal_new ("status", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                         PT_TYPE_PROCESSOR_STATE, G_TYPE_STRING);
  /* Every envelope but the batches, both ways (@outgoing: to the worklet). */
  signals[SIGNAL_MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                          2, PT_TYPE_ENVELOPE | G_SIGNAL_TYPE_STATIC_SCOPE,
                                          G_TYPE_BOOLEAN);
}

/* What the drone's frequency follows in the pitch analyser. */
static const char * const drone_tuning_properties[] = {
  "notify::reference", "notify::tuning", "notify::tonic", "notify::transposition",
};

static void
pt_engine_init (PtEngine *self)
{
  g_autoptr(PtDebugAnalyzer) debug = pt_debug_analyzer_new ();
  DispatchSource *source;

  self->context = g_main_context_ref_thread_default ();
  self->device = g_strdup ("");
  self->input_channel = PT_PROCESSOR_INPUT_MIX;
  self->sample_rate = DEFAULT_SAMPLE_RATE;
  self->batch_size = PT_BATCH_SIZE_DEFAULT;
  self->reconnect_ms = RECONNECT_FIRST_MS;
  self->reconnect_max_ms = RECONNECT_MAX_MS;

  self->processor = pt_processor_new (DEFAULT_SAMPLE_RATE, (guint64) g_get_real_time ());
  pt_processor_set_wakeup_func (self->processor, wake_context, self->context);

  source = (DispatchSource *) g_source_new (&dispatch_source_funcs, sizeof (DispatchSource));
  source->engine = self;
  g_source_set_name (&source->source, "pt-engine-dispatch");
  g_source_attach (&source->source, self->context);
  self->dispatch = &source->source;

  self->hub = pt_hub_new ();
  self->volume = pt_volume_detector_new ();
  self->pitch = pt_pitch_analyzer_new (DEFAULT_SAMPLE_RATE);
  pt_hub_add_channel (self->hub, "volume", PT_ANALYZER (self->volume), PT_HUB_CHANNEL_CLAIMED);
  pt_hub_add_channel (self->hub, "pitch", PT_ANALYZER (self->pitch), PT_HUB_CHANNEL_CLAIMED);
  /* The debug panel's scope and spectrum, while it is shown. */
  pt_hub_add_channel (self->hub, "debug", PT_ANALYZER (debug), PT_HUB_CHANNEL_CLAIMED);

  self->capture = pt_capture_new (self->processor);
  pt_capture_set_latency (self->capture, self->batch_size);
  g_signal_connect_swapped (self->capture, "notify::state", G_CALLBACK (on_capture_state), self);
  g_signal_connect_swapped (self->capture, "notify::linked-device",
                            G_CALLBACK (on_capture_linked), self);
  g_signal_connect_swapped (self->capture, "notify::n-sources", G_CALLBACK (follow_device), self);
  g_signal_connect (self->capture, "server-lost", G_CALLBACK (on_server_lost), self);
  g_signal_connect_swapped (self->capture, "notify::linked-device", G_CALLBACK (check_feedback),
                            self);
  g_signal_connect_swapped (self->capture, "notify::playback-sink", G_CALLBACK (check_feedback),
                            self);

  self->drone_volume = DRONE_DEFAULT_VOLUME;
  self->drone_octave = DRONE_DEFAULT_OCTAVE;
  self->drone_note = DRONE_NOTE_TONIC;
  pt_ring_init (&self->monitor_ring, MONITOR_RING_FRAMES);
  pt_drone_init (&self->drone, DEFAULT_SAMPLE_RATE);
  pt_drone_set_volume (&self->drone, self->drone_volume);
  pt_drone_set_frequency (&self->drone, drone_frequency (self));
  for (guint i = 0; i < G_N_ELEMENTS (drone_tuning_properties); i++)
    g_signal_connect_swapped (self->pitch, drone_tuning_properties[i], G_CALLBACK (update_drone),
                              self);
  self->playback = pt_playback_new (&self->monitor_ring, &self->drone);
  g_signal_connect_swapped (self->playback, "notify::node-id", G_CALLBACK (on_playback_node),
                            self);
}
