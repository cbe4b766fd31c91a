/* pt-window.c — the main window: header bar, tuner area, status page and the
 * debug panel beside them. The panel's visibility is a property exposed as the
 * stateful action win.toggle-debug-panel and bound to GSettings.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pt-debug-panel.h"
#include "pt-window.h"

struct _PtWindow
{
  AdwApplicationWindow  parent_instance;

  PtSettings           *settings;
  gboolean              debug_panel_visible;

  GtkToggleButton      *debug_button;
  GtkMenuButton        *primary_menu_button;
  GtkStack             *main_stack;
  AdwStatusPage        *status_page;
  GtkRevealer          *debug_revealer;
  PtDebugPanel         *debug_panel;
};

G_DEFINE_FINAL_TYPE (PtWindow, pt_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_DEBUG_PANEL_VISIBLE,
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
  gtk_revealer_set_reveal_child (self->debug_revealer, visible);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEBUG_PANEL_VISIBLE]);
}

GtkWidget *
pt_window_get_debug_panel (PtWindow *self)
{
  g_return_val_if_fail (PT_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->debug_panel);
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
  pt_window_restore_state (self);
  g_object_bind_property (self->settings, "debug-panel-shown",
                          self, "debug-panel-visible",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

static void
pt_window_dispose (GObject *object)
{
  PtWindow *self = PT_WINDOW (object);

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

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
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

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, PT_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEBUG_PANEL_VISIBLE] =
    g_param_spec_boolean ("debug-panel-visible", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_property_action (widget_class, "win.toggle-debug-panel",
                                            "debug-panel-visible");

  g_type_ensure (PT_TYPE_DEBUG_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pitchtoy/PitchToy/ui/pt-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PtWindow, debug_button);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, debug_revealer);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, debug_panel);
}

static void
pt_window_init (PtWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
