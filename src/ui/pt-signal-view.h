/* pt-signal-view.h — the debug panel's scope and spectrum: one trace of
 * values it is handed, drawn as a waveform (−1…1 over the batch) or as a
 * magnitude spectrum (dBFS over a logarithmic frequency axis).
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  PT_SIGNAL_VIEW_WAVEFORM,
  PT_SIGNAL_VIEW_SPECTRUM,
} PtSignalViewKind;

#define PT_TYPE_SIGNAL_VIEW (pt_signal_view_get_type ())
G_DECLARE_FINAL_TYPE (PtSignalView, pt_signal_view, PT, SIGNAL_VIEW, GtkWidget)

GtkWidget        *pt_signal_view_new        (PtSignalViewKind  kind);
PtSignalViewKind  pt_signal_view_get_kind   (PtSignalView     *self);
void              pt_signal_view_set_kind   (PtSignalView     *self,
                                             PtSignalViewKind  kind);
/* Copies @values: samples for a waveform, dBFS per bin for a spectrum
 * (bin k at k × @sample_rate / (2 (n − 1)) Hz). */
void              pt_signal_view_set_values (PtSignalView     *self,
                                             const float      *values,
                                             gsize             n_values,
                                             double            sample_rate);
gsize             pt_signal_view_get_n_values (PtSignalView   *self);

G_END_DECLS
