/* test-protocol-json.c — envelopes to JSON and back: every type round trips,
 * the committed golden file matches byte for byte, a table of malformed
 * inputs each gives its error code, and the committed fuzz corpus replays
 * without a crash.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "pt-envelope.h"
#include "pt-protocol-json.h"

/* tests/protocol/<name> in the source tree. */
static char *
source_file (const char *name)
{
  const char *srcdir = g_getenv ("PT_TEST_SRCDIR");

  g_assert_nonnull (srcdir);
  return g_build_filename (srcdir, "protocol", name, NULL);
}

/* The fixed envelopes of the golden file, one per type, in its order. */
static PtEnvelope *
new_fixed (PtMessageType type)
{
  PtEnvelope *e;

  switch (type)
    {
    case PT_MESSAGE_START_PROCESSING:
      return pt_envelope_new_with_id (type, 1, 1000.5, 0);
    case PT_MESSAGE_STOP_PROCESSING:
      return pt_envelope_new_with_id (type, 2, 2000.25, 0);
    case PT_MESSAGE_UPDATE_BATCH_CONFIG:
      e = pt_envelope_new_with_id (type, 3, 1236.78, 0);
      e->payload.batch_config = (PtBatchConfig) { 2048, 50, TRUE };
      return e;
    case PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG:
      e = pt_envelope_new_with_id (type, 4, 1300.0, 0);
      e->payload.test_signal = (PtTestSignalConfig) { TRUE, PT_WAVEFORM_TRIANGLE, 440.0, 0.5 };
      return e;
    case PT_MESSAGE_UPDATE_BACKGROUND_NOISE_CONFIG:
      e = pt_envelope_new_with_id (type, 5, 1300.125, 0);
      e->payload.noise = (PtBackgroundNoiseConfig) { TRUE, PT_NOISE_PINK, 0.05 };
      return e;
    case PT_MESSAGE_PROCESSOR_READY:
      e = pt_envelope_new_with_id (type, 1, 1000.75, 0);
      e->payload.ready = (PtProcessorReady) { 1024, 48000.0, 128 };
      return e;
    case PT_MESSAGE_AUDIO_DATA_BATCH:
      e = pt_envelope_new_with_id (type, 2, 1021.5, 0);
      e->payload.batch = (PtAudioDataBatch) {
        .sample_rate = 48000.0, .sample_count = 1024, .buffer_length = 4096,
        .sequence_number = 1, .first_frame = 1024, .first_frame_time_ms = 21.333333333333332,
        .buffer_id = 3, .pool_available = 12, .pool_in_use = 4, .pool_exhausted_count = 0,
        .clipped_count = 2, .nonfinite_count = 0, .dropped_frames = 0,
      };
      return e;
    case PT_MESSAGE_PROCESSING_ERROR:
      e = pt_envelope_new_with_id (type, 3, 1500.5, 0);
      e->payload.error.code = PT_WORKLET_ERROR_BUFFER_OVERFLOW;
      e->payload.error.message = g_strdup ("Buffer pool exhausted");
      e->payload.error.timestamp_ms = 1500.5;
      e->payload.error.context.overflow = (PtOverflowContext) {
        .capacity = 16, .in_use = 16, .available = 0, .exhausted_count = 2,
        .dropped_frames = 128, .dropped_frames_total = 384,
      };
      return e;
    case PT_MESSAGE_STATUS_UPDATE:
      e = pt_envelope_new_with_id (type, 4, 1600.0, 0);
      e->payload.status.state = PT_PROCESSOR_STATE_RUNNING;
      e->payload.status.details = g_strdup ("\"default\" source\tat 48 kHz — ok\n");
      return e;
    case PT_MESSAGE_CONFIG_APPLIED:
      e = pt_envelope_new_with_id (type, 5, 1700.0, 3);
      e->payload.applied.batch = (PtBatchConfig) { 2048, 50, TRUE };
      e->payload.applied.test_signal = (PtTestSignalConfig) { TRUE, PT_WAVEFORM_TRIANGLE,
                                                              440.0, 0.5 };
      e->payload.applied.noise = (PtBackgroundNoiseConfig) { FALSE, PT_NOISE_WHITE, 0.0 };
      return e;
    default:
      g_assert_not_reached ();
    }
}

static PtEnvelope *
round_trip (const PtEnvelope *envelope)
{
  g_autofree char *json = pt_envelope_to_json (envelope);
  g_autoptr(GError) error = NULL;
  PtEnvelope *parsed;

  g_assert_nonnull (json);
  parsed = pt_envelope_from_json (json, -1, &error);
  if (error != NULL)
    g_test_message ("%s → %s", json, error->message);
  g_assert_no_error (error);
  g_assert_nonnull (parsed);
  return parsed;
}

