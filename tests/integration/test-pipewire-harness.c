/* test-pipewire-harness.c — proves the private PipeWire server of the test
 * harness works: a capture stream on the virtual microphone receives the tone
 * the test plays into the feed, at the level and frequency it was played.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <spa/param/audio/format-utils.h>
#include <pipewire/pipewire.h>
#include <glib/gstdio.h>

#include "pt-test-util.h"

#define SAMPLE_RATE    48000
#define TONE_HZ        440.0
#define TONE_AMPLITUDE 0.5                    /* -6 dBFS */
#define TONE_SECONDS   20
#define CAPTURE_FRAMES (SAMPLE_RATE * 30)
#define ONSET_LEVEL    0.05f
#define WANTED_FRAMES  (SAMPLE_RATE)          /* one second of tone */

typedef struct
{
  struct pw_thread_loop *loop;
  struct pw_stream      *stream;
  struct spa_hook        listener;
  float                 *captured;            /* preallocated; the RT thread only appends */
  gint                   n_captured;          /* atomic */
  gint                   onset;               /* atomic: first frame of the tone, -1 before */
} Capture;

static void
on_process (void *data)
{
  Capture *capture = data;
  struct pw_buffer *buffer = pw_stream_dequeue_buffer (capture->stream);
  struct spa_data *d;
  guint n, have;

  if (buffer == NULL)
    return;

  d = &buffer->buffer->datas[0];
  have = (guint) g_atomic_int_get (&capture->n_captured);
  n = MIN (d->chunk->size / sizeof (float), CAPTURE_FRAMES - have);
  if (d->data != NULL)
    {
      const float *in = SPA_PTROFF (d->data, d->chunk->offset, const float);

      for (guint i = 0; i < n; i++)
        {
          capture->captured[have + i] = in[i];
          if (fabsf (in[i]) > ONSET_LEVEL && g_atomic_int_get (&capture->onset) < 0)
            g_atomic_int_set (&capture->onset, (gint) (have + i));
        }
      g_atomic_int_set (&capture->n_captured, (gint) (have + n));
    }
  pw_stream_queue_buffer (capture->stream, buffer);
  g_main_context_wakeup (NULL);
}

static const struct pw_stream_events capture_events = {
  PW_VERSION_STREAM_EVENTS,
  .process = on_process,
};

static void
capture_start (Capture *capture)
{
  uint8_t pod_buffer[1024];
  struct spa_pod_builder builder = SPA_POD_BUILDER_INIT (pod_buffer, sizeof pod_buffer);
  const struct spa_pod *params[1];
  struct spa_audio_info_raw format = { .format = SPA_AUDIO_FORMAT_F32, .rate = SAMPLE_RATE,
                                       .channels = 1, .position = { SPA_AUDIO_CHANNEL_MONO } };

  capture->captured = g_new0 (float, CAPTURE_FRAMES);
  capture->onset = -1;
  capture->loop = pw_thread_loop_new ("pt-test-capture", NULL);
  capture->stream = pw_stream_new_simple (pw_thread_loop_get_loop (capture->loop),
                                          "pt-test-capture",
                                          pw_properties_new (PW_KEY_MEDIA_TYPE, "Audio",
                                                             PW_KEY_MEDIA_CATEGORY, "Capture",
                                                             PW_KEY_MEDIA_ROLE, "Music",
                                                             PW_KEY_TARGET_OBJECT,
                                                             pt_test_harness_env ("PT_TEST_MIC_NODE"),
                                                             NULL),
                                          &capture_events, capture);
  g_assert_nonnull (capture->stream);
  params[0] = spa_format_audio_raw_build (&builder, SPA_PARAM_EnumFormat, &format);

  g_assert_cmpint (pw_stream_connect (capture->stream, PW_DIRECTION_INPUT, PW_ID_ANY,
                                      PW_STREAM_FLAG_AUTOCONNECT | PW_STREAM_FLAG_MAP_BUFFERS
                                      | PW_STREAM_FLAG_RT_PROCESS,
                                      params, 1), ==, 0);
  g_assert_cmpint (pw_thread_loop_start (capture->loop), ==, 0);
}

static void
capture_stop (Capture *capture)
{
  pw_thread_loop_lock (capture->loop);
  pw_stream_destroy (capture->stream);
  pw_thread_loop_unlock (capture->loop);
  pw_thread_loop_stop (capture->loop);
  pw_thread_loop_destroy (capture->loop);
  g_free (capture->captured);
}

static gboolean
has_one_second_of_tone (gpointer user_data)
{
  Capture *capture = user_data;
  int onset = g_atomic_int_get (&capture->onset);

  return onset >= 0 && g_atomic_int_get (&capture->n_captured) >= onset + WANTED_FRAMES;
}

static void
test_capture_receives_tone (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *tone = g_new (float, SAMPLE_RATE * TONE_SECONDS);
  g_autofree char *dir = g_dir_make_tmp ("pt-harness-XXXXXX", &error);
  g_autofree char *wav = NULL;
  g_autoptr(GSubprocess) player = NULL;
  Capture capture = { 0 };
  const float *steady;
  double rms, frequency;

  g_assert_no_error (error);
  wav = g_build_filename (dir, "tone.wav", NULL);
  pt_test_fill_sine (tone, SAMPLE_RATE * TONE_SECONDS, SAMPLE_RATE, TONE_HZ, TONE_AMPLITUDE, 0);
  g_assert_true (pt_test_write_wav (wav, tone, SAMPLE_RATE * TONE_SECONDS, SAMPLE_RATE, &error));
  g_assert_no_error (error);

  capture_start (&capture);
  player = pt_test_play_into_feed (wav, &error);
  g_assert_no_error (error);

  pt_test_assert_eventually (NULL, has_one_second_of_tone, &capture, PT_TEST_TIMEOUT_SERVER_S);

  /* The second half of the first second: past any fade-in of the loopback. */
  steady = capture.captured + capture.onset + WANTED_FRAMES / 2;
  rms = pt_test_measure_tone_rms (steady, WANTED_FRAMES / 2);
  frequency = pt_test_measure_frequency (steady, WANTED_FRAMES / 2, SAMPLE_RATE);
  g_test_message ("captured %d frames, tone from frame %d: %.2f Hz, RMS %.4f",
                  capture.n_captured, capture.onset, frequency, rms);

  g_assert_cmpfloat_with_epsilon (rms, TONE_AMPLITUDE / G_SQRT2, 0.01);
  g_assert_cmpfloat_with_epsilon (frequency, TONE_HZ, 1.0);

  g_subprocess_force_exit (player);
  g_subprocess_wait (player, NULL, NULL);
  capture_stop (&capture);
  g_unlink (wav);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  pw_init (&argc, &argv);

  g_test_add_func ("/pitch-toy/harness/capture-receives-tone", test_capture_receives_tone);

  return g_test_run ();
}
