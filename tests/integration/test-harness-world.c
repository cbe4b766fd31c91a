/* test-harness-world.c — proves the world a test reshapes through the
 * harness's control channel: virtual sources with a tone per channel, their
 * removal, the default source, a crash and restart of the whole server, a
 * forced rate and the 128-frame quantum, each judged by this test's own
 * registry listener and capture streams, never by the harness's word.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <spa/param/audio/format-utils.h>
#include <spa/utils/json.h>
#include <pipewire/pipewire.h>
#include <pipewire/extensions/metadata.h>

#include "pt-test-util.h"

#define SAMPLE_RATE     48000
#define FORCED_RATE     44100
#define TONE_AMPLITUDE  0.5                     /* -6 dBFS */
#define MAX_CHANNELS    2
#define CAPACITY_FRAMES (SAMPLE_RATE * 4)
#define ONSET_LEVEL     0.05f
#define SETTLE_FRAMES   (SAMPLE_RATE / 4)       /* past any fade-in of the loopback */
#define STEADY_FRAMES   (SAMPLE_RATE / 2)
#define SKIPPED_BLOCKS  16                      /* while the graph settles on the quantum */
#define COUNTED_BLOCKS  200
#define WANTED_QUANTUM  128

/* A connection of our own to the server: its nodes and its defaults, kept
 * from the registry on a thread loop; read under the loop's lock. */
typedef struct
{
  struct pw_thread_loop *loop;
  struct pw_context     *context;
  struct pw_core        *core;
  struct spa_hook        core_listener;
  struct pw_registry    *registry;
  struct spa_hook        registry_listener;
  struct pw_metadata    *metadata;              /* the `default` metadata */
  struct spa_hook        metadata_listener;
  GHashTable            *nodes;                 /* id → Node */
  char                  *default_source;
  char                  *default_sink;
  gboolean               server_lost;
  int                    done_seq;              /* of the last roundtrip answered */
} Client;

/* A node of the registry, bound, so its properties are the node's own (the
 * global carries only a few of them). */
typedef struct
{
  struct pw_proxy      *proxy;
  struct spa_hook       listener;
  struct pw_properties *props;
} Node;

/* A capture stream on the client's core, processed on its thread loop. It
 * starts over at every new format, so what it holds has one rate and layout. */
typedef struct
{
  Client               *client;
  struct pw_stream     *stream;
  struct spa_hook       listener;
  enum pw_stream_state  state;
  guint                 rate;
  guint                 channels;
  guint                 n_formats;
  float                 samples[CAPACITY_FRAMES * MAX_CHANNELS];
  gsize                 n_frames;
  gsize                 onset;                  /* first frame of the tone, G_MAXSIZE before */
  guint                 block_frames[SKIPPED_BLOCKS + COUNTED_BLOCKS];
  guint                 n_blocks;
} Capture;

typedef gboolean (*ClientCheck) (Client        *client,
                                 gconstpointer  arg);

typedef struct
{
  Client        *client;
  ClientCheck    check;
  gconstpointer  arg;
} ClientWait;

static void
wake_test (void)
{
  g_main_context_wakeup (NULL);
}

static char *
parse_default_name (const char *json)
{
  struct spa_json it[2];
  char key[64], name[256];
  const char *value;

  spa_json_init (&it[0], json, strlen (json));
  if (spa_json_enter_object (&it[0], &it[1]) <= 0)
    return NULL;
  while (spa_json_get_string (&it[1], key, sizeof key) > 0)
    {
      if (g_str_equal (key, "name"))
        return spa_json_get_string (&it[1], name, sizeof name) > 0 ? g_strdup (name) : NULL;
      if (spa_json_next (&it[1], &value) <= 0)
        break;
    }
  return NULL;
}

static int
on_metadata_property (void       *data,
                      uint32_t    subject,
                      const char *key,
                      const char *type,
                      const char *value)
{
  Client *client = data;
  char **slot = NULL;

  if (subject != PW_ID_CORE || key == NULL)
    return 0;
  if (g_str_equal (key, "default.audio.source"))
    slot = &client->default_source;
  else if (g_str_equal (key, "default.audio.sink"))
    slot = &client->default_sink;
  if (slot != NULL)
    {
      g_free (*slot);
      *slot = value != NULL ? parse_default_name (value) : NULL;
      wake_test ();
    }
  return 0;
}

