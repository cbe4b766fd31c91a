/* pt-tuner-model.h — what the tuner shows, from a pitch analyser's frames:
 * the note held against flicker, its frequency and cents, dimmed once the
 * sound stops. Notifies at most once per main-loop dispatch.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pt-pitch-analyzer.h"

G_BEGIN_DECLS

/* Stream time a new note (or silence) must last before the display follows. */
#define PT_TUNER_MODEL_DEFAULT_HOLD_S 0.030

#define PT_TYPE_TUNER_MODEL (pt_tuner_model_get_type ())
G_DECLARE_FINAL_TYPE (PtTunerModel, pt_tuner_model, PT, TUNER_MODEL, GObject)

PtTunerModel    *pt_tuner_model_new            (void);

PtPitchAnalyzer *pt_tuner_model_get_analyzer   (PtTunerModel       *self);
void             pt_tuner_model_set_analyzer   (PtTunerModel       *self,
                                                PtPitchAnalyzer    *analyzer);
void             pt_tuner_model_push_frame     (PtTunerModel       *self,
                                                const PtPitchFrame *frame);
void             pt_tuner_model_reset          (PtTunerModel       *self);

/* NULL until a note was heard. */
const PtNote    *pt_tuner_model_get_note       (PtTunerModel       *self);
double           pt_tuner_model_get_frequency  (PtTunerModel       *self);
double           pt_tuner_model_get_cents      (PtTunerModel       *self);
double           pt_tuner_model_get_confidence (PtTunerModel       *self);
gboolean         pt_tuner_model_get_dimmed     (PtTunerModel       *self);
double           pt_tuner_model_get_hold_time  (PtTunerModel       *self);
void             pt_tuner_model_set_hold_time  (PtTunerModel       *self,
                                                double              seconds);

G_END_DECLS
