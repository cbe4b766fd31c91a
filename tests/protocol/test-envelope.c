/* test-envelope.c — the envelope: the factory, ids per direction, reference
 * counting and the release hook of preallocated envelopes, the validation
 * rules (each broken once) and the ProcessingError → GError mapping.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "pt-types.h"
#include "pt-protocol-enum-types.h"
#include "pt-envelope.h"

static void
assert_fresh (PtEnvelope   *envelope,
              PtMessageType type,
              double        before_ms)
{
  g_assert_nonnull (envelope);
  g_assert_cmpint (envelope->type, ==, type);
  g_assert_cmpuint (envelope->message_id, >, 0);
  g_assert_cmpuint (envelope->in_reply_to, ==, 0);
  g_assert_cmpfloat (envelope->timestamp_ms, >=, before_ms);
  g_assert_cmpfloat (envelope->timestamp_ms, <=, g_get_monotonic_time () / 1000.0);
  g_assert_cmpint (envelope->ref_count, ==, 1);
}

static void
assert_valid (PtEnvelope *envelope)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_envelope_validate (envelope, 48000.0, &error));
  g_assert_no_error (error);
}

static void
test_factory_to_worklet (void)
{
  double before = g_get_monotonic_time () / 1000.0;
  g_autoptr(PtEnvelope) start = pt_envelope_new_start_processing ();
  g_autoptr(PtEnvelope) stop = pt_envelope_new_stop_processing ();
  g_autoptr(PtEnvelope) batch = pt_envelope_new_update_batch_config (2048, 75, TRUE);
  g_autoptr(PtEnvelope) signal = NULL;
  g_autoptr(PtEnvelope) noise = NULL;

  signal = pt_envelope_new_update_test_signal_config (TRUE, PT_WAVEFORM_SAWTOOTH, 440.0, 0.25);
  noise = pt_envelope_new_update_background_noise_config (TRUE, PT_NOISE_PINK, 0.1);

  assert_fresh (start, PT_MESSAGE_START_PROCESSING, before);
  assert_fresh (stop, PT_MESSAGE_STOP_PROCESSING, before);
  assert_fresh (batch, PT_MESSAGE_UPDATE_BATCH_CONFIG, before);
  assert_fresh (signal, PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG, before);
  assert_fresh (noise, PT_MESSAGE_UPDATE_BACKGROUND_NOISE_CONFIG, before);

  g_assert_cmpuint (batch->payload.batch_config.batch_size, ==, 2048);
  g_assert_cmpuint (batch->payload.batch_config.timeout_ms, ==, 75);
  g_assert_true (batch->payload.batch_config.adaptive);
  g_assert_true (signal->payload.test_signal.enabled);
  g_assert_cmpint (signal->payload.test_signal.waveform, ==, PT_WAVEFORM_SAWTOOTH);
  g_assert_cmpfloat (signal->payload.test_signal.frequency, ==, 440.0);
  g_assert_cmpfloat (signal->payload.test_signal.amplitude, ==, 0.25);
  g_assert_true (noise->payload.noise.enabled);
  g_assert_cmpint (noise->payload.noise.noise_type, ==, PT_NOISE_PINK);
  g_assert_cmpfloat (noise->payload.noise.level, ==, 0.1);

  for (guint i = 0; i < 5; i++)
    {
      PtEnvelope *all[] = { start, stop, batch, signal, noise };

      g_assert_cmpint (pt_message_type_get_direction (all[i]->type), ==,
                       PT_MESSAGE_DIRECTION_TO_WORKLET);
      assert_valid (all[i]);
    }
}

static void
test_factory_from_worklet (void)
{
  double before = g_get_monotonic_time () / 1000.0;
  PtAudioDataBatch data = {
    .sample_rate = 48000.0, .sample_count = 1000, .buffer_length = PT_BUFFER_CAPACITY,
    .sequence_number = 7, .first_frame = 7000, .first_frame_time_ms = 145.8, .buffer_id = 2,
    .pool_available = 10, .pool_in_use = 6, .pool_exhausted_count = 1, .clipped_count = 3,
    .nonfinite_count = 1, .dropped_frames = 128,
  };
  PtBatchConfig batch_config = { 1024, 50, FALSE };
  PtTestSignalConfig signal_config = { FALSE, PT_WAVEFORM_SINE, 440.0, 0.5 };
  PtBackgroundNoiseConfig noise_config = { FALSE, PT_NOISE_WHITE, 0.0 };
  g_autoptr(PtEnvelope) ready = pt_envelope_new_processor_ready (1024, 48000.0, 128);
  g_autoptr(PtEnvelope) batch = pt_envelope_new_audio_data_batch (&data);
  g_autoptr(PtEnvelope) error = NULL;
  g_autoptr(PtEnvelope) status = NULL;
  g_autoptr(PtEnvelope) applied = NULL;

  error = pt_envelope_new_processing_error (PT_WORKLET_ERROR_BUFFER_OVERFLOW, "pool exhausted", 9);
  status = pt_envelope_new_status_update (PT_PROCESSOR_STATE_RUNNING, "48 kHz");
  applied = pt_envelope_new_config_applied (&batch_config, &signal_config, &noise_config, 12);

  assert_fresh (ready, PT_MESSAGE_PROCESSOR_READY, before);
  assert_fresh (batch, PT_MESSAGE_AUDIO_DATA_BATCH, before);
  g_assert_cmpint (error->type, ==, PT_MESSAGE_PROCESSING_ERROR);
  assert_fresh (status, PT_MESSAGE_STATUS_UPDATE, before);
  g_assert_cmpint (applied->type, ==, PT_MESSAGE_CONFIG_APPLIED);

  g_assert_cmpuint (ready->payload.ready.batch_size, ==, 1024);
  g_assert_cmpfloat (ready->payload.ready.sample_rate, ==, 48000.0);
  g_assert_cmpuint (ready->payload.ready.chunk_size, ==, 128);
  g_assert_cmpmem (&batch->payload.batch, sizeof data, &data, sizeof data);
  g_assert_cmpuint (error->in_reply_to, ==, 9);
  g_assert_cmpint (error->payload.error.code, ==, PT_WORKLET_ERROR_BUFFER_OVERFLOW);
  g_assert_cmpstr (error->payload.error.message, ==, "pool exhausted");
  /* The factory leaves the context to the caller. */
  g_assert_cmpuint (error->payload.error.context.overflow.capacity, ==, 0);
  error->payload.error.context.overflow = (PtOverflowContext) { 16, 16, 0, 1, 128, 128 };
  g_assert_cmpfloat (error->payload.error.timestamp_ms, ==, error->timestamp_ms);
  g_assert_cmpint (status->payload.status.state, ==, PT_PROCESSOR_STATE_RUNNING);
  g_assert_cmpstr (status->payload.status.details, ==, "48 kHz");
  g_assert_cmpuint (applied->in_reply_to, ==, 12);
  g_assert_cmpmem (&applied->payload.applied.batch, sizeof batch_config,
                   &batch_config, sizeof batch_config);
  g_assert_cmpmem (&applied->payload.applied.test_signal, sizeof signal_config,
                   &signal_config, sizeof signal_config);
  g_assert_cmpmem (&applied->payload.applied.noise, sizeof noise_config,
                   &noise_config, sizeof noise_config);

  for (guint i = 0; i < 5; i++)
    {
      PtEnvelope *all[] = { ready, batch, error, status, applied };

      g_assert_cmpint (pt_message_type_get_direction (all[i]->type), ==,
                       PT_MESSAGE_DIRECTION_FROM_WORKLET);
      assert_valid (all[i]);
    }
}

