/* pt-test-util.c — helpers shared by the test programs; the world calls
 * speak the line protocol of tests/harness.py's control channel.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sndfile.h>
#include <gio/gunixsocketaddress.h>
#include <pipewire/pipewire.h>
#include <spa/param/audio/format-utils.h>

#include "pt-stats.h"
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

typedef struct
{
  GObject    *object;
  const char *property;
  int         value;
} EnumWait;

static gboolean
enum_is (gpointer user_data)
{
  EnumWait *wait = user_data;
  int value;

  g_object_get (wait->object, wait->property, &value, NULL);
  return value == wait->value;
}

gboolean
pt_test_wait_enum (GMainContext *context,
                   gpointer      object,
                   const char   *property,
                   int           value,
                   guint         timeout_s)
{
  EnumWait wait = { G_OBJECT (object), property, value };

  return pt_test_wait_until (context, enum_is, &wait, timeout_s);
}

void
pt_test_fill_harmonic (float  *samples,
                       gsize   n_samples,
                       double  sample_rate,
                       double  frequency,
                       double  amplitude)
{
  for (gsize i = 0; i < n_samples; i++)
    {
      double x = 0.0;

      for (int h = 1; h <= 6; h++)
        if (h * frequency < 0.45 * sample_rate)
          x += sin (2.0 * G_PI * h * frequency * i / sample_rate + h) / h;
      samples[i] = (float) (amplitude * x);
    }
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

/* A "notify" handler counting into @count. */
void
pt_test_count_notify (GObject    *object,
                      GParamSpec *pspec,
                      guint      *count)
{
  (*count)++;
}

/* Every key of @settings back to its default. */
void
pt_test_reset_settings (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
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

  handler = g_signal_connect (object, signal, G_CALLBACK (pt_test_count_notify), &count);

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

const char *
pt_test_pitch_toy_path (void)
{
  static char *path;

  if (path == NULL)
    {
      const char *explicit_path = g_getenv ("PT_TEST_PITCH_TOY");
      const char *builddir = g_getenv ("PT_TEST_BUILDDIR");

      if (explicit_path != NULL && *explicit_path != '\0')
        path = g_strdup (explicit_path);
      else if (builddir != NULL)
        path = g_build_filename (builddir, "..", "src", "pitch-toy", NULL);
      else
        g_error ("Set PT_TEST_BUILDDIR or PT_TEST_PITCH_TOY: run this test through `meson test`");
    }
  return path;
}

void
pt_test_run_pitch_toy (PtTestRun          *run,
                       const char * const *args,
                       const char         *stdin_path)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) pt_test_pitch_toy_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (stdin_path != NULL)
    g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

