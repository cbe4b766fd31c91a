/* pt-envelope.c — the envelope: reference counting (heap or preallocated),
 * the id counters, the factory and the validation rules.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-envelope"

#include "config.h"

#include <math.h>
#include <string.h>

#include "pt-envelope.h"

G_DEFINE_BOXED_TYPE (PtEnvelope, pt_envelope, pt_envelope_ref, pt_envelope_unref)

/* One counter per direction; the next id handed out is the value + 1. */
static guint id_counters[2];

static const char * const message_type_names[] = {
  [PT_MESSAGE_START_PROCESSING] = "StartProcessing",
  [PT_MESSAGE_STOP_PROCESSING] = "StopProcessing",
  [PT_MESSAGE_UPDATE_BATCH_CONFIG] = "UpdateBatchConfig",
  [PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG] = "UpdateTestSignalConfig",
  [PT_MESSAGE_UPDATE_BACKGROUND_NOISE_CONFIG] = "UpdateBackgroundNoiseConfig",
  [PT_MESSAGE_PROCESSOR_READY] = "ProcessorReady",
  [PT_MESSAGE_AUDIO_DATA_BATCH] = "AudioDataBatch",
  [PT_MESSAGE_PROCESSING_ERROR] = "ProcessingError",
  [PT_MESSAGE_STATUS_UPDATE] = "StatusUpdate",
  [PT_MESSAGE_CONFIG_APPLIED] = "ConfigApplied",
};

const char *
pt_message_type_to_string (PtMessageType type)
{
  if ((guint) type >= G_N_ELEMENTS (message_type_names))
    return NULL;
  return message_type_names[type];
}

PtMessageDirection
pt_message_type_get_direction (PtMessageType type)
{
  return type < PT_MESSAGE_PROCESSOR_READY ? PT_MESSAGE_DIRECTION_TO_WORKLET
                                           : PT_MESSAGE_DIRECTION_FROM_WORKLET;
}

guint32
pt_envelope_next_id (PtMessageDirection direction)
{
  guint id;

  g_return_val_if_fail (direction <= PT_MESSAGE_DIRECTION_FROM_WORKLET, 0);

  /* 0 means "no message" (in_reply_to), so a wrapped counter skips it. */
  do
    id = (guint) g_atomic_int_add ((gint *) &id_counters[direction], 1) + 1;
  while (G_UNLIKELY (id == 0));

  return id;
}

static void
pt_envelope_clear_payload (PtEnvelope *self)
{
  switch (self->type)
    {
    case PT_MESSAGE_PROCESSING_ERROR:
      g_clear_pointer (&self->payload.error.message, g_free);
      if (self->payload.error.code == PT_WORKLET_ERROR_DEVICE_LOST)
        g_clear_pointer (&self->payload.error.context.device.device, g_free);
      break;
    case PT_MESSAGE_STATUS_UPDATE:
      g_clear_pointer (&self->payload.status.details, g_free);
      break;
    case PT_MESSAGE_START_PROCESSING:
    case PT_MESSAGE_STOP_PROCESSING:
    case PT_MESSAGE_UPDATE_BATCH_CONFIG:
    case PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG:
    case PT_MESSAGE_UPDATE_BACKGROUND_NOISE_CONFIG:
    case PT_MESSAGE_PROCESSOR_READY:
    case PT_MESSAGE_AUDIO_DATA_BATCH:
    case PT_MESSAGE_CONFIG_APPLIED:
    default:
      break;
    }
}

