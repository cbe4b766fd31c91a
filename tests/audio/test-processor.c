/* test-processor.c — the worklet driven cycle by cycle with a fake clock:
 * lifecycle messages, acknowledgements, mixing, batching through config
 * changes, and a main side that stops returning buffers.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "pt-processor.h"
#include "pt-protocol-json.h"
#include "pt-signal-generator.h"
#include "pt-test-util.h"

#define SAMPLE_RATE 48000.0

typedef struct
{
  PtProcessor *processor;
  GPtrArray   *messages;     /* a copy of every non-batch envelope received */
  GPtrArray   *held;         /* batches the main side keeps */
  GArray      *output;       /* samples of every batch, in order */
  GArray      *batch_sizes;
  GArray      *batch_rates;
  gboolean     hold;
  double       now_ms;
  guint64      next_sequence;
  guint        wakeups;
} Fixture;

static void
on_wakeup (gpointer user_data)
{
  Fixture *f = user_data;

  f->wakeups++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->processor = pt_processor_new (SAMPLE_RATE, 1);
  pt_processor_set_wakeup_func (f->processor, on_wakeup, f);
  f->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_envelope_unref);
  f->held = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_envelope_unref);
  f->output = g_array_new (FALSE, FALSE, sizeof (float));
  f->batch_sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  f->batch_rates = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->processor, pt_processor_free);
  /* Batches still held keep the pool alive until here. */
  g_ptr_array_unref (f->held);
  g_ptr_array_unref (f->messages);
  g_array_unref (f->output);
  g_array_unref (f->batch_sizes);
  g_array_unref (f->batch_rates);
}

/* A copy through JSON, as a log keeps it: the overflow report is the
 * processor's own envelope, and holding it would hold back the next one. */
static PtEnvelope *
copy_envelope (const PtEnvelope *envelope)
{
  g_autofree char *json = pt_envelope_to_json (envelope);
  g_autoptr(GError) error = NULL;
  PtEnvelope *copy = pt_envelope_from_json (json, -1, &error);

  g_assert_no_error (error);
  return copy;
}

/* The main side: takes what the worklet posted. */
static void
drain (Fixture *f)
{
  GAsyncQueue *queue = pt_processor_get_to_main_queue (f->processor);
  PtEnvelope *envelope;

  while ((envelope = g_async_queue_try_pop (queue)) != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (pt_envelope_validate (envelope, SAMPLE_RATE, &error));
      g_assert_no_error (error);

      if (envelope->type != PT_MESSAGE_AUDIO_DATA_BATCH)
        {
          g_ptr_array_add (f->messages, copy_envelope (envelope));
          pt_envelope_unref (envelope);
          continue;
        }

      g_assert_cmpuint (envelope->payload.batch.sequence_number, ==, f->next_sequence);
      f->next_sequence++;
      g_array_append_vals (f->output, envelope->payload.batch.samples,
                           envelope->payload.batch.sample_count);
      g_array_append_val (f->batch_sizes, envelope->payload.batch.sample_count);
      g_array_append_val (f->batch_rates, envelope->payload.batch.sample_rate);
      /* No frame lost or repeated: each batch starts where the output stands. */
      g_assert_cmpuint (envelope->payload.batch.first_frame, ==,
                        f->output->len - envelope->payload.batch.sample_count +
                        envelope->payload.batch.dropped_frames);
      if (f->hold)
        g_ptr_array_add (f->held, envelope);
      else
        pt_envelope_unref (envelope);
    }
}

static guint32
send (Fixture    *f,
      PtEnvelope *envelope)
{
  guint32 id = envelope->message_id;

  g_async_queue_push (pt_processor_get_to_worklet_queue (f->processor), envelope);
  return id;
}

/* @n_cycles cycles of @quantum frames from @input (NULL: silence), then drain. */
static void
run (Fixture     *f,
     const float *input,
     guint        n_cycles,
     guint        quantum)
{
  for (guint i = 0; i < n_cycles; i++)
    {
      pt_processor_process (f->processor, input != NULL ? input + (gsize) i * quantum : NULL,
                            quantum, 1, f->now_ms);
      f->now_ms += quantum * 1000.0 / SAMPLE_RATE;
      drain (f);
    }
}

