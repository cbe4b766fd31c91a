/* test-batcher.c — batches concatenate to the input sample for sample, for
 * every batch size and the quantum sizes servers use; partial batches leave
 * at their timeout; a config change in mid-batch loses nothing.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "pt-batcher.h"
#include "pt-test-util.h"

#define SAMPLE_RATE 48000.0

typedef struct
{
  PtBufferPool *pool;
  PtBatcher     batcher;
  GArray       *output;        /* float: every sample received, in order */
  GArray       *sizes;         /* guint: sample_count of each batch */
  GArray       *times;         /* double: envelope timestamp of each batch */
  GPtrArray    *held;          /* batches the "main side" keeps */
  gboolean      hold;
  guint64       next_sequence;
  guint64       dropped;
} Fixture;

static void
on_batch (PtEnvelope *envelope,
          gpointer    user_data)
{
  Fixture *f = user_data;
  PtAudioDataBatch *batch = &envelope->payload.batch;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (envelope->type, ==, PT_MESSAGE_AUDIO_DATA_BATCH);
  g_assert_true (pt_envelope_validate (envelope, SAMPLE_RATE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (batch->sequence_number, ==, f->next_sequence);
  f->next_sequence++;
  g_assert_cmpuint (batch->first_frame, ==, f->output->len + batch->dropped_frames);
  g_assert_cmpuint (batch->sample_count, >, 0);
  g_assert_cmpuint (batch->buffer_length, ==, PT_BUFFER_CAPACITY);
  g_assert_cmpuint (batch->pool_available + batch->pool_in_use, ==, PT_BUFFER_POOL_SIZE);
  g_assert_true (batch->samples == pt_buffer_pool_get_samples (f->pool, (int) batch->buffer_id));

  g_array_append_vals (f->output, batch->samples, batch->sample_count);
  g_array_append_val (f->sizes, batch->sample_count);
  g_array_append_val (f->times, envelope->timestamp_ms);
  f->dropped = batch->dropped_frames;

  if (f->hold)
    g_ptr_array_add (f->held, envelope);
  else
    pt_envelope_unref (envelope);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->pool = pt_buffer_pool_new ();
  pt_batcher_init (&f->batcher, f->pool, SAMPLE_RATE, on_batch, f);
  f->output = g_array_new (FALSE, FALSE, sizeof (float));
  f->sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  f->times = g_array_new (FALSE, FALSE, sizeof (double));
  f->held = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_envelope_unref);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  pt_batcher_clear (&f->batcher);
  g_clear_pointer (&f->held, g_ptr_array_unref);
  g_assert_cmpuint (pt_buffer_pool_get_available (f->pool), ==, PT_BUFFER_POOL_SIZE);
  g_clear_pointer (&f->pool, pt_buffer_pool_unref);
  g_array_unref (f->output);
  g_array_unref (f->sizes);
  g_array_unref (f->times);
}

static void
set_batch_size (Fixture *f,
                guint    batch_size,
                guint    timeout_ms,
                double   now_ms)
{
  PtBatchConfig config = { .batch_size = batch_size, .timeout_ms = timeout_ms };

  pt_batcher_set_config (&f->batcher, &config, now_ms);
}

/* Pushes @input in cycles of @quantum frames at their real times. */
static double
push_cycles (Fixture     *f,
             const float *input,
             guint        n_frames,
             guint        quantum,
             double       start_ms)
{
  double now_ms = start_ms;

  for (guint done = 0; done < n_frames; done += quantum)
    {
      guint n = MIN (quantum, n_frames - done);

      now_ms = start_ms + done * 1000.0 / SAMPLE_RATE;
      pt_batcher_set_quantum (&f->batcher, n);
      pt_batcher_push_frames (&f->batcher, input + done, n, now_ms);
      pt_batcher_check_timeout (&f->batcher, now_ms);
    }
  return now_ms;
}

static void
assert_output_equals (Fixture     *f,
                      const float *input,
                      guint        n_frames)
{
  g_assert_cmpuint (f->output->len, ==, n_frames);
  for (guint i = 0; i < n_frames; i++)
    if (g_array_index (f->output, float, i) != input[i])
      g_error ("sample %u differs: %g != %g", i, g_array_index (f->output, float, i), input[i]);
}

typedef struct
{
  guint batch_size;
  guint quantum;
} ConcatCase;

static void
test_concatenation (Fixture       *f,
                    gconstpointer  data)
{
  const ConcatCase *c = data;
  guint n_frames = 20 * c->batch_size + 1001;
  g_autofree float *input = pt_test_new_distinct_samples (n_frames);
  double end_ms;

  set_batch_size (f, c->batch_size, 50, 0.0);
  end_ms = push_cycles (f, input, n_frames, c->quantum, 0.0);
  pt_batcher_flush (&f->batcher, end_ms);

  assert_output_equals (f, input, n_frames);
  g_assert_cmpuint (pt_batcher_get_dropped_frames (&f->batcher), ==, 0);
  /* Every batch but the last is full: the timeout never cut one short. */
  for (guint i = 0; i + 1 < f->sizes->len; i++)
    g_assert_cmpuint (g_array_index (f->sizes, guint, i), ==, c->batch_size);
}

static void
test_timeout_sends_partial (Fixture       *f,
                            gconstpointer  data)
{
  float chunk[PT_CHUNK_SIZE] = { 0.25f, };

  /* 1024 frames at 48 kHz: 21.3 ms + one quantum < 50 ms, so 50 ms holds. */
  pt_batcher_push_frames (&f->batcher, chunk, PT_CHUNK_SIZE, 100.0);
  for (double now = 100.0; now < 150.0; now += 1.0)
    g_assert_false (pt_batcher_check_timeout (&f->batcher, now));
  g_assert_cmpuint (f->sizes->len, ==, 0);

  g_assert_true (pt_batcher_check_timeout (&f->batcher, 150.0));
  g_assert_cmpuint (f->sizes->len, ==, 1);
  g_assert_cmpuint (g_array_index (f->sizes, guint, 0), ==, PT_CHUNK_SIZE);
  g_assert_cmpfloat (g_array_index (f->times, double, 0), ==, 150.0);
  g_assert_cmpfloat (g_array_index (f->output, float, 0), ==, 0.25f);

  /* Nothing left: later checks send nothing. */
  g_assert_false (pt_batcher_check_timeout (&f->batcher, 1000.0));
  g_assert_cmpuint (f->sizes->len, ==, 1);
}

/* Checked in the cycle too: slow input flushes when a cycle sees the age. */
static void
test_timeout_in_cycle (Fixture       *f,
                       gconstpointer  data)
{
  float chunk[PT_CHUNK_SIZE] = { 0.0f, };

  for (guint i = 0; i < 3; i++)
    {
      pt_batcher_push_frames (&f->batcher, chunk, PT_CHUNK_SIZE, 30.0 * i);
      pt_batcher_check_timeout (&f->batcher, 30.0 * i);
    }
  g_assert_cmpuint (f->sizes->len, ==, 1);
  g_assert_cmpuint (g_array_index (f->sizes, guint, 0), ==, 3 * PT_CHUNK_SIZE);
  g_assert_cmpfloat (g_array_index (f->times, double, 0), ==, 60.0);
}

/* A 4096-frame batch lasts 85.3 ms: a 50 ms timeout would never let it fill. */
static void
test_effective_timeout (Fixture       *f,
                        gconstpointer  data)
{
  float chunk[PT_CHUNK_SIZE] = { 0.0f, };
  PtBatchConfig config;
  guint expected = (guint) ceil ((4096 + PT_CHUNK_SIZE) * 1000.0 / SAMPLE_RATE);

  set_batch_size (f, 4096, 50, 0.0);
  pt_batcher_get_config (&f->batcher, &config);
  g_assert_cmpuint (config.batch_size, ==, 4096);
  g_assert_cmpuint (config.timeout_ms, ==, expected);

  pt_batcher_push_frames (&f->batcher, chunk, PT_CHUNK_SIZE, 0.0);
  g_assert_false (pt_batcher_check_timeout (&f->batcher, 50.0));
  g_assert_false (pt_batcher_check_timeout (&f->batcher, expected - 0.5));
  g_assert_true (pt_batcher_check_timeout (&f->batcher, expected));

  /* Real-time input fills it before the timeout. */
  {
    guint n = 3 * 4096;
    g_autofree float *input = pt_test_new_distinct_samples (n);

    push_cycles (f, input, n, PT_CHUNK_SIZE, 1000.0);
    g_assert_cmpuint (f->sizes->len, ==, 4);
    g_assert_cmpuint (g_array_index (f->sizes, guint, 3), ==, 4096);
  }

  /* A larger server quantum lengthens it. */
  pt_batcher_set_quantum (&f->batcher, 1024);
  pt_batcher_get_config (&f->batcher, &config);
  g_assert_cmpuint (config.timeout_ms, ==, (guint) ceil ((4096 + 1024) * 1000.0 / SAMPLE_RATE));

  /* A long timeout asked for is kept. */
  set_batch_size (f, 128, 500, 2000.0);
  pt_batcher_get_config (&f->batcher, &config);
  g_assert_cmpuint (config.timeout_ms, ==, 500);
}

static void
test_config_change_mid_batch (Fixture       *f,
                              gconstpointer  data)
{
  guint n_frames = 10000;
  g_autofree float *input = pt_test_new_distinct_samples (n_frames);
  static const guint sizes[] = { 512, 4096, 128, 1024, 3968 };
  guint done = 0;
  double now_ms = 0.0;

  /* 700 frames in, then a change of size: the 700 leave as one batch. */
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      guint n = i == 0 ? 700 : 1777;
      guint before = f->sizes->len;

      pt_batcher_push_frames (&f->batcher, input + done, n, now_ms);
      done += n;
      now_ms += 1.0;
      set_batch_size (f, sizes[i], 50, now_ms);
      g_assert_cmpuint (pt_batcher_get_fill (&f->batcher), ==, 0);
      if (i == 0)
        {
          g_assert_cmpuint (f->sizes->len, ==, before + 1);
          g_assert_cmpuint (g_array_index (f->sizes, guint, before), ==, 700);
        }
    }
  pt_batcher_push_frames (&f->batcher, input + done, n_frames - done, now_ms);
  pt_batcher_flush (&f->batcher, now_ms);

  assert_output_equals (f, input, n_frames);
}

