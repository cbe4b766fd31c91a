/* test-engine.c — the engine with no PipeWire server: PIPEWIRE_REMOTE names a
 * socket that does not exist, so the engine falls back to the clock source at
 * once, says so, and the worklet still answers and plays the test signal.
 * Everything runs on a private main context under a watchdog.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "pt-base-enum-types.h"
#include "pt-engine.h"
#include "pt-protocol-json.h"
#include "pt-test-util.h"

typedef struct
{
  GMainContext *context;
  PtEngine     *engine;
  GPtrArray    *errors;       /* GError copies */
  GPtrArray    *messages;     /* copies of the envelopes from the worklet, non-batch */
  guint64       overflow_reported;  /* dropped frames the BufferOverflow reports count */
  guint         batches;
  guint64       next_sequence;
  guint64       next_frame;
} Fixture;

static void
on_error (PtEngine     *engine,
          const GError *error,
          Fixture      *f)
{
  g_ptr_array_add (f->errors, g_error_copy (error));
}

static void
on_message (PtEngine   *engine,
            PtEnvelope *envelope,
            gboolean    outgoing,
            Fixture    *f)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;

  if (outgoing)
    return;
  /* A copy, as a log keeps it: holding the worklet's own overflow report
   * would hold back the next one. */
  json = pt_envelope_to_json (envelope);
  g_ptr_array_add (f->messages, pt_envelope_from_json (json, -1, &error));
  g_assert_no_error (error);
  if (envelope->type == PT_MESSAGE_PROCESSING_ERROR &&
      envelope->payload.error.code == PT_WORKLET_ERROR_BUFFER_OVERFLOW)
    f->overflow_reported += envelope->payload.error.context.overflow.dropped_frames;
}

static void
on_batch (PtEngine   *engine,
          PtEnvelope *envelope,
          Fixture    *f)
{
  const PtAudioDataBatch *batch = &envelope->payload.batch;

  g_assert_cmpuint (batch->sequence_number, ==, f->next_sequence);
  g_assert_cmpuint (batch->first_frame, ==, f->next_frame + batch->dropped_frames);
  f->next_sequence++;
  f->next_frame += batch->sample_count;
  f->batches++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_setenv ("PIPEWIRE_REMOTE", "pt-test-no-such-server", TRUE);
  f->context = g_main_context_new ();
  g_main_context_push_thread_default (f->context);
  f->engine = pt_engine_new ();
  /* As the headless mode does: the tests read the pitch channel's results. */
  pt_hub_channel_claim (pt_hub_lookup_channel (pt_engine_get_hub (f->engine), "pitch"));
  f->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  f->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_envelope_unref);
  g_signal_connect (f->engine, "error", G_CALLBACK (on_error), f);
  g_signal_connect (f->engine, "message", G_CALLBACK (on_message), f);
  g_signal_connect (f->engine, "batch", G_CALLBACK (on_batch), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->engine);
  g_ptr_array_unref (f->errors);
  g_ptr_array_unref (f->messages);
  g_main_context_pop_thread_default (f->context);
  g_main_context_unref (f->context);
}

/* @in_reply_to 0: any. */
static PtEnvelope *
find_message (Fixture       *f,
              PtMessageType  type,
              guint32        in_reply_to)
{
  for (guint i = 0; i < f->messages->len; i++)
    {
      PtEnvelope *envelope = g_ptr_array_index (f->messages, i);

      if (envelope->type == type && (in_reply_to == 0 || envelope->in_reply_to == in_reply_to))
        return envelope;
    }
  return NULL;
}

typedef struct
{
  Fixture       *f;
  PtMessageType  type;
  guint32        in_reply_to;
} Awaited;

static gboolean
has_reply (gpointer user_data)
{
  Awaited *awaited = user_data;

  return find_message (awaited->f, awaited->type, awaited->in_reply_to) != NULL;
}