static PtEnvelope *
find_message (Fixture       *f,
              PtMessageType  type,
              guint          nth)
{
  for (guint i = 0; i < f->messages->len; i++)
    {
      PtEnvelope *envelope = g_ptr_array_index (f->messages, i);

      if (envelope->type == type && nth-- == 0)
        return envelope;
    }
  return NULL;
}

static guint
count_messages (Fixture       *f,
                PtMessageType  type)
{
  guint count = 0;

  for (guint i = 0; i < f->messages->len; i++)
    count += ((PtEnvelope *) g_ptr_array_index (f->messages, i))->type == type;
  return count;
}

static void
test_start_stop (Fixture       *f,
                 gconstpointer  data)
{
  guint n = 40 * PT_CHUNK_SIZE;
  g_autofree float *input = pt_test_new_distinct_samples (3 * n);

  /* Stopped: input is discarded, nothing is posted. */
  run (f, input, 10, PT_CHUNK_SIZE);
  g_assert_cmpuint (f->output->len, ==, 0);
  g_assert_cmpuint (f->messages->len, ==, 0);
  g_assert_cmpuint (f->wakeups, ==, 0);

  for (guint round = 0; round < 3; round++)
    {
      guint32 start_id = send (f, pt_envelope_new_start_processing ());
      guint32 stop_id;
      PtEnvelope *ready, *status;

      run (f, input + round * n, 40, PT_CHUNK_SIZE);
      g_assert_cmpint (pt_processor_get_state (f->processor), ==, PT_PROCESSOR_STATE_RUNNING);

      ready = find_message (f, PT_MESSAGE_PROCESSOR_READY, round);
      g_assert_nonnull (ready);
      g_assert_cmpuint (ready->in_reply_to, ==, start_id);
      g_assert_cmpuint (ready->payload.ready.batch_size, ==, PT_BATCH_SIZE_DEFAULT);
      g_assert_cmpfloat (ready->payload.ready.sample_rate, ==, SAMPLE_RATE);
      g_assert_cmpuint (ready->payload.ready.chunk_size, ==, PT_CHUNK_SIZE);
      status = find_message (f, PT_MESSAGE_STATUS_UPDATE, 2 * round);
      g_assert_cmpint (status->payload.status.state, ==, PT_PROCESSOR_STATE_RUNNING);
      g_assert_cmpuint (status->in_reply_to, ==, start_id);

      /* 40 chunks = 5 batches of 1024; the stop flushes nothing more. */
      stop_id = send (f, pt_envelope_new_stop_processing ());
      run (f, input, 5, PT_CHUNK_SIZE);
      g_assert_cmpint (pt_processor_get_state (f->processor), ==, PT_PROCESSOR_STATE_STOPPED);
      status = find_message (f, PT_MESSAGE_STATUS_UPDATE, 2 * round + 1);
      g_assert_cmpint (status->payload.status.state, ==, PT_PROCESSOR_STATE_STOPPED);
      g_assert_cmpuint (status->in_reply_to, ==, stop_id);
      g_assert_cmpuint (f->output->len, ==, (round + 1) * n);
    }

  g_assert_cmpmem (f->output->data, f->output->len * sizeof (float),
                   input, 3 * n * sizeof (float));
  g_assert_cmpuint (f->wakeups, >, 0);
}

/* A stop in mid-batch still delivers what was captured. */
static void
test_stop_flushes (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree float *input = pt_test_new_distinct_samples (3 * PT_CHUNK_SIZE);

  send (f, pt_envelope_new_start_processing ());
  run (f, input, 3, PT_CHUNK_SIZE);
  g_assert_cmpuint (f->output->len, ==, 0);
  send (f, pt_envelope_new_stop_processing ());
  run (f, NULL, 1, PT_CHUNK_SIZE);
  g_assert_cmpuint (f->output->len, ==, 3 * PT_CHUNK_SIZE);
  g_assert_cmpmem (f->output->data, f->output->len * sizeof (float),
                   input, 3 * PT_CHUNK_SIZE * sizeof (float));

  /* Start and stop twice in a row: answered, no harm. */
  send (f, pt_envelope_new_stop_processing ());
  send (f, pt_envelope_new_start_processing ());
  send (f, pt_envelope_new_start_processing ());
  run (f, NULL, 1, PT_CHUNK_SIZE);
  g_assert_cmpint (pt_processor_get_state (f->processor), ==, PT_PROCESSOR_STATE_RUNNING);
  g_assert_cmpuint (count_messages (f, PT_MESSAGE_PROCESSOR_READY), ==, 2);
}