static void
test_round_trip_fixed (void)
{
  for (PtMessageType type = PT_MESSAGE_START_PROCESSING; type <= PT_MESSAGE_CONFIG_APPLIED; type++)
    {
      g_autoptr(PtEnvelope) envelope = new_fixed (type);
      g_autoptr(PtEnvelope) parsed = round_trip (envelope);

      g_assert_true (pt_envelope_equal (envelope, parsed));
      g_assert_cmpint (parsed->ref_count, ==, 1);
    }
}

/* Built by the factory: arbitrary timestamps must come back exactly. */
static void
test_round_trip_factory (void)
{
  PtBatchConfig batch = { 4096, 103, FALSE };
  PtTestSignalConfig signal = { FALSE, PT_WAVEFORM_SQUARE, 1234.5678901234567, 1.0 / 3.0 };
  PtBackgroundNoiseConfig noise = { TRUE, PT_NOISE_WHITE, 1e-7 };
  PtAudioDataBatch data = {
    .sample_rate = 44100.0, .sample_count = 1, .buffer_length = 1,
    .sequence_number = G_MAXINT64, .first_frame = G_MAXINT64, .first_frame_time_ms = 1e300,
    .buffer_id = 15, .pool_available = 0, .pool_in_use = 16, .pool_exhausted_count = G_MAXUINT,
    .clipped_count = 1, .nonfinite_count = 1, .dropped_frames = G_MAXINT64,
  };
  PtEnvelope *all[] = {
    pt_envelope_new_start_processing (),
    pt_envelope_new_stop_processing (),
    pt_envelope_new_update_batch_config (128, 1, TRUE),
    pt_envelope_new_update_test_signal_config (TRUE, PT_WAVEFORM_SAWTOOTH, 20.0, 0.0),
    pt_envelope_new_update_background_noise_config (FALSE, PT_NOISE_PINK, 1.0),
    pt_envelope_new_processor_ready (4096, 384000.0, 4096),
    pt_envelope_new_audio_data_batch (&data),
    pt_envelope_new_processing_error (PT_WORKLET_ERROR_SERVER_DISCONNECTED,
                                      "ünïcødé \\ \"quoted\" \x01\x1f / ∞", G_MAXUINT32),
    pt_envelope_new_processing_error (PT_WORKLET_ERROR_DEVICE_LOST, "", 0),
    pt_envelope_new_device_lost ("", "default gone"),
    pt_envelope_new_status_update (PT_PROCESSOR_STATE_ERROR, NULL),
    pt_envelope_new_status_update (PT_PROCESSOR_STATE_STOPPING, ""),
    pt_envelope_new_config_applied (&batch, &signal, &noise, 1),
  };

  all[8]->payload.error.context.device.device = g_strdup ("emoji 🎵 \"\n\" \\ device");

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_autoptr(PtEnvelope) parsed = round_trip (all[i]);

      g_assert_true (pt_envelope_equal (all[i], parsed));
      pt_envelope_unref (all[i]);
    }
}

static void
test_round_trip_batch_without_samples (void)
{
  g_autoptr(PtEnvelope) envelope = new_fixed (PT_MESSAGE_AUDIO_DATA_BATCH);
  g_autoptr(PtEnvelope) parsed = NULL;
  float samples[1024] = { 0.5f };

  envelope->payload.batch.samples = samples;
  parsed = round_trip (envelope);
  g_assert_null (parsed->payload.batch.samples);
  g_assert_true (pt_envelope_equal (envelope, parsed));
}

/* The golden file, committed: never regenerated here. */
static void
test_golden (void)
{
  g_autofree char *path = source_file ("golden.jsonl");
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (contents, "\n"));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, PT_MESSAGE_CONFIG_APPLIED + 2);

  for (PtMessageType type = PT_MESSAGE_START_PROCESSING; type <= PT_MESSAGE_CONFIG_APPLIED; type++)
    {
      g_autoptr(PtEnvelope) fixed = new_fixed (type);
      g_autoptr(PtEnvelope) parsed = NULL;
      g_autofree char *json = pt_envelope_to_json (fixed);

      g_assert_cmpstr (json, ==, lines[type]);
      parsed = pt_envelope_from_json (lines[type], -1, &error);
      g_assert_no_error (error);
      g_assert_true (pt_envelope_equal (fixed, parsed));
    }
  g_assert_cmpstr (lines[PT_MESSAGE_CONFIG_APPLIED + 1], ==, "");
}

