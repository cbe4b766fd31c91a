/* test-message-log.c — PtMessageLog: the last lines only, batches sampled
 * by envelope time with the count left out, newest first, no envelope kept (a static one
 * is released the moment its caller drops it), and the whole log written as
 * JSON Lines that pt_envelope_from_json reads back equal.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pt-message-log.h"
#include "pt-protocol-json.h"

typedef struct
{
  PtMessageLog *log;
  guint         added;
  guint         removed;
} Fixture;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  fixture->added += added;
  fixture->removed += removed;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->log = pt_message_log_new (PT_MESSAGE_LOG_DEFAULT_CAPACITY);
  fixture->added = fixture->removed = 0;
  g_signal_connect (fixture->log, "items-changed", G_CALLBACK (on_items_changed), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->log);
}

static PtEnvelope *
new_batch (guint64 sequence,
           double  timestamp_ms)
{
  PtEnvelope *envelope = pt_envelope_new_with_id (PT_MESSAGE_AUDIO_DATA_BATCH,
                                                  (guint32) sequence + 1, timestamp_ms, 0);

  envelope->payload.batch = (PtAudioDataBatch) {
    .sample_rate = 48000.0, .sample_count = 1024, .buffer_length = 4096,
    .sequence_number = sequence, .first_frame = sequence * 1024, .buffer_id = 3,
    .pool_available = 15, .pool_in_use = 1,
  };
  return envelope;
}

static PtEnvelope *
new_status (guint32 id)
{
  PtEnvelope *envelope = pt_envelope_new_with_id (PT_MESSAGE_STATUS_UPDATE, id, 10.0 * id, 0);

  envelope->payload.status.state = PT_PROCESSOR_STATE_RUNNING;
  envelope->payload.status.details = g_strdup_printf ("status %u", id);
  return envelope;
}

static PtMessageLogEntry *
entry_at (Fixture *fixture,
          guint    position)
{
  PtMessageLogEntry *entry = g_list_model_get_item (G_LIST_MODEL (fixture->log), position);

  g_assert_nonnull (entry);
  g_object_unref (entry);  /* the log holds it */
  return entry;
}

static PtEnvelope *
parse_entry (Fixture *fixture,
             guint    position)
{
  g_autoptr(GError) error = NULL;
  PtEnvelope *envelope = pt_envelope_from_json (pt_message_log_entry_get_text (entry_at (fixture,
                                                                                         position)),
                                                -1, &error);

  g_assert_no_error (error);
  return envelope;
}

static void
test_keeps_the_last (Fixture       *fixture,
                     gconstpointer  data)
{
  for (guint32 id = 1; id <= 250; id++)
    {
      g_autoptr(PtEnvelope) envelope = new_status (id);

      pt_message_log_append (fixture->log, envelope, FALSE);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->log)), ==, 200);
  g_assert_cmpuint (fixture->added - fixture->removed, ==, 200);
  g_assert_cmpuint (fixture->removed, ==, 50);
  {
    g_autoptr(PtEnvelope) newest = parse_entry (fixture, 0);
    g_autoptr(PtEnvelope) oldest = parse_entry (fixture, 199);

    g_assert_cmpuint (newest->message_id, ==, 250);
    g_assert_cmpstr (newest->payload.status.details, ==, "status 250");
    g_assert_cmpuint (oldest->message_id, ==, 51);
  }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (fixture->log), 200));

  pt_message_log_clear (fixture->log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->log)), ==, 0);
  g_assert_cmpuint (fixture->added, ==, fixture->removed);
}

/* 50 batches a second for 3 s and a bit: one line a second, each saying
 * how many batches it stands for; other messages are never sampled. */