static void
test_config_applied (Fixture       *f,
                     gconstpointer  data)
{
  guint32 id;
  PtEnvelope *applied;

  id = send (f, pt_envelope_new_update_batch_config (512, 20, TRUE));
  run (f, NULL, 1, PT_CHUNK_SIZE);
  applied = find_message (f, PT_MESSAGE_CONFIG_APPLIED, 0);
  g_assert_nonnull (applied);
  g_assert_cmpuint (applied->in_reply_to, ==, id);
  g_assert_cmpuint (applied->payload.applied.batch.batch_size, ==, 512);
  g_assert_cmpuint (applied->payload.applied.batch.timeout_ms, ==, 20);
  g_assert_true (applied->payload.applied.batch.adaptive);

  /* 4096 frames cannot fill in 10 ms: the timeout in force is longer. */
  id = send (f, pt_envelope_new_update_batch_config (4096, 10, FALSE));
  run (f, NULL, 1, PT_CHUNK_SIZE);
  applied = find_message (f, PT_MESSAGE_CONFIG_APPLIED, 1);
  g_assert_cmpuint (applied->in_reply_to, ==, id);
  g_assert_cmpuint (applied->payload.applied.batch.timeout_ms, ==,
                    (guint) ceil ((4096 + PT_CHUNK_SIZE) * 1000.0 / SAMPLE_RATE));

  id = send (f, pt_envelope_new_update_test_signal_config (TRUE, PT_WAVEFORM_TRIANGLE,
                                                           330.0, 0.25));
  run (f, NULL, 1, PT_CHUNK_SIZE);
  applied = find_message (f, PT_MESSAGE_CONFIG_APPLIED, 2);
  g_assert_cmpuint (applied->in_reply_to, ==, id);
  g_assert_true (applied->payload.applied.test_signal.enabled);
  g_assert_cmpint (applied->payload.applied.test_signal.waveform, ==, PT_WAVEFORM_TRIANGLE);
  g_assert_cmpfloat (applied->payload.applied.test_signal.frequency, ==, 330.0);
  g_assert_cmpfloat (applied->payload.applied.test_signal.amplitude, ==, 0.25);
  g_assert_cmpuint (applied->payload.applied.batch.batch_size, ==, 4096);

  id = send (f, pt_envelope_new_update_background_noise_config (TRUE, PT_NOISE_PINK, 0.05));
  run (f, NULL, 1, PT_CHUNK_SIZE);
  applied = find_message (f, PT_MESSAGE_CONFIG_APPLIED, 3);
  g_assert_cmpuint (applied->in_reply_to, ==, id);
  g_assert_true (applied->payload.applied.noise.enabled);
  g_assert_cmpint (applied->payload.applied.noise.noise_type, ==, PT_NOISE_PINK);
  g_assert_cmpfloat (applied->payload.applied.noise.level, ==, 0.05);
  g_assert_true (applied->payload.applied.test_signal.enabled);
}

