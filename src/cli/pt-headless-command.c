/* pt-headless-command.c — the engine with no display.
 *
 * --headless runs the engine as the app does and prints each analysis frame
 * of the pitch channel through the frame writer, flushed after each batch
 * (a few frames, some milliseconds), so a program reading a pipe sees the
 * frames as they come. State changes and
 * errors are printed too, in a form no frame has: a JSON object with an
 * "event" member, or a CSV comment line starting with "#". SIGINT and SIGTERM
 * end it cleanly: the engine stops, the output is flushed, the exit is 0.
 *
 * --list-devices waits until the device monitor has the whole list.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-headless-command"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "pt-analysis-enum-types.h"
#include "pt-device-monitor.h"
#include "pt-engine-enum-types.h"
#include "pt-engine.h"
#include "pt-frame-writer.h"
#include "pt-headless-command.h"
#include "pt-level.h"

/* How long to wait for the device list before going on without it. */
#define DEVICE_LIST_TIMEOUT_S 5

typedef struct
{
  char          *device;
  char          *channel;
  double         duration_s;
  char          *test_signal;
  char          *noise;
  char          *format;
  gboolean       json;
  gboolean       list_devices;
  gboolean       headless;
} Options;

typedef struct
{
  GMainLoop     *loop;
  PtEngine      *engine;
  PtFrameWriter *writer;
  GOutputStream *out;
  PtFrameFormat  format;
  int            status;
  char          *last_status;   /* the last status line, not repeated */
} Run;

static void
options_clear (Options *options)
{
  g_free (options->device);
  g_free (options->channel);
  g_free (options->test_signal);
  g_free (options->noise);
  g_free (options->format);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

gboolean
pt_headless_command_wanted (int    argc,
                            char **argv)
{
  for (int i = 1; i < argc && argv[i] != NULL; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        return FALSE;
      if (strcmp (argv[i], "--headless") == 0 || strcmp (argv[i], "--list-devices") == 0)
        return TRUE;
    }
  return FALSE;
}

static int
usage_error (const char *message)
{
  g_printerr ("pitch-toy: %s\n", message);
  g_printerr (_("Try 'pitch-toy --headless --help' for more information.\n"));
  return PT_HEADLESS_EXIT_USAGE;
}

/* Parsing of the option values. */

static gboolean
parse_waveform (const char *name,
                PtWaveform *waveform)
{
  static const char * const names[] = { "sine", "square", "sawtooth", "triangle" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (name, names[i]) == 0)
      {
        *waveform = (PtWaveform) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_number (const char *text,
              double      min,
              double      max,
              double     *value)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0' && isfinite (*value) && *value >= min && *value <= max;
}

/* FREQ[:WAVEFORM] */
static gboolean
parse_test_signal (const char         *text,
                   PtTestSignalConfig *config)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", 2);

  *config = (PtTestSignalConfig) { TRUE, PT_WAVEFORM_SINE, 440.0, 0.5 };
  if (!parse_number (parts[0], PT_PROTOCOL_FREQUENCY_MIN_HZ, PT_PROTOCOL_FREQUENCY_MAX_HZ,
                     &config->frequency))
    return FALSE;
  return parts[1] == NULL || parse_waveform (parts[1], &config->waveform);
}

/* white|pink[:LEVEL] */
static gboolean
parse_noise (const char              *text,
             PtBackgroundNoiseConfig *config)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", 2);

  *config = (PtBackgroundNoiseConfig) { TRUE, PT_NOISE_WHITE, 0.1 };
  if (g_strcmp0 (parts[0], "pink") == 0)
    config->noise_type = PT_NOISE_PINK;
  else if (g_strcmp0 (parts[0], "white") != 0)
    return FALSE;
  return parts[1] == NULL || parse_number (parts[1], 0.0, 1.0, &config->level);
}