static void
test_non_finite_written_as_null (void)
{
  g_autoptr(PtEnvelope) envelope = new_fixed (PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG);
  g_autoptr(PtEnvelope) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  envelope->timestamp_ms = INFINITY;
  envelope->payload.test_signal.frequency = NAN;
  json = pt_envelope_to_json (envelope);
  g_assert_null (strstr (json, "nan"));
  g_assert_null (strstr (json, "inf"));
  g_assert_nonnull (strstr (json, "\"timestamp\":null"));
  g_assert_nonnull (strstr (json, "\"frequency\":null"));

  parsed = pt_envelope_from_json (json, -1, &error);
  g_assert_error (error, PT_PROTOCOL_ERROR, PT_PROTOCOL_ERROR_NOT_FINITE);
  g_assert_null (parsed);
}

static void
test_number_format (void)
{
  g_autoptr(PtEnvelope) envelope = new_fixed (PT_MESSAGE_START_PROCESSING);
  struct { double value; const char *text; } cases[] = {
    { 0.0, "0.0" }, { 48000.0, "48000.0" }, { 0.1, "0.1" }, { 1236.78, "1236.78" },
    { 1.0 / 3.0, "0.3333333333333333" }, { 1e20, "1e+20" }, { 1e-7, "1e-07" },
    { 123456789.125, "123456789.125" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = NULL;
      g_autofree char *expected = NULL;
      g_autoptr(PtEnvelope) parsed = NULL;

      envelope->timestamp_ms = cases[i].value;
      json = pt_envelope_to_json (envelope);
      expected = g_strdup_printf ("{\"message_id\":1,\"timestamp\":%s,\"in_reply_to\":0,"
                                  "\"payload\":{\"type\":\"StartProcessing\"}}", cases[i].text);
      g_assert_cmpstr (json, ==, expected);
      parsed = round_trip (envelope);
      g_assert_cmpfloat (parsed->timestamp_ms, ==, cases[i].value);
    }
}

static void
test_accepted_variants (void)
{
  const char *texts[] = {
    /* in_reply_to may be left out; whitespace anywhere; integers for doubles */
    "{\"message_id\":1,\"timestamp\":5,\"payload\":{\"type\":\"StopProcessing\"}}",
    " \r\n\t{ \"payload\" : { \"type\" : \"StopProcessing\" } , \"timestamp\" : 5.0e0 ,"
    " \"message_id\" : 1 }\n",
    /* escapes, a surrogate pair, members in any order */
    "{\"message_id\":1,\"timestamp\":5.0,\"payload\":{\"details\":\"\\ud83c\\udfb5 \\u00e9\\/\","
    "\"state\":\"running\",\"type\":\"StatusUpdate\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PtEnvelope) envelope = pt_envelope_from_json (texts[i], -1, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (envelope->message_id, ==, 1);
      g_assert_cmpfloat (envelope->timestamp_ms, ==, 5.0);
      if (envelope->type == PT_MESSAGE_STATUS_UPDATE)
        g_assert_cmpstr (envelope->payload.status.details, ==, "🎵 é/");
    }
}

static void
test_explicit_length (void)
{
  const char *text = "{\"message_id\":7,\"timestamp\":1.0,\"payload\":{\"type\":\"StartProcessing\"}}"
                     "garbage after the given length";
  gsize length = strstr (text, "garbage") - text;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtEnvelope) envelope = pt_envelope_from_json (text, length, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (envelope->message_id, ==, 7);
  g_assert_null (pt_envelope_from_json (text, -1, &error));
  g_assert_error (error, PT_PROTOCOL_ERROR, PT_PROTOCOL_ERROR_INVALID_JSON);
}

/* The malformed table. */

#define ENV(payload) "{\"message_id\":1,\"timestamp\":1.5,\"payload\":" payload "}"
#define BATCH_CONFIG(fields) ENV ("{\"type\":\"UpdateBatchConfig\"," fields "}")
#define VALID_BATCH_CONFIG BATCH_CONFIG ("\"batch_size\":1024,\"timeout_ms\":50,\"adaptive\":false")
#define SIGNAL(fields) ENV ("{\"type\":\"UpdateTestSignalConfig\",\"enabled\":true," fields "}")
#define AUDIO_BATCH(count, seq) ENV ("{\"type\":\"AudioDataBatch\",\"sample_rate\":48000.0," \
  "\"sample_count\":" count ",\"buffer_length\":4096,\"sequence_number\":" seq "," \
  "\"first_frame\":0,\"first_frame_time_ms\":0.0,\"buffer_id\":0,\"pool_available\":15," \
  "\"pool_in_use\":1,\"pool_exhausted_count\":0,\"clipped_count\":0,\"nonfinite_count\":0," \
  "\"dropped_frames\":0}")
