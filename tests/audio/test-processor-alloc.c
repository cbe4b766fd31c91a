/* test-processor-alloc.c — the worklet's steady state allocates and frees
 * nothing of its own, and neither does its pool-overflow report, nor the
 * playback's side (the monitor's ring read, the drone added). malloc,
 * free and friends are interposed in this program and count the calls made
 * while the "audio side" runs; a baseline pushes the same number of items
 * through a bare GAsyncQueue, whose node allocations (GSlice in GLib 2.74,
 * malloc in later GLib) are the design's accepted cost. Ours must not exceed
 * the baseline.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <malloc.h>

#include "pt-drone.h"
#include "pt-processor.h"
#include "pt-test-util.h"

#define SAMPLE_RATE 48000.0
#define N_CYCLES    20000

extern void *__libc_malloc (size_t size);
extern void *__libc_calloc (size_t n, size_t size);
extern void *__libc_realloc (void *mem, size_t size);
extern void *__libc_memalign (size_t alignment, size_t size);
extern void  __libc_free (void *mem);

/* A sanitizer brings its own malloc: then nothing is interposed and the
 * test skips itself. */
#if defined(__SANITIZE_ADDRESS__)
# define UNDER_SANITIZER 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define UNDER_SANITIZER 1
# endif
#endif

static __thread gboolean counting;
static __thread guint64 n_allocations;
static __thread guint64 n_frees;

#ifndef UNDER_SANITIZER

void *
malloc (size_t size)
{
  if (counting)
    n_allocations++;
  return __libc_malloc (size);
}

void
free (void *mem)
{
  if (counting && mem != NULL)
    n_frees++;
  __libc_free (mem);
}

void *
calloc (size_t n,
        size_t size)
{
  if (counting)
    n_allocations++;
  return __libc_calloc (n, size);
}

void *
realloc (void   *mem,
         size_t  size)
{
  if (counting)
    n_allocations++;
  return __libc_realloc (mem, size);
}

void *
memalign (size_t alignment,
          size_t size)
{
  if (counting)
    n_allocations++;
  return __libc_memalign (alignment, size);
}

void *
aligned_alloc (size_t alignment,
               size_t size)
{
  return memalign (alignment, size);
}

int
posix_memalign (void   **result,
                size_t   alignment,
                size_t   size)
{
  *result = memalign (alignment, size);
  return *result != NULL ? 0 : 12 /* ENOMEM */;
}

#endif

/* Under valgrind or a sanitizer our malloc is not the one in use. */
static gboolean
interposed (void)
{
  guint64 before = n_allocations;
  gpointer p;

  counting = TRUE;
  p = g_malloc (16);
  counting = FALSE;
  g_free (p);
  return n_allocations > before;
}

/* Only under valgrind or a sanitizer may a count be skipped; anywhere else
 * our malloc must be the one in use. */
static gboolean
can_count (void)
{
  if (pt_test_is_instrumented ())
    {
      g_test_skip ("malloc is not interposed under valgrind or a sanitizer");
      return FALSE;
    }
  g_assert_true (interposed ());
  return TRUE;
}

static guint
pop_and_release (GAsyncQueue *queue)
{
  PtEnvelope *envelope;
  guint n = 0;

  while ((envelope = g_async_queue_try_pop (queue)) != NULL)
    {
      pt_envelope_unref (envelope);
      n++;
    }
  return n;
}

static void
on_wakeup (gpointer user_data)
{
  g_main_context_wakeup (user_data);
}

/* What @n_items pushes through a bare queue, popped in pairs, allocate
 * (the return) and free (*frees). */
static guint64
count_bare_queue (guint    n_items,
                  guint64 *frees)
{
  g_autoptr(GAsyncQueue) bare = g_async_queue_new ();

  for (guint i = 0; i < 100; i++)
    {
      g_async_queue_push (bare, GUINT_TO_POINTER (1));
      g_async_queue_pop (bare);
    }
  n_allocations = n_frees = 0;
  for (guint i = 0; i < n_items; i++)
    {
      counting = TRUE;
      g_async_queue_push (bare, GUINT_TO_POINTER (1));
      if (i % 2 == 1)
        while (g_async_queue_try_pop (bare) != NULL)
          ;
      counting = FALSE;
    }
  while (g_async_queue_try_pop (bare) != NULL)
    ;
  *frees = n_frees;
  return n_allocations;
}

