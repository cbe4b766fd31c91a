/* pt-engine.h — the main-thread manager of the audio pipeline: it owns the
 * processor with its queues and pool, the capture stream or the clock source
 * that drives it, and the hub with the volume and pitch channels. Start,
 * stop and every configuration go to the worklet as envelopes and come back
 * acknowledged; what comes back is validated, counted and dispatched on the
 * main context the engine was made on.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pt-envelope.h"
#include "pt-hub.h"
#include "pt-pitch-analyzer.h"
#include "pt-volume-detector.h"

G_BEGIN_DECLS

typedef enum
{
  PT_ENGINE_STATE_STOPPED,
  PT_ENGINE_STATE_WAITING_FOR_DEVICE,  /* connected, no source yet: the clock source drives */
  PT_ENGINE_STATE_RUNNING,             /* a device's stream drives */
  PT_ENGINE_STATE_FALLBACK,            /* no server: the clock source drives, reconnecting */
  PT_ENGINE_STATE_ERROR,
} PtEngineState;

#define PT_ENGINE_N_MESSAGE_TYPES (PT_MESSAGE_CONFIG_APPLIED + 1)
#define PT_ENGINE_LATENCY_WINDOW  1024

/* A snapshot of the engine's counters, readable at any time. */
typedef struct
{
  guint64 envelopes_in[PT_ENGINE_N_MESSAGE_TYPES];   /* from the worklet, by type */
  guint64 envelopes_out[PT_ENGINE_N_MESSAGE_TYPES];  /* to the worklet, by type */
  guint64 invalid_envelopes;                         /* refused, never dispatched */
  guint64 batches;
  guint64 dropped_frames;                            /* total, for want of a pooled buffer */
  guint64 sequence_gaps;
  guint   pool_in_use;
  guint   pool_available;
  guint   pool_high_water;
  guint   queue_depth;                               /* envelopes waiting for dispatch */
  double  latency_last_ms;                           /* audio thread's push → end of dispatch */
  double  latency_mean_ms;
  double  latency_p99_ms;                            /* over the last PT_ENGINE_LATENCY_WINDOW */
  double  latency_max_ms;
  guint   quantum;                                   /* frames in the device's last block */
} PtEngineMetrics;

#define PT_TYPE_ENGINE_METRICS (pt_engine_metrics_get_type ())
GType            pt_engine_metrics_get_type (void) G_GNUC_CONST;
PtEngineMetrics *pt_engine_metrics_copy     (const PtEngineMetrics *metrics);
void             pt_engine_metrics_free     (PtEngineMetrics       *metrics);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtEngineMetrics, pt_engine_metrics_free)

#define PT_TYPE_ENGINE (pt_engine_get_type ())
G_DECLARE_FINAL_TYPE (PtEngine, pt_engine, PT, ENGINE, GObject)

/* Dispatches on the caller's thread-default main context. */
PtEngine         *pt_engine_new                 (void);

void              pt_engine_start               (PtEngine                      *self);
void              pt_engine_stop                (PtEngine                      *self);

PtEngineState     pt_engine_get_state           (PtEngine                      *self);
/* The device wanted: a node name, "" for the system default. */
const char       *pt_engine_get_device          (PtEngine                      *self);
void              pt_engine_set_device          (PtEngine                      *self,
                                                 const char                    *device);
/* The node the stream is actually linked to, NULL when none. */
const char       *pt_engine_get_linked_device   (PtEngine                      *self);
int               pt_engine_get_input_channel   (PtEngine                      *self);
void              pt_engine_set_input_channel   (PtEngine                      *self,
                                                 int                            channel);
double            pt_engine_get_sample_rate     (PtEngine                      *self);
guint             pt_engine_get_batch_size      (PtEngine                      *self);

/* Each sends its envelope and returns its id; the ConfigApplied that
 * answers it names that id. */
guint32           pt_engine_configure_batch     (PtEngine                      *self,
                                                 guint                          batch_size,
                                                 guint                          timeout_ms,
                                                 gboolean                       adaptive);
/* Whether the batch size follows the load (the last configure_batch's). */
gboolean          pt_engine_get_adaptive        (PtEngine                      *self);

/* The monitor plays what is analysed to the default output while running. */
gboolean          pt_engine_get_monitor         (PtEngine                      *self);
void              pt_engine_set_monitor         (PtEngine                      *self,
                                                 gboolean                       monitor);
/* The monitor is wanted but silenced: it would feed back into the input. */
gboolean          pt_engine_get_monitor_refused (PtEngine                      *self);
/* The drone: a reference tone on the tonic, or on "drone-note", in
 * "drone-octave", at "drone-volume", with "drone-waveform". */
gboolean          pt_engine_get_drone_enabled   (PtEngine                      *self);
void              pt_engine_set_drone_enabled   (PtEngine                      *self,
                                                 gboolean                       enabled);
double            pt_engine_get_drone_frequency (PtEngine                      *self);
/* Off and faded out. */
gboolean          pt_engine_get_drone_silent    (PtEngine                      *self);

guint32           pt_engine_configure_test_signal (PtEngine                    *self,
                                                 const PtTestSignalConfig      *config);
guint32           pt_engine_configure_noise     (PtEngine                      *self,
                                                 const PtBackgroundNoiseConfig *config);

PtHub            *pt_engine_get_hub             (PtEngine                      *self);
PtPitchAnalyzer  *pt_engine_get_pitch_analyzer  (PtEngine                      *self);
PtVolumeDetector *pt_engine_get_volume_detector (PtEngine                      *self);
PtEngineMetrics  *pt_engine_get_metrics         (PtEngine                      *self);

/* The longest wait between two tries to reach a lost server (tests lower it). */
void              pt_engine_set_reconnect_max_ms (PtEngine                     *self,
                                                 guint                          max_ms);

G_END_DECLS
