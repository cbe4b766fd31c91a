/* bench-app-live.c — the application end to end, on the harness's private
 * PipeWire server and Xvfb display. Latency: the engine's own test signal
 * is switched on; from the wall time of its first frame (found in the
 * batches) to the tuner model's first correct note, and to the frame clock's
 * paint that shows it, at batch 128 and 1024, for 82, 110 and 440 Hz,
 * against the target (at batch 128: two periods of the range's lowest note
 * plus 10 ms, painted on the next frame). Then the process's CPU share of
 * one core with the window shown, silent and with a tone. Renders with
 * cairo unless GSK_RENDERER is set. Prints figures, never fails on them.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "pt-note-view.h"
#include "pt-stats.h"
#include "pt-test-util.h"
#include "pt-ui-test-util.h"
#include "pt-window.h"

#define N_TRIALS   15
#define CPU_SECONDS 8.0
#define SILENCE_S  0.25   /* of silent batches between trials: a clean window */

typedef struct
{
  PtSettings   *settings;
  PtEngine     *engine;
  PtWindow     *window;
  PtTunerModel *model;
  /* One trial */
  int           midi;
  gboolean      armed;         /* the tone is on */
  double        onset_ms;      /* wall time its first frame was captured; 0 until seen */
  guint         quantum;       /* the device's block then */
  int           first_midi;    /* the first note the model showed; -1 before */
  double        note_ms;       /* the model's first correct note */
  gint64        note_frame;    /* the frame clock's counter then */
  double        paint_ms;      /* the paint that shows it */
  gint64        paint_frame;
  char         *note_text;
  guint64       silent_frames; /* since the tone was switched off */
} Bench;

static gboolean
samples_silent (const float *samples,
                guint        n,
                guint       *first_sound)
{
  for (guint i = 0; i < n; i++)
    if (samples[i] != 0.0f)
      {
        *first_sound = i;
        return FALSE;
      }
  return TRUE;
}

static void
on_batch (PtEngine   *engine,
          PtEnvelope *envelope,
          Bench      *b)
{
  const PtAudioDataBatch *batch = &envelope->payload.batch;
  guint first = 0;

  if (samples_silent (batch->samples, batch->sample_count, &first))
    b->silent_frames += batch->sample_count;
  else if (b->armed && b->onset_ms == 0.0)
    {
      g_autoptr(PtEngineMetrics) metrics = pt_engine_get_metrics (engine);

      /* The batch's time is its first block's process call; a frame was
       * captured a block's length before its own block was processed. */
      b->onset_ms = batch->first_frame_time_ms
                    + 1000.0 * ((double) first - metrics->quantum) / batch->sample_rate;
      b->quantum = metrics->quantum;
    }
}

static gint64
frame_counter (Bench *b)
{
  return gdk_frame_clock_get_frame_counter (gtk_widget_get_frame_clock (GTK_WIDGET (b->window)));
}

static void
on_note (PtTunerModel *model,
         GParamSpec   *pspec,
         Bench        *b)
{
  const PtNote *note = pt_tuner_model_get_note (model);

  if (b->onset_ms == 0.0 || note == NULL || pt_tuner_model_get_dimmed (model))
    return;
  if (b->first_midi < 0)
    b->first_midi = note->nearest_midi;
  if (b->note_ms != 0.0 || note->nearest_midi != b->midi)
    return;
  b->note_ms = g_get_monotonic_time () / 1000.0;
  b->note_frame = frame_counter (b);
  b->note_text = pt_note_dup_display_name (note);
}

static void
on_after_paint (GdkFrameClock *clock,
                Bench         *b)
{
  PtNoteView *view = PT_NOTE_VIEW (pt_ui_test_template_child (b->window, PT_TYPE_WINDOW,
                                                              "note_view"));

  if (b->note_ms == 0.0 || b->paint_ms != 0.0
      || !g_str_equal (pt_note_view_get_note_text (view), b->note_text))
    return;
  b->paint_ms = g_get_monotonic_time () / 1000.0;
  b->paint_frame = gdk_frame_clock_get_frame_counter (clock);
}

static void
set_test_signal (Bench  *b,
                 double  frequency)
{
  PtTestSignalConfig config = { frequency > 0.0, PT_WAVEFORM_SINE,
                                frequency > 0.0 ? frequency : 440.0, 0.5 };

  pt_engine_configure_test_signal (b->engine, &config);
}

static gboolean
silence_settled (gpointer user_data)
{
  Bench *b = user_data;

  return b->silent_frames >= SILENCE_S * pt_engine_get_sample_rate (b->engine)
         && (pt_tuner_model_get_note (b->model) == NULL || pt_tuner_model_get_dimmed (b->model));
}

static gboolean
painted (gpointer user_data)
{
  return ((Bench *) user_data)->paint_ms != 0.0;
}

/* One onset of @frequency after silence: the milliseconds to the note and
 * to its paint, how many frames after the note's came that paint, and
 * whether another note showed first (the right one then has to hold). */
static void
run_trial (Bench    *b,
           double    frequency,
           double   *to_note,
           double   *to_paint,
           int      *frames_after,
           gboolean *wrong_first)
{
  set_test_signal (b, 0.0);
  b->armed = FALSE;
  b->silent_frames = 0;
  pt_test_assert_eventually (NULL, silence_settled, b, PT_TEST_TIMEOUT_SERVER_S);

  b->midi = (int) lround (69 + 12 * log2 (frequency / 440.0));
  b->onset_ms = b->note_ms = b->paint_ms = 0.0;
  b->first_midi = -1;
  g_clear_pointer (&b->note_text, g_free);
  b->armed = TRUE;
  set_test_signal (b, frequency);
  pt_test_assert_eventually (NULL, painted, b, PT_TEST_TIMEOUT_SERVER_S);
  *to_note = b->note_ms - b->onset_ms;
  *to_paint = b->paint_ms - b->onset_ms;
  *frames_after = (int) (b->paint_frame - b->note_frame);
  *wrong_first = b->first_midi != b->midi;
}

