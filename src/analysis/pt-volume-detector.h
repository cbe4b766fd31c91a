/* pt-volume-detector.h — the level channel: RMS and peak in dBFS per batch,
 * a decaying peak hold, clipping, the level class and the confidence weight
 * that level gives a pitch estimate.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pt-analyzer.h"
#include "pt-level.h"

G_BEGIN_DECLS

/* The result of one batch, passed by pointer with the "measured" signal; it
 * is only valid during the emission. */
typedef struct
{
  guint64      first_frame;      /* stream position of the batch's first sample */
  gsize        n_samples;
  double       rms_dbfs;
  double       peak_dbfs;
  double       peak_hold_dbfs;
  PtLevelClass level;
  double       weight;           /* 0…1, see pt_level_weight () */
  guint        clipped_count;    /* samples at or beyond full scale, or clamped upstream */
  guint        nonfinite_count;  /* NaN/Inf samples in this batch, read as 0 */
} PtVolumeMeasurement;

#define PT_VOLUME_DETECTOR_DEFAULT_PEAK_DECAY_DB_PER_S 20.0

#define PT_TYPE_VOLUME_DETECTOR (pt_volume_detector_get_type ())
G_DECLARE_FINAL_TYPE (PtVolumeDetector, pt_volume_detector, PT, VOLUME_DETECTOR, GObject)

PtVolumeDetector *pt_volume_detector_new                 (void);

void              pt_volume_measure                      (const float         *samples,
                                                          gsize                n_samples,
                                                          PtVolumeMeasurement *out);

double            pt_volume_detector_get_rms_dbfs        (PtVolumeDetector    *self);
double            pt_volume_detector_get_peak_dbfs       (PtVolumeDetector    *self);
double            pt_volume_detector_get_peak_hold_dbfs  (PtVolumeDetector    *self);
PtLevelClass      pt_volume_detector_get_level           (PtVolumeDetector    *self);
double            pt_volume_detector_get_weight          (PtVolumeDetector    *self);
guint64           pt_volume_detector_get_clipped_total   (PtVolumeDetector    *self);
guint64           pt_volume_detector_get_nonfinite_total (PtVolumeDetector    *self);
double            pt_volume_detector_get_peak_decay      (PtVolumeDetector    *self);
void              pt_volume_detector_set_peak_decay      (PtVolumeDetector    *self,
                                                          double               db_per_second);

G_END_DECLS