/* Starts @processor with @batch_size batches and runs it past its replies. */
static double
start_and_warm_up (PtProcessor *processor,
                   guint        batch_size,
                   const float *input)
{
  GAsyncQueue *to_worklet = pt_processor_get_to_worklet_queue (processor);
  double now_ms = 0.0;

  g_async_queue_push (to_worklet, pt_envelope_new_update_batch_config (batch_size, 50, FALSE));
  g_async_queue_push (to_worklet, pt_envelope_new_start_processing ());
  for (guint i = 0; i < 100; i++)
    {
      pt_processor_process (processor, input, PT_CHUNK_SIZE, 1, now_ms);
      now_ms += PT_CHUNK_SIZE * 1000.0 / SAMPLE_RATE;
      pop_and_release (pt_processor_get_to_main_queue (processor));
    }
  pt_processor_free_spent (processor);
  return now_ms;
}

static void
test_steady_state (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  PtProcessor *processor = pt_processor_new (SAMPLE_RATE, 1);
  GAsyncQueue *to_main = pt_processor_get_to_main_queue (processor);
  GAsyncQueue *to_worklet = pt_processor_get_to_worklet_queue (processor);
  float input[PT_CHUNK_SIZE];
  float played[PT_CHUNK_SIZE];
  guint64 ours, baseline, baseline_frees;
  guint n_items = 0;
  double now_ms = 0.0;
  PtRing monitor;
  PtDrone drone;

  if (!can_count ())
    {
      pt_processor_free (processor);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (input); i++)
    input[i] = 0.001f * (i % 50);

  pt_processor_set_wakeup_func (processor, on_wakeup, context);
  /* Everything on: test signal, noise, batching of 256-frame batches, the
   * monitor and the drone. */
  pt_ring_init (&monitor, 4 * PT_CHUNK_SIZE);
  pt_processor_set_monitor_ring (processor, &monitor);
  pt_drone_init (&drone, SAMPLE_RATE);
  pt_drone_set_waveform (&drone, PT_DRONE_WAVEFORM_ORGAN);
  pt_drone_set_enabled (&drone, TRUE);
  g_async_queue_push (to_worklet, pt_envelope_new_update_batch_config (256, 50, FALSE));
  g_async_queue_push (to_worklet,
                      pt_envelope_new_update_test_signal_config (TRUE, PT_WAVEFORM_SAWTOOTH,
                                                                 220.0, 0.5));
  g_async_queue_push (to_worklet,
                      pt_envelope_new_update_background_noise_config (TRUE, PT_NOISE_PINK, 0.1));
  g_async_queue_push (to_worklet, pt_envelope_new_start_processing ());

  /* Warm up: replies, first uses of the queues. */
  for (guint i = 0; i < 100; i++)
    {
      pt_processor_process (processor, input, PT_CHUNK_SIZE, 1, now_ms);
      now_ms += PT_CHUNK_SIZE * 1000.0 / SAMPLE_RATE;
      pop_and_release (to_main);
    }

  n_allocations = 0;
  for (guint i = 0; i < N_CYCLES; i++)
    {
      counting = TRUE;
      pt_processor_process (processor, input, PT_CHUNK_SIZE, 1, now_ms);
      pt_processor_check_timeout (processor, now_ms + 1.0);
      pt_ring_read (&monitor, played, PT_CHUNK_SIZE);
      pt_drone_add (&drone, played, PT_CHUNK_SIZE);
      counting = FALSE;
      now_ms += PT_CHUNK_SIZE * 1000.0 / SAMPLE_RATE;
      /* The main side, every few cycles as a busy main loop would. */
      if (i % 4 == 3)
        n_items += pop_and_release (to_main);
      while (g_main_context_iteration (context, FALSE))
        ;
    }
  n_items += pop_and_release (to_main);
  ours = n_allocations;

  g_assert_cmpuint (n_items, ==, N_CYCLES / 2);
  g_assert_cmpuint (pt_processor_get_dropped_frames (processor), ==, 0);

  /* The baseline: as many pushes through a bare queue. */
  baseline = count_bare_queue (n_items, &baseline_frees);

  g_test_message ("%u cycles, %u batches: %" G_GUINT64_FORMAT " allocations on the audio side, "
                  "baseline %" G_GUINT64_FORMAT, N_CYCLES, n_items, ours, baseline);
  g_assert_cmpuint (ours, <=, baseline);

  /* The count sees our allocations: a reply to a message is one. */
  g_async_queue_push (to_worklet, pt_envelope_new_update_batch_config (512, 50, FALSE));
  n_allocations = 0;
  counting = TRUE;
  pt_processor_process (processor, input, PT_CHUNK_SIZE, 1, now_ms);
  counting = FALSE;
  g_assert_cmpuint (n_allocations, >, 0);
  pop_and_release (to_main);

  g_assert_cmpuint (pt_ring_get_underrun_frames (&monitor), ==, 0);
  pt_processor_free (processor);
  pt_ring_clear (&monitor);
}

