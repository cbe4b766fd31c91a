/* bench-yin.c — what one analysis frame costs, and how soon a note shows.
 *
 * Prints the cost of pt_yin_process () in microseconds per frame at window
 * 2048 / hop 256 and at the default window, then the algorithmic latency of
 * PtPitchAnalyzer at its default settings: from a tone's first sample to
 * the newest sample of the first frame that reports its note (raw and
 * steadied), for notes from E2 to C6. Figures only, never pass/fail.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "pt-pitch-analyzer.h"
#include "pt-test-util.h"
#include "pt-yin.h"

static void
bench_frame_cost (guint  window,
                  double rate)
{
  const guint hop = 256, n_frames = 20000;
  const gsize n = window + 200 * hop;
  g_autoptr(PtYin) yin = pt_yin_new (window, rate, 40.0, 2200.0);
  g_autofree float *samples = g_new (float, n);
  PtYinResult result;
  gint64 start, elapsed;
  double sink = 0.0;

  pt_test_fill_harmonic (samples, n, rate, 196.0, 0.3);
  for (guint k = 0; k < 200; k++)   /* warm up */
    pt_yin_process (yin, samples + k * hop, 0.0, &result);

  start = g_get_monotonic_time ();
  for (guint k = 0; k < n_frames; k++)
    {
      pt_yin_process (yin, samples + (k % 200) * hop, 0.0, &result);
      sink += result.frequency;
    }
  elapsed = g_get_monotonic_time () - start;

  printf ("yin frame cost: window %u at %.0f Hz (range %.1f-%.0f Hz): %.2f us per frame "
          "(%.0f x real time at hop %u)\n",
          window, rate, pt_yin_get_min_frequency (yin), pt_yin_get_max_frequency (yin),
          (double) elapsed / n_frames, hop / rate * 1e6 / ((double) elapsed / n_frames),
          hop);
  if (!(sink > 0.0))
    printf ("  (no pitch found: the figure above is not representative)\n");
}

typedef struct
{
  int     midi;
  gint64  onset;
  gint64  raw_latency;
  gint64  stable_latency;
  guint   window;
} LatencyProbe;

static void
on_frame (PtPitchAnalyzer    *analyzer,
          const PtPitchFrame *frame,
          LatencyProbe       *probe)
{
  gint64 newest = (gint64) frame->frame_index + probe->window / 2;
  const PtNote *stable = pt_pitch_analyzer_get_stable_note (analyzer);

  if (newest < probe->onset)
    return;
  if (probe->raw_latency < 0 && frame->voiced && frame->note.nearest_midi == probe->midi)
    probe->raw_latency = newest - probe->onset;
  if (probe->stable_latency < 0 && stable != NULL && stable->nearest_midi == probe->midi)
    probe->stable_latency = newest - probe->onset;
}

static void
bench_latency (double rate)
{
  const gsize silence = (gsize) rate / 4, tone = (gsize) rate / 2;
  g_autofree float *samples = g_new0 (float, silence + tone);
  double worst_raw = 0.0, worst_stable = 0.0;

  printf ("latency at %.0f Hz, default settings (tone onset on the 1st sample of the "
          "analyser's hop grid + 100):\n", rate);
  for (int midi = 40; midi <= 84; midi += 4)   /* E2 … C6 */
    {
      g_autoptr(PtPitchAnalyzer) analyzer = pt_pitch_analyzer_new (rate);
      LatencyProbe probe = { midi, (gint64) silence + 100, -1, -1, 0 };
      double frequency = 440.0 * exp2 ((midi - 69) / 12.0);
      PtNote note;
      PtNoteSettings settings;

      pt_note_settings_init_default (&settings);
      pt_note_from_frequency (frequency, &settings, &note);
      probe.window = pt_pitch_analyzer_get_window_size (analyzer);
      for (gsize i = 0; i < silence + tone; i++)
        samples[i] = 0.0f;
      pt_test_fill_harmonic (samples + probe.onset, silence + tone - probe.onset, rate, frequency,
                             0.3);
      g_signal_connect (analyzer, "frame", G_CALLBACK (on_frame), &probe);
      for (gsize pos = 0; pos < silence + tone; pos += 128)
        pt_pitch_analyzer_push_samples (analyzer, samples + pos, MIN (128, silence + tone - pos));

      printf ("  %-4s %7.1f Hz: raw %5.1f ms, steadied %5.1f ms\n", note.name, frequency,
              probe.raw_latency * 1000.0 / rate, probe.stable_latency * 1000.0 / rate);
      worst_raw = MAX (worst_raw, probe.raw_latency * 1000.0 / rate);
      worst_stable = MAX (worst_stable, probe.stable_latency * 1000.0 / rate);
    }
  printf ("  worst: raw %.1f ms, steadied %.1f ms (window %u samples = %.1f ms)\n",
          worst_raw, worst_stable, pt_yin_window_for_range (rate, 40.0),
          pt_yin_window_for_range (rate, 40.0) * 1000.0 / rate);
}

int
main (int   argc,
      char *argv[])
{
  bench_frame_cost (2048, 44100.0);
  bench_frame_cost (2048, 48000.0);
  bench_frame_cost (pt_yin_window_for_range (48000.0, 40.0), 48000.0);
  bench_frame_cost (pt_yin_window_for_range (96000.0, 40.0), 96000.0);
  bench_latency (48000.0);
  bench_latency (44100.0);
  return 0;
}
