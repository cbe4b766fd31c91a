/* pt-drone-bar.h — the drone in the main view: on and off, its note and
 * volume, and a warning that the microphone hears what the speakers play.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pt-engine.h"
#include "pt-settings.h"

G_BEGIN_DECLS

#define PT_TYPE_DRONE_BAR (pt_drone_bar_get_type ())
G_DECLARE_FINAL_TYPE (PtDroneBar, pt_drone_bar, PT, DRONE_BAR, AdwBin)

/* The engine whose drone the bar switches, or NULL (insensitive). */
void        pt_drone_bar_set_engine      (PtDroneBar *self,
                                          PtEngine   *engine);
void        pt_drone_bar_set_settings    (PtDroneBar *self,
                                          PtSettings *settings);
/* "C4 · 261.6 Hz" as shown. */
const char *pt_drone_bar_get_detail_text (PtDroneBar *self);
gboolean    pt_drone_bar_get_warning_shown (PtDroneBar *self);

G_END_DECLS