#define ERROR_MSG(code, context) ENV ("{\"type\":\"ProcessingError\",\"code\":" code "," \
  "\"message\":\"m\",\"context\":" context ",\"timestamp\":1.0}")
#define START_WITH(id, timestamp) \
  "{\"message_id\":" id ",\"timestamp\":" timestamp ",\"payload\":{\"type\":\"StartProcessing\"}}"

typedef struct
{
  const char     *name;
  const char     *text;
  gssize          length;   /* -1: NUL-terminated */
  PtProtocolError code;
} MalformedCase;

static const MalformedCase malformed_cases[] = {
  { "empty", "", -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "whitespace-only", " \n\t ", -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "truncated-string", "{\"message_id\":1,\"timestamp\":1.0,\"payload\":{\"type\":\"StartPro",
    -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "truncated-after-comma", "{\"message_id\":1,", -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "truncated-number", "{\"message_id\":1", -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "root-array", "[]", -1, PT_PROTOCOL_ERROR_WRONG_TYPE },
  { "root-number", "42", -1, PT_PROTOCOL_ERROR_WRONG_TYPE },
  { "root-string", "\"StartProcessing\"", -1, PT_PROTOCOL_ERROR_WRONG_TYPE },
  { "root-null", "null", -1, PT_PROTOCOL_ERROR_WRONG_TYPE },
  { "id-string", START_WITH ("\"1\"", "1.0"), -1, PT_PROTOCOL_ERROR_WRONG_TYPE },
  { "id-fraction", START_WITH ("1.5", "1.0"), -1, PT_PROTOCOL_ERROR_WRONG_TYPE },
  { "id-negative", START_WITH ("-1", "1.0"), -1, PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "id-zero", START_WITH ("0", "1.0"), -1, PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "id-2^32", START_WITH ("4294967296", "1.0"), -1, PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "id-2^64+1", START_WITH ("18446744073709551617", "1.0"), -1,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "id-hex", START_WITH ("0x10", "1.0"), -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "id-leading-zero", START_WITH ("01", "1.0"), -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "id-plus", START_WITH ("+1", "1.0"), -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "sequence-2^63", AUDIO_BATCH ("1024", "9223372036854775808"), -1,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "sequence-negative", AUDIO_BATCH ("1024", "-1"), -1, PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "timestamp-1e400", START_WITH ("1", "1e400"), -1, PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "timestamp-minus-1e400", START_WITH ("1", "-1e400"), -1, PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "timestamp-nan", START_WITH ("1", "NaN"), -1, PT_PROTOCOL_ERROR_NOT_FINITE },
  { "timestamp-infinity", START_WITH ("1", "Infinity"), -1, PT_PROTOCOL_ERROR_NOT_FINITE },
  { "timestamp-minus-infinity", START_WITH ("1", "-Infinity"), -1,
    PT_PROTOCOL_ERROR_NOT_FINITE },
  { "timestamp-nan.0", START_WITH ("1", "nan.0"), -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "timestamp-null", START_WITH ("1", "null"), -1, PT_PROTOCOL_ERROR_NOT_FINITE },
  { "timestamp-string", START_WITH ("1", "\"1.0\""), -1, PT_PROTOCOL_ERROR_WRONG_TYPE },
  { "timestamp-negative", START_WITH ("1", "-0.5"), -1, PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "timestamp-bad-exponent", START_WITH ("1", "1e"), -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "timestamp-bad-fraction", START_WITH ("1", "1."), -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "type-unknown", ENV ("{\"type\":\"SelfDestruct\"}"), -1, PT_PROTOCOL_ERROR_UNKNOWN_TYPE },
  { "type-wrong-case", ENV ("{\"type\":\"startprocessing\"}"), -1,
    PT_PROTOCOL_ERROR_UNKNOWN_TYPE },
  { "type-number", ENV ("{\"type\":3}"), -1, PT_PROTOCOL_ERROR_WRONG_TYPE },
  { "type-missing", ENV ("{}"), -1, PT_PROTOCOL_ERROR_MISSING_FIELD },
  { "payload-missing", "{\"message_id\":1,\"timestamp\":1.0}", -1,
    PT_PROTOCOL_ERROR_MISSING_FIELD },
  { "payload-array", ENV ("[\"StartProcessing\"]"), -1, PT_PROTOCOL_ERROR_WRONG_TYPE },
  { "id-missing", "{\"timestamp\":1.0,\"payload\":{\"type\":\"StartProcessing\"}}", -1,
    PT_PROTOCOL_ERROR_MISSING_FIELD },
  { "timestamp-missing", "{\"message_id\":1,\"payload\":{\"type\":\"StartProcessing\"}}", -1,
    PT_PROTOCOL_ERROR_MISSING_FIELD },
  { "field-missing", BATCH_CONFIG ("\"timeout_ms\":50,\"adaptive\":false"), -1,
    PT_PROTOCOL_ERROR_MISSING_FIELD },
  { "field-unknown", BATCH_CONFIG ("\"batch_size\":1024,\"timeout_ms\":50,\"adaptive\":false,"
                                   "\"turbo\":true"), -1, PT_PROTOCOL_ERROR_UNKNOWN_FIELD },
  { "envelope-member-unknown",
    "{\"message_id\":1,\"timestamp\":1.0,\"extra\":0,\"payload\":{\"type\":\"StartProcessing\"}}",
    -1, PT_PROTOCOL_ERROR_UNKNOWN_FIELD },
  { "field-on-start", ENV ("{\"type\":\"StartProcessing\",\"batch_size\":1024}"), -1,
    PT_PROTOCOL_ERROR_UNKNOWN_FIELD },
  { "batch-size-not-multiple", BATCH_CONFIG ("\"batch_size\":1000,\"timeout_ms\":50,"
                                             "\"adaptive\":false"), -1,
    PT_PROTOCOL_ERROR_INVALID_VALUE },
  { "batch-size-large", BATCH_CONFIG ("\"batch_size\":8192,\"timeout_ms\":50,\"adaptive\":false"),
    -1, PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "batch-size-negative", BATCH_CONFIG ("\"batch_size\":-128,\"timeout_ms\":50,"
                                         "\"adaptive\":false"), -1,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "adaptive-string", BATCH_CONFIG ("\"batch_size\":1024,\"timeout_ms\":50,\"adaptive\":\"yes\""),
    -1, PT_PROTOCOL_ERROR_WRONG_TYPE },
  { "adaptive-number", BATCH_CONFIG ("\"batch_size\":1024,\"timeout_ms\":50,\"adaptive\":1"), -1,
    PT_PROTOCOL_ERROR_WRONG_TYPE },
  { "adaptive-uppercase", BATCH_CONFIG ("\"batch_size\":1024,\"timeout_ms\":50,\"adaptive\":TRUE"),
    -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "waveform-unknown", SIGNAL ("\"waveform\":\"noise\",\"frequency\":440,\"amplitude\":0.5"), -1,
    PT_PROTOCOL_ERROR_UNKNOWN_VALUE },
  { "waveform-number", SIGNAL ("\"waveform\":0,\"frequency\":440,\"amplitude\":0.5"), -1,
    PT_PROTOCOL_ERROR_WRONG_TYPE },
  { "frequency-low", SIGNAL ("\"waveform\":\"sine\",\"frequency\":5,\"amplitude\":0.5"), -1,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "amplitude-high", SIGNAL ("\"waveform\":\"sine\",\"frequency\":440,\"amplitude\":1.5"), -1,
    PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "noise-level-negative",
    ENV ("{\"type\":\"UpdateBackgroundNoiseConfig\",\"enabled\":true,\"noise_type\":\"pink\","
         "\"level\":-0.1}"), -1, PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "sample-count-zero", AUDIO_BATCH ("0", "1"), -1, PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "sample-count-over-capacity", AUDIO_BATCH ("5000", "1"), -1, PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "error-code-unknown", ERROR_MSG ("\"Meltdown\"", "{}"), -1, PT_PROTOCOL_ERROR_UNKNOWN_VALUE },
  { "error-context-other-code", ERROR_MSG ("\"DeviceLost\"", "{\"device\":\"a\",\"capacity\":16}"),
    -1, PT_PROTOCOL_ERROR_UNKNOWN_FIELD },
  { "error-context-number", ERROR_MSG ("\"DeviceLost\"", "{\"device\":16}"), -1,
    PT_PROTOCOL_ERROR_WRONG_TYPE },
  { "error-context-missing", ERROR_MSG ("\"DeviceLost\"", "{}"), -1,
    PT_PROTOCOL_ERROR_MISSING_FIELD },
  { "error-context-none-expected", ERROR_MSG ("\"ServerDisconnected\"", "{\"device\":\"a\"}"),
    -1, PT_PROTOCOL_ERROR_UNKNOWN_FIELD },
  { "error-overflow-string", ERROR_MSG ("\"BufferOverflow\"", "{\"capacity\":\"16\","
    "\"in_use\":16,\"available\":0,\"exhausted_count\":1,\"dropped_frames\":1,"
    "\"dropped_frames_total\":1}"), -1, PT_PROTOCOL_ERROR_WRONG_TYPE },
  { "error-overflow-in-use", ERROR_MSG ("\"BufferOverflow\"", "{\"capacity\":16,"
    "\"in_use\":17,\"available\":0,\"exhausted_count\":1,\"dropped_frames\":1,"
    "\"dropped_frames_total\":1}"), -1, PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "error-overflow-negative", ERROR_MSG ("\"BufferOverflow\"", "{\"capacity\":16,"
    "\"in_use\":16,\"available\":0,\"exhausted_count\":1,\"dropped_frames\":-1,"
    "\"dropped_frames_total\":1}"), -1, PT_PROTOCOL_ERROR_OUT_OF_RANGE },
  { "error-rejection-unknown-type", ERROR_MSG ("\"InvalidConfiguration\"",
    "{\"message_type\":\"Teleport\"}"), -1, PT_PROTOCOL_ERROR_UNKNOWN_VALUE },
  { "error-context-array", ERROR_MSG ("\"DeviceLost\"", "[]"), -1, PT_PROTOCOL_ERROR_WRONG_TYPE },
  { "error-context-deep", ERROR_MSG ("\"DeviceLost\"", "{\"a\":[[[[[[1]]]]]]}"), -1,
    PT_PROTOCOL_ERROR_TOO_DEEP },
  { "status-state-unknown",
    ENV ("{\"type\":\"StatusUpdate\",\"state\":\"exploded\",\"details\":null}"), -1,
    PT_PROTOCOL_ERROR_UNKNOWN_VALUE },
  { "status-details-number",
    ENV ("{\"type\":\"StatusUpdate\",\"state\":\"running\",\"details\":5}"), -1,
    PT_PROTOCOL_ERROR_WRONG_TYPE },
  { "applied-nested-missing",
    ENV ("{\"type\":\"ConfigApplied\",\"batch\":{\"batch_size\":1024,\"timeout_ms\":50,"
         "\"adaptive\":false},\"noise\":{\"enabled\":false,\"noise_type\":\"white\","
         "\"level\":0.0}}"), -1, PT_PROTOCOL_ERROR_MISSING_FIELD },
  { "applied-nested-not-object",
    ENV ("{\"type\":\"ConfigApplied\",\"batch\":1024,\"test_signal\":{},\"noise\":{}}"), -1,
    PT_PROTOCOL_ERROR_WRONG_TYPE },
  { "comment-block", "/* hello */" VALID_BATCH_CONFIG, -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "comment-line", VALID_BATCH_CONFIG "// trailing", -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "comment-hash", VALID_BATCH_CONFIG "# trailing", -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "single-quotes", "{'message_id':1,'timestamp':1.0,'payload':{'type':'StartProcessing'}}", -1,
    PT_PROTOCOL_ERROR_INVALID_JSON },
  { "unquoted-name", "{message_id:1,\"timestamp\":1.0,\"payload\":{\"type\":\"StartProcessing\"}}",
    -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "trailing-document", VALID_BATCH_CONFIG VALID_BATCH_CONFIG, -1,
    PT_PROTOCOL_ERROR_INVALID_JSON },
  { "trailing-comma", BATCH_CONFIG ("\"batch_size\":1024,\"timeout_ms\":50,\"adaptive\":false,"),
    -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "trailing-garbage", VALID_BATCH_CONFIG " x", -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "embedded-nul", VALID_BATCH_CONFIG "\0" VALID_BATCH_CONFIG,
    sizeof (VALID_BATCH_CONFIG VALID_BATCH_CONFIG), PT_PROTOCOL_ERROR_INVALID_JSON },
  { "escaped-nul", ERROR_MSG ("\"DeviceLost\"", "{\"k\":\"a\\u0000b\"}"), -1,
    PT_PROTOCOL_ERROR_INVALID_VALUE },
  { "invalid-utf8", ERROR_MSG ("\"DeviceLost\"", "{\"k\":\"\xff\"}"), -1,
    PT_PROTOCOL_ERROR_INVALID_JSON },
  { "overlong-utf8", ERROR_MSG ("\"DeviceLost\"", "{\"k\":\"\xc0\xaf\"}"), -1,
    PT_PROTOCOL_ERROR_INVALID_JSON },
  { "lone-high-surrogate", ERROR_MSG ("\"DeviceLost\"", "{\"k\":\"\\ud800\"}"), -1,
    PT_PROTOCOL_ERROR_INVALID_JSON },
  { "lone-low-surrogate", ERROR_MSG ("\"DeviceLost\"", "{\"k\":\"\\udc00x\"}"), -1,
    PT_PROTOCOL_ERROR_INVALID_JSON },
  { "bad-escape", ERROR_MSG ("\"DeviceLost\"", "{\"k\":\"\\x41\"}"), -1,
    PT_PROTOCOL_ERROR_INVALID_JSON },
  { "raw-control-character", ERROR_MSG ("\"DeviceLost\"", "{\"k\":\"a\tb\"}"), -1,
    PT_PROTOCOL_ERROR_INVALID_JSON },
  { "duplicate-member", "{\"message_id\":1,\"message_id\":2,\"timestamp\":1.0,"
    "\"payload\":{\"type\":\"StartProcessing\"}}", -1, PT_PROTOCOL_ERROR_INVALID_JSON },
  { "duplicate-member-escaped", "{\"message_id\":1,\"timestamp\":1.0,"
    "\"payload\":{\"type\":\"StartProcessing\"},\"p\\u0061yload\":{}}", -1,
    PT_PROTOCOL_ERROR_INVALID_JSON },
  { "byte-order-mark", "\xef\xbb\xbf" VALID_BATCH_CONFIG, -1, PT_PROTOCOL_ERROR_INVALID_JSON },
};