static void
test_rejects_invalid (Fixture       *f,
                      gconstpointer  data)
{
  PtEnvelope *bad = pt_envelope_new_with_id (PT_MESSAGE_UPDATE_BATCH_CONFIG, 9001, 0.0, 0);
  PtEnvelope *error;
  PtEnvelope *applied;
  guint32 id;

  bad->payload.batch_config.batch_size = 100;
  bad->payload.batch_config.timeout_ms = 50;
  send (f, bad);
  /* Above Nyquist at this rate: the rule needs the stream's sample rate. */
  send (f, pt_envelope_new_update_test_signal_config (TRUE, PT_WAVEFORM_SINE, 19000.0, 0.5));
  run (f, NULL, 1, PT_CHUNK_SIZE);

  g_assert_cmpuint (count_messages (f, PT_MESSAGE_PROCESSING_ERROR), ==, 1);
  g_assert_cmpuint (count_messages (f, PT_MESSAGE_CONFIG_APPLIED), ==, 1);
  error = find_message (f, PT_MESSAGE_PROCESSING_ERROR, 0);
  g_assert_cmpuint (error->in_reply_to, ==, 9001);
  g_assert_cmpint (error->payload.error.code, ==, PT_WORKLET_ERROR_INVALID_CONFIGURATION);

  /* A message only the worklet sends is refused too. */
  id = send (f, pt_envelope_new_status_update (PT_PROCESSOR_STATE_RUNNING, NULL));
  run (f, NULL, 1, PT_CHUNK_SIZE);
  error = find_message (f, PT_MESSAGE_PROCESSING_ERROR, 1);
  g_assert_nonnull (error);
  g_assert_cmpuint (error->in_reply_to, ==, id);

  /* The config in force did not change. */
  send (f, pt_envelope_new_update_background_noise_config (FALSE, PT_NOISE_WHITE, 0.0));
  run (f, NULL, 1, PT_CHUNK_SIZE);
  applied = find_message (f, PT_MESSAGE_CONFIG_APPLIED, 1);
  g_assert_cmpuint (applied->payload.applied.batch.batch_size, ==, PT_BATCH_SIZE_DEFAULT);
}

static void
test_config_change_mid_batch (Fixture       *f,
                              gconstpointer  data)
{
  static const guint sizes[] = { 128, 4096, 384, 2048, 1024 };
  guint n_cycles = 200;
  g_autofree float *input = pt_test_new_distinct_samples (n_cycles * 256);

  send (f, pt_envelope_new_start_processing ());
  for (guint i = 0; i < n_cycles; i++)
    {
      if (i % 37 == 5)
        send (f, pt_envelope_new_update_batch_config (sizes[(i / 37) % G_N_ELEMENTS (sizes)],
                                                      50, FALSE));
      run (f, input + i * 256, 1, 256);
    }
  send (f, pt_envelope_new_stop_processing ());
  run (f, NULL, 1, 256);

  g_assert_cmpuint (count_messages (f, PT_MESSAGE_CONFIG_APPLIED), ==, 6);
  g_assert_cmpuint (f->output->len, ==, n_cycles * 256);
  g_assert_cmpmem (f->output->data, f->output->len * sizeof (float),
                   input, n_cycles * 256 * sizeof (float));
}

/* The loop's timer flushes what a stalled input left. */
static void
test_timer_flushes (Fixture       *f,
                    gconstpointer  data)
{
  double start;

  send (f, pt_envelope_new_start_processing ());
  run (f, NULL, 2, PT_CHUNK_SIZE);
  start = f->now_ms - 2 * PT_CHUNK_SIZE * 1000.0 / SAMPLE_RATE;
  f->wakeups = 0;

  pt_processor_check_timeout (f->processor, start + 49.0);
  drain (f);
  g_assert_cmpuint (f->output->len, ==, 0);
  g_assert_cmpuint (f->wakeups, ==, 0);

  pt_processor_check_timeout (f->processor, start + 50.0);
  drain (f);
  g_assert_cmpuint (f->output->len, ==, 2 * PT_CHUNK_SIZE);
  g_assert_cmpuint (f->wakeups, ==, 1);
}

static void
test_signal_replaces_input (Fixture       *f,
                            gconstpointer  data)
{
  guint n = 4096;
  g_autofree float *input = g_new (float, n);
  g_autofree float *expected = g_new (float, n);
  PtSignalGenerator reference;

  for (guint i = 0; i < n; i++)
    input[i] = 0.3f;

  send (f, pt_envelope_new_update_test_signal_config (TRUE, PT_WAVEFORM_SQUARE, 261.63, 0.5));
  send (f, pt_envelope_new_start_processing ());
  run (f, input, n / PT_CHUNK_SIZE, PT_CHUNK_SIZE);

  /* The same generator, faded in from silence as the worklet does. */
  pt_signal_generator_init (&reference, SAMPLE_RATE);
  pt_signal_generator_set_frequency (&reference, 261.63);
  pt_signal_generator_set_waveform (&reference, PT_WAVEFORM_SQUARE);
  pt_signal_generator_set_amplitude (&reference, 0.5);
  pt_signal_generator_process (&reference, expected, n);
  pt_signal_generator_clear (&reference);

  g_assert_cmpuint (f->output->len, ==, n);
  g_assert_cmpmem (f->output->data, n * sizeof (float), expected, n * sizeof (float));
}

