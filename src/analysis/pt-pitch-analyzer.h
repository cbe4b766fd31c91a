/* pt-pitch-analyzer.h — the pitch channel: keeps the last window of samples
 * in a ring, runs YIN at a fixed hop whatever the batch sizes, gates on its
 * own level, and exposes the raw and the steadied pitch as properties.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pt-analyzer.h"
#include "pt-note.h"

G_BEGIN_DECLS

#define PT_PITCH_ANALYZER_DEFAULT_HOP            256
#define PT_PITCH_ANALYZER_DEFAULT_MIN_FREQUENCY  40.0
#define PT_PITCH_ANALYZER_DEFAULT_MAX_FREQUENCY  2200.0
#define PT_PITCH_ANALYZER_DEFAULT_NOISE_GATE     (-80.0)

/* One analysis frame, as the "frame" signal hands it out (a boxed type,
 * borrowed for the emission: copy it to keep it). */
typedef struct
{
  guint64  frame_index;  /* stream position of the analysis window's centre, in samples */
  double   time_s;       /* frame_index / sample_rate */
  double   frequency;    /* Hz, 0 when unvoiced */
  double   confidence;   /* 0…1: periodicity weighted by the level weight */
  gboolean voiced;
  PtNote   note;         /* valid when voiced */
  double   rms_dbfs;     /* over the analysis window, DC removed */
  double   peak_dbfs;
} PtPitchFrame;

#define PT_TYPE_PITCH_FRAME (pt_pitch_frame_get_type ())

GType         pt_pitch_frame_get_type (void) G_GNUC_CONST;
PtPitchFrame *pt_pitch_frame_copy     (const PtPitchFrame *frame);
void          pt_pitch_frame_free     (PtPitchFrame       *frame);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtPitchFrame, pt_pitch_frame_free)

#define PT_TYPE_PITCH_ANALYZER (pt_pitch_analyzer_get_type ())
G_DECLARE_FINAL_TYPE (PtPitchAnalyzer, pt_pitch_analyzer, PT, PITCH_ANALYZER, GObject)

#define PT_PITCH_ANALYZER_ERROR (pt_pitch_analyzer_error_quark ())

typedef enum
{
  PT_PITCH_ANALYZER_ERROR_SETTINGS,   /* the window and range do not fit the rate */
} PtPitchAnalyzerError;

GQuark           pt_pitch_analyzer_error_quark       (void);

/* Whether YIN can find @min_frequency … @max_frequency at @sample_rate in
 * @window samples (0: the window the range asks for). The properties take
 * any values in their ranges and never leave the analyser without its
 * estimator (a window too short is lengthened to the shortest YIN takes),
 * but a caller taking settings from a user asks this first and refuses
 * them with the reason it gives. */
gboolean         pt_pitch_analyzer_check_settings    (double           sample_rate,
                                                      guint            window,
                                                      double           min_frequency,
                                                      double           max_frequency,
                                                      GError         **error);

PtPitchAnalyzer *pt_pitch_analyzer_new               (double           sample_rate);

void             pt_pitch_analyzer_push_samples      (PtPitchAnalyzer *self,
                                                      const float     *samples,
                                                      gsize            n_samples);

double           pt_pitch_analyzer_get_sample_rate   (PtPitchAnalyzer *self);
guint            pt_pitch_analyzer_get_window_size   (PtPitchAnalyzer *self);
guint            pt_pitch_analyzer_get_hop_size      (PtPitchAnalyzer *self);
double           pt_pitch_analyzer_get_frequency     (PtPitchAnalyzer *self);
/* The background level measured, and the level under which no frame is
 * read: the noise-gate setting, or 3 dB over that background if higher.
 * Both in dBFS; they change every frame and are not notified. */
double           pt_pitch_analyzer_get_noise_floor_dbfs (PtPitchAnalyzer *self);
double           pt_pitch_analyzer_get_gate_dbfs     (PtPitchAnalyzer *self);
double           pt_pitch_analyzer_get_confidence    (PtPitchAnalyzer *self);
gboolean         pt_pitch_analyzer_get_voiced        (PtPitchAnalyzer *self);
/* NULL when unvoiced. */
const PtNote    *pt_pitch_analyzer_get_note          (PtPitchAnalyzer *self);
double           pt_pitch_analyzer_get_stable_frequency (PtPitchAnalyzer *self);
const PtNote    *pt_pitch_analyzer_get_stable_note   (PtPitchAnalyzer *self);
/* Samples from a window's newest sample back to its centre: what "time" lags. */
guint            pt_pitch_analyzer_get_latency_frames (PtPitchAnalyzer *self);
void             pt_pitch_analyzer_get_note_settings (PtPitchAnalyzer *self,
                                                      PtNoteSettings  *settings);

G_END_DECLS
