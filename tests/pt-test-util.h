/* pt-test-util.h — helpers shared by the test programs: waiting on a main
 * context under a watchdog, measuring tones, and the client side of the
 * PipeWire harness, including the world a test reshapes through its control
 * channel.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <glib-object.h>

G_BEGIN_DECLS

/* Generous watchdogs: a busy 2-core machine starts servers and displays slowly. */
#define PT_TEST_TIMEOUT_UNIT_S   5
#define PT_TEST_TIMEOUT_SERVER_S 30

typedef gboolean (*PtTestCondition) (gpointer user_data);

gboolean pt_test_wait_until (GMainContext    *context,
                             PtTestCondition  condition,
                             gpointer         user_data,
                             guint            timeout_s);

#define pt_test_assert_eventually(context, condition, user_data, timeout_s) \
  g_assert_true (pt_test_wait_until ((context), (condition), (user_data), (timeout_s)))

/* Until @object's enum @property is @value (an engine's "state", say). */
gboolean pt_test_wait_enum (GMainContext *context,
                            gpointer      object,
                            const char   *property,
                            int           value,
                            guint         timeout_s);

#define pt_test_assert_enum_eventually(context, object, property, value, timeout_s) \
  g_assert_true (pt_test_wait_enum ((context), (object), (property), (value), (timeout_s)))

/* Six harmonics at 1/h with phases h, those at or above 0.45 × @sample_rate
 * left out: a tone rich enough that YIN's octave guards matter. */
void pt_test_fill_harmonic (float  *samples,
                            gsize   n_samples,
                            double  sample_rate,
                            double  frequency,
                            double  amplitude);

void pt_test_fill_sine (float  *samples,
                        gsize   n_samples,
                        double  sample_rate,
                        double  frequency,
                        double  amplitude,
                        double  phase);

void         pt_test_count_notify         (GObject      *object,
                                           GParamSpec   *pspec,
                                           guint        *count);
void         pt_test_reset_settings       (GSettings    *settings);
void         pt_test_assert_notifies_once (gpointer      object,
                                           const char   *property,
                                           const GValue *value);

float       *pt_test_new_distinct_samples (guint n_samples);

const char  *pt_test_harness_env     (const char   *name);
/* The built `pitch-toy`: $PT_TEST_PITCH_TOY, or the build tree's. */
const char  *pt_test_pitch_toy_path  (void);

/* One run of the built `pitch-toy` to its end. */
typedef struct
{
  int   status;   /* the exit status */
  char *out;
  char *err;
} PtTestRun;

/* Runs pitch-toy with @args (NULL-terminated, after the program name),
 * standard input from @stdin_path if not NULL. */
void         pt_test_run_pitch_toy   (PtTestRun          *run,
                                      const char * const *args,
                                      const char         *stdin_path);
void         pt_test_run_clear       (PtTestRun          *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PtTestRun, pt_test_run_clear)

/* Under valgrind or a sanitizer, where malloc is not ours and RSS says
 * nothing: the only place tests that count either may skip. */
gboolean     pt_test_is_instrumented (void);
gboolean     pt_test_write_wav       (const char   *path,
                                      const float  *samples,
                                      gsize         n_samples,
                                      int           sample_rate,
                                      GError      **error);
GSubprocess *pt_test_play_into_feed  (const char   *wav_path,
                                      GError      **error);

double pt_test_measure_frequency (const float *samples,
                                  gsize        n_samples,
                                  double       sample_rate);
double pt_test_measure_tone_rms  (const float *samples,
                                  gsize        n_samples);

/* A recording, mono F32 at 48 kHz, from the node named @target (for a sink,
 * with @capture_sink, what it plays: its monitor), of at most @max_frames
 * frames from its first cycle on. Its stream runs in a thread loop of its
 * own and wakes the caller's thread-default main context after each cycle. */
typedef struct _PtTestRecorder PtTestRecorder;

PtTestRecorder *pt_test_recorder_new          (const char     *target,
                                               gboolean        capture_sink,
                                               gsize           max_frames,
                                               GError        **error);
void            pt_test_recorder_free         (PtTestRecorder *self);
/* Any thread: the frames recorded so far. */
gsize           pt_test_recorder_get_n_frames (PtTestRecorder *self);
const float    *pt_test_recorder_get_samples  (PtTestRecorder *self);
/* The monotonic time, in ms, of recorded frame @frame: its cycle's callback
 * time, as the capture stamps its blocks, plus its place in the cycle. */
double          pt_test_recorder_get_frame_time_ms (PtTestRecorder *self,
                                                    gsize           frame);
/* Iterates @context, the recorder's, until @n_frames are recorded; FALSE if
 * the @timeout_s watchdog fired first. */
gboolean        pt_test_recorder_wait_frames  (PtTestRecorder *self,
                                               GMainContext   *context,
                                               gsize           n_frames,
                                               guint           timeout_s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtTestRecorder, pt_test_recorder_free)

/* The world of a test run under `harness.py --pipewire`. Each call blocks
 * until the server's registry shows the asked state, under the harness's 30 s
 * watchdog, and returns FALSE with a GError saying what went wrong. */

/* A virtual source (an Audio/Source node named @name, description "@name test
 * source") with @n_channels interleaved channels, channel c fed endlessly with
 * a sine of frequencies[c] Hz at @amplitude (linear). Its feeder and loopback
 * carry node.dont-reconnect=true. */
gboolean pt_test_world_add_source         (const char    *name,
                                           guint          n_channels,
                                           const double  *frequencies,
                                           double         amplitude,
                                           GError       **error);
/* Its node is gone from the registry. */
gboolean pt_test_world_remove_source      (const char    *name,
                                           GError       **error);
/* default.configured.audio.source is @name, and `default.audio.source` in
 * the `default` metadata shows it. */
gboolean pt_test_world_set_default_source (const char    *name,
                                           GError       **error);
/* pipewire, wireplumber, every loopback and feeder killed with SIGKILL, as a
 * crash; returns when all are dead. */
gboolean pt_test_world_kill               (GError       **error);
/* Starts them all again: server, WirePlumber, speaker, clock.min-quantum,
 * the microphone and the sources that existed, with their tones; returns when
 * all nodes are back. */
gboolean pt_test_world_restart            (GError       **error);
/* clock.force-rate @rate in the `settings` metadata; 0 clears it. */
gboolean pt_test_world_force_rate         (guint          rate,
                                           GError       **error);
/* A node named @name is in the server's registry (@present) or is not. */
gboolean pt_test_world_wait_node          (const char    *name,
                                           gboolean       present,
                                           GError       **error);

G_END_DECLS
