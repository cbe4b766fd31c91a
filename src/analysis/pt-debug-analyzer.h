/* pt-debug-analyzer.h — the debug panel's channel: the latest batch's
 * waveform and a magnitude spectrum of the newest samples, for the scope and
 * the spectrum view. Registered CLAIMED: while nobody shows them, it does
 * no work.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pt-analyzer.h"

G_BEGIN_DECLS

/* Points of the spectrum's transform; bin k is k × rate / this, in Hz. */
#define PT_DEBUG_ANALYZER_FFT_SIZE 2048
#define PT_DEBUG_ANALYZER_N_BINS   (PT_DEBUG_ANALYZER_FFT_SIZE / 2 + 1)
/* The spectrum's floor, in dBFS. */
#define PT_DEBUG_ANALYZER_FLOOR_DB (-140.0)

#define PT_TYPE_DEBUG_ANALYZER (pt_debug_analyzer_get_type ())
G_DECLARE_FINAL_TYPE (PtDebugAnalyzer, pt_debug_analyzer, PT, DEBUG_ANALYZER, GObject)

PtDebugAnalyzer *pt_debug_analyzer_new             (void);

/* Batches analysed since the last reset: a reader redraws when it moved. */
guint64          pt_debug_analyzer_get_batches     (PtDebugAnalyzer *self);
double           pt_debug_analyzer_get_sample_rate (PtDebugAnalyzer *self);
/* The latest batch's samples, valid until the next batch. */
const float     *pt_debug_analyzer_get_waveform    (PtDebugAnalyzer *self,
                                                    gsize           *n_samples);
/* dBFS per bin (a full-scale sine on a bin reads 0), of a Hann window over
 * the newest PT_DEBUG_ANALYZER_FFT_SIZE samples; computed when asked, valid
 * until the next batch. */
const float     *pt_debug_analyzer_get_spectrum    (PtDebugAnalyzer *self,
                                                    gsize           *n_bins);

G_END_DECLS