static void
test_sanitises_and_counts (Fixture       *f,
                           gconstpointer  data)
{
  const float input[] = { 0.5f, NAN, INFINITY, -INFINITY, 1.0f, -1.0f, 1.5f, -7.0f,
                          0.999f, -0.999f };
  const float expected[] = { 0.5f, 0.0f, 0.0f, 0.0f, 1.0f, -1.0f, 1.0f, -1.0f,
                             0.999f, -0.999f };
  PtEnvelope *batch;

  f->hold = TRUE;
  pt_batcher_push_frames (&f->batcher, input, G_N_ELEMENTS (input), 0.0);
  pt_batcher_flush (&f->batcher, 1.0);

  g_assert_cmpuint (f->held->len, ==, 1);
  batch = g_ptr_array_index (f->held, 0);
  g_assert_cmpuint (batch->payload.batch.nonfinite_count, ==, 3);
  g_assert_cmpuint (batch->payload.batch.clipped_count, ==, 4);
  assert_output_equals (f, expected, G_N_ELEMENTS (expected));

  /* Counts belong to their batch: the next one starts at zero. */
  pt_batcher_push_frames (&f->batcher, expected, 2, 2.0);
  pt_batcher_flush (&f->batcher, 3.0);
  batch = g_ptr_array_index (f->held, 1);
  g_assert_cmpuint (batch->payload.batch.nonfinite_count, ==, 0);
  g_assert_cmpuint (batch->payload.batch.clipped_count, ==, 0);
}