/* N (from 0) or "mix" */
static gboolean
parse_channel (const char *text,
               int        *channel)
{
  guint64 value;

  if (g_strcmp0 (text, "mix") == 0)
    {
      *channel = -1;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, PT_MAX_CHANNELS - 1, &value, NULL))
    return FALSE;
  *channel = (int) value;
  return TRUE;
}

/* Output. */

static void
write_event_line (Run        *run,
                  const char *kind,
                  const char *name,
                  const char *detail)
{
  g_autoptr(GString) line = g_string_new (NULL);

  if (run->format == PT_FRAME_FORMAT_CSV)
    {
      g_string_printf (line, "# %s: %s%s%s\n", kind, name, detail != NULL ? ": " : "",
                       detail != NULL ? detail : "");
    }
  else
    {
      g_autofree char *escaped_name = g_strescape (name, NULL);
      g_autofree char *escaped_detail = detail != NULL ? g_strescape (detail, NULL) : NULL;

      gboolean error = strcmp (kind, "error") == 0;

      g_string_printf (line, "{\"event\":\"%s\",\"%s\":\"%s\"", kind,
                       error ? "code" : "state", escaped_name);
      if (escaped_detail != NULL)
        g_string_append_printf (line, ",\"%s\":\"%s\"", error ? "message" : "device",
                                escaped_detail);
      g_string_append (line, "}\n");
    }

  if (strcmp (kind, "status") == 0)
    {
      if (g_strcmp0 (line->str, run->last_status) == 0)
        return;
      g_free (run->last_status);
      run->last_status = g_strdup (line->str);
    }

  /* Whole lines, after the frames already written. */
  if (!pt_frame_writer_flush (run->writer, NULL) ||
      !g_output_stream_write_all (run->out, line->str, line->len, NULL, NULL, NULL))
    run->status = PT_HEADLESS_EXIT_OUTPUT;
}

static void
on_frame (PtPitchAnalyzer    *analyzer,
          const PtPitchFrame *frame,
          Run                *run)
{
  if (!pt_frame_writer_write_frame (run->writer, frame,
                                    pt_level_classify (frame->rms_dbfs, frame->peak_dbfs, 0),
                                    NULL))
    {
      run->status = PT_HEADLESS_EXIT_OUTPUT;
      g_main_loop_quit (run->loop);
    }
}

/* The frames of a batch leave together: one write a batch, not one a frame. */
static void
on_batch (PtEngine   *engine,
          PtEnvelope *batch,
          Run        *run)
{
  if (!pt_frame_writer_flush (run->writer, NULL))
    {
      run->status = PT_HEADLESS_EXIT_OUTPUT;
      g_main_loop_quit (run->loop);
    }
}

static void
on_state (PtEngine   *engine,
          GParamSpec *pspec,
          Run        *run)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (PT_TYPE_ENGINE_STATE);
  GEnumValue *value = g_enum_get_value (klass, pt_engine_get_state (engine));
  const char *linked = pt_engine_get_linked_device (engine);

  write_event_line (run, "status", value->value_nick, linked);
}

static void
on_error (PtEngine     *engine,
          const GError *error,
          Run          *run)
{
  static const char * const codes[] = {
    "InitializationFailed", "ProcessingFailed", "BufferOverflow", "InvalidConfiguration",
    "MemoryAllocationFailed", "DeviceLost", "ServerDisconnected",
  };
  const char *code = error->code >= 0 && (guint) error->code < G_N_ELEMENTS (codes)
                     ? codes[error->code] : "Unknown";

  write_event_line (run, "error", code, error->message);
}

static gboolean
on_quit (gpointer user_data)
{
  Run *run = user_data;

  g_main_loop_quit (run->loop);
  return G_SOURCE_CONTINUE;
}

/* Devices. */

static gboolean
monitor_ready_or_gone (gpointer user_data)
{
  PtDeviceMonitor *monitor = user_data;

  return pt_device_monitor_get_ready (monitor);
}