/* The main side keeps every batch: the pool runs dry and the worklet reports
 * it once a second, from the envelope it prepared for that. */
static void
test_overflow_report (void)
{
  PtProcessor *processor = pt_processor_new (SAMPLE_RATE, 1);
  GAsyncQueue *to_main = pt_processor_get_to_main_queue (processor);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_envelope_unref);
  float input[PT_CHUNK_SIZE] = { 0.25f };
  guint n_cycles = (guint) (3500.0 / (PT_CHUNK_SIZE * 1000.0 / SAMPLE_RATE));
  guint n_reports = 0, n_pushed = 0;
  guint64 ours, baseline, baseline_frees;
  double now_ms;
  PtEnvelope *envelope;

  if (!can_count ())
    {
      pt_processor_free (processor);
      return;
    }

  now_ms = start_and_warm_up (processor, PT_BATCH_SIZE_MIN, input);
  n_allocations = n_frees = 0;
  for (guint i = 0; i < n_cycles; i++)
    {
      counting = TRUE;
      pt_processor_process (processor, input, PT_CHUNK_SIZE, 1, now_ms);
      counting = FALSE;
      now_ms += PT_CHUNK_SIZE * 1000.0 / SAMPLE_RATE;
      while ((envelope = g_async_queue_try_pop (to_main)) != NULL)
        {
          n_pushed++;
          if (envelope->type == PT_MESSAGE_AUDIO_DATA_BATCH)
            {
              g_ptr_array_add (held, envelope);
              continue;
            }
          g_assert_cmpint (envelope->type, ==, PT_MESSAGE_PROCESSING_ERROR);
          g_assert_cmpint (envelope->payload.error.code, ==, PT_WORKLET_ERROR_BUFFER_OVERFLOW);
          g_assert_cmpuint (envelope->payload.error.context.overflow.in_use, ==,
                            PT_BUFFER_POOL_SIZE);
          n_reports++;
          pt_envelope_unref (envelope);
        }
    }
  ours = n_allocations;
  baseline = count_bare_queue (n_pushed, &baseline_frees);

  g_test_message ("%u reports, %u pushes: %" G_GUINT64_FORMAT " allocations on the audio side, "
                  "baseline %" G_GUINT64_FORMAT, n_reports, n_pushed, ours, baseline);
  g_assert_cmpuint (held->len, ==, PT_BUFFER_POOL_SIZE);
  g_assert_cmpuint (n_reports, >=, 3);
  g_assert_cmpuint (ours, <=, baseline);
  g_assert_cmpuint (pt_processor_get_dropped_frames (processor), >, 0);

  g_ptr_array_set_size (held, 0);
  pt_processor_free (processor);
}

/* A consumed message goes back to the main side: the audio side frees no more
 * than popping and pushing a bare queue does. */
static void
test_messages_freed_on_main_side (void)
{
  PtProcessor *processor = pt_processor_new (SAMPLE_RATE, 1);
  GAsyncQueue *to_worklet = pt_processor_get_to_worklet_queue (processor);
  float input[PT_CHUNK_SIZE] = { 0.0f };
  guint64 baseline_frees, frees;
  double now_ms;

  if (!can_count ())
    {
      pt_processor_free (processor);
      return;
    }

  now_ms = start_and_warm_up (processor, PT_BATCH_SIZE_DEFAULT, input);
  g_async_queue_push (to_worklet, pt_envelope_new_start_processing ());
  n_frees = 0;
  counting = TRUE;
  pt_processor_process (processor, input, PT_CHUNK_SIZE, 1, now_ms);
  counting = FALSE;
  frees = n_frees;
  count_bare_queue (2, &baseline_frees);
  g_assert_cmpuint (frees, <=, baseline_frees);

  /* The main side frees it. */
  n_frees = 0;
  counting = TRUE;
  pt_processor_free_spent (processor);
  counting = FALSE;
  g_assert_cmpuint (n_frees, >, baseline_frees);

  pop_and_release (pt_processor_get_to_main_queue (processor));
  pt_processor_free (processor);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pitch-toy/processor/steady-state-allocates-nothing", test_steady_state);
  g_test_add_func ("/pitch-toy/processor/overflow-report-allocates-nothing", test_overflow_report);
  g_test_add_func ("/pitch-toy/processor/messages-freed-on-main-side",
                   test_messages_freed_on_main_side);

  return g_test_run ();
}
