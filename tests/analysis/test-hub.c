/* test-hub.c — the channel hub: a failing channel leaves the others' results
 * identical, disabled channels are never called, intervals, claimed channels
 * nobody claims do no work, the hub as a list model of its channels, the
 * channels' notifications and figures, and changes to the channel list from
 * handlers.
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

/* The hub owns its channels; the tests keep a reference of their own so they
 * can check each one is finalized. */
static PtHubChannel *
add_channel (PtHub            *hub,
             const char       *name,
             gpointer          analyzer,
             PtHubChannelMode  mode)
{
  PtHubChannel *channel = pt_hub_add_channel (hub, name, PT_ANALYZER (analyzer), mode);

  g_assert_nonnull (channel);
  g_assert_cmpstr (pt_hub_channel_get_name (channel), ==, name);
  g_assert_true (pt_hub_channel_get_analyzer (channel) == PT_ANALYZER (analyzer));
  return g_object_ref (channel);
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
feed_tone (PtHub *hub,
           Run   *run)
{
  guint64 position = 0;

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
}

static void
assert_timed (PtHubChannel *channel)
{
  double mean = pt_hub_channel_get_mean_time_us (channel);
  double max = pt_hub_channel_get_max_time_us (channel);

  g_assert_cmpfloat (mean, >, 0.0);
  g_assert_cmpfloat (max, >=, mean);
}

/* Volume and pitch as the engine has them: claimed channels, claimed. */
static void
run_hub (Run           *run,
         PtTestChannel *extra)
{
  g_autoptr(PtHub) hub = pt_hub_new ();
  g_autoptr(PtVolumeDetector) volume = pt_volume_detector_new ();
  g_autoptr(PtPitchAnalyzer) pitch = pt_pitch_analyzer_new (RATE);
  g_autoptr(PtHubChannel) volume_channel = NULL;
  g_autoptr(PtHubChannel) pitch_channel = NULL;
  g_autoptr(PtHubChannel) flaky_channel = NULL;

  run->measurements = g_array_new (FALSE, FALSE, sizeof (PtVolumeMeasurement));
  run->frames = g_array_new (FALSE, FALSE, sizeof (PtPitchFrame));
  run->error_channels = g_ptr_array_new_with_free_func (g_free);
  run->error_batches = g_array_new (FALSE, FALSE, sizeof (guint));

  g_signal_connect (volume, "measured", G_CALLBACK (on_measured), run);
  g_signal_connect (pitch, "frame", G_CALLBACK (on_frame), run);
  g_signal_connect (hub, "error", G_CALLBACK (on_error), run);

  /* The failing channel sits between the two, so both one before it and one
   * after it must be unaffected. */
  volume_channel = add_channel (hub, "volume", volume, PT_HUB_CHANNEL_CLAIMED);
  if (extra != NULL)
    flaky_channel = add_channel (hub, "flaky", extra, PT_HUB_CHANNEL_ALWAYS);
  pitch_channel = add_channel (hub, "pitch", pitch, PT_HUB_CHANNEL_CLAIMED);
  pt_hub_channel_claim (volume_channel);
  pt_hub_channel_claim (pitch_channel);

  feed_tone (hub, run);

  g_assert_cmpuint (pt_hub_channel_get_runs (volume_channel), ==, N_BATCHES);
  g_assert_cmpuint (pt_hub_channel_get_errors (volume_channel), ==, 0);
  g_assert_cmpuint (pt_hub_channel_get_runs (pitch_channel), ==, N_BATCHES);
  assert_timed (pitch_channel);
  if (extra != NULL)
    {
      g_assert_cmpuint (pt_hub_channel_get_runs (flaky_channel), ==, N_BATCHES);
      g_assert_cmpuint (pt_hub_channel_get_errors (flaky_channel), ==, N_BATCHES / 3);
    }

  g_assert_finalize_object (g_steal_pointer (&hub));
  g_assert_finalize_object (g_steal_pointer (&volume_channel));
  g_assert_finalize_object (g_steal_pointer (&pitch_channel));
  if (flaky_channel != NULL)
    g_assert_finalize_object (g_steal_pointer (&flaky_channel));
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
  g_autoptr(PtTestChannel) counted = pt_test_channel_new (0);
  g_autoptr(PtTestChannel) other = pt_test_channel_new (0);
  g_autoptr(PtHubChannel) channel = add_channel (hub, "counted", counted, PT_HUB_CHANNEL_ALWAYS);
  g_autoptr(PtHubChannel) other_channel = add_channel (hub, "other", other, PT_HUB_CHANNEL_ALWAYS);
  g_auto(GValue) disabled = G_VALUE_INIT;

  g_value_init (&disabled, G_TYPE_BOOLEAN);
  g_value_set_boolean (&disabled, FALSE);
  g_assert_true (pt_hub_channel_get_enabled (channel));
  pt_test_assert_notifies_once (channel, "enabled", &disabled);
  g_assert_false (pt_hub_channel_get_enabled (channel));
  g_assert_false (pt_hub_channel_get_active (channel));

  process_n (hub, 20);
  g_assert_cmpuint (counted->calls, ==, 0);
  g_assert_cmpuint (other->calls, ==, 20);

  /* Enabled again: reset first, then called on every batch. */
  pt_hub_channel_set_enabled (channel, TRUE);
  g_assert_cmpuint (counted->resets, ==, 1);
  process_n (hub, 5);
  g_assert_cmpuint (counted->calls, ==, 5);

  /* And disabled in the middle of a run. */
  pt_hub_channel_set_enabled (channel, FALSE);
  process_n (hub, 5);
  g_assert_cmpuint (counted->calls, ==, 5);
  g_assert_cmpuint (pt_hub_channel_get_runs (channel), ==, 5);
  g_assert_cmpuint (pt_hub_channel_get_runs (other_channel), ==, 30);

  g_assert_finalize_object (g_steal_pointer (&hub));
  g_assert_finalize_object (g_steal_pointer (&channel));
  g_assert_finalize_object (g_steal_pointer (&other_channel));
  g_assert_finalize_object (g_steal_pointer (&counted));
  g_assert_finalize_object (g_steal_pointer (&other));
}

static void
test_interval (void)
{
  g_autoptr(PtHub) hub = pt_hub_new ();
  g_autoptr(PtTestChannel) sparse = pt_test_channel_new (0);
  g_autoptr(PtHubChannel) channel = add_channel (hub, "sparse", sparse, PT_HUB_CHANNEL_ALWAYS);
  g_auto(GValue) three = G_VALUE_INIT;

  g_value_init (&three, G_TYPE_UINT);
  g_value_set_uint (&three, 3);
  g_assert_cmpuint (pt_hub_channel_get_interval (channel), ==, 1);
  pt_test_assert_notifies_once (channel, "interval", &three);
  g_assert_cmpuint (pt_hub_channel_get_interval (channel), ==, 3);
  process_n (hub, 10);

  /* Batches 0, 3, 6 and 9, by their first frames. */
  g_assert_cmpuint (sparse->calls, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (g_array_index (sparse->first_frames, guint64, i), ==, 3 * i * 64);

  /* A hub reset starts the count again: the next batch is a 0th. */
  process_n (hub, 1);
  g_assert_cmpuint (sparse->calls, ==, 4);
  pt_hub_reset (hub);
  g_assert_cmpuint (sparse->resets, ==, 1);
  process_n (hub, 1);
  g_assert_cmpuint (sparse->calls, ==, 5);

  g_assert_finalize_object (g_steal_pointer (&hub));
  g_assert_finalize_object (g_steal_pointer (&channel));
  g_assert_finalize_object (g_steal_pointer (&sparse));
}

static void
on_result (PtTestChannel *channel,
           guint         *count)
{
  (*count)++;
}

/* A claimed channel runs only while claimed: not because a handler is
 * connected to its results, and not while the other channels' batches go by. */
static void
test_unclaimed_does_no_work (void)
{
  g_autoptr(PtHub) hub = pt_hub_new ();
  g_autoptr(PtTestChannel) debug = pt_test_channel_new (0);
  g_autoptr(PtTestChannel) witness = pt_test_channel_new (0);
  g_autoptr(PtHubChannel) channel = add_channel (hub, "debug", debug, PT_HUB_CHANNEL_CLAIMED);
  g_autoptr(PtHubChannel) always = add_channel (hub, "witness", witness, PT_HUB_CHANNEL_ALWAYS);
  guint results = 0;

  g_signal_connect (debug, "result", G_CALLBACK (on_result), &results);
  g_assert_cmpuint (pt_hub_channel_get_claims (channel), ==, 0);
  g_assert_false (pt_hub_channel_get_active (channel));
  g_assert_true (pt_hub_channel_get_active (always));
  process_n (hub, 10);
  g_assert_cmpuint (pt_hub_channel_get_runs (always), ==, 10);
  g_assert_cmpuint (pt_hub_channel_get_runs (channel), ==, 0);
  g_assert_cmpuint (debug->calls, ==, 0);

  pt_hub_channel_claim (channel);
  g_assert_true (pt_hub_channel_get_active (channel));
  process_n (hub, 4);
  g_assert_cmpuint (debug->calls, ==, 4);
  g_assert_cmpuint (results, ==, 4);
  /* It was idle, so it was reset before its first run. */
  g_assert_cmpuint (debug->resets, ==, 1);

  /* Claims nest: one of two released, it still runs, and is not reset. */
  pt_hub_channel_claim (channel);
  pt_hub_channel_release (channel);
  g_assert_cmpuint (pt_hub_channel_get_claims (channel), ==, 1);
  g_assert_true (pt_hub_channel_get_active (channel));
  process_n (hub, 4);
  g_assert_cmpuint (debug->calls, ==, 8);
  g_assert_cmpuint (debug->resets, ==, 1);

  /* The last released: idle again, and reset again once claimed. */
  pt_hub_channel_release (channel);
  g_assert_false (pt_hub_channel_get_active (channel));
  process_n (hub, 4);
  g_assert_cmpuint (debug->calls, ==, 8);
  g_assert_cmpuint (pt_hub_channel_get_runs (always), ==, 22);
  pt_hub_channel_claim (channel);
  process_n (hub, 1);
  g_assert_cmpuint (debug->calls, ==, 9);
  g_assert_cmpuint (debug->resets, ==, 2);
  g_assert_cmpuint (pt_hub_channel_get_runs (channel), ==, 9);

  g_assert_finalize_object (g_steal_pointer (&hub));
  g_assert_finalize_object (g_steal_pointer (&channel));
  g_assert_finalize_object (g_steal_pointer (&always));
  g_assert_finalize_object (g_steal_pointer (&debug));
  g_assert_finalize_object (g_steal_pointer (&witness));
}

/* notify::active once per change of enabled-and-claimed, never otherwise;
 * nothing at all is notified while batches run. */
static void
test_active_notifies (void)
{
  g_autoptr(PtHub) hub = pt_hub_new ();
  g_autoptr(PtTestChannel) analyzer = pt_test_channel_new (0);
  g_autoptr(PtHubChannel) channel = add_channel (hub, "meter", analyzer, PT_HUB_CHANNEL_CLAIMED);
  guint active = 0, claims = 0, any = 0;
  gulong handler;

  g_signal_connect (channel, "notify::active", G_CALLBACK (pt_test_count_notify), &active);
  g_signal_connect (channel, "notify::claims", G_CALLBACK (pt_test_count_notify), &claims);

  pt_hub_channel_claim (channel);
  g_assert_cmpuint (active, ==, 1);
  pt_hub_channel_claim (channel);
  pt_hub_channel_release (channel);
  g_assert_cmpuint (active, ==, 1);
  g_assert_cmpuint (claims, ==, 3);
  pt_hub_channel_set_enabled (channel, FALSE);
  g_assert_cmpuint (active, ==, 2);
  pt_hub_channel_release (channel);
  pt_hub_channel_claim (channel);
  g_assert_cmpuint (active, ==, 2);
  pt_hub_channel_set_enabled (channel, TRUE);
  g_assert_cmpuint (active, ==, 3);
  pt_hub_channel_set_interval (channel, 2);
  g_assert_cmpuint (active, ==, 3);

  handler = g_signal_connect (channel, "notify", G_CALLBACK (pt_test_count_notify), &any);
  process_n (hub, 6);
  g_assert_cmpuint (pt_hub_channel_get_runs (channel), ==, 3);
  g_assert_cmpuint (any, ==, 0);
  g_signal_handler_disconnect (channel, handler);

  g_assert_finalize_object (g_steal_pointer (&hub));
  g_assert_finalize_object (g_steal_pointer (&channel));
  g_assert_finalize_object (g_steal_pointer (&analyzer));
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint calls;
} ItemsChanged;

static void
on_items_changed (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *last)
{
  *last = (ItemsChanged) { position, removed, added, last->calls + 1 };
}

static void
assert_item (PtHub        *hub,
             guint         position,
             PtHubChannel *channel)
{
  g_autoptr(PtHubChannel) item = g_list_model_get_item (G_LIST_MODEL (hub), position);

  g_assert_true (item == channel);
}

static void
assert_items_changed (const ItemsChanged *last,
                      guint               calls,
                      guint               position,
                      guint               removed,
                      guint               added)
{
  g_assert_cmpuint (last->calls, ==, calls);
  g_assert_cmpuint (last->position, ==, position);
  g_assert_cmpuint (last->removed, ==, removed);
  g_assert_cmpuint (last->added, ==, added);
}

static void
test_list_model (void)
{
  g_autoptr(PtHub) hub = pt_hub_new ();
  g_autoptr(PtTestChannel) analyzer = pt_test_channel_new (0);
  g_autoptr(PtHubChannel) a = NULL;
  g_autoptr(PtHubChannel) b = NULL;
  g_autoptr(PtHubChannel) c = NULL;
  ItemsChanged last = { 0 };
  GListModel *model = G_LIST_MODEL (hub);

  g_assert_true (g_list_model_get_item_type (model) == PT_TYPE_HUB_CHANNEL);
  g_signal_connect (hub, "items-changed", G_CALLBACK (on_items_changed), &last);

  a = add_channel (hub, "a", analyzer, PT_HUB_CHANNEL_ALWAYS);
  assert_items_changed (&last, 1, 0, 0, 1);
  b = add_channel (hub, "b", analyzer, PT_HUB_CHANNEL_CLAIMED);
  assert_items_changed (&last, 2, 1, 0, 1);
  c = add_channel (hub, "c", analyzer, PT_HUB_CHANNEL_ALWAYS);
  assert_items_changed (&last, 3, 2, 0, 1);
  g_assert_null (pt_hub_add_channel (hub, "b", PT_ANALYZER (analyzer), PT_HUB_CHANNEL_ALWAYS));
  g_assert_cmpuint (last.calls, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  assert_item (hub, 0, a);
  assert_item (hub, 1, b);
  assert_item (hub, 2, c);
  g_assert_null (g_list_model_get_item (model, 3));
  g_assert_true (pt_hub_lookup_channel (hub, "b") == b);
  g_assert_cmpint (pt_hub_channel_get_mode (b), ==, PT_HUB_CHANNEL_CLAIMED);

  g_assert_true (pt_hub_remove_channel (hub, "b"));
  assert_items_changed (&last, 4, 1, 1, 0);
  g_assert_false (pt_hub_remove_channel (hub, "b"));
  g_assert_cmpuint (last.calls, ==, 4);
  g_assert_null (pt_hub_lookup_channel (hub, "b"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  assert_item (hub, 1, c);
  g_assert_true (pt_hub_remove_channel (hub, "c"));
  assert_items_changed (&last, 5, 1, 1, 0);

  g_signal_handlers_disconnect_by_data (hub, &last);
  g_assert_finalize_object (g_steal_pointer (&hub));
  g_assert_finalize_object (g_steal_pointer (&a));
  g_assert_finalize_object (g_steal_pointer (&b));
  g_assert_finalize_object (g_steal_pointer (&c));
  g_assert_finalize_object (g_steal_pointer (&analyzer));
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
  g_autoptr(PtHubChannel) failing_channel = add_channel (hub, "failing", failing,
                                                         PT_HUB_CHANNEL_ALWAYS);
  g_autoptr(PtHubChannel) after_channel = add_channel (hub, "after", after,
                                                       PT_HUB_CHANNEL_ALWAYS);

  g_signal_connect (hub, "error", G_CALLBACK (remove_on_error), NULL);

  process_n (hub, 3);
  g_assert_cmpuint (failing->calls, ==, 1);
  g_assert_cmpuint (pt_hub_channel_get_errors (failing_channel), ==, 1);
  g_assert_cmpuint (after->calls, ==, 3);
  g_assert_null (pt_hub_lookup_channel (hub, "failing"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (hub)), ==, 1);
  g_assert_true (pt_hub_lookup_channel (hub, "after") == after_channel);
  g_assert_false (pt_hub_remove_channel (hub, "failing"));

  g_assert_finalize_object (g_steal_pointer (&hub));
  g_assert_finalize_object (g_steal_pointer (&failing_channel));
  g_assert_finalize_object (g_steal_pointer (&after_channel));
  g_assert_finalize_object (g_steal_pointer (&failing));
  g_assert_finalize_object (g_steal_pointer (&after));
}

typedef struct
{
  PtHub         *hub;
  PtTestChannel *late;
} Rearrange;

/* Run by the first channel's result: remove the second, disable the third
 * and add a fourth, all in the middle of the batch. */
static void
rearrange (PtTestChannel *first,
           Rearrange     *r)
{
  g_assert_true (pt_hub_remove_channel (r->hub, "second"));
  pt_hub_channel_set_enabled (pt_hub_lookup_channel (r->hub, "third"), FALSE);
  g_assert_nonnull (pt_hub_add_channel (r->hub, "late", PT_ANALYZER (r->late),
                                        PT_HUB_CHANNEL_ALWAYS));
}

static void
test_rearrange_mid_batch (void)
{
  g_autoptr(PtHub) hub = pt_hub_new ();
  g_autoptr(PtTestChannel) first = pt_test_channel_new (0);
  g_autoptr(PtTestChannel) second = pt_test_channel_new (0);
  g_autoptr(PtTestChannel) third = pt_test_channel_new (0);
  g_autoptr(PtTestChannel) late = pt_test_channel_new (0);
  g_autoptr(PtHubChannel) first_channel = add_channel (hub, "first", first, PT_HUB_CHANNEL_ALWAYS);
  g_autoptr(PtHubChannel) second_channel = add_channel (hub, "second", second,
                                                        PT_HUB_CHANNEL_ALWAYS);
  g_autoptr(PtHubChannel) third_channel = add_channel (hub, "third", third, PT_HUB_CHANNEL_ALWAYS);
  Rearrange r = { hub, late };
  gulong handler = g_signal_connect (first, "result", G_CALLBACK (rearrange), &r);

  process_n (hub, 1);
  g_signal_handler_disconnect (first, handler);
  g_assert_cmpuint (first->calls, ==, 1);
  g_assert_cmpuint (second->calls, ==, 0);
  g_assert_cmpuint (third->calls, ==, 0);
  g_assert_cmpuint (late->calls, ==, 0);

  /* From the next batch on, the new list as it stands. */
  process_n (hub, 2);
  g_assert_cmpuint (first->calls, ==, 3);
  g_assert_cmpuint (second->calls, ==, 0);
  g_assert_cmpuint (third->calls, ==, 0);
  g_assert_cmpuint (late->calls, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (hub)), ==, 3);

  g_assert_finalize_object (g_steal_pointer (&hub));
  g_assert_finalize_object (g_steal_pointer (&first_channel));
  g_assert_finalize_object (g_steal_pointer (&second_channel));
  g_assert_finalize_object (g_steal_pointer (&third_channel));
  g_assert_finalize_object (g_steal_pointer (&first));
  g_assert_finalize_object (g_steal_pointer (&second));
  g_assert_finalize_object (g_steal_pointer (&third));
  g_assert_finalize_object (g_steal_pointer (&late));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pitch-toy/hub/isolation-failing-channel", test_isolation);
  g_test_add_func ("/pitch-toy/hub/disabled-channel-not-called", test_disabled_not_called);
  g_test_add_func ("/pitch-toy/hub/every-nth-batch", test_interval);
  g_test_add_func ("/pitch-toy/hub/unclaimed-channel-does-no-work", test_unclaimed_does_no_work);
  g_test_add_func ("/pitch-toy/hub/active-notified-on-change", test_active_notifies);
  g_test_add_func ("/pitch-toy/hub/list-model-of-channels", test_list_model);
  g_test_add_func ("/pitch-toy/hub/remove-from-error-handler", test_remove_from_handler);
  g_test_add_func ("/pitch-toy/hub/rearrange-mid-batch", test_rearrange_mid_batch);

  return g_test_run ();
}
