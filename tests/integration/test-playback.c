/* test-playback.c — the engine's playback on the harness's private server,
 * heard through a recording of the speaker sink's monitor: with the monitor
 * on, the speaker plays the tone fed to the microphone and the microphone
 * does not hear it back; the drone sounds the tonic (A4 = 440 Hz, tonic C:
 * C4 = 261.63 Hz) within 0.1 cent, fades in without a step larger than its
 * own and, switched off, leaves silence; a monitor that would play into the
 * sink being captured is refused; the drone plays again after the server
 * restarts. Each case in a world of its own.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gstdio.h>

#include "pt-drone.h"
#include "pt-engine.h"
#include "pt-test-util.h"

#define SAMPLE_RATE    48000
#define TONE_HZ        440.0
#define TONE_AMPLITUDE 0.5
#define TONE_SECONDS   30
#define C4_HZ          261.6255653005986
#define FADE_FRAMES    ((gsize) (PT_DRONE_FADE_MS * SAMPLE_RATE / 1000))
#define SILENT_RMS     1e-4

typedef struct
{
  GMainContext *context;
  PtEngine     *engine;
  GPtrArray    *errors;
  char         *dir;
  GSubprocess  *player;
  guint         loud_batches;    /* of the fed tone at its level */
  double        max_rms;         /* of any batch since the last reset */
} Fixture;

static void
on_batch (PtEngine   *engine,
          PtEnvelope *envelope,
          Fixture    *f)
{
  const PtAudioDataBatch *batch = &envelope->payload.batch;
  double rms = pt_test_measure_tone_rms (batch->samples, batch->sample_count);

  f->max_rms = MAX (f->max_rms, rms);
  if (rms > 0.3)
    f->loud_batches++;
}

static void
on_error (PtEngine     *engine,
          const GError *error,
          Fixture      *f)
{
  g_ptr_array_add (f->errors, g_error_copy (error));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->context = g_main_context_new ();
  g_main_context_push_thread_default (f->context);
  f->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  f->engine = pt_engine_new ();
  g_signal_connect (f->engine, "batch", G_CALLBACK (on_batch), f);
  g_signal_connect (f->engine, "error", G_CALLBACK (on_error), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->player != NULL)
    {
      g_subprocess_force_exit (f->player);
      g_subprocess_wait (f->player, NULL, NULL);
      g_clear_object (&f->player);
    }
  pt_engine_stop (f->engine);
  g_assert_finalize_object (f->engine);
  g_ptr_array_unref (f->errors);
  if (f->dir != NULL)
    {
      g_autofree char *wav = g_build_filename (f->dir, "tone.wav", NULL);

      g_unlink (wav);
      g_rmdir (f->dir);
      g_free (f->dir);
    }
  g_main_context_pop_thread_default (f->context);
  g_main_context_unref (f->context);
}

static void
start_engine (Fixture *f)
{
  pt_engine_start (f->engine);
  pt_test_assert_enum_eventually (f->context, f->engine, "state", PT_ENGINE_STATE_RUNNING,
                                  PT_TEST_TIMEOUT_SERVER_S);
}

static PtTestRecorder *
record_speaker (gsize n_frames)
{
  g_autoptr(GError) error = NULL;
  PtTestRecorder *recorder = pt_test_recorder_new (pt_test_harness_env ("PT_TEST_SPEAKER_NODE"),
                                                   TRUE, n_frames, &error);

  g_assert_no_error (error);
  return recorder;
}

static void
wait_recorded (Fixture        *f,
               PtTestRecorder *recorder,
               gsize           n_frames)
{
  g_assert_true (pt_test_recorder_wait_frames (recorder, f->context, n_frames,
                                               PT_TEST_TIMEOUT_SERVER_S));
}

static void
play_tone (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *tone = g_new (float, SAMPLE_RATE * TONE_SECONDS);
  g_autofree char *wav = NULL;

  f->dir = g_dir_make_tmp ("pt-playback-XXXXXX", &error);
  g_assert_no_error (error);
  wav = g_build_filename (f->dir, "tone.wav", NULL);
  pt_test_fill_sine (tone, SAMPLE_RATE * TONE_SECONDS, SAMPLE_RATE, TONE_HZ, TONE_AMPLITUDE, 0);
  g_assert_true (pt_test_write_wav (wav, tone, SAMPLE_RATE * TONE_SECONDS, SAMPLE_RATE, &error));
  g_assert_no_error (error);
  f->player = pt_test_play_into_feed (wav, &error);
  g_assert_no_error (error);
}

