/* pt-level.c — level classes and their confidence weights.
 *
 * The thresholds start from the browser design's: clipping at 0 dBFS, loud
 * from -6, optimal from -30, quiet from -60, silent below. Clipping is also
 * classed by peak and by the count of samples the worklet clamped, since its
 * clamp hides clipping from the RMS.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-level"

#include "config.h"

#include <math.h>

#include "pt-level.h"

#define LOUD_DBFS    (-6.0)
#define OPTIMAL_DBFS (-30.0)
#define QUIET_DBFS   (-60.0)
/* A peak this close to full scale counts as clipping even before the clamp. */
#define CLIP_PEAK_DBFS (-0.01)

double
pt_level_dbfs_from_amplitude (double amplitude)
{
  if (!(amplitude > 0.0))
    return PT_LEVEL_FLOOR_DBFS;
  return MAX (20.0 * log10 (amplitude), PT_LEVEL_FLOOR_DBFS);
}

PtLevelClass
pt_level_classify (double rms_dbfs,
                   double peak_dbfs,
                   guint  clipped_count)
{
  if (clipped_count > 0 || peak_dbfs >= CLIP_PEAK_DBFS || rms_dbfs >= 0.0)
    return PT_LEVEL_CLIPPING;
  if (rms_dbfs >= LOUD_DBFS)
    return PT_LEVEL_LOUD;
  if (rms_dbfs >= OPTIMAL_DBFS)
    return PT_LEVEL_OPTIMAL;
  if (rms_dbfs >= QUIET_DBFS)
    return PT_LEVEL_QUIET;
  return PT_LEVEL_SILENT;
}

static double
ramp (double x, double x0, double x1, double y0, double y1)
{
  double t = CLAMP ((x - x0) / (x1 - x0), 0.0, 1.0);

  return y0 + t * (y1 - y0);
}

/* Silent 0; quiet rises 0 → 0.3; optimal 0.3 → 1; loud falls 1 → 0.7;
 * clipping 0.1. */
double
pt_level_weight (PtLevelClass level_class,
                 double       rms_dbfs)
{
  switch (level_class)
    {
    case PT_LEVEL_SILENT:
      return 0.0;
    case PT_LEVEL_QUIET:
      return ramp (rms_dbfs, QUIET_DBFS, OPTIMAL_DBFS, 0.0, 0.3);
    case PT_LEVEL_OPTIMAL:
      return ramp (rms_dbfs, OPTIMAL_DBFS, LOUD_DBFS, 0.3, 1.0);
    case PT_LEVEL_LOUD:
      return ramp (rms_dbfs, LOUD_DBFS, 0.0, 1.0, 0.7);
    case PT_LEVEL_CLIPPING:
      return 0.1;
    default:
      g_assert_not_reached ();
    }
}

const char *
pt_level_class_to_string (PtLevelClass level_class)
{
  static const char * const names[] = { "silent", "quiet", "optimal", "loud", "clipping" };

  g_return_val_if_fail (level_class <= PT_LEVEL_CLIPPING, "silent");
  return names[level_class];
}
