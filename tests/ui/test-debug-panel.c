/* test-debug-panel.c — the debug panel in the real window on a real X
 * display, over the application's live engine in a private PipeWire world:
 * its figures move while batches flow; its batch size control reaches the
 * engine and the log shows the request and its ConfigApplied; its test
 * signal at 440 Hz makes the main view read A4; hidden, the debug channel
 * does no work; an exhausted pool shows as BufferOverflow and recovers;
 * the saved log reads back as JSON Lines. Screenshots (light, dark) go to
 * the build dir's screenshots/.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pt-application.h"
#include "pt-debug-panel.h"
#include "pt-note-view.h"
#include "pt-protocol-json.h"
#include "pt-test-util.h"
#include "pt-ui-test-util.h"
#include "pt-window.h"

static PtApplication *app;

typedef struct
{
  PtEngine     *engine;
  PtWindow     *window;
  PtDebugPanel *panel;
  GPtrArray    *held;      /* batch envelopes the test keeps from the pool */
  guint         to_hold;
} Fixture;

/* The worklet as a user would find it at start: generators off, batches of
 * the default size. */
static void
reset_worklet (PtEngine *engine)
{
  PtTestSignalConfig signal = { FALSE, PT_WAVEFORM_SINE, 440.0, 0.5 };
  PtBackgroundNoiseConfig noise = { FALSE, PT_NOISE_WHITE, 0.1 };

  pt_engine_configure_test_signal (engine, &signal);
  pt_engine_configure_noise (engine, &noise);
  pt_engine_configure_batch (engine, PT_BATCH_SIZE_DEFAULT, PT_BATCH_TIMEOUT_DEFAULT_MS, FALSE);
}

static void
on_painted (GdkFrameClock *clock,
            gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
is_true (gpointer flag)
{
  return *(gboolean *) flag;
}

/* As the application does: the engine starts once the window has been
 * drawn, which takes longer than the pooled buffers last. */
static void
start_after_first_paint (Fixture *fixture)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (fixture->window));
  gboolean painted = FALSE;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_painted), &painted);

  gtk_widget_queue_draw (GTK_WIDGET (fixture->window));
  pt_test_assert_eventually (NULL, is_true, &painted, PT_TEST_TIMEOUT_SERVER_S);
  g_signal_handler_disconnect (clock, handler);
  pt_engine_start (fixture->engine);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  PtSettings *settings = pt_application_get_settings (app);

  pt_test_reset_settings (pt_settings_get_gsettings (settings));
  fixture->engine = pt_application_get_engine (app);
  fixture->held = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_envelope_unref);
  fixture->to_hold = 0;
  reset_worklet (fixture->engine);
  fixture->window = pt_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 760);
  pt_window_set_engine (fixture->window, fixture->engine);
  fixture->panel = PT_DEBUG_PANEL (pt_window_get_debug_panel (fixture->window));
  pt_window_set_debug_panel_visible (fixture->window, TRUE);
  pt_ui_test_show_window (fixture->window);
  start_after_first_paint (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  PtHubChannel *debug = pt_hub_lookup_channel (pt_engine_get_hub (fixture->engine), "debug");

  pt_engine_stop (fixture->engine);
  reset_worklet (fixture->engine);
  pt_ui_test_destroy_window (fixture->window);
  g_assert_cmpuint (pt_hub_channel_get_claims (debug), ==, 0);
  g_ptr_array_unref (fixture->held);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
}

static GtkWidget *
panel_child (Fixture    *fixture,
             const char *name)
{
  return pt_ui_test_template_child (fixture->panel, PT_TYPE_DEBUG_PANEL, name);
}

/* A template object that is not a widget. */
static GtkAdjustment *
panel_adjustment (Fixture    *fixture,
                  const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (fixture->panel),
                                                   PT_TYPE_DEBUG_PANEL, name);

  g_assert_true (GTK_IS_ADJUSTMENT (object));
  return GTK_ADJUSTMENT (object);
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static gboolean
is_unmapped (gpointer widget)
{
  return !gtk_widget_get_mapped (widget);
}

