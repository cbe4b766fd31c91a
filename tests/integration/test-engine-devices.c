/* test-engine-devices.c — the engine and the device monitor while the
 * harness's world changes under them: sources added and removed, the system
 * default moved, a stereo source, no source at all, the server killed and
 * restarted, the rate forced. Each source plays its own tone, so the note
 * the pitch channel names says which one is captured. Runs on a private
 * main context; every wait is on a condition under the server watchdog.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pt-device-monitor.h"
#include "pt-engine.h"
#include "pt-hub.h"
#include "pt-test-util.h"

#define MIDI_A4 69   /* 440 Hz */
#define MIDI_E4 64   /* 329.63 Hz */
#define MIDI_E5 76   /* 659.26 Hz */

typedef struct
{
  GMainContext    *context;
  PtEngine        *engine;
  PtDeviceMonitor *monitor;
  GPtrArray       *errors;
  GArray          *states;       /* PtEngineState, each change */
  guint            batches;
} Fixture;

static void
on_error (PtEngine     *engine,
          const GError *error,
          Fixture      *f)
{
  g_ptr_array_add (f->errors, g_error_copy (error));
}

static void
on_state (PtEngine   *engine,
          GParamSpec *pspec,
          Fixture    *f)
{
  PtEngineState state = pt_engine_get_state (engine);

  g_array_append_val (f->states, state);
}

static void
on_batch (PtEngine   *engine,
          PtEnvelope *envelope,
          Fixture    *f)
{
  f->batches++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->context = g_main_context_new ();
  g_main_context_push_thread_default (f->context);
  f->engine = pt_engine_new ();
  f->monitor = pt_device_monitor_new ();
  f->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  f->states = g_array_new (FALSE, FALSE, sizeof (PtEngineState));
  pt_engine_set_reconnect_max_ms (f->engine, 200);
  pt_device_monitor_set_reconnect_max_ms (f->monitor, 200);
  g_signal_connect (f->engine, "error", G_CALLBACK (on_error), f);
  g_signal_connect (f->engine, "notify::state", G_CALLBACK (on_state), f);
  g_signal_connect (f->engine, "batch", G_CALLBACK (on_batch), f);
  /* What the app's note view does while shown. */
  pt_hub_channel_claim (pt_hub_lookup_channel (pt_engine_get_hub (f->engine), "pitch"));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  pt_engine_stop (f->engine);
  g_assert_finalize_object (f->engine);
  g_assert_finalize_object (f->monitor);
  g_ptr_array_unref (f->errors);
  g_array_unref (f->states);
  g_main_context_pop_thread_default (f->context);
  g_main_context_unref (f->context);
}

static void
add_source (const char *name,
            guint       n_channels,
            double      first,
            double      second)
{
  const double frequencies[] = { first, second };
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_test_world_add_source (name, n_channels, frequencies, 0.5, &error));
  g_assert_no_error (error);
}

static void
remove_source (const char *name)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_test_world_remove_source (name, &error));
  g_assert_no_error (error);
}

static void
set_default (const char *name)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_test_world_set_default_source (name, &error));
  g_assert_no_error (error);
}

typedef struct
{
  Fixture    *f;
  int         midi;
  const char *linked;
} Wanted;

static gboolean
hears (gpointer user_data)
{
  Wanted *w = user_data;
  PtPitchAnalyzer *pitch = pt_engine_get_pitch_analyzer (w->f->engine);

  return pt_engine_get_state (w->f->engine) == PT_ENGINE_STATE_RUNNING &&
         g_strcmp0 (pt_engine_get_linked_device (w->f->engine), w->linked) == 0 &&
         pt_pitch_analyzer_get_voiced (pitch) &&
         pt_pitch_analyzer_get_note (pitch)->nearest_midi == w->midi;
}

typedef struct
{
  Fixture *f;
  guint    batches;
} BatchCount;

