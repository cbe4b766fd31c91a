/* test-window.c — the main window on a real X display: the status page, the
 * debug panel through its action and its shortcut (a real key press through
 * XTest), and the windows of the primary menu.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <X11/keysym.h>

#include "pt-application.h"
#include "pt-error.h"
#include "pt-window.h"
#include "pt-test-util.h"
#include "pt-ui-test-util.h"

static PtApplication *app;

typedef struct
{
  PtWindow  *window;
  GSettings *settings;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->settings = g_settings_new (APP_ID);
  g_settings_reset (fixture->settings, "debug-panel-shown");
  fixture->window = pt_window_new (app);
  pt_ui_test_show_window (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  pt_ui_test_destroy_window (fixture->window);
  g_assert_finalize_object (fixture->settings);
}

static GtkWidget *
template_child (PtWindow   *window,
                const char *name)
{
  return pt_ui_test_template_child (window, PT_TYPE_WINDOW, name);
}

static void
test_status_page (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkStack *stack = GTK_STACK (template_child (fixture->window, "main_stack"));
  AdwStatusPage *status = ADW_STATUS_PAGE (template_child (fixture->window, "status_page"));

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "status");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (status)));
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "No Microphone Connected");
}

typedef struct
{
  Fixture  *fixture;
  gboolean  shown;
} PanelState;

/* The panel is where it should be, and the property, the action state (which
 * the header bar's toggle button reflects) and the setting all agree. */
static gboolean
panel_is (gpointer user_data)
{
  PanelState *state = user_data;
  Fixture *fixture = state->fixture;
  GtkWidget *panel = pt_window_get_debug_panel (fixture->window);
  GtkWidget *button = template_child (fixture->window, "debug_button");

  return gtk_widget_get_mapped (panel) == state->shown
         && pt_window_get_debug_panel_visible (fixture->window) == state->shown
         && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)) == state->shown
         && g_settings_get_boolean (fixture->settings, "debug-panel-shown") == state->shown;
}

static void
assert_panel_shown (Fixture  *fixture,
                    gboolean  shown)
{
  PanelState state = { fixture, shown };

  pt_test_assert_eventually (NULL, panel_is, &state, PT_TEST_TIMEOUT_SERVER_S);
}

static void
test_debug_panel_action (Fixture       *fixture,
                         gconstpointer  data)
{
  assert_panel_shown (fixture, FALSE);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.toggle-debug-panel", NULL));
  assert_panel_shown (fixture, TRUE);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.toggle-debug-panel", NULL));
  assert_panel_shown (fixture, FALSE);
}

static void
test_debug_panel_shortcut (Fixture       *fixture,
                           gconstpointer  data)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                 "win.toggle-debug-panel");

  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>d"));

  assert_panel_shown (fixture, FALSE);
  pt_ui_test_press_key (fixture->window, XK_Control_L, XK_d);
  assert_panel_shown (fixture, TRUE);
  pt_ui_test_press_key (fixture->window, XK_Control_L, XK_d);
  assert_panel_shown (fixture, FALSE);
}

static void
test_debug_panel_notifies (Fixture       *fixture,
                           gconstpointer  data)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_BOOLEAN);
  g_value_set_boolean (&value, TRUE);
  pt_test_assert_notifies_once (fixture->window, "debug-panel-visible", &value);
  g_value_set_boolean (&value, FALSE);
  pt_test_assert_notifies_once (fixture->window, "debug-panel-visible", &value);
}

/* The size is saved when the window closes, and a new window starts with it. */
static void
test_window_size_persists (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  int width, height;

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 700, 500);
  g_assert_false (GTK_WINDOW_GET_CLASS (fixture->window)->close_request (GTK_WINDOW (fixture->window)));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 700);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 500);

  {
    PtWindow *second = pt_window_new (app);

    gtk_window_get_default_size (GTK_WINDOW (second), &width, &height);
    g_assert_cmpint (width, ==, 700);
    g_assert_cmpint (height, ==, 500);
    gtk_window_destroy (GTK_WINDOW (second));
  }
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

typedef struct
{
  const char *action;
  const char *type_name;
} MenuWindow;

