/* pt-window.c — the main window: header bar, the tuner (note, needle,
 * pitch history, level) or a status page, and the debug panel beside them
 * (instead of them, in a window too narrow for both).
 *
 * The window shows data objects it is given and creates none: a pitch
 * analyser, a volume detector and a pitch history, each a property that can
 * be retargeted (a restarted engine hands new ones). What follows "the
 * current analyser" is set up once, in init: a binding group for the note
 * view's caption and the window's own tuner model; set_pitch_analyzer ()
 * retargets them in one place. Settings come as one PtSettings. Given the
 * hub, the window claims its "pitch" and "volume" channels while the tuner
 * is on screen, so they do no work when nobody looks.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pt-cents-meter.h"
#include "pt-debug-panel.h"
#include "pt-drone-bar.h"
#include "pt-error.h"
#include "pt-level-meter.h"
#include "pt-note-view.h"
#include "pt-pitch-graph.h"
#include "pt-window.h"

struct _PtWindow
{
  AdwApplicationWindow  parent_instance;

  PtSettings           *settings;
  PtEngine             *engine;
  gboolean              listening;      /* as last notified */
  guint                 inhibit_cookie;
  PtPitchAnalyzer      *pitch_analyzer;
  PtVolumeDetector     *volume_detector;
  PtPitchHistory       *pitch_history;
  PtHub                *hub;
  GPtrArray            *claimed_channels;
  GBindingGroup        *analyzer_bindings;
  GtkFileChooserNative *export_chooser;
  gint64                error_toast_times[PT_WORKLET_ERROR_SERVER_DISCONNECTED + 2];
  gboolean              debug_panel_visible;
  gboolean              stage_mode;

  AdwToastOverlay      *toast_overlay;
  AdwHeaderBar         *header_bar;
  GtkToggleButton      *debug_button;
  GtkMenuButton        *primary_menu_button;
  GtkStack             *main_stack;
  AdwStatusPage        *status_page;
  GtkButton            *status_button;
  PtTunerModel         *tuner_model;
  GtkWidget            *tuner_area;
  PtNoteView           *note_view;
  PtCentsMeter         *cents_meter;
  GtkWidget            *graph_card;
  PtPitchGraph         *pitch_graph;
  PtLevelMeter         *level_meter;
  PtDroneBar           *drone_bar;
  GtkWidget            *leave_stage_button;
  AdwLeaflet           *debug_leaflet;
  PtDebugPanel         *debug_panel;
};

G_DEFINE_FINAL_TYPE (PtWindow, pt_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_DEBUG_PANEL_VISIBLE,
  PROP_STAGE_MODE,
  PROP_PITCH_ANALYZER,
  PROP_VOLUME_DETECTOR,
  PROP_PITCH_HISTORY,
  PROP_HUB,
  PROP_ENGINE,
  PROP_LISTENING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

PtWindow *
pt_window_new (PtApplication *application)
{
  g_return_val_if_fail (PT_IS_APPLICATION (application), NULL);

  return g_object_new (PT_TYPE_WINDOW,
                       "application", application,
                       "settings", pt_application_get_settings (application),
                       NULL);
}

gboolean
pt_window_get_debug_panel_visible (PtWindow *self)
{
  g_return_val_if_fail (PT_IS_WINDOW (self), FALSE);

  return self->debug_panel_visible;
}

void
pt_window_set_debug_panel_visible (PtWindow *self,
                                   gboolean  visible)
{
  g_return_if_fail (PT_IS_WINDOW (self));

  visible = !!visible;
  if (self->debug_panel_visible == visible)
    return;

  self->debug_panel_visible = visible;
  /* Beside the tuner, or instead of it in a window too narrow for both. */
  gtk_widget_set_visible (GTK_WIDGET (self->debug_panel), visible);
  adw_leaflet_set_visible_child (self->debug_leaflet, visible ? GTK_WIDGET (self->debug_panel)
                                                              : GTK_WIDGET (self->main_stack));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEBUG_PANEL_VISIBLE]);
}

