/* test-app-live.c — the application as a user starts it, on the harness's
 * private PipeWire server and Xvfb display: its own engine captures the
 * virtual microphone, and the window reads the tone played into it;
 * Preferences lists the server's sources, moves capture to the one chosen
 * and gives a source that appears a row; a lost device is said, with a
 * button to Preferences; closing the window takes the capture stream out of
 * the server's graph. The screenshots of the live window (light, dark, stage
 * mode: data/screenshots comes from here) go to the build dir's
 * screenshots/.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <math.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <X11/keysym.h>

#include "pt-application.h"
#include "pt-cents-meter.h"
#include "pt-drone-bar.h"
#include "pt-note-view.h"
#include "pt-preferences-dialog.h"
#include "pt-test-util.h"
#include "pt-ui-test-util.h"
#include "pt-window.h"

#define TONE_AMPLITUDE "0.5"
#define STREAM_NODE    "pitch-toy"   /* the capture stream's node.name */
#define FINAL_HZ       441.2         /* the phrase's last note: A4, 4.7 cents sharp */

static PtApplication *app;

typedef struct
{
  PtWindow    *window;   /* NULL once closed */
  PtSettings  *settings;
  PtEngine    *engine;
  GSubprocess *player;   /* what plays into the microphone, or NULL */
  char        *dir;
  char        *wav;      /* the phrase, in dir */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->settings = pt_application_get_settings (app);
  pt_test_reset_settings (pt_settings_get_gsettings (f->settings));
  pt_settings_set_window_state (f->settings, 720, 720, FALSE);
  f->engine = pt_application_get_engine (app);
  f->dir = g_dir_make_tmp ("pt-app-live-XXXXXX", &error);
  g_assert_no_error (error);
  f->wav = g_build_filename (f->dir, "phrase.wav", NULL);

  f->window = PT_WINDOW (pt_ui_test_activate_window (app));
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
}

static void
stop_player (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  if (f->player == NULL)
    return;
  g_subprocess_send_signal (f->player, SIGTERM);
  g_assert_true (g_subprocess_wait (f->player, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&f->player);
}

static gboolean
engine_stopped (gpointer user_data)
{
  Fixture *f = user_data;

  return pt_engine_get_state (f->engine) == PT_ENGINE_STATE_STOPPED;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  stop_player (f);
  if (f->window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
      pt_ui_test_destroy_window (f->window);
    }
  pt_test_assert_eventually (NULL, engine_stopped, f, PT_TEST_TIMEOUT_SERVER_S);
  g_remove (f->wav);
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->wav);
  g_free (f->dir);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
}

static GtkWidget *
template_child (Fixture    *f,
                const char *name)
{
  return pt_ui_test_template_child (f->window, PT_TYPE_WINDOW, name);
}

/* A sine of @frequency into the microphone, for as long as the test runs. */
static void
play_tone (Fixture *f,
           double   frequency)
{
  g_autoptr(GError) error = NULL;
  char hz[G_ASCII_DTOSTR_BUF_SIZE];

  stop_player (f);
  f->player = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                                pt_test_harness_env ("PT_TEST_TONE_FEEDER"), "pt-ui-test-tone",
                                pt_test_harness_env ("PT_TEST_FEED_NODE"), TONE_AMPLITUDE,
                                g_ascii_dtostr (hz, sizeof hz, frequency), NULL);
  g_assert_no_error (error);
}

static void
world_add_source (const char *name,
                  double      frequency)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_test_world_add_source (name, 1, &frequency, 0.5, &error));
  g_assert_no_error (error);
}

static void
world_remove_source (const char *name)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_test_world_remove_source (name, &error));
  g_assert_no_error (error);
}

static void
world_wait_node (const char *name,
                 gboolean    present)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_test_world_wait_node (name, present, &error));
  g_assert_no_error (error);
}

typedef struct
{
  Fixture    *f;
  const char *note;
  double      cents;
  double      tolerance;
  const char *linked;   /* the device capture must be linked to, or NULL */
} Reading;

