/* pt-window.h — the main window: header bar, tuner, status page and the
 * debug panel beside them. It shows the analysers and the history it is
 * given; it creates none.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pt-application.h"
#include "pt-engine.h"
#include "pt-hub.h"
#include "pt-pitch-history.h"
#include "pt-tuner-model.h"
#include "pt-volume-detector.h"

G_BEGIN_DECLS

#define PT_TYPE_WINDOW (pt_window_get_type ())
G_DECLARE_FINAL_TYPE (PtWindow, pt_window, PT, WINDOW, AdwApplicationWindow)

PtWindow         *pt_window_new                     (PtApplication    *application);
gboolean          pt_window_get_debug_panel_visible (PtWindow         *self);
void              pt_window_set_debug_panel_visible (PtWindow         *self,
                                                     gboolean          visible);
GtkWidget        *pt_window_get_debug_panel         (PtWindow         *self);
gboolean          pt_window_get_stage_mode          (PtWindow         *self);
void              pt_window_set_stage_mode          (PtWindow         *self,
                                                     gboolean          stage_mode);
PtPitchAnalyzer  *pt_window_get_pitch_analyzer      (PtWindow         *self);
void              pt_window_set_pitch_analyzer      (PtWindow         *self,
                                                     PtPitchAnalyzer  *analyzer);
PtVolumeDetector *pt_window_get_volume_detector     (PtWindow         *self);
void              pt_window_set_volume_detector     (PtWindow         *self,
                                                     PtVolumeDetector *detector);
PtPitchHistory   *pt_window_get_pitch_history       (PtWindow         *self);
void              pt_window_set_pitch_history       (PtWindow         *self,
                                                     PtPitchHistory   *history);
PtHub            *pt_window_get_hub                 (PtWindow         *self);
void              pt_window_set_hub                 (PtWindow         *self,
                                                     PtHub            *hub);
PtEngine         *pt_window_get_engine              (PtWindow         *self);
void              pt_window_set_engine              (PtWindow         *self,
                                                     PtEngine         *engine);
gboolean          pt_window_get_listening           (PtWindow         *self);
void              pt_window_set_listening           (PtWindow         *self,
                                                     gboolean          listening);
PtTunerModel     *pt_window_get_tuner_model         (PtWindow         *self);
gboolean          pt_window_report_error            (PtWindow         *self,
                                                     const GError     *error);
gboolean          pt_window_export_history          (PtWindow         *self,
                                                     GFile            *file,
                                                     GError          **error);

G_END_DECLS