/* The value beside @key in the panel's figures. */
static const char *
live_value (Fixture    *fixture,
            const char *key)
{
  GtkGrid *grid = GTK_GRID (panel_child (fixture, "live_grid"));

  for (int row = 0; gtk_grid_get_child_at (grid, 0, row) != NULL; row++)
    if (g_str_equal (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (grid, 0, row))), key))
      return gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (grid, 1, row)));
  g_error ("no figure named %s", key);
}

typedef struct
{
  Fixture    *fixture;
  const char *key;
  guint64     above;
} Figure;

static gboolean
figure_above (gpointer user_data)
{
  Figure *figure = user_data;

  return g_ascii_strtoull (live_value (figure->fixture, figure->key), NULL, 10) > figure->above;
}

static guint64
wait_figure_above (Fixture    *fixture,
                   const char *key,
                   guint64     above)
{
  Figure figure = { fixture, key, above };

  pt_test_assert_eventually (NULL, figure_above, &figure, PT_TEST_TIMEOUT_SERVER_S);
  return g_ascii_strtoull (live_value (fixture, key), NULL, 10);
}

/* Shown, its figures follow the stream. */
static void
test_counters (Fixture       *fixture,
               gconstpointer  data)
{
  guint64 sequence;
  guint64 batches = 0;
  g_autoptr(PtEngineMetrics) metrics = NULL;

  pt_test_assert_eventually (NULL, is_mapped, fixture->panel, PT_TEST_TIMEOUT_SERVER_S);
  sequence = wait_figure_above (fixture, "Sequence", 0);
  wait_figure_above (fixture, "Sequence", sequence + 5);
  metrics = pt_engine_get_metrics (fixture->engine);
  g_assert_cmpuint (metrics->batches, >, 5);
  batches = wait_figure_above (fixture, "Batches per second", 0);
  g_assert_cmpuint (batches, >, 0);
  g_assert_nonnull (strstr (live_value (fixture, "Buffer pool"), "free"));
  g_assert_cmpstr (live_value (fixture, "Batch size"), ==, "1024 frames");
  {
    /* The pitch analyser's gate, never under the setting. */
    const char *gate = strstr (live_value (fixture, "Noise floor / gate"), " / ");
    double setting;

    g_object_get (pt_engine_get_pitch_analyzer (fixture->engine), "noise-gate-dbfs", &setting,
                  NULL);
    g_assert_nonnull (gate);
    g_assert_cmpfloat (g_ascii_strtod (gate + strlen (" / "), NULL), >=, setting);
  }
}

/* The newest line of the log of @type that contains @text: its position,
 * or -1. */
static int
find_log_line (Fixture       *fixture,
               PtMessageType  type,
               const char    *text)
{
  GListModel *log = G_LIST_MODEL (pt_debug_panel_get_message_log (fixture->panel));

  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(PtMessageLogEntry) entry = g_list_model_get_item (log, i);

      if (pt_message_log_entry_get_message_type (entry) == type
          && strstr (pt_message_log_entry_get_text (entry), text) != NULL)
        return (int) i;
    }
  return -1;
}

static PtEnvelope *
parse_log_line (Fixture *fixture,
                int      position)
{
  GListModel *log = G_LIST_MODEL (pt_debug_panel_get_message_log (fixture->panel));
  g_autoptr(PtMessageLogEntry) entry = g_list_model_get_item (log, (guint) position);
  g_autoptr(GError) error = NULL;
  PtEnvelope *envelope = pt_envelope_from_json (pt_message_log_entry_get_text (entry), -1,
                                                &error);

  g_assert_no_error (error);
  return envelope;
}

typedef struct
{
  Fixture       *fixture;
  PtMessageType  request_type;
  const char    *request_text;
  int            request;      /* its line */
  int            reply;        /* the ConfigApplied's line */
} Exchange;

