/* pt-analysis-runner.c — many inputs on every core, one output in order.
 *
 * Each input is a task in a GThreadPool of --jobs threads, taken in input
 * order. With one thread, its task writes straight to standard output.
 * With more, each writes to an unlinked temporary file and the main thread
 * copies finished ones to standard output in input order, so memory holds
 * one block and one writer buffer per thread, however long the inputs, and
 * the bytes are those of --jobs 1. The main thread alone writes to standard
 * error: the failures in input order, and the progress line between them.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-analysis-runner"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pt-analysis-runner.h"
#include "pt-audio-input.h"
#include "pt-input-list.h"
#include "pt-progress.h"

#define PROGRESS_INTERVAL_US (250 * G_TIME_SPAN_MILLISECOND)

typedef struct
{
  const PtInput *input;
  gsize          frames_done;   /* atomic */
  /* Set by the worker, read by the main thread, under the runner's lock. */
  double         sample_rate;
  gboolean       done;
  int            status;
  char          *message;       /* for standard error, or NULL */
  int            spill_fd;      /* the output to copy, or -1 */
} Task;

typedef struct
{
  const PtAnalysisRun *run;
  PtFrameField         fields[PT_FRAME_MAX_FIELDS];
  guint                n_fields;
  Task                *tasks;
  guint                n_tasks;
  GOutputStream       *stdout_stream;
  gboolean             direct;    /* the one worker writes to standard output */
  /* The CSV header of standard output, not written yet: it goes with the
   * first input that has lines, so a bad input alone prints nothing. Only
   * the one writer of standard output (see direct) touches it. */
  gboolean             header_pending;
  gint                 cancel;    /* atomic: standard output failed */
  GMutex               lock;
  GCond                done_cond;
  gint64               start_us;
} Runner;

static int
worse_status (int a,
              int b)
{
  return MAX (a, b);
}

/* The fields asked for, with "file" first when several inputs share one
 * stream and it was not asked for. */
static void
choose_fields (Runner *runner)
{
  const PtAnalysisRun *run = runner->run;
  gboolean has_file = FALSE;

  for (guint i = 0; i < run->n_fields; i++)
    has_file |= run->fields[i] == PT_FRAME_FIELD_FILE;
  runner->n_fields = 0;
  if (!has_file && run->output_dir == NULL && runner->n_tasks > 1)
    runner->fields[runner->n_fields++] = PT_FRAME_FIELD_FILE;
  memcpy (runner->fields + runner->n_fields, run->fields, run->n_fields * sizeof *run->fields);
  runner->n_fields += run->n_fields;
}

static GOutputStream *
open_output_file (Runner      *runner,
                  Task        *task,
                  GError     **error)
{
  const char *extension = runner->run->format == PT_FRAME_FORMAT_CSV ? ".csv" : ".jsonl";
  g_autofree char *name = g_strconcat (task->input->relative_path, extension, NULL);
  g_autofree char *path = g_build_filename (runner->run->output_dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) local_error = NULL;
  GFileOutputStream *stream;

  if (g_mkdir_with_parents (parent, 0777) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", parent,
                   g_strerror (errno));
      return NULL;
    }
  if (runner->run->force)
    stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                             &local_error);
  else
    stream = g_file_create (file, G_FILE_CREATE_NONE, NULL, &local_error);
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                 _("%s exists already (--force overwrites it)"), path);
  else if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return G_OUTPUT_STREAM (stream);
}

/* An unlinked temporary file, kept open for the main thread to copy. */
static GOutputStream *
open_spill_file (Task    *task,
                 GError **error)
{
  g_autofree char *name = NULL;
  int fd = g_file_open_tmp ("pitch-toy-XXXXXX", &name, error);

  if (fd < 0)
    return NULL;
  g_unlink (name);
  task->spill_fd = fd;
  return g_unix_output_stream_new (fd, FALSE);
}

static GOutputStream *
open_output (Runner  *runner,
             Task    *task,
             GError **error)
{
  if (runner->run->output_dir != NULL)
    return open_output_file (runner, task, error);
  if (runner->direct)
    return g_object_ref (runner->stdout_stream);
  return open_spill_file (task, error);
}

static int
status_of (PtAnalysisOutcome outcome)
{
  switch (outcome)
    {
    case PT_ANALYSIS_OK:
    case PT_ANALYSIS_CANCELLED:
      return PT_ANALYZE_EXIT_OK;
    case PT_ANALYSIS_SETTINGS_REFUSED:
      return PT_ANALYZE_EXIT_USAGE;
    case PT_ANALYSIS_INPUT_FAILED:
      return PT_ANALYZE_EXIT_INPUT;
    case PT_ANALYSIS_OUTPUT_FAILED:
    default:
      return PT_ANALYZE_EXIT_OUTPUT;
    }
}