void
pt_test_run_clear (PtTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

gboolean
pt_test_is_instrumented (void)
{
#if defined(__SANITIZE_ADDRESS__)
  return TRUE;
#else
  const char *preload = g_getenv ("LD_PRELOAD");

  return preload != NULL && (strstr (preload, "vgpreload") != NULL ||
                             strstr (preload, "libasan") != NULL);
#endif
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

/* Rising zero crossings of @samples, each located by linear interpolation
 * between the two samples around it, into @crossings; their count. */
static gsize
find_rising_crossings (const float *samples,
                       gsize        n_samples,
                       double      *crossings)
{
  gsize count = 0;

  for (gsize i = 1; i < n_samples; i++)
    if (samples[i - 1] < 0.0f && samples[i] >= 0.0f)
      crossings[count++] = (double) (i - 1) + samples[i - 1] / (double) (samples[i - 1] - samples[i]);
  return count;
}

typedef double (*PeriodMeasure) (const float *samples,
                                 double       from,
                                 double       to);

/* The median over the periods between rising zero crossings of what
 * @measure says of each: a gap in a capture on a busy machine (an xrun)
 * spoils a period or two, not the median. 0 with no whole period. */
static double
median_over_periods (const float   *samples,
                     gsize          n_samples,
                     PeriodMeasure  measure)
{
  g_autofree double *crossings = g_new (double, n_samples);
  gsize count = find_rising_crossings (samples, n_samples, crossings);

  if (count < 2)
    return 0.0;
  for (gsize i = 0; i + 1 < count; i++)
    crossings[i] = measure (samples, crossings[i], crossings[i + 1]);
  return pt_quantile (crossings, count - 1, 0.5);
}

static double
period_length (const float *samples,
               double       from,
               double       to)
{
  return to - from;
}

static double
period_rms (const float *samples,
            double       from,
            double       to)
{
  gsize first = (gsize) from + 1, end = (gsize) to + 1;
  double sum = 0;

  for (gsize i = first; i < end; i++)
    sum += (double) samples[i] * samples[i];
  return sqrt (sum / (double) (end - first));
}

/* Frequency from the median period between rising zero crossings; 0 when
 * fewer than two crossings leave no period to measure. */
double
pt_test_measure_frequency (const float *samples,
                           gsize        n_samples,
                           double       sample_rate)
{
  double period = median_over_periods (samples, n_samples, period_length);

  return period > 0 ? sample_rate / period : 0.0;
}

/* The RMS of a typical period of a tone: the median of each period's RMS,
 * so a gap does not lower it. 0 when there is no whole period. */
double
pt_test_measure_tone_rms (const float *samples,
                          gsize        n_samples)
{
  return median_over_periods (samples, n_samples, period_rms);
}

#define RECORDER_RATE 48000

struct _PtTestRecorder
{
  struct pw_thread_loop *loop;
  struct pw_stream      *stream;
  struct spa_hook        listener;
  GMainContext          *context;    /* woken after each cycle */
  float                 *samples;
  gsize                  max_frames;
  gsize                  n_frames;   /* atomic: written by the data thread */
  /* Per cycle: its first frame and the monotonic time its callback ran. */
  gsize                 *cycle_frames;
  gint64                *cycle_times;
  gsize                  max_cycles;
  gsize                  n_cycles;   /* atomic */
};

/* The data thread: appends what fits. */
static void
on_recorder_process (void *data)
{
  PtTestRecorder *self = data;
  struct pw_buffer *buffer = pw_stream_dequeue_buffer (self->stream);
  struct spa_data *d;
  gsize have, n;

  if (buffer == NULL)
    return;
  d = &buffer->buffer->datas[0];
  have = g_atomic_pointer_get (&self->n_frames);
  if (d->data != NULL && d->chunk != NULL)
    {
      guint32 offset = MIN (d->chunk->offset, d->maxsize);
      guint32 size = MIN (d->chunk->size, d->maxsize - offset);

      gsize cycle = g_atomic_pointer_get (&self->n_cycles);

      n = MIN (size / sizeof (float), self->max_frames - have);
      if (n > 0 && cycle < self->max_cycles)
        {
          self->cycle_frames[cycle] = have;
          self->cycle_times[cycle] = g_get_monotonic_time ();
          g_atomic_pointer_set (&self->n_cycles, cycle + 1);
        }
      memcpy (self->samples + have, SPA_PTROFF (d->data, offset, float), n * sizeof (float));
      g_atomic_pointer_set (&self->n_frames, have + n);
    }
  pw_stream_queue_buffer (self->stream, buffer);
  g_main_context_wakeup (self->context);
}

static const struct pw_stream_events recorder_events = {
  PW_VERSION_STREAM_EVENTS,
  .process = on_recorder_process,
};

PtTestRecorder *
pt_test_recorder_new (const char  *target,
                      gboolean     capture_sink,
                      gsize        max_frames,
                      GError     **error)
{
  g_autoptr(PtTestRecorder) self = g_new0 (PtTestRecorder, 1);
  guint8 pod_buffer[1024];
  struct spa_pod_builder builder = SPA_POD_BUILDER_INIT (pod_buffer, sizeof pod_buffer);
  struct spa_audio_info_raw info = { .format = SPA_AUDIO_FORMAT_F32, .rate = RECORDER_RATE,
                                     .channels = 1, .position = { SPA_AUDIO_CHANNEL_MONO } };
  const struct spa_pod *params[1];
  struct pw_properties *props;

  pw_init (NULL, NULL);
  self->context = g_main_context_ref_thread_default ();
  self->samples = g_new0 (float, max_frames);
  self->max_frames = max_frames;
  /* The harness's smallest quantum is 16 frames. */
  self->max_cycles = max_frames / 16 + 1;
  self->cycle_frames = g_new0 (gsize, self->max_cycles);
  self->cycle_times = g_new0 (gint64, self->max_cycles);
  self->loop = pw_thread_loop_new ("pt-test-recorder", NULL);
  props = pw_properties_new (PW_KEY_MEDIA_TYPE, "Audio", PW_KEY_MEDIA_CATEGORY, "Capture",
                             PW_KEY_NODE_NAME, "pt-test-recorder", PW_KEY_TARGET_OBJECT, target,
                             PW_KEY_STREAM_CAPTURE_SINK, capture_sink ? "true" : "false",
                             "node.dont-reconnect", "true", NULL);
  self->stream = pw_stream_new_simple (pw_thread_loop_get_loop (self->loop), "pt-test-recorder",
                                       props, &recorder_events, self);
  if (self->stream == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot make a recording stream");
      return NULL;
    }
  params[0] = spa_format_audio_raw_build (&builder, SPA_PARAM_EnumFormat, &info);
  if (pw_stream_connect (self->stream, PW_DIRECTION_INPUT, PW_ID_ANY,
                         PW_STREAM_FLAG_AUTOCONNECT | PW_STREAM_FLAG_MAP_BUFFERS |
                         PW_STREAM_FLAG_RT_PROCESS, params, 1) < 0 ||
      pw_thread_loop_start (self->loop) < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot record from %s", target);
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
pt_test_recorder_free (PtTestRecorder *self)
{
  if (self->stream != NULL)
    {
      /* The data thread reads self->stream until the stream is off its loop. */
      pw_thread_loop_lock (self->loop);
      pw_stream_destroy (self->stream);
      self->stream = NULL;
      pw_thread_loop_unlock (self->loop);
    }
  if (self->loop != NULL)
    pw_thread_loop_stop (self->loop);
  g_clear_pointer (&self->loop, pw_thread_loop_destroy);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->cycle_frames);
  g_free (self->cycle_times);
  g_free (self->samples);
  g_free (self);
}

gsize
pt_test_recorder_get_n_frames (PtTestRecorder *self)
{
  return (gsize) g_atomic_pointer_get (&self->n_frames);
}

const float *
pt_test_recorder_get_samples (PtTestRecorder *self)
{
  return self->samples;
}

/* The frame's cycle's callback time, plus its place in the cycle. */
double
pt_test_recorder_get_frame_time_ms (PtTestRecorder *self,
                                    gsize           frame)
{
  gsize n_cycles = g_atomic_pointer_get (&self->n_cycles);
  gsize cycle = 0;

  g_return_val_if_fail (n_cycles > 0 && frame < pt_test_recorder_get_n_frames (self), 0.0);

  while (cycle + 1 < n_cycles && self->cycle_frames[cycle + 1] <= frame)
    cycle++;
  return self->cycle_times[cycle] / 1000.0 +
         (frame - self->cycle_frames[cycle]) * 1000.0 / RECORDER_RATE;
}

typedef struct
{
  PtTestRecorder *recorder;
  gsize           n_frames;
} RecorderWait;

static gboolean
has_recorded (gpointer user_data)
{
  RecorderWait *wait = user_data;

  return pt_test_recorder_get_n_frames (wait->recorder) >= wait->n_frames;
}

gboolean
pt_test_recorder_wait_frames (PtTestRecorder *self,
                              GMainContext   *context,
                              gsize           n_frames,
                              guint           timeout_s)
{
  RecorderWait wait = { self, MIN (n_frames, self->max_frames) };

  g_assert (context == self->context);
  return pt_test_wait_until (context, has_recorded, &wait, timeout_s);
}

/* Longer than the harness's own watchdog, so its reason for a failure
 * arrives before we give up on the reply. */
#define WORLD_REPLY_TIMEOUT_S (2 * PT_TEST_TIMEOUT_SERVER_S)

static GSocketConnection *
world_connect (GError **error)
{
  const char *path = g_getenv ("PT_TEST_HARNESS_CONTROL");
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = NULL;

  if (path == NULL || *path == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "PT_TEST_HARNESS_CONTROL is not set: run this test through `meson test`, "
                   "which starts it inside tests/harness.py --pipewire");
      return NULL;
    }
  address = g_unix_socket_address_new (path);
  g_socket_client_set_timeout (client, WORLD_REPLY_TIMEOUT_S);
  return g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, error);
}

/* Sends @command, one line, and reads the one reply line: `ok`, or
 * `error WHY`, which becomes the GError. */
static gboolean
world_command (const char  *command,
               GError     **error)
{
  g_autoptr(GSocketConnection) connection = world_connect (error);
  g_autoptr(GDataInputStream) input = NULL;
  g_autofree char *request = g_strconcat (command, "\n", NULL);
  g_autofree char *reply = NULL;

  if (connection == NULL
      || !g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                     request, strlen (request), NULL, NULL, error))
    {
      g_prefix_error (error, "harness control, %s: ", command);
      return FALSE;
    }
  input = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  reply = g_data_input_stream_read_line_utf8 (input, NULL, NULL, error);
  if (reply == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "closed without a reply");
      g_prefix_error (error, "harness control, %s: ", command);
      return FALSE;
    }
  if (g_str_equal (reply, "ok"))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", command,
               g_str_has_prefix (reply, "error ") ? reply + strlen ("error ") : reply);
  return FALSE;
}

