/* pt-hub-channel.h — one analyser as the hub runs it: enabled or not, run on
 * every Nth batch, and, in the CLAIMED mode, only while someone holds a claim
 * on it. It keeps its own run, error and timing figures.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pt-analyzer.h"

G_BEGIN_DECLS

typedef enum
{
  PT_HUB_CHANNEL_ALWAYS,   /* runs whenever it is enabled */
  PT_HUB_CHANNEL_CLAIMED,  /* runs only while enabled and claimed */
} PtHubChannelMode;

/* Properties: "name", "analyzer" and "mode" (construct-only); "enabled" and
 * "interval" (read-write, notified on change only); "claims" and "active"
 * (notified on change). "runs", "errors", "mean-time-us" and "max-time-us"
 * change on every batch and are NOT notified: read them on a timer. */
#define PT_TYPE_HUB_CHANNEL (pt_hub_channel_get_type ())
G_DECLARE_FINAL_TYPE (PtHubChannel, pt_hub_channel, PT, HUB_CHANNEL, GObject)

const char       *pt_hub_channel_get_name         (PtHubChannel *self);
PtAnalyzer       *pt_hub_channel_get_analyzer     (PtHubChannel *self);
PtHubChannelMode  pt_hub_channel_get_mode         (PtHubChannel *self);

gboolean          pt_hub_channel_get_enabled      (PtHubChannel *self);
void              pt_hub_channel_set_enabled      (PtHubChannel *self,
                                                   gboolean      enabled);
guint             pt_hub_channel_get_interval     (PtHubChannel *self);
void              pt_hub_channel_set_interval     (PtHubChannel *self,
                                                   guint         every_n_batches);

guint             pt_hub_channel_get_claims       (PtHubChannel *self);
void              pt_hub_channel_claim            (PtHubChannel *self);
void              pt_hub_channel_release          (PtHubChannel *self);
gboolean          pt_hub_channel_get_active       (PtHubChannel *self);

guint64           pt_hub_channel_get_runs         (PtHubChannel *self);
guint64           pt_hub_channel_get_errors       (PtHubChannel *self);
double            pt_hub_channel_get_mean_time_us (PtHubChannel *self);
double            pt_hub_channel_get_max_time_us  (PtHubChannel *self);

G_END_DECLS