static const MenuWindow menu_windows[] = {
  { "app.preferences", "PtPreferencesDialog" },
  { "win.show-help-overlay", "GtkShortcutsWindow" },
  { "app.about", "AdwAboutWindow" },
};

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *item_action = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_has_action (section, action))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &item_action)
          && g_str_equal (item_action, action))
        return TRUE;
    }
  return FALSE;
}

static GtkWindow *
find_visible_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static GType wanted_type;

static gboolean
menu_window_is_open (gpointer user_data)
{
  return find_visible_toplevel (wanted_type) != NULL;
}

static gboolean
menu_window_is_closed (gpointer user_data)
{
  return find_visible_toplevel (wanted_type) == NULL;
}

static void
test_menu_window (Fixture       *fixture,
                  gconstpointer  data)
{
  const MenuWindow *entry = data;
  GtkMenuButton *button = GTK_MENU_BUTTON (template_child (fixture->window, "primary_menu_button"));
  GtkWindow *opened;

  g_assert_true (menu_has_action (gtk_menu_button_get_menu_model (button), entry->action));

  wanted_type = g_type_from_name (entry->type_name);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), entry->action, NULL));
  if (wanted_type == G_TYPE_INVALID)  /* registered on first use */
    wanted_type = g_type_from_name (entry->type_name);
  pt_test_assert_eventually (NULL, menu_window_is_open, NULL, PT_TEST_TIMEOUT_SERVER_S);

  opened = find_visible_toplevel (wanted_type);
  g_assert_true (gtk_window_get_transient_for (opened) == GTK_WINDOW (fixture->window));
  gtk_window_close (opened);
  pt_test_assert_eventually (NULL, menu_window_is_closed, NULL, PT_TEST_TIMEOUT_SERVER_S);
}

static GObject *
preferences_child (GtkWindow  *dialog,
                   const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                  G_OBJECT_TYPE (dialog), name);

  g_assert_nonnull (child);
  return child;
}

/* The label a combo row shows for its selected item. */
static char *
selected_label (AdwComboRow *row)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_true (gtk_expression_evaluate (adw_combo_row_get_expression (row),
                                          adw_combo_row_get_selected_item (row), &value));
  return g_value_dup_string (&value);
}

/* Enum rows list the GEnum's values under their labels and store the
 * schema's nicks; the range's bounds apply only to the custom range. */
static void
check_enum_rows (GtkWindow *dialog,
                 GSettings *settings)
{
  AdwComboRow *transposition = ADW_COMBO_ROW (preferences_child (dialog, "transposition_row"));
  AdwComboRow *range = ADW_COMBO_ROW (preferences_child (dialog, "range_row"));
  GtkWidget *min_row = GTK_WIDGET (preferences_child (dialog, "min_frequency_row"));
  g_autofree char *label = NULL;

  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (adw_combo_row_get_model (transposition),
                                             ADW_TYPE_ENUM_LIST_MODEL));
  g_settings_set_string (settings, "transposition", "in-e-flat");
  label = selected_label (transposition);
  g_assert_cmpstr (label, ==, "E♭");
  adw_combo_row_set_selected (transposition, 1);
  g_assert_cmpstr (g_settings_get_string (settings, "transposition"), ==, "in-b-flat");

  g_assert_false (gtk_widget_get_sensitive (min_row));
  g_settings_set_string (settings, "pitch-range", "violin");
  g_clear_pointer (&label, g_free);
  label = selected_label (range);
  g_assert_cmpstr (label, ==, "Violin");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (range)), ==, "180 – 3600 Hz");
  adw_combo_row_set_selected (range, g_list_model_get_n_items (adw_combo_row_get_model (range)) - 1);
  g_assert_cmpstr (g_settings_get_string (settings, "pitch-range"), ==, "custom");
  g_assert_true (gtk_widget_get_sensitive (min_row));
}

/* Preferences write their keys at once, and follow the keys when they change
 * elsewhere: numbers, enums through their combo rows, both ways. */
