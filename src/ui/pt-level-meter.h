/* pt-level-meter.h — how loud the input is: an RMS bar with peak hold on a
 * dBFS scale, and the level class in words.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pt-volume-detector.h"

G_BEGIN_DECLS

#define PT_TYPE_LEVEL_METER (pt_level_meter_get_type ())
G_DECLARE_FINAL_TYPE (PtLevelMeter, pt_level_meter, PT, LEVEL_METER, GtkWidget)

GtkWidget        *pt_level_meter_new          (void);
PtVolumeDetector *pt_level_meter_get_detector (PtLevelMeter     *self);
void              pt_level_meter_set_detector (PtLevelMeter     *self,
                                               PtVolumeDetector *detector);
const char       *pt_level_meter_get_words    (PtLevelMeter     *self);

G_END_DECLS
