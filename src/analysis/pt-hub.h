/* pt-hub.h — runs the analysers as channels over each batch: each one can be
 * enabled, run on every Nth batch and fail on its own without stopping the
 * others; a CLAIMED channel nobody claims does no work. The hub is a
 * GListModel of its PtHubChannel objects, in the order they were added.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pt-analyzer.h"
#include "pt-hub-channel.h"

G_BEGIN_DECLS

#define PT_TYPE_HUB (pt_hub_get_type ())
G_DECLARE_FINAL_TYPE (PtHub, pt_hub, PT, HUB, GObject)

PtHub        *pt_hub_new            (void);

PtHubChannel *pt_hub_add_channel    (PtHub                 *self,
                                     const char            *name,
                                     PtAnalyzer            *analyzer,
                                     PtHubChannelMode       mode);
PtHubChannel *pt_hub_lookup_channel (PtHub                 *self,
                                     const char            *name);
gboolean      pt_hub_remove_channel (PtHub                 *self,
                                     const char            *name);

void          pt_hub_process_batch  (PtHub                 *self,
                                     const PtAnalysisBatch *batch);
void          pt_hub_reset          (PtHub                 *self);

G_END_DECLS