static void
test_malformed_case (gconstpointer data)
{
  const MalformedCase *test = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtEnvelope) envelope = pt_envelope_from_json (test->text, test->length, &error);

  g_assert_null (envelope);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_error (error, PT_PROTOCOL_ERROR, (int) test->code);
}

/* Deep nesting: json-glib 1.6 would recurse once per level and overflow its
 * stack. 100000 levels are over the length limit already; within the limit
 * (about 60000 bytes of openers) the depth scan stops it. */
static void
test_malformed_deep (void)
{
  const char *openers[] = { "[", "{\"a\":" };

  for (guint i = 0; i < G_N_ELEMENTS (openers); i++)
    {
      g_autoptr(GString) text = g_string_new ("{\"message_id\":1,\"timestamp\":1.0,\"payload\":");
      g_autoptr(GError) error = NULL;
      g_autoptr(PtEnvelope) envelope = NULL;

      while (text->len + strlen (openers[i]) < 60000)
        g_string_append (text, openers[i]);
      envelope = pt_envelope_from_json (text->str, text->len, &error);
      g_assert_error (error, PT_PROTOCOL_ERROR, PT_PROTOCOL_ERROR_TOO_DEEP);
      g_assert_null (envelope);
      g_clear_error (&error);

      for (guint level = 0; level < 100000; level++)
        g_string_append (text, openers[i]);
      envelope = pt_envelope_from_json (text->str, text->len, &error);
      g_assert_error (error, PT_PROTOCOL_ERROR, PT_PROTOCOL_ERROR_TOO_LARGE);
      g_assert_null (envelope);
    }
}