/* The ring gets what is batched, as it is batched: the input alone, then
 * with noise mixed in; nothing once it is taken away. */
static void
test_monitor_gets_what_is_batched (Fixture       *f,
                                   gconstpointer  data)
{
  guint n = PT_BATCH_SIZE_DEFAULT;
  g_autofree float *input = pt_test_new_distinct_samples (2 * n);
  g_autofree float *monitored = g_new (float, 2 * n);
  PtRing ring;

  pt_ring_init (&ring, 4 * n);
  pt_processor_set_monitor_ring (f->processor, &ring);
  send (f, pt_envelope_new_start_processing ());
  run (f, input, n / PT_CHUNK_SIZE, PT_CHUNK_SIZE);
  send (f, pt_envelope_new_update_background_noise_config (TRUE, PT_NOISE_WHITE, 0.2));
  run (f, input + n, n / PT_CHUNK_SIZE, PT_CHUNK_SIZE);

  g_assert_cmpuint (f->output->len, ==, 2 * n);
  g_assert_cmpuint (pt_ring_read (&ring, monitored, 2 * n), ==, 2 * n);
  g_assert_cmpmem (monitored, 2 * n * sizeof (float), f->output->data, 2 * n * sizeof (float));
  g_assert_cmpmem (monitored, n * sizeof (float), input, n * sizeof (float));

  pt_processor_set_monitor_ring (f->processor, NULL);
  run (f, input, n / PT_CHUNK_SIZE, PT_CHUNK_SIZE);
  g_assert_cmpuint (pt_ring_get_fill (&ring), ==, 0);
  pt_ring_clear (&ring);
}

static void
test_noise_added (Fixture       *f,
                  gconstpointer  data)
{
  guint n = 1 << 16;
  double sum = 0.0;
  double db;

  send (f, pt_envelope_new_update_background_noise_config (TRUE, PT_NOISE_WHITE, 0.2));
  send (f, pt_envelope_new_start_processing ());
  run (f, NULL, n / PT_CHUNK_SIZE, PT_CHUNK_SIZE);

  g_assert_cmpuint (f->output->len, ==, n);
  for (guint i = 0; i < n; i++)
    sum += (double) g_array_index (f->output, float, i) * g_array_index (f->output, float, i);
  db = 10.0 * log10 (sum / n) - 20.0 * log10 (0.2 / sqrt (3.0));
  g_assert_cmpfloat (fabs (db), <, 0.1);
}

static void
test_counts_and_clamps (Fixture       *f,
                        gconstpointer  data)
{
  float input[PT_CHUNK_SIZE] = { 0.0f, };
  PtEnvelope *batch;

  input[3] = NAN;
  input[4] = 1.5f;
  input[5] = -1.0f;
  input[6] = INFINITY;
  f->hold = TRUE;
  send (f, pt_envelope_new_start_processing ());
  run (f, input, 1, PT_CHUNK_SIZE);
  send (f, pt_envelope_new_stop_processing ());
  run (f, NULL, 1, PT_CHUNK_SIZE);

  g_assert_cmpuint (f->held->len, ==, 1);
  batch = g_ptr_array_index (f->held, 0);
  g_assert_cmpuint (batch->payload.batch.sample_count, ==, PT_CHUNK_SIZE);
  g_assert_cmpuint (batch->payload.batch.nonfinite_count, ==, 2);
  g_assert_cmpuint (batch->payload.batch.clipped_count, ==, 2);
  g_assert_cmpfloat (batch->payload.batch.samples[3], ==, 0.0f);
  g_assert_cmpfloat (batch->payload.batch.samples[4], ==, 1.0f);
}

