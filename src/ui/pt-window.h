/* pt-window.h — the main window: header bar, tuner area, status page and the
 * debug panel beside them.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pt-application.h"

G_BEGIN_DECLS

#define PT_TYPE_WINDOW (pt_window_get_type ())
G_DECLARE_FINAL_TYPE (PtWindow, pt_window, PT, WINDOW, AdwApplicationWindow)

PtWindow  *pt_window_new                     (PtApplication *application);
gboolean   pt_window_get_debug_panel_visible (PtWindow      *self);
void       pt_window_set_debug_panel_visible (PtWindow      *self,
                                              gboolean       visible);
GtkWidget *pt_window_get_debug_panel         (PtWindow      *self);

G_END_DECLS
