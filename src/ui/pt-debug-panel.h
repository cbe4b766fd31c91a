/* pt-debug-panel.h — the side panel that shows the audio pipeline at work and
 * lets a user drive it: the engine's figures, its channels, the latest
 * batch's waveform and spectrum, the batching and the generators, and the
 * log of the messages both ways.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pt-engine.h"
#include "pt-message-log.h"
#include "pt-settings.h"

G_BEGIN_DECLS

#define PT_TYPE_DEBUG_PANEL (pt_debug_panel_get_type ())
G_DECLARE_FINAL_TYPE (PtDebugPanel, pt_debug_panel, PT, DEBUG_PANEL, AdwBin)

GtkWidget    *pt_debug_panel_new             (void);

PtEngine     *pt_debug_panel_get_engine      (PtDebugPanel  *self);
void          pt_debug_panel_set_engine      (PtDebugPanel  *self,
                                              PtEngine      *engine);
PtSettings   *pt_debug_panel_get_settings    (PtDebugPanel  *self);
void          pt_debug_panel_set_settings    (PtDebugPanel  *self,
                                              PtSettings    *settings);

PtMessageLog *pt_debug_panel_get_message_log (PtDebugPanel  *self);
/* Writes the message log to @file as JSON Lines. */
gboolean      pt_debug_panel_save_log        (PtDebugPanel  *self,
                                              GFile         *file,
                                              GError       **error);

G_END_DECLS