static gboolean
got_batches (gpointer user_data)
{
  BatchCount *count = user_data;

  return count->f->batches >= count->batches;
}

static void
wait_batches (Fixture *f,
              guint    n)
{
  BatchCount count = { f, f->batches + n };

  pt_test_assert_eventually (f->context, got_batches, &count, PT_TEST_TIMEOUT_SERVER_S);
}

/* Running on @linked, whose tone (@midi) the pitch channel names. */
#define assert_hears(f, linked, midi) assert_hears_at (f, linked, midi, __LINE__)

static void
assert_hears_at (Fixture    *f,
                 const char *linked,
                 int         midi,
                 int         line)
{
  Wanted w = { f, midi, linked };
  PtPitchAnalyzer *pitch = pt_engine_get_pitch_analyzer (f->engine);

  if (!pt_test_wait_until (f->context, hears, &w, PT_TEST_TIMEOUT_SERVER_S))
    {
      guint batches = f->batches;
      wait_batches (f, 10);
      g_error ("line %d: wanted %s playing MIDI %d; state %d, linked to %s, voiced %d, MIDI %d, "
               "batches %u then %u", line, linked, midi, pt_engine_get_state (f->engine),
               pt_engine_get_linked_device (f->engine), pt_pitch_analyzer_get_voiced (pitch),
               pt_pitch_analyzer_get_voiced (pitch) ? pt_pitch_analyzer_get_note (pitch)->nearest_midi : -1,
               batches, f->batches);
    }
}

static gboolean
has_error_code (Fixture *f,
                int      code)
{
  for (guint i = 0; i < f->errors->len; i++)
    {
      const GError *error = g_ptr_array_index (f->errors, i);

      if (g_error_matches (error, PT_WORKLET_ERROR, code))
        return TRUE;
    }
  return FALSE;
}

/* Switching devices mid-stream moves capture; an explicit choice holds
 * through a new system default. */
static void
test_device_switch (Fixture       *f,
                    gconstpointer  data)
{
  add_source ("pt-test-b", 1, 440.0, 0.0);
  add_source ("pt-test-c", 1, 329.63, 0.0);
  set_default ("pt-test-c");

  pt_engine_set_device (f->engine, "pt-test-b");
  pt_engine_start (f->engine);
  assert_hears (f, "pt-test-b", MIDI_A4);

  pt_engine_set_device (f->engine, "pt-test-c");
  assert_hears (f, "pt-test-c", MIDI_E4);

  pt_engine_set_device (f->engine, "pt-test-b");
  assert_hears (f, "pt-test-b", MIDI_A4);

  /* A new system default, twice: b stays chosen, linked and heard. */
  set_default ("pt-test-b");
  set_default ("pt-test-c");
  wait_batches (f, 50);
  assert_hears (f, "pt-test-b", MIDI_A4);
  g_assert_false (has_error_code (f, PT_WORKLET_ERROR_DEVICE_LOST));
}

/* The chosen device goes: the stream falls back to the default and the loss
 * is said; it comes back: capture follows it. */
static void
test_device_lost (Fixture       *f,
                  gconstpointer  data)
{
  add_source ("pt-test-b", 1, 440.0, 0.0);
  add_source ("pt-test-c", 1, 329.63, 0.0);
  set_default ("pt-test-c");

  pt_engine_set_device (f->engine, "pt-test-b");
  pt_engine_start (f->engine);
  assert_hears (f, "pt-test-b", MIDI_A4);

  remove_source ("pt-test-b");
  assert_hears (f, "pt-test-c", MIDI_E4);
  g_assert_true (has_error_code (f, PT_WORKLET_ERROR_DEVICE_LOST));
  g_assert_cmpstr (pt_engine_get_device (f->engine), ==, "pt-test-b");

  add_source ("pt-test-b", 1, 440.0, 0.0);
  assert_hears (f, "pt-test-b", MIDI_A4);
}

