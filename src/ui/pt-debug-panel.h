/* pt-debug-panel.h — the side panel that shows the audio pipeline at work and
 * lets a user drive it.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PT_TYPE_DEBUG_PANEL (pt_debug_panel_get_type ())
G_DECLARE_FINAL_TYPE (PtDebugPanel, pt_debug_panel, PT, DEBUG_PANEL, AdwBin)

G_END_DECLS