static void
test_type_names (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (PT_TYPE_MESSAGE_TYPE);

  g_assert_cmpuint (klass->n_values, ==, PT_MESSAGE_CONFIG_APPLIED + 1);
  g_assert_cmpstr (pt_message_type_to_string (PT_MESSAGE_START_PROCESSING), ==, "StartProcessing");
  g_assert_cmpstr (pt_message_type_to_string (PT_MESSAGE_CONFIG_APPLIED), ==, "ConfigApplied");
  g_assert_null (pt_message_type_to_string (PT_MESSAGE_CONFIG_APPLIED + 1));
  g_assert_true (G_TYPE_IS_ENUM (PT_TYPE_WORKLET_ERROR_CODE));
  g_assert_true (G_TYPE_IS_ENUM (PT_TYPE_PROTOCOL_ERROR));
  g_assert_true (G_TYPE_IS_BOXED (PT_TYPE_ENVELOPE));
}

/* In a fresh process, so no other test has taken an id yet. */
static void
test_ids_start_at_one (void)
{
  if (g_test_subprocess ())
    {
      g_assert_cmpuint (pt_envelope_next_id (PT_MESSAGE_DIRECTION_TO_WORKLET), ==, 1);
      g_assert_cmpuint (pt_envelope_next_id (PT_MESSAGE_DIRECTION_FROM_WORKLET), ==, 1);
      g_assert_cmpuint (pt_envelope_next_id (PT_MESSAGE_DIRECTION_TO_WORKLET), ==, 2);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_ids_per_direction (void)
{
  g_autoptr(PtEnvelope) first = pt_envelope_new_start_processing ();
  g_autoptr(PtEnvelope) ready = pt_envelope_new_processor_ready (1024, 48000.0, 128);
  g_autoptr(PtEnvelope) status = pt_envelope_new_status_update (PT_PROCESSOR_STATE_RUNNING, NULL);
  g_autoptr(PtEnvelope) second = pt_envelope_new_update_batch_config (512, 50, FALSE);
  g_autoptr(PtEnvelope) third = pt_envelope_new_stop_processing ();

  /* Messages the other way in between take nothing from this direction. */
  g_assert_cmpuint (second->message_id, ==, first->message_id + 1);
  g_assert_cmpuint (third->message_id, ==, second->message_id + 1);
  g_assert_cmpuint (status->message_id, ==, ready->message_id + 1);
}

#define N_THREADS 4
#define IDS_PER_THREAD 20000

static gpointer
take_ids (gpointer data)
{
  guint32 *ids = data;

  for (guint i = 0; i < IDS_PER_THREAD; i++)
    ids[i] = pt_envelope_next_id (PT_MESSAGE_DIRECTION_FROM_WORKLET);
  return NULL;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

static void
test_ids_atomic (void)
{
  g_autofree guint32 *ids = g_new0 (guint32, N_THREADS * IDS_PER_THREAD);
  GThread *threads[N_THREADS];
  guint32 before = pt_envelope_next_id (PT_MESSAGE_DIRECTION_FROM_WORKLET);

  for (guint t = 0; t < N_THREADS; t++)
    threads[t] = g_thread_new ("ids", take_ids, ids + t * IDS_PER_THREAD);
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);

  /* Every id once, and no gap: exactly the next N ids. */
  qsort (ids, N_THREADS * IDS_PER_THREAD, sizeof (guint32), compare_ids);
  for (guint i = 0; i < N_THREADS * IDS_PER_THREAD; i++)
    g_assert_cmpuint (ids[i], ==, before + 1 + i);
}

static void
test_refcount (void)
{
  PtEnvelope *envelope = pt_envelope_new_status_update (PT_PROCESSOR_STATE_STOPPED, "idle");
  PtEnvelope *copy;

  g_assert_true (pt_envelope_ref (envelope) == envelope);
  g_assert_cmpint (envelope->ref_count, ==, 2);
  copy = g_boxed_copy (PT_TYPE_ENVELOPE, envelope);
  g_assert_true (copy == envelope);
  g_assert_cmpint (envelope->ref_count, ==, 3);
  g_boxed_free (PT_TYPE_ENVELOPE, copy);
  pt_envelope_unref (envelope);
  g_assert_cmpint (envelope->ref_count, ==, 1);
  pt_envelope_unref (envelope);  /* frees details too: valgrind checks */
}

typedef struct
{
  guint       n_released;
  PtEnvelope *last;
} ReleaseLog;

static void
on_release (PtEnvelope *envelope,
            gpointer    user_data)
{
  ReleaseLog *log = user_data;

  log->n_released++;
  log->last = envelope;
}

static void
test_static_envelope (void)
{
  PtEnvelope storage;
  ReleaseLog log = { 0, NULL };
  float samples[256] = { 0 };
  guint32 first_id;
  g_autoptr(GError) error = NULL;

  pt_envelope_init_static (&storage, on_release, &log);
  g_assert_cmpint (storage.ref_count, ==, 0);

  pt_envelope_prepare_static (&storage, PT_MESSAGE_AUDIO_DATA_BATCH, 123.5);
  g_assert_cmpint (storage.ref_count, ==, 1);
  g_assert_cmpint (storage.type, ==, PT_MESSAGE_AUDIO_DATA_BATCH);
  g_assert_cmpfloat (storage.timestamp_ms, ==, 123.5);
  g_assert_cmpuint (storage.message_id, >, 0);
  first_id = storage.message_id;

  storage.payload.batch.sample_rate = 48000.0;
  storage.payload.batch.sample_count = 256;
  storage.payload.batch.buffer_length = 256;
  storage.payload.batch.samples = samples;
  g_assert_true (pt_envelope_validate (&storage, 48000.0, &error));
  g_assert_no_error (error);

  /* Shared by two holders: released once, when the last lets go. */
  pt_envelope_ref (&storage);
  pt_envelope_unref (&storage);
  g_assert_cmpuint (log.n_released, ==, 0);
  pt_envelope_unref (&storage);
  g_assert_cmpuint (log.n_released, ==, 1);
  g_assert_true (log.last == &storage);
  g_assert_cmpint (storage.ref_count, ==, 0);

  /* Reused: a fresh id and a cleared payload every time. */
  pt_envelope_prepare_static (&storage, PT_MESSAGE_AUDIO_DATA_BATCH, 150.0);
  g_assert_cmpuint (storage.message_id, >, first_id);
  g_assert_null (storage.payload.batch.samples);
  g_assert_cmpuint (storage.payload.batch.sample_count, ==, 0);
  {
    g_autoptr(PtEnvelope) held = &storage;  /* g_autoptr works on them too */

    g_assert_cmpint (held->type, ==, PT_MESSAGE_AUDIO_DATA_BATCH);
  }
  g_assert_cmpuint (log.n_released, ==, 2);
}

static void
test_error_context (void)
{
  g_autoptr(PtEnvelope) overflow = NULL;
  g_autoptr(PtEnvelope) rejection = NULL;
  g_autoptr(PtEnvelope) lost = NULL;
  g_autoptr(PtEnvelope) other = NULL;
  g_autoptr(GError) error = NULL;

  overflow = pt_envelope_new_processing_error (PT_WORKLET_ERROR_BUFFER_OVERFLOW,
                                               "Buffer pool exhausted", 0);
  overflow->payload.error.context.overflow = (PtOverflowContext) {
    .capacity = 16, .in_use = 16, .available = 0, .exhausted_count = 3,
    .dropped_frames = 256, .dropped_frames_total = 1024,
  };
  error = pt_processing_error_to_gerror (&overflow->payload.error);
  g_assert_error (error, PT_WORKLET_ERROR, PT_WORKLET_ERROR_BUFFER_OVERFLOW);
  g_assert_cmpstr (error->message, ==, "Buffer pool exhausted (capacity=16, in_use=16, "
                   "available=0, exhausted_count=3, dropped_frames=256, dropped_frames_total=1024)");
  g_clear_error (&error);

  rejection = pt_envelope_new_processing_error (PT_WORKLET_ERROR_INVALID_CONFIGURATION, "No", 4);
  rejection->payload.error.context.rejection.message_type = PT_MESSAGE_UPDATE_BATCH_CONFIG;
  error = pt_processing_error_to_gerror (&rejection->payload.error);
  g_assert_cmpstr (error->message, ==, "No (message_type=UpdateBatchConfig)");
  g_clear_error (&error);

  lost = pt_envelope_new_device_lost ("alsa_input.usb-mic", "Gone");
  g_assert_cmpint (lost->payload.error.code, ==, PT_WORKLET_ERROR_DEVICE_LOST);
  error = pt_processing_error_to_gerror (&lost->payload.error);
  g_assert_cmpstr (error->message, ==, "Gone (device=alsa_input.usb-mic)");
  g_clear_error (&error);

  other = pt_envelope_new_processing_error (PT_WORKLET_ERROR_SERVER_DISCONNECTED, "Bye", 0);
  error = pt_processing_error_to_gerror (&other->payload.error);
  g_assert_cmpstr (error->message, ==, "Bye");
}

static void
test_error_to_gerror_every_code (void)
{
  for (PtWorkletErrorCode code = PT_WORKLET_ERROR_INITIALIZATION_FAILED;
       code <= PT_WORKLET_ERROR_SERVER_DISCONNECTED; code++)
    {
      g_autoptr(PtEnvelope) envelope = pt_envelope_new_processing_error (code, "lost", 0);
      g_autoptr(GError) error = pt_processing_error_to_gerror (&envelope->payload.error);

      g_assert_error (error, PT_WORKLET_ERROR, (int) code);
      /* The message first, then the context the code carries, if any. */
      g_assert_true (g_str_has_prefix (error->message, "lost"));
      g_assert_cmpint (strlen (error->message) > strlen ("lost"), ==,
                       code == PT_WORKLET_ERROR_BUFFER_OVERFLOW ||
                       code == PT_WORKLET_ERROR_INVALID_CONFIGURATION ||
                       code == PT_WORKLET_ERROR_DEVICE_LOST);
    }
}

/* The validation table: a valid envelope of the type, one rule broken. */

typedef void (*Mutation) (PtEnvelope *envelope);

typedef struct
{
  const char     *name;
  PtMessageType   type;
  double          sample_rate;
  Mutation        mutate;
  int             code;  /* a PtProtocolError, or -1 when valid */
} ValidateCase;

static PtEnvelope *
new_valid (PtMessageType type)
{
  PtAudioDataBatch data = {
    .sample_rate = 48000.0, .sample_count = 1024, .buffer_length = 4096, .sequence_number = 1,
    .first_frame = 0, .first_frame_time_ms = 0.0, .buffer_id = 0, .pool_available = 15,
    .pool_in_use = 1,
  };
  PtBatchConfig batch = { 1024, 50, FALSE };
  PtTestSignalConfig signal = { TRUE, PT_WAVEFORM_SINE, 440.0, 0.5 };
  PtBackgroundNoiseConfig noise = { TRUE, PT_NOISE_WHITE, 0.1 };

  switch (type)
    {
    case PT_MESSAGE_START_PROCESSING:
      return pt_envelope_new_start_processing ();
    case PT_MESSAGE_STOP_PROCESSING:
      return pt_envelope_new_stop_processing ();
    case PT_MESSAGE_UPDATE_BATCH_CONFIG:
      return pt_envelope_new_update_batch_config (1024, 50, FALSE);
    case PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG:
      return pt_envelope_new_update_test_signal_config (TRUE, PT_WAVEFORM_SINE, 440.0, 0.5);
    case PT_MESSAGE_UPDATE_BACKGROUND_NOISE_CONFIG:
      return pt_envelope_new_update_background_noise_config (TRUE, PT_NOISE_WHITE, 0.1);
    case PT_MESSAGE_PROCESSOR_READY:
      return pt_envelope_new_processor_ready (1024, 48000.0, 128);
    case PT_MESSAGE_AUDIO_DATA_BATCH:
      return pt_envelope_new_audio_data_batch (&data);
    case PT_MESSAGE_PROCESSING_ERROR:
      return pt_envelope_new_device_lost ("pt-test-mic", "gone");
    case PT_MESSAGE_STATUS_UPDATE:
      return pt_envelope_new_status_update (PT_PROCESSOR_STATE_RUNNING, NULL);
    case PT_MESSAGE_CONFIG_APPLIED:
      return pt_envelope_new_config_applied (&batch, &signal, &noise, 1);
    default:
      g_assert_not_reached ();
    }
}

/* Turns the DeviceLost error the cases start from into a valid overflow
 * report, for a case to break one of its counts. */
static PtOverflowContext *
become_overflow (PtEnvelope *e)
{
  PtOverflowContext *context = &e->payload.error.context.overflow;

  g_clear_pointer (&e->payload.error.context.device.device, g_free);
  e->payload.error.code = PT_WORKLET_ERROR_BUFFER_OVERFLOW;
  *context = (PtOverflowContext) {
    .capacity = PT_BUFFER_POOL_SIZE, .in_use = PT_BUFFER_POOL_SIZE, .available = 0,
    .exhausted_count = 1, .dropped_frames = 1024, .dropped_frames_total = 1024,
  };
  return context;
}

#define MUTATION(name, body) \
  static void mutate_##name (PtEnvelope *e) { body; }

MUTATION (none, (void) e)
MUTATION (id_zero, e->message_id = 0)
MUTATION (timestamp_nan, e->timestamp_ms = NAN)
MUTATION (timestamp_negative, e->timestamp_ms = -1.0)
MUTATION (type_unknown, e->type = (PtMessageType) 42)
MUTATION (batch_size_small, e->payload.batch_config.batch_size = 64)
MUTATION (batch_size_large, e->payload.batch_config.batch_size = 8192)
MUTATION (batch_size_multiple, e->payload.batch_config.batch_size = 1000)
MUTATION (timeout_zero, e->payload.batch_config.timeout_ms = 0)
MUTATION (timeout_huge, e->payload.batch_config.timeout_ms = 3600000)
MUTATION (adaptive_not_bool, e->payload.batch_config.adaptive = 2)
MUTATION (waveform_unknown, e->payload.test_signal.waveform = (PtWaveform) 4)
MUTATION (frequency_low, e->payload.test_signal.frequency = 19.9)
MUTATION (frequency_high, e->payload.test_signal.frequency = 20000.5)
MUTATION (frequency_nyquist, e->payload.test_signal.frequency = 12000.0)
MUTATION (frequency_inf, e->payload.test_signal.frequency = INFINITY)
MUTATION (amplitude_high, e->payload.test_signal.amplitude = 1.01)
MUTATION (amplitude_negative, e->payload.test_signal.amplitude = -0.1)
MUTATION (amplitude_nan, e->payload.test_signal.amplitude = NAN)
MUTATION (signal_enabled_not_bool, e->payload.test_signal.enabled = -1)
MUTATION (noise_type_unknown, e->payload.noise.noise_type = (PtNoiseType) 2)
MUTATION (noise_level_high, e->payload.noise.level = 2.0)
MUTATION (noise_level_nan, e->payload.noise.level = NAN)
MUTATION (ready_batch_size, e->payload.ready.batch_size = 100)
MUTATION (ready_sample_rate, e->payload.ready.sample_rate = 1000.0)
MUTATION (ready_sample_rate_inf, e->payload.ready.sample_rate = INFINITY)
MUTATION (ready_chunk_zero, e->payload.ready.chunk_size = 0)
MUTATION (batch_sample_rate, e->payload.batch.sample_rate = 0.0)
MUTATION (batch_sample_rate_nan, e->payload.batch.sample_rate = NAN)
MUTATION (batch_count_zero, e->payload.batch.sample_count = 0)
MUTATION (batch_count_over_length, e->payload.batch.sample_count = 4097)
MUTATION (batch_length_over_capacity,
          e->payload.batch.buffer_length = PT_BUFFER_CAPACITY + 1;
          e->payload.batch.sample_count = PT_BUFFER_CAPACITY + 1)
MUTATION (batch_buffer_id, e->payload.batch.buffer_id = PT_BUFFER_POOL_SIZE)
MUTATION (batch_pool_counts, e->payload.batch.pool_in_use = PT_BUFFER_POOL_SIZE)
MUTATION (batch_clipped, e->payload.batch.clipped_count = 1025)
MUTATION (batch_nonfinite, e->payload.batch.nonfinite_count = 1025)
MUTATION (batch_sequence_beyond_json, e->payload.batch.sequence_number = G_MAXUINT64)
MUTATION (batch_time_negative, e->payload.batch.first_frame_time_ms = -5.0)
MUTATION (error_code_unknown, e->payload.error.code = (PtWorkletErrorCode) 7)
MUTATION (error_message_null, g_clear_pointer (&e->payload.error.message, g_free))
MUTATION (error_message_utf8,
          g_free (e->payload.error.message); e->payload.error.message = g_strdup ("\xff"))
MUTATION (error_context_utf8,
          g_free (e->payload.error.context.device.device);
          e->payload.error.context.device.device = g_strdup ("\xc0\xaf"))
MUTATION (error_context_device_null, g_clear_pointer (&e->payload.error.context.device.device, g_free))
MUTATION (error_overflow_capacity, become_overflow (e)->capacity = 8)
MUTATION (error_overflow_counts, become_overflow (e)->available = 1)
MUTATION (error_overflow_dropped, become_overflow (e)->dropped_frames = 2048)
MUTATION (error_rejection_type,
          g_clear_pointer (&e->payload.error.context.device.device, g_free);
          e->payload.error.code = PT_WORKLET_ERROR_INVALID_CONFIGURATION;
          e->payload.error.context.rejection.message_type = (PtMessageType) 42)
MUTATION (error_timestamp_inf, e->payload.error.timestamp_ms = -INFINITY)
MUTATION (status_state_unknown, e->payload.status.state = (PtProcessorState) 99)
MUTATION (status_details_utf8, e->payload.status.details = g_strdup ("\xe2\x82"))
MUTATION (applied_batch_size, e->payload.applied.batch.batch_size = 129)
MUTATION (applied_frequency, e->payload.applied.test_signal.frequency = 0.0)
MUTATION (applied_noise_type, e->payload.applied.noise.noise_type = (PtNoiseType) -1)

static const ValidateCase validate_cases[] = {
  { "start-valid", PT_MESSAGE_START_PROCESSING, 48000, mutate_none, -1 },
  { "stop-valid", PT_MESSAGE_STOP_PROCESSING, 48000, mutate_none, -1 },
  { "id-zero", PT_MESSAGE_START_PROCESSING, 48000, mutate_id_zero,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "timestamp-nan", PT_MESSAGE_STOP_PROCESSING, 48000, mutate_timestamp_nan,
    PT_PROTOCOL_ERROR_NOT_FINITE },
  { "timestamp-negative", PT_MESSAGE_STOP_PROCESSING, 48000, mutate_timestamp_negative,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "type-unknown", PT_MESSAGE_START_PROCESSING, 48000, mutate_type_unknown,
    PT_PROTOCOL_ERROR_UNKNOWN_TYPE },
  { "batch-config-valid", PT_MESSAGE_UPDATE_BATCH_CONFIG, 48000, mutate_none, -1 },
  { "batch-size-small", PT_MESSAGE_UPDATE_BATCH_CONFIG, 48000, mutate_batch_size_small,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "batch-size-large", PT_MESSAGE_UPDATE_BATCH_CONFIG, 48000, mutate_batch_size_large,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "batch-size-multiple", PT_MESSAGE_UPDATE_BATCH_CONFIG, 48000, mutate_batch_size_multiple,
    PT_PROTOCOL_ERROR_INVALID_VALUE },
  { "timeout-zero", PT_MESSAGE_UPDATE_BATCH_CONFIG, 48000, mutate_timeout_zero,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "timeout-huge", PT_MESSAGE_UPDATE_BATCH_CONFIG, 48000, mutate_timeout_huge,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "adaptive-not-bool", PT_MESSAGE_UPDATE_BATCH_CONFIG, 48000, mutate_adaptive_not_bool,
    PT_PROTOCOL_ERROR_INVALID_VALUE },
  { "test-signal-valid", PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG, 48000, mutate_none, -1 },
  { "waveform-unknown", PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG, 48000, mutate_waveform_unknown,
    PT_PROTOCOL_ERROR_UNKNOWN_VALUE },
  { "frequency-low", PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG, 48000, mutate_frequency_low,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "frequency-high", PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG, 48000, mutate_frequency_high,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "frequency-nyquist", PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG, 22050, mutate_frequency_nyquist,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "frequency-nyquist-unknown-rate", PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG, 0,
    mutate_frequency_nyquist, -1 },
  { "frequency-infinite", PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG, 48000, mutate_frequency_inf,
    PT_PROTOCOL_ERROR_NOT_FINITE },
  { "amplitude-high", PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG, 48000, mutate_amplitude_high,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "amplitude-negative", PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG, 48000, mutate_amplitude_negative,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "amplitude-nan", PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG, 48000, mutate_amplitude_nan,
    PT_PROTOCOL_ERROR_NOT_FINITE },
  { "signal-enabled-not-bool", PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG, 48000,
    mutate_signal_enabled_not_bool, PT_PROTOCOL_ERROR_INVALID_VALUE },
  { "noise-valid", PT_MESSAGE_UPDATE_BACKGROUND_NOISE_CONFIG, 48000, mutate_none, -1 },
  { "noise-type-unknown", PT_MESSAGE_UPDATE_BACKGROUND_NOISE_CONFIG, 48000,
    mutate_noise_type_unknown, PT_PROTOCOL_ERROR_UNKNOWN_VALUE },
  { "noise-level-high", PT_MESSAGE_UPDATE_BACKGROUND_NOISE_CONFIG, 48000,
    mutate_noise_level_high, PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "noise-level-nan", PT_MESSAGE_UPDATE_BACKGROUND_NOISE_CONFIG, 48000,
    mutate_noise_level_nan, PT_PROTOCOL_ERROR_NOT_FINITE },
  { "ready-valid", PT_MESSAGE_PROCESSOR_READY, 48000, mutate_none, -1 },
  { "ready-batch-size", PT_MESSAGE_PROCESSOR_READY, 48000, mutate_ready_batch_size,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "ready-sample-rate", PT_MESSAGE_PROCESSOR_READY, 48000, mutate_ready_sample_rate,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "ready-sample-rate-infinite", PT_MESSAGE_PROCESSOR_READY, 48000,
    mutate_ready_sample_rate_inf, PT_PROTOCOL_ERROR_NOT_FINITE },
  { "ready-chunk-zero", PT_MESSAGE_PROCESSOR_READY, 48000, mutate_ready_chunk_zero,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "batch-valid", PT_MESSAGE_AUDIO_DATA_BATCH, 48000, mutate_none, -1 },
  { "batch-sample-rate", PT_MESSAGE_AUDIO_DATA_BATCH, 48000, mutate_batch_sample_rate,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "batch-sample-rate-nan", PT_MESSAGE_AUDIO_DATA_BATCH, 48000, mutate_batch_sample_rate_nan,
    PT_PROTOCOL_ERROR_NOT_FINITE },
  { "batch-count-zero", PT_MESSAGE_AUDIO_DATA_BATCH, 48000, mutate_batch_count_zero,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "batch-count-over-length", PT_MESSAGE_AUDIO_DATA_BATCH, 48000,
    mutate_batch_count_over_length, PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "batch-length-over-capacity", PT_MESSAGE_AUDIO_DATA_BATCH, 48000,
    mutate_batch_length_over_capacity, PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "batch-buffer-id", PT_MESSAGE_AUDIO_DATA_BATCH, 48000, mutate_batch_buffer_id,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "batch-pool-counts", PT_MESSAGE_AUDIO_DATA_BATCH, 48000, mutate_batch_pool_counts,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "batch-clipped", PT_MESSAGE_AUDIO_DATA_BATCH, 48000, mutate_batch_clipped,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "batch-nonfinite", PT_MESSAGE_AUDIO_DATA_BATCH, 48000, mutate_batch_nonfinite,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "batch-sequence-beyond-json", PT_MESSAGE_AUDIO_DATA_BATCH, 48000,
    mutate_batch_sequence_beyond_json, PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "batch-time-negative", PT_MESSAGE_AUDIO_DATA_BATCH, 48000, mutate_batch_time_negative,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "error-valid", PT_MESSAGE_PROCESSING_ERROR, 48000, mutate_none, -1 },
  { "error-code-unknown", PT_MESSAGE_PROCESSING_ERROR, 48000, mutate_error_code_unknown,
    PT_PROTOCOL_ERROR_UNKNOWN_VALUE },
  { "error-message-null", PT_MESSAGE_PROCESSING_ERROR, 48000, mutate_error_message_null,
    PT_PROTOCOL_ERROR_MISSING_FIELD },
  { "error-message-utf8", PT_MESSAGE_PROCESSING_ERROR, 48000, mutate_error_message_utf8,
    PT_PROTOCOL_ERROR_INVALID_VALUE },
  { "error-context-utf8", PT_MESSAGE_PROCESSING_ERROR, 48000, mutate_error_context_utf8,
    PT_PROTOCOL_ERROR_INVALID_VALUE },
  { "error-context-device-null", PT_MESSAGE_PROCESSING_ERROR, 48000,
    mutate_error_context_device_null, PT_PROTOCOL_ERROR_MISSING_FIELD },
  { "error-overflow-capacity", PT_MESSAGE_PROCESSING_ERROR, 48000, mutate_error_overflow_capacity,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "error-overflow-counts", PT_MESSAGE_PROCESSING_ERROR, 48000, mutate_error_overflow_counts,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "error-overflow-dropped", PT_MESSAGE_PROCESSING_ERROR, 48000, mutate_error_overflow_dropped,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "error-rejection-type", PT_MESSAGE_PROCESSING_ERROR, 48000, mutate_error_rejection_type,
    PT_PROTOCOL_ERROR_UNKNOWN_VALUE },
  { "error-timestamp-infinite", PT_MESSAGE_PROCESSING_ERROR, 48000, mutate_error_timestamp_inf,
    PT_PROTOCOL_ERROR_NOT_FINITE },
  { "status-valid", PT_MESSAGE_STATUS_UPDATE, 48000, mutate_none, -1 },
  { "status-state-unknown", PT_MESSAGE_STATUS_UPDATE, 48000, mutate_status_state_unknown,
    PT_PROTOCOL_ERROR_UNKNOWN_VALUE },
  { "status-details-utf8", PT_MESSAGE_STATUS_UPDATE, 48000, mutate_status_details_utf8,
    PT_PROTOCOL_ERROR_INVALID_VALUE },
  { "applied-valid", PT_MESSAGE_CONFIG_APPLIED, 48000, mutate_none, -1 },
  { "applied-batch-size", PT_MESSAGE_CONFIG_APPLIED, 48000, mutate_applied_batch_size,
    PT_PROTOCOL_ERROR_INVALID_VALUE },
  { "applied-frequency", PT_MESSAGE_CONFIG_APPLIED, 48000, mutate_applied_frequency,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "applied-noise-type", PT_MESSAGE_CONFIG_APPLIED, 48000, mutate_applied_noise_type,
    PT_PROTOCOL_ERROR_UNKNOWN_VALUE },
};

static void
test_validate_case (gconstpointer data)
{
  const ValidateCase *test = data;
  g_autoptr(PtEnvelope) envelope = new_valid (test->type);
  g_autoptr(GError) error = NULL;
  PtMessageType type = envelope->type;
  gboolean valid;

  test->mutate (envelope);
  valid = pt_envelope_validate (envelope, test->sample_rate, &error);
  envelope->type = type;  /* so that unref frees what the type owns */

  if (test->code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (valid);
      return;
    }
  g_assert_false (valid);
  g_assert_error (error, PT_PROTOCOL_ERROR, test->code);
  g_test_message ("%s", error->message);
  /* The message names the rule's field (or the type itself). */
  g_assert_true (strchr (error->message, ':') != NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pitch-toy/envelope/ids-start-at-one", test_ids_start_at_one);
  g_test_add_func ("/pitch-toy/envelope/factory-to-worklet", test_factory_to_worklet);
  g_test_add_func ("/pitch-toy/envelope/factory-from-worklet", test_factory_from_worklet);
  g_test_add_func ("/pitch-toy/envelope/type-names", test_type_names);
  g_test_add_func ("/pitch-toy/envelope/ids-per-direction", test_ids_per_direction);
  g_test_add_func ("/pitch-toy/envelope/ids-atomic", test_ids_atomic);
  g_test_add_func ("/pitch-toy/envelope/refcount", test_refcount);
  g_test_add_func ("/pitch-toy/envelope/static-release", test_static_envelope);
  g_test_add_func ("/pitch-toy/envelope/error-context", test_error_context);
  g_test_add_func ("/pitch-toy/envelope/error-to-gerror", test_error_to_gerror_every_code);

  for (guint i = 0; i < G_N_ELEMENTS (validate_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pitch-toy/envelope/validate/%s",
                                               validate_cases[i].name);

      g_test_add_data_func (path, &validate_cases[i], test_validate_case);
    }

  return g_test_run ();
}
