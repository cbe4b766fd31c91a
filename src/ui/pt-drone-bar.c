/* pt-drone-bar.c — the drone bar. Its switch is the engine's drone-enabled
 * (never a setting: the app does not start with the drone on), its volume
 * the drone-volume setting the application binds to the engine. The detail
 * names the note the drone sounds as the tuner would name it. While the
 * drone or the monitor plays, a warning says the microphone hears them:
 * with speakers rather than headphones, the tuner reads the drone.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-drone-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "pt-drone-bar.h"

struct _PtDroneBar
{
  AdwBin         parent_instance;

  PtEngine      *engine;
  GBindingGroup *engine_bindings;
  GSignalGroup  *engine_signals;
  PtSettings    *settings;

  GtkSwitch     *drone_switch;
  GtkLabel      *detail_label;
  GtkRange      *volume_scale;
  GtkLabel      *warning_label;
};

G_DEFINE_FINAL_TYPE (PtDroneBar, pt_drone_bar, ADW_TYPE_BIN)

static void
update_detail (PtDroneBar *self)
{
  PtNoteSettings settings;
  PtNote note;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  double frequency;

  if (self->engine == NULL)
    return;

  frequency = pt_engine_get_drone_frequency (self->engine);
  pt_pitch_analyzer_get_note_settings (pt_engine_get_pitch_analyzer (self->engine), &settings);
  if (!pt_note_from_frequency (frequency, &settings, &note))
    return;
  name = pt_note_dup_display_name (&note);
  /* Translators: the drone's note and its frequency, as "C4 · 261.6 Hz". */
  text = g_strdup_printf (_("%s · %.1f Hz"), name, frequency);
  gtk_label_set_label (self->detail_label, text);
}

static void
update_warning (PtDroneBar *self)
{
  gboolean sounding = FALSE;

  if (self->engine != NULL)
    sounding = pt_engine_get_drone_enabled (self->engine) ||
               (pt_engine_get_monitor (self->engine) &&
                !pt_engine_get_monitor_refused (self->engine));
  gtk_widget_set_visible (GTK_WIDGET (self->warning_label), sounding);
}

void
pt_drone_bar_set_engine (PtDroneBar *self,
                         PtEngine   *engine)
{
  g_return_if_fail (PT_IS_DRONE_BAR (self));
  g_return_if_fail (engine == NULL || PT_IS_ENGINE (engine));

  if (!g_set_object (&self->engine, engine))
    return;
  g_binding_group_set_source (self->engine_bindings, engine);
  g_signal_group_set_target (self->engine_signals, engine);
  gtk_widget_set_sensitive (GTK_WIDGET (self), engine != NULL);
  update_detail (self);
  update_warning (self);
}

/* Once: the settings live as long as the application. */
void
pt_drone_bar_set_settings (PtDroneBar *self,
                           PtSettings *settings)
{
  g_return_if_fail (PT_IS_DRONE_BAR (self));
  g_return_if_fail (PT_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (settings);
  g_object_bind_property (settings, "drone-volume", gtk_range_get_adjustment (self->volume_scale), "value",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  /* Sharps or flats change the name and not the frequency the engine
   * notifies; the analyser follows this setting, bound before us. */
  g_signal_connect_object (settings, "notify::note-names", G_CALLBACK (update_detail), self,
                           G_CONNECT_SWAPPED);
}

const char *
pt_drone_bar_get_detail_text (PtDroneBar *self)
{
  g_return_val_if_fail (PT_IS_DRONE_BAR (self), NULL);

  return gtk_label_get_label (self->detail_label);
}

gboolean
pt_drone_bar_get_warning_shown (PtDroneBar *self)
{
  g_return_val_if_fail (PT_IS_DRONE_BAR (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->warning_label));
}

static void
pt_drone_bar_dispose (GObject *object)
{
  PtDroneBar *self = PT_DRONE_BAR (object);

  g_clear_object (&self->engine_bindings);
  g_clear_object (&self->engine_signals);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), PT_TYPE_DRONE_BAR);

  G_OBJECT_CLASS (pt_drone_bar_parent_class)->dispose (object);
}

static void
pt_drone_bar_class_init (PtDroneBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pt_drone_bar_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/pitchtoy/PitchToy/ui/pt-drone-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, PtDroneBar, drone_switch);
  gtk_widget_class_bind_template_child (widget_class, PtDroneBar, detail_label);
  gtk_widget_class_bind_template_child (widget_class, PtDroneBar, volume_scale);
  gtk_widget_class_bind_template_child (widget_class, PtDroneBar, warning_label);
}

static void
pt_drone_bar_init (PtDroneBar *self)
{
  static const char * const warning_sources[] = {
    "notify::drone-enabled", "notify::monitor", "notify::monitor-refused",
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->engine_bindings = g_binding_group_new ();
  g_binding_group_bind (self->engine_bindings, "drone-enabled", self->drone_switch, "active",
                        G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  self->engine_signals = g_signal_group_new (PT_TYPE_ENGINE);
  g_signal_group_connect_swapped (self->engine_signals, "notify::drone-frequency",
                                  G_CALLBACK (update_detail), self);
  for (guint i = 0; i < G_N_ELEMENTS (warning_sources); i++)
    g_signal_group_connect_swapped (self->engine_signals, warning_sources[i],
                                    G_CALLBACK (update_warning), self);
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
}
