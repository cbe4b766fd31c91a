/* test-batch-controller.c — adaptive batching on a fake clock, with the real
 * worklet: a main side kept quick brings the size down to 128; slowed, the
 * size grows and no frame is dropped; quick again, it comes back to 128; a
 * main side that alternates does not make the size swing faster than the
 * hysteresis allows; every change is acknowledged; the floor covers the
 * lateness measured with the usable buffers.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pt-batch-simulation.h"
#include "pt-test-util.h"

#define MAXIMUM 2048

static const PtSimulatedLoad quick = { .stall_ms = 0.0, .cost_ms = 0.05 };
static const PtSimulatedLoad slow = { .stall_ms = 30.0, .cost_ms = 0.05 };

static void
assert_all_acknowledged (PtBatchSimulation *sim)
{
  g_assert_cmpuint (sim->unanswered, ==, 0);
  g_assert_cmpuint (sim->acknowledged + (sim->pending_id != 0), ==, sim->changes->len);
}

/* The size in force at @time_ms, from the changes asked (each answered
 * within a cycle or two, which this ignores). */
static guint
size_changes_in (PtBatchSimulation *sim,
                 guint              from)
{
  return sim->changes->len - from;
}

static void
test_quick_comes_down (void)
{
  PtBatchSimulation sim;

  pt_batch_simulation_init (&sim, MAXIMUM);
  g_assert_cmpuint (pt_batch_simulation_get_size (&sim), ==, MAXIMUM);
  pt_batch_simulation_run (&sim, &quick, 15000.0);
  g_test_message ("quick: %u changes, size %u", sim.changes->len,
                  pt_batch_simulation_get_size (&sim));
  g_assert_cmpuint (pt_batch_simulation_get_size (&sim), ==, PT_BATCH_SIZE_MIN);
  g_assert_cmpuint (sim.dropped_frames, ==, 0);
  assert_all_acknowledged (&sim);
  pt_batch_simulation_clear (&sim);
}

static void
test_slowed_grows_without_drop (void)
{
  PtBatchSimulation sim;
  guint at_slow;

  pt_batch_simulation_init (&sim, MAXIMUM);
  pt_batch_simulation_run (&sim, &quick, 15000.0);
  g_assert_cmpuint (pt_batch_simulation_get_size (&sim), ==, PT_BATCH_SIZE_MIN);

  at_slow = sim.changes->len;
  pt_batch_simulation_run (&sim, &slow, 5000.0);
  g_test_message ("slowed: %u changes, size %u, latency max %.1f ms",
                  size_changes_in (&sim, at_slow), pt_batch_simulation_get_size (&sim),
                  sim.latency_max_ms);
  g_assert_cmpuint (pt_batch_simulation_get_size (&sim), >=, 4 * PT_BATCH_SIZE_MIN);
  g_assert_cmpuint (sim.dropped_frames, ==, 0);

  pt_batch_simulation_run (&sim, &quick, 15000.0);
  g_test_message ("quick again: size %u", pt_batch_simulation_get_size (&sim));
  g_assert_cmpuint (pt_batch_simulation_get_size (&sim), ==, PT_BATCH_SIZE_MIN);
  g_assert_cmpuint (sim.dropped_frames, ==, 0);
  assert_all_acknowledged (&sim);
  pt_batch_simulation_clear (&sim);
}

/* Slow and quick by turns, each for less than the shrink hold: the size
 * grows and holds; it never shrinks sooner than the hold after a change. */
static void
test_alternating_holds (void)
{
  PtBatchSimulation sim;
  guint from, shrinks = 0;
  double duration_ms = 20000.0;

  pt_batch_simulation_init (&sim, MAXIMUM);
  pt_batch_simulation_run (&sim, &quick, 15000.0);
  from = sim.changes->len;
  for (double t = 0; t < duration_ms; t += 1000.0)
    {
      pt_batch_simulation_run (&sim, &slow, 500.0);
      pt_batch_simulation_run (&sim, &quick, 500.0);
    }

  for (guint i = MAX (from, 1); i < sim.changes->len; i++)
    {
      PtSimulatedChange *before = &g_array_index (sim.changes, PtSimulatedChange, i - 1);
      PtSimulatedChange *change = &g_array_index (sim.changes, PtSimulatedChange, i);

      if (change->size < before->size)
        {
          shrinks++;
          g_assert_cmpfloat (change->time_ms - before->time_ms, >=,
                             PT_BATCH_CONTROLLER_SHRINK_HOLD_MS);
        }
    }
  g_test_message ("alternating: %u changes, %u shrinks, size %u", sim.changes->len - from,
                  shrinks, pt_batch_simulation_get_size (&sim));
  g_assert_cmpuint (shrinks, <=, duration_ms / PT_BATCH_CONTROLLER_SHRINK_HOLD_MS);
  g_assert_cmpuint (sim.changes->len - from, <=, 6);
  g_assert_cmpuint (pt_batch_simulation_get_size (&sim), >, PT_BATCH_SIZE_MIN);
  g_assert_cmpuint (sim.dropped_frames, ==, 0);
  assert_all_acknowledged (&sim);
  pt_batch_simulation_clear (&sim);
}

/* 100 ms late: 4800 frames must fit in the usable buffers, so at least
 * 600 frames a batch, 640 in whole chunks; asked at once, hold or not. */
static void
test_floor_covers_lateness (void)
{
  PtBatchController controller;
  PtBatchObservation observation = { .now_ms = 10.0, .latency_ms = 2.0 };

  pt_batch_controller_init (&controller, 4096, 48000.0, 0.0);
  pt_batch_controller_acknowledge (&controller, PT_BATCH_SIZE_MIN);
  g_assert_cmpuint (pt_batch_controller_observe (&controller, &observation), ==, 0);
  g_assert_cmpuint (pt_batch_controller_get_floor (&controller), ==, PT_BATCH_SIZE_MIN);

  observation = (PtBatchObservation) { .now_ms = 20.0, .latency_ms = 100.0 };
  g_assert_cmpuint (pt_batch_controller_observe (&controller, &observation), ==, 640);
  g_assert_cmpuint (pt_batch_controller_get_floor (&controller), ==, 640);
  /* Until acknowledged, nothing more is asked. */
  observation.now_ms = 30.0;
  g_assert_cmpuint (pt_batch_controller_observe (&controller, &observation), ==, 0);
  pt_batch_controller_acknowledge (&controller, 640);
  g_assert_cmpuint (pt_batch_controller_get_size (&controller), ==, 640);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pitch-toy/batch-controller/quick-comes-down", test_quick_comes_down);
  g_test_add_func ("/pitch-toy/batch-controller/slowed-grows-without-drop",
                   test_slowed_grows_without_drop);
  g_test_add_func ("/pitch-toy/batch-controller/alternating-holds", test_alternating_holds);
  g_test_add_func ("/pitch-toy/batch-controller/floor-covers-lateness",
                   test_floor_covers_lateness);

  return g_test_run ();
}