/* The request is logged, and a newer ConfigApplied answers its id. */
static gboolean
exchange_logged (gpointer user_data)
{
  Exchange *x = user_data;
  g_autoptr(PtEnvelope) request = NULL;
  g_autofree char *reply_text = NULL;

  x->request = find_log_line (x->fixture, x->request_type, x->request_text);
  if (x->request < 0)
    return FALSE;
  request = parse_log_line (x->fixture, x->request);
  reply_text = g_strdup_printf ("\"in_reply_to\":%u,", request->message_id);
  x->reply = find_log_line (x->fixture, PT_MESSAGE_CONFIG_APPLIED, reply_text);
  return x->reply >= 0;
}

/* Waits for the exchange in the log; the panel's @applied_row shows the
 * reply. Returns: the reply. */
static PtEnvelope *
assert_exchange (Fixture       *fixture,
                 PtMessageType  request_type,
                 const char    *request_text,
                 const char    *applied_row)
{
  Exchange x = { fixture, request_type, request_text, -1, -1 };
  g_autoptr(PtEnvelope) request = NULL;
  g_autofree char *shown = NULL;
  GtkWidget *row = panel_child (fixture, applied_row);
  PtEnvelope *reply;

  pt_test_assert_eventually (NULL, exchange_logged, &x, PT_TEST_TIMEOUT_SERVER_S);
  g_assert_cmpint (x.reply, <, x.request);
  request = parse_log_line (fixture, x.request);
  reply = parse_log_line (fixture, x.reply);
  shown = g_strdup_printf ("Applied #%u (for #%u)", reply->message_id, request->message_id);
  g_assert_nonnull (strstr (ADW_IS_EXPANDER_ROW (row)
                            ? adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row))
                            : adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), shown));
  return reply;
}

static gboolean
batch_size_is_2048 (gpointer user_data)
{
  return pt_engine_get_batch_size (user_data) == 2048;
}

static void
test_batch_size (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkAdjustment *size = panel_adjustment (fixture, "batch_size_adjustment");
  g_autoptr(PtEnvelope) reply = NULL;

  wait_figure_above (fixture, "Sequence", 0);
  gtk_adjustment_set_value (size, 2048);
  pt_test_assert_eventually (NULL, batch_size_is_2048, fixture->engine, PT_TEST_TIMEOUT_SERVER_S);
  reply = assert_exchange (fixture, PT_MESSAGE_UPDATE_BATCH_CONFIG, "\"batch_size\":2048",
                           "batch_applied_row");
  g_assert_cmpuint (reply->payload.applied.batch.batch_size, ==, 2048);
  g_assert_cmpint (g_settings_get_int (pt_settings_get_gsettings (pt_application_get_settings (app)),
                                       "batch-size"), ==, 2048);
}

static gboolean
is_adaptive (gpointer engine)
{
  return pt_engine_get_adaptive (engine);
}

static gboolean
is_monitoring (gpointer engine)
{
  return pt_engine_get_monitor (engine);
}

/* Adaptive batching: the engine follows, the log shows the request and its
 * reply, the figures say so. The monitor switch drives the engine's. */
static void
test_adaptive_and_monitor (Fixture       *fixture,
                           gconstpointer  data)
{
  GtkSwitch *adaptive = GTK_SWITCH (panel_child (fixture, "adaptive_switch"));
  GtkSwitch *monitor = GTK_SWITCH (panel_child (fixture, "monitor_switch"));
  g_autoptr(PtEnvelope) reply = NULL;

  wait_figure_above (fixture, "Sequence", 0);
  gtk_switch_set_active (adaptive, TRUE);
  pt_test_assert_eventually (NULL, is_adaptive, fixture->engine, PT_TEST_TIMEOUT_SERVER_S);
  reply = assert_exchange (fixture, PT_MESSAGE_UPDATE_BATCH_CONFIG, "\"adaptive\":true",
                           "batch_applied_row");
  g_assert_true (reply->payload.applied.batch.adaptive);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (panel_child (fixture,
                                                                       "batch_applied_row"))),
                            ", adaptive"));
  wait_figure_above (fixture, "Sequence", wait_figure_above (fixture, "Sequence", 0));
  g_assert_true (g_str_has_suffix (live_value (fixture, "Batch size"), "frames, adaptive"));

  gtk_switch_set_active (monitor, TRUE);
  pt_test_assert_eventually (NULL, is_monitoring, fixture->engine, PT_TEST_TIMEOUT_SERVER_S);
  gtk_switch_set_active (monitor, FALSE);
  g_assert_false (pt_engine_get_monitor (fixture->engine));
}