static void
wait_for_reply (Fixture       *f,
                PtMessageType  type,
                guint32        in_reply_to)
{
  Awaited awaited = { f, type, in_reply_to };

  pt_test_assert_eventually (f->context, has_reply, &awaited, PT_TEST_TIMEOUT_UNIT_S);
}

/* Stopped, a request is answered at once: nobody drives the processor, so
 * the engine runs a cycle itself. */
static void
test_stopped_answers (Fixture       *f,
                      gconstpointer  data)
{
  guint32 id = pt_engine_configure_batch (f->engine, 2048, 50, FALSE);

  g_assert_cmpint (pt_engine_get_state (f->engine), ==, PT_ENGINE_STATE_STOPPED);
  wait_for_reply (f, PT_MESSAGE_CONFIG_APPLIED, id);
  g_assert_cmpuint (pt_engine_get_batch_size (f->engine), ==, 2048);
  g_assert_cmpuint (f->batches, ==, 0);
}

static gboolean
has_note (gpointer user_data)
{
  Fixture *f = user_data;
  PtPitchAnalyzer *pitch = pt_engine_get_pitch_analyzer (f->engine);

  return pt_pitch_analyzer_get_voiced (pitch) &&
         pt_pitch_analyzer_get_note (pitch)->nearest_midi == 69;
}

static gboolean
has_stopped (gpointer user_data)
{
  Fixture *f = user_data;
  PtEnvelope *last = NULL;

  for (guint i = 0; i < f->messages->len; i++)
    if (((PtEnvelope *) g_ptr_array_index (f->messages, i))->type == PT_MESSAGE_STATUS_UPDATE)
      last = g_ptr_array_index (f->messages, i);
  return last != NULL && last->payload.status.state == PT_PROCESSOR_STATE_STOPPED;
}

/* No server: the clock source at once, ServerDisconnected said, and the
 * test signal reaches the pitch channel. */
static void
test_no_server_falls_back (Fixture       *f,
                           gconstpointer  data)
{
  PtTestSignalConfig signal = { TRUE, PT_WAVEFORM_SAWTOOTH, 440.0, 0.5 };
  g_autoptr(PtEngineMetrics) metrics = NULL;
  const GError *error;

  pt_engine_configure_test_signal (f->engine, &signal);
  pt_engine_start (f->engine);
  g_assert_cmpint (pt_engine_get_state (f->engine), ==, PT_ENGINE_STATE_FALLBACK);
  g_assert_cmpuint (f->errors->len, ==, 1);
  error = g_ptr_array_index (f->errors, 0);
  g_assert_error (error, PT_WORKLET_ERROR, PT_WORKLET_ERROR_SERVER_DISCONNECTED);

  wait_for_reply (f, PT_MESSAGE_PROCESSOR_READY, 0);
  pt_test_assert_eventually (f->context, has_note, f, PT_TEST_TIMEOUT_UNIT_S);
  g_assert_cmpfloat (pt_engine_get_sample_rate (f->engine), ==, 48000.0);

  metrics = pt_engine_get_metrics (f->engine);
  g_assert_cmpuint (metrics->batches, ==, f->batches);
  g_assert_cmpuint (metrics->batches, >, 0);
  g_assert_cmpuint (metrics->sequence_gaps, ==, 0);
  g_assert_cmpuint (metrics->dropped_frames, ==, 0);
  g_assert_cmpuint (metrics->invalid_envelopes, ==, 0);
  g_assert_cmpuint (metrics->envelopes_out[PT_MESSAGE_START_PROCESSING], ==, 1);
  g_assert_cmpuint (metrics->envelopes_in[PT_MESSAGE_AUDIO_DATA_BATCH], ==, f->batches);
  g_assert_cmpfloat (metrics->latency_max_ms, >=, metrics->latency_p99_ms);
  g_assert_cmpfloat (metrics->latency_p99_ms, >=, 0.0);

  /* Stopping answers too and leaves nothing running. */
  pt_engine_stop (f->engine);
  g_assert_cmpint (pt_engine_get_state (f->engine), ==, PT_ENGINE_STATE_STOPPED);
  pt_test_assert_eventually (f->context, has_stopped, f, PT_TEST_TIMEOUT_UNIT_S);
}