/* A monitor with the whole list, or NULL when no server answers in time. */
static PtDeviceMonitor *
wait_for_devices (void)
{
  g_autoptr(PtDeviceMonitor) monitor = pt_device_monitor_new ();
  gint64 deadline = g_get_monotonic_time () + DEVICE_LIST_TIMEOUT_S * G_USEC_PER_SEC;

  while (!monitor_ready_or_gone (monitor) && g_get_monotonic_time () < deadline)
    {
      if (!pt_device_monitor_get_connected (monitor))
        return NULL;
      g_main_context_iteration (NULL, TRUE);
    }
  return pt_device_monitor_get_ready (monitor) ? g_steal_pointer (&monitor) : NULL;
}

static int
list_devices (gboolean json)
{
  g_autoptr(PtDeviceMonitor) monitor = wait_for_devices ();
  guint n;

  if (monitor == NULL)
    {
      g_printerr ("pitch-toy: %s\n", _("Cannot reach the PipeWire server"));
      return PT_HEADLESS_EXIT_DEVICE;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (monitor));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PtDevice) device = g_list_model_get_item (G_LIST_MODEL (monitor), i);
      g_autofree char *name = g_strescape (pt_device_get_name (device), NULL);
      g_autofree char *description = g_strescape (pt_device_get_description (device), NULL);

      if (json)
        g_print ("{\"name\":\"%s\",\"description\":\"%s\",\"serial\":%" G_GUINT64_FORMAT
                 ",\"channels\":%u,\"default\":%s}\n", name, description,
                 pt_device_get_serial (device), pt_device_get_channels (device),
                 pt_device_get_is_default (device) ? "true" : "false");
      else
        g_print ("%s%s\t%s\t%u\n", pt_device_get_is_default (device) ? "* " : "  ",
                 pt_device_get_name (device), pt_device_get_description (device),
                 pt_device_get_channels (device));
    }
  return PT_HEADLESS_EXIT_OK;
}

/* A device asked for by name must be there at start. */
static int
check_device (const char *name)
{
  g_autoptr(PtDeviceMonitor) monitor = NULL;
  g_autoptr(GString) names = NULL;
  guint n;

  if (name == NULL || *name == '\0')
    return PT_HEADLESS_EXIT_OK;

  monitor = wait_for_devices ();
  if (monitor == NULL || pt_device_monitor_lookup (monitor, name) != NULL)
    return PT_HEADLESS_EXIT_OK;

  names = g_string_new (NULL);
  n = g_list_model_get_n_items (G_LIST_MODEL (monitor));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PtDevice) device = g_list_model_get_item (G_LIST_MODEL (monitor), i);

      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", pt_device_get_name (device));
    }
  g_printerr (_("pitch-toy: no input device named '%s'; there are: %s\n"), name,
              n > 0 ? names->str : _("none"));
  return PT_HEADLESS_EXIT_DEVICE;
}