/* A stereo source with a tone per channel: the chosen channel's tone. */
static void
test_stereo_channel (Fixture       *f,
                     gconstpointer  data)
{
  add_source ("pt-test-stereo", 2, 440.0, 659.26);
  pt_engine_set_device (f->engine, "pt-test-stereo");
  pt_engine_set_input_channel (f->engine, 1);
  pt_engine_start (f->engine);
  assert_hears (f, "pt-test-stereo", MIDI_E5);

  pt_engine_set_input_channel (f->engine, 0);
  assert_hears (f, "pt-test-stereo", MIDI_A4);
}

static gboolean
is_waiting (gpointer user_data)
{
  Fixture *f = user_data;

  return pt_engine_get_state (f->engine) == PT_ENGINE_STATE_WAITING_FOR_DEVICE;
}

/* No source at all: waiting, the worklet still answers (the clock source
 * drives it); capture starts when a source appears. */
static void
test_no_source_at_start (Fixture       *f,
                         gconstpointer  data)
{
  guint32 id;

  remove_source (pt_test_harness_env ("PT_TEST_MIC_NODE"));
  pt_engine_start (f->engine);
  pt_test_assert_eventually (f->context, is_waiting, f, PT_TEST_TIMEOUT_SERVER_S);
  id = pt_engine_configure_batch (f->engine, 512, 50, FALSE);
  g_assert_cmpuint (id, >, 0);
  wait_batches (f, 5);
  g_assert_cmpuint (pt_engine_get_batch_size (f->engine), ==, 512);

  add_source ("pt-test-late", 1, 440.0, 0.0);
  assert_hears (f, "pt-test-late", MIDI_A4);
}

static gboolean
monitor_lists (gpointer user_data)
{
  Fixture *f = user_data;

  return pt_device_monitor_get_ready (f->monitor) &&
         pt_device_monitor_lookup (f->monitor, "pt-test-b") != NULL;
}

/* The server dies: ServerDisconnected, the clock source, and capture again
 * once the server is back; the monitor lists the sources again too. */
static void
test_server_restart (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n;
  gboolean saw_fallback = FALSE, saw_running_after = FALSE;

  add_source ("pt-test-b", 1, 440.0, 0.0);
  pt_engine_set_device (f->engine, "pt-test-b");
  pt_engine_start (f->engine);
  assert_hears (f, "pt-test-b", MIDI_A4);
  pt_test_assert_eventually (f->context, monitor_lists, f, PT_TEST_TIMEOUT_SERVER_S);

  g_assert_true (pt_test_world_kill (&error));
  g_assert_no_error (error);
  pt_test_assert_enum_eventually (f->context, f->engine, "state", PT_ENGINE_STATE_FALLBACK,
                                  PT_TEST_TIMEOUT_SERVER_S);
  g_assert_true (has_error_code (f, PT_WORKLET_ERROR_SERVER_DISCONNECTED));
  wait_batches (f, 5);

  g_assert_true (pt_test_world_restart (&error));
  g_assert_no_error (error);
  assert_hears (f, "pt-test-b", MIDI_A4);
  pt_test_assert_eventually (f->context, monitor_lists, f, PT_TEST_TIMEOUT_SERVER_S);

  /* In order: running, then fallback, then running again. */
  n = f->states->len;
  for (guint i = 0; i < n; i++)
    {
      PtEngineState state = g_array_index (f->states, PtEngineState, i);

      if (state == PT_ENGINE_STATE_FALLBACK)
        saw_fallback = TRUE;
      else if (state == PT_ENGINE_STATE_RUNNING && saw_fallback)
        saw_running_after = TRUE;
    }
  g_assert_true (saw_fallback);
  g_assert_true (saw_running_after);
  g_assert_cmpint (g_array_index (f->states, PtEngineState, 0), !=, PT_ENGINE_STATE_FALLBACK);
}

static gboolean
is_at_rate (gpointer user_data)
{
  Fixture *f = user_data;

  return pt_engine_get_sample_rate (f->engine) == 44100.0;
}

