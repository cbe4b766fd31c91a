/* pt-analysis-job.c — the per-input work of `--analyze`. Memory is one
 * block of samples, the analyser's window and the writer's buffer, however
 * long the input.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-analysis-job"

#include "config.h"

#include <glib/gi18n.h>

#include "pt-analysis-job.h"
#include "pt-level.h"

#define BLOCK_FRAMES 4096

/* The default highest frequency stays this far below half a low rate. */
#define DEFAULT_MAX_OF_NYQUIST 0.9

typedef struct
{
  PtFrameWriter *writer;
  const char    *file;
  guint64        n_frames;
  gboolean       writing;
} FrameSink;

PtPitchAnalyzer *
pt_analysis_job_prepare (const PtAnalysisSettings *settings,
                         PtAudioInput             *input,
                         GError                  **error)
{
  double rate = pt_audio_input_get_sample_rate (input);
  double max_frequency = settings->max_frequency;

  /* A default the user never gave must not refuse a file: at 4 kHz, the
   * range ends at 1800 Hz instead of 2200. */
  if (max_frequency == 0.0)
    max_frequency = MIN (PT_PITCH_ANALYZER_DEFAULT_MAX_FREQUENCY,
                         DEFAULT_MAX_OF_NYQUIST * rate / 2.0);
  if (!pt_pitch_analyzer_check_settings (rate, settings->window, settings->min_frequency,
                                         max_frequency, error))
    return NULL;
  return g_object_new (PT_TYPE_PITCH_ANALYZER,
                       "sample-rate", rate,
                       "window-size", settings->window,
                       "hop-size", settings->hop,
                       "min-frequency", settings->min_frequency,
                       "max-frequency", max_frequency,
                       "reference", settings->note.reference_hz,
                       "tuning", settings->note.tuning,
                       "tonic", settings->note.tonic,
                       NULL);
}

static void
on_frame (PtPitchAnalyzer    *analyzer,
          const PtPitchFrame *frame,
          FrameSink          *sink)
{
  /* A file has no worklet clamp count: clipping is judged by the peak. */
  PtLevelClass level = pt_level_classify (frame->rms_dbfs, frame->peak_dbfs, 0);

  sink->n_frames++;
  if (sink->writing)
    sink->writing = pt_frame_writer_write_frame (sink->writer, frame, level, sink->file);
}

/* Reads and analyses until the end, a failure or @cancel. */
static PtAnalysisOutcome
stream_input (PtPitchAnalyzer *analyzer,
              PtAudioInput    *input,
              FrameSink       *sink,
              gsize           *frames_done,
              const gint      *cancel,
              guint64         *n_read,
              GError         **error)
{
  g_autofree float *block = g_new (float, BLOCK_FRAMES);

  for (;;)
    {
      gssize n = pt_audio_input_read_mono (input, block, BLOCK_FRAMES, error);

      if (n < 0)
        return PT_ANALYSIS_INPUT_FAILED;
      if (n == 0)
        return PT_ANALYSIS_OK;
      pt_pitch_analyzer_push_samples (analyzer, block, n);
      *n_read += n;
      if (frames_done != NULL)
        g_atomic_pointer_add (frames_done, n);
      if (!sink->writing)
        return PT_ANALYSIS_OUTPUT_FAILED;
      if (cancel != NULL && g_atomic_int_get (cancel))
        return PT_ANALYSIS_CANCELLED;
    }
}

PtAnalysisOutcome
pt_analysis_job_run (PtPitchAnalyzer *analyzer,
                     PtAudioInput    *input,
                     PtFrameWriter   *writer,
                     const char      *file,
                     gsize           *frames_done,
                     const gint      *cancel,
                     GError         **error)
{
  FrameSink sink = { .writer = writer, .file = file, .writing = TRUE };
  g_autoptr(GError) input_error = NULL;
  PtAnalysisOutcome outcome;
  guint64 n_read = 0;
  gulong handler;

  g_return_val_if_fail (PT_IS_PITCH_ANALYZER (analyzer), PT_ANALYSIS_INPUT_FAILED);
  g_return_val_if_fail (input != NULL && writer != NULL, PT_ANALYSIS_INPUT_FAILED);

  handler = g_signal_connect (analyzer, "frame", G_CALLBACK (on_frame), &sink);
  outcome = stream_input (analyzer, input, &sink, frames_done, cancel, &n_read, &input_error);
  g_signal_handler_disconnect (analyzer, handler);

  /* What was written stays: whole lines, up to where the input failed. */
  if (!pt_frame_writer_flush (writer, error))
    return PT_ANALYSIS_OUTPUT_FAILED;
  if (outcome != PT_ANALYSIS_OK)
    {
      g_propagate_error (error, g_steal_pointer (&input_error));
      return outcome;
    }
  if (n_read == 0)
    {
      g_set_error_literal (error, PT_AUDIO_INPUT_ERROR, PT_AUDIO_INPUT_ERROR_NOT_AUDIO,
                           _("the input holds no audio samples"));
      return PT_ANALYSIS_INPUT_FAILED;
    }
  if (sink.n_frames == 0)
    {
      g_set_error (error, PT_AUDIO_INPUT_ERROR, PT_AUDIO_INPUT_ERROR_NOT_AUDIO,
                   _("too short: %llu samples give no analysis frame "
                     "(the first needs %u)"), (unsigned long long) n_read,
                   pt_pitch_analyzer_get_window_size (analyzer) / 2);
      return PT_ANALYSIS_INPUT_FAILED;
    }
  return PT_ANALYSIS_OK;
}
