/* pt-capture.h — the PipeWire capture stream: a pw_stream in a
 * pw_thread_loop whose process callback hands the device's frames to the
 * processor, and which tells the main thread what the server says (stream
 * state, the negotiated format, the node it is linked to, how many sources
 * there are, a lost server) through its properties and one signal.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pt-processor.h"

G_BEGIN_DECLS

typedef enum
{
  PT_CAPTURE_STATE_DISCONNECTED,   /* no server connection */
  PT_CAPTURE_STATE_PAUSED,         /* connected, not streaming: no device yet, or none left */
  PT_CAPTURE_STATE_STREAMING,
} PtCaptureState;

#define PT_TYPE_CAPTURE (pt_capture_get_type ())
G_DECLARE_FINAL_TYPE (PtCapture, pt_capture, PT, CAPTURE, GObject)

/* Events are delivered on the thread-default main context of the caller. */
PtCapture      *pt_capture_new               (PtProcessor  *processor);

/* Connects to the server ($PIPEWIRE_REMOTE or the default) and creates the
 * stream with @target as its target.object (a node name; NULL or "" for the
 * system default). FALSE when the server cannot be reached. */
gboolean        pt_capture_connect           (PtCapture    *self,
                                              const char   *target,
                                              GError      **error);
/* Destroys the stream and the connection: the node leaves the graph. */
void            pt_capture_disconnect        (PtCapture    *self);
/* Moves the stream to @target (NULL or "": the system default). */
void            pt_capture_set_target        (PtCapture    *self,
                                              const char   *target);

/* The quantum the stream asks for, in frames at 48 kHz: the graph's is the
 * smallest request, so this is an upper bound on the block size. */
void            pt_capture_set_latency       (PtCapture    *self,
                                              guint         frames);

/* Whether the process callback drives the processor. Turning it off returns
 * once the audio thread is out of the callback and has released the
 * processor, so another thread may drive it. */
void            pt_capture_set_driving       (PtCapture    *self,
                                              gboolean      driving);

PtCaptureState  pt_capture_get_state         (PtCapture    *self);
guint           pt_capture_get_sample_rate   (PtCapture    *self);
guint           pt_capture_get_channels      (PtCapture    *self);
const char     *pt_capture_get_linked_device (PtCapture    *self);
guint           pt_capture_get_n_sources     (PtCapture    *self);
gboolean        pt_capture_has_source        (PtCapture    *self,
                                              const char   *name);
/* The playback's node (SPA_ID_INVALID: none): "playback-sink" names the
 * node its output is linked to, NULL when none. */
void            pt_capture_set_playback_node (PtCapture    *self,
                                              guint32       node_id);
const char     *pt_capture_get_playback_sink (PtCapture    *self);
/* Any thread: the frame count of the last block, 0 before one came. */
guint           pt_capture_get_quantum       (PtCapture    *self);

G_END_DECLS
