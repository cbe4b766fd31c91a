/* pt-device.h — one capture source of the PipeWire graph, as the device
 * monitor lists it: node name (what a choice is stored as), description,
 * serial, media class, channel count and whether it is the system default.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PT_TYPE_DEVICE (pt_device_get_type ())
G_DECLARE_FINAL_TYPE (PtDevice, pt_device, PT, DEVICE, GObject)

PtDevice    *pt_device_new              (const char *name,
                                         const char *description,
                                         guint64     serial,
                                         const char *media_class);

const char  *pt_device_get_name         (PtDevice   *self);
const char  *pt_device_get_description  (PtDevice   *self);
guint64      pt_device_get_serial       (PtDevice   *self);
const char  *pt_device_get_media_class  (PtDevice   *self);
guint        pt_device_get_channels     (PtDevice   *self);
gboolean     pt_device_get_is_default   (PtDevice   *self);

/* The monitor's. */
void         pt_device_set_description  (PtDevice   *self,
                                         const char *description);
void         pt_device_set_channels     (PtDevice   *self,
                                         guint       channels);
void         pt_device_set_is_default   (PtDevice   *self,
                                         gboolean    is_default);

G_END_DECLS