/* A main side that stops returning buffers: after the pool's 16 batches,
 * frames are dropped and counted, one BufferOverflow error per second of
 * (fake) time; when buffers come back, batches resume. */
static void
test_main_side_stops_returning (Fixture       *f,
                                gconstpointer  data)
{
  double cycle_ms = PT_CHUNK_SIZE * 1000.0 / SAMPLE_RATE;
  guint n_cycles = (guint) (5000.0 / cycle_ms);
  double first_drop_ms = 16 * 1024 * 1000.0 / SAMPLE_RATE;
  guint64 expected_dropped = (guint64) n_cycles * PT_CHUNK_SIZE - 16 * 1024;
  double last_ms = -1.0;
  guint n_errors;
  guint64 reported = 0;
  PtEnvelope *last;

  f->hold = TRUE;
  send (f, pt_envelope_new_start_processing ());
  run (f, NULL, n_cycles, PT_CHUNK_SIZE);

  g_assert_cmpuint (f->held->len, ==, PT_BUFFER_POOL_SIZE);
  g_assert_cmpuint (pt_processor_get_dropped_frames (f->processor), ==, expected_dropped);

  /* First drop at 341.3 ms, then 1341.3, 2341.3, 3341.3, 4341.3 ms. */
  n_errors = count_messages (f, PT_MESSAGE_PROCESSING_ERROR);
  g_assert_cmpuint (n_errors, ==, 5);
  for (guint i = 0; i < n_errors; i++)
    {
      PtEnvelope *error = find_message (f, PT_MESSAGE_PROCESSING_ERROR, i);
      PtProcessingError *payload = &error->payload.error;
      PtOverflowContext *context = &payload->context.overflow;

      g_assert_cmpint (payload->code, ==, PT_WORKLET_ERROR_BUFFER_OVERFLOW);
      g_assert_cmpfloat (payload->timestamp_ms, >=, first_drop_ms + 1000.0 * i - 0.001);
      /* each report waits for the first cycle a full second after the last */
      g_assert_cmpfloat (payload->timestamp_ms, <, first_drop_ms + 1000.0 * i + (i + 1) * cycle_ms);
      if (last_ms >= 0)
        g_assert_cmpfloat (payload->timestamp_ms - last_ms, >=, 1000.0);
      last_ms = payload->timestamp_ms;

      g_assert_cmpuint (context->capacity, ==, PT_BUFFER_POOL_SIZE);
      g_assert_cmpuint (context->in_use, ==, PT_BUFFER_POOL_SIZE);
      g_assert_cmpuint (context->available, ==, 0);
      g_assert_cmpuint (context->dropped_frames, >, 0);
      reported += context->dropped_frames;
      g_assert_cmpuint (context->dropped_frames_total, ==, reported);
    }
  /* Drops after the last report wait for the next one. */
  g_assert_cmpuint (reported, <=, expected_dropped);
  g_assert_cmpuint (reported, >,
                    expected_dropped - (guint64) (1000.0 / cycle_ms + 1) * PT_CHUNK_SIZE);

  /* The main side catches up: batches resume, the drop shows in the next one. */
  g_ptr_array_set_size (f->held, 0);
  f->hold = FALSE;
  run (f, NULL, 3 * 1024 / PT_CHUNK_SIZE, PT_CHUNK_SIZE);
  g_assert_cmpuint (f->batch_sizes->len, ==, PT_BUFFER_POOL_SIZE + 3);
  g_assert_cmpuint (count_messages (f, PT_MESSAGE_PROCESSING_ERROR), ==, 5);
  /* The drops since the last report are reported once their second is up,
   * and then no more errors: the pool is fine. */
  run (f, NULL, (guint) (3000.0 / cycle_ms), PT_CHUNK_SIZE);
  g_assert_cmpuint (count_messages (f, PT_MESSAGE_PROCESSING_ERROR), ==, 6);
  last = find_message (f, PT_MESSAGE_PROCESSING_ERROR, 5);
  reported += last->payload.error.context.overflow.dropped_frames;
  g_assert_cmpuint (reported, ==, expected_dropped);
  g_assert_cmpuint (pt_processor_get_dropped_frames (f->processor), ==, expected_dropped);
}

