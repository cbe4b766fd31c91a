/* bench-batching.c — the batch sizes adaptive batching chooses under a
 * synthetic load, on a fake clock with the real worklet: a main side that
 * runs only every so often (a stalled main loop) or spends long on each
 * batch. For each load, from a quick start at 128: the size it settles on,
 * how many changes that took, the delivery latency and the frames dropped,
 * in all and after the first second (the first stalls come before any
 * measure of them).
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "pt-batch-simulation.h"

#define MAXIMUM    4096
#define SETTLE_MS  15000.0
#define LOADED_MS  20000.0
#define FIRST_MS   1000.0

static const PtSimulatedLoad loads[] = {
  { 0.0, 0.05 },
  { 5.0, 0.05 },
  { 15.0, 0.05 },
  { 30.0, 0.05 },
  { 60.0, 0.05 },
  { 100.0, 0.05 },
  { 0.0, 2.0 },
  { 0.0, 5.0 },
  { 0.0, 20.0 },
};

int
main (void)
{
  static const PtSimulatedLoad quick = { 0.0, 0.05 };

  printf ("adaptive-batching: maximum %u, target latency %.0f ms, from 128 after a quick "
          "start, %.0f s under each load\n", MAXIMUM, PT_BATCH_CONTROLLER_TARGET_MS,
          LOADED_MS / 1000.0);
  for (guint i = 0; i < G_N_ELEMENTS (loads); i++)
    {
      PtBatchSimulation sim;
      guint64 batches;
      double latency_sum;
      guint changes;
      guint64 dropped_first;

      pt_batch_simulation_init (&sim, MAXIMUM);
      pt_batch_simulation_run (&sim, &quick, SETTLE_MS);
      batches = sim.batches;
      latency_sum = sim.latency_sum_ms;
      changes = sim.changes->len;
      sim.latency_max_ms = 0.0;
      pt_batch_simulation_run (&sim, &loads[i], FIRST_MS);
      dropped_first = sim.dropped_frames;
      pt_batch_simulation_run (&sim, &loads[i], LOADED_MS - FIRST_MS);
      printf ("stall %5.1f ms, %4.1f ms a batch: size %4u after %u changes, latency mean "
              "%6.2f ms, max %6.2f ms, dropped %" G_GUINT64_FORMAT " frames, %" G_GUINT64_FORMAT
              " after the first second\n",
              loads[i].stall_ms, loads[i].cost_ms, pt_batch_simulation_get_size (&sim),
              sim.changes->len - changes,
              (sim.latency_sum_ms - latency_sum) / (double) (sim.batches - batches),
              sim.latency_max_ms, sim.dropped_frames, sim.dropped_frames - dropped_first);
      pt_batch_simulation_clear (&sim);
    }
  return 0;
}