/* A batch size change while running: acknowledged, in force, nothing lost. */
static void
test_batch_size_in_force (Fixture       *f,
                          gconstpointer  data)
{
  guint32 id;

  pt_engine_start (f->engine);
  id = pt_engine_configure_batch (f->engine, 256, 50, FALSE);
  wait_for_reply (f, PT_MESSAGE_CONFIG_APPLIED, id);
  g_assert_cmpuint (pt_engine_get_batch_size (f->engine), ==, 256);
  g_assert_cmpuint (find_message (f, PT_MESSAGE_CONFIG_APPLIED, id)->payload.applied.batch.batch_size,
                    ==, 256);
  pt_engine_stop (f->engine);
}

static gboolean
has_recovered (gpointer user_data)
{
  Fixture *f = user_data;
  g_autoptr(PtEngineMetrics) metrics = pt_engine_get_metrics (f->engine);

  /* Every drop reported, and batches flowing again with the note back. */
  return f->overflow_reported == metrics->dropped_frames && f->batches > 40 && has_note (f);
}

/* The main thread stalls while the clock source runs on: the 16 pooled
 * batches of 1024 frames cover 341 ms, then frames are dropped. The drops
 * reported add up to the frames missing from the stream (first_frame jumps
 * by them: on_batch checks it), and the pipeline recovers on its own. */
static void
test_stalled_main_thread (Fixture       *f,
                          gconstpointer  data)
{
  PtTestSignalConfig signal = { TRUE, PT_WAVEFORM_SINE, 440.0, 0.5 };
  gint64 deadline;
  guint64 dropped = 0;

  pt_engine_configure_test_signal (f->engine, &signal);
  pt_engine_start (f->engine);
  pt_test_assert_eventually (f->context, has_note, f, PT_TEST_TIMEOUT_UNIT_S);
  f->batches = 0;

  /* Stall: no dispatch until a quarter second of audio has been dropped. */
  deadline = g_get_monotonic_time () + PT_TEST_TIMEOUT_UNIT_S * G_USEC_PER_SEC;
  while (dropped < 12000 && g_get_monotonic_time () < deadline)
    {
      g_autoptr(PtEngineMetrics) metrics = pt_engine_get_metrics (f->engine);

      dropped = metrics->dropped_frames;
      g_thread_yield ();
    }
  g_assert_cmpuint (dropped, >=, 12000);

  pt_test_assert_eventually (f->context, has_recovered, f, PT_TEST_TIMEOUT_UNIT_S);
  g_test_message ("%" G_GUINT64_FORMAT " frames dropped and reported, %u batches since",
                  f->overflow_reported, f->batches);
  pt_engine_stop (f->engine);
}

static void
assert_notifies_once (PtEngine   *engine,
                      const char *property,
                      GType       type,
                      ...)
{
  g_auto(GValue) value = G_VALUE_INIT;
  va_list args;

  g_value_init (&value, type);
  va_start (args, type);
  if (type == G_TYPE_BOOLEAN)
    g_value_set_boolean (&value, va_arg (args, gboolean));
  else if (type == G_TYPE_INT)
    g_value_set_int (&value, va_arg (args, int));
  else if (type == G_TYPE_DOUBLE)
    g_value_set_double (&value, va_arg (args, double));
  else
    g_value_set_enum (&value, va_arg (args, int));
  va_end (args);
  pt_test_assert_notifies_once (engine, property, &value);
}

static double
cents_off (double frequency,
           double reference)
{
  return 1200.0 * log2 (frequency / reference);
}

/* Off at first; the tonic (C) in octave 4 at A4 = 440 Hz is C4; a chosen
 * note and the analyser's reference move it; each setter notifies once. */
