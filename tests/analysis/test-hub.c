/* test-hub.c — the channel hub: a failing channel leaves the others' results
 * identical, disabled channels are never called, intervals, channels nobody
 * listens to do no work, and changes to the channel list from handlers.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "pt-hub.h"
#include "pt-pitch-analyzer.h"
#include "pt-test-util.h"
#include "pt-volume-detector.h"

#define RATE 48000.0

/* A channel that counts its calls and resets, emits "result" on each
 * successful batch, and fails on every Nth call when asked to. */
#define PT_TYPE_TEST_CHANNEL (pt_test_channel_get_type ())
G_DECLARE_FINAL_TYPE (PtTestChannel, pt_test_channel, PT, TEST_CHANNEL, GObject)

struct _PtTestChannel
{
  GObject parent_instance;
  guint   fail_every;
  guint   calls;
  guint   resets;
  GArray *first_frames;   /* guint64 first_frame of each batch it was called with */
};

static void pt_test_channel_analyzer_init (PtAnalyzerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PtTestChannel, pt_test_channel, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PT_TYPE_ANALYZER,
                                                      pt_test_channel_analyzer_init))

static guint test_channel_result_signal;

static gboolean
pt_test_channel_process_batch (PtAnalyzer            *analyzer,
                               const PtAnalysisBatch *batch,
                               GError               **error)
{
  PtTestChannel *self = PT_TEST_CHANNEL (analyzer);

  self->calls++;
  g_array_append_val (self->first_frames, batch->first_frame);
  if (self->fail_every > 0 && self->calls % self->fail_every == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "failure on call %u", self->calls);
      return FALSE;
    }
  g_signal_emit (self, test_channel_result_signal, 0);
  return TRUE;
}

static void
pt_test_channel_reset (PtAnalyzer *analyzer)
{
  PT_TEST_CHANNEL (analyzer)->resets++;
}

static void
pt_test_channel_analyzer_init (PtAnalyzerInterface *iface)
{
  iface->process_batch = pt_test_channel_process_batch;
  iface->reset = pt_test_channel_reset;
}

static void
pt_test_channel_finalize (GObject *object)
{
  g_array_unref (PT_TEST_CHANNEL (object)->first_frames);
  G_OBJECT_CLASS (pt_test_channel_parent_class)->finalize (object);
}