static gboolean
reads (gpointer user_data)
{
  Reading *r = user_data;
  PtNoteView *view = PT_NOTE_VIEW (template_child (r->f, "note_view"));

  return (r->linked == NULL
          || g_strcmp0 (pt_engine_get_linked_device (r->f->engine), r->linked) == 0)
         && g_strcmp0 (pt_note_view_get_note_text (view), r->note) == 0
         && fabs (pt_ui_test_parse_cents (pt_note_view_get_cents_text (view)) - r->cents)
            <= r->tolerance;
}

typedef struct
{
  PtPitchHistory *history;
  double          until;
} StreamTime;

static gboolean
stream_time_reached (gpointer user_data)
{
  StreamTime *t = user_data;

  return pt_pitch_history_get_latest_time (t->history) >= t->until;
}

/* Iterates until the analysis has seen @seconds more of the stream. */
static void
wait_stream_time (Fixture *f,
                  double   seconds)
{
  PtPitchHistory *history = pt_window_get_pitch_history (f->window);
  StreamTime t = { history, pt_pitch_history_get_latest_time (history) + seconds };

  pt_test_assert_eventually (NULL, stream_time_reached, &t, PT_TEST_TIMEOUT_SERVER_S);
}

/* The window comes to read @note at @cents, and does again half a second
 * of stream later. */
#define assert_reads(f, note, cents, tolerance, linked) \
  assert_reads_at (f, note, cents, tolerance, linked, __LINE__)

static void
assert_reads_at (Fixture    *f,
                 const char *note,
                 double      cents,
                 double      tolerance,
                 const char *linked,
                 int         line)
{
  Reading r = { f, note, cents, tolerance, linked };
  PtNoteView *view = PT_NOTE_VIEW (template_child (f, "note_view"));

  /* Read, and read again half a second of stream later: a block the graph
   * drops on a loaded machine may glitch one reading, not the note. */
  if (pt_test_wait_until (NULL, reads, &r, PT_TEST_TIMEOUT_SERVER_S))
    {
      wait_stream_time (f, 0.5);
      pt_test_wait_until (NULL, reads, &r, PT_TEST_TIMEOUT_SERVER_S);
    }
  if (!reads (&r))
    g_error ("line %d: wanted %s at %+.1f cents on %s; the window reads %s at %s, linked to %s",
             line, note, cents, linked ? linked : "any device", pt_note_view_get_note_text (view),
             pt_note_view_get_cents_text (view), pt_engine_get_linked_device (f->engine));
}

/* The default microphone, fed 440 Hz, with no test signal: A4; with A4 at
 * 442 Hz the same tone is 7.9 cents flat. */
static void
test_reads_microphone (Fixture       *f,
                       gconstpointer  data)
{
  GtkStack *stack = GTK_STACK (template_child (f, "main_stack"));

  play_tone (f, 440.0);
  assert_reads (f, "A4", 0.0, 1.0, pt_test_harness_env ("PT_TEST_MIC_NODE"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "tuner");
  g_assert_true (pt_window_get_listening (f->window));

  g_object_set (f->settings, "reference-pitch", 442.0, NULL);
  assert_reads (f, "A4", -7.9, 0.2, NULL);
}

/* The position of the device named @name in the device row, or -1. */
static int
device_position (AdwComboRow *row,
                 const char  *name)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PtDevice) device = g_list_model_get_item (model, i);

      if (g_strcmp0 (pt_device_get_name (device), name) == 0)
        return (int) i;
    }
  return -1;
}

typedef struct
{
  AdwComboRow *row;
  const char  *names[3];
} Listing;

static gboolean
lists (gpointer user_data)
{
  Listing *l = user_data;

  for (guint i = 0; i < G_N_ELEMENTS (l->names) && l->names[i] != NULL; i++)
    if (device_position (l->row, l->names[i]) < 0)
      return FALSE;
  return TRUE;
}

static gboolean
find_preferences (gpointer user_data)
{
  PtPreferencesDialog **dialog = user_data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (PT_IS_PREFERENCES_DIALOG (window) && gtk_widget_get_mapped (window))
        *dialog = PT_PREFERENCES_DIALOG (window);
    }
  return *dialog != NULL;
}