static char *
describe_failure (PtAnalysisOutcome  outcome,
                  const PtInput     *input,
                  const char        *reason)
{
  switch (outcome)
    {
    case PT_ANALYSIS_SETTINGS_REFUSED:
      return g_strdup_printf (_("pitch-toy: %s: cannot be analysed with these options: %s"),
                              input->display_name, reason);
    case PT_ANALYSIS_OUTPUT_FAILED:
      return g_strdup_printf (_("pitch-toy: %s: writing the output failed: %s"),
                              input->display_name, reason);
    case PT_ANALYSIS_INPUT_FAILED:
    case PT_ANALYSIS_OK:
    case PT_ANALYSIS_CANCELLED:
    default:
      return g_strdup_printf ("pitch-toy: %s: %s", input->display_name, reason);
    }
}

/* Whether the worker writing straight to standard output is to write the
 * CSV header now. */
static gboolean
take_pending_header (Runner *runner)
{
  if (!runner->direct || !runner->header_pending)
    return FALSE;
  runner->header_pending = FALSE;
  return TRUE;
}

/* Opens, checks and analyses one input into its output. */
static PtAnalysisOutcome
analyse_input (Runner  *runner,
               Task    *task,
               GError **error)
{
  g_autoptr(PtAudioInput) audio = NULL;
  g_autoptr(PtPitchAnalyzer) analyzer = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(PtFrameWriter) writer = NULL;
  PtAnalysisOutcome outcome;

  if (task->input->failure != NULL)
    {
      g_set_error_literal (error, PT_AUDIO_INPUT_ERROR, PT_AUDIO_INPUT_ERROR_OPEN,
                           task->input->failure);
      return PT_ANALYSIS_INPUT_FAILED;
    }
  if ((audio = pt_audio_input_open (task->input->path, error)) == NULL)
    return PT_ANALYSIS_INPUT_FAILED;
  if ((analyzer = pt_analysis_job_prepare (&runner->run->settings, audio, error)) == NULL)
    return PT_ANALYSIS_SETTINGS_REFUSED;
  g_mutex_lock (&runner->lock);
  task->sample_rate = pt_audio_input_get_sample_rate (audio);
  g_mutex_unlock (&runner->lock);

  if ((stream = open_output (runner, task, error)) == NULL)
    return PT_ANALYSIS_OUTPUT_FAILED;
  writer = pt_frame_writer_new (runner->run->format, runner->fields, runner->n_fields, stream);
  if (runner->run->output_dir != NULL || take_pending_header (runner))
    pt_frame_writer_write_header (writer);
  outcome = pt_analysis_job_run (analyzer, audio, writer, task->input->display_name,
                                 &task->frames_done, &runner->cancel, error);
  if (runner->run->output_dir != NULL && outcome != PT_ANALYSIS_OUTPUT_FAILED)
    {
      g_autoptr(GError) close_error = NULL;

      /* A file that cannot be completed is the worse failure (3 over 2). */
      if (!g_output_stream_close (stream, NULL, &close_error))
        {
          g_clear_error (error);
          g_propagate_error (error, g_steal_pointer (&close_error));
          return PT_ANALYSIS_OUTPUT_FAILED;
        }
    }
  return outcome;
}

static void
run_task (gpointer data,
          gpointer user_data)
{
  Task *task = data;
  Runner *runner = user_data;
  g_autoptr(GError) error = NULL;
  PtAnalysisOutcome outcome = PT_ANALYSIS_CANCELLED;
  char *message = NULL;

  if (!g_atomic_int_get (&runner->cancel))
    outcome = analyse_input (runner, task, &error);
  if (error != NULL)
    message = describe_failure (outcome, task->input, error->message);
  /* Standard output is gone: the other tasks have nowhere to go. */
  if (outcome == PT_ANALYSIS_OUTPUT_FAILED && runner->run->output_dir == NULL)
    g_atomic_int_set (&runner->cancel, TRUE);

  g_mutex_lock (&runner->lock);
  task->status = status_of (outcome);
  task->message = message;
  task->done = TRUE;
  g_cond_broadcast (&runner->done_cond);
  g_mutex_unlock (&runner->lock);
}

/* The progress line, drawn over the last one. */
static void
draw_progress (Runner *runner,
               guint   files_done)
{
  PtProgressState state = { .files_done = files_done, .n_files = runner->n_tasks };
  g_autofree char *line = NULL;

  g_mutex_lock (&runner->lock);
  for (guint i = 0; i < runner->n_tasks; i++)
    {
      Task *task = &runner->tasks[i];

      state.seconds_total += task->input->seconds;
      if (task->sample_rate > 0.0)
        state.seconds_done += g_atomic_pointer_get (&task->frames_done) / task->sample_rate;
    }
  g_mutex_unlock (&runner->lock);
  state.elapsed_s = (g_get_monotonic_time () - runner->start_us) / (double) G_USEC_PER_SEC;
  line = pt_progress_format (&state);
  g_printerr ("\r\033[K%s", line);
}