GtkWidget *
pt_window_get_debug_panel (PtWindow *self)
{
  g_return_val_if_fail (PT_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->debug_panel);
}

gboolean
pt_window_get_stage_mode (PtWindow *self)
{
  g_return_val_if_fail (PT_IS_WINDOW (self), FALSE);

  return self->stage_mode;
}

/* Stage mode: the note and the needle only, large, fullscreen where the
 * window manager allows it. */
void
pt_window_set_stage_mode (PtWindow *self,
                          gboolean  stage_mode)
{
  g_return_if_fail (PT_IS_WINDOW (self));

  stage_mode = !!stage_mode;
  if (self->stage_mode == stage_mode)
    return;

  self->stage_mode = stage_mode;
  gtk_widget_set_visible (GTK_WIDGET (self->header_bar), !stage_mode);
  gtk_widget_set_visible (self->graph_card, !stage_mode);
  gtk_widget_set_visible (GTK_WIDGET (self->level_meter), !stage_mode);
  gtk_widget_set_visible (GTK_WIDGET (self->drone_bar), !stage_mode);
  gtk_widget_set_visible (self->leave_stage_button, stage_mode);
  if (stage_mode)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "stage");
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "stage");
      gtk_window_unfullscreen (GTK_WINDOW (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAGE_MODE]);
}

PtPitchAnalyzer *
pt_window_get_pitch_analyzer (PtWindow *self)
{
  g_return_val_if_fail (PT_IS_WINDOW (self), NULL);

  return self->pitch_analyzer;
}

/* The one place that retargets everything following the analyser. */
void
pt_window_set_pitch_analyzer (PtWindow        *self,
                              PtPitchAnalyzer *analyzer)
{
  g_return_if_fail (PT_IS_WINDOW (self));
  g_return_if_fail (analyzer == NULL || PT_IS_PITCH_ANALYZER (analyzer));

  if (!g_set_object (&self->pitch_analyzer, analyzer))
    return;
  g_binding_group_set_source (self->analyzer_bindings, analyzer);
  pt_tuner_model_set_analyzer (self->tuner_model, analyzer);
  pt_pitch_graph_set_analyzer (self->pitch_graph, analyzer);
  if (self->engine == NULL)
    gtk_stack_set_visible_child_name (self->main_stack, analyzer != NULL ? "tuner" : "status");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PITCH_ANALYZER]);
}

PtVolumeDetector *
pt_window_get_volume_detector (PtWindow *self)
{
  g_return_val_if_fail (PT_IS_WINDOW (self), NULL);

  return self->volume_detector;
}

void
pt_window_set_volume_detector (PtWindow         *self,
                               PtVolumeDetector *detector)
{
  g_return_if_fail (PT_IS_WINDOW (self));
  g_return_if_fail (detector == NULL || PT_IS_VOLUME_DETECTOR (detector));

  if (!g_set_object (&self->volume_detector, detector))
    return;
  pt_level_meter_set_detector (self->level_meter, detector);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME_DETECTOR]);
}

PtPitchHistory *
pt_window_get_pitch_history (PtWindow *self)
{
  g_return_val_if_fail (PT_IS_WINDOW (self), NULL);

  return self->pitch_history;
}

void
pt_window_set_pitch_history (PtWindow       *self,
                             PtPitchHistory *history)
{
  g_return_if_fail (PT_IS_WINDOW (self));
  g_return_if_fail (history == NULL || PT_IS_PITCH_HISTORY (history));

  if (!g_set_object (&self->pitch_history, history))
    return;
  pt_pitch_graph_set_history (self->pitch_graph, history);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-history", history != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PITCH_HISTORY]);
}

static void
release_channels (PtWindow *self)
{
  for (guint i = 0; i < self->claimed_channels->len; i++)
    pt_hub_channel_release (g_ptr_array_index (self->claimed_channels, i));
  g_ptr_array_set_size (self->claimed_channels, 0);
}

/* Claims the channels the tuner shows while it is mapped, releases them
 * when it is not. */