static void
choose_device (AdwComboRow *row,
               const char  *name)
{
  int position = device_position (row, name);

  g_assert_cmpint (position, >, 0);
  adw_combo_row_set_selected (row, (guint) position);
}

static gboolean
links_to_microphone (gpointer user_data)
{
  Fixture *f = user_data;

  return g_strcmp0 (pt_engine_get_linked_device (f->engine),
                    pt_test_harness_env ("PT_TEST_MIC_NODE")) == 0;
}

/* Preferences (Ctrl+,) lists "System default" and every source of the
 * server; choosing one moves capture to it at once; a source that appears
 * while it is open gets a row and can be chosen. */
static void
test_preferences_devices (Fixture       *f,
                          gconstpointer  data)
{
  const char *mic = pt_test_harness_env ("PT_TEST_MIC_NODE");
  PtPreferencesDialog *dialog = NULL;
  AdwComboRow *row;
  g_autoptr(PtDevice) first = NULL;

  world_add_source ("pt-ui-e4", 329.63);
  pt_ui_test_press_key (f->window, XK_Control_L, XK_comma);
  pt_test_assert_eventually (NULL, find_preferences, &dialog, PT_TEST_TIMEOUT_SERVER_S);
  row = ADW_COMBO_ROW (pt_ui_test_template_child (dialog, PT_TYPE_PREFERENCES_DIALOG,
                                                  "device_row"));
  pt_test_assert_eventually (NULL, lists, (&(Listing) { row, { mic, "pt-ui-e4" } }),
                             PT_TEST_TIMEOUT_SERVER_S);
  first = g_list_model_get_item (adw_combo_row_get_model (row), 0);
  g_assert_cmpstr (pt_device_get_name (first), ==, "");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);

  choose_device (row, "pt-ui-e4");
  assert_reads (f, "E4", 0.0, 1.0, "pt-ui-e4");

  world_add_source ("pt-ui-e5", 659.26);
  pt_test_assert_eventually (NULL, lists, (&(Listing) { row, { mic, "pt-ui-e4", "pt-ui-e5" } }),
                             PT_TEST_TIMEOUT_SERVER_S);
  choose_device (row, "pt-ui-e5");
  assert_reads (f, "E5", 0.0, 1.0, "pt-ui-e5");

  /* Back to the default before the sources go, so none is lost under it. */
  adw_combo_row_set_selected (row, 0);
  pt_test_assert_eventually (NULL, links_to_microphone, f, PT_TEST_TIMEOUT_SERVER_S);
  pt_ui_test_destroy_window (dialog);
  world_remove_source ("pt-ui-e4");
  world_remove_source ("pt-ui-e5");
}

static gboolean
holds_final_note (gpointer user_data)
{
  Fixture *f = user_data;
  PtPitchHistory *history = pt_window_get_pitch_history (f->window);
  PtNoteView *view = PT_NOTE_VIEW (template_child (f, "note_view"));
  PtCentsMeter *meter = PT_CENTS_METER (template_child (f, "cents_meter"));
  double latest = pt_pitch_history_get_latest_time (history);

  if (!g_str_equal (pt_note_view_get_note_text (view), "A4")
      || fabs (pt_cents_meter_get_needle_cents (meter) - pt_cents_meter_get_cents (meter)) > 0.2)
    return FALSE;
  for (guint i = pt_pitch_history_get_n_entries (history); i-- > 0;)
    {
      const PtPitchHistoryEntry *entry = pt_pitch_history_get_entry (history, i);

      if (entry->time_s <= latest - 1.0)
        return TRUE;
      if (!entry->voiced || fabs (entry->frequency - FINAL_HZ) > 0.5)
        return FALSE;
    }
  return FALSE;
}

static gboolean
hears_silence (gpointer user_data)
{
  Fixture *f = user_data;

  return !pt_pitch_analyzer_get_voiced (pt_engine_get_pitch_analyzer (f->engine));
}

/* A sung phrase into the microphone, from a fresh history, until its last
 * note has been held for a second: a real note, a history, a live level. */
