/* test-engine-live.c — the engine on the harness's private PipeWire server:
 * a tone played into the virtual microphone reaches the engine's batches at
 * the device's rate, level and frequency, in order with no frame lost, and
 * the pitch channel names the note; stopping takes the stream out of the
 * graph. Runs on a private main context under a watchdog.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gstdio.h>

#include "pt-device-monitor.h"
#include "pt-engine.h"
#include "pt-test-util.h"

#define SAMPLE_RATE    48000
#define TONE_HZ        440.0
#define TONE_AMPLITUDE 0.5
#define TONE_SECONDS   20

typedef struct
{
  GMainContext *context;
  PtEngine     *engine;
  char         *dir;
  GSubprocess  *player;
  guint64       next_sequence;
  guint64       next_frame;
  guint         batches;
  guint         loud_batches;   /* batches of the tone at its level */
  double        rate;
  GArray       *tone;           /* the loud batches' samples */
} Fixture;

static void
on_batch (PtEngine   *engine,
          PtEnvelope *envelope,
          Fixture    *f)
{
  const PtAudioDataBatch *batch = &envelope->payload.batch;

  /* In order; every jump of first_frame is a drop the batch reports. */
  g_assert_cmpuint (batch->sequence_number, ==, f->next_sequence);
  g_assert_cmpuint (batch->first_frame, ==, f->next_frame + batch->dropped_frames);
  g_assert_cmpuint (batch->dropped_frames, ==, 0);
  f->next_sequence++;
  f->next_frame = batch->first_frame + batch->sample_count;
  f->batches++;
  f->rate = batch->sample_rate;

  if (pt_test_measure_tone_rms (batch->samples, batch->sample_count) > 0.3)
    {
      f->loud_batches++;
      g_array_append_vals (f->tone, batch->samples, batch->sample_count);
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *tone = g_new (float, SAMPLE_RATE * TONE_SECONDS);
  g_autofree char *wav = NULL;

  f->context = g_main_context_new ();
  g_main_context_push_thread_default (f->context);
  f->tone = g_array_new (FALSE, FALSE, sizeof (float));
  f->engine = pt_engine_new ();
  /* As the headless mode does: the tests read the pitch channel's results. */
  pt_hub_channel_claim (pt_hub_lookup_channel (pt_engine_get_hub (f->engine), "pitch"));
  g_signal_connect (f->engine, "batch", G_CALLBACK (on_batch), f);

  f->dir = g_dir_make_tmp ("pt-engine-XXXXXX", &error);
  g_assert_no_error (error);
  wav = g_build_filename (f->dir, "tone.wav", NULL);
  pt_test_fill_sine (tone, SAMPLE_RATE * TONE_SECONDS, SAMPLE_RATE, TONE_HZ, TONE_AMPLITUDE, 0);
  g_assert_true (pt_test_write_wav (wav, tone, SAMPLE_RATE * TONE_SECONDS, SAMPLE_RATE, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *wav = g_build_filename (f->dir, "tone.wav", NULL);

  if (f->player != NULL)
    {
      g_subprocess_force_exit (f->player);
      g_subprocess_wait (f->player, NULL, NULL);
      g_clear_object (&f->player);
    }
  g_assert_finalize_object (f->engine);
  g_array_unref (f->tone);
  g_unlink (wav);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_main_context_pop_thread_default (f->context);
  g_main_context_unref (f->context);
}

static gboolean
has_second_of_tone (gpointer user_data)
{
  Fixture *f = user_data;
  PtPitchAnalyzer *pitch = pt_engine_get_pitch_analyzer (f->engine);

  return f->tone->len >= SAMPLE_RATE && pt_pitch_analyzer_get_voiced (pitch);
}

static void
play_tone (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wav = g_build_filename (f->dir, "tone.wav", NULL);

  f->player = pt_test_play_into_feed (wav, &error);
  g_assert_no_error (error);
}

static void
test_tone_reaches_engine (Fixture       *f,
                          gconstpointer  data)
{
  PtPitchAnalyzer *pitch = pt_engine_get_pitch_analyzer (f->engine);
  g_autoptr(PtEngineMetrics) metrics = NULL;
  double rms, frequency;

  pt_engine_start (f->engine);
  pt_test_assert_enum_eventually (f->context, f->engine, "state", PT_ENGINE_STATE_RUNNING,
                                  PT_TEST_TIMEOUT_SERVER_S);
  g_assert_cmpstr (pt_engine_get_linked_device (f->engine), ==,
                   pt_test_harness_env ("PT_TEST_MIC_NODE"));

  play_tone (f);
  pt_test_assert_eventually (f->context, has_second_of_tone, f, PT_TEST_TIMEOUT_SERVER_S);

  /* Typical periods: a loaded machine with no real-time scheduling may drop
   * a block of the graph now and then, which is PipeWire's, not ours. */
  rms = pt_test_measure_tone_rms ((float *) f->tone->data, f->tone->len);
  frequency = pt_test_measure_frequency ((float *) f->tone->data, f->tone->len, SAMPLE_RATE);
  g_test_message ("%u batches, %u of the tone: RMS %.4f, %.3f Hz, the analyser %.3f Hz",
                  f->batches, f->loud_batches, rms, frequency,
                  pt_pitch_analyzer_get_frequency (pitch));
  g_assert_cmpfloat (f->rate, ==, SAMPLE_RATE);
  g_assert_cmpfloat (pt_engine_get_sample_rate (f->engine), ==, SAMPLE_RATE);
  g_assert_cmpfloat_with_epsilon (rms, TONE_AMPLITUDE / G_SQRT2, 0.01);
  g_assert_cmpfloat_with_epsilon (frequency, TONE_HZ, 0.5);
  g_assert_cmpint (pt_pitch_analyzer_get_note (pitch)->nearest_midi, ==, 69);

  metrics = pt_engine_get_metrics (f->engine);
  g_assert_cmpuint (metrics->sequence_gaps, ==, 0);
  g_assert_cmpuint (metrics->dropped_frames, ==, 0);
  g_assert_cmpuint (metrics->invalid_envelopes, ==, 0);
  g_assert_cmpuint (metrics->quantum, >, 0);
  g_test_message ("quantum %u, delivery latency last %.3f mean %.3f p99 %.3f max %.3f ms",
                  metrics->quantum, metrics->latency_last_ms, metrics->latency_mean_ms,
                  metrics->latency_p99_ms, metrics->latency_max_ms);

  pt_engine_stop (f->engine);
  g_assert_cmpint (pt_engine_get_state (f->engine), ==, PT_ENGINE_STATE_STOPPED);
}

static gboolean
quantum_is (Fixture *f,
            guint    frames)
{
  g_autoptr(PtEngineMetrics) metrics = pt_engine_get_metrics (f->engine);

  return metrics->quantum == frames;
}

static gboolean
quantum_is_128 (gpointer user_data)
{
  return quantum_is (user_data, 128);
}

static gboolean
quantum_is_1024 (gpointer user_data)
{
  return quantum_is (user_data, 1024);
}

/* The stream asks for blocks as long as the batch: alone in the graph it
 * gets them, so the audio thread wakes once a batch. */
static void
test_quantum_follows_batch (Fixture       *f,
                            gconstpointer  data)
{
  pt_engine_start (f->engine);
  pt_test_assert_enum_eventually (f->context, f->engine, "state", PT_ENGINE_STATE_RUNNING,
                                  PT_TEST_TIMEOUT_SERVER_S);
  g_assert_cmpuint (pt_engine_get_batch_size (f->engine), ==, 1024);
  pt_test_assert_eventually (f->context, quantum_is_1024, f, PT_TEST_TIMEOUT_SERVER_S);

  pt_engine_configure_batch (f->engine, 128, PT_BATCH_TIMEOUT_DEFAULT_MS, FALSE);
  pt_test_assert_eventually (f->context, quantum_is_128, f, PT_TEST_TIMEOUT_SERVER_S);
  pt_engine_configure_batch (f->engine, 1024, PT_BATCH_TIMEOUT_DEFAULT_MS, FALSE);
  pt_test_assert_eventually (f->context, quantum_is_1024, f, PT_TEST_TIMEOUT_SERVER_S);
  pt_engine_stop (f->engine);
}

/* Stop takes our node out of the graph: the device monitor's server no
 * longer links anything to the microphone for us. */
static gboolean
is_unlinked (gpointer user_data)
{
  Fixture *f = user_data;

  return pt_engine_get_linked_device (f->engine) == NULL;
}

static void
test_stop_leaves_graph (Fixture       *f,
                        gconstpointer  data)
{
  pt_engine_start (f->engine);
  pt_test_assert_enum_eventually (f->context, f->engine, "state", PT_ENGINE_STATE_RUNNING,
                                  PT_TEST_TIMEOUT_SERVER_S);
  pt_engine_stop (f->engine);
  pt_test_assert_eventually (f->context, is_unlinked, f, PT_TEST_TIMEOUT_SERVER_S);

  /* And again: start after stop works. */
  pt_engine_start (f->engine);
  pt_test_assert_enum_eventually (f->context, f->engine, "state", PT_ENGINE_STATE_RUNNING,
                                  PT_TEST_TIMEOUT_SERVER_S);
  pt_engine_stop (f->engine);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/pitch-toy/engine-live/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("tone-reaches-engine", test_tone_reaches_engine);
  ADD ("stop-leaves-graph", test_stop_leaves_graph);
  ADD ("quantum-follows-batch", test_quantum_follows_batch);
#undef ADD

  return g_test_run ();
}