static void
test_drone_settings (Fixture       *f,
                     gconstpointer  data)
{
  PtPitchAnalyzer *pitch = pt_engine_get_pitch_analyzer (f->engine);
  guint count = 0;

  g_assert_false (pt_engine_get_drone_enabled (f->engine));
  g_assert_false (pt_engine_get_monitor (f->engine));
  g_assert_cmpfloat (fabs (cents_off (pt_engine_get_drone_frequency (f->engine), 261.63)), <, 0.1);

  assert_notifies_once (f->engine, "drone-note", G_TYPE_INT, 9);
  g_assert_cmpfloat_with_epsilon (pt_engine_get_drone_frequency (f->engine), 440.0, 1e-9);
  assert_notifies_once (f->engine, "drone-octave", G_TYPE_INT, 3);
  g_assert_cmpfloat_with_epsilon (pt_engine_get_drone_frequency (f->engine), 220.0, 1e-9);
  g_signal_connect (f->engine, "notify::drone-frequency", G_CALLBACK (pt_test_count_notify),
                    &count);
  g_object_set (pitch, "reference", 442.0, NULL);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpfloat_with_epsilon (pt_engine_get_drone_frequency (f->engine), 221.0, 1e-9);

  assert_notifies_once (f->engine, "drone-volume", G_TYPE_DOUBLE, 0.25);
  assert_notifies_once (f->engine, "drone-waveform", PT_TYPE_DRONE_WAVEFORM,
                        PT_DRONE_WAVEFORM_ORGAN);
  assert_notifies_once (f->engine, "monitor", G_TYPE_BOOLEAN, TRUE);
  /* With no server there is nothing to play on, and nothing fails. */
  assert_notifies_once (f->engine, "drone-enabled", G_TYPE_BOOLEAN, TRUE);
  g_assert_false (pt_engine_get_monitor_refused (f->engine));
  g_assert_cmpuint (f->errors->len, ==, 0);
}

static gboolean
is_at_smallest_batch (gpointer user_data)
{
  Fixture *f = user_data;

  return pt_engine_get_batch_size (f->engine) == PT_BATCH_SIZE_MIN;
}

/* Adaptive, on a main side that keeps up, the size comes down from the
 * configured one to 128 once the hold has passed, acknowledged. */
static void
test_adaptive_comes_down (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(PtEngineMetrics) metrics = NULL;
  guint32 id;

  pt_engine_start (f->engine);
  id = pt_engine_configure_batch (f->engine, 256, 50, TRUE);
  g_assert_true (pt_engine_get_adaptive (f->engine));
  wait_for_reply (f, PT_MESSAGE_CONFIG_APPLIED, id);
  g_assert_cmpuint (pt_engine_get_batch_size (f->engine), ==, 256);

  /* The shrink hold is two seconds of keeping up. */
  pt_test_assert_eventually (f->context, is_at_smallest_batch, f, PT_TEST_TIMEOUT_SERVER_S);
  metrics = pt_engine_get_metrics (f->engine);
  g_assert_cmpuint (metrics->envelopes_out[PT_MESSAGE_UPDATE_BATCH_CONFIG], ==, 2);
  g_assert_cmpuint (metrics->envelopes_in[PT_MESSAGE_CONFIG_APPLIED], ==, 2);
  g_assert_cmpuint (metrics->dropped_frames, ==, 0);

  pt_engine_configure_batch (f->engine, 1024, 50, FALSE);
  g_assert_false (pt_engine_get_adaptive (f->engine));
  pt_engine_stop (f->engine);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/pitch-toy/engine/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("stopped-answers", test_stopped_answers);
  ADD ("no-server-falls-back", test_no_server_falls_back);
  ADD ("batch-size-in-force", test_batch_size_in_force);
  ADD ("stalled-main-thread", test_stalled_main_thread);
  ADD ("drone-settings", test_drone_settings);
  ADD ("adaptive-comes-down", test_adaptive_comes_down);
#undef ADD

  return g_test_run ();
}
