/* pt-debug-panel.c — the side panel that shows the audio pipeline at work and
 * lets a user drive it. The engine fills it in; until then it says so.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-debug-panel"

#include "config.h"

#include "pt-debug-panel.h"

struct _PtDebugPanel
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (PtDebugPanel, pt_debug_panel, ADW_TYPE_BIN)

static void
pt_debug_panel_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PT_TYPE_DEBUG_PANEL);

  G_OBJECT_CLASS (pt_debug_panel_parent_class)->dispose (object);
}

static void
pt_debug_panel_class_init (PtDebugPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pt_debug_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/pitchtoy/PitchToy/ui/pt-debug-panel.ui");
  gtk_widget_class_set_css_name (widget_class, "debugpanel");
}

static void
pt_debug_panel_init (PtDebugPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
