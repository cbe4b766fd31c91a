/* pt-capture.c — the capture stream.
 *
 * Threads. The pw_thread_loop's thread runs the core, registry and stream
 * events; with PW_STREAM_FLAG_RT_PROCESS the process callback runs on the
 * context's data loop. Process dequeues a buffer, hands its frames to the
 * processor when the capture drives it, queues the buffer back: no lock, no
 * allocation, no logging. Everything else is said to the main thread as an
 * event (a small heap struct through g_main_context_invoke, from the
 * thread-loop thread only), where it becomes a property change.
 *
 * The partial batch's timeout is checked at the end of each cycle, on the
 * data thread; when cycles stop (no device left, the stream pauses) the
 * engine hands the processor to the clock source, whose cycles check it, so
 * no timer of our own runs on the data loop.
 *
 * The target. The chosen device, by node name, is the stream's
 * target.object property when it is created (so the first link is right),
 * and is then pinned as target.object for the stream's node in the `default`
 * metadata. WirePlumber keeps a pinned stream on its device through changes
 * of the system default (a stream that merely sits on the current default
 * would follow it), relinks it to the default when the device goes
 * (no node.dont-reconnect: capture goes on) and back when the device
 * returns; writing a new name moves a running stream in a few milliseconds,
 * with no new stream (pw_stream_update_properties does not move one). The
 * registry's Link globals tell which node the stream really is linked to.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-capture"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <pipewire/pipewire.h>
#include <pipewire/extensions/metadata.h>
#include <spa/param/audio/format-utils.h>

#include "pt-capture.h"

/* The quantum asked for until told otherwise: the smallest batch. The
 * request is a time; PipeWire scales it to the graph's rate. */
#define DEFAULT_LATENCY_FRAMES 128
#define LATENCY_FORMAT "%u/48000"

struct _PtCapture
{
  GObject                 parent_instance;

  PtProcessor            *processor;
  GMainContext           *main_context;

  struct pw_thread_loop  *loop;
  struct pw_context      *context;
  struct pw_core         *core;
  struct spa_hook         core_listener;
  struct pw_registry     *registry;
  struct spa_hook         registry_listener;
  struct Stream          *stream;
  struct pw_proxy        *metadata;     /* the `default` metadata, NULL until bound */
  struct spa_hook         metadata_listener;

  /* Thread-loop thread only. */
  guint                   generation;   /* of the stream, counted from 1 */
  GHashTable             *nodes;        /* id → Node */
  GHashTable             *links;        /* id → Link */
  guint32                 node_id;      /* the stream's, SPA_ID_INVALID before */
  guint32                 pinned_node;  /* the node whose target.object we wrote */
  guint32                 playback_node; /* the playback's, SPA_ID_INVALID when none */
  char                   *target;       /* the device wanted, NULL for the default */
  guint                   latency_frames;
  gboolean                lost;

  /* Audio thread, set from others. */
  int                     driving;      /* atomic */
  int                     in_process;   /* atomic: the data thread is in the callback */
  guint                   channels_now; /* atomic */
  guint                   quantum;      /* atomic */

  /* Main thread. */
  guint                   main_generation;  /* of the stream whose events count */
  PtCaptureState          state;
  guint                   sample_rate;
  guint                   channels;
  char                   *linked_device;
  char                   *playback_sink;
  GStrv                   sources;
};

G_DEFINE_FINAL_TYPE (PtCapture, pt_capture, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_SAMPLE_RATE,
  PROP_CHANNELS,
  PROP_LINKED_DEVICE,
  PROP_N_SOURCES,
  PROP_PLAYBACK_SINK,
  N_PROPS
};

