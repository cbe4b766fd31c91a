/* pt-settings.h — every GSettings key of Pitch Toy as a typed property of one
 * object, made once by the application and handed to whoever needs it, so
 * no widget opens GSettings on its own and each enum has one encoding.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pt-note.h"
#include "pt-pitch-analyzer.h"

G_BEGIN_DECLS

/* Frequency ranges the pitch detector searches, by instrument. */
typedef enum
{
  PT_PITCH_RANGE_FULL,
  PT_PITCH_RANGE_VOICE,
  PT_PITCH_RANGE_GUITAR,
  PT_PITCH_RANGE_BASS,
  PT_PITCH_RANGE_VIOLIN,
  PT_PITCH_RANGE_CUSTOM,
} PtPitchRange;

#define PT_SETTINGS_DEFAULT_IN_TUNE_CENTS 5.0

gboolean pt_pitch_range_get_bounds (PtPitchRange  range,
                                    double       *min_hz,
                                    double       *max_hz);

#define PT_TYPE_SETTINGS (pt_settings_get_type ())
G_DECLARE_FINAL_TYPE (PtSettings, pt_settings, PT, SETTINGS, GObject)

PtSettings     *pt_settings_new                     (void);
PtSettings     *pt_settings_new_for_settings        (GSettings       *settings);

GSettings      *pt_settings_get_gsettings           (PtSettings      *self);
double          pt_settings_get_reference_pitch     (PtSettings      *self);
double          pt_settings_get_in_tune_tolerance   (PtSettings      *self);
gboolean        pt_settings_get_stage_mode          (PtSettings      *self);
double          pt_settings_get_range_min_frequency (PtSettings      *self);
double          pt_settings_get_range_max_frequency (PtSettings      *self);
void            pt_settings_get_window_state        (PtSettings      *self,
                                                     int             *width,
                                                     int             *height,
                                                     gboolean        *maximized);
void            pt_settings_set_window_state        (PtSettings      *self,
                                                     int              width,
                                                     int              height,
                                                     gboolean         maximized);

void            pt_settings_bind_pitch_analyzer     (PtSettings      *self,
                                                     PtPitchAnalyzer *analyzer);

G_END_DECLS