/* A rate handed over mid-batch: the partial batch leaves at the old rate, a
 * StatusUpdate says so, later batches are labelled with the new rate and the
 * test signal keeps its frequency at it. */
static void
test_rate_change (Fixture       *f,
                  gconstpointer  data)
{
  const double new_rate = 44100.0;
  guint n_old, n_batches_old;
  PtEnvelope *status;

  send (f, pt_envelope_new_update_test_signal_config (TRUE, PT_WAVEFORM_SAWTOOTH, 440.0, 0.5));
  send (f, pt_envelope_new_start_processing ());
  run (f, NULL, 8 * 3 + 2, PT_CHUNK_SIZE);           /* 3 batches and a quarter */
  n_batches_old = f->batch_sizes->len;
  g_assert_cmpuint (n_batches_old, ==, 3);

  pt_processor_set_sample_rate (f->processor, (guint) new_rate);
  for (guint i = 0; i < 8 * 4; i++)
    {
      pt_processor_process (f->processor, NULL, PT_CHUNK_SIZE, 1, f->now_ms);
      f->now_ms += PT_CHUNK_SIZE * 1000.0 / new_rate;
      drain (f);
    }

  /* The two chunks before the change left on their own, at 48 kHz. */
  g_assert_cmpuint (g_array_index (f->batch_sizes, guint, n_batches_old), ==, 2 * PT_CHUNK_SIZE);
  g_assert_cmpfloat (g_array_index (f->batch_rates, double, n_batches_old), ==, SAMPLE_RATE);
  n_old = 3 * 1024 + 2 * PT_CHUNK_SIZE;
  g_assert_cmpuint (f->batch_sizes->len, ==, n_batches_old + 1 + 4);
  for (guint i = n_batches_old + 1; i < f->batch_rates->len; i++)
    g_assert_cmpfloat (g_array_index (f->batch_rates, double, i), ==, new_rate);
  g_assert_cmpuint (f->output->len, ==, n_old + 4 * 1024);

  status = find_message (f, PT_MESSAGE_STATUS_UPDATE, 1);
  g_assert_nonnull (status);
  g_assert_cmpint (status->payload.status.state, ==, PT_PROCESSOR_STATE_RUNNING);
  g_assert_cmpstr (status->payload.status.details, ==, "Sample rate 44100 Hz");

  g_assert_cmpfloat_with_epsilon (pt_test_measure_frequency ((float *) f->output->data, n_old,
                                                     SAMPLE_RATE), 440.0, 1.0);
  g_assert_cmpfloat_with_epsilon (pt_test_measure_frequency ((float *) f->output->data + n_old, 4 * 1024,
                                                     new_rate), 440.0, 1.0);
}

/* Stereo input with a tone per channel: the chosen channel, the mix, and an
 * index beyond the channels taking the last. */
static void
test_channel_choice (Fixture       *f,
                     gconstpointer  data)
{
  const guint n = 1024;
  g_autofree float *left = g_new (float, n);
  g_autofree float *right = g_new (float, n);
  g_autofree float *stereo = g_new (float, 2 * n);
  const int choices[] = { 0, 1, PT_PROCESSOR_INPUT_MIX, 7 };

  pt_test_fill_sine (left, n, SAMPLE_RATE, 440.0, 0.5, 0.0);
  pt_test_fill_sine (right, n, SAMPLE_RATE, 660.0, 0.25, 0.3);
  for (guint i = 0; i < n; i++)
    {
      stereo[2 * i] = left[i];
      stereo[2 * i + 1] = right[i];
    }

  send (f, pt_envelope_new_start_processing ());
  for (guint c = 0; c < G_N_ELEMENTS (choices); c++)
    {
      const float *got;

      pt_processor_set_input_channel (f->processor, choices[c]);
      for (guint i = 0; i < n / PT_CHUNK_SIZE; i++)
        {
          pt_processor_process (f->processor, stereo + 2 * i * PT_CHUNK_SIZE, PT_CHUNK_SIZE, 2,
                                f->now_ms);
          f->now_ms += PT_CHUNK_SIZE * 1000.0 / SAMPLE_RATE;
          drain (f);
        }
      g_assert_cmpuint (f->output->len, ==, (c + 1) * n);
      got = (float *) f->output->data + c * n;
      for (guint i = 0; i < n; i++)
        {
          float expected = choices[c] == 0 ? left[i]
                           : choices[c] == PT_PROCESSOR_INPUT_MIX ? (left[i] + right[i]) * 0.5f
                           : right[i];

          g_assert_cmpfloat_with_epsilon (got[i], expected, 1e-7);
        }
    }
}