static guint
count_log_lines (Fixture       *fixture,
                 PtMessageType  type)
{
  GListModel *log = G_LIST_MODEL (pt_debug_panel_get_message_log (fixture->panel));
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(PtMessageLogEntry) entry = g_list_model_get_item (log, i);

      count += pt_message_log_entry_get_message_type (entry) == type;
    }
  return count;
}

static gboolean
has_config_applied (gpointer fixture)
{
  return count_log_lines (fixture, PT_MESSAGE_CONFIG_APPLIED) > 0;
}

/* The type filter shows that type alone, and "All Messages" everything. */
static void
test_log_filter (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkDropDown *filter = GTK_DROP_DOWN (panel_child (fixture, "log_filter"));
  GListModel *shown = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (panel_child (fixture,
                                                                                       "log_view"))));
  GListModel *log = G_LIST_MODEL (pt_debug_panel_get_message_log (fixture->panel));

  pt_engine_configure_batch (fixture->engine, 2048, 40, FALSE);
  pt_test_assert_eventually (NULL, has_config_applied, fixture, PT_TEST_TIMEOUT_SERVER_S);
  gtk_drop_down_set_selected (filter, 1 + PT_MESSAGE_CONFIG_APPLIED);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==,
                    count_log_lines (fixture, PT_MESSAGE_CONFIG_APPLIED));
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(PtMessageLogEntry) entry = g_list_model_get_item (shown, i);

      g_assert_cmpint (pt_message_log_entry_get_message_type (entry), ==,
                       PT_MESSAGE_CONFIG_APPLIED);
    }
  gtk_drop_down_set_selected (filter, 0);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, g_list_model_get_n_items (log));
}

/* The first button inside @widget, depth first. */
static GtkWidget *
find_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = find_button (child);

      if (button != NULL)
        return button;
    }
  return NULL;
}

static void
on_clipboard_text (GObject      *clipboard,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (clipboard), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer location)
{
  return *(gpointer *) location != NULL;
}

static gboolean
has_button (gpointer widget)
{
  return find_button (widget) != NULL;
}

/* A line's copy button puts its JSON on the clipboard. */
static void
test_copy_line (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *view = panel_child (fixture, "log_view");
  GtkWidget *button;
  GtkWidget *json;
  g_autofree char *copied = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtEnvelope) envelope = NULL;

  wait_figure_above (fixture, "Sequence", 0);
  pt_test_assert_eventually (NULL, has_button, view, PT_TEST_TIMEOUT_SERVER_S);
  button = find_button (view);
  json = gtk_widget_get_next_sibling (gtk_widget_get_parent (button));
  g_signal_emit_by_name (button, "clicked");
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (view), NULL, on_clipboard_text,
                                 &copied);
  pt_test_assert_eventually (NULL, is_set, &copied, PT_TEST_TIMEOUT_SERVER_S);
  g_assert_cmpstr (copied, ==, gtk_label_get_text (GTK_LABEL (json)));
  envelope = pt_envelope_from_json (copied, -1, &error);
  g_assert_no_error (error);
}

static gboolean
reads_a4 (gpointer user_data)
{
  Fixture *fixture = user_data;
  GtkWidget *view = pt_ui_test_template_child (fixture->window, PT_TYPE_WINDOW, "note_view");

  return g_strcmp0 (pt_note_view_get_note_text (PT_NOTE_VIEW (view)), "A4") == 0;
}

