/* pt-hub-channel-private.h — what PtHub alone calls on its channels: making
 * one, offering it a batch, resetting it.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pt-hub-channel.h"

G_BEGIN_DECLS

PtHubChannel *pt_hub_channel_new   (const char             *name,
                                    PtAnalyzer             *analyzer,
                                    PtHubChannelMode        mode);
gboolean      pt_hub_channel_offer (PtHubChannel           *self,
                                    const PtAnalysisBatch  *batch,
                                    GError                **error);
void          pt_hub_channel_reset (PtHubChannel           *self);

G_END_DECLS
