/* pt-application.h — the AdwApplication: app-wide actions, accelerators and
 * the windows of the primary menu.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pt-device-monitor.h"
#include "pt-engine.h"
#include "pt-settings.h"

G_BEGIN_DECLS

#define PT_TYPE_APPLICATION (pt_application_get_type ())
G_DECLARE_FINAL_TYPE (PtApplication, pt_application, PT, APPLICATION, AdwApplication)

PtApplication   *pt_application_new          (void);
PtSettings      *pt_application_get_settings (PtApplication *self);
PtEngine        *pt_application_get_engine   (PtApplication *self);
PtDeviceMonitor *pt_application_get_devices  (PtApplication *self);

G_END_DECLS