static void
clear_progress (Runner *runner)
{
  if (runner->run->progress)
    g_printerr ("\r\033[K");
}

/* Waits for @task, drawing the progress line meanwhile. */
static void
wait_for (Runner *runner,
          Task   *task,
          guint   files_done)
{
  g_mutex_lock (&runner->lock);
  while (!task->done)
    {
      if (runner->run->progress)
        {
          g_mutex_unlock (&runner->lock);
          draw_progress (runner, files_done);
          g_mutex_lock (&runner->lock);
        }
      if (!task->done)
        g_cond_wait_until (&runner->done_cond, &runner->lock,
                           g_get_monotonic_time () + PROGRESS_INTERVAL_US);
    }
  g_mutex_unlock (&runner->lock);
}

/* The CSV header, once, at the top of standard output, from the main
 * thread, before the first input copied there. */
static gboolean
write_pending_header (Runner  *runner,
                      GError **error)
{
  g_autoptr(PtFrameWriter) writer = NULL;

  if (!runner->header_pending)
    return TRUE;
  runner->header_pending = FALSE;
  writer = pt_frame_writer_new (runner->run->format, runner->fields, runner->n_fields,
                                runner->stdout_stream);
  pt_frame_writer_write_header (writer);
  return pt_frame_writer_flush (writer, error);
}

/* Copies a finished task's temporary file to standard output. */
static gboolean
copy_spilled (Runner  *runner,
              Task    *task,
              GError **error)
{
  g_autoptr(GInputStream) in = g_unix_input_stream_new (task->spill_fd, TRUE);

  task->spill_fd = -1;
  if (g_atomic_int_get (&runner->cancel))
    return TRUE;
  if (lseek (g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (in)), 0, SEEK_SET) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
      return FALSE;
    }
  return g_output_stream_splice (runner->stdout_stream, in,
                                 G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE, NULL, error) >= 0
         && g_output_stream_flush (runner->stdout_stream, NULL, error);
}

/* Takes the tasks' results in input order; returns the exit status. */
static int
collect (Runner *runner)
{
  int status = PT_ANALYZE_EXIT_OK;

  if (runner->run->progress)
    draw_progress (runner, 0);
  for (guint i = 0; i < runner->n_tasks; i++)
    {
      Task *task = &runner->tasks[i];
      g_autoptr(GError) error = NULL;

      wait_for (runner, task, i);
      if (task->spill_fd >= 0
          && (!write_pending_header (runner, &error) || !copy_spilled (runner, task, &error)))
        {
          g_atomic_int_set (&runner->cancel, TRUE);
          task->status = PT_ANALYZE_EXIT_OUTPUT;
          g_free (task->message);
          task->message = g_strdup_printf (_("pitch-toy: writing the output failed: %s"),
                                           error->message);
        }
      if (task->message != NULL)
        {
          clear_progress (runner);
          g_printerr ("%s\n", task->message);
        }
      status = worse_status (status, task->status);
    }
  clear_progress (runner);
  return status;
}

int
pt_analysis_runner_run (const PtAnalysisRun *run,
                        GPtrArray           *inputs)
{
  g_autoptr(GOutputStream) stdout_stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  g_autofree Task *tasks = g_new0 (Task, inputs->len);
  Runner runner = {
    .run = run, .tasks = tasks, .n_tasks = inputs->len, .stdout_stream = stdout_stream,
    .start_us = g_get_monotonic_time (),
  };
  guint n_threads = CLAMP (run->jobs, 1, MAX (inputs->len, 1));
  GThreadPool *pool;
  int status;

  g_return_val_if_fail (run->jobs >= 1, PT_ANALYZE_EXIT_USAGE);

  choose_fields (&runner);
  runner.direct = n_threads == 1;
  runner.header_pending = run->output_dir == NULL && run->format == PT_FRAME_FORMAT_CSV;

  for (guint i = 0; i < inputs->len; i++)
    {
      tasks[i].input = inputs->pdata[i];
      tasks[i].spill_fd = -1;
    }
  g_mutex_init (&runner.lock);
  g_cond_init (&runner.done_cond);
  pool = g_thread_pool_new (run_task, &runner, n_threads, TRUE, NULL);
  for (guint i = 0; i < inputs->len; i++)
    g_thread_pool_push (pool, &tasks[i], NULL);
  status = collect (&runner);
  g_thread_pool_free (pool, FALSE, TRUE);

  for (guint i = 0; i < inputs->len; i++)
    g_free (tasks[i].message);
  g_cond_clear (&runner.done_cond);
  g_mutex_clear (&runner.lock);
  return status;
}
