/* pt-preferences-dialog.h — the Preferences window: every user setting,
 * bound to the application's PtSettings.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pt-device-monitor.h"
#include "pt-settings.h"

G_BEGIN_DECLS

#define PT_TYPE_PREFERENCES_DIALOG (pt_preferences_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PtPreferencesDialog, pt_preferences_dialog, PT, PREFERENCES_DIALOG, AdwPreferencesWindow)

PtPreferencesDialog *pt_preferences_dialog_new (PtSettings      *settings,
                                                PtDeviceMonitor *devices);

G_END_DECLS
