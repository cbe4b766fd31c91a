/* pt-application.c — the AdwApplication: it owns the settings, the engine,
 * the device monitor and the session's pitch history, binds the engine to
 * the settings and hands them to the windows; app-wide actions,
 * accelerators and the windows of the primary menu.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-application"

#include "config.h"

#include <glib/gi18n.h>

#include "pt-application.h"
#include "pt-preferences-dialog.h"
#include "pt-window.h"

struct _PtApplication
{
  AdwApplication   parent_instance;

  PtSettings      *settings;
  PtEngine        *engine;
  PtDeviceMonitor *devices;
  PtPitchHistory  *history;
};


G_DEFINE_FINAL_TYPE (PtApplication, pt_application, ADW_TYPE_APPLICATION)

PtApplication *
pt_application_new (void)
{
  return g_object_new (PT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/pitchtoy/PitchToy",
                       NULL);
}

PtSettings *
pt_application_get_settings (PtApplication *self)
{
  g_return_val_if_fail (PT_IS_APPLICATION (self), NULL);

  return self->settings;
}

static int
pt_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "pitch-toy", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

PtEngine *
pt_application_get_engine (PtApplication *self)
{
  g_return_val_if_fail (PT_IS_APPLICATION (self), NULL);

  return self->engine;
}

PtDeviceMonitor *
pt_application_get_devices (PtApplication *self)
{
  g_return_val_if_fail (PT_IS_APPLICATION (self), NULL);

  return self->devices;
}

static gboolean
start_listening (gpointer user_data)
{
  PtApplication *self = user_data;

  if (self->engine != NULL && gtk_application_get_windows (GTK_APPLICATION (self)) != NULL)
    pt_engine_start (self->engine);
  return G_SOURCE_REMOVE;
}

/* A new window shows the engine, which starts listening once the window has
 * been drawn: building the first frame can keep the main thread away for
 * longer than the pooled buffers last. */
static void
pt_application_activate (GApplication *app)
{
  PtApplication *self = PT_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      PtWindow *new_window = pt_window_new (self);

      pt_window_set_pitch_history (new_window, self->history);
      pt_window_set_engine (new_window, self->engine);
      g_idle_add_full (G_PRIORITY_LOW, start_listening, g_object_ref (self), g_object_unref);
      window = GTK_WINDOW (new_window);
    }

  gtk_window_present (window);
}

/* Closing the last window ends capture: the microphone indicator goes off. */
static void
pt_application_window_removed (GtkApplication *app,
                               GtkWindow      *window)
{
  PtApplication *self = PT_APPLICATION (app);

  GTK_APPLICATION_CLASS (pt_application_parent_class)->window_removed (app, window);
  if (gtk_application_get_windows (app) == NULL && self->engine != NULL)
    pt_engine_stop (self->engine);
}

static void
configure_batch (PtApplication *self)
{
  int size, timeout;
  gboolean adaptive;

  g_object_get (self->settings, "batch-size", &size, "batch-timeout", &timeout,
                "adaptive-batching", &adaptive, NULL);
  pt_engine_configure_batch (self->engine, (guint) size, (guint) timeout, adaptive);
}