enum {
  SIGNAL_SERVER_LOST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* One stream and what its callbacks need, fixed for its life: the data
 * thread reads it while the main thread may be making the next one. */
typedef struct Stream
{
  PtCapture        *capture;
  struct pw_stream *stream;
  struct spa_hook   listener;
  guint             generation;
} Stream;

typedef struct
{
  char     *name;
  gboolean  source;
} Node;

typedef struct
{
  guint32 output_node;
  guint32 input_node;
} Link;

static void
node_free (Node *node)
{
  g_free (node->name);
  g_free (node);
}

/* Events, from the thread-loop thread to the main thread. */

typedef enum
{
  EVENT_STATE,
  EVENT_FORMAT,
  EVENT_GRAPH,
  EVENT_SERVER_LOST,
} EventKind;

typedef struct
{
  PtCapture      *self;
  EventKind       kind;
  guint           generation;    /* EVENT_STATE, EVENT_FORMAT: of their stream */
  PtCaptureState  state;
  guint           sample_rate;
  guint           channels;
  char           *linked_device;
  char           *playback_sink;
  GStrv           sources;
} Event;

static void
event_free (gpointer data)
{
  Event *event = data;

  g_object_unref (event->self);
  g_free (event->linked_device);
  g_free (event->playback_sink);
  g_strfreev (event->sources);
  g_free (event);
}

static void
set_state (PtCapture      *self,
           PtCaptureState  state)
{
  if (state == self->state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
apply_graph (PtCapture *self,
             Event     *event)
{
  gboolean sources_changed = self->sources == NULL ||
                             !g_strv_equal ((const char * const *) self->sources,
                                            (const char * const *) event->sources);

  if (g_strcmp0 (event->linked_device, self->linked_device) != 0)
    {
      g_free (self->linked_device);
      self->linked_device = g_steal_pointer (&event->linked_device);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINKED_DEVICE]);
    }
  if (g_strcmp0 (event->playback_sink, self->playback_sink) != 0)
    {
      g_free (self->playback_sink);
      self->playback_sink = g_steal_pointer (&event->playback_sink);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYBACK_SINK]);
    }
  g_strfreev (self->sources);
  self->sources = g_steal_pointer (&event->sources);
  if (sources_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SOURCES]);
}

static gboolean
dispatch_event (gpointer data)
{
  Event *event = data;
  PtCapture *self = event->self;

  switch (event->kind)
    {
    case EVENT_STATE:
      /* A stream destroyed since it said this no longer counts. */
      if (self->core != NULL && event->generation == self->main_generation)
        set_state (self, event->state);
      break;
    case EVENT_FORMAT:
      if (event->generation != self->main_generation)
        break;
      g_object_freeze_notify (G_OBJECT (self));
      if (event->sample_rate != self->sample_rate)
        {
          self->sample_rate = event->sample_rate;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLE_RATE]);
        }
      if (event->channels != self->channels)
        {
          self->channels = event->channels;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNELS]);
        }
      g_object_thaw_notify (G_OBJECT (self));
      break;
    case EVENT_GRAPH:
      apply_graph (self, event);
      break;
    case EVENT_SERVER_LOST:
      if (self->core != NULL)
        {
          pt_capture_disconnect (self);
          g_signal_emit (self, signals[SIGNAL_SERVER_LOST], 0);
        }
      break;
    default:
      g_assert_not_reached ();
    }
  return G_SOURCE_REMOVE;
}

static Event *
event_new (PtCapture *self,
           EventKind  kind)
{
  Event *event = g_new0 (Event, 1);

  event->self = g_object_ref (self);
  event->kind = kind;
  return event;
}

static void
post_event (Event *event)
{
  g_main_context_invoke_full (event->self->main_context, G_PRIORITY_DEFAULT,
                              dispatch_event, event, event_free);
}

static const char *
node_name (PtCapture *self,
           guint32    id)
{
  Node *node = g_hash_table_lookup (self->nodes, GUINT_TO_POINTER (id));

  return node != NULL ? node->name : NULL;
}

/* The graph as the main thread sees it: the node we are linked to, the one
 * the playback is linked to and the sources there are. */