/* The graph's rate forced to 44.1 kHz mid-stream: the batches say so and
 * the pitch channel still names the right note. */
static void
test_forced_rate (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  add_source ("pt-test-b", 1, 440.0, 0.0);
  pt_engine_set_device (f->engine, "pt-test-b");
  pt_engine_start (f->engine);
  assert_hears (f, "pt-test-b", MIDI_A4);

  g_assert_true (pt_test_world_force_rate (44100, &error));
  g_assert_no_error (error);
  pt_test_assert_eventually (f->context, is_at_rate, f, PT_TEST_TIMEOUT_SERVER_S);
  wait_batches (f, 20);
  assert_hears (f, "pt-test-b", MIDI_A4);

  g_assert_true (pt_test_world_force_rate (0, &error));
  g_assert_no_error (error);
}

typedef struct
{
  Fixture    *f;
  const char *name;
  gboolean    present;
  gboolean    is_default;
  guint       channels;     /* 0: any */
} Listed;

static gboolean
is_listed (gpointer user_data)
{
  Listed *l = user_data;
  PtDevice *device = pt_device_monitor_lookup (l->f->monitor, l->name);

  if (!pt_device_monitor_get_ready (l->f->monitor))
    return FALSE;
  if (!l->present)
    return device == NULL;
  return device != NULL && pt_device_get_is_default (device) == l->is_default &&
         (l->channels == 0 || pt_device_get_channels (device) == l->channels);
}

static void
assert_listed (Fixture    *f,
               const char *name,
               gboolean    present,
               gboolean    is_default,
               guint       channels)
{
  Listed l = { f, name, present, is_default, channels };

  pt_test_assert_eventually (f->context, is_listed, &l, PT_TEST_TIMEOUT_SERVER_S);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  int        *n_items)
{
  *n_items += (int) added - (int) removed;
  g_assert_cmpint (*n_items, ==, g_list_model_get_n_items (model));
}

/* The device list follows the graph: an item per source, its default flag
 * following the system default. */
static void
test_device_list (Fixture       *f,
                  gconstpointer  data)
{
  const char *mic = pt_test_harness_env ("PT_TEST_MIC_NODE");
  int n_items = g_list_model_get_n_items (G_LIST_MODEL (f->monitor));
  PtDevice *device;

  g_signal_connect (f->monitor, "items-changed", G_CALLBACK (on_items_changed), &n_items);
  assert_listed (f, mic, TRUE, TRUE, 1);

  add_source ("pt-test-stereo", 2, 440.0, 659.26);
  /* Its channel count comes with the node's info, a moment later. */
  assert_listed (f, "pt-test-stereo", TRUE, FALSE, 2);
  device = pt_device_monitor_lookup (f->monitor, "pt-test-stereo");
  g_assert_cmpstr (pt_device_get_media_class (device), ==, "Audio/Source");
  g_assert_cmpuint (pt_device_get_serial (device), >, 0);

  set_default ("pt-test-stereo");
  assert_listed (f, "pt-test-stereo", TRUE, TRUE, 2);
  assert_listed (f, mic, TRUE, FALSE, 1);
  g_assert_cmpstr (pt_device_monitor_get_default_device (f->monitor), ==, "pt-test-stereo");

  remove_source ("pt-test-stereo");
  assert_listed (f, "pt-test-stereo", FALSE, FALSE, 0);
  g_signal_handlers_disconnect_by_data (f->monitor, &n_items);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/pitch-toy/engine-devices/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)
  ADD ("device-list", test_device_list);
  ADD ("device-switch", test_device_switch);
  ADD ("device-lost", test_device_lost);
  ADD ("stereo-channel", test_stereo_channel);
  ADD ("no-source-at-start", test_no_source_at_start);
  ADD ("server-restart", test_server_restart);
  ADD ("forced-rate", test_forced_rate);
#undef ADD

  return g_test_run ();
}
