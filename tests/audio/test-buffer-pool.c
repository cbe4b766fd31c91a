/* test-buffer-pool.c — the pool hands out each buffer once, survives running
 * dry and recovers when buffers come back, through the envelopes' release hook.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pt-buffer-pool.h"

static void
test_never_twice (void)
{
  g_autoptr(PtBufferPool) pool = pt_buffer_pool_new ();
  gboolean out[PT_BUFFER_POOL_SIZE] = { FALSE, };
  guint32 state = 12345;

  /* Random acquires and releases: an id never comes out while it is out. */
  for (guint step = 0; step < 100000; step++)
    {
      state = state * 1664525u + 1013904223u;
      if ((state >> 16) % 3 != 0)
        {
          int id = pt_buffer_pool_acquire (pool);
          guint n_out = 0;

          for (guint i = 0; i < PT_BUFFER_POOL_SIZE; i++)
            n_out += out[i];
          if (id == PT_BUFFER_POOL_NO_BUFFER)
            {
              g_assert_cmpuint (n_out, ==, PT_BUFFER_POOL_SIZE);
              continue;
            }
          g_assert_cmpint (id, >=, 0);
          g_assert_cmpint (id, <, PT_BUFFER_POOL_SIZE);
          g_assert_false (out[id]);
          out[id] = TRUE;
        }
      else
        {
          guint id = (state >> 8) % PT_BUFFER_POOL_SIZE;

          if (out[id])
            {
              pt_buffer_pool_release (pool, (int) id);
              out[id] = FALSE;
            }
        }
    }

  for (guint i = 0; i < PT_BUFFER_POOL_SIZE; i++)
    if (out[i])
      pt_buffer_pool_release (pool, (int) i);
  g_assert_cmpuint (pt_buffer_pool_get_available (pool), ==, PT_BUFFER_POOL_SIZE);
}

static void
test_exhaustion_and_recovery (void)
{
  g_autoptr(PtBufferPool) pool = pt_buffer_pool_new ();
  PtEnvelope *envelopes[PT_BUFFER_POOL_SIZE];
  float *seen[PT_BUFFER_POOL_SIZE];
  int again;

  for (guint i = 0; i < PT_BUFFER_POOL_SIZE; i++)
    {
      int id = pt_buffer_pool_acquire (pool);

      g_assert_cmpint (id, !=, PT_BUFFER_POOL_NO_BUFFER);
      seen[i] = pt_buffer_pool_get_samples (pool, id);
      for (guint j = 0; j < i; j++)
        g_assert_true (seen[j] != seen[i]);
      /* Buffers do not overlap: writing a whole one is fine (valgrind). */
      for (guint k = 0; k < PT_BUFFER_CAPACITY; k++)
        seen[i][k] = (float) id;
      envelopes[i] = pt_buffer_pool_get_envelope (pool, id);
      pt_envelope_prepare_static (envelopes[i], PT_MESSAGE_AUDIO_DATA_BATCH, 0.0);
    }

  g_assert_cmpuint (pt_buffer_pool_get_available (pool), ==, 0);
  g_assert_cmpuint (pt_buffer_pool_get_in_use (pool), ==, PT_BUFFER_POOL_SIZE);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpint (pt_buffer_pool_acquire (pool), ==, PT_BUFFER_POOL_NO_BUFFER);
  g_assert_cmpuint (pt_buffer_pool_get_exhausted_count (pool), ==, 10);

  /* The main side drops its batch: the buffer is free again. */
  pt_envelope_unref (envelopes[5]);
  g_assert_cmpuint (pt_buffer_pool_get_available (pool), ==, 1);
  again = pt_buffer_pool_acquire (pool);
  g_assert_true (pt_buffer_pool_get_samples (pool, again) == seen[5]);
  g_assert_cmpint (pt_buffer_pool_acquire (pool), ==, PT_BUFFER_POOL_NO_BUFFER);

  envelopes[5] = NULL;
  pt_buffer_pool_release (pool, again);
  for (guint i = 0; i < PT_BUFFER_POOL_SIZE; i++)
    if (envelopes[i] != NULL)
      pt_envelope_unref (envelopes[i]);
  g_assert_cmpuint (pt_buffer_pool_get_available (pool), ==, PT_BUFFER_POOL_SIZE);
}

/* A batch still queued on the main side outlives the worklet's reference. */
static void
test_envelope_outlives_pool_owner (void)
{
  PtBufferPool *pool = pt_buffer_pool_new ();
  int id = pt_buffer_pool_acquire (pool);
  PtEnvelope *envelope = pt_buffer_pool_get_envelope (pool, id);

  pt_envelope_prepare_static (envelope, PT_MESSAGE_AUDIO_DATA_BATCH, 1.0);
  pt_buffer_pool_unref (pool);
  g_assert_cmpint (envelope->type, ==, PT_MESSAGE_AUDIO_DATA_BATCH);
  pt_envelope_unref (envelope);   /* frees the pool (valgrind checks) */
}

/* Two threads, as in the app: the audio side acquires and posts, the main
 * side takes each batch and drops it. An id never comes out twice. */
typedef struct
{
  PtBufferPool *pool;
  GAsyncQueue  *queue;
  gint          out[PT_BUFFER_POOL_SIZE];
} ThreadedData;

#define N_THREADED 200000

static gpointer
main_side (gpointer user_data)
{
  ThreadedData *data = user_data;

  for (guint i = 0; i < N_THREADED; i++)
    {
      PtEnvelope *envelope = g_async_queue_pop (data->queue);
      int id = (int) (envelope - pt_buffer_pool_get_envelope (data->pool, 0));

      g_assert_true (g_atomic_int_compare_and_exchange (&data->out[id], 1, 0));
      pt_envelope_unref (envelope);
    }
  return NULL;
}

static void
test_threaded (void)
{
  ThreadedData data = { pt_buffer_pool_new (), g_async_queue_new (), { 0, } };
  GThread *thread = g_thread_new ("main-side", main_side, &data);

  for (guint sent = 0; sent < N_THREADED;)
    {
      int id = pt_buffer_pool_acquire (data.pool);
      PtEnvelope *envelope;

      if (id == PT_BUFFER_POOL_NO_BUFFER)
        {
          g_thread_yield ();
          continue;
        }
      g_assert_true (g_atomic_int_compare_and_exchange (&data.out[id], 0, 1));
      envelope = pt_buffer_pool_get_envelope (data.pool, id);
      pt_envelope_prepare_static (envelope, PT_MESSAGE_AUDIO_DATA_BATCH, 0.0);
      g_async_queue_push (data.queue, envelope);
      sent++;
    }

  g_thread_join (thread);
  g_assert_cmpuint (pt_buffer_pool_get_available (data.pool), ==, PT_BUFFER_POOL_SIZE);
  g_async_queue_unref (data.queue);
  pt_buffer_pool_unref (data.pool);
}

static void
test_release_unused_is_critical (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(PtBufferPool) pool = pt_buffer_pool_new ();

      pt_buffer_pool_release (pool, 3);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*released but not in use*");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pitch-toy/buffer-pool/never-twice", test_never_twice);
  g_test_add_func ("/pitch-toy/buffer-pool/exhaustion-and-recovery", test_exhaustion_and_recovery);
  g_test_add_func ("/pitch-toy/buffer-pool/envelope-outlives-owner",
                   test_envelope_outlives_pool_owner);
  g_test_add_func ("/pitch-toy/buffer-pool/threaded", test_threaded);
  g_test_add_func ("/pitch-toy/buffer-pool/release-unused-is-critical",
                   test_release_unused_is_critical);

  return g_test_run ();
}