static void
update_claims (PtWindow *self)
{
  static const char * const shown[] = { "pitch", "volume" };
  gboolean want = self->hub != NULL && gtk_widget_get_mapped (self->tuner_area);

  if (self->claimed_channels == NULL)  /* disposed */
    return;
  if (!want)
    {
      release_channels (self);
      return;
    }
  if (self->claimed_channels->len > 0)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      PtHubChannel *channel = pt_hub_lookup_channel (self->hub, shown[i]);

      if (channel == NULL)
        continue;
      pt_hub_channel_claim (channel);
      g_ptr_array_add (self->claimed_channels, g_object_ref (channel));
    }
}

PtHub *
pt_window_get_hub (PtWindow *self)
{
  g_return_val_if_fail (PT_IS_WINDOW (self), NULL);

  return self->hub;
}

void
pt_window_set_hub (PtWindow *self,
                   PtHub    *hub)
{
  g_return_if_fail (PT_IS_WINDOW (self));
  g_return_if_fail (hub == NULL || PT_IS_HUB (hub));

  if (self->hub == hub)
    return;
  release_channels (self);
  g_set_object (&self->hub, hub);
  update_claims (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HUB]);
}

/* The status page for an engine that cannot show a note yet, or the tuner.
 * With no server the tuner is still offered for the test signal, but never
 * switched to it by surprise. */
static void
update_status (PtWindow *self)
{
  PtEngineState state = pt_engine_get_state (self->engine);
  gboolean listening = state != PT_ENGINE_STATE_STOPPED;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  switch (state)
    {
    case PT_ENGINE_STATE_RUNNING:
      gtk_stack_set_visible_child_name (self->main_stack, "tuner");
      break;
    case PT_ENGINE_STATE_STOPPED:
      adw_status_page_set_icon_name (self->status_page, "media-playback-pause-symbolic");
      adw_status_page_set_title (self->status_page, _("Paused"));
      adw_status_page_set_description (self->status_page,
                                       _("Pitch Toy is not listening to the microphone."));
      gtk_button_set_label (self->status_button, _("_Listen"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->status_button), "win.listen");
      gtk_stack_set_visible_child_name (self->main_stack, "status");
      break;
    case PT_ENGINE_STATE_FALLBACK:
      adw_status_page_set_icon_name (self->status_page, "dialog-warning-symbolic");
      adw_status_page_set_title (self->status_page, _("No Sound Server"));
      adw_status_page_set_description (self->status_page,
                                       _("Pitch Toy cannot reach PipeWire, so it hears no "
                                         "microphone. It keeps trying; meanwhile the debug "
                                         "panel can play a test signal."));
      gtk_button_set_label (self->status_button, _("Show the _Debug Panel"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->status_button),
                                      "win.toggle-debug-panel");
      gtk_stack_set_visible_child_name (self->main_stack, "status");
      break;
    case PT_ENGINE_STATE_WAITING_FOR_DEVICE:
    case PT_ENGINE_STATE_ERROR:
    default:
      adw_status_page_set_icon_name (self->status_page, "audio-input-microphone-symbolic");
      adw_status_page_set_title (self->status_page, _("No Microphone Connected"));
      adw_status_page_set_description (self->status_page,
                                       _("Pitch Toy shows the note you sing or play once it can "
                                         "hear an audio input. Connect a microphone, or choose "
                                         "one in Preferences."));
      gtk_button_set_label (self->status_button, _("_Open Preferences"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->status_button), "app.preferences");
      gtk_stack_set_visible_child_name (self->main_stack, "status");
      break;
    }

  if (listening != self->listening)
    {
      self->listening = listening;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LISTENING]);
    }

  /* Players tune with their hands busy: no screen blanking while listening. */
  if (listening && self->inhibit_cookie == 0 && app != NULL)
    self->inhibit_cookie = gtk_application_inhibit (app, GTK_WINDOW (self),
                                                    GTK_APPLICATION_INHIBIT_IDLE,
                                                    _("Listening to the microphone"));
  else if (!listening && self->inhibit_cookie != 0 && app != NULL)
    {
      gtk_application_uninhibit (app, self->inhibit_cookie);
      self->inhibit_cookie = 0;
    }
}

