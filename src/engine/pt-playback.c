/* pt-playback.c — the playback stream.
 *
 * Threads. As in pt-capture.c: the thread loop runs the core and stream
 * events, the data loop runs process (PW_STREAM_FLAG_RT_PROCESS), which only
 * reads the ring, adds the drone, clamps and queues the buffer: no lock, no
 * allocation, no logging. The node id reaches the main thread as a property
 * through g_main_context_invoke.
 *
 * The ring's latency. The worklet writes a quantum each cycle and process
 * reads one; which of the two nodes runs first in a cycle is the graph's
 * choice, so the fill sits between none and a quantum. More than
 * MAX_QUEUED_QUANTA (a stall, or stale frames from before the monitor was
 * switched on) is skipped down to two quanta. An underrun plays silence.
 * The stream asks no node.latency of its own: the graph's quantum stays the
 * one the capture asks for (its batch size), and the playback follows it.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-playback"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <pipewire/pipewire.h>
#include <spa/param/audio/format-utils.h>

#include "pt-playback.h"

#define MAX_QUEUED_QUANTA 3

struct _PtPlayback
{
  GObject                parent_instance;

  PtRing                *ring;
  PtDrone               *drone;
  GMainContext          *main_context;

  struct pw_thread_loop *loop;
  struct pw_context     *context;
  struct pw_core        *core;
  struct pw_stream      *stream;
  struct spa_hook        stream_listener;

  int                    monitor;      /* atomic */
  guint                  sample_rate;  /* fixed while connected */
  guint                  generation;   /* of the stream, counted from 1 */
  guint32                node_id;      /* main thread */
};

G_DEFINE_FINAL_TYPE (PtPlayback, pt_playback, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NODE_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  PtPlayback *self;
  guint       generation;
  guint32     node_id;
} NodeEvent;

static void
node_event_free (gpointer data)
{
  NodeEvent *event = data;

  g_object_unref (event->self);
  g_free (event);
}

static void
set_node_id (PtPlayback *self,
             guint32     node_id)
{
  if (node_id == self->node_id)
    return;
  self->node_id = node_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODE_ID]);
}

static gboolean
dispatch_node_event (gpointer data)
{
  NodeEvent *event = data;

  /* One from a stream destroyed since no longer counts. */
  if (event->self->stream != NULL && event->generation == event->self->generation)
    set_node_id (event->self, event->node_id);
  return G_SOURCE_REMOVE;
}

/* Thread-loop thread. */
static void
on_stream_state_changed (void                 *data,
                         enum pw_stream_state  old,
                         enum pw_stream_state  state,
                         const char           *error)
{
  PtPlayback *self = data;
  NodeEvent *event = g_new0 (NodeEvent, 1);

  event->self = g_object_ref (self);
  event->generation = self->generation;
  event->node_id = pw_stream_get_node_id (self->stream);
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT, dispatch_node_event,
                              event, node_event_free);
}

static void
play_monitor (PtPlayback *self,
              float      *out,
              guint       n_frames)
{
  guint fill = pt_ring_get_fill (self->ring);

  if (fill > MAX_QUEUED_QUANTA * n_frames)
    pt_ring_skip (self->ring, fill - 2 * n_frames);
  pt_ring_read (self->ring, out, n_frames);
}

/* The data thread: no allocation, no lock, no logging. */
static void
on_stream_process (void *data)
{
  PtPlayback *self = data;
  struct pw_buffer *buffer = pw_stream_dequeue_buffer (self->stream);
  struct spa_data *d;
  float *out;
  guint n_frames;

  if (buffer == NULL)
    return;
  d = &buffer->buffer->datas[0];
  if ((out = d->data) == NULL)
    return;

  n_frames = d->maxsize / sizeof (float);
  if (buffer->requested > 0)
    n_frames = MIN (n_frames, buffer->requested);

  if (g_atomic_int_get (&self->monitor))
    play_monitor (self, out, n_frames);
  else
    memset (out, 0, n_frames * sizeof (float));
  pt_drone_add (self->drone, out, n_frames);
  for (guint i = 0; i < n_frames; i++)
    out[i] = isfinite (out[i]) ? CLAMP (out[i], -1.0f, 1.0f) : 0.0f;

  d->chunk->offset = 0;
  d->chunk->stride = sizeof (float);
  d->chunk->size = n_frames * sizeof (float);
  pw_stream_queue_buffer (self->stream, buffer);
}

static const struct pw_stream_events stream_events = {
  PW_VERSION_STREAM_EVENTS,
  .state_changed = on_stream_state_changed,
  .process = on_stream_process,
};