static void
post_graph (PtCapture *self)
{
  Event *event = event_new (self, EVENT_GRAPH);
  g_autoptr(GStrvBuilder) sources = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->links);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Link *link = value;

      if (link->input_node == self->node_id && self->node_id != SPA_ID_INVALID &&
          node_name (self, link->output_node) != NULL)
        {
          g_free (event->linked_device);
          event->linked_device = g_strdup (node_name (self, link->output_node));
        }
      if (link->output_node == self->playback_node && self->playback_node != SPA_ID_INVALID &&
          node_name (self, link->input_node) != NULL)
        {
          g_free (event->playback_sink);
          event->playback_sink = g_strdup (node_name (self, link->input_node));
        }
    }

  g_hash_table_iter_init (&iter, self->nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Node *) value)->source)
      g_strv_builder_add (sources, ((Node *) value)->name);
  event->sources = g_strv_builder_end (sources);
  post_event (event);
}

/* Pins the stream to its target in the `default` metadata, where
 * WirePlumber keeps it through default changes and restores it when the
 * device comes back; also how a new target moves a running stream. */
static void
pin_target (PtCapture *self)
{
  if (self->metadata == NULL || self->node_id == SPA_ID_INVALID)
    return;
  if (self->target == NULL && self->pinned_node != self->node_id)
    return;
  pw_metadata_set_property ((struct pw_metadata *) self->metadata, self->node_id,
                            "target.object", self->target != NULL ? "Spa:String" : NULL,
                            self->target);
  self->pinned_node = self->node_id;
}

/* Registry (thread-loop thread). */

static guint32
parse_id (const char *text)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32 - 1, &value, NULL))
    return SPA_ID_INVALID;
  return (guint32) value;
}

static void
on_global (void                  *data,
           uint32_t               id,
           uint32_t               permissions,
           const char            *type,
           uint32_t               version,
           const struct spa_dict *props)
{
  PtCapture *self = data;

  if (props == NULL)
    return;

  if (strcmp (type, PW_TYPE_INTERFACE_Node) == 0)
    {
      const char *name = spa_dict_lookup (props, PW_KEY_NODE_NAME);
      const char *media_class = spa_dict_lookup (props, PW_KEY_MEDIA_CLASS);
      Node *node;

      if (name == NULL)
        return;
      node = g_new0 (Node, 1);
      node->name = g_strdup (name);
      node->source = g_strcmp0 (media_class, "Audio/Source") == 0;
      g_hash_table_replace (self->nodes, GUINT_TO_POINTER (id), node);
    }
  else if (strcmp (type, PW_TYPE_INTERFACE_Metadata) == 0 && self->metadata == NULL &&
           g_strcmp0 (spa_dict_lookup (props, PW_KEY_METADATA_NAME), "default") == 0)
    {
      self->metadata = pw_registry_bind (self->registry, id, PW_TYPE_INTERFACE_Metadata,
                                         PW_VERSION_METADATA, 0);
      pin_target (self);
      return;
    }
  else if (strcmp (type, PW_TYPE_INTERFACE_Link) == 0)
    {
      Link *link = g_new0 (Link, 1);

      link->output_node = parse_id (spa_dict_lookup (props, PW_KEY_LINK_OUTPUT_NODE));
      link->input_node = parse_id (spa_dict_lookup (props, PW_KEY_LINK_INPUT_NODE));
      g_hash_table_replace (self->links, GUINT_TO_POINTER (id), link);
    }
  else
    {
      return;
    }
  post_graph (self);
}

static void
on_global_remove (void     *data,
                  uint32_t  id)
{
  PtCapture *self = data;

  if (g_hash_table_remove (self->nodes, GUINT_TO_POINTER (id)) ||
      g_hash_table_remove (self->links, GUINT_TO_POINTER (id)))
    post_graph (self);
}

static const struct pw_registry_events registry_events = {
  PW_VERSION_REGISTRY_EVENTS,
  .global = on_global,
  .global_remove = on_global_remove,
};

/* Core (thread-loop thread). */