static const struct pw_metadata_events metadata_events = {
  PW_VERSION_METADATA_EVENTS,
  .property = on_metadata_property,
};

static void
on_node_info (void                      *data,
              const struct pw_node_info *info)
{
  Node *node = data;

  if (info->change_mask & PW_NODE_CHANGE_MASK_PROPS)
    pw_properties_update (node->props, info->props);
  wake_test ();
}

static const struct pw_node_events node_events = {
  PW_VERSION_NODE_EVENTS,
  .info = on_node_info,
};

static Node *
node_new (Client                *client,
          uint32_t               id,
          const struct spa_dict *props)
{
  Node *node = g_new0 (Node, 1);

  node->props = pw_properties_new_dict (props);
  node->proxy = pw_registry_bind (client->registry, id, PW_TYPE_INTERFACE_Node,
                                  PW_VERSION_NODE, 0);
  pw_proxy_add_object_listener (node->proxy, &node->listener, &node_events, node);
  return node;
}

static void
node_free (Node *node)
{
  spa_hook_remove (&node->listener);
  pw_proxy_destroy (node->proxy);
  pw_properties_free (node->props);
  g_free (node);
}

static void
on_global (void                  *data,
           uint32_t               id,
           uint32_t               permissions,
           const char            *type,
           uint32_t               version,
           const struct spa_dict *props)
{
  Client *client = data;
  const char *name = props != NULL ? spa_dict_lookup (props, PW_KEY_METADATA_NAME) : NULL;

  if (g_str_equal (type, PW_TYPE_INTERFACE_Node) && props != NULL)
    g_hash_table_insert (client->nodes, GUINT_TO_POINTER (id), node_new (client, id, props));
  else if (g_str_equal (type, PW_TYPE_INTERFACE_Metadata) && g_strcmp0 (name, "default") == 0
           && client->metadata == NULL)
    {
      client->metadata = pw_registry_bind (client->registry, id, type, PW_VERSION_METADATA, 0);
      pw_metadata_add_listener (client->metadata, &client->metadata_listener,
                                &metadata_events, client);
    }
  wake_test ();
}

static void
on_global_remove (void     *data,
                  uint32_t  id)
{
  Client *client = data;

  g_hash_table_remove (client->nodes, GUINT_TO_POINTER (id));
  wake_test ();
}

static const struct pw_registry_events registry_events = {
  PW_VERSION_REGISTRY_EVENTS,
  .global = on_global,
  .global_remove = on_global_remove,
};

static void
on_core_error (void       *data,
               uint32_t    id,
               int         seq,
               int         res,
               const char *message)
{
  Client *client = data;

  if (id == PW_ID_CORE)
    client->server_lost = TRUE;
  wake_test ();
}

static void
on_core_done (void     *data,
              uint32_t  id,
              int       seq)
{
  Client *client = data;

  if (id == PW_ID_CORE)
    client->done_seq = seq;
  wake_test ();
}

static const struct pw_core_events core_events = {
  PW_VERSION_CORE_EVENTS,
  .done = on_core_done,
  .error = on_core_error,
};

static Client *
client_new (void)
{
  Client *client = g_new0 (Client, 1);

  client->nodes = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) node_free);
  client->loop = pw_thread_loop_new ("pt-test-world", NULL);
  client->context = pw_context_new (pw_thread_loop_get_loop (client->loop), NULL, 0);
  pw_thread_loop_lock (client->loop);
  client->core = pw_context_connect (client->context, NULL, 0);
  g_assert_nonnull (client->core);
  pw_core_add_listener (client->core, &client->core_listener, &core_events, client);
  client->registry = pw_core_get_registry (client->core, PW_VERSION_REGISTRY, 0);
  pw_registry_add_listener (client->registry, &client->registry_listener,
                            &registry_events, client);
  g_assert_cmpint (pw_thread_loop_start (client->loop), ==, 0);
  pw_thread_loop_unlock (client->loop);
  return client;
}