/* With the loop locked. */
static void
create_stream (PtPlayback *self)
{
  guint8 pod_buffer[1024];
  struct spa_pod_builder builder = SPA_POD_BUILDER_INIT (pod_buffer, sizeof pod_buffer);
  struct spa_audio_info_raw info = {
    .format = SPA_AUDIO_FORMAT_F32,
    .rate = self->sample_rate,
    .channels = 1,
    .position = { SPA_AUDIO_CHANNEL_MONO },
  };
  const struct spa_pod *params[1];
  struct pw_properties *props;

  props = pw_properties_new (PW_KEY_MEDIA_TYPE, "Audio",
                             PW_KEY_MEDIA_CATEGORY, "Playback",
                             PW_KEY_MEDIA_ROLE, "Production",
                             PW_KEY_APP_NAME, PACKAGE_NAME,
                             PW_KEY_APP_ID, APP_ID,
                             PW_KEY_NODE_NAME, "pitch-toy-playback",
                             PW_KEY_NODE_DESCRIPTION, PACKAGE_NAME,
                             NULL);
  self->stream = pw_stream_new (self->core, PACKAGE_NAME, props);
  pw_stream_add_listener (self->stream, &self->stream_listener, &stream_events, self);
  params[0] = spa_format_audio_raw_build (&builder, SPA_PARAM_EnumFormat, &info);
  pw_stream_connect (self->stream, PW_DIRECTION_OUTPUT, PW_ID_ANY,
                     PW_STREAM_FLAG_AUTOCONNECT | PW_STREAM_FLAG_MAP_BUFFERS |
                     PW_STREAM_FLAG_RT_PROCESS,
                     params, 1);
}

/* Public API (main thread). */

PtPlayback *
pt_playback_new (PtRing  *monitor,
                 PtDrone *drone)
{
  PtPlayback *self;

  g_return_val_if_fail (monitor != NULL && drone != NULL, NULL);

  self = g_object_new (PT_TYPE_PLAYBACK, NULL);
  self->ring = monitor;
  self->drone = drone;
  return self;
}

gboolean
pt_playback_connect (PtPlayback  *self,
                     guint        sample_rate,
                     GError     **error)
{
  g_return_val_if_fail (PT_IS_PLAYBACK (self), FALSE);
  g_return_val_if_fail (self->core == NULL, FALSE);
  g_return_val_if_fail (sample_rate > 0, FALSE);

  pw_thread_loop_lock (self->loop);
  self->core = pw_context_connect (self->context, NULL, 0);
  if (self->core == NULL)
    {
      int saved = errno;

      pw_thread_loop_unlock (self->loop);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot reach the PipeWire server: %s"), g_strerror (saved));
      return FALSE;
    }
  /* The data thread is not running yet: the drone's rate is still ours to set. */
  self->sample_rate = sample_rate;
  pt_drone_set_sample_rate (self->drone, sample_rate);
  self->generation++;
  create_stream (self);
  pw_thread_loop_unlock (self->loop);
  return TRUE;
}

void
pt_playback_disconnect (PtPlayback *self)
{
  g_return_if_fail (PT_IS_PLAYBACK (self));

  if (self->core == NULL)
    return;

  pw_thread_loop_lock (self->loop);
  spa_hook_remove (&self->stream_listener);
  /* Not g_clear_pointer (): the data thread may be in process (), which
   * reads self->stream, until pw_stream_destroy () has taken the stream off
   * the data loop. */
  pw_stream_destroy (self->stream);
  self->stream = NULL;
  g_clear_pointer (&self->core, pw_core_disconnect);
  pw_thread_loop_unlock (self->loop);
  set_node_id (self, SPA_ID_INVALID);
}

gboolean
pt_playback_is_connected (PtPlayback *self)
{
  g_return_val_if_fail (PT_IS_PLAYBACK (self), FALSE);
  return self->core != NULL;
}

guint
pt_playback_get_sample_rate (PtPlayback *self)
{
  g_return_val_if_fail (PT_IS_PLAYBACK (self), 0);
  return self->sample_rate;
}

void
pt_playback_set_monitor (PtPlayback *self,
                         gboolean    monitor)
{
  g_return_if_fail (PT_IS_PLAYBACK (self));
  g_atomic_int_set (&self->monitor, !!monitor);
}

guint32
pt_playback_get_node_id (PtPlayback *self)
{
  g_return_val_if_fail (PT_IS_PLAYBACK (self), SPA_ID_INVALID);
  return self->node_id;
}

/* GObject. */

static void
pt_playback_dispose (GObject *object)
{
  PtPlayback *self = PT_PLAYBACK (object);

  pt_playback_disconnect (self);
  if (self->loop != NULL)
    pw_thread_loop_stop (self->loop);
  g_clear_pointer (&self->context, pw_context_destroy);
  g_clear_pointer (&self->loop, pw_thread_loop_destroy);

  G_OBJECT_CLASS (pt_playback_parent_class)->dispose (object);
}

static void
pt_playback_finalize (GObject *object)
{
  PtPlayback *self = PT_PLAYBACK (object);

  g_clear_pointer (&self->main_context, g_main_context_unref);

  G_OBJECT_CLASS (pt_playback_parent_class)->finalize (object);
}

static void
pt_playback_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PtPlayback *self = PT_PLAYBACK (object);

  switch (prop_id)
    {
    case PROP_NODE_ID:
      g_value_set_uint (value, self->node_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_playback_class_init (PtPlaybackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pt_playback_dispose;
  object_class->finalize = pt_playback_finalize;
  object_class->get_property = pt_playback_get_property;

  properties[PROP_NODE_ID] = g_param_spec_uint ("node-id", NULL, NULL, 0, G_MAXUINT32,
                                                SPA_ID_INVALID,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pt_playback_init (PtPlayback *self)
{
  pw_init (NULL, NULL);

  self->main_context = g_main_context_ref_thread_default ();
  self->node_id = SPA_ID_INVALID;
  self->loop = pw_thread_loop_new ("pt-playback", NULL);
  self->context = pw_context_new (pw_thread_loop_get_loop (self->loop), NULL, 0);
  pw_thread_loop_start (self->loop);
}
