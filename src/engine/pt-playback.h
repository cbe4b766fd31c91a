/* pt-playback.h — the playback stream: a pw_stream to the default output, in
 * a pw_thread_loop of its own, whose process callback plays the monitor
 * (what the worklet analyses, from a ring it fills) and adds the drone. It
 * tells the main thread its node id, so the engine can see which sink it is
 * linked to.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pt-drone.h"
#include "pt-ring.h"

G_BEGIN_DECLS

#define PT_TYPE_PLAYBACK (pt_playback_get_type ())
G_DECLARE_FINAL_TYPE (PtPlayback, pt_playback, PT, PLAYBACK, GObject)

/* @monitor and @drone are borrowed and must outlive the playback. Events are
 * delivered on the caller's thread-default main context. */
PtPlayback *pt_playback_new          (PtRing      *monitor,
                                      PtDrone     *drone);

/* Connects to the server and plays, mono at @sample_rate, to the default
 * output. FALSE when the server cannot be reached. */
gboolean    pt_playback_connect      (PtPlayback  *self,
                                      guint        sample_rate,
                                      GError     **error);
void        pt_playback_disconnect   (PtPlayback  *self);
gboolean    pt_playback_is_connected (PtPlayback  *self);
guint       pt_playback_get_sample_rate (PtPlayback *self);

/* Any thread: whether the ring is played (otherwise the monitor is silent). */
void        pt_playback_set_monitor  (PtPlayback  *self,
                                      gboolean     monitor);

/* The stream's node, SPA_ID_INVALID (G_MAXUINT32) before it has one. */
guint32     pt_playback_get_node_id  (PtPlayback  *self);

G_END_DECLS