static void
test_silence (Fixture       *f,
              gconstpointer  data)
{
  pt_batcher_push_frames (&f->batcher, NULL, 1500, 0.0);
  g_assert_cmpuint (f->output->len, ==, 1024);
  for (guint i = 0; i < f->output->len; i++)
    g_assert_cmpfloat (g_array_index (f->output, float, i), ==, 0.0f);
}

/* With the main side holding every batch, frames are dropped (and counted)
 * rather than written anywhere; once buffers return, batches resume with
 * contiguous sequence numbers and first_frame jumping over the drop. */
static void
test_drop_when_exhausted (Fixture       *f,
                          gconstpointer  data)
{
  guint n_frames = (PT_BUFFER_POOL_SIZE + 4) * 1024;
  g_autofree float *input = pt_test_new_distinct_samples (n_frames);
  guint64 dropped;
  guint64 held_frames;

  f->hold = TRUE;
  push_cycles (f, input, n_frames, PT_CHUNK_SIZE, 0.0);
  g_assert_cmpuint (f->held->len, ==, PT_BUFFER_POOL_SIZE);
  held_frames = f->output->len;
  dropped = pt_batcher_get_dropped_frames (&f->batcher);
  g_assert_cmpuint (dropped, ==, n_frames - held_frames);
  g_assert_cmpuint (pt_buffer_pool_get_exhausted_count (f->pool), >, 0);

  g_ptr_array_set_size (f->held, 0);
  f->hold = FALSE;
  push_cycles (f, input, 2048, PT_CHUNK_SIZE, 1000.0);
  g_assert_cmpuint (f->dropped, ==, dropped);
  g_assert_cmpuint (f->output->len, ==, held_frames + 2048);
  for (guint i = 0; i < 2048; i++)
    g_assert_cmpfloat (g_array_index (f->output, float, held_frames + i), ==, input[i]);
}

int
main (int argc, char *argv[])
{
  static const guint quanta[] = { 64, 128, 256, 1000, 1024 };
  static ConcatCase cases[(PT_BATCH_SIZE_MAX / 128) * G_N_ELEMENTS (quanta)];
  guint n_cases = 0;

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/pitch-toy/batcher/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("timeout-sends-partial", test_timeout_sends_partial);
  ADD ("timeout-in-cycle", test_timeout_in_cycle);
  ADD ("effective-timeout", test_effective_timeout);
  ADD ("config-change-mid-batch", test_config_change_mid_batch);
  ADD ("sanitises-and-counts", test_sanitises_and_counts);
  ADD ("silence", test_silence);
  ADD ("drop-when-exhausted", test_drop_when_exhausted);
#undef ADD

  for (guint batch_size = PT_BATCH_SIZE_MIN; batch_size <= PT_BATCH_SIZE_MAX; batch_size += 128)
    for (guint q = 0; q < G_N_ELEMENTS (quanta); q++)
      {
        g_autofree char *path = NULL;

        path = g_strdup_printf ("/pitch-toy/batcher/concatenation/batch-%u/quantum-%u",
                                batch_size, quanta[q]);

        cases[n_cases] = (ConcatCase) { batch_size, quanta[q] };
        g_test_add (path, Fixture, &cases[n_cases], fixture_setup, test_concatenation,
                    fixture_teardown);
        n_cases++;
      }

  return g_test_run ();
}