static void
test_preferences_bind_settings (Fixture       *fixture,
                                gconstpointer  data)
{
  GtkWindow *dialog;

  wanted_type = G_TYPE_INVALID;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "app.preferences", NULL));
  wanted_type = g_type_from_name ("PtPreferencesDialog");
  pt_test_assert_eventually (NULL, menu_window_is_open, NULL, PT_TEST_TIMEOUT_SERVER_S);
  dialog = find_visible_toplevel (wanted_type);

  gtk_adjustment_set_value (GTK_ADJUSTMENT (preferences_child (dialog, "reference_adjustment")), 432.0);
  g_assert_cmpfloat (g_settings_get_double (fixture->settings, "reference-pitch"), ==, 432.0);

  adw_combo_row_set_selected (ADW_COMBO_ROW (preferences_child (dialog, "note_names_row")), 1);
  g_assert_cmpstr (g_settings_get_string (fixture->settings, "note-names"), ==, "flats");

  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (preferences_child (dialog, "tonic_row"))));
  g_settings_set_string (fixture->settings, "tuning-system", "just");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (preferences_child (dialog, "tuning_row"))), ==, 1);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (preferences_child (dialog, "tonic_row"))));

  g_settings_set_int (fixture->settings, "tonic", 7);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (preferences_child (dialog, "tonic_row"))), ==, 7);
  check_enum_rows (dialog, fixture->settings);

  /* The drone's note row is the tonic, then the twelve pitch classes. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (preferences_child (dialog, "drone_note_row"))), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (preferences_child (dialog, "drone_note_row")), 3);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "drone-note"), ==, 2);
  g_settings_set_int (fixture->settings, "drone-note", -1);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (preferences_child (dialog, "drone_note_row"))), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (preferences_child (dialog, "drone_waveform_row")), 1);
  g_assert_cmpstr (g_settings_get_string (fixture->settings, "drone-waveform"), ==, "organ");
  gtk_adjustment_set_value (GTK_ADJUSTMENT (preferences_child (dialog, "drone_octave_adjustment")), 3);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "drone-octave"), ==, 3);
  gtk_switch_set_active (GTK_SWITCH (preferences_child (dialog, "monitor_switch")), TRUE);
  g_assert_true (g_settings_get_boolean (fixture->settings, "monitor-output"));
  pt_ui_test_save_screenshot (dialog, "preferences.png");

  gtk_window_close (dialog);
  pt_test_assert_eventually (NULL, menu_window_is_closed, NULL, PT_TEST_TIMEOUT_SERVER_S);
  for (const char * const *key = (const char * const[]) { "reference-pitch", "note-names",
                                                          "tuning-system", "tonic",
                                                          "transposition", "pitch-range",
                                                          "drone-note", "drone-waveform",
                                                          "drone-octave", "monitor-output", NULL };
       *key != NULL; key++)
    g_settings_reset (fixture->settings, *key);
}

/* Errors become toasts in plain words, each kind at most once in a while. */
static void
test_error_toasts (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) lost = g_error_new_literal (PT_WORKLET_ERROR, PT_WORKLET_ERROR_DEVICE_LOST,
                                                "node pt-test-mic went away");
  g_autoptr(GError) server = g_error_new_literal (PT_WORKLET_ERROR,
                                                  PT_WORKLET_ERROR_SERVER_DISCONNECTED, "EPIPE");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "other");

  g_assert_true (pt_window_report_error (fixture->window, lost));
  g_assert_false (pt_window_report_error (fixture->window, lost));
  g_assert_true (pt_window_report_error (fixture->window, server));
  g_assert_true (pt_window_report_error (fixture->window, other));
  g_assert_false (pt_window_report_error (fixture->window, other));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  app = pt_ui_test_app_new ();

#define ADD(path, func) \
  g_test_add ("/pitch-toy/window/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("status-page", test_status_page);
  ADD ("debug-panel-action", test_debug_panel_action);
  ADD ("debug-panel-shortcut", test_debug_panel_shortcut);
  ADD ("debug-panel-notifies", test_debug_panel_notifies);
  ADD ("size-persists", test_window_size_persists);
  ADD ("preferences-bind-settings", test_preferences_bind_settings);
  ADD ("error-toasts", test_error_toasts);
#undef ADD
  for (guint i = 0; i < G_N_ELEMENTS (menu_windows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pitch-toy/window/menu/%s", menu_windows[i].action);

      g_test_add (path, Fixture, &menu_windows[i], fixture_set_up, test_menu_window, fixture_tear_down);
    }

  status = g_test_run ();

  g_clear_pointer (&app, pt_ui_test_app_free);
  return status;
}