static void
on_core_error (void       *data,
               uint32_t    id,
               int         seq,
               int         res,
               const char *message)
{
  PtCapture *self = data;

  /* The server went away: the stream only goes UNCONNECTED. */
  if (id == PW_ID_CORE && res == -EPIPE && !self->lost)
    {
      self->lost = TRUE;
      post_event (event_new (self, EVENT_SERVER_LOST));
    }
}

static const struct pw_core_events core_events = {
  PW_VERSION_CORE_EVENTS,
  .error = on_core_error,
};

/* Stream. */

static void
on_stream_state_changed (void                 *data,
                         enum pw_stream_state  old,
                         enum pw_stream_state  state,
                         const char           *error)
{
  Stream *stream = data;
  PtCapture *self = stream->capture;
  Event *event = event_new (self, EVENT_STATE);

  event->generation = stream->generation;
  event->state = state == PW_STREAM_STATE_STREAMING ? PT_CAPTURE_STATE_STREAMING
                                                    : PT_CAPTURE_STATE_PAUSED;
  post_event (event);

  self->node_id = pw_stream_get_node_id (stream->stream);
  pin_target (self);
  post_graph (self);
}

static void
on_stream_param_changed (void                 *data,
                         uint32_t              id,
                         const struct spa_pod *param)
{
  Stream *stream = data;
  PtCapture *self = stream->capture;
  struct spa_audio_info_raw info = { 0 };
  Event *event;

  /* A NULL format comes first when the format is renegotiated. */
  if (id != SPA_PARAM_Format || param == NULL)
    return;
  if (spa_format_audio_raw_parse (param, &info) < 0 || info.channels == 0 ||
      info.rate < PT_PROTOCOL_SAMPLE_RATE_MIN_HZ || info.rate > PT_PROTOCOL_SAMPLE_RATE_MAX_HZ)
    return;

  g_atomic_int_set (&self->channels_now, MIN (info.channels, PT_MAX_CHANNELS));
  pt_processor_set_sample_rate (self->processor, info.rate);

  event = event_new (self, EVENT_FORMAT);
  event->generation = stream->generation;
  event->sample_rate = info.rate;
  event->channels = info.channels;
  post_event (event);
}

/* The data thread: no allocation, no lock, no logging. */
static void
on_stream_process (void *data)
{
  Stream *stream = data;
  PtCapture *self = stream->capture;
  struct pw_buffer *buffer = pw_stream_dequeue_buffer (stream->stream);
  struct spa_data *d;
  guint channels;

  if (buffer == NULL)
    return;

  /* Before reading driving: see pt_capture_set_driving. */
  g_atomic_int_set (&self->in_process, TRUE);
  d = &buffer->buffer->datas[0];
  channels = g_atomic_int_get (&self->channels_now);
  if (g_atomic_int_get (&self->driving) && d->data != NULL && d->chunk != NULL && channels > 0)
    {
      guint32 offset = MIN (d->chunk->offset, d->maxsize);
      guint32 size = MIN (d->chunk->size, d->maxsize - offset);
      guint n_frames = size / (sizeof (float) * channels);

      if (n_frames > 0)
        {
          g_atomic_int_set (&self->quantum, n_frames);
          pt_processor_process (self->processor, SPA_PTROFF (d->data, offset, const float),
                                n_frames, channels, g_get_monotonic_time () / 1000.0);
        }
    }

  g_atomic_int_set (&self->in_process, FALSE);
  pw_stream_queue_buffer (stream->stream, buffer);
}

static const struct pw_stream_events stream_events = {
  PW_VERSION_STREAM_EVENTS,
  .state_changed = on_stream_state_changed,
  .param_changed = on_stream_param_changed,
  .process = on_stream_process,
};