static void
client_free (Client *client)
{
  pw_thread_loop_lock (client->loop);
  g_hash_table_remove_all (client->nodes);
  if (client->metadata != NULL)
    pw_proxy_destroy ((struct pw_proxy *) client->metadata);
  pw_proxy_destroy ((struct pw_proxy *) client->registry);
  pw_core_disconnect (client->core);
  pw_thread_loop_unlock (client->loop);
  pw_thread_loop_stop (client->loop);
  pw_context_destroy (client->context);
  pw_thread_loop_destroy (client->loop);
  g_hash_table_unref (client->nodes);
  g_free (client->default_source);
  g_free (client->default_sink);
  g_free (client);
}

static gboolean
client_check_locked (gpointer user_data)
{
  ClientWait *wait = user_data;
  gboolean holds;

  pw_thread_loop_lock (wait->client->loop);
  holds = wait->check (wait->client, wait->arg);
  pw_thread_loop_unlock (wait->client->loop);
  return holds;
}

/* Iterates the test's main context, woken by every event of the client,
 * until @check holds under the loop's lock. */
static gboolean
client_wait (Client        *client,
             ClientCheck    check,
             gconstpointer  arg)
{
  ClientWait wait = { client, check, arg };

  return pt_test_wait_until (NULL, client_check_locked, &wait, PT_TEST_TIMEOUT_SERVER_S);
}

#define assert_client_eventually(client, check, arg) \
  g_assert_true (client_wait ((client), (check), (arg)))

/* The node named @name; call with the loop locked. */
static const struct pw_properties *
client_find_node (Client     *client,
                  const char *name)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, client->nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const Node *node = value;

      if (g_strcmp0 (pw_properties_get (node->props, PW_KEY_NODE_NAME), name) == 0)
        return node->props;
    }
  return NULL;
}

static gboolean
client_has_node (Client        *client,
                 gconstpointer  name)
{
  return client_find_node (client, name) != NULL;
}

static gboolean
client_lacks_node (Client        *client,
                   gconstpointer  name)
{
  return client_find_node (client, name) == NULL;
}

static gboolean
client_default_source_is (Client        *client,
                          gconstpointer  name)
{
  return g_strcmp0 (client->default_source, name) == 0;
}

static gboolean
client_default_sink_is (Client        *client,
                        gconstpointer  name)
{
  return g_strcmp0 (client->default_sink, name) == 0;
}

static gboolean
client_lost_server (Client        *client,
                    gconstpointer  arg)
{
  return client->server_lost;
}

static gboolean
client_answered (Client        *client,
                 gconstpointer  seq)
{
  return client->done_seq == GPOINTER_TO_INT (seq);
}

/* Returns once the server answered a roundtrip: every global it had by then
 * has reached the client. */
static void
client_roundtrip (Client *client)
{
  int seq;

  pw_thread_loop_lock (client->loop);
  seq = pw_core_sync (client->core, PW_ID_CORE, 0);
  pw_thread_loop_unlock (client->loop);
  assert_client_eventually (client, client_answered, GINT_TO_POINTER (seq));
}

typedef struct
{
  const char *node;
  const char *key;
  const char *value;
} NodeProperty;

static gboolean
client_node_has_property (Client        *client,
                          gconstpointer  arg)
{
  const NodeProperty *property = arg;
  const struct pw_properties *props = client_find_node (client, property->node);

  return props != NULL && g_strcmp0 (pw_properties_get (props, property->key), property->value) == 0;
}

#define assert_node_property(client, name, key, value) \
  assert_client_eventually ((client), client_node_has_property, \
                            (&(NodeProperty) { (name), (key), (value) }))

static void
on_param_changed (void                 *data,
                  uint32_t              id,
                  const struct spa_pod *param)
{
  Capture *capture = data;
  struct spa_audio_info_raw info = { 0 };

  if (id != SPA_PARAM_Format)
    return;
  capture->rate = 0;
  capture->channels = 0;
  if (param != NULL && spa_format_audio_raw_parse (param, &info) >= 0
      && info.channels <= MAX_CHANNELS)
    {
      capture->rate = info.rate;
      capture->channels = info.channels;
      capture->n_formats++;
    }
  capture->n_frames = 0;
  capture->onset = G_MAXSIZE;
  wake_test ();
}

