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
#include "pt-signal-generator.h"
#include "pt-test-util.h"

#define SAMPLE_RATE 48000.0

typedef struct
{
  PtProcessor *processor;
  GPtrArray   *messages;     /* every non-batch envelope received */
  GPtrArray   *held;         /* batches the main side keeps */
  GArray      *output;       /* samples of every batch, in order */
  GArray      *batch_sizes;
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
          g_ptr_array_add (f->messages, envelope);
          continue;
        }

      g_assert_cmpuint (envelope->payload.batch.sequence_number, ==, f->next_sequence);
      f->next_sequence++;
      g_array_append_vals (f->output, envelope->payload.batch.samples,
                           envelope->payload.batch.sample_count);
      g_array_append_val (f->batch_sizes, envelope->payload.batch.sample_count);
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
                            quantum, f->now_ms);
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
      const char *value;

      g_assert_cmpint (payload->code, ==, PT_WORKLET_ERROR_BUFFER_OVERFLOW);
      g_assert_cmpfloat (payload->timestamp_ms, >=, first_drop_ms + 1000.0 * i - 0.001);
      /* each report waits for the first cycle a full second after the last */
      g_assert_cmpfloat (payload->timestamp_ms, <, first_drop_ms + 1000.0 * i + (i + 1) * cycle_ms);
      if (last_ms >= 0)
        g_assert_cmpfloat (payload->timestamp_ms - last_ms, >=, 1000.0);
      last_ms = payload->timestamp_ms;

      g_assert_cmpstr (g_hash_table_lookup (payload->context, "capacity"), ==, "16");
      g_assert_cmpstr (g_hash_table_lookup (payload->context, "in_use"), ==, "16");
      g_assert_cmpstr (g_hash_table_lookup (payload->context, "available"), ==, "0");
      value = g_hash_table_lookup (payload->context, "dropped_frames");
      g_assert_nonnull (value);
      reported += g_ascii_strtoull (value, NULL, 10);
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
  reported += g_ascii_strtoull (g_hash_table_lookup (last->payload.error.context, "dropped_frames"),
                                NULL, 10);
  g_assert_cmpuint (reported, ==, expected_dropped);
  g_assert_cmpuint (pt_processor_get_dropped_frames (f->processor), ==, expected_dropped);
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
  ADD ("counts-and-clamps", test_counts_and_clamps);
  ADD ("main-side-stops-returning", test_main_side_stops_returning);
#undef ADD

  return g_test_run ();
}