/* With the loop locked. */
static void
create_stream (PtCapture *self)
{
  guint8 pod_buffer[1024];
  struct spa_pod_builder builder = SPA_POD_BUILDER_INIT (pod_buffer, sizeof pod_buffer);
  const struct spa_pod *params[1];
  struct pw_properties *props;

  props = pw_properties_new (PW_KEY_MEDIA_TYPE, "Audio",
                             PW_KEY_MEDIA_CATEGORY, "Capture",
                             PW_KEY_MEDIA_ROLE, "Production",
                             PW_KEY_APP_NAME, PACKAGE_NAME,
                             PW_KEY_APP_ID, APP_ID,
                             PW_KEY_NODE_NAME, "pitch-toy",
                             PW_KEY_NODE_DESCRIPTION, PACKAGE_NAME,
                             NULL);
  pw_properties_setf (props, PW_KEY_NODE_LATENCY, LATENCY_FORMAT, self->latency_frames);
  if (self->target != NULL)
    pw_properties_set (props, PW_KEY_TARGET_OBJECT, self->target);

  self->stream = g_new0 (Stream, 1);
  self->stream->capture = self;
  self->stream->generation = ++self->generation;
  self->stream->stream = pw_stream_new (self->core, PACKAGE_NAME, props);
  pw_stream_add_listener (self->stream->stream, &self->stream->listener, &stream_events,
                          self->stream);

  /* F32 only: rate and channels are the device's own. */
  params[0] = spa_format_audio_raw_build (&builder, SPA_PARAM_EnumFormat,
                                          &SPA_AUDIO_INFO_RAW_INIT (.format = SPA_AUDIO_FORMAT_F32));
  /* "No node available" is not fatal: the stream waits for a source. */
  pw_stream_connect (self->stream->stream, PW_DIRECTION_INPUT, PW_ID_ANY,
                     PW_STREAM_FLAG_AUTOCONNECT | PW_STREAM_FLAG_MAP_BUFFERS |
                     PW_STREAM_FLAG_RT_PROCESS,
                     params, 1);
}

/* With the loop locked. */
static void
destroy_stream (PtCapture *self)
{
  if (self->stream == NULL)
    return;
  spa_hook_remove (&self->stream->listener);
  pw_stream_destroy (self->stream->stream);
  g_clear_pointer (&self->stream, g_free);
  self->node_id = SPA_ID_INVALID;
}

/* Public API (main thread). */

PtCapture *
pt_capture_new (PtProcessor *processor)
{
  PtCapture *self;

  g_return_val_if_fail (processor != NULL, NULL);

  self = g_object_new (PT_TYPE_CAPTURE, NULL);
  self->processor = processor;
  return self;
}

gboolean
pt_capture_connect (PtCapture   *self,
                    const char  *target,
                    GError     **error)
{
  g_return_val_if_fail (PT_IS_CAPTURE (self), FALSE);
  g_return_val_if_fail (self->core == NULL, FALSE);

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
  self->lost = FALSE;
  g_free (self->target);
  self->target = target != NULL && *target != '\0' ? g_strdup (target) : NULL;
  pw_core_add_listener (self->core, &self->core_listener, &core_events, self);
  self->registry = pw_core_get_registry (self->core, PW_VERSION_REGISTRY, 0);
  pw_registry_add_listener (self->registry, &self->registry_listener, &registry_events, self);
  create_stream (self);
  self->main_generation = self->generation;
  pw_thread_loop_unlock (self->loop);

  set_state (self, PT_CAPTURE_STATE_PAUSED);
  return TRUE;
}