static void
play_a4 (Fixture *fixture)
{
  GtkAdjustment *frequency = panel_adjustment (fixture, "frequency_adjustment");
  GtkEntry *note = GTK_ENTRY (panel_child (fixture, "note_entry"));

  gtk_adjustment_set_value (frequency, 1000.0);
  gtk_editable_set_text (GTK_EDITABLE (note), "A4");
  g_signal_emit_by_name (note, "activate");
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (frequency), 440.0, 1e-9);
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (panel_child (fixture, "test_signal_row")),
                                         TRUE);
}

/* By note name; the frequency the slider and the spin button show. */
static void
test_test_signal_a4 (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkAdjustment *octaves = panel_adjustment (fixture, "octave_adjustment");
  g_autoptr(PtEnvelope) reply = NULL;

  play_a4 (fixture);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (octaves), log2 (440.0), 1e-9);
  pt_test_assert_eventually (NULL, reads_a4, fixture, PT_TEST_TIMEOUT_SERVER_S);
  reply = assert_exchange (fixture, PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG, "\"enabled\":true",
                           "test_signal_row");
  g_assert_true (reply->payload.applied.test_signal.enabled);
  g_assert_cmpfloat (reply->payload.applied.test_signal.frequency, ==, 440.0);
}

static gboolean
has_last_frequency (gpointer fixture)
{
  return find_log_line (fixture, PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG, "700.5") >= 0;
}

/* A slider dragged through a hundred values sends its generator's
 * configuration at most twice: at once (unless a send went out in the last
 * 100 ms), and with the last value. */
static void
test_slider_throttled (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkAdjustment *frequency = panel_adjustment (fixture, "frequency_adjustment");
  guint before = count_log_lines (fixture, PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG);
  guint sent;

  for (guint i = 1; i <= 100; i++)
    gtk_adjustment_set_value (frequency, 600.5 + i);
  pt_test_assert_eventually (NULL, has_last_frequency, fixture, PT_TEST_TIMEOUT_SERVER_S);
  sent = count_log_lines (fixture, PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG) - before;
  g_test_message ("%u sent", sent);
  g_assert_cmpuint (sent, >=, 1);
  g_assert_cmpuint (sent, <=, 2);
}

static gboolean
batches_reach (gpointer user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(PtEngineMetrics) metrics = pt_engine_get_metrics (fixture->engine);

  return metrics->batches >= GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (fixture->panel),
                                                                  "test-batches"));
}

static void
wait_batches (Fixture *fixture,
              guint    n)
{
  g_autoptr(PtEngineMetrics) metrics = pt_engine_get_metrics (fixture->engine);

  g_object_set_data (G_OBJECT (fixture->panel), "test-batches",
                     GUINT_TO_POINTER ((guint) metrics->batches + n));
  pt_test_assert_eventually (NULL, batches_reach, fixture, PT_TEST_TIMEOUT_SERVER_S);
}

/* Hidden, the debug channel is not claimed and never runs; shown, it does. */
static void
test_hidden_does_no_work (Fixture       *fixture,
                          gconstpointer  data)
{
  PtHubChannel *debug = pt_hub_lookup_channel (pt_engine_get_hub (fixture->engine), "debug");
  guint64 runs;

  pt_test_assert_eventually (NULL, is_mapped, fixture->panel, PT_TEST_TIMEOUT_SERVER_S);
  wait_batches (fixture, 5);
  g_assert_cmpuint (pt_hub_channel_get_runs (debug), >, 0);

  pt_window_set_debug_panel_visible (fixture->window, FALSE);
  pt_test_assert_eventually (NULL, is_unmapped, fixture->panel, PT_TEST_TIMEOUT_SERVER_S);
  g_assert_cmpuint (pt_hub_channel_get_claims (debug), ==, 0);
  runs = pt_hub_channel_get_runs (debug);
  wait_batches (fixture, 20);
  g_assert_cmpuint (pt_hub_channel_get_runs (debug), ==, runs);

  pt_window_set_debug_panel_visible (fixture->window, TRUE);
  pt_test_assert_eventually (NULL, is_mapped, fixture->panel, PT_TEST_TIMEOUT_SERVER_S);
  wait_batches (fixture, 5);
  g_assert_cmpuint (pt_hub_channel_get_runs (debug), >, runs);
}

