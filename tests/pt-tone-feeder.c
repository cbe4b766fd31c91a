/* pt-tone-feeder.c — the harness's tone source: a PipeWire playback stream
 * that plays one sine per channel into a target node, endlessly, with
 * continuous phase. It stands in for `pw-cat -` fed from a pipe, which
 * PipeWire 0.3.65's pw-cat crashes on when the graph around it is relinked.
 *
 *   pt-tone-feeder NODE-NAME TARGET AMPLITUDE FREQ [FREQ...]
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>
#include <pipewire/pipewire.h>
#include <spa/param/audio/format-utils.h>

#define RATE         48000
#define MAX_CHANNELS 8

typedef struct
{
  struct pw_main_loop *loop;
  struct pw_stream    *stream;
  guint                n_channels;
  double               amplitude;
  double               step[MAX_CHANNELS];
  double               phase[MAX_CHANNELS];
} Feeder;

static void
on_process (void *data)
{
  Feeder *f = data;
  struct pw_buffer *buffer = pw_stream_dequeue_buffer (f->stream);
  struct spa_data *d;
  float *out;
  guint n_frames;

  if (buffer == NULL)
    return;
  d = &buffer->buffer->datas[0];
  if ((out = d->data) == NULL)
    return;

  n_frames = d->maxsize / (sizeof (float) * f->n_channels);
  if (buffer->requested > 0)
    n_frames = MIN (n_frames, buffer->requested);
  for (guint i = 0; i < n_frames; i++)
    for (guint c = 0; c < f->n_channels; c++)
      {
        out[i * f->n_channels + c] = (float) (f->amplitude * sin (f->phase[c]));
        f->phase[c] = fmod (f->phase[c] + f->step[c], 2.0 * G_PI);
      }

  d->chunk->offset = 0;
  d->chunk->stride = sizeof (float) * f->n_channels;
  d->chunk->size = n_frames * d->chunk->stride;
  pw_stream_queue_buffer (f->stream, buffer);
}

static const struct pw_stream_events stream_events = {
  PW_VERSION_STREAM_EVENTS,
  .process = on_process,
};

static void
on_quit (void *data,
         int   signal_number)
{
  pw_main_loop_quit (((Feeder *) data)->loop);
}

int
main (int   argc,
      char *argv[])
{
  Feeder f = { 0 };
  guint8 pod_buffer[1024];
  struct spa_pod_builder builder = SPA_POD_BUILDER_INIT (pod_buffer, sizeof pod_buffer);
  struct spa_audio_info_raw info = { .format = SPA_AUDIO_FORMAT_F32, .rate = RATE };
  const struct spa_pod *params[1];

  if (argc < 5 || argc - 4 > MAX_CHANNELS)
    {
      fprintf (stderr, "usage: %s NODE-NAME TARGET AMPLITUDE FREQ [FREQ...]\n", argv[0]);
      return 1;
    }

  pw_init (&argc, &argv);
  f.n_channels = argc - 4;
  f.amplitude = g_ascii_strtod (argv[3], NULL);
  for (guint c = 0; c < f.n_channels; c++)
    f.step[c] = 2.0 * G_PI * g_ascii_strtod (argv[4 + c], NULL) / RATE;
  info.channels = f.n_channels;
  if (f.n_channels == 1)
    info.position[0] = SPA_AUDIO_CHANNEL_MONO;
  else
    for (guint c = 0; c < f.n_channels; c++)
      info.position[c] = SPA_AUDIO_CHANNEL_AUX0 + c;
  if (f.n_channels == 2)
    {
      info.position[0] = SPA_AUDIO_CHANNEL_FL;
      info.position[1] = SPA_AUDIO_CHANNEL_FR;
    }

  f.loop = pw_main_loop_new (NULL);
  pw_loop_add_signal (pw_main_loop_get_loop (f.loop), SIGINT, on_quit, &f);
  pw_loop_add_signal (pw_main_loop_get_loop (f.loop), SIGTERM, on_quit, &f);
  f.stream = pw_stream_new_simple (pw_main_loop_get_loop (f.loop), argv[1],
                                   pw_properties_new (PW_KEY_MEDIA_TYPE, "Audio",
                                                      PW_KEY_MEDIA_CATEGORY, "Playback",
                                                      PW_KEY_NODE_NAME, argv[1],
                                                      PW_KEY_TARGET_OBJECT, argv[2],
                                                      "node.dont-reconnect", "true",
                                                      NULL),
                                   &stream_events, &f);
  params[0] = spa_format_audio_raw_build (&builder, SPA_PARAM_EnumFormat, &info);
  pw_stream_connect (f.stream, PW_DIRECTION_OUTPUT, PW_ID_ANY,
                     PW_STREAM_FLAG_AUTOCONNECT | PW_STREAM_FLAG_MAP_BUFFERS |
                     PW_STREAM_FLAG_RT_PROCESS, params, 1);
  pw_main_loop_run (f.loop);

  pw_stream_destroy (f.stream);
  pw_main_loop_destroy (f.loop);
  pw_deinit ();
  return 0;
}