static void
on_state_changed (void                 *data,
                  enum pw_stream_state  old,
                  enum pw_stream_state  state,
                  const char           *error)
{
  Capture *capture = data;

  capture->state = state;
  wake_test ();
}

static void
capture_append (Capture     *capture,
                const float *in,
                gsize        n_frames)
{
  gsize room = CAPACITY_FRAMES - capture->n_frames;
  float *out = capture->samples + capture->n_frames * capture->channels;

  if (capture->n_blocks < G_N_ELEMENTS (capture->block_frames))
    capture->block_frames[capture->n_blocks] = (guint) n_frames;
  capture->n_blocks++;

  n_frames = MIN (n_frames, room);
  memcpy (out, in, n_frames * capture->channels * sizeof (float));
  for (gsize i = 0; i < n_frames * capture->channels && capture->onset == G_MAXSIZE; i++)
    if (fabsf (in[i]) > ONSET_LEVEL)
      capture->onset = capture->n_frames + i / capture->channels;
  capture->n_frames += n_frames;
}

static void
on_process (void *data)
{
  Capture *capture = data;
  struct pw_buffer *buffer = pw_stream_dequeue_buffer (capture->stream);
  struct spa_data *d;

  if (buffer == NULL)
    return;
  d = &buffer->buffer->datas[0];
  if (d->data != NULL && capture->channels > 0)
    capture_append (capture, SPA_PTROFF (d->data, d->chunk->offset, const float),
                    d->chunk->size / sizeof (float) / capture->channels);
  pw_stream_queue_buffer (capture->stream, buffer);
  wake_test ();
}

static const struct pw_stream_events capture_events = {
  PW_VERSION_STREAM_EVENTS,
  .state_changed = on_state_changed,
  .param_changed = on_param_changed,
  .process = on_process,
};

/* F32 with rate and channels left to the graph, so the source's own layout
 * and the graph's rate arrive; @latency is node.latency, or NULL. */
static Capture *
capture_new (Client     *client,
             const char *target,
             const char *latency)
{
  Capture *capture = g_new0 (Capture, 1);
  uint8_t pod_buffer[1024];
  struct spa_pod_builder builder = SPA_POD_BUILDER_INIT (pod_buffer, sizeof pod_buffer);
  struct spa_audio_info_raw format = { .format = SPA_AUDIO_FORMAT_F32 };
  const struct spa_pod *params[1];
  struct pw_properties *props = pw_properties_new (PW_KEY_MEDIA_TYPE, "Audio",
                                                   PW_KEY_MEDIA_CATEGORY, "Capture",
                                                   PW_KEY_MEDIA_ROLE, "Music",
                                                   PW_KEY_TARGET_OBJECT, target,
                                                   PW_KEY_NODE_DONT_RECONNECT, "true",
                                                   NULL);

  if (latency != NULL)
    pw_properties_set (props, PW_KEY_NODE_LATENCY, latency);
  capture->client = client;
  capture->onset = G_MAXSIZE;
  params[0] = spa_format_audio_raw_build (&builder, SPA_PARAM_EnumFormat, &format);

  pw_thread_loop_lock (client->loop);
  capture->stream = pw_stream_new (client->core, "pt-test-world-capture", props);
  g_assert_nonnull (capture->stream);
  pw_stream_add_listener (capture->stream, &capture->listener, &capture_events, capture);
  g_assert_cmpint (pw_stream_connect (capture->stream, PW_DIRECTION_INPUT, PW_ID_ANY,
                                      PW_STREAM_FLAG_AUTOCONNECT | PW_STREAM_FLAG_MAP_BUFFERS,
                                      params, 1), ==, 0);
  pw_thread_loop_unlock (client->loop);
  return capture;
}

static void
capture_free (Capture *capture)
{
  pw_thread_loop_lock (capture->client->loop);
  pw_stream_destroy (capture->stream);
  pw_thread_loop_unlock (capture->client->loop);
  g_free (capture);
}

