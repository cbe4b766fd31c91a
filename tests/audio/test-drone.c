/* test-drone.c — the drone: its frequency is the one asked to far within
 * 0.1 cent, it fades in and out without a sample step larger than the
 * steady tone's own, off it adds exactly nothing, and the organ tone stays
 * within its volume.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "pt-drone.h"
#include "pt-test-util.h"

#define SAMPLE_RATE 48000.0
#define C4_HZ       261.6255653005986
#define QUANTUM     128

static void
run (PtDrone *drone,
     float   *out,
     guint    n_frames)
{
  for (guint done = 0; done < n_frames; done += QUANTUM)
    pt_drone_add (drone, out + done, MIN (QUANTUM, n_frames - done));
}

static double
max_step (const float *samples,
          guint        from,
          guint        to)
{
  double step = 0.0;

  for (guint i = from + 1; i < to; i++)
    step = MAX (step, fabs ((double) samples[i] - samples[i - 1]));
  return step;
}

static void
test_frequency (void)
{
  guint n = (guint) SAMPLE_RATE * 2;
  g_autofree float *out = g_new0 (float, n);
  PtDrone drone;
  double frequency, cents;

  pt_drone_init (&drone, SAMPLE_RATE);
  pt_drone_set_frequency (&drone, C4_HZ);
  pt_drone_set_enabled (&drone, TRUE);
  run (&drone, out, n);
  frequency = pt_test_measure_frequency (out + n / 2, n / 2, SAMPLE_RATE);
  cents = 1200.0 * log2 (frequency / C4_HZ);
  g_test_message ("%.4f Hz, %.4f cents", frequency, cents);
  g_assert_cmpfloat (fabs (cents), <, 0.01);
}

static void
test_fades_without_click (gconstpointer data)
{
  PtDroneWaveform waveform = GPOINTER_TO_INT (data);
  guint fade = (guint) (PT_DRONE_FADE_MS * SAMPLE_RATE / 1000.0);
  guint n = 8 * fade;
  g_autofree float *out = g_new0 (float, n);
  double steady, fade_in, fade_out;
  PtDrone drone;

  pt_drone_init (&drone, SAMPLE_RATE);
  pt_drone_set_waveform (&drone, waveform);
  pt_drone_set_volume (&drone, 0.8);
  g_assert_true (pt_drone_is_silent (&drone));
  pt_drone_set_enabled (&drone, TRUE);
  g_assert_false (pt_drone_is_silent (&drone));
  run (&drone, out, 4 * fade);
  pt_drone_set_enabled (&drone, FALSE);
  run (&drone, out + 4 * fade, 4 * fade);

  fade_in = max_step (out, 0, fade);
  steady = max_step (out, 2 * fade, 4 * fade);
  fade_out = max_step (out, 4 * fade, 5 * fade + QUANTUM);
  g_test_message ("largest step: fading in %.5f, steady %.5f, fading out %.5f",
                  fade_in, steady, fade_out);
  g_assert_cmpfloat (out[0], ==, 0.0f);
  g_assert_cmpfloat (fade_in, <=, steady);
  g_assert_cmpfloat (fade_out, <=, steady);
  g_assert_cmpfloat (steady, >, 0.01);
  for (guint i = 0; i < 4 * fade; i++)
    g_assert_cmpfloat (fabs (out[i]), <=, 0.8f + 1e-6f);
  /* Faded out, it adds nothing at all. */
  for (guint i = 5 * fade + QUANTUM; i < n; i++)
    g_assert_cmpfloat (out[i], ==, 0.0f);
  g_assert_true (pt_drone_is_silent (&drone));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pitch-toy/drone/frequency", test_frequency);
  g_test_add_data_func ("/pitch-toy/drone/fades-without-click/sine",
                        GINT_TO_POINTER (PT_DRONE_WAVEFORM_SINE), test_fades_without_click);
  g_test_add_data_func ("/pitch-toy/drone/fades-without-click/organ",
                        GINT_TO_POINTER (PT_DRONE_WAVEFORM_ORGAN), test_fades_without_click);

  return g_test_run ();
}
