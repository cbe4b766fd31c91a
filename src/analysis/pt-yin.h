/* pt-yin.h — the YIN pitch estimator (de Cheveigné & Kawahara 2002) with its
 * difference function computed through FFTW, plus a choice among the
 * CMNDF dips that guards against octave errors. Plain C: no GObject, and no
 * allocation once initialised, so it may run on any thread.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PT_YIN_MAX_DIPS 32
/* The shortest window pt_yin_new () takes. */
#define PT_YIN_MIN_WINDOW 16

typedef struct
{
  double lag;       /* refined lag, samples */
  double value;     /* CMNDF at the refined lag */
} PtYinDip;

typedef struct
{
  double   frequency;   /* Hz, 0 when no dip qualified */
  double   lag;         /* refined lag of the chosen dip, samples */
  double   cmndf;       /* CMNDF at the chosen dip: 0 perfectly periodic, ~1 noise */
  double   periodicity; /* 1 - cmndf, clamped to 0…1 */
  gboolean voiced;      /* a dip below the voicing threshold was found */
} PtYinResult;

typedef struct _PtYin PtYin;

/* @window: samples one estimate looks at (even). The newest @window / 2
 * samples are compared with the same span a lag earlier, for lags up to
 * @window / 2 - 2 (and sample_rate / min_frequency), so the lowest frequency
 * found is sample_rate / (window / 2 - 2). */
PtYin   *pt_yin_new                  (guint          window,
                                      double         sample_rate,
                                      double         min_frequency,
                                      double         max_frequency);
void     pt_yin_free                 (PtYin         *yin);

guint    pt_yin_get_window           (const PtYin   *yin);
double   pt_yin_get_min_frequency    (const PtYin   *yin);
double   pt_yin_get_max_frequency    (const PtYin   *yin);

/* The smallest window that holds two periods of @min_frequency, plus the two
 * lags its refinement needs: 2404 samples (50 ms) at 48 kHz for 40 Hz. The
 * FFT inside may be larger (zero padded) to run at a fast size. */
guint    pt_yin_window_for_range     (double         sample_rate,
                                      double         min_frequency);

/* Estimates the pitch of @samples (exactly @window of them, oldest first).
 * @previous_lag, the lag this gave the caller's previous frame (0 if none
 * or unvoiced), lets the choice prefer continuity when two dips are nearly
 * as good, and steadies a held pitch: the reading is smoothed against it,
 * never more than a quarter cent from the frame's own. From the lags a
 * caller passes, the estimator also remembers the note sounding until the
 * newest half window goes silent or a new attack begins: it keeps a fading
 * note voiced, and holds back a weak other note while that one sounds. At
 * an attack, a span of the newest 23 ms alone reads the new note before
 * the newest half fills with it. A caller that passes 0 every time gets
 * frames that do not depend on each other. */
void     pt_yin_process              (PtYin         *yin,
                                      const float   *samples,
                                      double         previous_lag,
                                      PtYinResult   *result);

/* The RMS about the mean and the largest distance from the mean of @samples
 * (@window of them): the level the analyser gates on; and in the same pass
 * the start of pt_yin_process (), for a caller that gates on the level first. pt_yin_process_measured () then gives exactly what
 * pt_yin_process () would, provided @samples are the ones just measured,
 * unchanged. */
void     pt_yin_measure              (PtYin         *yin,
                                      const float   *samples,
                                      double        *rms,
                                      double        *peak);
void     pt_yin_process_measured     (PtYin         *yin,
                                      const float   *samples,
                                      double         previous_lag,
                                      PtYinResult   *result);

/* Raw CMNDF of the last call, for tests and the debug panel: index = lag. */
const float *pt_yin_get_cmndf        (const PtYin   *yin,
                                      guint         *n_lags);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtYin, pt_yin_free)

G_END_DECLS