static gboolean
capture_heard_tone (Client        *client,
                    gconstpointer  arg)
{
  const Capture *capture = arg;

  return capture->onset != G_MAXSIZE
         && capture->n_frames >= capture->onset + SETTLE_FRAMES + STEADY_FRAMES;
}

static gboolean
capture_heard_tone_again (Client        *client,
                          gconstpointer  arg)
{
  const Capture *capture = arg;

  return capture->n_formats > 1 && capture_heard_tone (client, arg);
}

static gboolean
capture_heard_tone_third (Client        *client,
                          gconstpointer  arg)
{
  const Capture *capture = arg;

  return capture->n_formats > 2 && capture_heard_tone (client, arg);
}

static gboolean
capture_counted_blocks (Client        *client,
                        gconstpointer  arg)
{
  const Capture *capture = arg;

  return capture->n_blocks >= G_N_ELEMENTS (capture->block_frames);
}

static gboolean
capture_disconnected (Client        *client,
                      gconstpointer  arg)
{
  const Capture *capture = arg;

  return capture->state == PW_STREAM_STATE_UNCONNECTED;
}

/* Each channel of the steady part holds its own tone at the source's level. */
static void
assert_capture_tones (Capture      *capture,
                      guint         rate,
                      const double *tones,
                      guint         n_tones)
{
  g_autofree float *channel = g_new (float, STEADY_FRAMES);

  assert_client_eventually (capture->client, capture_heard_tone, capture);
  pw_thread_loop_lock (capture->client->loop);
  g_assert_cmpuint (capture->rate, ==, rate);
  g_assert_cmpuint (capture->channels, ==, n_tones);
  for (guint c = 0; c < n_tones; c++)
    {
      const float *steady = capture->samples
                            + (capture->onset + SETTLE_FRAMES) * capture->channels + c;
      double frequency, rms;

      for (gsize i = 0; i < STEADY_FRAMES; i++)
        channel[i] = steady[i * capture->channels];
      frequency = pt_test_measure_frequency (channel, STEADY_FRAMES, capture->rate);
      rms = pt_test_measure_tone_rms (channel, STEADY_FRAMES);
      g_test_message ("channel %u at %u Hz: %.2f Hz, RMS %.4f", c, capture->rate, frequency, rms);
      g_assert_cmpfloat_with_epsilon (frequency, tones[c], 1.0);
      g_assert_cmpfloat_with_epsilon (rms, TONE_AMPLITUDE / G_SQRT2, 0.01);
    }
  pw_thread_loop_unlock (capture->client->loop);
}

static void
add_source (const char   *name,
            guint         n_tones,
            const double *tones)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_test_world_add_source (name, n_tones, tones, TONE_AMPLITUDE, &error));
  g_assert_no_error (error);
}

static void
remove_source (const char *name)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_test_world_remove_source (name, &error));
  g_assert_no_error (error);
}

/* The measures the tests rely on shrug off a dropout such as a busy machine
 * causes: 20 ms of silence in half a second of tone. */
static void
test_measures_survive_gap (void)
{
  g_autofree float *tone = g_new (float, STEADY_FRAMES);

  pt_test_fill_sine (tone, STEADY_FRAMES, SAMPLE_RATE, 440, TONE_AMPLITUDE, 0);
  memset (tone + STEADY_FRAMES / 3, 0, SAMPLE_RATE / 50 * sizeof (float));
  g_assert_cmpfloat_with_epsilon (pt_test_measure_frequency (tone, STEADY_FRAMES, SAMPLE_RATE),
                                  440, 0.01);
  g_assert_cmpfloat_with_epsilon (pt_test_measure_tone_rms (tone, STEADY_FRAMES),
                                  TONE_AMPLITUDE / G_SQRT2, 0.002);
  g_assert_cmpfloat (pt_test_measure_frequency (tone, 50, SAMPLE_RATE), ==, 0);
}

static void
test_start_state (void)
{
  Client *client = client_new ();

  assert_client_eventually (client, client_default_sink_is, "pt-test-speaker");
  assert_client_eventually (client, client_default_source_is,
                            pt_test_harness_env ("PT_TEST_MIC_NODE"));
  assert_node_property (client, "pt-test-speaker", PW_KEY_MEDIA_CLASS, "Audio/Sink");
  client_free (client);
}

