/* pt-analyzer.h — the channel interface every analyser implements, so the hub
 * can run, rate, disable and reset each one on its own.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One batch of mono float samples as an analyser sees it. The samples are
 * borrowed: an analyser copies what it keeps beyond the call. */
typedef struct
{
  const float *samples;
  gsize        n_samples;
  double       sample_rate;
  guint64      first_frame;      /* stream position of samples[0] */
  guint        clipped_count;    /* samples the worklet clamped at ±1 */
  guint        nonfinite_count;  /* NaN/Inf samples the worklet zeroed */
} PtAnalysisBatch;

#define PT_TYPE_ANALYZER (pt_analyzer_get_type ())
G_DECLARE_INTERFACE (PtAnalyzer, pt_analyzer, PT, ANALYZER, GObject)

struct _PtAnalyzerInterface
{
  GTypeInterface parent_iface;

  gboolean (*process_batch) (PtAnalyzer            *self,
                             const PtAnalysisBatch *batch,
                             GError               **error);
  void     (*reset)         (PtAnalyzer            *self);
};

gboolean pt_analyzer_process_batch (PtAnalyzer            *self,
                                    const PtAnalysisBatch *batch,
                                    GError               **error);
void     pt_analyzer_reset         (PtAnalyzer            *self);

G_END_DECLS
