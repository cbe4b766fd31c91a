/* pt-level.h — level classes and the confidence weight a level gives, shared
 * by the volume detector and the pitch analyser (which gates on its own level
 * so it never depends on another channel running).
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  PT_LEVEL_SILENT,
  PT_LEVEL_QUIET,
  PT_LEVEL_OPTIMAL,
  PT_LEVEL_LOUD,
  PT_LEVEL_CLIPPING,
} PtLevelClass;

/* Lowest level reported, for digital silence: log10 of 0 is -inf. */
#define PT_LEVEL_FLOOR_DBFS (-120.0)

double       pt_level_dbfs_from_amplitude (double       amplitude);
PtLevelClass pt_level_classify            (double       rms_dbfs,
                                           double       peak_dbfs,
                                           guint        clipped_count);
double       pt_level_weight              (PtLevelClass level_class,
                                           double       rms_dbfs);
const char  *pt_level_class_to_string     (PtLevelClass level_class);

G_END_DECLS