typedef struct
{
  PtProcessor *processor;
  GThread     *posted_from;
} DriverData;

static void
record_wakeup_thread (gpointer user_data)
{
  DriverData *d = user_data;

  d->posted_from = g_thread_self ();
}

/* A driving thread: three cycles of silence, then the timer at +60 ms. */
static gpointer
drive (gpointer user_data)
{
  DriverData *d = user_data;

  for (guint i = 0; i < 3; i++)
    pt_processor_process (d->processor, NULL, PT_CHUNK_SIZE, 1, i * 2.0);
  d->posted_from = NULL;
  pt_processor_check_timeout (d->processor, 60.0);
  return NULL;
}

/* The partial batch's timeout fires on the thread that drives the
 * processor; another thread may drive it only once it is released, and a
 * debug build aborts one that does not wait. */
static void
test_timeout_on_driving_thread (void)
{
  g_autoptr(PtProcessor) processor = pt_processor_new (SAMPLE_RATE, 1);
  GAsyncQueue *to_main = pt_processor_get_to_main_queue (processor);
  DriverData d = { processor, NULL };
  GThread *thread;
  PtEnvelope *envelope;
  guint n_batches = 0;

  pt_processor_set_wakeup_func (processor, record_wakeup_thread, &d);
  g_async_queue_push (pt_processor_get_to_worklet_queue (processor),
                      pt_envelope_new_start_processing ());
  thread = g_thread_new ("pt-test-driver", drive, &d);
  g_thread_join (thread);

  g_assert_true (d.posted_from == thread);
  while ((envelope = g_async_queue_try_pop (to_main)) != NULL)
    {
      n_batches += envelope->type == PT_MESSAGE_AUDIO_DATA_BATCH;
      pt_envelope_unref (envelope);
    }
  g_assert_cmpuint (n_batches, ==, 1);

  if (g_test_subprocess ())
    {
      /* Still the other thread's: driving it from here aborts. */
      pt_processor_check_timeout (processor, 100.0);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*assertion failed*owner*");

  /* Released, it is this thread's: its reply is posted from here. */
  pt_processor_release_thread (processor);
  g_async_queue_push (pt_processor_get_to_worklet_queue (processor),
                      pt_envelope_new_stop_processing ());
  pt_processor_process (processor, NULL, PT_CHUNK_SIZE, 1, 100.0);
  g_assert_true (d.posted_from == g_thread_self ());
  while ((envelope = g_async_queue_try_pop (to_main)) != NULL)
    pt_envelope_unref (envelope);
  pt_processor_free_spent (processor);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/pitch-toy/processor/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("start-stop", test_start_stop);
  ADD ("stop-flushes", test_stop_flushes);
  ADD ("config-applied", test_config_applied);
  ADD ("rejects-invalid", test_rejects_invalid);
  ADD ("config-change-mid-batch", test_config_change_mid_batch);
  ADD ("timer-flushes", test_timer_flushes);
  ADD ("signal-replaces-input", test_signal_replaces_input);
  ADD ("noise-added", test_noise_added);
  ADD ("monitor-gets-what-is-batched", test_monitor_gets_what_is_batched);
  ADD ("counts-and-clamps", test_counts_and_clamps);
  ADD ("main-side-stops-returning", test_main_side_stops_returning);
  ADD ("rate-change", test_rate_change);
  ADD ("channel-choice", test_channel_choice);
#undef ADD
  g_test_add_func ("/pitch-toy/processor/timeout-on-driving-thread",
                   test_timeout_on_driving_thread);

  return g_test_run ();
}
