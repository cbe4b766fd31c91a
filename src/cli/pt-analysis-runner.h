/* pt-analysis-runner.h — `--analyze` over many inputs: a job per input on
 * up to --jobs threads, their frames on standard output in input order (or
 * one file each under --output-dir), their failures reported in the same
 * order, a progress line while it runs. The bytes written do not depend on
 * the number of threads.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pt-analysis-job.h"
#include "pt-frame-writer.h"

G_BEGIN_DECLS

/* Exit statuses; a worse one wins: 3 over 2 over 1. */
#define PT_ANALYZE_EXIT_OK     0
#define PT_ANALYZE_EXIT_USAGE  1   /* bad command line, or options a file's rate refuses */
#define PT_ANALYZE_EXIT_INPUT  2   /* an input could not be analysed */
#define PT_ANALYZE_EXIT_OUTPUT 3   /* the output could not be written */

typedef struct
{
  PtAnalysisSettings  settings;
  PtFrameFormat       format;
  PtFrameField        fields[PT_FRAME_MAX_FIELDS];
  guint               n_fields;
  const char         *output_dir;   /* NULL: standard output */
  gboolean            force;        /* overwrite existing files in output_dir */
  guint               jobs;         /* threads, at least 1 */
  gboolean            progress;     /* draw the progress line on standard error */
} PtAnalysisRun;

/* Analyses @inputs (a GPtrArray of PtInput) and returns the exit status. */
int pt_analysis_runner_run (const PtAnalysisRun *run,
                            GPtrArray           *inputs);

G_END_DECLS