static void
play_phrase (Fixture *f)
{
  static const PtUiTestTone phrase[] = {
    { 261.63, 0.3, 0.0 }, { 0, 0, 0 }, { 329.63, 0.35, 8.0 }, { 392.0, 0.4, 12.0 },
    { 0, 0, 0 }, { 440.0, 0.3, 20.0 }, { FINAL_HZ, 0.32, 0.0 },
  };
  static const double seconds[] = { 1.2, 0.15, 1.5, 1.6, 0.2, 2.0, 6.0 };
  PtUiTestSource source = { NULL, 0, 0.0 };
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (phrase); i++)
    {
      guint n = (guint) (seconds[i] * PT_UI_TEST_RATE);

      g_array_set_size (samples, samples->len + n);
      pt_ui_test_source_render (&source, &phrase[i],
                                &g_array_index (samples, float, samples->len - n), n);
    }
  g_assert_true (pt_test_write_wav (f->wav, (float *) samples->data, samples->len,
                                    (int) PT_UI_TEST_RATE, &error));
  g_assert_no_error (error);

  stop_player (f);
  pt_test_assert_eventually (NULL, hears_silence, f, PT_TEST_TIMEOUT_SERVER_S);
  pt_pitch_history_clear (pt_window_get_pitch_history (f->window));
  f->player = pt_test_play_into_feed (f->wav, &error);
  g_assert_no_error (error);
  pt_test_assert_eventually (NULL, holds_final_note, f, PT_TEST_TIMEOUT_SERVER_S);
}

static gboolean
in_stage_mode (gpointer user_data)
{
  Fixture *f = user_data;

  return pt_window_get_stage_mode (f->window)
         && !gtk_widget_get_visible (template_child (f, "graph_card"));
}

static gboolean
out_of_stage_mode (gpointer user_data)
{
  Fixture *f = user_data;

  return !pt_window_get_stage_mode (f->window)
         && gtk_widget_get_visible (template_child (f, "graph_card"));
}

/* The live window, light and dark, and stage mode through F11 and Escape
 * pressed as a user would. */
static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  play_phrase (f);
  pt_ui_test_save_screenshot (f->window, "main-window-light.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  pt_test_assert_eventually (NULL, (PtTestCondition) adw_style_manager_get_dark, style,
                             PT_TEST_TIMEOUT_SERVER_S);
  play_phrase (f);
  pt_ui_test_save_screenshot (f->window, "main-window-dark.png");

  pt_ui_test_press_key (f->window, 0, XK_F11);
  pt_test_assert_eventually (NULL, in_stage_mode, f, PT_TEST_TIMEOUT_SERVER_S);
  g_assert_true (g_settings_get_boolean (pt_settings_get_gsettings (f->settings), "stage-mode"));
  play_phrase (f);
  pt_ui_test_save_screenshot (f->window, "stage-mode.png");
  pt_ui_test_press_key (f->window, 0, XK_Escape);
  pt_test_assert_eventually (NULL, out_of_stage_mode, f, PT_TEST_TIMEOUT_SERVER_S);
}

/* A mapped button of a toast in @widget's tree that opens Preferences. */
static GtkWidget *
find_preferences_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                    "app.preferences") == 0
      && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Preferences") == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_preferences_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
offers_preferences (gpointer user_data)
{
  Fixture *f = user_data;

  return find_preferences_button (template_child (f, "toast_overlay")) != NULL
         && links_to_microphone (f);
}

/* The chosen microphone goes: capture carries on from the default, and a
 * toast says so with a button to Preferences, which opens them. */
static void
test_device_lost (Fixture       *f,
                  gconstpointer  data)
{
  PtPreferencesDialog *dialog = NULL;

  world_add_source ("pt-ui-lost", 329.63);
  g_object_set (f->settings, "input-device", "pt-ui-lost", NULL);
  assert_reads (f, "E4", 0.0, 1.0, "pt-ui-lost");

  world_remove_source ("pt-ui-lost");
  pt_test_assert_eventually (NULL, offers_preferences, f, PT_TEST_TIMEOUT_SERVER_S);
  g_assert_true (gtk_widget_activate (find_preferences_button (template_child (f,
                                                                               "toast_overlay"))));
  pt_test_assert_eventually (NULL, find_preferences, &dialog, PT_TEST_TIMEOUT_SERVER_S);
  pt_ui_test_destroy_window (dialog);
}