static void
test_stereo_source_tones (void)
{
  const double tones[] = { 440, 660 };
  g_autoptr(GError) error = NULL;
  Client *client = client_new ();
  Capture *capture;

  add_source ("tone-mic", G_N_ELEMENTS (tones), tones);
  assert_node_property (client, "tone-mic", PW_KEY_MEDIA_CLASS, "Audio/Source");
  assert_node_property (client, "tone-mic", PW_KEY_NODE_DESCRIPTION, "tone-mic test source");
  assert_node_property (client, "tone-mic-feeder", PW_KEY_NODE_DONT_RECONNECT, "true");

  g_assert_false (pt_test_world_add_source ("tone-mic", 1, tones, TONE_AMPLITUDE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "already"));

  capture = capture_new (client, "tone-mic", NULL);
  assert_capture_tones (capture, SAMPLE_RATE, tones, G_N_ELEMENTS (tones));
  capture_free (capture);
  remove_source ("tone-mic");
  client_free (client);
}

static void
test_remove_source (void)
{
  const double tone = 330;
  g_autoptr(GError) error = NULL;
  Client *client = client_new ();

  add_source ("gone-mic", 1, &tone);
  assert_client_eventually (client, client_has_node, "gone-mic");
  remove_source ("gone-mic");
  assert_client_eventually (client, client_lacks_node, "gone-mic");
  assert_client_eventually (client, client_lacks_node, "gone-mic-feed");
  assert_client_eventually (client, client_lacks_node, "gone-mic-feeder");

  g_assert_false (pt_test_world_remove_source ("gone-mic", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "gone-mic"));
  client_free (client);
}

static void
test_set_default_source (void)
{
  const double tone = 550;
  const char *mic = pt_test_harness_env ("PT_TEST_MIC_NODE");
  g_autoptr(GError) error = NULL;
  Client *client = client_new ();

  add_source ("other-mic", 1, &tone);
  assert_client_eventually (client, client_default_source_is, mic);

  g_assert_true (pt_test_world_set_default_source ("other-mic", &error));
  g_assert_no_error (error);
  assert_client_eventually (client, client_default_source_is, "other-mic");

  g_assert_false (pt_test_world_set_default_source ("no-such-mic", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_true (pt_test_world_set_default_source (mic, &error));
  g_assert_no_error (error);
  assert_client_eventually (client, client_default_source_is, mic);
  remove_source ("other-mic");
  client_free (client);
}

static void
test_quantum_128 (void)
{
  Client *client = client_new ();
  Capture *capture = capture_new (client, pt_test_harness_env ("PT_TEST_MIC_NODE"), "128/48000");

  assert_client_eventually (client, capture_counted_blocks, capture);
  pw_thread_loop_lock (client->loop);
  for (guint i = SKIPPED_BLOCKS; i < G_N_ELEMENTS (capture->block_frames); i++)
    g_assert_cmpuint (capture->block_frames[i], ==, WANTED_QUANTUM);
  pw_thread_loop_unlock (client->loop);
  capture_free (capture);
  client_free (client);
}

static void
force_rate (guint rate)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_test_world_force_rate (rate, &error));
  g_assert_no_error (error);
}

static void
test_force_rate (void)
{
  const double tone = 440;
  Client *client = client_new ();
  Capture *capture;

  add_source ("rate-mic", 1, &tone);
  capture = capture_new (client, "rate-mic", NULL);
  assert_capture_tones (capture, SAMPLE_RATE, &tone, 1);

  force_rate (FORCED_RATE);
  assert_client_eventually (client, capture_heard_tone_again, capture);
  assert_capture_tones (capture, FORCED_RATE, &tone, 1);

  /* Clearing the forced rate leaves a running graph where it is: force the
   * usual rate back first, so the tests after this one find it. */
  force_rate (SAMPLE_RATE);
  assert_client_eventually (client, capture_heard_tone_third, capture);
  assert_capture_tones (capture, SAMPLE_RATE, &tone, 1);
  force_rate (0);
  capture_free (capture);
  remove_source ("rate-mic");
  client_free (client);
}