void
pt_capture_disconnect (PtCapture *self)
{
  g_return_if_fail (PT_IS_CAPTURE (self));

  if (self->core == NULL)
    return;

  pt_capture_set_driving (self, FALSE);
  pw_thread_loop_lock (self->loop);
  destroy_stream (self);
  g_clear_pointer (&self->metadata, pw_proxy_destroy);
  self->pinned_node = SPA_ID_INVALID;
  spa_hook_remove (&self->registry_listener);
  pw_proxy_destroy ((struct pw_proxy *) self->registry);
  self->registry = NULL;
  spa_hook_remove (&self->core_listener);
  g_clear_pointer (&self->core, pw_core_disconnect);
  g_hash_table_remove_all (self->nodes);
  g_hash_table_remove_all (self->links);
  pw_thread_loop_unlock (self->loop);

  g_object_freeze_notify (G_OBJECT (self));
  set_state (self, PT_CAPTURE_STATE_DISCONNECTED);
  if (self->linked_device != NULL)
    {
      g_clear_pointer (&self->linked_device, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINKED_DEVICE]);
    }
  if (self->playback_sink != NULL)
    {
      g_clear_pointer (&self->playback_sink, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYBACK_SINK]);
    }
  if (self->sources != NULL && self->sources[0] != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SOURCES]);
  g_clear_pointer (&self->sources, g_strfreev);
  g_object_thaw_notify (G_OBJECT (self));
}

void
pt_capture_set_target (PtCapture  *self,
                       const char *target)
{
  g_return_if_fail (PT_IS_CAPTURE (self));
  g_return_if_fail (!g_atomic_int_get (&self->driving));

  pw_thread_loop_lock (self->loop);
  g_free (self->target);
  self->target = target != NULL && *target != '\0' ? g_strdup (target) : NULL;
  if (self->core != NULL)
    {
      destroy_stream (self);
      create_stream (self);
      self->main_generation = self->generation;
    }
  pw_thread_loop_unlock (self->loop);
  if (self->core != NULL)
    set_state (self, PT_CAPTURE_STATE_PAUSED);
}

void
pt_capture_set_latency (PtCapture *self,
                        guint      frames)
{
  char value[32];
  struct spa_dict_item item = SPA_DICT_ITEM_INIT (PW_KEY_NODE_LATENCY, value);

  g_return_if_fail (PT_IS_CAPTURE (self));
  g_return_if_fail (frames > 0);

  pw_thread_loop_lock (self->loop);
  self->latency_frames = frames;
  /* The server recomputes the graph's quantum from the new request. */
  g_snprintf (value, sizeof value, LATENCY_FORMAT, frames);
  if (self->stream != NULL)
    pw_stream_update_properties (self->stream->stream, &SPA_DICT_INIT (&item, 1));
  pw_thread_loop_unlock (self->loop);
}

void
pt_capture_set_driving (PtCapture *self,
                        gboolean   driving)
{
  g_return_if_fail (PT_IS_CAPTURE (self));

  if (!driving == !g_atomic_int_get (&self->driving))
    return;

  g_atomic_int_set (&self->driving, driving);
  if (driving)
    return;

  /* A callback that read driving before it changed may still be running;
   * one that starts now sees it off. The wait is one callback at most. */
  while (g_atomic_int_get (&self->in_process))
    g_thread_yield ();
  pt_processor_release_thread (self->processor);
}

PtCaptureState
pt_capture_get_state (PtCapture *self)
{
  g_return_val_if_fail (PT_IS_CAPTURE (self), PT_CAPTURE_STATE_DISCONNECTED);
  return self->state;
}

guint
pt_capture_get_sample_rate (PtCapture *self)
{
  g_return_val_if_fail (PT_IS_CAPTURE (self), 0);
  return self->sample_rate;
}

guint
pt_capture_get_channels (PtCapture *self)
{
  g_return_val_if_fail (PT_IS_CAPTURE (self), 0);
  return self->channels;
}

const char *
pt_capture_get_linked_device (PtCapture *self)
{
  g_return_val_if_fail (PT_IS_CAPTURE (self), NULL);
  return self->linked_device;
}

guint
pt_capture_get_n_sources (PtCapture *self)
{
  g_return_val_if_fail (PT_IS_CAPTURE (self), 0);
  return self->sources != NULL ? g_strv_length (self->sources) : 0;
}

gboolean
pt_capture_has_source (PtCapture  *self,
                       const char *name)
{
  g_return_val_if_fail (PT_IS_CAPTURE (self), FALSE);
  return self->sources != NULL && name != NULL && g_strv_contains ((const char * const *) self->sources, name);
}

