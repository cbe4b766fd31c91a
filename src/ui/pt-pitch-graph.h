/* pt-pitch-graph.h — the last seconds of pitch, scrolling, over the lines
 * of the tuning system's notes.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pt-pitch-history.h"

G_BEGIN_DECLS

#define PT_PITCH_GRAPH_SPAN_S 10.0

#define PT_TYPE_PITCH_GRAPH (pt_pitch_graph_get_type ())
G_DECLARE_FINAL_TYPE (PtPitchGraph, pt_pitch_graph, PT, PITCH_GRAPH, GtkWidget)

GtkWidget       *pt_pitch_graph_new             (void);
PtPitchHistory  *pt_pitch_graph_get_history     (PtPitchGraph    *self);
void             pt_pitch_graph_set_history     (PtPitchGraph    *self,
                                                 PtPitchHistory  *history);
PtPitchAnalyzer *pt_pitch_graph_get_analyzer    (PtPitchGraph    *self);
void             pt_pitch_graph_set_analyzer    (PtPitchGraph    *self,
                                                 PtPitchAnalyzer *analyzer);
double           pt_pitch_graph_get_note_line   (PtPitchGraph    *self,
                                                 int              note_midi);
int              pt_pitch_graph_get_centre_note (PtPitchGraph    *self);

G_END_DECLS