static void
create_engine (PtApplication *self)
{
  static const char * const batch_keys[] = {
    "notify::batch-size", "notify::batch-timeout", "notify::adaptive-batching",
  };
  /* The drone's on/off is not a key: the app never starts with it on. */
  static const char * const playback_keys[][2] = {
    { "monitor-output", "monitor" },
    { "drone-waveform", "drone-waveform" },
    { "drone-volume", "drone-volume" },
    { "drone-octave", "drone-octave" },
    { "drone-note", "drone-note" },
  };
  PtPitchAnalyzer *pitch;

  self->engine = pt_engine_new ();
  self->devices = pt_device_monitor_new ();
  self->history = pt_pitch_history_new (PT_PITCH_HISTORY_DEFAULT_CAPACITY);
  pitch = pt_engine_get_pitch_analyzer (self->engine);
  pt_pitch_history_set_analyzer (self->history, pitch);
  pt_settings_bind_pitch_analyzer (self->settings, pitch);

  g_object_bind_property (self->settings, "input-device", self->engine, "device",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "input-channel", self->engine, "input-channel",
                          G_BINDING_SYNC_CREATE);
  for (guint i = 0; i < G_N_ELEMENTS (playback_keys); i++)
    g_object_bind_property (self->settings, playback_keys[i][0], self->engine,
                            playback_keys[i][1], G_BINDING_SYNC_CREATE);
  configure_batch (self);
  for (guint i = 0; i < G_N_ELEMENTS (batch_keys); i++)
    g_signal_connect_object (self->settings, batch_keys[i], G_CALLBACK (configure_batch), self,
                             G_CONNECT_SWAPPED);
}

static void
on_quit (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  PtApplication *self = user_data;

  /* Closing each window lets it save its state, which quit() would skip. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static void
on_preferences (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PtApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  PtPreferencesDialog *dialog = pt_preferences_dialog_new (self->settings, self->devices);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), parent);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_about (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  PtApplication *self = user_data;
  static const char *developers[] = { "The Pitch Toy developers", NULL };

  GtkWidget *about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                                   "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                                   "modal", TRUE,
                                   "application-icon", APP_ID,
                                   "application-name", _("Pitch Toy"),
                                   "developer-name", _("The Pitch Toy developers"),
                                   "developers", developers,
                                   "version", PACKAGE_VERSION,
                                   "website", "https://github.com/pitchtoy/pitch-toy",
                                   "issue-url", "https://github.com/pitchtoy/pitch-toy/issues",
                                   "copyright", "© 2026 The Pitch Toy developers",
                                   "license-type", GTK_LICENSE_GPL_3_0,
                                   /* Translators: put your names here, one per line. */
                                   "translator-credits", _("translator-credits"),
                                   NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", on_quit },
  { "preferences", on_preferences },
  { "about", on_about },
};

/* Every accelerator of the app, in one place. */
static const struct {
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.toggle-debug-panel", { "<Control>d", NULL } },
  { "win.stage-mode", { "F11", NULL } },
  /* Not Space: that stays with the focused control. */
  { "win.listen", { "<Control>l", NULL } },
};

static void
pt_application_startup (GApplication *app)
{
  PtApplication *self = PT_APPLICATION (app);

  G_APPLICATION_CLASS (pt_application_parent_class)->startup (app);

  g_set_application_name (_("Pitch Toy"));
  gtk_window_set_default_icon_name (APP_ID);
  self->settings = pt_settings_new ();
  create_engine (self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           app_accels[i].action,
                                           app_accels[i].accels);
}

static void
pt_application_dispose (GObject *object)
{
  PtApplication *self = PT_APPLICATION (object);

  if (self->engine != NULL)
    pt_engine_stop (self->engine);
  g_clear_object (&self->history);
  g_clear_object (&self->devices);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pt_application_parent_class)->dispose (object);
}

static void
pt_application_class_init (PtApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = pt_application_dispose;
  GTK_APPLICATION_CLASS (klass)->window_removed = pt_application_window_removed;
  app_class->handle_local_options = pt_application_handle_local_options;
  app_class->activate = pt_application_activate;
  app_class->startup = pt_application_startup;
}

static void
pt_application_init (PtApplication *self)
{
  /* main.c runs --analyze before the application exists; it is listed here
   * so that --help names it. */
  g_application_add_main_option (G_APPLICATION (self), "analyze", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_FILENAME,
                                 _("Analyse a recording and print one JSON object per "
                                   "analysis frame (see --analyze --help)"),
                                 _("FILE"));
  g_application_add_main_option (G_APPLICATION (self), "version", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE, _("Show the version and exit"), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("See the note you sing or play, and how loud it is."));
}