static int
run_engine (Options *options)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(PtEngine) engine = pt_engine_new ();
  g_autoptr(GOutputStream) out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  PtFrameFormat format = g_strcmp0 (options->format, "csv") == 0 ? PT_FRAME_FORMAT_CSV
                                                                 : PT_FRAME_FORMAT_JSONL;
  g_autoptr(PtFrameWriter) writer = pt_frame_writer_new (format, pt_frame_default_fields,
                                                         G_N_ELEMENTS (pt_frame_default_fields),
                                                         out);
  PtHubChannel *pitch = pt_hub_lookup_channel (pt_engine_get_hub (engine), "pitch");
  Run run = { loop, engine, writer, out, format, PT_HEADLESS_EXIT_OK, NULL };
  PtTestSignalConfig signal;
  PtBackgroundNoiseConfig noise;
  int channel = -1;
  guint sources[3];

  if (options->test_signal != NULL && !parse_test_signal (options->test_signal, &signal))
    return usage_error (_("--test-signal takes FREQ[:sine|square|sawtooth|triangle], 20–20000 Hz"));
  if (options->noise != NULL && !parse_noise (options->noise, &noise))
    return usage_error (_("--noise takes white|pink[:LEVEL], a level from 0 to 1"));
  if (options->channel != NULL && !parse_channel (options->channel, &channel))
    return usage_error (_("--channel takes a channel number from 0, or mix"));
  if (options->format != NULL && format == PT_FRAME_FORMAT_JSONL &&
      strcmp (options->format, "jsonl") != 0)
    return usage_error (_("--format takes jsonl or csv"));
  if (options->duration_s < 0.0 || !isfinite (options->duration_s))
    return usage_error (_("--duration takes a number of seconds"));

  if (check_device (options->device) != PT_HEADLESS_EXIT_OK)
    return PT_HEADLESS_EXIT_DEVICE;

  pt_frame_writer_write_header (writer);
  g_signal_connect (pt_engine_get_pitch_analyzer (engine), "frame", G_CALLBACK (on_frame), &run);
  g_signal_connect (engine, "batch", G_CALLBACK (on_batch), &run);
  pt_hub_channel_claim (pitch);
  g_signal_connect (engine, "notify::state", G_CALLBACK (on_state), &run);
  g_signal_connect (engine, "notify::linked-device", G_CALLBACK (on_state), &run);
  g_signal_connect (engine, "error", G_CALLBACK (on_error), &run);

  pt_engine_set_device (engine, options->device);
  pt_engine_set_input_channel (engine, channel);
  if (options->test_signal != NULL)
    pt_engine_configure_test_signal (engine, &signal);
  if (options->noise != NULL)
    pt_engine_configure_noise (engine, &noise);
  pt_engine_start (engine);

  sources[0] = g_unix_signal_add (SIGINT, on_quit, &run);
  sources[1] = g_unix_signal_add (SIGTERM, on_quit, &run);
  sources[2] = options->duration_s > 0.0
               ? g_timeout_add ((guint) (options->duration_s * 1000.0), on_quit, &run) : 0;
  g_main_loop_run (loop);
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    g_clear_handle_id (&sources[i], g_source_remove);

  g_signal_handlers_disconnect_by_data (engine, &run);
  g_signal_handlers_disconnect_by_data (pt_engine_get_pitch_analyzer (engine), &run);
  pt_hub_channel_release (pitch);
  pt_engine_stop (engine);
  if (!pt_frame_writer_flush (writer, NULL))
    run.status = PT_HEADLESS_EXIT_OUTPUT;
  g_free (run.last_status);
  return run.status;
}

int
pt_headless_command_main (int    argc,
                          char **argv)
{
  g_auto(Options) options = { 0 };
  const GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &options.headless,
      N_("Run the live analysis with no window, printing frames on standard output"), NULL },
    { "list-devices", 0, 0, G_OPTION_ARG_NONE, &options.list_devices,
      N_("List the input devices (* marks the system default)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options.json,
      N_("With --list-devices: one JSON object per device"), NULL },
    { "device", 0, 0, G_OPTION_ARG_STRING, &options.device,
      N_("Capture from the input device with this node name (default: the system default)"),
      N_("NAME") },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &options.channel,
      N_("Analyse this channel of the device, from 0, or the mix of all (default)"),
      N_("N|mix") },
    { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &options.duration_s,
      N_("Stop after this many seconds (default: run until interrupted)"), N_("SECONDS") },
    { "test-signal", 0, 0, G_OPTION_ARG_STRING, &options.test_signal,
      N_("Analyse a test tone instead of the input"), N_("FREQ[:WAVEFORM]") },
    { "noise", 0, 0, G_OPTION_ARG_STRING, &options.noise,
      N_("Add background noise"), N_("white|pink[:LEVEL]") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &options.format,
      N_("Output format: jsonl (default) or csv"), N_("FORMAT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, _("Live pitch and level analysis without a window."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (argc > 1)
    return usage_error (_("unexpected argument"));

  if (options.list_devices)
    return list_devices (options.json);
  return run_engine (&options);
}