static gboolean
hears_tone (gpointer user_data)
{
  Fixture *f = user_data;

  return f->loud_batches >= 10;
}

/* The speaker plays the fed tone; the microphone gets the tone at the level
 * it was fed, nothing of the speaker on top. */
static void
test_monitor_plays_input (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(PtTestRecorder) recorder = NULL;
  const float *samples;
  double frequency, rms;

  start_engine (f);
  pt_engine_set_monitor (f->engine, TRUE);
  play_tone (f);
  pt_test_assert_eventually (f->context, hears_tone, f, PT_TEST_TIMEOUT_SERVER_S);

  f->max_rms = 0.0;
  recorder = record_speaker (SAMPLE_RATE);
  wait_recorded (f, recorder, SAMPLE_RATE);
  samples = pt_test_recorder_get_samples (recorder);
  frequency = pt_test_measure_frequency (samples, SAMPLE_RATE, SAMPLE_RATE);
  rms = pt_test_measure_tone_rms (samples, SAMPLE_RATE);
  g_test_message ("speaker: %.3f Hz, RMS %.4f; microphone's batches at most RMS %.4f",
                  frequency, rms, f->max_rms);
  g_assert_cmpfloat_with_epsilon (frequency, TONE_HZ, 0.5);
  g_assert_cmpfloat (rms, >, 0.1);
  g_assert_cmpfloat (f->max_rms, <, TONE_AMPLITUDE / G_SQRT2 + 0.01);
  g_assert_false (pt_engine_get_monitor_refused (f->engine));
  g_assert_cmpuint (f->errors->len, ==, 0);
}

static double
max_step (const float *samples,
          gsize        from,
          gsize        to)
{
  double step = 0.0;

  for (gsize i = from + 1; i < to; i++)
    step = MAX (step, fabs ((double) samples[i] - samples[i - 1]));
  return step;
}

static gsize
find_onset (const float *samples,
            gsize        n_samples)
{
  for (gsize i = 0; i < n_samples; i++)
    if (samples[i] != 0.0f)
      return i;
  return n_samples;
}

static gboolean
drone_is_silent (gpointer user_data)
{
  Fixture *f = user_data;

  return pt_engine_get_drone_silent (f->engine);
}

static void
assert_speaker_silent (Fixture *f)
{
  g_autoptr(PtTestRecorder) recorder = record_speaker (SAMPLE_RATE / 2);
  const float *samples;

  wait_recorded (f, recorder, SAMPLE_RATE / 2);
  samples = pt_test_recorder_get_samples (recorder);
  g_assert_cmpfloat (max_step (samples, 0, SAMPLE_RATE / 2), ==, 0.0);
  g_assert_cmpfloat (fabs (samples[0]), ==, 0.0);
}

/* Recorded from before it starts: silence, the fade, the steady tone. */
static void
test_drone_on_tonic (Fixture       *f,
                     gconstpointer  data)
{
  gsize lead = SAMPLE_RATE / 10, n = lead + 3 * SAMPLE_RATE;
  g_autoptr(PtTestRecorder) recorder = record_speaker (n);
  const float *samples;
  gsize onset, steady_start;
  double frequency, cents, fade_step, steady_step;

  start_engine (f);
  g_assert_cmpfloat_with_epsilon (pt_engine_get_drone_frequency (f->engine), C4_HZ, 1e-9);
  wait_recorded (f, recorder, lead);
  f->max_rms = 0.0;
  pt_engine_set_drone_enabled (f->engine, TRUE);
  wait_recorded (f, recorder, n);

  samples = pt_test_recorder_get_samples (recorder);
  onset = find_onset (samples, n);
  g_assert_cmpuint (onset, >=, lead / 2);
  g_assert_cmpuint (onset + 2 * FADE_FRAMES + SAMPLE_RATE, <=, n);
  steady_start = onset + 2 * FADE_FRAMES;
  frequency = pt_test_measure_frequency (samples + steady_start, SAMPLE_RATE, SAMPLE_RATE);
  cents = 1200.0 * log2 (frequency / C4_HZ);
  fade_step = max_step (samples, onset, onset + FADE_FRAMES);
  steady_step = max_step (samples, steady_start, steady_start + SAMPLE_RATE);
  g_test_message ("drone: %.4f Hz (%.4f cents off C4); largest step fading in %.5f, "
                  "steady %.5f; microphone's batches at most RMS %.6f",
                  frequency, cents, fade_step, steady_step, f->max_rms);
  g_assert_cmpfloat (fabs (cents), <, 0.1);
  g_assert_cmpfloat (steady_step, >, 0.01);
  g_assert_cmpfloat (fade_step, <=, steady_step);
  /* The microphone does not hear the speaker. */
  g_assert_cmpfloat (f->max_rms, <, SILENT_RMS);

  pt_engine_set_drone_enabled (f->engine, FALSE);
  pt_test_assert_eventually (f->context, drone_is_silent, f, PT_TEST_TIMEOUT_SERVER_S);
  assert_speaker_silent (f);
}

