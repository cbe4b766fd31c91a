/* pt-device-monitor.h — the capture sources of the PipeWire graph as a
 * GListModel of PtDevice, kept live on the main thread, the system default
 * flagged, reconnecting on its own after the server comes back.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pt-device.h"

G_BEGIN_DECLS

#define PT_TYPE_DEVICE_MONITOR (pt_device_monitor_get_type ())
G_DECLARE_FINAL_TYPE (PtDeviceMonitor, pt_device_monitor, PT, DEVICE_MONITOR, GObject)

/* Works on the caller's thread-default main context. */
PtDeviceMonitor *pt_device_monitor_new                (void);

gboolean         pt_device_monitor_get_connected      (PtDeviceMonitor *self);
/* Connected, and the list holds every source the server had then. */
gboolean         pt_device_monitor_get_ready          (PtDeviceMonitor *self);
/* The node name of the system default source, NULL when unknown. */
const char      *pt_device_monitor_get_default_device (PtDeviceMonitor *self);
PtDevice        *pt_device_monitor_lookup             (PtDeviceMonitor *self,
                                                       const char      *name);
/* How long it waits, at most, between two tries to reach a lost server. */
void             pt_device_monitor_set_reconnect_max_ms (PtDeviceMonitor *self,
                                                       guint            max_ms);

G_END_DECLS
