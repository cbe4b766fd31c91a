/* bench-engine.c — delivery latency of the live engine on the harness's
 * private PipeWire server: for each batch, the time from the audio thread's
 * push to the end of its dispatch on the main thread (the hub and every
 * "batch" handler done), at batch sizes 128 and 1024. Prints p50, p99 and
 * the worst; never fails on time.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "pt-engine.h"
#include "pt-stats.h"

#define N_BATCHES 2000

typedef struct
{
  GArray *latencies;
  guint   batch_size;
} Run;

static void
on_batch (PtEngine   *engine,
          PtEnvelope *envelope,
          Run        *run)
{
  /* Only batches of the size asked, after the change took effect. */
  if (envelope->payload.batch.sample_count != run->batch_size)
    return;
  g_array_append_val (run->latencies, (double) { g_get_monotonic_time () / 1000.0 -
                                                 envelope->timestamp_ms });
}

static void
measure (PtEngine *engine,
         guint     batch_size)
{
  Run run = { g_array_new (FALSE, FALSE, sizeof (double)), batch_size };
  g_autoptr(PtEngineMetrics) metrics = NULL;
  gulong handler;
  double *l;
  guint n;

  pt_engine_configure_batch (engine, batch_size, 50, FALSE);
  handler = g_signal_connect (engine, "batch", G_CALLBACK (on_batch), &run);
  while (run.latencies->len < N_BATCHES * 128 / batch_size + 50)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (engine, handler);

  n = run.latencies->len;
  l = (double *) run.latencies->data;
  metrics = pt_engine_get_metrics (engine);
  printf ("batch %4u: %u batches, delivery latency p50 %.3f ms, p99 %.3f ms, max %.3f ms "
          "(quantum %u, target p99 < 1 ms)\n", batch_size, n, pt_quantile (l, n, 0.5),
          pt_quantile (l, n, 0.99), pt_quantile (l, n, 1.0), metrics->quantum);
  g_array_unref (run.latencies);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PtEngine) engine = pt_engine_new ();

  pt_engine_start (engine);
  while (pt_engine_get_state (engine) != PT_ENGINE_STATE_RUNNING)
    g_main_context_iteration (NULL, TRUE);

  printf ("engine-latency: the harness's virtual microphone, 48 kHz\n");
  measure (engine, 128);
  measure (engine, 1024);
  pt_engine_stop (engine);
  return 0;
}
