/* bench-monitor.c — the monitor's round trip on the harness's private
 * PipeWire server: tone bursts fed to the virtual microphone, the time from
 * a burst's onset in the engine's capture (the capture callback's clock, as
 * the batches are stamped) to its onset on a recording of the speaker sink
 * (the same clock, the recorder's callback). Prints the median and the
 * spread at the batch sizes 128 and 1024 (the graph's quantum follows the
 * batch); never fails on time.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include <glib/gstdio.h>

#include "pt-engine.h"
#include "pt-stats.h"
#include "pt-test-util.h"

#define RATE           48000
#define BURST_FRAMES   (RATE / 4)
#define N_BURSTS       20
#define AMPLITUDE      0.5
#define QUIET_FRAMES   (RATE / 20)   /* before an onset */
#define ONSET_FRACTION 0.2           /* of the side's own peak */

typedef struct
{
  GArray *onsets;    /* double, ms */
  guint   quiet;     /* frames below the threshold so far */
  double  threshold;
} Onsets;

static void
find_onsets (Onsets      *o,
             const float *samples,
             gsize        n,
             double       (*time_of) (gpointer, gsize),
             gpointer     data)
{
  for (gsize i = 0; i < n; i++)
    {
      if (fabs (samples[i]) < o->threshold)
        {
          o->quiet++;
          continue;
        }
      if (o->quiet >= QUIET_FRAMES)
        g_array_append_val (o->onsets, (double) { time_of (data, i) });
      o->quiet = 0;
    }
}

static double
batch_time (gpointer data,
            gsize    i)
{
  const PtAudioDataBatch *batch = data;

  return batch->first_frame_time_ms + i * 1000.0 / batch->sample_rate;
}

static void
on_batch (PtEngine   *engine,
          PtEnvelope *envelope,
          Onsets     *capture)
{
  find_onsets (capture, envelope->payload.batch.samples, envelope->payload.batch.sample_count,
               batch_time, &envelope->payload.batch);
}

static double
recorder_time (gpointer data,
               gsize    i)
{
  return pt_test_recorder_get_frame_time_ms (data, i);
}

static GSubprocess *
play_bursts (const char *dir)
{
  g_autofree char *wav = g_build_filename (dir, "bursts.wav", NULL);
  g_autofree float *samples = g_new0 (float, 2 * BURST_FRAMES * N_BURSTS);
  g_autoptr(GError) error = NULL;
  GSubprocess *player;

  for (guint b = 0; b < N_BURSTS; b++)
    pt_test_fill_sine (samples + (2 * b + 1) * BURST_FRAMES, BURST_FRAMES, RATE, 440.0,
                       AMPLITUDE, 0.0);
  if (!pt_test_write_wav (wav, samples, 2 * BURST_FRAMES * N_BURSTS, RATE, &error) ||
      (player = pt_test_play_into_feed (wav, &error)) == NULL)
    g_error ("%s", error->message);
  return player;
}

static void
on_played (GObject      *player,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (player), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* Iterates the main context, so the engine keeps dispatching. */
static void
wait_played (GSubprocess *player)
{
  gboolean played = FALSE;

  g_subprocess_wait_async (player, NULL, on_played, &played);
  while (!played)
    g_main_context_iteration (NULL, TRUE);
}

static void
measure (PtEngine   *engine,
         guint       batch_size,
         const char *dir)
{
  gsize n_frames = (gsize) (2 * BURST_FRAMES * N_BURSTS + RATE);
  Onsets capture = { g_array_new (FALSE, FALSE, sizeof (double)), 0, ONSET_FRACTION * AMPLITUDE };
  Onsets speaker = { g_array_new (FALSE, FALSE, sizeof (double)), 0, 0.0 };
  g_autoptr(PtTestRecorder) recorder = NULL;
  g_autoptr(GSubprocess) player = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) trips = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(PtEngineMetrics) metrics = NULL;
  gulong handler;
  double peak = 0.0;

  pt_engine_configure_batch (engine, batch_size, 50, FALSE);
  recorder = pt_test_recorder_new (pt_test_harness_env ("PT_TEST_SPEAKER_NODE"), TRUE, n_frames,
                                   &error);
  g_assert_no_error (error);
  handler = g_signal_connect (engine, "batch", G_CALLBACK (on_batch), &capture);
  player = play_bursts (dir);
  wait_played (player);
  pt_test_recorder_wait_frames (recorder, g_main_context_default (),
                                pt_test_recorder_get_n_frames (recorder) + RATE / 2,
                                PT_TEST_TIMEOUT_SERVER_S);
  g_signal_handler_disconnect (engine, handler);
  metrics = pt_engine_get_metrics (engine);

  for (gsize i = 0; i < pt_test_recorder_get_n_frames (recorder); i++)
    peak = MAX (peak, fabs (pt_test_recorder_get_samples (recorder)[i]));
  speaker.threshold = ONSET_FRACTION * peak;
  find_onsets (&speaker, pt_test_recorder_get_samples (recorder),
               pt_test_recorder_get_n_frames (recorder), recorder_time, recorder);

  /* Each capture onset with the first speaker onset after it. */
  for (guint c = 0, s = 0; c < capture.onsets->len && s < speaker.onsets->len; c++)
    {
      double at = g_array_index (capture.onsets, double, c);

      while (s < speaker.onsets->len && g_array_index (speaker.onsets, double, s) < at)
        s++;
      if (s < speaker.onsets->len)
        g_array_append_val (trips, (double) { g_array_index (speaker.onsets, double, s) - at });
    }
  if (trips->len == 0)
    g_error ("no burst went round (%u captured, %u heard)", capture.onsets->len,
             speaker.onsets->len);
  printf ("batch %4u: %u bursts, capture to speaker p50 %.2f ms, min %.2f, max %.2f "
          "(quantum %u)\n", batch_size, trips->len,
          pt_quantile ((double *) trips->data, trips->len, 0.5),
          pt_quantile ((double *) trips->data, trips->len, 0.0),
          pt_quantile ((double *) trips->data, trips->len, 1.0), metrics->quantum);
  g_array_unref (capture.onsets);
  g_array_unref (speaker.onsets);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PtEngine) engine = pt_engine_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pt-bench-monitor-XXXXXX", &error);
  g_autofree char *wav = NULL;

  g_assert_no_error (error);
  pt_engine_start (engine);
  while (pt_engine_get_state (engine) != PT_ENGINE_STATE_RUNNING)
    g_main_context_iteration (NULL, TRUE);
  pt_engine_set_monitor (engine, TRUE);

  printf ("monitor-round-trip: bursts of 440 Hz into the virtual microphone, heard on the "
          "speaker sink\n");
  measure (engine, 128, dir);
  measure (engine, 1024, dir);
  pt_engine_stop (engine);

  wav = g_build_filename (dir, "bursts.wav", NULL);
  g_unlink (wav);
  g_rmdir (dir);
  return 0;
}