/* Keeps batches from going back to the pool while it is told to. */
static void
hold_batch (PtEngine   *engine,
            PtEnvelope *envelope,
            Fixture    *fixture)
{
  if (fixture->held->len < fixture->to_hold)
    g_ptr_array_add (fixture->held, pt_envelope_ref (envelope));
}

/* The report of the test's own overflow: the whole pool held. */
static gboolean
shows_overflow (gpointer user_data)
{
  Fixture *fixture = user_data;
  AdwActionRow *row = ADW_ACTION_ROW (panel_child (fixture, "error_row"));

  return fixture->held->len == PT_BUFFER_POOL_SIZE
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                       "BufferOverflow") == 0
         && strstr (adw_action_row_get_subtitle (row), "in_use=16,") != NULL;
}

/* "1 in use · 15 free" */
static gboolean
pool_recovered (gpointer user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(PtEngineMetrics) metrics = pt_engine_get_metrics (fixture->engine);
  g_auto(GStrv) parts = g_strsplit (live_value (fixture, "Buffer pool"), " · ", -1);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  return metrics->pool_in_use <= 2
         && g_ascii_strtoull (parts[0], NULL, 10) <= 2
         && g_ascii_strtoull (parts[1], NULL, 10) >= PT_BUFFER_POOL_SIZE - 2
         && g_ascii_strtoull (live_value (fixture, "Most buffers in use"), NULL, 10)
            == PT_BUFFER_POOL_SIZE;
}

/* The test stops returning buffers: the panel names the overflow with the
 * pool's counts; given back, the pool is as before. */
static void
test_pool_exhaustion (Fixture       *fixture,
                      gconstpointer  data)
{
  AdwActionRow *row = ADW_ACTION_ROW (panel_child (fixture, "error_row"));
  gulong handler;

  wait_batches (fixture, 5);
  fixture->to_hold = PT_BUFFER_POOL_SIZE;
  handler = g_signal_connect (fixture->engine, "batch", G_CALLBACK (hold_batch), fixture);
  pt_test_assert_eventually (NULL, shows_overflow, fixture, PT_TEST_TIMEOUT_SERVER_S);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "capacity=16"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "available=0,"));

  g_signal_handler_disconnect (fixture->engine, handler);
  g_ptr_array_set_size (fixture->held, 0);
  pt_test_assert_eventually (NULL, pool_recovered, fixture, PT_TEST_TIMEOUT_SERVER_S);
  g_assert_cmpint (find_log_line (fixture, PT_MESSAGE_PROCESSING_ERROR, "BufferOverflow"), >=, 0);
}

/* Every line of the saved file reads back; the file holds the log. */
static void
test_saved_log (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (pt_test_harness_env ("PT_TEST_BUILDDIR"),
                                           "debug-panel-log", NULL);
  g_autofree char *path = g_build_filename (dir, "messages.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_lines;
  gboolean saw_batch = FALSE;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  play_a4 (fixture);
  wait_batches (fixture, 60);
  g_assert_true (pt_debug_panel_save_log (fixture->panel, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_true (g_str_has_suffix (text, "\n"));
  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines) - 1;
  g_assert_cmpuint (n_lines, >=, 4);
  g_assert_cmpuint (n_lines, <=,
                    g_list_model_get_n_items (G_LIST_MODEL (pt_debug_panel_get_message_log (fixture->panel))));
  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(PtEnvelope) envelope = pt_envelope_from_json (lines[i], -1, &error);

      g_assert_no_error (error);
      saw_batch |= envelope->type == PT_MESSAGE_AUDIO_DATA_BATCH;
    }
  g_assert_true (saw_batch);
  g_assert_cmpint (g_unlink (path), ==, 0);
}

/* Whether a toast is on screen anywhere in @widget. */
static gboolean
shows_toast (GtkWidget *widget)
{
  if (g_str_equal (gtk_widget_get_css_name (widget), "toast"))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_toast (child))
      return TRUE;
  return FALSE;
}