static void
assert_world_back (Client     *client,
                   const char *source)
{
  const char *nodes[] = { "pt-test-speaker", pt_test_harness_env ("PT_TEST_FEED_NODE"),
                          pt_test_harness_env ("PT_TEST_MIC_NODE"), source };

  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    assert_client_eventually (client, client_has_node, nodes[i]);
  assert_client_eventually (client, client_default_sink_is, "pt-test-speaker");
}

static void
test_kill_and_restart (void)
{
  const double tones[] = { 440, 660 };
  g_autoptr(GError) error = NULL;
  Client *client = client_new ();
  Capture *capture;
  gint64 start;

  add_source ("crash-mic", G_N_ELEMENTS (tones), tones);
  capture = capture_new (client, "crash-mic", NULL);
  assert_capture_tones (capture, SAMPLE_RATE, tones, G_N_ELEMENTS (tones));

  start = g_get_monotonic_time ();
  g_assert_true (pt_test_world_kill (&error));
  g_assert_no_error (error);
  g_test_message ("kill took %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  assert_client_eventually (client, client_lost_server, NULL);
  assert_client_eventually (client, capture_disconnected, capture);
  g_assert_false (pt_test_world_add_source ("late-mic", 1, tones, TONE_AMPLITUDE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  capture_free (capture);
  client_free (client);

  start = g_get_monotonic_time ();
  g_assert_true (pt_test_world_restart (&error));
  g_assert_no_error (error);
  g_test_message ("restart took %.1f ms", (g_get_monotonic_time () - start) / 1000.0);

  client = client_new ();
  assert_world_back (client, "crash-mic");
  capture = capture_new (client, "crash-mic", NULL);
  assert_capture_tones (capture, SAMPLE_RATE, tones, G_N_ELEMENTS (tones));
  capture_free (capture);
  remove_source ("crash-mic");
  client_free (client);
}

/* The microphone can go too, for a world with no source at all; a restart
 * leaves it out. Last: the tests before this one feed the microphone. */
static void
test_remove_microphone (void)
{
  const char *mic = pt_test_harness_env ("PT_TEST_MIC_NODE");
  g_autoptr(GError) error = NULL;
  Client *client = client_new ();

  assert_client_eventually (client, client_has_node, mic);
  remove_source (mic);
  assert_client_eventually (client, client_lacks_node, mic);
  assert_client_eventually (client, client_lacks_node, pt_test_harness_env ("PT_TEST_FEED_NODE"));
  /* WirePlumber's last resort is the speaker's monitor, not nothing. */
  assert_client_eventually (client, client_default_source_is, "pt-test-speaker");

  g_assert_true (pt_test_world_kill (&error));
  g_assert_no_error (error);
  client_free (client);
  g_assert_true (pt_test_world_restart (&error));
  g_assert_no_error (error);

  client = client_new ();
  client_roundtrip (client);
  assert_client_eventually (client, client_has_node, "pt-test-speaker");
  pw_thread_loop_lock (client->loop);
  g_assert_null (client_find_node (client, mic));
  pw_thread_loop_unlock (client->loop);
  client_free (client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  pw_init (&argc, &argv);

  g_test_add_func ("/pitch-toy/harness/world/measures-survive-gap", test_measures_survive_gap);
  g_test_add_func ("/pitch-toy/harness/world/start-state", test_start_state);
  g_test_add_func ("/pitch-toy/harness/world/stereo-source-tones", test_stereo_source_tones);
  g_test_add_func ("/pitch-toy/harness/world/remove-source", test_remove_source);
  g_test_add_func ("/pitch-toy/harness/world/set-default-source", test_set_default_source);
  g_test_add_func ("/pitch-toy/harness/world/quantum-128", test_quantum_128);
  g_test_add_func ("/pitch-toy/harness/world/force-rate", test_force_rate);
  g_test_add_func ("/pitch-toy/harness/world/kill-and-restart", test_kill_and_restart);
  g_test_add_func ("/pitch-toy/harness/world/remove-microphone", test_remove_microphone);

  return g_test_run ();
}