PtEnvelope *
pt_envelope_ref (PtEnvelope *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (g_atomic_int_get (&self->ref_count) > 0, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
pt_envelope_unref (PtEnvelope *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (g_atomic_int_get (&self->ref_count) > 0);

  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;

  if (self->release_func != NULL)
    {
      self->release_func (self, self->release_data);
      return;
    }

  pt_envelope_clear_payload (self);
  g_free (self);
}

PtEnvelope *
pt_envelope_new_with_id (PtMessageType type,
                         guint32       message_id,
                         double        timestamp_ms,
                         guint32       in_reply_to)
{
  PtEnvelope *self = g_new0 (PtEnvelope, 1);

  self->ref_count = 1;
  self->type = type;
  self->message_id = message_id;
  self->timestamp_ms = timestamp_ms;
  self->in_reply_to = in_reply_to;
  return self;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static PtEnvelope *
pt_envelope_new_fresh (PtMessageType type,
                       guint32       in_reply_to)
{
  return pt_envelope_new_with_id (type,
                                  pt_envelope_next_id (pt_message_type_get_direction (type)),
                                  now_ms (), in_reply_to);
}

PtEnvelope *
pt_envelope_new_start_processing (void)
{
  return pt_envelope_new_fresh (PT_MESSAGE_START_PROCESSING, 0);
}

PtEnvelope *
pt_envelope_new_stop_processing (void)
{
  return pt_envelope_new_fresh (PT_MESSAGE_STOP_PROCESSING, 0);
}

PtEnvelope *
pt_envelope_new_update_batch_config (guint    batch_size,
                                     guint    timeout_ms,
                                     gboolean adaptive)
{
  PtEnvelope *self = pt_envelope_new_fresh (PT_MESSAGE_UPDATE_BATCH_CONFIG, 0);

  self->payload.batch_config.batch_size = batch_size;
  self->payload.batch_config.timeout_ms = timeout_ms;
  self->payload.batch_config.adaptive = !!adaptive;
  return self;
}

PtEnvelope *
pt_envelope_new_update_test_signal_config (gboolean   enabled,
                                           PtWaveform waveform,
                                           double     frequency,
                                           double     amplitude)
{
  PtEnvelope *self = pt_envelope_new_fresh (PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG, 0);

  self->payload.test_signal.enabled = !!enabled;
  self->payload.test_signal.waveform = waveform;
  self->payload.test_signal.frequency = frequency;
  self->payload.test_signal.amplitude = amplitude;
  return self;
}

PtEnvelope *
pt_envelope_new_update_background_noise_config (gboolean    enabled,
                                                PtNoiseType noise_type,
                                                double      level)
{
  PtEnvelope *self = pt_envelope_new_fresh (PT_MESSAGE_UPDATE_BACKGROUND_NOISE_CONFIG, 0);

  self->payload.noise.enabled = !!enabled;
  self->payload.noise.noise_type = noise_type;
  self->payload.noise.level = level;
  return self;
}

PtEnvelope *
pt_envelope_new_processor_ready (guint  batch_size,
                                 double sample_rate,
                                 guint  chunk_size)
{
  PtEnvelope *self = pt_envelope_new_fresh (PT_MESSAGE_PROCESSOR_READY, 0);

  self->payload.ready.batch_size = batch_size;
  self->payload.ready.sample_rate = sample_rate;
  self->payload.ready.chunk_size = chunk_size;
  return self;
}

PtEnvelope *
pt_envelope_new_audio_data_batch (const PtAudioDataBatch *batch)
{
  PtEnvelope *self;

  g_return_val_if_fail (batch != NULL, NULL);

  self = pt_envelope_new_fresh (PT_MESSAGE_AUDIO_DATA_BATCH, 0);
  self->payload.batch = *batch;
  return self;
}

PtEnvelope *
pt_envelope_new_processing_error (PtWorkletErrorCode code,
                                  const char        *message,
                                  guint32            in_reply_to)
{
  PtEnvelope *self = pt_envelope_new_fresh (PT_MESSAGE_PROCESSING_ERROR, in_reply_to);

  self->payload.error.code = code;
  self->payload.error.message = g_strdup (message != NULL ? message : "");
  self->payload.error.timestamp_ms = self->timestamp_ms;
  return self;
}

PtEnvelope *
pt_envelope_new_device_lost (const char *device,
                             const char *message)
{
  PtEnvelope *self = pt_envelope_new_processing_error (PT_WORKLET_ERROR_DEVICE_LOST,
                                                       message, 0);

  self->payload.error.context.device.device = g_strdup (device != NULL ? device : "");
  return self;
}

PtEnvelope *
pt_envelope_new_status_update (PtProcessorState state,
                               const char      *details)
{
  PtEnvelope *self = pt_envelope_new_fresh (PT_MESSAGE_STATUS_UPDATE, 0);

  self->payload.status.state = state;
  self->payload.status.details = g_strdup (details);
  return self;
}

PtEnvelope *
pt_envelope_new_config_applied (const PtBatchConfig           *batch,
                                const PtTestSignalConfig      *test_signal,
                                const PtBackgroundNoiseConfig *noise,
                                guint32                        in_reply_to)
{
  PtEnvelope *self;

  g_return_val_if_fail (batch != NULL, NULL);
  g_return_val_if_fail (test_signal != NULL, NULL);
  g_return_val_if_fail (noise != NULL, NULL);

  self = pt_envelope_new_fresh (PT_MESSAGE_CONFIG_APPLIED, in_reply_to);
  self->payload.applied.batch = *batch;
  self->payload.applied.test_signal = *test_signal;
  self->payload.applied.noise = *noise;
  return self;
}

void
pt_envelope_init_static (PtEnvelope            *self,
                         PtEnvelopeReleaseFunc  release_func,
                         gpointer               release_data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (release_func != NULL);

  memset (self, 0, sizeof *self);
  self->type = PT_MESSAGE_AUDIO_DATA_BATCH;
  self->release_func = release_func;
  self->release_data = release_data;
}

/* Runs on the audio thread: no allocation, no logging. */
void
pt_envelope_prepare_static (PtEnvelope    *self,
                            PtMessageType  type,
                            double         timestamp_ms)
{
  self->type = type;
  self->message_id = pt_envelope_next_id (pt_message_type_get_direction (type));
  self->timestamp_ms = timestamp_ms;
  self->in_reply_to = 0;
  if (type == PT_MESSAGE_AUDIO_DATA_BATCH)
    memset (&self->payload.batch, 0, sizeof self->payload.batch);
  g_atomic_int_set (&self->ref_count, 1);
}

/* Validation. Each check sets the error with the JSON name of the field, so a
 * message read from JSON and one built in C report the same thing. */

static gboolean
fail (GError         **error,
      PtProtocolError  code,
      const char      *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError         **error,
      PtProtocolError  code,
      const char      *format,
      ...)
{
  va_list args;

  va_start (args, format);
  g_set_error_literal (error, PT_PROTOCOL_ERROR, code, "");
  if (error != NULL && *error != NULL)
    {
      g_free ((*error)->message);
      (*error)->message = g_strdup_vprintf (format, args);
    }
  va_end (args);
  return FALSE;
}

static gboolean
check_double (const char  *where,
              const char  *field,
              double       value,
              double       min,
              double       max,
              GError     **error)
{
  if (!isfinite (value))
    return fail (error, PT_PROTOCOL_ERROR_NOT_FINITE,
                 "%s.%s: %g is not a finite number", where, field, value);
  if (max == G_MAXDOUBLE && value < min)
    return fail (error, PT_PROTOCOL_ERROR_OUT_OF_RANGE,
                 "%s.%s: %g is below %g", where, field, value, min);
  if (value < min || value > max)
    return fail (error, PT_PROTOCOL_ERROR_OUT_OF_RANGE,
                 "%s.%s: %g is not within [%g, %g]", where, field, value, min, max);
  return TRUE;
}

static gboolean
check_uint (const char  *where,
            const char  *field,
            guint64      value,
            guint64      min,
            guint64      max,
            GError     **error)
{
  if (value < min || value > max)
    return fail (error, PT_PROTOCOL_ERROR_OUT_OF_RANGE,
                 "%s.%s: %" G_GUINT64_FORMAT " is not within [%" G_GUINT64_FORMAT
                 ", %" G_GUINT64_FORMAT "]", where, field, value, min, max);
  return TRUE;
}

static gboolean
check_boolean (const char  *where,
               const char  *field,
               gboolean     value,
               GError     **error)
{
  if (value != TRUE && value != FALSE)
    return fail (error, PT_PROTOCOL_ERROR_INVALID_VALUE,
                 "%s.%s: %d is not a boolean", where, field, value);
  return TRUE;
}

static gboolean
check_enum (const char  *where,
            const char  *field,
            guint        value,
            guint        n_values,
            GError     **error)
{
  if (value >= n_values)
    return fail (error, PT_PROTOCOL_ERROR_UNKNOWN_VALUE,
                 "%s.%s: %u is not a known value", where, field, value);
  return TRUE;
}

static gboolean
check_utf8 (const char  *where,
            const char  *field,
            const char  *value,
            gboolean     nullable,
            GError     **error)
{
  if (value == NULL)
    return nullable ? TRUE : fail (error, PT_PROTOCOL_ERROR_MISSING_FIELD,
                                   "%s.%s: missing", where, field);
  if (!g_utf8_validate (value, -1, NULL))
    return fail (error, PT_PROTOCOL_ERROR_INVALID_VALUE,
                 "%s.%s: not valid UTF-8", where, field);
  return TRUE;
}

static gboolean
check_batch_size (const char  *where,
                  const char  *field,
                  guint        batch_size,
                  GError     **error)
{
  if (!check_uint (where, field, batch_size, PT_BATCH_SIZE_MIN, PT_BATCH_SIZE_MAX, error))
    return FALSE;
  if (batch_size % PT_CHUNK_SIZE != 0)
    return fail (error, PT_PROTOCOL_ERROR_INVALID_VALUE,
                 "%s.%s: %u is not a multiple of %u",
                 where, field, batch_size, (guint) PT_CHUNK_SIZE);
  return TRUE;
}

static gboolean
check_sample_rate (const char  *where,
                   double       sample_rate,
                   GError     **error)
{
  return check_double (where, "sample_rate", sample_rate,
                       PT_PROTOCOL_SAMPLE_RATE_MIN_HZ, PT_PROTOCOL_SAMPLE_RATE_MAX_HZ, error);
}

static gboolean
validate_batch_config (const char          *where,
                       const PtBatchConfig *config,
                       GError             **error)
{
  return check_batch_size (where, "batch_size", config->batch_size, error) &&
         check_uint (where, "timeout_ms", config->timeout_ms,
                     PT_PROTOCOL_TIMEOUT_MIN_MS, PT_PROTOCOL_TIMEOUT_MAX_MS, error) &&
         check_boolean (where, "adaptive", config->adaptive, error);
}

static gboolean
validate_test_signal (const char               *where,
                      const PtTestSignalConfig *config,
                      double                    sample_rate,
                      GError                  **error)
{
  if (!check_boolean (where, "enabled", config->enabled, error) ||
      !check_enum (where, "waveform", config->waveform, PT_WAVEFORM_TRIANGLE + 1, error) ||
      !check_double (where, "frequency", config->frequency,
                     PT_PROTOCOL_FREQUENCY_MIN_HZ, PT_PROTOCOL_FREQUENCY_MAX_HZ, error) ||
      !check_double (where, "amplitude", config->amplitude, 0.0, 1.0, error))
    return FALSE;
  if (sample_rate > 0.0 && !(config->frequency < sample_rate / 2.0))
    return fail (error, PT_PROTOCOL_ERROR_OUT_OF_RANGE,
                 "%s.frequency: %g Hz is not below Nyquist (%g Hz)",
                 where, config->frequency, sample_rate / 2.0);
  return TRUE;
}

static gboolean
validate_noise (const char                    *where,
                const PtBackgroundNoiseConfig *config,
                GError                       **error)
{
  return check_boolean (where, "enabled", config->enabled, error) &&
         check_enum (where, "noise_type", config->noise_type, PT_NOISE_PINK + 1, error) &&
         check_double (where, "level", config->level, 0.0, 1.0, error);
}

static gboolean
validate_batch (const PtAudioDataBatch *batch,
                GError                **error)
{
  const char *where = "AudioDataBatch";

  if (!check_sample_rate (where, batch->sample_rate, error) ||
      !check_uint (where, "buffer_length", batch->buffer_length, 1, PT_BUFFER_CAPACITY, error) ||
      !check_uint (where, "sample_count", batch->sample_count, 1, batch->buffer_length, error) ||
      /* JSON carries integers as gint64 (json-glib 1.6): keep them there. */
      !check_uint (where, "sequence_number", batch->sequence_number, 0, G_MAXINT64, error) ||
      !check_uint (where, "first_frame", batch->first_frame, 0, G_MAXINT64, error) ||
      !check_double (where, "first_frame_time_ms", batch->first_frame_time_ms,
                     0.0, G_MAXDOUBLE, error) ||
      !check_uint (where, "buffer_id", batch->buffer_id, 0, PT_BUFFER_POOL_SIZE - 1, error) ||
      !check_uint (where, "pool_available", batch->pool_available, 0, PT_BUFFER_POOL_SIZE, error) ||
      !check_uint (where, "pool_in_use", batch->pool_in_use,
                   0, PT_BUFFER_POOL_SIZE - batch->pool_available, error) ||
      !check_uint (where, "clipped_count", batch->clipped_count, 0, batch->sample_count, error) ||
      !check_uint (where, "nonfinite_count", batch->nonfinite_count,
                   0, batch->sample_count, error) ||
      !check_uint (where, "dropped_frames", batch->dropped_frames, 0, G_MAXINT64, error))
    return FALSE;
  return TRUE;
}

static gboolean
validate_overflow_context (const PtOverflowContext *context,
                           GError                 **error)
{
  const char *where = "ProcessingError.context";

  return check_uint (where, "capacity", context->capacity,
                     PT_BUFFER_POOL_SIZE, PT_BUFFER_POOL_SIZE, error) &&
         check_uint (where, "available", context->available, 0, context->capacity, error) &&
         check_uint (where, "in_use", context->in_use,
                     0, context->capacity - context->available, error) &&
         check_uint (where, "dropped_frames_total", context->dropped_frames_total,
                     0, G_MAXINT64, error) &&
         check_uint (where, "dropped_frames", context->dropped_frames,
                     0, context->dropped_frames_total, error);
}

static gboolean
validate_error (const PtProcessingError *perror,
                GError                 **error)
{
  const char *where = "ProcessingError";

  if (!check_enum (where, "code", perror->code, PT_WORKLET_ERROR_SERVER_DISCONNECTED + 1, error) ||
      !check_utf8 (where, "message", perror->message, FALSE, error) ||
      !check_double (where, "timestamp", perror->timestamp_ms, 0.0, G_MAXDOUBLE, error))
    return FALSE;

  switch (perror->code)
    {
    case PT_WORKLET_ERROR_BUFFER_OVERFLOW:
      return validate_overflow_context (&perror->context.overflow, error);
    case PT_WORKLET_ERROR_INVALID_CONFIGURATION:
      return check_enum ("ProcessingError.context", "message_type",
                         perror->context.rejection.message_type,
                         PT_MESSAGE_CONFIG_APPLIED + 1, error);
    case PT_WORKLET_ERROR_DEVICE_LOST:
      return check_utf8 ("ProcessingError.context", "device",
                         perror->context.device.device, FALSE, error);
    case PT_WORKLET_ERROR_INITIALIZATION_FAILED:
    case PT_WORKLET_ERROR_PROCESSING_FAILED:
    case PT_WORKLET_ERROR_MEMORY_ALLOCATION_FAILED:
    case PT_WORKLET_ERROR_SERVER_DISCONNECTED:
    default:
      return TRUE;
    }
}

gboolean
pt_envelope_validate (const PtEnvelope  *self,
                      double             sample_rate,
                      GError           **error)
{
  const char *where;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  where = pt_message_type_to_string (self->type);
  if (where == NULL)
    return fail (error, PT_PROTOCOL_ERROR_UNKNOWN_TYPE,
                 "type: %u is not a known message type", (guint) self->type);
  if (self->message_id == 0)
    return fail (error, PT_PROTOCOL_ERROR_OUT_OF_RANGE, "message_id: must not be 0");
  if (!check_double ("envelope", "timestamp", self->timestamp_ms, 0.0, G_MAXDOUBLE, error))
    return FALSE;

  switch (self->type)
    {
    case PT_MESSAGE_START_PROCESSING:
    case PT_MESSAGE_STOP_PROCESSING:
      return TRUE;
    case PT_MESSAGE_UPDATE_BATCH_CONFIG:
      return validate_batch_config (where, &self->payload.batch_config, error);
    case PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG:
      return validate_test_signal (where, &self->payload.test_signal, sample_rate, error);
    case PT_MESSAGE_UPDATE_BACKGROUND_NOISE_CONFIG:
      return validate_noise (where, &self->payload.noise, error);
    case PT_MESSAGE_PROCESSOR_READY:
      return check_batch_size (where, "batch_size", self->payload.ready.batch_size, error) &&
             check_sample_rate (where, self->payload.ready.sample_rate, error) &&
             check_uint (where, "chunk_size", self->payload.ready.chunk_size,
                         1, PT_BUFFER_CAPACITY, error);
    case PT_MESSAGE_AUDIO_DATA_BATCH:
      return validate_batch (&self->payload.batch, error);
    case PT_MESSAGE_PROCESSING_ERROR:
      return validate_error (&self->payload.error, error);
    case PT_MESSAGE_STATUS_UPDATE:
      return check_enum (where, "state", self->payload.status.state,
                         PT_PROCESSOR_STATE_ERROR + 1, error) &&
             check_utf8 (where, "details", self->payload.status.details, TRUE, error);
    case PT_MESSAGE_CONFIG_APPLIED:
      return validate_batch_config ("ConfigApplied.batch", &self->payload.applied.batch, error) &&
             validate_test_signal ("ConfigApplied.test_signal",
                                   &self->payload.applied.test_signal, sample_rate, error) &&
             validate_noise ("ConfigApplied.noise", &self->payload.applied.noise, error);
    default:
      g_assert_not_reached ();
    }
}

/* Equality, for the round-trip tests and the fuzzer. */

static gboolean
error_equal (const PtProcessingError *a,
             const PtProcessingError *b)
{
  const PtOverflowContext *oa = &a->context.overflow, *ob = &b->context.overflow;

  if (a->code != b->code || g_strcmp0 (a->message, b->message) != 0 ||
      a->timestamp_ms != b->timestamp_ms)
    return FALSE;

  switch (a->code)
    {
    case PT_WORKLET_ERROR_BUFFER_OVERFLOW:
      return oa->capacity == ob->capacity && oa->in_use == ob->in_use &&
             oa->available == ob->available && oa->exhausted_count == ob->exhausted_count &&
             oa->dropped_frames == ob->dropped_frames &&
             oa->dropped_frames_total == ob->dropped_frames_total;
    case PT_WORKLET_ERROR_INVALID_CONFIGURATION:
      return a->context.rejection.message_type == b->context.rejection.message_type;
    case PT_WORKLET_ERROR_DEVICE_LOST:
      return g_strcmp0 (a->context.device.device, b->context.device.device) == 0;
    case PT_WORKLET_ERROR_INITIALIZATION_FAILED:
    case PT_WORKLET_ERROR_PROCESSING_FAILED:
    case PT_WORKLET_ERROR_MEMORY_ALLOCATION_FAILED:
    case PT_WORKLET_ERROR_SERVER_DISCONNECTED:
    default:
      return TRUE;
    }
}

static gboolean
batch_config_equal (const PtBatchConfig *a,
                    const PtBatchConfig *b)
{
  return a->batch_size == b->batch_size && a->timeout_ms == b->timeout_ms &&
         !a->adaptive == !b->adaptive;
}

static gboolean
test_signal_equal (const PtTestSignalConfig *a,
                   const PtTestSignalConfig *b)
{
  return !a->enabled == !b->enabled && a->waveform == b->waveform &&
         a->frequency == b->frequency && a->amplitude == b->amplitude;
}

static gboolean
noise_equal (const PtBackgroundNoiseConfig *a,
             const PtBackgroundNoiseConfig *b)
{
  return !a->enabled == !b->enabled && a->noise_type == b->noise_type && a->level == b->level;
}

static gboolean
audio_batch_equal (const PtAudioDataBatch *a,
                   const PtAudioDataBatch *b)
{
  return a->sample_rate == b->sample_rate &&
         a->sample_count == b->sample_count &&
         a->buffer_length == b->buffer_length &&
         a->sequence_number == b->sequence_number &&
         a->first_frame == b->first_frame &&
         a->first_frame_time_ms == b->first_frame_time_ms &&
         a->buffer_id == b->buffer_id &&
         a->pool_available == b->pool_available &&
         a->pool_in_use == b->pool_in_use &&
         a->pool_exhausted_count == b->pool_exhausted_count &&
         a->clipped_count == b->clipped_count &&
         a->nonfinite_count == b->nonfinite_count &&
         a->dropped_frames == b->dropped_frames;
}

gboolean
pt_envelope_equal (const PtEnvelope *a,
                   const PtEnvelope *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a->type != b->type || a->message_id != b->message_id ||
      a->timestamp_ms != b->timestamp_ms || a->in_reply_to != b->in_reply_to)
    return FALSE;

  switch (a->type)
    {
    case PT_MESSAGE_START_PROCESSING:
    case PT_MESSAGE_STOP_PROCESSING:
      return TRUE;
    case PT_MESSAGE_UPDATE_BATCH_CONFIG:
      return batch_config_equal (&a->payload.batch_config, &b->payload.batch_config);
    case PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG:
      return test_signal_equal (&a->payload.test_signal, &b->payload.test_signal);
    case PT_MESSAGE_UPDATE_BACKGROUND_NOISE_CONFIG:
      return noise_equal (&a->payload.noise, &b->payload.noise);
    case PT_MESSAGE_PROCESSOR_READY:
      return a->payload.ready.batch_size == b->payload.ready.batch_size &&
             a->payload.ready.sample_rate == b->payload.ready.sample_rate &&
             a->payload.ready.chunk_size == b->payload.ready.chunk_size;
    case PT_MESSAGE_AUDIO_DATA_BATCH:
      return audio_batch_equal (&a->payload.batch, &b->payload.batch);
    case PT_MESSAGE_PROCESSING_ERROR:
      return error_equal (&a->payload.error, &b->payload.error);
    case PT_MESSAGE_STATUS_UPDATE:
      return a->payload.status.state == b->payload.status.state &&
             g_strcmp0 (a->payload.status.details, b->payload.status.details) == 0;
    case PT_MESSAGE_CONFIG_APPLIED:
      return batch_config_equal (&a->payload.applied.batch, &b->payload.applied.batch) &&
             test_signal_equal (&a->payload.applied.test_signal, &b->payload.applied.test_signal) &&
             noise_equal (&a->payload.applied.noise, &b->payload.applied.noise);
    default:
      return FALSE;
    }
}