/* The C4 the speaker plays over half a second, in cents off it. */
static double
drone_cents (Fixture *f)
{
  g_autoptr(PtTestRecorder) recorder = record_speaker (SAMPLE_RATE);
  const float *samples;

  wait_recorded (f, recorder, SAMPLE_RATE);
  samples = pt_test_recorder_get_samples (recorder);
  return 1200.0 * log2 (pt_test_measure_frequency (samples + SAMPLE_RATE / 2, SAMPLE_RATE / 2,
                                                   SAMPLE_RATE) / C4_HZ);
}

/* The server goes away and comes back while the drone plays: the drone
 * plays again, without being switched off and on. */
static void
test_drone_after_restart (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  double cents;

  start_engine (f);
  pt_engine_set_drone_enabled (f->engine, TRUE);
  cents = drone_cents (f);
  g_test_message ("before: %.3f cents off C4", cents);
  g_assert_cmpfloat (fabs (cents), <, 0.1);

  g_assert_true (pt_test_world_kill (&error));
  g_assert_no_error (error);
  pt_test_assert_enum_eventually (f->context, f->engine, "state", PT_ENGINE_STATE_FALLBACK,
                                  PT_TEST_TIMEOUT_SERVER_S);
  g_assert_true (pt_test_world_restart (&error));
  g_assert_no_error (error);
  pt_test_assert_enum_eventually (f->context, f->engine, "state", PT_ENGINE_STATE_RUNNING,
                                  PT_TEST_TIMEOUT_SERVER_S);
  cents = drone_cents (f);
  g_test_message ("after the restart: %.3f cents off C4", cents);
  g_assert_cmpfloat (fabs (cents), <, 0.1);
}

static gboolean
is_refused (gpointer user_data)
{
  Fixture *f = user_data;

  return pt_engine_get_monitor_refused (f->engine);
}

/* No microphone: WirePlumber gives the speaker's monitor as the default
 * source, so the monitor would play into what it captures. */
static void
test_feedback_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const GError *refusal;

  g_assert_true (pt_test_world_remove_source (pt_test_harness_env ("PT_TEST_MIC_NODE"), &error));
  g_assert_no_error (error);
  start_engine (f);
  g_assert_cmpstr (pt_engine_get_linked_device (f->engine), ==,
                   pt_test_harness_env ("PT_TEST_SPEAKER_NODE"));

  pt_engine_set_monitor (f->engine, TRUE);
  pt_test_assert_eventually (f->context, is_refused, f, PT_TEST_TIMEOUT_SERVER_S);
  g_assert_cmpuint (f->errors->len, ==, 1);
  refusal = g_ptr_array_index (f->errors, 0);
  g_test_message ("%s", refusal->message);
  g_assert_error (refusal, PT_WORKLET_ERROR, PT_WORKLET_ERROR_INVALID_CONFIGURATION);
  g_assert_true (pt_engine_get_monitor (f->engine));
  assert_speaker_silent (f);

  /* Off, nothing is refused any more. */
  pt_engine_set_monitor (f->engine, FALSE);
  g_assert_false (pt_engine_get_monitor_refused (f->engine));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/pitch-toy/playback/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("monitor-plays-input", test_monitor_plays_input);
  ADD ("drone-on-tonic", test_drone_on_tonic);
  ADD ("feedback-refused", test_feedback_refused);
  ADD ("drone-after-restart", test_drone_after_restart);
#undef ADD

  return g_test_run ();
}