static void
pt_test_channel_class_init (PtTestChannelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pt_test_channel_finalize;
  test_channel_result_signal =
    g_signal_new ("result", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pt_test_channel_init (PtTestChannel *self)
{
  self->first_frames = g_array_new (FALSE, FALSE, sizeof (guint64));
}

static PtTestChannel *
pt_test_channel_new (guint fail_every)
{
  PtTestChannel *self = g_object_new (PT_TYPE_TEST_CHANNEL, NULL);

  self->fail_every = fail_every;
  return self;
}

/* The signal: a 220 Hz tone that swells and fades, then a 330 Hz one, in
 * batches of uneven sizes as the live engine may send them. */
#define N_BATCHES 90

static gsize
batch_size (guint i)
{
  static const gsize sizes[] = { 480, 256, 1024, 300, 128, 512 };

  return sizes[i % G_N_ELEMENTS (sizes)];
}

typedef struct
{
  GArray    *measurements;   /* PtVolumeMeasurement */
  GArray    *frames;         /* PtPitchFrame */
  GPtrArray *error_channels;
  GArray    *error_batches;  /* guint: hub batch index of each error */
  guint      batch_index;
} Run;

static void
on_measured (PtVolumeDetector          *detector,
             const PtVolumeMeasurement *m,
             Run                       *run)
{
  g_array_append_val (run->measurements, *m);
}

static void
on_frame (PtPitchAnalyzer    *analyzer,
          const PtPitchFrame *frame,
          Run                *run)
{
  g_array_append_val (run->frames, *frame);
}

static void
on_error (PtHub        *hub,
          const char   *channel,
          const GError *error,
          Run          *run)
{
  g_assert_nonnull (error);
  g_ptr_array_add (run->error_channels, g_strdup (channel));
  g_array_append_val (run->error_batches, run->batch_index);
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->measurements, g_array_unref);
  g_clear_pointer (&run->frames, g_array_unref);
  g_clear_pointer (&run->error_channels, g_ptr_array_unref);
  g_clear_pointer (&run->error_batches, g_array_unref);
}

static void
run_hub (Run           *run,
         PtTestChannel *extra)
{
  g_autoptr(PtHub) hub = pt_hub_new ();
  g_autoptr(PtVolumeDetector) volume = pt_volume_detector_new ();
  g_autoptr(PtPitchAnalyzer) pitch = pt_pitch_analyzer_new (RATE);
  static const char * const volume_signals[] = { "measured", NULL };
  static const char * const pitch_signals[] = { "frame", NULL };
  guint64 position = 0;

  run->measurements = g_array_new (FALSE, FALSE, sizeof (PtVolumeMeasurement));
  run->frames = g_array_new (FALSE, FALSE, sizeof (PtPitchFrame));
  run->error_channels = g_ptr_array_new_with_free_func (g_free);
  run->error_batches = g_array_new (FALSE, FALSE, sizeof (guint));

  g_signal_connect (volume, "measured", G_CALLBACK (on_measured), run);
  g_signal_connect (pitch, "frame", G_CALLBACK (on_frame), run);
  g_signal_connect (hub, "error", G_CALLBACK (on_error), run);

  /* The failing channel sits between the two, so both one before it and one
   * after it must be unaffected. */
  g_assert_true (pt_hub_add_channel (hub, "volume", PT_ANALYZER (volume), volume_signals));
  if (extra != NULL)
    g_assert_true (pt_hub_add_channel (hub, "flaky", PT_ANALYZER (extra), NULL));
  g_assert_true (pt_hub_add_channel (hub, "pitch", PT_ANALYZER (pitch), pitch_signals));

  for (guint i = 0; i < N_BATCHES; i++)
    {
      gsize n = batch_size (i);
      g_autofree float *samples = g_new (float, n);
      PtAnalysisBatch batch = {
        .samples = samples, .n_samples = n, .sample_rate = RATE, .first_frame = position,
      };

      for (gsize j = 0; j < n; j++)
        {
          double t = (double) (position + j) / RATE;
          double f = t < 0.5 ? 220.0 : 330.0;
          double envelope = 0.05 + 0.4 * fabs (sin (G_PI * t * 2.0));

          samples[j] = (float) (envelope * sin (2.0 * G_PI * f * t));
        }
      run->batch_index = i;
      pt_hub_process_batch (hub, &batch);
      position += n;
    }

  g_assert_cmpuint (pt_hub_get_channel_runs (hub, "volume"), ==, N_BATCHES);
  g_assert_cmpuint (pt_hub_get_channel_errors (hub, "volume"), ==, 0);
  g_assert_cmpuint (pt_hub_get_channel_runs (hub, "pitch"), ==, N_BATCHES);
  if (extra != NULL)
    {
      g_assert_cmpuint (pt_hub_get_channel_runs (hub, "flaky"), ==, N_BATCHES);
      g_assert_cmpuint (pt_hub_get_channel_errors (hub, "flaky"), ==, N_BATCHES / 3);
    }

  g_assert_finalize_object (g_steal_pointer (&hub));
  g_assert_finalize_object (g_steal_pointer (&volume));
  g_assert_finalize_object (g_steal_pointer (&pitch));
}

static void
test_isolation (void)
{
  g_autoptr(PtTestChannel) flaky = pt_test_channel_new (3);
  Run alone = { 0 }, with_flaky = { 0 };

  run_hub (&alone, NULL);
  run_hub (&with_flaky, flaky);

  /* The others' results are identical, bit for bit. */
  g_assert_cmpuint (alone.measurements->len, ==, N_BATCHES);
  g_assert_cmpuint (with_flaky.measurements->len, ==, alone.measurements->len);
  g_assert_cmpmem (with_flaky.measurements->data,
                   with_flaky.measurements->len * sizeof (PtVolumeMeasurement),
                   alone.measurements->data,
                   alone.measurements->len * sizeof (PtVolumeMeasurement));
  g_assert_cmpuint (alone.frames->len, >, 100);
  g_assert_cmpuint (with_flaky.frames->len, ==, alone.frames->len);
  for (guint i = 0; i < alone.frames->len; i++)
    {
      const PtPitchFrame *a = &g_array_index (alone.frames, PtPitchFrame, i);
      const PtPitchFrame *b = &g_array_index (with_flaky.frames, PtPitchFrame, i);

      g_assert_cmpuint (a->frame_index, ==, b->frame_index);
      g_assert_cmpfloat (a->frequency, ==, b->frequency);
      g_assert_cmpfloat (a->confidence, ==, b->confidence);
      g_assert_cmpint (a->voiced, ==, b->voiced);
      g_assert_cmpfloat (a->rms_dbfs, ==, b->rms_dbfs);
      g_assert_cmpstr (a->note.name, ==, b->note.name);
    }

  /* The failing channel ran on every batch, and its errors arrived on every
   * third: batches 2, 5, 8, … (0-based), named, each followed by its reset. */
  g_assert_cmpuint (flaky->calls, ==, N_BATCHES);
  for (guint i = 0; i < flaky->first_frames->len; i++)
    g_assert_cmpuint (g_array_index (flaky->first_frames, guint64, i), ==,
                      g_array_index (with_flaky.measurements, PtVolumeMeasurement, i).first_frame);
  g_assert_cmpuint (alone.error_batches->len, ==, 0);
  g_assert_cmpuint (with_flaky.error_batches->len, ==, N_BATCHES / 3);
  for (guint i = 0; i < with_flaky.error_batches->len; i++)
    {
      g_assert_cmpuint (g_array_index (with_flaky.error_batches, guint, i), ==, 3 * i + 2);
      g_assert_cmpstr (g_ptr_array_index (with_flaky.error_channels, i), ==, "flaky");
    }
  g_assert_cmpuint (flaky->resets, ==, N_BATCHES / 3);

  run_clear (&alone);
  run_clear (&with_flaky);
  g_assert_finalize_object (g_steal_pointer (&flaky));
}

static void
process_n (PtHub *hub,
           guint  n_batches)
{
  float samples[64] = { 0 };

  for (guint i = 0; i < n_batches; i++)
    {
      PtAnalysisBatch batch = {
        .samples = samples, .n_samples = G_N_ELEMENTS (samples), .sample_rate = RATE,
        .first_frame = (guint64) i * G_N_ELEMENTS (samples),
      };

      pt_hub_process_batch (hub, &batch);
    }
}

static void
test_disabled_not_called (void)
{
  g_autoptr(PtHub) hub = pt_hub_new ();
  g_autoptr(PtTestChannel) channel = pt_test_channel_new (0);
  g_autoptr(PtTestChannel) other = pt_test_channel_new (0);

  pt_hub_add_channel (hub, "counted", PT_ANALYZER (channel), NULL);
  pt_hub_add_channel (hub, "other", PT_ANALYZER (other), NULL);
  pt_hub_set_channel_enabled (hub, "counted", FALSE);
  g_assert_false (pt_hub_get_channel_enabled (hub, "counted"));

  process_n (hub, 20);
  g_assert_cmpuint (channel->calls, ==, 0);
  g_assert_cmpuint (other->calls, ==, 20);

  /* Enabled again: reset first, then called on every batch. */
  pt_hub_set_channel_enabled (hub, "counted", TRUE);
  g_assert_cmpuint (channel->resets, ==, 1);
  process_n (hub, 5);
  g_assert_cmpuint (channel->calls, ==, 5);

  /* And disabled in the middle of a run. */
  pt_hub_set_channel_enabled (hub, "counted", FALSE);
  process_n (hub, 5);
  g_assert_cmpuint (channel->calls, ==, 5);
  g_assert_cmpuint (pt_hub_get_channel_runs (hub, "counted"), ==, 5);

  g_assert_finalize_object (g_steal_pointer (&hub));
  g_assert_finalize_object (g_steal_pointer (&channel));
  g_assert_finalize_object (g_steal_pointer (&other));
}

static void
test_interval (void)
{
  g_autoptr(PtHub) hub = pt_hub_new ();
  g_autoptr(PtTestChannel) channel = pt_test_channel_new (0);

  pt_hub_add_channel (hub, "sparse", PT_ANALYZER (channel), NULL);
  pt_hub_set_channel_interval (hub, "sparse", 3);
  g_assert_cmpuint (pt_hub_get_channel_interval (hub, "sparse"), ==, 3);
  process_n (hub, 10);

  /* Batches 0, 3, 6 and 9, by their first frames. */
  g_assert_cmpuint (channel->calls, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (g_array_index (channel->first_frames, guint64, i), ==, 3 * i * 64);

  g_assert_finalize_object (g_steal_pointer (&hub));
  g_assert_finalize_object (g_steal_pointer (&channel));
}

static void
on_result (PtTestChannel *channel,
           guint         *count)
{
  (*count)++;
}

static void
test_unlistened_does_no_work (void)
{
  g_autoptr(PtHub) hub = pt_hub_new ();
  g_autoptr(PtTestChannel) channel = pt_test_channel_new (0);
  static const char * const result_signals[] = { "result", NULL };
  guint results = 0;
  gulong handler;

  g_assert_true (pt_hub_add_channel (hub, "debug", PT_ANALYZER (channel), result_signals));
  g_assert_false (pt_hub_get_channel_listened (hub, "debug"));
  process_n (hub, 10);
  g_assert_cmpuint (channel->calls, ==, 0);

  handler = g_signal_connect (channel, "result", G_CALLBACK (on_result), &results);
  g_assert_true (pt_hub_get_channel_listened (hub, "debug"));
  process_n (hub, 4);
  g_assert_cmpuint (channel->calls, ==, 4);
  g_assert_cmpuint (results, ==, 4);
  /* It was idle, so it was reset before its first run. */
  g_assert_cmpuint (channel->resets, ==, 1);

  /* A blocked handler is nobody listening. */
  g_signal_handler_block (channel, handler);
  process_n (hub, 4);
  g_assert_cmpuint (channel->calls, ==, 4);
  g_signal_handler_unblock (channel, handler);
  g_signal_handler_disconnect (channel, handler);
  process_n (hub, 4);
  g_assert_cmpuint (channel->calls, ==, 4);

  g_assert_finalize_object (g_steal_pointer (&hub));
  g_assert_finalize_object (g_steal_pointer (&channel));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* A property binding or a notify handler on the result property counts as
 * listening, a handler on another property does not. */
static void
test_notify_listener (void)
{
  g_autoptr(PtHub) hub = pt_hub_new ();
  g_autoptr(PtVolumeDetector) volume = pt_volume_detector_new ();
  static const char * const result_signals[] = { "notify::rms-dbfs", NULL };
  guint notifies = 0;
  gulong handler;

  pt_hub_add_channel (hub, "volume", PT_ANALYZER (volume), result_signals);
  handler = g_signal_connect (volume, "notify::peak-decay", G_CALLBACK (count_notify), &notifies);
  g_assert_false (pt_hub_get_channel_listened (hub, "volume"));
  process_n (hub, 3);
  g_assert_cmpuint (pt_hub_get_channel_runs (hub, "volume"), ==, 0);
  g_signal_handler_disconnect (volume, handler);

  g_signal_connect (volume, "notify::rms-dbfs", G_CALLBACK (count_notify), &notifies);
  g_assert_true (pt_hub_get_channel_listened (hub, "volume"));
  process_n (hub, 3);
  g_assert_cmpuint (pt_hub_get_channel_runs (hub, "volume"), ==, 3);

  g_assert_finalize_object (g_steal_pointer (&hub));
  g_assert_finalize_object (g_steal_pointer (&volume));
}

static void
remove_on_error (PtHub        *hub,
                 const char   *channel,
                 const GError *error,
                 gpointer      user_data)
{
  g_assert_true (pt_hub_remove_channel (hub, channel));
}

static void
test_remove_from_handler (void)
{
  g_autoptr(PtHub) hub = pt_hub_new ();
  g_autoptr(PtTestChannel) failing = pt_test_channel_new (1);
  g_autoptr(PtTestChannel) after = pt_test_channel_new (0);

  pt_hub_add_channel (hub, "failing", PT_ANALYZER (failing), NULL);
  pt_hub_add_channel (hub, "after", PT_ANALYZER (after), NULL);
  g_assert_false (pt_hub_add_channel (hub, "after", PT_ANALYZER (failing), NULL));
  g_assert_cmpuint (pt_hub_get_n_channels (hub), ==, 2);
  g_signal_connect (hub, "error", G_CALLBACK (remove_on_error), NULL);

  process_n (hub, 3);
  g_assert_cmpuint (failing->calls, ==, 1);
  g_assert_cmpuint (after->calls, ==, 3);
  g_assert_false (pt_hub_has_channel (hub, "failing"));
  g_assert_cmpuint (pt_hub_get_n_channels (hub), ==, 1);
  g_assert_true (pt_hub_get_analyzer (hub, "after") == PT_ANALYZER (after));
  g_assert_false (pt_hub_remove_channel (hub, "failing"));

  g_assert_finalize_object (g_steal_pointer (&hub));
  g_assert_finalize_object (g_steal_pointer (&failing));
  g_assert_finalize_object (g_steal_pointer (&after));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pitch-toy/hub/isolation-failing-channel", test_isolation);
  g_test_add_func ("/pitch-toy/hub/disabled-channel-not-called", test_disabled_not_called);
  g_test_add_func ("/pitch-toy/hub/every-nth-batch", test_interval);
  g_test_add_func ("/pitch-toy/hub/unlistened-channel-does-no-work", test_unlistened_does_no_work);
  g_test_add_func ("/pitch-toy/hub/notify-handler-is-a-listener", test_notify_listener);
  g_test_add_func ("/pitch-toy/hub/remove-from-error-handler", test_remove_from_handler);

  return g_test_run ();
}