static gboolean
has_batch_size (gpointer user_data)
{
  Bench *b = user_data;
  int size;

  g_object_get (b->settings, "batch-size", &size, NULL);
  return pt_engine_get_batch_size (b->engine) == (guint) size;
}

static void
measure_latency (Bench  *b,
                 guint   batch,
                 double  frequency,
                 double  target_ms)
{
  double to_note[N_TRIALS], to_paint[N_TRIALS];
  guint next_frame = 0, wrong_first = 0;

  for (guint i = 0; i < N_TRIALS; i++)
    {
      int frames;
      gboolean wrong;

      run_trial (b, frequency, &to_note[i], &to_paint[i], &frames, &wrong);
      next_frame += frames == 1;
      wrong_first += wrong;
    }
  g_print ("batch %4u (block %4u), %6.2f Hz: to the note p50 %5.1f ms max %5.1f; "
           "painted p50 %5.1f ms max %5.1f; on the next frame %2u/%u; another note first %2u/%u",
           batch, b->quantum, frequency, pt_quantile (to_note, N_TRIALS, 0.5),
           pt_quantile (to_note, N_TRIALS, 1.0), pt_quantile (to_paint, N_TRIALS, 0.5),
           pt_quantile (to_paint, N_TRIALS, 1.0), next_frame, N_TRIALS, wrong_first, N_TRIALS);
  if (target_ms > 0.0)
    g_print ("  (target %.1f ms: p50 %s, max %s)", target_ms,
             pt_quantile (to_note, N_TRIALS, 0.5) <= target_ms ? "met" : "missed",
             pt_quantile (to_note, N_TRIALS, 1.0) <= target_ms ? "met" : "missed");
  g_print ("\n");
}

static gboolean
stop_loop (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* CPU_SECONDS of the main loop, wall time: what the whole process costs. */
static void
measure_cpu (Bench      *b,
             const char *what)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (b->window));
  guint paints = 0;
  gulong handler = g_signal_connect (clock, "paint", G_CALLBACK (pt_ui_test_count_paint), &paints);
  gboolean done = FALSE;
  double cpu = pt_ui_test_cpu_seconds ();
  gint64 start = g_get_monotonic_time ();
  double wall;

  g_timeout_add ((guint) (CPU_SECONDS * 1000), stop_loop, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  wall = (g_get_monotonic_time () - start) / 1e6;
  cpu = pt_ui_test_cpu_seconds () - cpu;
  g_signal_handler_disconnect (clock, handler);
  g_print ("%-34s %5.1f %% of a core, %5.1f frames painted a second\n",
           what, 100.0 * cpu / wall, paints / wall);
}

int
main (int   argc,
      char *argv[])
{
  static const double frequencies[] = { 82.41, 110.0, 440.0 };
  static const guint batches[] = { 128, 1024 };
  PtApplication *app;
  Bench b = { 0 };
  double lowest;
  int width, height;
  gulong paint_handler;

  /* GL under Xvfb is llvmpipe: every frame rasterised on the CPU. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_test_init (&argc, &argv, NULL);
  app = pt_ui_test_app_new ();
  b.settings = pt_application_get_settings (app);
  g_object_set (b.settings, "adaptive-batching", FALSE, NULL);
  b.window = PT_WINDOW (pt_ui_test_activate_window (app));
  b.engine = pt_application_get_engine (app);
  b.model = pt_window_get_tuner_model (b.window);
  g_signal_connect (b.engine, "batch", G_CALLBACK (on_batch), &b);
  g_signal_connect (b.model, "notify::note", G_CALLBACK (on_note), &b);
  paint_handler = g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (b.window)),
                                    "after-paint", G_CALLBACK (on_after_paint), &b);
  g_object_get (b.settings, "range-min-frequency", &lowest, NULL);
  gtk_window_get_default_size (GTK_WINDOW (b.window), &width, &height);
  g_print ("renderer %s (GSK_RENDERER=%s), window %d×%d, range from %.0f Hz, %u onsets each\n",
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (b.window))),
           g_getenv ("GSK_RENDERER"), width, height, lowest, N_TRIALS);

  /* First, while the history is empty: silence then paints nothing. */
  g_object_set (b.settings, "batch-size", 128, NULL);
  pt_test_assert_eventually (NULL, has_batch_size, &b, PT_TEST_TIMEOUT_SERVER_S);
  pt_test_assert_eventually (NULL, silence_settled, &b, PT_TEST_TIMEOUT_SERVER_S);
  measure_cpu (&b, "window shown, silent, batch 128");
  set_test_signal (&b, 440.0);
  measure_cpu (&b, "window shown, 440 Hz, batch 128");

  for (guint i = 0; i < G_N_ELEMENTS (batches); i++)
    {
      g_object_set (b.settings, "batch-size", (int) batches[i], NULL);
      pt_test_assert_eventually (NULL, has_batch_size, &b, PT_TEST_TIMEOUT_SERVER_S);
      for (guint j = 0; j < G_N_ELEMENTS (frequencies); j++)
        measure_latency (&b, batches[i], frequencies[j],
                         batches[i] == 128 ? 2000.0 / lowest + 10.0 : 0.0);
    }
  g_signal_handler_disconnect (gtk_widget_get_frame_clock (GTK_WIDGET (b.window)), paint_handler);

  g_free (b.note_text);
  pt_ui_test_destroy_window (b.window);
  pt_ui_test_app_free (app);
  return 0;
}