static void
test_depth_limit (void)
{
  /* The deepest document we accept has PT_PROTOCOL_MAX_JSON_DEPTH levels. */
  g_autoptr(GString) text = g_string_new ("");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtEnvelope) envelope = NULL;

  for (guint level = 1; level < PT_PROTOCOL_MAX_JSON_DEPTH; level++)
    g_string_append (text, "[");
  g_string_append (text, "[]");
  for (guint level = 1; level < PT_PROTOCOL_MAX_JSON_DEPTH; level++)
    g_string_append (text, "]");
  envelope = pt_envelope_from_json (text->str, -1, &error);
  g_assert_error (error, PT_PROTOCOL_ERROR, PT_PROTOCOL_ERROR_WRONG_TYPE);  /* past the scan */
  g_clear_error (&error);

  g_string_prepend (text, "[");
  g_string_append (text, "]");
  envelope = pt_envelope_from_json (text->str, -1, &error);
  g_assert_error (error, PT_PROTOCOL_ERROR, PT_PROTOCOL_ERROR_TOO_DEEP);
}

static void
test_malformed_too_large (void)
{
  g_autoptr(GString) text = g_string_new (VALID_BATCH_CONFIG);
  g_autoptr(GError) error = NULL;
  g_autoptr(PtEnvelope) envelope = NULL;

  /* Valid JSON, but whitespace past the limit. */
  while (text->len <= PT_PROTOCOL_MAX_JSON_LENGTH)
    g_string_append_c (text, ' ');
  envelope = pt_envelope_from_json (text->str, -1, &error);
  g_assert_error (error, PT_PROTOCOL_ERROR, PT_PROTOCOL_ERROR_TOO_LARGE);
  g_clear_error (&error);
  envelope = pt_envelope_from_json (text->str, text->len, &error);
  g_assert_error (error, PT_PROTOCOL_ERROR, PT_PROTOCOL_ERROR_TOO_LARGE);
  g_clear_error (&error);

  g_string_truncate (text, PT_PROTOCOL_MAX_JSON_LENGTH);
  envelope = pt_envelope_from_json (text->str, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (envelope);
}

/* Every committed corpus file gives an envelope or an error, and an envelope
 * goes back to the same JSON. */
static void
test_corpus (void)
{
  g_autofree char *path = source_file ("corpus");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  const char *name;
  guint n_files = 0, n_valid = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(PtEnvelope) envelope = NULL;
      gsize length;

      g_file_get_contents (file, &contents, &length, &error);
      g_assert_no_error (error);
      envelope = pt_envelope_from_json (contents, length, &error);
      g_assert_true ((envelope == NULL) != (error == NULL));
      if (envelope != NULL)
        {
          g_autoptr(PtEnvelope) again = round_trip (envelope);

          g_assert_true (pt_envelope_equal (envelope, again));
          n_valid++;
        }
      else
        {
          g_assert_true (error->domain == PT_PROTOCOL_ERROR);
          g_clear_error (&error);
        }
      n_files++;
    }
  g_test_message ("%u corpus files, %u valid", n_files, n_valid);
  g_assert_cmpuint (n_files, >, 0);
}

