/* pt-test-util.c — helpers shared by the test programs.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <sndfile.h>

#include "pt-test-util.h"

static gboolean
on_watchdog (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates @context until @condition holds; FALSE if the watchdog fired first.
 * Nothing in the tests sleeps: they wait on the condition they need. */
gboolean
pt_test_wait_until (GMainContext    *context,
                    PtTestCondition  condition,
                    gpointer         user_data,
                    guint            timeout_s)
{
  g_autoptr(GSource) watchdog = g_timeout_source_new_seconds (timeout_s);
  gboolean expired = FALSE;

  g_source_set_callback (watchdog, on_watchdog, &expired, NULL);
  g_source_attach (watchdog, context);

  while (!condition (user_data) && !expired)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (watchdog);
  return !expired || condition (user_data);
}

void
pt_test_fill_sine (float  *samples,
                   gsize   n_samples,
                   double  sample_rate,
                   double  frequency,
                   double  amplitude,
                   double  phase)
{
  for (gsize i = 0; i < n_samples; i++)
    samples[i] = (float) (amplitude * sin (phase + 2.0 * G_PI * frequency * (double) i / sample_rate));
}

/* Distinct, exactly representable values within ±0.5: a test that loses,
 * repeats or reorders a sample sees it. */
float *
pt_test_new_distinct_samples (guint n_samples)
{
  float *samples = g_new (float, n_samples);

  for (guint i = 0; i < n_samples; i++)
    samples[i] = (float) ((i * 7919u) % 65536u) / 65536.0f - 0.5f;
  return samples;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* Sets @property to @value and checks it notified exactly once; sets the same
 * value again and checks it did not notify: setters notify only on change. */
void
pt_test_assert_notifies_once (gpointer      object,
                              const char   *property,
                              const GValue *value)
{
  g_autofree char *signal = g_strconcat ("notify::", property, NULL);
  g_auto(GValue) read_back = G_VALUE_INIT;
  guint count = 0;
  gulong handler;

  handler = g_signal_connect (object, signal, G_CALLBACK (count_notify), &count);

  g_object_set_property (object, property, value);
  g_assert_cmpuint (count, ==, 1);

  g_value_init (&read_back, G_VALUE_TYPE (value));
  g_object_get_property (object, property, &read_back);
  g_assert_cmpint (g_param_values_cmp (g_object_class_find_property (G_OBJECT_GET_CLASS (object), property),
                                       value, &read_back), ==, 0);

  g_object_set_property (object, property, value);
  g_assert_cmpuint (count, ==, 1);

  g_signal_handler_disconnect (object, handler);
}

/* The integration harness passes the names of what it started through the
 * environment; a test run outside it fails here with a clear message. */
const char *
pt_test_harness_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set: run this test through `meson test`, which starts "
             "it inside tests/harness.py", name);
  return value;
}

gboolean
pt_test_write_wav (const char   *path,
                   const float  *samples,
                   gsize         n_samples,
                   int           sample_rate,
                   GError      **error)
{
  SF_INFO info = { .samplerate = sample_rate, .channels = 1,
                   .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
  SNDFILE *file = sf_open (path, SFM_WRITE, &info);
  sf_count_t written;

  if (file == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path, sf_strerror (NULL));
      return FALSE;
    }
  written = sf_writef_float (file, samples, (sf_count_t) n_samples);
  sf_close (file);
  if (written != (sf_count_t) n_samples)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: short write", path);
      return FALSE;
    }
  return TRUE;
}

/* Plays @wav_path into the harness's virtual microphone: the feed sink that
 * tests/harness.py created loops back to the source a capture stream targets. */
GSubprocess *
pt_test_play_into_feed (const char  *wav_path,
                        GError     **error)
{
  return g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, error,
                           "pw-play", "--target", pt_test_harness_env ("PT_TEST_FEED_NODE"),
                           wav_path, NULL);
}