void
pt_capture_set_playback_node (PtCapture *self,
                              guint32    node_id)
{
  g_return_if_fail (PT_IS_CAPTURE (self));

  pw_thread_loop_lock (self->loop);
  self->playback_node = node_id;
  if (self->core != NULL)
    post_graph (self);
  pw_thread_loop_unlock (self->loop);
}

const char *
pt_capture_get_playback_sink (PtCapture *self)
{
  g_return_val_if_fail (PT_IS_CAPTURE (self), NULL);
  return self->playback_sink;
}

guint
pt_capture_get_quantum (PtCapture *self)
{
  return g_atomic_int_get (&self->quantum);
}

/* GObject. */

static void
pt_capture_dispose (GObject *object)
{
  PtCapture *self = PT_CAPTURE (object);

  pt_capture_disconnect (self);
  if (self->loop != NULL)
    pw_thread_loop_stop (self->loop);
  g_clear_pointer (&self->context, pw_context_destroy);
  g_clear_pointer (&self->loop, pw_thread_loop_destroy);

  G_OBJECT_CLASS (pt_capture_parent_class)->dispose (object);
}

static void
pt_capture_finalize (GObject *object)
{
  PtCapture *self = PT_CAPTURE (object);

  g_clear_pointer (&self->nodes, g_hash_table_unref);
  g_clear_pointer (&self->links, g_hash_table_unref);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_free (self->linked_device);
  g_free (self->playback_sink);
  g_free (self->target);
  g_strfreev (self->sources);

  G_OBJECT_CLASS (pt_capture_parent_class)->finalize (object);
}

static void
pt_capture_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PtCapture *self = PT_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_SAMPLE_RATE:
      g_value_set_uint (value, self->sample_rate);
      break;
    case PROP_CHANNELS:
      g_value_set_uint (value, self->channels);
      break;
    case PROP_LINKED_DEVICE:
      g_value_set_string (value, self->linked_device);
      break;
    case PROP_N_SOURCES:
      g_value_set_uint (value, pt_capture_get_n_sources (self));
      break;
    case PROP_PLAYBACK_SINK:
      g_value_set_string (value, self->playback_sink);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_capture_class_init (PtCaptureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = pt_capture_dispose;
  object_class->finalize = pt_capture_finalize;
  object_class->get_property = pt_capture_get_property;

  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, PT_CAPTURE_STATE_DISCONNECTED,
                                             PT_CAPTURE_STATE_STREAMING,
                                             PT_CAPTURE_STATE_DISCONNECTED, flags);
  properties[PROP_SAMPLE_RATE] = g_param_spec_uint ("sample-rate", NULL, NULL, 0, G_MAXUINT, 0,
                                                    flags);
  properties[PROP_CHANNELS] = g_param_spec_uint ("channels", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_LINKED_DEVICE] = g_param_spec_string ("linked-device", NULL, NULL, NULL, flags);
  properties[PROP_N_SOURCES] = g_param_spec_uint ("n-sources", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_PLAYBACK_SINK] = g_param_spec_string ("playback-sink", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* "notify::n-sources" comes whenever the set of sources changes. */

  /* The connection is gone (already torn down when this is emitted). */
  signals[SIGNAL_SERVER_LOST] = g_signal_new ("server-lost", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 0);
}

static void
pt_capture_init (PtCapture *self)
{
  pw_init (NULL, NULL);

  self->main_context = g_main_context_ref_thread_default ();
  self->node_id = SPA_ID_INVALID;
  self->pinned_node = SPA_ID_INVALID;
  self->latency_frames = DEFAULT_LATENCY_FRAMES;
  self->playback_node = SPA_ID_INVALID;
  self->nodes = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) node_free);
  self->links = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->loop = pw_thread_loop_new ("pt-capture", NULL);
  self->context = pw_context_new (pw_thread_loop_get_loop (self->loop), NULL, 0);
  pw_thread_loop_start (self->loop);
}
