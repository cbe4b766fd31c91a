/* pt-hub.h — runs the analysers as channels over each batch: each one can be
 * enabled, run on every Nth batch and fail on its own without stopping the
 * others; a channel whose results nobody listens to does no work.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pt-analyzer.h"

G_BEGIN_DECLS

#define PT_TYPE_HUB (pt_hub_get_type ())
G_DECLARE_FINAL_TYPE (PtHub, pt_hub, PT, HUB, GObject)

PtHub       *pt_hub_new                   (void);

gboolean     pt_hub_add_channel           (PtHub                 *self,
                                           const char            *name,
                                           PtAnalyzer            *analyzer,
                                           const char * const    *result_signals);
gboolean     pt_hub_remove_channel        (PtHub                 *self,
                                           const char            *name);
gboolean     pt_hub_has_channel           (PtHub                 *self,
                                           const char            *name);
PtAnalyzer  *pt_hub_get_analyzer          (PtHub                 *self,
                                           const char            *name);
guint        pt_hub_get_n_channels        (PtHub                 *self);

void         pt_hub_set_channel_enabled   (PtHub                 *self,
                                           const char            *name,
                                           gboolean               enabled);
gboolean     pt_hub_get_channel_enabled   (PtHub                 *self,
                                           const char            *name);
void         pt_hub_set_channel_interval  (PtHub                 *self,
                                           const char            *name,
                                           guint                  every_n_batches);
guint        pt_hub_get_channel_interval  (PtHub                 *self,
                                           const char            *name);
gboolean     pt_hub_get_channel_listened  (PtHub                 *self,
                                           const char            *name);
guint64      pt_hub_get_channel_runs      (PtHub                 *self,
                                           const char            *name);
guint64      pt_hub_get_channel_errors    (PtHub                 *self,
                                           const char            *name);

void         pt_hub_process_batch         (PtHub                 *self,
                                           const PtAnalysisBatch *batch);
void         pt_hub_reset                 (PtHub                 *self);

G_END_DECLS
