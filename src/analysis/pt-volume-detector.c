/* pt-volume-detector.c — the level channel: RMS and peak per batch, a peak
 * hold that decays, clipping, level class and weight (thresholds in
 * pt-level.c).
 *
 * Non-finite samples: the worklet zeroes NaN/Inf and counts them in the
 * batch; any that still reach us are read as 0 and counted too. The first
 * batch that has any emits "nonfinite-samples" once (until the next reset);
 * the running total is the "nonfinite-total" property. This is not a GError:
 * the measurement itself is fine, and an error would make the hub reset us.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-volume-detector"

#include "config.h"

#include <math.h>
#include <string.h>

#include "pt-analysis-enum-types.h"
#include "pt-volume-detector.h"

struct _PtVolumeDetector
{
  GObject parent_instance;

  double       rms_dbfs;
  double       peak_dbfs;
  double       peak_hold_dbfs;
  PtLevelClass level;
  double       weight;
  guint64      clipped_total;
  guint64      nonfinite_total;
  double       peak_decay;       /* dB per second */
  gboolean     nonfinite_reported;
};

static void pt_volume_detector_analyzer_init (PtAnalyzerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PtVolumeDetector, pt_volume_detector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PT_TYPE_ANALYZER,
                                                      pt_volume_detector_analyzer_init))

enum {
  PROP_0,
  PROP_RMS_DBFS,
  PROP_PEAK_DBFS,
  PROP_PEAK_HOLD_DBFS,
  PROP_LEVEL,
  PROP_WEIGHT,
  PROP_CLIPPED_TOTAL,
  PROP_NONFINITE_TOTAL,
  PROP_PEAK_DECAY,
  N_PROPS
};

