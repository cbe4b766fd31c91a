/* pt-pitch-history.h — the session's analysis frames in a ring of fixed
 * size (an hour at the hop rate by default), fed by a pitch analyser, read by
 * the history graph and written out as CSV or JSON Lines.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pt-pitch-analyzer.h"

G_BEGIN_DECLS

/* An hour of frames at 48 kHz with the default 256-sample hop. */
#define PT_PITCH_HISTORY_DEFAULT_CAPACITY \
  ((guint) (3600 * 48000 / PT_PITCH_ANALYZER_DEFAULT_HOP))

/* One frame as kept: 24 bytes, so an hour at 48 kHz holds 16 MB. */
typedef struct
{
  double  time_s;      /* stream time of the frame's centre */
  float   frequency;   /* Hz, 0 when unvoiced */
  float   confidence;  /* 0…1 */
  float   cents;       /* off the nearest note, valid when voiced */
  gint16  midi;        /* the nearest note (written pitch), valid when voiced */
  guint8  voiced;
} PtPitchHistoryEntry;

typedef enum
{
  PT_PITCH_HISTORY_CSV,
  PT_PITCH_HISTORY_JSON_LINES,
} PtPitchHistoryFormat;

#define PT_TYPE_PITCH_HISTORY (pt_pitch_history_get_type ())
G_DECLARE_FINAL_TYPE (PtPitchHistory, pt_pitch_history, PT, PITCH_HISTORY, GObject)

PtPitchHistory            *pt_pitch_history_new            (guint                 capacity);

PtPitchAnalyzer           *pt_pitch_history_get_analyzer   (PtPitchHistory       *self);
void                       pt_pitch_history_set_analyzer   (PtPitchHistory       *self,
                                                            PtPitchAnalyzer      *analyzer);
void                       pt_pitch_history_append         (PtPitchHistory       *self,
                                                            const PtPitchFrame   *frame);
void                       pt_pitch_history_clear          (PtPitchHistory       *self);

guint                      pt_pitch_history_get_capacity   (PtPitchHistory       *self);
guint                      pt_pitch_history_get_n_entries  (PtPitchHistory       *self);
const PtPitchHistoryEntry *pt_pitch_history_get_entry      (PtPitchHistory       *self,
                                                            guint                 index);
guint                      pt_pitch_history_find_time      (PtPitchHistory       *self,
                                                            double                time_s);
double                     pt_pitch_history_get_latest_time (PtPitchHistory      *self);
double                     pt_pitch_history_get_last_voiced_time (PtPitchHistory *self);

gboolean                   pt_pitch_history_write          (PtPitchHistory       *self,
                                                            GOutputStream        *stream,
                                                            PtPitchHistoryFormat  format,
                                                            PtNoteNames           names,
                                                            GCancellable         *cancellable,
                                                            GError              **error);

G_END_DECLS
