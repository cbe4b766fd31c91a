/* bench-processor.c — throughput and cycle times of the worklet's whole
 * cycle: test signal and pink noise on, batching, the push on the to_main
 * queue and the main side's release of each batch. Prints figures; never
 * fails on time.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "pt-processor.h"
#include "pt-stats.h"

#define SAMPLE_RATE 48000.0
#define N_CYCLES    200000

static double
clock_ns (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double
now_ns (void)
{
  return clock_ns (CLOCK_MONOTONIC);
}

static gpointer
main_side (gpointer data)
{
  GAsyncQueue *queue = data;
  PtEnvelope *envelope;

  /* A NULL-typed sentinel is not possible on a queue; the end is a stop reply. */
  while ((envelope = g_async_queue_pop (queue)) != NULL)
    {
      gboolean last = envelope->type == PT_MESSAGE_STATUS_UPDATE &&
                      envelope->payload.status.state == PT_PROCESSOR_STATE_STOPPED;

      pt_envelope_unref (envelope);
      if (last)
        break;
    }
  return NULL;
}

static void
release_all (GAsyncQueue *queue)
{
  PtEnvelope *envelope;

  while ((envelope = g_async_queue_try_pop (queue)) != NULL)
    pt_envelope_unref (envelope);
}

static void
run (const char *label,
     gboolean    threaded)
{
  PtProcessor *processor = pt_processor_new (SAMPLE_RATE, 1);
  GAsyncQueue *to_main = pt_processor_get_to_main_queue (processor);
  GAsyncQueue *to_worklet = pt_processor_get_to_worklet_queue (processor);
  g_autofree double *cycle_ns = g_new (double, N_CYCLES);
  g_autofree double *cpu_ns = g_new (double, N_CYCLES);
  float input[PT_CHUNK_SIZE] = { 0.0f, };
  GThread *thread = NULL;
  double start, total_ns, sum = 0.0;
  double now_ms = 0.0;

  g_async_queue_push (to_worklet,
                      pt_envelope_new_update_test_signal_config (TRUE, PT_WAVEFORM_SAWTOOTH,
                                                                 220.0, 0.5));
  g_async_queue_push (to_worklet,
                      pt_envelope_new_update_background_noise_config (TRUE, PT_NOISE_PINK, 0.1));
  g_async_queue_push (to_worklet, pt_envelope_new_start_processing ());
  pt_processor_process (processor, input, PT_CHUNK_SIZE, 1, now_ms);
  release_all (to_main);

  /* Unpaced, the audio side runs hundreds of times faster than real time; on
   * a busy machine the main thread may fall behind and frames get dropped
   * (counted below): that path is part of the cycle too. */
  if (threaded)
    thread = g_thread_new ("main-side", main_side, to_main);

  start = now_ns ();
  for (guint i = 0; i < N_CYCLES; i++)
    {
      double t0 = now_ns (), c0 = clock_ns (CLOCK_THREAD_CPUTIME_ID);

      now_ms += PT_CHUNK_SIZE * 1000.0 / SAMPLE_RATE;
      pt_processor_process (processor, input, PT_CHUNK_SIZE, 1, now_ms);
      cpu_ns[i] = clock_ns (CLOCK_THREAD_CPUTIME_ID) - c0;
      if (!threaded)
        release_all (to_main);
      cycle_ns[i] = now_ns () - t0;
    }
  total_ns = now_ns () - start;

  g_async_queue_push (to_worklet, pt_envelope_new_stop_processing ());
  pt_processor_process (processor, input, PT_CHUNK_SIZE, 1, now_ms);
  if (thread != NULL)
    g_thread_join (thread);
  release_all (to_main);

  for (guint i = 0; i < N_CYCLES; i++)
    sum += cycle_ns[i];
  qsort (cycle_ns, N_CYCLES, sizeof (double), pt_compare_doubles);
  qsort (cpu_ns, N_CYCLES, sizeof (double), pt_compare_doubles);

  printf ("%s: %.1f Mframes/s (%.0fx real time at 48 kHz); 128-frame cycle: "
          "mean %.2f µs, p99 %.2f µs, p99.9 %.2f µs, worst %.2f µs (budget %.0f µs); "
          "dropped %" G_GUINT64_FORMAT "\n",
          label, N_CYCLES * (double) PT_CHUNK_SIZE / (total_ns / 1e9) / 1e6,
          N_CYCLES * (double) PT_CHUNK_SIZE / (total_ns / 1e9) / SAMPLE_RATE,
          sum / N_CYCLES / 1e3, cycle_ns[(gsize) (N_CYCLES * 0.99)] / 1e3,
          cycle_ns[(gsize) (N_CYCLES * 0.999)] / 1e3, cycle_ns[N_CYCLES - 1] / 1e3,
          PT_CHUNK_SIZE * 1e6 / SAMPLE_RATE, pt_processor_get_dropped_frames (processor));
  /* Thread CPU time of pt_processor_process alone: what the data thread
   * spends, without the preemptions a wall clock also counts. */
  printf ("%s: process() thread CPU time p99.9 %.2f µs, worst %.2f µs = %.1f %% of the quantum\n",
          label, cpu_ns[(gsize) (N_CYCLES * 0.999)] / 1e3, cpu_ns[N_CYCLES - 1] / 1e3,
          100.0 * cpu_ns[N_CYCLES - 1] / (PT_CHUNK_SIZE * 1e9 / SAMPLE_RATE));

  pt_processor_free (processor);
}

int
main (int argc, char *argv[])
{
  printf ("processor-throughput: %d cycles of %d frames, "
          "sawtooth + pink noise, 1024-frame batches\n", N_CYCLES, PT_CHUNK_SIZE);
  run ("same thread (cycle + release)", FALSE);
  run ("main side on its own thread", TRUE);
  return 0;
}