static gboolean
no_toast (gpointer window)
{
  return !shows_toast (window);
}

/* A stall while the window is built or restyled may overflow the pool, and
 * its toast would cover the picture: wait for it to go. */
static void
save_screenshot (Fixture    *fixture,
                 const char *name)
{
  pt_test_assert_eventually (NULL, no_toast, fixture->window, PT_TEST_TIMEOUT_SERVER_S);
  pt_ui_test_save_screenshot (fixture->window, name);
}

static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  play_a4 (fixture);
  pt_test_assert_eventually (NULL, reads_a4, fixture, PT_TEST_TIMEOUT_SERVER_S);
  wait_batches (fixture, 20);
  save_screenshot (fixture, "debug-panel-light.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  wait_batches (fixture, 5);
  save_screenshot (fixture, "debug-panel-dark.png");
}

static gboolean
width_is_360 (gpointer window)
{
  return gtk_widget_get_width (window) == 360;
}

/* The narrowest window shows the whole panel instead of the tuner, and the
 * tuner again once the panel is closed. */
static void
test_fits_narrow_window (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *panel = GTK_WIDGET (fixture->panel);
  GtkWidget *stack = pt_ui_test_template_child (fixture->window, PT_TYPE_WINDOW, "main_stack");

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 640);
  pt_test_assert_eventually (NULL, width_is_360, fixture->window, PT_TEST_TIMEOUT_SERVER_S);
  pt_test_assert_eventually (NULL, is_mapped, panel, PT_TEST_TIMEOUT_SERVER_S);
  pt_test_assert_eventually (NULL, is_unmapped, stack, PT_TEST_TIMEOUT_SERVER_S);
  g_assert_cmpint (gtk_widget_get_width (panel), <=, 360);
  pt_ui_test_save_screenshot (fixture->window, "debug-panel-narrow.png");

  for (guint i = 0; i < 2; i++)
    {
      pt_window_set_debug_panel_visible (fixture->window, FALSE);
      pt_test_assert_eventually (NULL, is_mapped, stack, PT_TEST_TIMEOUT_SERVER_S);
      pt_test_assert_eventually (NULL, is_unmapped, panel, PT_TEST_TIMEOUT_SERVER_S);
      pt_window_set_debug_panel_visible (fixture->window, TRUE);
      pt_test_assert_eventually (NULL, is_mapped, panel, PT_TEST_TIMEOUT_SERVER_S);
      pt_test_assert_eventually (NULL, is_unmapped, stack, PT_TEST_TIMEOUT_SERVER_S);
    }
  g_assert_true (width_is_360 (fixture->window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  app = pt_ui_test_app_new ();

#define ADD(path, func) \
  g_test_add ("/pitch-toy/debug-panel/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("counters", test_counters);
  ADD ("batch-size", test_batch_size);
  ADD ("adaptive-and-monitor", test_adaptive_and_monitor);
  ADD ("log-filter", test_log_filter);
  ADD ("copy-line", test_copy_line);
  ADD ("test-signal-a4", test_test_signal_a4);
  ADD ("slider-throttled", test_slider_throttled);
  ADD ("hidden-does-no-work", test_hidden_does_no_work);
  ADD ("pool-exhaustion", test_pool_exhaustion);
  ADD ("saved-log", test_saved_log);
  ADD ("fits-narrow-window", test_fits_narrow_window);
  ADD ("screenshots", test_screenshots);
#undef ADD

  status = g_test_run ();
  pt_ui_test_app_free (app);
  return status;
}