static void
append_number (GString *command,
               double   value)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (command, ' ');
  g_string_append (command, g_ascii_dtostr (number, sizeof number, value));
}

gboolean
pt_test_world_add_source (const char    *name,
                          guint          n_channels,
                          const double  *frequencies,
                          double         amplitude,
                          GError       **error)
{
  g_autoptr(GString) command = g_string_new ("add-source ");

  g_return_val_if_fail (name != NULL && n_channels > 0 && frequencies != NULL, FALSE);

  g_string_append (command, name);
  append_number (command, amplitude);
  for (guint c = 0; c < n_channels; c++)
    append_number (command, frequencies[c]);
  return world_command (command->str, error);
}

gboolean
pt_test_world_remove_source (const char  *name,
                             GError     **error)
{
  g_autofree char *command = g_strconcat ("remove-source ", name, NULL);

  return world_command (command, error);
}

gboolean
pt_test_world_set_default_source (const char  *name,
                                  GError     **error)
{
  g_autofree char *command = g_strconcat ("set-default-source ", name, NULL);

  return world_command (command, error);
}

gboolean
pt_test_world_kill (GError **error)
{
  return world_command ("kill", error);
}

gboolean
pt_test_world_restart (GError **error)
{
  return world_command ("restart", error);
}

gboolean
pt_test_world_force_rate (guint    rate,
                          GError **error)
{
  g_autofree char *command = g_strdup_printf ("force-rate %u", rate);

  return world_command (command, error);
}

gboolean
pt_test_world_wait_node (const char  *name,
                         gboolean     present,
                         GError     **error)
{
  g_autofree char *command = g_strdup_printf ("wait-node %s %s", name,
                                              present ? "present" : "absent");

  return world_command (command, error);
}