enum {
  MEASURED,
  LEVEL_CHANGED,
  NONFINITE_SAMPLES,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* A stateless measurement of one block: RMS, peak, clipping, non-finite
 * samples (read as 0), the level class and weight. The peak hold is the peak. */
void
pt_volume_measure (const float         *samples,
                   gsize                n_samples,
                   PtVolumeMeasurement *out)
{
  double sum_squares = 0.0;
  double peak = 0.0;
  guint clipped = 0;
  guint nonfinite = 0;

  g_return_if_fail (samples != NULL || n_samples == 0);
  g_return_if_fail (out != NULL);

  for (gsize i = 0; i < n_samples; i++)
    {
      double x = samples[i];
      double a;

      if (!isfinite (x))
        {
          nonfinite++;
          continue;
        }
      a = fabs (x);
      sum_squares += x * x;
      if (a > peak)
        peak = a;
      if (a >= 1.0)
        clipped++;
    }

  memset (out, 0, sizeof *out);
  out->n_samples = n_samples;
  out->rms_dbfs = pt_level_dbfs_from_amplitude (n_samples > 0 ? sqrt (sum_squares / n_samples) : 0.0);
  out->peak_dbfs = pt_level_dbfs_from_amplitude (peak);
  out->peak_hold_dbfs = out->peak_dbfs;
  out->clipped_count = clipped;
  out->nonfinite_count = nonfinite;
  out->level = pt_level_classify (out->rms_dbfs, out->peak_dbfs, clipped);
  out->weight = pt_level_weight (out->level, out->rms_dbfs);
}

static void
set_double (PtVolumeDetector *self,
            double           *field,
            double            value,
            guint             prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_uint64 (PtVolumeDetector *self,
            guint64          *field,
            guint64           value,
            guint             prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
apply_measurement (PtVolumeDetector          *self,
                   const PtVolumeMeasurement *m)
{
  PtLevelClass old_level = self->level;

  g_object_freeze_notify (G_OBJECT (self));
  set_double (self, &self->rms_dbfs, m->rms_dbfs, PROP_RMS_DBFS);
  set_double (self, &self->peak_dbfs, m->peak_dbfs, PROP_PEAK_DBFS);
  set_double (self, &self->peak_hold_dbfs, m->peak_hold_dbfs, PROP_PEAK_HOLD_DBFS);
  set_double (self, &self->weight, m->weight, PROP_WEIGHT);
  set_uint64 (self, &self->clipped_total, self->clipped_total + m->clipped_count,
              PROP_CLIPPED_TOTAL);
  set_uint64 (self, &self->nonfinite_total, self->nonfinite_total + m->nonfinite_count,
              PROP_NONFINITE_TOTAL);
  if (self->level != m->level)
    {
      self->level = m->level;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
    }
  g_object_thaw_notify (G_OBJECT (self));

  if (old_level != m->level)
    g_signal_emit (self, signals[LEVEL_CHANGED], 0, m->level);
  if (m->nonfinite_count > 0 && !self->nonfinite_reported)
    {
      self->nonfinite_reported = TRUE;
      g_signal_emit (self, signals[NONFINITE_SAMPLES], 0, m->nonfinite_count);
    }
  g_signal_emit (self, signals[MEASURED], 0, m);
}

static gboolean
pt_volume_detector_process_batch (PtAnalyzer            *analyzer,
                                  const PtAnalysisBatch *batch,
                                  GError               **error)
{
  PtVolumeDetector *self = PT_VOLUME_DETECTOR (analyzer);
  PtVolumeMeasurement m;
  double decayed_hold;

  pt_volume_measure (batch->samples, batch->n_samples, &m);
  m.first_frame = batch->first_frame;

  /* Samples the worklet clamped sit at exactly ±1 and were counted above as
   * well, so take the larger count rather than the sum. */
  m.clipped_count = MAX (m.clipped_count, batch->clipped_count);
  m.nonfinite_count += batch->nonfinite_count;
  m.level = pt_level_classify (m.rms_dbfs, m.peak_dbfs, m.clipped_count);
  m.weight = pt_level_weight (m.level, m.rms_dbfs);

  decayed_hold = self->peak_hold_dbfs;
  if (batch->sample_rate > 0.0)
    decayed_hold -= self->peak_decay * batch->n_samples / batch->sample_rate;
  m.peak_hold_dbfs = MAX (m.peak_dbfs, MAX (decayed_hold, PT_LEVEL_FLOOR_DBFS));

  apply_measurement (self, &m);
  return TRUE;
}

static void
pt_volume_detector_reset (PtAnalyzer *analyzer)
{
  PtVolumeDetector *self = PT_VOLUME_DETECTOR (analyzer);
  PtVolumeMeasurement silence;

  pt_volume_measure (NULL, 0, &silence);
  self->nonfinite_reported = FALSE;
  /* No "measured": a reset is not a batch. */
  g_object_freeze_notify (G_OBJECT (self));
  set_uint64 (self, &self->clipped_total, 0, PROP_CLIPPED_TOTAL);
  set_uint64 (self, &self->nonfinite_total, 0, PROP_NONFINITE_TOTAL);
  set_double (self, &self->rms_dbfs, silence.rms_dbfs, PROP_RMS_DBFS);
  set_double (self, &self->peak_dbfs, silence.peak_dbfs, PROP_PEAK_DBFS);
  set_double (self, &self->peak_hold_dbfs, silence.peak_hold_dbfs, PROP_PEAK_HOLD_DBFS);
  set_double (self, &self->weight, silence.weight, PROP_WEIGHT);
  if (self->level != silence.level)
    {
      self->level = silence.level;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
      g_signal_emit (self, signals[LEVEL_CHANGED], 0, self->level);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
pt_volume_detector_analyzer_init (PtAnalyzerInterface *iface)
{
  iface->process_batch = pt_volume_detector_process_batch;
  iface->reset = pt_volume_detector_reset;
}

static void
pt_volume_detector_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PtVolumeDetector *self = PT_VOLUME_DETECTOR (object);

  switch (prop_id)
    {
    case PROP_RMS_DBFS:
      g_value_set_double (value, self->rms_dbfs);
      break;
    case PROP_PEAK_DBFS:
      g_value_set_double (value, self->peak_dbfs);
      break;
    case PROP_PEAK_HOLD_DBFS:
      g_value_set_double (value, self->peak_hold_dbfs);
      break;
    case PROP_LEVEL:
      g_value_set_enum (value, self->level);
      break;
    case PROP_WEIGHT:
      g_value_set_double (value, self->weight);
      break;
    case PROP_CLIPPED_TOTAL:
      g_value_set_uint64 (value, self->clipped_total);
      break;
    case PROP_NONFINITE_TOTAL:
      g_value_set_uint64 (value, self->nonfinite_total);
      break;
    case PROP_PEAK_DECAY:
      g_value_set_double (value, self->peak_decay);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_volume_detector_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PtVolumeDetector *self = PT_VOLUME_DETECTOR (object);

  switch (prop_id)
    {
    case PROP_PEAK_DECAY:
      pt_volume_detector_set_peak_decay (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_volume_detector_class_init (PtVolumeDetectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = pt_volume_detector_get_property;
  object_class->set_property = pt_volume_detector_set_property;

  properties[PROP_RMS_DBFS] =
    g_param_spec_double ("rms-dbfs", NULL, NULL,
                         PT_LEVEL_FLOOR_DBFS, G_MAXDOUBLE, PT_LEVEL_FLOOR_DBFS, ro);
  properties[PROP_PEAK_DBFS] =
    g_param_spec_double ("peak-dbfs", NULL, NULL,
                         PT_LEVEL_FLOOR_DBFS, G_MAXDOUBLE, PT_LEVEL_FLOOR_DBFS, ro);
  properties[PROP_PEAK_HOLD_DBFS] =
    g_param_spec_double ("peak-hold-dbfs", NULL, NULL,
                         PT_LEVEL_FLOOR_DBFS, G_MAXDOUBLE, PT_LEVEL_FLOOR_DBFS, ro);
  properties[PROP_LEVEL] =
    g_param_spec_enum ("level", NULL, NULL,
                       PT_TYPE_LEVEL_CLASS, PT_LEVEL_SILENT, ro);
  properties[PROP_WEIGHT] =
    g_param_spec_double ("weight", NULL, NULL, 0.0, 1.0, 0.0, ro);
  properties[PROP_CLIPPED_TOTAL] =
    g_param_spec_uint64 ("clipped-total", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_NONFINITE_TOTAL] =
    g_param_spec_uint64 ("nonfinite-total", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_PEAK_DECAY] =
    g_param_spec_double ("peak-decay", NULL, NULL,
                         0.0, 1000.0, PT_VOLUME_DETECTOR_DEFAULT_PEAK_DECAY_DB_PER_S,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Every batch: (gpointer) a const PtVolumeMeasurement *, valid during the emission. */
  signals[MEASURED] =
    g_signal_new ("measured", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[LEVEL_CHANGED] =
    g_signal_new ("level-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, PT_TYPE_LEVEL_CLASS);
  /* Once until the next reset: the count in the first batch that had any. */
  signals[NONFINITE_SAMPLES] =
    g_signal_new ("nonfinite-samples", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
pt_volume_detector_init (PtVolumeDetector *self)
{
  self->rms_dbfs = PT_LEVEL_FLOOR_DBFS;
  self->peak_dbfs = PT_LEVEL_FLOOR_DBFS;
  self->peak_hold_dbfs = PT_LEVEL_FLOOR_DBFS;
  self->level = PT_LEVEL_SILENT;
  self->peak_decay = PT_VOLUME_DETECTOR_DEFAULT_PEAK_DECAY_DB_PER_S;
}

PtVolumeDetector *
pt_volume_detector_new (void)
{
  return g_object_new (PT_TYPE_VOLUME_DETECTOR, NULL);
}

double
pt_volume_detector_get_rms_dbfs (PtVolumeDetector *self)
{
  g_return_val_if_fail (PT_IS_VOLUME_DETECTOR (self), PT_LEVEL_FLOOR_DBFS);
  return self->rms_dbfs;
}

double
pt_volume_detector_get_peak_dbfs (PtVolumeDetector *self)
{
  g_return_val_if_fail (PT_IS_VOLUME_DETECTOR (self), PT_LEVEL_FLOOR_DBFS);
  return self->peak_dbfs;
}

double
pt_volume_detector_get_peak_hold_dbfs (PtVolumeDetector *self)
{
  g_return_val_if_fail (PT_IS_VOLUME_DETECTOR (self), PT_LEVEL_FLOOR_DBFS);
  return self->peak_hold_dbfs;
}

PtLevelClass
pt_volume_detector_get_level (PtVolumeDetector *self)
{
  g_return_val_if_fail (PT_IS_VOLUME_DETECTOR (self), PT_LEVEL_SILENT);
  return self->level;
}

double
pt_volume_detector_get_weight (PtVolumeDetector *self)
{
  g_return_val_if_fail (PT_IS_VOLUME_DETECTOR (self), 0.0);
  return self->weight;
}

guint64
pt_volume_detector_get_clipped_total (PtVolumeDetector *self)
{
  g_return_val_if_fail (PT_IS_VOLUME_DETECTOR (self), 0);
  return self->clipped_total;
}

guint64
pt_volume_detector_get_nonfinite_total (PtVolumeDetector *self)
{
  g_return_val_if_fail (PT_IS_VOLUME_DETECTOR (self), 0);
  return self->nonfinite_total;
}

double
pt_volume_detector_get_peak_decay (PtVolumeDetector *self)
{
  g_return_val_if_fail (PT_IS_VOLUME_DETECTOR (self), 0.0);
  return self->peak_decay;
}

void
pt_volume_detector_set_peak_decay (PtVolumeDetector *self,
                                   double            db_per_second)
{
  g_return_if_fail (PT_IS_VOLUME_DETECTOR (self));
  g_return_if_fail (db_per_second >= 0.0 && db_per_second <= 1000.0);

  set_double (self, &self->peak_decay, db_per_second, PROP_PEAK_DECAY);
}