/* `test-protocol-json --write-seeds DIR` writes the golden lines and the
 * malformed table as one file each, to seed the fuzzer. */
static int
write_seeds (const char *dir)
{
  g_autofree char *golden = source_file ("golden.jsonl");
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0755);
  if (!g_file_get_contents (golden, &contents, NULL, &error))
    g_error ("%s", error->message);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autofree char *file = g_strdup_printf ("%s/golden-%02u", dir, i);

      if (!g_file_set_contents (file, lines[i], -1, &error))
        g_error ("%s", error->message);
    }
  for (guint i = 0; i < G_N_ELEMENTS (malformed_cases); i++)
    {
      const MalformedCase *test = &malformed_cases[i];
      g_autofree char *file = g_strdup_printf ("%s/malformed-%s", dir, test->name);

      if (!g_file_set_contents (file, test->text,
                                test->length >= 0 ? test->length : (gssize) strlen (test->text),
                                &error))
        g_error ("%s", error->message);
    }
  return 0;
}

/* The names the panel shows are the ones the JSON carries. */
static void
test_error_code_names (void)
{
  for (int code = PT_WORKLET_ERROR_INITIALIZATION_FAILED;
       code <= PT_WORKLET_ERROR_SERVER_DISCONNECTED; code++)
    {
      g_autoptr(PtEnvelope) envelope = pt_envelope_new_processing_error (code, "m", 0);
      g_autofree char *json = pt_envelope_to_json (envelope);
      g_autofree char *field = g_strdup_printf ("\"code\":\"%s\"",
                                                pt_worklet_error_code_to_string (code));

      g_assert_nonnull (strstr (json, field));
    }
  g_assert_null (pt_worklet_error_code_to_string (PT_WORKLET_ERROR_SERVER_DISCONNECTED + 1));
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && strcmp (argv[1], "--write-seeds") == 0)
    return write_seeds (argv[2]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pitch-toy/protocol-json/round-trip/fixed", test_round_trip_fixed);
  g_test_add_func ("/pitch-toy/protocol-json/round-trip/factory", test_round_trip_factory);
  g_test_add_func ("/pitch-toy/protocol-json/round-trip/batch-without-samples",
                   test_round_trip_batch_without_samples);
  g_test_add_func ("/pitch-toy/protocol-json/golden", test_golden);
  g_test_add_func ("/pitch-toy/protocol-json/error-code-names", test_error_code_names);
  g_test_add_func ("/pitch-toy/protocol-json/non-finite-as-null", test_non_finite_written_as_null);
  g_test_add_func ("/pitch-toy/protocol-json/number-format", test_number_format);
  g_test_add_func ("/pitch-toy/protocol-json/accepted-variants", test_accepted_variants);
  g_test_add_func ("/pitch-toy/protocol-json/explicit-length", test_explicit_length);
  g_test_add_func ("/pitch-toy/protocol-json/malformed/deep-nesting", test_malformed_deep);
  g_test_add_func ("/pitch-toy/protocol-json/malformed/depth-limit", test_depth_limit);
  g_test_add_func ("/pitch-toy/protocol-json/malformed/too-large", test_malformed_too_large);
  g_test_add_func ("/pitch-toy/protocol-json/corpus", test_corpus);

  for (guint i = 0; i < G_N_ELEMENTS (malformed_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pitch-toy/protocol-json/malformed/%s",
                                               malformed_cases[i].name);

      g_test_add_data_func (path, &malformed_cases[i], test_malformed_case);
    }

  return g_test_run ();
}
