/* pt-frame-writer.h — prints analysis frames as JSON lines or CSV: the one
 * place that knows the field names, their order, how each number is spelled
 * and that only finite values are printed. `--analyze` and `--headless` both
 * write through it, so a recording and a live stream give the same lines.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pt-level.h"
#include "pt-pitch-analyzer.h"

G_BEGIN_DECLS

typedef enum
{
  PT_FRAME_FORMAT_JSONL,   /* one JSON object a line */
  PT_FRAME_FORMAT_CSV,     /* a header line, then one row a frame */
} PtFrameFormat;

/* The printable fields. Names (as in --fields and the output) are the
 * lower-case tails: "file", "time", "frequency", "midi", "note", "cents",
 * "confidence", "voiced", "rms_dbfs", "peak_dbfs", "level". */
typedef enum
{
  PT_FRAME_FIELD_FILE,        /* the input's name, when there are several */
  PT_FRAME_FIELD_TIME,        /* s, centre of the analysis window, 4 decimals */
  PT_FRAME_FIELD_FREQUENCY,   /* Hz, 2 decimals; null / empty when unvoiced */
  PT_FRAME_FIELD_MIDI,        /* fractional MIDI note, 4 decimals; null when unvoiced */
  PT_FRAME_FIELD_NOTE,        /* "A4", "F#3"; null when unvoiced */
  PT_FRAME_FIELD_CENTS,       /* off the note, 2 decimals; null when unvoiced */
  PT_FRAME_FIELD_CONFIDENCE,  /* 0…1, 2 decimals */
  PT_FRAME_FIELD_VOICED,      /* true / false */
  PT_FRAME_FIELD_RMS_DBFS,    /* dBFS, 1 decimal */
  PT_FRAME_FIELD_PEAK_DBFS,   /* dBFS, 1 decimal */
  PT_FRAME_FIELD_LEVEL,       /* "silent" … "clipping" */
  PT_FRAME_N_FIELDS,
} PtFrameField;

/* At most each field once. */
#define PT_FRAME_MAX_FIELDS PT_FRAME_N_FIELDS

/* The fields printed when none are asked for: every one but "file". */
extern const PtFrameField pt_frame_default_fields[PT_FRAME_N_FIELDS - 1];

const char *pt_frame_field_to_string (PtFrameField   field);

/* Parses a comma list of field names ("time,frequency,confidence") into
 * @fields (room for PT_FRAME_MAX_FIELDS), in the order given. An unknown or
 * repeated name, or an empty list, is a G_OPTION_ERROR_BAD_VALUE. */
gboolean    pt_frame_fields_parse    (const char    *list,
                                      PtFrameField  *fields,
                                      guint         *n_fields,
                                      GError       **error);

typedef struct _PtFrameWriter PtFrameWriter;

/* A writer of @n_fields @fields (copied) in @format onto @stream (a
 * reference is kept). Output is buffered and goes to @stream in whole lines
 * only: at most 64 KiB are held between writes. Not thread-safe: one writer
 * per thread, or a lock around it. */
PtFrameWriter *pt_frame_writer_new          (PtFrameFormat        format,
                                             const PtFrameField  *fields,
                                             guint                n_fields,
                                             GOutputStream       *stream);
void           pt_frame_writer_free         (PtFrameWriter       *writer);

/* The CSV header line (the field names); nothing for JSON lines. */
gboolean       pt_frame_writer_write_header (PtFrameWriter       *writer);

/* One line for @frame. @level is its level class (the caller knows the
 * clipping count: pt_level_classify ()). @file is the "file" field's value,
 * UTF-8 (g_filename_display_name () of a path), ignored unless that field
 * was asked for. A non-finite number is printed as null (JSON) or an empty
 * cell (CSV), never as "inf" or "nan". */
gboolean       pt_frame_writer_write_frame  (PtFrameWriter       *writer,
                                             const PtPitchFrame  *frame,
                                             PtLevelClass         level,
                                             const char          *file);

/* Writes out what is buffered. The writing functions return FALSE once a
 * write has failed (and keep failing: nothing more is written); this gives
 * the first error. Call it at the end, or after each frame when the lines
 * should appear as they come (a live stream). */
gboolean       pt_frame_writer_flush        (PtFrameWriter       *writer,
                                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtFrameWriter, pt_frame_writer_free)

G_END_DECLS
