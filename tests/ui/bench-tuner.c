/* bench-tuner.c — what the tuner window costs: the process's CPU time as a
 * share of one core, and frames painted per second, with a vibrato tone fed
 * live (paced by the wall clock) at batch 128 and 1024, in stage mode (no
 * graph, no level), and with silence once everything has settled. The
 * analysers run in the same process, as they do in the app; the X server's
 * own work is not counted. Renders with cairo unless GSK_RENDERER is set.
 * Prints figures, never fails on them.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pt-pitch-graph.h"
#include "pt-test-util.h"
#include "pt-ui-test-util.h"
#include "pt-window.h"

#define SECONDS 8.0

static void
measure (const char         *what,
         PtWindow           *window,
         PtUiTestSource     *source,
         const PtUiTestTone *tone,
         guint               batch)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  guint paints = 0;
  gulong handler = g_signal_connect (clock, "paint", G_CALLBACK (pt_ui_test_count_paint), &paints);
  double cpu = pt_ui_test_cpu_seconds ();
  gint64 start = g_get_monotonic_time ();
  double wall;

  pt_ui_test_source_run_paced (source, tone, batch, SECONDS);
  wall = (g_get_monotonic_time () - start) / 1e6;
  cpu = pt_ui_test_cpu_seconds () - cpu;
  g_signal_handler_disconnect (clock, handler);
  g_print ("%-28s %5.1f %% of a core, %5.1f frames painted a second\n",
           what, 100.0 * cpu / wall, paints / wall);
}

static gboolean
is_dimmed (gpointer window)
{
  return pt_tuner_model_get_dimmed (pt_window_get_tuner_model (window));
}

int
main (int   argc,
      char *argv[])
{
  PtApplication *app;
  g_autoptr(PtPitchAnalyzer) analyzer = NULL;
  g_autoptr(PtVolumeDetector) detector = NULL;
  g_autoptr(PtPitchHistory) history = NULL;
  g_autoptr(PtHub) hub = pt_hub_new ();
  PtUiTestSource source;
  PtWindow *window;
  const PtUiTestTone vibrato = { 440.0, 0.4, 30.0 };
  const PtUiTestTone silence = { 440.0, 0.0, 0.0 };

  /* GL under Xvfb is llvmpipe: every frame rasterised on the CPU. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_test_init (&argc, &argv, NULL);
  app = pt_ui_test_app_new ();
  analyzer = pt_pitch_analyzer_new (PT_UI_TEST_RATE);
  detector = pt_volume_detector_new ();
  history = pt_pitch_history_new (PT_PITCH_HISTORY_DEFAULT_CAPACITY);
  pt_pitch_history_set_analyzer (history, analyzer);
  pt_hub_add_channel (hub, "volume", PT_ANALYZER (detector), PT_HUB_CHANNEL_CLAIMED);
  pt_hub_add_channel (hub, "pitch", PT_ANALYZER (analyzer), PT_HUB_CHANNEL_CLAIMED);
  source = (PtUiTestSource) { hub, 0, 0.0 };

  window = pt_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 720);
  g_object_set (window, "pitch-analyzer", analyzer, "volume-detector", detector,
                "pitch-history", history, "hub", hub, NULL);
  pt_ui_test_show_window (window);
  g_print ("renderer: %s, window 800×720, %.0f s each\n",
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))), SECONDS);

  measure ("vibrato, batch 128", window, &source, &vibrato, 128);
  measure ("vibrato, batch 1024", window, &source, &vibrato, 1024);
  pt_window_set_stage_mode (window, TRUE);
  measure ("stage mode, batch 1024", window, &source, &vibrato, 1024);
  pt_window_set_stage_mode (window, FALSE);
  pt_ui_test_source_feed (&source, &silence, PT_PITCH_GRAPH_SPAN_S + 1.0);
  pt_test_assert_eventually (NULL, is_dimmed, window, PT_TEST_TIMEOUT_SERVER_S);
  measure ("silence, settled, batch 1024", window, &source, &silence, 1024);

  pt_ui_test_destroy_window (window);
  pt_ui_test_app_free (app);
  return 0;
}