static void
test_samples_batches (Fixture       *fixture,
                      gconstpointer  data)
{
  for (guint64 i = 0; i <= 150; i++)
    {
      g_autoptr(PtEnvelope) batch = new_batch (i, 5000.0 + 20.0 * i);
      g_autoptr(PtEnvelope) status = new_status ((guint32) i + 1);

      pt_message_log_append (fixture->log, batch, FALSE);
      if (i % 50 == 25)
        pt_message_log_append (fixture->log, status, FALSE);
    }
  /* Oldest to newest: batch 0, status, batch 50, status, batch 100, status, batch 150. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->log)), ==, 7);
  for (guint i = 0; i < 7; i += 2)
    {
      PtMessageLogEntry *entry = entry_at (fixture, 6 - i);
      g_autoptr(PtEnvelope) envelope = parse_entry (fixture, 6 - i);

      g_assert_cmpint (pt_message_log_entry_get_message_type (entry), ==,
                       PT_MESSAGE_AUDIO_DATA_BATCH);
      g_assert_cmpuint (envelope->payload.batch.sequence_number, ==, 50 * (i / 2));
      g_assert_cmpuint (pt_message_log_entry_get_skipped (entry), ==, i == 0 ? 0 : 49);
    }
  g_assert_cmpint (pt_message_log_entry_get_message_type (entry_at (fixture, 5)), ==,
                   PT_MESSAGE_STATUS_UPDATE);
  g_assert_cmpuint (pt_message_log_entry_get_skipped (entry_at (fixture, 5)), ==, 0);
}

static void
on_release (PtEnvelope *envelope,
            gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* The log copies text: the envelope goes back at its caller's unref. */
static void
test_keeps_no_envelope (Fixture       *fixture,
                        gconstpointer  data)
{
  PtEnvelope envelope;
  guint released = 0;

  pt_envelope_init_static (&envelope, on_release, &released);
  for (guint i = 0; i < 3; i++)
    {
      pt_envelope_prepare_static (&envelope, PT_MESSAGE_AUDIO_DATA_BATCH, 2000.0 * i);
      envelope.payload.batch = (PtAudioDataBatch) {
        .sample_rate = 48000.0, .sample_count = 128, .buffer_length = 4096,
        .sequence_number = i, .pool_available = 16,
      };
      pt_message_log_append (fixture->log, &envelope, FALSE);
      pt_envelope_unref (&envelope);
      g_assert_cmpuint (released, ==, i + 1);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->log)), ==, 3);
}

/* One of each type, both ways, then the file: every line parses back to an
 * envelope equal to the one logged, oldest first. */
static void
test_writes_json_lines (Fixture       *fixture,
                        gconstpointer  data)
{
  PtBatchConfig batch = { 2048, 40, FALSE };
  PtTestSignalConfig signal = { TRUE, PT_WAVEFORM_SQUARE, 440.0, 0.5 };
  PtBackgroundNoiseConfig noise = { FALSE, PT_NOISE_PINK, 0.1 };
  g_autoptr(GPtrArray) logged = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_envelope_unref);
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  PtEnvelope *overflow;

  g_ptr_array_add (logged, pt_envelope_new_start_processing ());
  g_ptr_array_add (logged, pt_envelope_new_update_batch_config (2048, 40, FALSE));
  g_ptr_array_add (logged, pt_envelope_new_processor_ready (1024, 48000.0, 128));
  g_ptr_array_add (logged, new_batch (7, 100.0));
  g_ptr_array_add (logged, pt_envelope_new_config_applied (&batch, &signal, &noise, 2));
  overflow = pt_envelope_new_processing_error (PT_WORKLET_ERROR_BUFFER_OVERFLOW,
                                               "Buffer pool exhausted", 0);
  overflow->payload.error.context.overflow = (PtOverflowContext) {
    .capacity = 16, .in_use = 16, .exhausted_count = 1, .dropped_frames = 128,
    .dropped_frames_total = 128,
  };
  g_ptr_array_add (logged, overflow);
  g_ptr_array_add (logged, pt_envelope_new_device_lost ("alsa_input.usb", "gone"));
  g_ptr_array_add (logged, new_status (9));
  for (guint i = 0; i < logged->len; i++)
    {
      PtEnvelope *envelope = g_ptr_array_index (logged, i);

      pt_message_log_append (fixture->log, envelope,
                             pt_message_type_get_direction (envelope->type)
                             == PT_MESSAGE_DIRECTION_TO_WORKLET);
    }
  /* Newest first: the batch config is the second oldest. */
  g_assert_true (pt_message_log_entry_get_outgoing (entry_at (fixture, logged->len - 2)));
  g_assert_false (pt_message_log_entry_get_outgoing (entry_at (fixture, logged->len - 3)));

  g_assert_true (pt_message_log_write (fixture->log, stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  text = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
  g_assert_true (g_str_has_suffix (text, "\n"));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, logged->len + 1);
  g_assert_cmpstr (lines[logged->len], ==, "");
  for (guint i = 0; i < logged->len; i++)
    {
      g_autoptr(PtEnvelope) read_back = pt_envelope_from_json (lines[i], -1, &error);

      g_assert_no_error (error);
      g_assert_true (pt_envelope_equal (read_back, g_ptr_array_index (logged, i)));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/pitch-toy/message-log/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("keeps-the-last", test_keeps_the_last);
  ADD ("samples-batches", test_samples_batches);
  ADD ("keeps-no-envelope", test_keeps_no_envelope);
  ADD ("writes-json-lines", test_writes_json_lines);
#undef ADD

  return g_test_run ();
}
