/* pt-analysis-job.h — one input through the live pitch analyser, block by
 * block, its frames through a frame writer: what `--analyze` does per file,
 * on whichever thread runs it.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pt-audio-input.h"
#include "pt-frame-writer.h"
#include "pt-note.h"
#include "pt-pitch-analyzer.h"

G_BEGIN_DECLS

typedef struct
{
  guint          hop;
  guint          window;          /* 0: the one the range asks for */
  double         min_frequency;
  double         max_frequency;   /* 0: the default, lowered below a low rate's half */
  PtNoteSettings note;
} PtAnalysisSettings;

typedef enum
{
  PT_ANALYSIS_OK,
  PT_ANALYSIS_SETTINGS_REFUSED,   /* the settings do not fit the input's rate */
  PT_ANALYSIS_INPUT_FAILED,       /* the input ended badly, or gave no frame */
  PT_ANALYSIS_OUTPUT_FAILED,      /* the writer failed */
  PT_ANALYSIS_CANCELLED,
} PtAnalysisOutcome;

/* The analyser for @input's rate, or NULL and @error when @settings do not
 * fit it. Made before anything is written, so a refusal writes nothing. */
PtPitchAnalyzer   *pt_analysis_job_prepare (const PtAnalysisSettings *settings,
                                            PtAudioInput             *input,
                                            GError                  **error);

/* Streams @input through @analyzer, each frame through @writer with @file as
 * its "file" field, and flushes @writer. @frames_done (or NULL) grows, read
 * atomically, as input frames are read; a non-zero @cancel (or NULL), set
 * from any thread, stops it between blocks. On failure @error says why and
 * the output holds whole lines only. */
PtAnalysisOutcome  pt_analysis_job_run     (PtPitchAnalyzer          *analyzer,
                                            PtAudioInput             *input,
                                            PtFrameWriter            *writer,
                                            const char               *file,
                                            gsize                    *frames_done,
                                            const gint               *cancel,
                                            GError                  **error);

G_END_DECLS
