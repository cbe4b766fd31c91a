/* test-ring.c — the monitor's ring: frames come out in order, across the
 * wrap, as written; what does not fit is dropped and counted; a read past
 * the fill is silence, counted; skipping drops the oldest; a producer and a
 * consumer thread together lose and reorder nothing.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pt-ring.h"
#include "pt-test-util.h"

#define CAPACITY 256

static void
test_order_across_wrap (void)
{
  g_autofree float *input = pt_test_new_distinct_samples (10 * CAPACITY);
  float out[100];
  PtRing ring;
  guint done = 0;

  pt_ring_init (&ring, 200);
  g_assert_cmpuint (pt_ring_get_capacity (&ring), ==, CAPACITY);
  /* 100 in, 100 out, many times: the positions wrap mid-block. */
  for (guint i = 0; i < 25; i++)
    {
      g_assert_cmpuint (pt_ring_write (&ring, input + done, 100), ==, 100);
      g_assert_cmpuint (pt_ring_get_fill (&ring), ==, 100);
      g_assert_cmpuint (pt_ring_read (&ring, out, 100), ==, 100);
      for (guint k = 0; k < 100; k++)
        g_assert_cmpfloat (out[k], ==, input[done + k]);
      done += 100;
    }
  g_assert_cmpuint (pt_ring_get_overrun_frames (&ring), ==, 0);
  g_assert_cmpuint (pt_ring_get_underrun_frames (&ring), ==, 0);
  pt_ring_clear (&ring);
}

static void
test_overrun_drops_new (void)
{
  g_autofree float *input = pt_test_new_distinct_samples (CAPACITY + 10);
  float out[CAPACITY];
  PtRing ring;

  pt_ring_init (&ring, CAPACITY);
  g_assert_cmpuint (pt_ring_write (&ring, input, CAPACITY + 10), ==, CAPACITY);
  g_assert_cmpuint (pt_ring_get_overrun_frames (&ring), ==, 10);
  g_assert_cmpuint (pt_ring_read (&ring, out, CAPACITY), ==, CAPACITY);
  for (guint k = 0; k < CAPACITY; k++)
    g_assert_cmpfloat (out[k], ==, input[k]);
  pt_ring_clear (&ring);
}

static void
test_underrun_is_silence (void)
{
  g_autofree float *input = pt_test_new_distinct_samples (30);
  float out[64];
  PtRing ring;

  pt_ring_init (&ring, CAPACITY);
  for (guint k = 0; k < G_N_ELEMENTS (out); k++)
    out[k] = 1.0f;  /* garbage that must not survive */
  pt_ring_write (&ring, input, 30);
  g_assert_cmpuint (pt_ring_read (&ring, out, 64), ==, 30);
  for (guint k = 0; k < 30; k++)
    g_assert_cmpfloat (out[k], ==, input[k]);
  for (guint k = 30; k < 64; k++)
    g_assert_cmpfloat (out[k], ==, 0.0f);
  g_assert_cmpuint (pt_ring_get_underrun_frames (&ring), ==, 34);

  /* NULL writes silence. */
  pt_ring_write (&ring, NULL, 10);
  out[0] = 1.0f;
  g_assert_cmpuint (pt_ring_read (&ring, out, 10), ==, 10);
  for (guint k = 0; k < 10; k++)
    g_assert_cmpfloat (out[k], ==, 0.0f);
  pt_ring_clear (&ring);
}

static void
test_skip_drops_oldest (void)
{
  g_autofree float *input = pt_test_new_distinct_samples (100);
  float out[40];
  PtRing ring;

  pt_ring_init (&ring, CAPACITY);
  pt_ring_write (&ring, input, 100);
  g_assert_cmpuint (pt_ring_skip (&ring, 60), ==, 60);
  g_assert_cmpuint (pt_ring_read (&ring, out, 40), ==, 40);
  for (guint k = 0; k < 40; k++)
    g_assert_cmpfloat (out[k], ==, input[60 + k]);
  g_assert_cmpuint (pt_ring_skip (&ring, 10), ==, 0);
  pt_ring_clear (&ring);
}

#define THREADED_FRAMES (1 << 20)

typedef struct
{
  PtRing *ring;
  float  *input;
} Producer;

static gpointer
produce (gpointer data)
{
  Producer *p = data;
  guint done = 0;

  while (done < THREADED_FRAMES)
    done += pt_ring_write (p->ring, p->input + done, MIN (97, THREADED_FRAMES - done));
  return NULL;
}

/* The consumer reads only what is there, so nothing is silence. */
static void
test_two_threads (void)
{
  g_autofree float *input = pt_test_new_distinct_samples (THREADED_FRAMES);
  Producer producer = { NULL, input };
  PtRing ring;
  GThread *thread;
  float out[61];
  guint done = 0;

  pt_ring_init (&ring, CAPACITY);
  producer.ring = &ring;
  thread = g_thread_new ("producer", produce, &producer);
  while (done < THREADED_FRAMES)
    {
      guint fill = pt_ring_get_fill (&ring);
      guint n = MIN (fill, G_N_ELEMENTS (out));

      g_assert_cmpuint (pt_ring_read (&ring, out, n), ==, n);
      for (guint k = 0; k < n; k++)
        g_assert_cmpfloat (out[k], ==, input[done + k]);
      done += n;
    }
  g_thread_join (thread);
  g_assert_cmpuint (pt_ring_get_underrun_frames (&ring), ==, 0);
  pt_ring_clear (&ring);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pitch-toy/ring/order-across-wrap", test_order_across_wrap);
  g_test_add_func ("/pitch-toy/ring/overrun-drops-new", test_overrun_drops_new);
  g_test_add_func ("/pitch-toy/ring/underrun-is-silence", test_underrun_is_silence);
  g_test_add_func ("/pitch-toy/ring/skip-drops-oldest", test_skip_drops_oldest);
  g_test_add_func ("/pitch-toy/ring/two-threads", test_two_threads);

  return g_test_run ();
}