static gboolean
window_closed (gpointer user_data)
{
  Fixture *f = user_data;

  return f->window == NULL && engine_stopped (f);
}

/* Ctrl+W closes the window: the engine stops and its stream leaves the
 * server's graph, so the microphone indicator goes off. */
static void
test_close_ends_capture (Fixture       *f,
                         gconstpointer  data)
{
  play_tone (f, 440.0);
  assert_reads (f, "A4", 0.0, 1.0, NULL);
  world_wait_node (STREAM_NODE, TRUE);

  pt_ui_test_press_key (f->window, XK_Control_L, XK_w);
  pt_test_assert_eventually (NULL, window_closed, f, PT_TEST_TIMEOUT_SERVER_S);
  world_wait_node (STREAM_NODE, FALSE);
}

/* The drone bar: off at start; its switch is the engine's drone, its
 * detail the note the drone sounds, its volume the setting; while the drone
 * or the monitor plays, the warning that the microphone hears them shows. */
static void
test_drone_bar (Fixture       *f,
                gconstpointer  data)
{
  PtDroneBar *bar = PT_DRONE_BAR (template_child (f, "drone_bar"));
  GtkSwitch *drone_switch = GTK_SWITCH (pt_ui_test_template_child (bar, PT_TYPE_DRONE_BAR,
                                                                   "drone_switch"));
  double drone_volume;
  GtkRange *volume = GTK_RANGE (pt_ui_test_template_child (bar, PT_TYPE_DRONE_BAR,
                                                           "volume_scale"));

  play_tone (f, 440.0);
  assert_reads (f, "A4", 0.0, 1.0, NULL);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (bar)));
  g_assert_false (gtk_switch_get_active (drone_switch));
  g_assert_false (pt_drone_bar_get_warning_shown (bar));
  g_assert_cmpstr (pt_drone_bar_get_detail_text (bar), ==, "C4 · 261.6 Hz");

  gtk_switch_set_active (drone_switch, TRUE);
  g_assert_true (pt_engine_get_drone_enabled (f->engine));
  g_assert_true (pt_drone_bar_get_warning_shown (bar));

  /* The drone follows the tonic, named as the tuner names notes. */
  g_object_set (f->settings, "tonic", 10, "note-names", PT_NOTE_NAMES_FLATS, NULL);
  g_assert_cmpstr (pt_drone_bar_get_detail_text (bar), ==, "B♭4 · 466.2 Hz");
  g_object_set (f->settings, "drone-octave", 3, NULL);
  g_assert_cmpstr (pt_drone_bar_get_detail_text (bar), ==, "B♭3 · 233.1 Hz");

  g_assert_cmpfloat (gtk_range_get_value (volume), ==, 0.5);
  gtk_range_set_value (volume, 0.25);
  g_object_get (f->engine, "drone-volume", &drone_volume, NULL);
  g_assert_cmpfloat (drone_volume, ==, 0.25);

  gtk_switch_set_active (drone_switch, FALSE);
  g_assert_false (pt_engine_get_drone_enabled (f->engine));
  g_assert_false (pt_drone_bar_get_warning_shown (bar));
  g_object_set (f->settings, "monitor-output", TRUE, NULL);
  g_assert_true (pt_drone_bar_get_warning_shown (bar));
  g_object_set (f->settings, "monitor-output", FALSE, NULL);
  g_assert_false (pt_drone_bar_get_warning_shown (bar));

  pt_window_set_stage_mode (f->window, TRUE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (bar)));
  pt_window_set_stage_mode (f->window, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  app = pt_ui_test_app_new ();

#define ADD(path, func) \
  g_test_add ("/pitch-toy/app-live/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("reads-microphone", test_reads_microphone);
  ADD ("screenshots", test_screenshots);
  ADD ("preferences-devices", test_preferences_devices);
  ADD ("device-lost", test_device_lost);
  ADD ("drone-bar", test_drone_bar);
  ADD ("close-ends-capture", test_close_ends_capture);
#undef ADD

  status = g_test_run ();
  g_clear_pointer (&app, pt_ui_test_app_free);
  return status;
}