PtEngine *
pt_window_get_engine (PtWindow *self)
{
  g_return_val_if_fail (PT_IS_WINDOW (self), NULL);

  return self->engine;
}

/* The engine the window shows: its analysers, its hub, its state and its
 * errors, all retargeted here. */
void
pt_window_set_engine (PtWindow *self,
                      PtEngine *engine)
{
  g_return_if_fail (PT_IS_WINDOW (self));
  g_return_if_fail (engine == NULL || PT_IS_ENGINE (engine));

  if (self->engine == engine)
    return;
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  pt_drone_bar_set_engine (self->drone_bar, engine);

  pt_window_set_pitch_analyzer (self, engine != NULL ? pt_engine_get_pitch_analyzer (engine) : NULL);
  pt_window_set_volume_detector (self, engine != NULL ? pt_engine_get_volume_detector (engine)
                                                      : NULL);
  pt_window_set_hub (self, engine != NULL ? pt_engine_get_hub (engine) : NULL);
  pt_debug_panel_set_engine (self->debug_panel, engine);
  if (engine != NULL)
    {
      g_signal_connect_swapped (engine, "notify::state", G_CALLBACK (update_status), self);
      g_signal_connect_swapped (engine, "error", G_CALLBACK (pt_window_report_error), self);
      update_status (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

gboolean
pt_window_get_listening (PtWindow *self)
{
  g_return_val_if_fail (PT_IS_WINDOW (self), FALSE);

  return self->engine != NULL && pt_engine_get_state (self->engine) != PT_ENGINE_STATE_STOPPED;
}

void
pt_window_set_listening (PtWindow *self,
                         gboolean  listening)
{
  g_return_if_fail (PT_IS_WINDOW (self));

  if (self->engine == NULL || !listening == !pt_window_get_listening (self))
    return;
  if (listening)
    pt_engine_start (self->engine);
  else
    pt_engine_stop (self->engine);
}

PtTunerModel *
pt_window_get_tuner_model (PtWindow *self)
{
  g_return_val_if_fail (PT_IS_WINDOW (self), NULL);

  return self->tuner_model;
}

/* The needle follows the held note; it fades when there is none. */
static void
update_needle (PtWindow *self)
{
  pt_cents_meter_set_cents (self->cents_meter, pt_tuner_model_get_cents (self->tuner_model));
  pt_cents_meter_set_active (self->cents_meter,
                             pt_tuner_model_get_note (self->tuner_model) != NULL
                             && !pt_tuner_model_get_dimmed (self->tuner_model));
}

static void
show_toast (PtWindow   *self,
            const char *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/* The same kind of error shows at most once in this many microseconds. */
#define ERROR_TOAST_INTERVAL_US (10 * G_USEC_PER_SEC)

static const char *
describe_error (const GError *error)
{
  if (error->domain != PT_WORKLET_ERROR)
    return _("Something went wrong with the audio");
  switch ((PtWorkletErrorCode) error->code)
    {
    case PT_WORKLET_ERROR_INITIALIZATION_FAILED:
      return _("The audio input could not be started");
    case PT_WORKLET_ERROR_PROCESSING_FAILED:
      return _("The audio could not be analysed");
    case PT_WORKLET_ERROR_BUFFER_OVERFLOW:
      return _("The computer could not keep up, so some audio was skipped");
    case PT_WORKLET_ERROR_INVALID_CONFIGURATION:
      return _("The audio pipeline refused a setting");
    case PT_WORKLET_ERROR_MEMORY_ALLOCATION_FAILED:
      return _("There was not enough memory for the audio");
    case PT_WORKLET_ERROR_DEVICE_LOST:
      return _("The microphone went away; listening to the default input");
    case PT_WORKLET_ERROR_SERVER_DISCONNECTED:
      return _("The sound server stopped; reconnecting");
    default:
      return _("Something went wrong with the audio");
    }
}

/* Says what @error means in plain words, in a toast; the same kind of
 * error at most once every 10 s, so a storm of them stays one line. Returns
 * whether a toast was shown. Connect it to the engine's "error" signal. */
gboolean
pt_window_report_error (PtWindow     *self,
                        const GError *error)
{
  guint slot = G_N_ELEMENTS (self->error_toast_times) - 1;
  gint64 now = g_get_monotonic_time ();
  AdwToast *toast;

  g_return_val_if_fail (PT_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (error != NULL, FALSE);

  g_debug ("audio error: %s", error->message);
  if (error->domain == PT_WORKLET_ERROR && error->code >= 0 && (guint) error->code < slot)
    slot = error->code;
  if (self->error_toast_times[slot] != 0
      && now - self->error_toast_times[slot] < ERROR_TOAST_INTERVAL_US)
    return FALSE;
  self->error_toast_times[slot] = now;
  toast = adw_toast_new (describe_error (error));
  /* Capture goes on from the default; the choice is the user's to make again. */
  if (g_error_matches (error, PT_WORKLET_ERROR, PT_WORKLET_ERROR_DEVICE_LOST))
    {
      adw_toast_set_button_label (toast, _("_Preferences"));
      adw_toast_set_action_name (toast, "app.preferences");
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  return TRUE;
}

/* Writes the history to @file: JSON Lines for a .jsonl name, else CSV, with
 * note names as the analyser spells them. Written at once: an hour of
 * history is 16 MB of text, well under a second, and the ring must not
 * change under a writer on another thread. */
gboolean
pt_window_export_history (PtWindow  *self,
                          GFile     *file,
                          GError   **error)
{
  g_autofree char *basename = NULL;
  PtNoteSettings note_settings;
  g_autoptr(GFileOutputStream) stream = NULL;

  g_return_val_if_fail (PT_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (self->pitch_history != NULL, FALSE);

  basename = g_file_get_basename (file);
  pt_note_settings_init_default (&note_settings);
  if (self->pitch_analyzer != NULL)
    pt_pitch_analyzer_get_note_settings (self->pitch_analyzer, &note_settings);
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  return stream != NULL
         && pt_pitch_history_write (self->pitch_history, G_OUTPUT_STREAM (stream),
                                    g_str_has_suffix (basename, ".jsonl")
                                    ? PT_PITCH_HISTORY_JSON_LINES : PT_PITCH_HISTORY_CSV,
                                    note_settings.names, NULL, error)
         && g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
}

static void
on_export_response (PtWindow             *self,
                    int                   response,
                    GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->pitch_history != NULL)
    {
      g_autoptr(GError) error = NULL;

      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (pt_window_export_history (self, file, &error))
        show_toast (self, _("History exported"));
      else
        {
          g_warning ("Exporting the history failed: %s", error->message);
          show_toast (self, _("Could not export the history"));
        }
    }
  g_clear_object (&self->export_chooser);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *pattern)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
export_history_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PtWindow *self = PT_WINDOW (widget);

  if (self->export_chooser != NULL)
    return;
  self->export_chooser = gtk_file_chooser_native_new (_("Export Pitch History"), GTK_WINDOW (self),
                                                      GTK_FILE_CHOOSER_ACTION_SAVE,
                                                      _("_Export"), NULL);
  add_filter (GTK_FILE_CHOOSER (self->export_chooser), _("CSV (*.csv)"), "*.csv");
  add_filter (GTK_FILE_CHOOSER (self->export_chooser), _("JSON Lines (*.jsonl)"), "*.jsonl");
  /* Translators: the default file name of an exported history */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->export_chooser),
                                     _("pitch-history.csv"));
  g_signal_connect_swapped (self->export_chooser, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->export_chooser));
}

/* Size is saved once, on close, rather than bound: a binding would write the
 * settings on every step of a resize. */
static void
pt_window_restore_state (PtWindow *self)
{
  int width, height;
  gboolean maximized;

  pt_settings_get_window_state (self->settings, &width, &height, &maximized);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (maximized)
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
pt_window_close_request (GtkWindow *window)
{
  PtWindow *self = PT_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  pt_settings_set_window_state (self->settings, width, height, gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (pt_window_parent_class)->close_request (window);
}

static void
pt_window_constructed (GObject *object)
{
  PtWindow *self = PT_WINDOW (object);

  G_OBJECT_CLASS (pt_window_parent_class)->constructed (object);

  g_assert (PT_IS_SETTINGS (self->settings));
  pt_drone_bar_set_settings (self->drone_bar, self->settings);
  pt_window_restore_state (self);
  pt_debug_panel_set_settings (self->debug_panel, self->settings);
  g_object_bind_property (self->settings, "debug-panel-shown",
                          self, "debug-panel-visible",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "stage-mode", self, "stage-mode",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "in-tune-tolerance", self->cents_meter, "tolerance",
                          G_BINDING_SYNC_CREATE);
}

static void
pt_window_dispose (GObject *object)
{
  PtWindow *self = PT_WINDOW (object);

  if (self->export_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_chooser));
  g_clear_object (&self->export_chooser);
  if (self->analyzer_bindings != NULL)
    g_binding_group_set_source (self->analyzer_bindings, NULL);
  g_clear_object (&self->analyzer_bindings);
  g_clear_object (&self->pitch_analyzer);
  g_clear_object (&self->volume_detector);
  g_clear_object (&self->pitch_history);
  if (self->claimed_channels != NULL)
    release_channels (self);
  g_clear_pointer (&self->claimed_channels, g_ptr_array_unref);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  if (self->inhibit_cookie != 0 && gtk_window_get_application (GTK_WINDOW (self)) != NULL)
    gtk_application_uninhibit (gtk_window_get_application (GTK_WINDOW (self)),
                               self->inhibit_cookie);
  self->inhibit_cookie = 0;
  g_clear_object (&self->hub);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), PT_TYPE_WINDOW);

  G_OBJECT_CLASS (pt_window_parent_class)->dispose (object);
}

static void
pt_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PtWindow *self = PT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DEBUG_PANEL_VISIBLE:
      g_value_set_boolean (value, self->debug_panel_visible);
      break;
    case PROP_STAGE_MODE:
      g_value_set_boolean (value, self->stage_mode);
      break;
    case PROP_PITCH_ANALYZER:
      g_value_set_object (value, self->pitch_analyzer);
      break;
    case PROP_VOLUME_DETECTOR:
      g_value_set_object (value, self->volume_detector);
      break;
    case PROP_PITCH_HISTORY:
      g_value_set_object (value, self->pitch_history);
      break;
    case PROP_HUB:
      g_value_set_object (value, self->hub);
      break;
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_LISTENING:
      g_value_set_boolean (value, pt_window_get_listening (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PtWindow *self = PT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_DEBUG_PANEL_VISIBLE:
      pt_window_set_debug_panel_visible (self, g_value_get_boolean (value));
      break;
    case PROP_STAGE_MODE:
      pt_window_set_stage_mode (self, g_value_get_boolean (value));
      break;
    case PROP_PITCH_ANALYZER:
      pt_window_set_pitch_analyzer (self, g_value_get_object (value));
      break;
    case PROP_VOLUME_DETECTOR:
      pt_window_set_volume_detector (self, g_value_get_object (value));
      break;
    case PROP_PITCH_HISTORY:
      pt_window_set_pitch_history (self, g_value_get_object (value));
      break;
    case PROP_HUB:
      pt_window_set_hub (self, g_value_get_object (value));
      break;
    case PROP_ENGINE:
      pt_window_set_engine (self, g_value_get_object (value));
      break;
    case PROP_LISTENING:
      pt_window_set_listening (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
install_properties (GObjectClass *object_class)
{
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, PT_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEBUG_PANEL_VISIBLE] =
    g_param_spec_boolean ("debug-panel-visible", NULL, NULL, FALSE, rw);
  properties[PROP_STAGE_MODE] = g_param_spec_boolean ("stage-mode", NULL, NULL, FALSE, rw);
  properties[PROP_PITCH_ANALYZER] =
    g_param_spec_object ("pitch-analyzer", NULL, NULL, PT_TYPE_PITCH_ANALYZER, rw);
  properties[PROP_VOLUME_DETECTOR] =
    g_param_spec_object ("volume-detector", NULL, NULL, PT_TYPE_VOLUME_DETECTOR, rw);
  properties[PROP_PITCH_HISTORY] =
    g_param_spec_object ("pitch-history", NULL, NULL, PT_TYPE_PITCH_HISTORY, rw);
  properties[PROP_HUB] = g_param_spec_object ("hub", NULL, NULL, PT_TYPE_HUB, rw);
  properties[PROP_ENGINE] = g_param_spec_object ("engine", NULL, NULL, PT_TYPE_ENGINE, rw);
  /* Whether the engine runs (the listen/pause action's state). */
  properties[PROP_LISTENING] = g_param_spec_boolean ("listening", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bind_template (GtkWidgetClass *widget_class)
{
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pitchtoy/PitchToy/ui/pt-window.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, PtWindow, name)
  CHILD (toast_overlay);
  CHILD (header_bar);
  CHILD (debug_button);
  CHILD (primary_menu_button);
  CHILD (main_stack);
  CHILD (status_page);
  CHILD (status_button);
  CHILD (tuner_model);
  CHILD (tuner_area);
  CHILD (note_view);
  CHILD (cents_meter);
  CHILD (graph_card);
  CHILD (pitch_graph);
  CHILD (level_meter);
  CHILD (drone_bar);
  CHILD (leave_stage_button);
  CHILD (debug_leaflet);
  CHILD (debug_panel);
#undef CHILD
}

/* Escape leaves stage mode, and is left alone otherwise. */
static gboolean
leave_stage_mode (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  PtWindow *self = PT_WINDOW (widget);

  if (!self->stage_mode)
    return FALSE;
  pt_window_set_stage_mode (self, FALSE);
  return TRUE;
}

static void
pt_window_class_init (PtWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pt_window_constructed;
  object_class->dispose = pt_window_dispose;
  object_class->get_property = pt_window_get_property;
  object_class->set_property = pt_window_set_property;
  window_class->close_request = pt_window_close_request;
  install_properties (object_class);

  gtk_widget_class_install_property_action (widget_class, "win.toggle-debug-panel",
                                            "debug-panel-visible");
  gtk_widget_class_install_property_action (widget_class, "win.stage-mode", "stage-mode");
  gtk_widget_class_install_property_action (widget_class, "win.listen", "listening");
  gtk_widget_class_install_action (widget_class, "win.export-history", NULL,
                                   export_history_action);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, leave_stage_mode, NULL);

  g_type_ensure (PT_TYPE_DEBUG_PANEL);
  g_type_ensure (PT_TYPE_TUNER_MODEL);
  g_type_ensure (PT_TYPE_NOTE_VIEW);
  g_type_ensure (PT_TYPE_CENTS_METER);
  g_type_ensure (PT_TYPE_PITCH_GRAPH);
  g_type_ensure (PT_TYPE_LEVEL_METER);
  g_type_ensure (PT_TYPE_DRONE_BAR);
  bind_template (widget_class);
}

static void
pt_window_init (PtWindow *self)
{
  static const char * const caption[] = { "reference", "tuning", "tonic", "note-names" };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->analyzer_bindings = g_binding_group_new ();
  for (guint i = 0; i < G_N_ELEMENTS (caption); i++)
    g_binding_group_bind (self->analyzer_bindings, caption[i], self->note_view, caption[i],
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->tuner_model, "notify", G_CALLBACK (update_needle), self,
                           G_CONNECT_SWAPPED);
  self->claimed_channels = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect_object (self->tuner_area, "map",
                           G_CALLBACK (update_claims), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tuner_area, "unmap",
                           G_CALLBACK (update_claims), self, G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-history", FALSE);
}
