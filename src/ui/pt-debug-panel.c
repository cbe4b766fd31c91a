/* pt-debug-panel.c — the side panel that shows the audio pipeline at work and
 * lets a developer drive it.
 *
 * It reads what the engine offers to anyone: its properties and metrics
 * snapshot, the hub's channel objects, the envelopes of its "message" and
 * "batch" signals; never its internals. The figures are read by a timer,
 * four times a second, and only while the panel is mapped; so is the
 * "debug" channel claimed, so that hidden, the scope and spectrum cost
 * nothing. The message log (text only, see pt-message-log.c) listens
 * always, so opening the panel shows what happened before.
 *
 * Controls send their envelope through the engine, or through the settings
 * the application turns into one (batch size and timeout); each shows the
 * ConfigApplied that answers the last envelope of its kind, whoever sent
 * it. The generators' parameters are settings; whether they are on is not,
 * so the app never starts on a test signal.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-debug-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "pt-debug-analyzer.h"
#include "pt-debug-panel.h"
#include "pt-message-log.h"
#include "pt-protocol-json.h"
#include "pt-signal-view.h"

#define REFRESH_INTERVAL_MS 250
#define SEND_INTERVAL_MS    100

typedef enum
{
  LIVE_STATE,
  LIVE_DEVICE,
  LIVE_LINKED,
  LIVE_RATE,
  LIVE_QUANTUM,
  LIVE_BATCH_SIZE,
  LIVE_BATCH_RATE,
  LIVE_SEQUENCE,
  LIVE_GAPS,
  LIVE_DROPPED,
  LIVE_POOL,
  LIVE_POOL_HIGH,
  LIVE_QUEUE,
  LIVE_LATENCY,
  LIVE_LATENCY_TAIL,
  LIVE_NOISE_FLOOR,
  N_LIVE
} LiveRow;

static const char * const live_keys[N_LIVE] = {
  [LIVE_STATE] = N_("State"),
  [LIVE_DEVICE] = N_("Device wanted"),
  [LIVE_LINKED] = N_("Linked to"),
  [LIVE_RATE] = N_("Sample rate"),
  [LIVE_QUANTUM] = N_("Quantum"),
  [LIVE_BATCH_SIZE] = N_("Batch size"),
  [LIVE_BATCH_RATE] = N_("Batches per second"),
  [LIVE_SEQUENCE] = N_("Sequence"),
  [LIVE_GAPS] = N_("Sequence gaps"),
  [LIVE_DROPPED] = N_("Dropped frames"),
  [LIVE_POOL] = N_("Buffer pool"),
  [LIVE_POOL_HIGH] = N_("Most buffers in use"),
  [LIVE_QUEUE] = N_("Queue depth"),
  [LIVE_LATENCY] = N_("Latency, last / mean"),
  [LIVE_LATENCY_TAIL] = N_("Latency, p99 / max"),
  [LIVE_NOISE_FLOOR] = N_("Noise floor / gate"),
};

/* The controls that show a ConfigApplied, by the message that asks for it. */
typedef enum
{
  CONTROL_BATCH,
  CONTROL_TEST_SIGNAL,
  CONTROL_NOISE,
  N_CONTROLS
} Control;

struct _PtDebugPanel
{
  AdwBin                parent_instance;

  PtEngine             *engine;
  PtSettings           *settings;
  GSignalGroup         *engine_signals;
  GBindingGroup        *engine_bindings;
  PtMessageLog         *log;
  GtkCustomFilter      *log_type_filter;
  PtHubChannel         *claimed;         /* the "debug" channel, while mapped */
  guint                 refresh_id;
  guint64               last_batches;
  gint64                last_refresh_us;
  guint64               last_sequence;
  guint64               drawn_batches;   /* of the debug analyser, as last drawn */
  guint32               sent_ids[N_CONTROLS];
  guint                 throttle_ids[N_CONTROLS];     /* a generator's sending, paused */
  gboolean              throttle_pending[N_CONTROLS]; /* it moved meanwhile */
  GtkFileChooserNative *save_chooser;
  GtkLabel             *live_values[N_LIVE];

  GtkGrid              *live_grid;
  AdwActionRow         *error_row;
  GtkListBox           *channel_list;
  PtSignalView         *scope;
  PtSignalView         *spectrum;
  GtkAdjustment        *batch_size_adjustment;
  GtkAdjustment        *batch_timeout_adjustment;
  GtkSwitch            *adaptive_switch;
  AdwActionRow         *batch_applied_row;
  AdwExpanderRow       *test_signal_row;
  AdwComboRow          *waveform_row;
  GtkAdjustment        *frequency_adjustment;
  GtkAdjustment        *octave_adjustment;
  GtkAdjustment        *amplitude_adjustment;
  GtkEntry             *note_entry;
  AdwExpanderRow       *noise_row;
  AdwComboRow          *noise_type_row;
  GtkAdjustment        *noise_level_adjustment;
  AdwActionRow         *monitor_row;
  GtkSwitch            *monitor_switch;
  GtkDropDown          *log_filter;
  GtkListView          *log_view;
};

G_DEFINE_FINAL_TYPE (PtDebugPanel, pt_debug_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
pt_debug_panel_new (void)
{
  return g_object_new (PT_TYPE_DEBUG_PANEL, NULL);
}

/* Live figures. */

static void
set_live (PtDebugPanel *self,
          LiveRow       row,
          const char   *text)
{
  gtk_label_set_text (self->live_values[row], text);
}

static void G_GNUC_PRINTF (3, 4)
set_live_printf (PtDebugPanel *self,
                 LiveRow       row,
                 const char   *format,
                 ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  set_live (self, row, text);
}

static const char *
describe_state (PtEngineState state)
{
  switch (state)
    {
    case PT_ENGINE_STATE_STOPPED:
      return _("Stopped");
    case PT_ENGINE_STATE_WAITING_FOR_DEVICE:
      return _("Waiting for a device (clock source)");
    case PT_ENGINE_STATE_RUNNING:
      return _("Running");
    case PT_ENGINE_STATE_FALLBACK:
      return _("No sound server (clock source)");
    case PT_ENGINE_STATE_ERROR:
    default:
      return _("Error");
    }
}

static void
refresh_device (PtDebugPanel *self)
{
  const char *wanted = pt_engine_get_device (self->engine);
  const char *linked = pt_engine_get_linked_device (self->engine);

  set_live (self, LIVE_STATE, describe_state (pt_engine_get_state (self->engine)));
  set_live (self, LIVE_DEVICE, wanted != NULL && *wanted != '\0' ? wanted : _("System default"));
  set_live (self, LIVE_LINKED, linked != NULL ? linked : _("Nothing"));
}

static void
refresh_stream (PtDebugPanel          *self,
                const PtEngineMetrics *m)
{
  gint64 now = g_get_monotonic_time ();

  set_live_printf (self, LIVE_RATE, _("%.0f Hz"), pt_engine_get_sample_rate (self->engine));
  if (m->quantum > 0)
    set_live_printf (self, LIVE_QUANTUM, _("%u frames"), m->quantum);
  else
    set_live (self, LIVE_QUANTUM, _("None yet"));
  if (pt_engine_get_adaptive (self->engine))
    /* Translators: the batch size adaptive batching chose */
    set_live_printf (self, LIVE_BATCH_SIZE, _("%u frames, adaptive"),
                     pt_engine_get_batch_size (self->engine));
  else
    set_live_printf (self, LIVE_BATCH_SIZE, _("%u frames"), pt_engine_get_batch_size (self->engine));
  if (self->last_refresh_us != 0 && now > self->last_refresh_us)
    set_live_printf (self, LIVE_BATCH_RATE, "%.1f",
                     (m->batches - self->last_batches) * (double) G_USEC_PER_SEC
                     / (now - self->last_refresh_us));
  self->last_refresh_us = now;
  self->last_batches = m->batches;
  set_live_printf (self, LIVE_SEQUENCE, "%" G_GUINT64_FORMAT, self->last_sequence);
  set_live_printf (self, LIVE_GAPS, "%" G_GUINT64_FORMAT, m->sequence_gaps);
  set_live_printf (self, LIVE_DROPPED, "%" G_GUINT64_FORMAT, m->dropped_frames);
}

static void
refresh_delivery (PtDebugPanel          *self,
                  const PtEngineMetrics *m)
{
  /* Translators: buffers of the pool in use and free */
  set_live_printf (self, LIVE_POOL, _("%u in use · %u free"), m->pool_in_use, m->pool_available);
  set_live_printf (self, LIVE_POOL_HIGH, "%u", m->pool_high_water);
  set_live_printf (self, LIVE_QUEUE, "%u", m->queue_depth);
  /* Translators: two delivery latencies in milliseconds */
  set_live_printf (self, LIVE_LATENCY, _("%.2f / %.2f ms"), m->latency_last_ms,
                   m->latency_mean_ms);
  set_live_printf (self, LIVE_LATENCY_TAIL, _("%.2f / %.2f ms"), m->latency_p99_ms,
                   m->latency_max_ms);
}

static void
refresh_channel_row (GtkWidget *row)
{
  PtHubChannel *channel = g_object_get_data (G_OBJECT (row), "pt-channel");
  g_autofree char *runs = g_strdup_printf ("%" G_GUINT64_FORMAT, pt_hub_channel_get_runs (channel));
  g_autofree char *errors = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                             pt_hub_channel_get_errors (channel));
  g_autofree char *subtitle =
    /* Translators: an analyser channel's runs, errors and processing time */
    g_strdup_printf (_("runs %s · errors %s · mean %.0f µs · max %.0f µs"), runs, errors,
                     pt_hub_channel_get_mean_time_us (channel),
                     pt_hub_channel_get_max_time_us (channel));

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
}

static void
refresh_channels (PtDebugPanel *self)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->channel_list, i)) != NULL; i++)
    refresh_channel_row (GTK_WIDGET (row));
}

static void
refresh_signal (PtDebugPanel *self)
{
  PtDebugAnalyzer *analyzer;
  const float *values;
  gsize n;

  if (self->claimed == NULL)
    return;
  analyzer = PT_DEBUG_ANALYZER (pt_hub_channel_get_analyzer (self->claimed));
  if (pt_debug_analyzer_get_batches (analyzer) == self->drawn_batches)
    return;
  self->drawn_batches = pt_debug_analyzer_get_batches (analyzer);
  values = pt_debug_analyzer_get_waveform (analyzer, &n);
  pt_signal_view_set_values (self->scope, values, n, pt_debug_analyzer_get_sample_rate (analyzer));
  values = pt_debug_analyzer_get_spectrum (analyzer, &n);
  pt_signal_view_set_values (self->spectrum, values, n,
                             pt_debug_analyzer_get_sample_rate (analyzer));
}

static gboolean
refresh (gpointer user_data)
{
  PtDebugPanel *self = user_data;
  g_autoptr(PtEngineMetrics) metrics = NULL;

  if (self->engine == NULL)
    return G_SOURCE_CONTINUE;
  metrics = pt_engine_get_metrics (self->engine);
  refresh_device (self);
  refresh_stream (self, metrics);
  refresh_delivery (self, metrics);
  {
    PtPitchAnalyzer *pitch = pt_engine_get_pitch_analyzer (self->engine);

    /* Translators: the background level measured, and the level the pitch is
     * read from */
    set_live_printf (self, LIVE_NOISE_FLOOR, _("%.1f / %.1f dBFS"),
                     pt_pitch_analyzer_get_noise_floor_dbfs (pitch),
                     pt_pitch_analyzer_get_gate_dbfs (pitch));
  }
  refresh_channels (self);
  refresh_signal (self);
  return G_SOURCE_CONTINUE;
}

/* The channel rows, one per hub channel. */

static gboolean
describe_activity (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  /* Translators: whether an analyser channel runs on the batches */
  g_value_set_string (to, g_value_get_boolean (from) ? _("Active") : _("Idle"));
  return TRUE;
}

static GtkWidget *
create_channel_row (gpointer item,
                    gpointer user_data)
{
  PtHubChannel *channel = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *state = gtk_label_new (NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), pt_hub_channel_get_name (channel));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  g_object_set_data_full (G_OBJECT (row), "pt-channel", g_object_ref (channel), g_object_unref);
  gtk_widget_add_css_class (state, "dim-label");
  gtk_widget_add_css_class (state, "caption");
  g_object_bind_property_full (channel, "active", state, "label", G_BINDING_SYNC_CREATE,
                               describe_activity, NULL, NULL, NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
  refresh_channel_row (row);
  return row;
}

/* Claims. */

static void
update_claim (PtDebugPanel *self)
{
  gboolean want = self->engine != NULL && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (!want && self->claimed != NULL)
    {
      pt_hub_channel_release (self->claimed);
      g_clear_object (&self->claimed);
    }
  else if (want && self->claimed == NULL)
    {
      PtHubChannel *channel = pt_hub_lookup_channel (pt_engine_get_hub (self->engine), "debug");

      if (channel == NULL)
        return;
      self->claimed = g_object_ref (channel);
      self->drawn_batches = G_MAXUINT64;
      pt_hub_channel_claim (channel);
    }
}

static void
pt_debug_panel_map (GtkWidget *widget)
{
  PtDebugPanel *self = PT_DEBUG_PANEL (widget);

  GTK_WIDGET_CLASS (pt_debug_panel_parent_class)->map (widget);
  update_claim (self);
  self->last_refresh_us = 0;
  refresh (self);
  self->refresh_id = g_timeout_add (REFRESH_INTERVAL_MS, refresh, self);
}

static void
pt_debug_panel_unmap (GtkWidget *widget)
{
  PtDebugPanel *self = PT_DEBUG_PANEL (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  GTK_WIDGET_CLASS (pt_debug_panel_parent_class)->unmap (widget);
  update_claim (self);
}

/* Envelopes. */

static void
show_error (PtDebugPanel     *self,
            const PtEnvelope *envelope)
{
  g_autoptr(GError) error = pt_processing_error_to_gerror (&envelope->payload.error);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->error_row),
                                 pt_worklet_error_code_to_string (envelope->payload.error.code));
  adw_action_row_set_subtitle (self->error_row, error->message);
}

static const char *
waveform_name (PtWaveform waveform)
{
  static const char * const names[] = { N_("sine"), N_("square"), N_("sawtooth"), N_("triangle") };

  return (guint) waveform < G_N_ELEMENTS (names) ? _(names[waveform]) : "?";
}

static void
show_applied (PtDebugPanel     *self,
              Control           control,
              const PtEnvelope *envelope)
{
  const PtConfigApplied *applied = &envelope->payload.applied;
  g_autofree char *values = NULL;
  g_autofree char *text = NULL;

  if (control == CONTROL_BATCH)
    /* Translators: the batch configuration in force: size, timeout, adaptive or fixed */
    values = g_strdup_printf (_("%u frames, %u ms, %s"), applied->batch.batch_size,
                              applied->batch.timeout_ms,
                              applied->batch.adaptive ? _("adaptive") : _("fixed"));
  else if (control == CONTROL_TEST_SIGNAL)
    /* Translators: the test signal in force: on or off, waveform, frequency, amplitude */
    values = g_strdup_printf (_("%s, %s at %.1f Hz, amplitude %.2f"),
                              applied->test_signal.enabled ? _("on") : _("off"),
                              waveform_name (applied->test_signal.waveform),
                              applied->test_signal.frequency, applied->test_signal.amplitude);
  else
    /* Translators: the noise in force: on or off, type, level */
    values = g_strdup_printf (_("%s, %s at level %.2f"),
                              applied->noise.enabled ? _("on") : _("off"),
                              applied->noise.noise_type == PT_NOISE_PINK ? _("pink") : _("white"),
                              applied->noise.level);
  /* Translators: ConfigApplied number N, answering request M: the values in force */
  text = g_strdup_printf (_("Applied #%u (for #%u): %s"), envelope->message_id,
                          envelope->in_reply_to, values);
  if (control == CONTROL_BATCH)
    adw_action_row_set_subtitle (self->batch_applied_row, text);
  else
    adw_expander_row_set_subtitle (control == CONTROL_TEST_SIGNAL ? self->test_signal_row
                                                                  : self->noise_row, text);
}

static void
on_message (PtDebugPanel     *self,
            const PtEnvelope *envelope,
            gboolean          outgoing)
{
  pt_message_log_append (self->log, envelope, outgoing);
  switch (envelope->type)
    {
    case PT_MESSAGE_UPDATE_BATCH_CONFIG:
      self->sent_ids[CONTROL_BATCH] = envelope->message_id;
      break;
    case PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG:
      self->sent_ids[CONTROL_TEST_SIGNAL] = envelope->message_id;
      break;
    case PT_MESSAGE_UPDATE_BACKGROUND_NOISE_CONFIG:
      self->sent_ids[CONTROL_NOISE] = envelope->message_id;
      break;
    case PT_MESSAGE_PROCESSING_ERROR:
      show_error (self, envelope);
      break;
    case PT_MESSAGE_CONFIG_APPLIED:
      for (guint i = 0; i < N_CONTROLS; i++)
        if (envelope->in_reply_to != 0 && envelope->in_reply_to == self->sent_ids[i])
          show_applied (self, i, envelope);
      break;
    case PT_MESSAGE_START_PROCESSING:
    case PT_MESSAGE_STOP_PROCESSING:
    case PT_MESSAGE_PROCESSOR_READY:
    case PT_MESSAGE_AUDIO_DATA_BATCH:
    case PT_MESSAGE_STATUS_UPDATE:
    default:
      break;
    }
}

static void
on_batch (PtDebugPanel     *self,
          const PtEnvelope *envelope)
{
  self->last_sequence = envelope->payload.batch.sequence_number;
  pt_message_log_append (self->log, envelope, FALSE);
}

/* Generators. */

static void
send_test_signal (PtDebugPanel *self)
{
  PtTestSignalConfig config = {
    .enabled = adw_expander_row_get_enable_expansion (self->test_signal_row),
    .waveform = adw_combo_row_get_selected (self->waveform_row),
    .frequency = gtk_adjustment_get_value (self->frequency_adjustment),
    .amplitude = gtk_adjustment_get_value (self->amplitude_adjustment),
  };

  if (self->engine != NULL)
    pt_engine_configure_test_signal (self->engine, &config);
}

static void
send_noise (PtDebugPanel *self)
{
  PtBackgroundNoiseConfig config = {
    .enabled = adw_expander_row_get_enable_expansion (self->noise_row),
    .noise_type = adw_combo_row_get_selected (self->noise_type_row),
    .level = gtk_adjustment_get_value (self->noise_level_adjustment),
  };

  if (self->engine != NULL)
    pt_engine_configure_noise (self->engine, &config);
}

static void generator_moved (PtDebugPanel *self,
                             Control       control);

static gboolean
end_throttle (PtDebugPanel *self,
              Control       control)
{
  self->throttle_ids[control] = 0;
  if (self->throttle_pending[control])
    {
      self->throttle_pending[control] = FALSE;
      generator_moved (self, control);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
end_test_signal_throttle (gpointer user_data)
{
  return end_throttle (user_data, CONTROL_TEST_SIGNAL);
}

static gboolean
end_noise_throttle (gpointer user_data)
{
  return end_throttle (user_data, CONTROL_NOISE);
}

/* A generator's control moved: its whole configuration goes at once, then
 * at most every SEND_INTERVAL_MS while the controls keep moving, and the
 * last one always. A slider dragged sends ten a second, not one per pointer
 * motion, which filled the message log in seconds. */
static void
generator_moved (PtDebugPanel *self,
                 Control       control)
{
  if (self->throttle_ids[control] != 0)
    {
      self->throttle_pending[control] = TRUE;
      return;
    }
  if (control == CONTROL_TEST_SIGNAL)
    send_test_signal (self);
  else
    send_noise (self);
  self->throttle_ids[control] = g_timeout_add (SEND_INTERVAL_MS,
                                               control == CONTROL_TEST_SIGNAL
                                               ? end_test_signal_throttle : end_noise_throttle,
                                               self);
}

static void
on_test_signal_control (PtDebugPanel *self)
{
  generator_moved (self, CONTROL_TEST_SIGNAL);
}

static void
on_noise_control (PtDebugPanel *self)
{
  generator_moved (self, CONTROL_NOISE);
}

/* Each control sends its generator's whole configuration when it moves. */
static void
connect_generator_controls (PtDebugPanel *self)
{
  static const struct { gsize offset; const char *signal; gboolean noise; } controls[] = {
    { G_STRUCT_OFFSET (PtDebugPanel, test_signal_row), "notify::enable-expansion", FALSE },
    { G_STRUCT_OFFSET (PtDebugPanel, waveform_row), "notify::selected", FALSE },
    { G_STRUCT_OFFSET (PtDebugPanel, frequency_adjustment), "value-changed", FALSE },
    { G_STRUCT_OFFSET (PtDebugPanel, amplitude_adjustment), "value-changed", FALSE },
    { G_STRUCT_OFFSET (PtDebugPanel, noise_row), "notify::enable-expansion", TRUE },
    { G_STRUCT_OFFSET (PtDebugPanel, noise_type_row), "notify::selected", TRUE },
    { G_STRUCT_OFFSET (PtDebugPanel, noise_level_adjustment), "value-changed", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    g_signal_connect_object (G_STRUCT_MEMBER (GObject *, self, controls[i].offset),
                             controls[i].signal,
                             controls[i].noise ? G_CALLBACK (on_noise_control)
                                               : G_CALLBACK (on_test_signal_control),
                             self, G_CONNECT_SWAPPED);
}

static gboolean
octave_from_frequency (GBinding     *binding,
                       const GValue *from,
                       GValue       *to,
                       gpointer      user_data)
{
  g_value_set_double (to, log2 (g_value_get_double (from)));
  return TRUE;
}

static gboolean
frequency_from_octave (GBinding     *binding,
                       const GValue *from,
                       GValue       *to,
                       gpointer      user_data)
{
  g_value_set_double (to, round (exp2 (g_value_get_double (from)) * 10.0) / 10.0);
  return TRUE;
}

/* The enum settings' values are the rows' positions. */
static gboolean
position_from_enum (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  g_value_set_uint (to, (guint) g_value_get_enum (from));
  return TRUE;
}

static gboolean
enum_from_position (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  g_value_set_enum (to, (int) g_value_get_uint (from));
  return TRUE;
}

static void
bind_settings (PtDebugPanel *self)
{
  const GBindingFlags both = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;

  g_object_bind_property (self->settings, "batch-size", self->batch_size_adjustment, "value",
                          both);
  g_object_bind_property (self->settings, "batch-timeout", self->batch_timeout_adjustment,
                          "value", both);
  g_object_bind_property (self->settings, "adaptive-batching", self->adaptive_switch, "active",
                          both);
  g_object_bind_property (self->settings, "monitor-output", self->monitor_switch, "active", both);
  g_object_bind_property_full (self->settings, "test-signal-waveform", self->waveform_row,
                               "selected", both, position_from_enum, enum_from_position,
                               NULL, NULL);
  g_object_bind_property (self->settings, "test-signal-frequency", self->frequency_adjustment,
                          "value", both);
  g_object_bind_property_full (self->settings, "test-signal-frequency", self->octave_adjustment,
                               "value", both, octave_from_frequency, frequency_from_octave,
                               NULL, NULL);
  g_object_bind_property (self->settings, "test-signal-amplitude", self->amplitude_adjustment,
                          "value", both);
  g_object_bind_property_full (self->settings, "noise-type", self->noise_type_row, "selected",
                               both, position_from_enum, enum_from_position, NULL, NULL);
  g_object_bind_property (self->settings, "noise-level", self->noise_level_adjustment, "value",
                          both);
}

static gboolean
describe_monitor (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_string (to, g_value_get_boolean (from)
                          ? _("Silenced: the output is the input, it would feed back")
                          : _("Plays what is analysed on the default output"));
  return TRUE;
}

/* "A4", "C#3", "B♭2": the frequency the main view would name so, under
 * the analyser's reference and tuning. */
static void
on_note_activate (PtDebugPanel *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry))));
  PtNoteSettings settings;
  int pitch_class, octave;
  gboolean has_octave;

  pt_note_settings_init_default (&settings);
  if (self->engine != NULL)
    pt_pitch_analyzer_get_note_settings (pt_engine_get_pitch_analyzer (self->engine), &settings);
  if (!pt_note_parse_name (text, &pitch_class, &octave, &has_octave))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->note_entry), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->note_entry), "error");
  gtk_adjustment_set_value (self->frequency_adjustment,
                            pt_note_frequency_of_note ((has_octave ? octave + 1 : 5) * 12
                                                       + pitch_class, &settings));
}

/* The message log's view. */

static void
copy_line (GtkButton   *button,
           GtkListItem *item)
{
  PtMessageLogEntry *entry = gtk_list_item_get_item (item);

  if (entry != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                            pt_message_log_entry_get_text (entry));
}

static GtkWidget *
new_log_label (const char *css_class,
               gboolean    hexpand)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_set_hexpand (label, hexpand);
  gtk_widget_add_css_class (label, css_class);
  return label;
}

/* A line: direction, type, the batches it stands for, a copy button, then
 * the JSON on up to three lines. */
static void
setup_log_row (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *json = new_log_label ("monospace", TRUE);
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  gtk_box_append (GTK_BOX (header), new_log_label ("direction", FALSE));
  gtk_box_append (GTK_BOX (header), new_log_label ("type", FALSE));
  gtk_box_append (GTK_BOX (header), new_log_label ("dim-label", TRUE));
  gtk_widget_set_tooltip_text (copy, _("Copy This Line"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Copy this message as JSON"), -1);
  gtk_widget_add_css_class (copy, "flat");
  gtk_widget_add_css_class (copy, "circular");
  g_signal_connect (copy, "clicked", G_CALLBACK (copy_line), item);
  gtk_box_append (GTK_BOX (header), copy);
  gtk_label_set_wrap (GTK_LABEL (json), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (json), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_ellipsize (GTK_LABEL (json), PANGO_ELLIPSIZE_END);
  gtk_label_set_lines (GTK_LABEL (json), 3);
  gtk_widget_add_css_class (json, "caption");
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), json);
  gtk_widget_add_css_class (box, "log-line");
  gtk_list_item_set_child (item, box);
}

static void
bind_log_row (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  PtMessageLogEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *header = gtk_widget_get_first_child (box);
  GtkWidget *direction = gtk_widget_get_first_child (header);
  GtkWidget *type = gtk_widget_get_next_sibling (direction);
  GtkWidget *skipped = gtk_widget_get_next_sibling (type);
  guint64 n_skipped = pt_message_log_entry_get_skipped (entry);
  g_autofree char *skipped_text = NULL;

  if (n_skipped > 0)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, n_skipped);

      /* Translators: batches left out of the log before this one */
      skipped_text = g_strdup_printf (_("+%s not shown"), count);
    }
  gtk_label_set_text (GTK_LABEL (direction), pt_message_log_entry_get_outgoing (entry) ? "→" : "←");
  gtk_widget_set_tooltip_text (direction, pt_message_log_entry_get_outgoing (entry)
                                          ? _("To the audio thread") : _("From the audio thread"));
  gtk_label_set_text (GTK_LABEL (type),
                      pt_message_type_to_string (pt_message_log_entry_get_message_type (entry)));
  gtk_label_set_text (GTK_LABEL (skipped), skipped_text);
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_next_sibling (header)),
                      pt_message_log_entry_get_text (entry));
}

static gboolean
log_type_matches (gpointer item,
                  gpointer user_data)
{
  PtDebugPanel *self = user_data;
  guint selected = gtk_drop_down_get_selected (self->log_filter);

  return selected == 0 || selected == GTK_INVALID_LIST_POSITION
         || pt_message_log_entry_get_message_type (item) == (PtMessageType) (selected - 1);
}

static void
on_log_filter_changed (PtDebugPanel *self)
{
  gtk_filter_changed (GTK_FILTER (self->log_type_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
setup_log_view (PtDebugPanel *self)
{
  g_autoptr(GtkStringList) types = gtk_string_list_new (NULL);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkFilterListModel *filtered;
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_string_list_append (types, _("All Messages"));
  for (PtMessageType type = PT_MESSAGE_START_PROCESSING; type < PT_ENGINE_N_MESSAGE_TYPES; type++)
    gtk_string_list_append (types, pt_message_type_to_string (type));
  gtk_drop_down_set_model (self->log_filter, G_LIST_MODEL (types));
  g_signal_connect_object (self->log_filter, "notify::selected",
                           G_CALLBACK (on_log_filter_changed), self, G_CONNECT_SWAPPED);

  self->log_type_filter = gtk_custom_filter_new (log_type_matches, self, NULL);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->log)),
                                        GTK_FILTER (g_object_ref (self->log_type_filter)));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_log_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_log_row), NULL);
  gtk_list_view_set_factory (self->log_view, factory);
  g_object_unref (factory);
  selection = gtk_no_selection_new (G_LIST_MODEL (filtered));
  gtk_list_view_set_model (self->log_view, GTK_SELECTION_MODEL (selection));
}

/* Saving the log. */

gboolean
pt_debug_panel_save_log (PtDebugPanel  *self,
                         GFile         *file,
                         GError       **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;

  g_return_val_if_fail (PT_IS_DEBUG_PANEL (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  return stream != NULL
         && pt_message_log_write (self->log, G_OUTPUT_STREAM (stream), NULL, error)
         && g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
}

static void
show_toast (PtDebugPanel *self,
            const char   *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

static void
on_save_response (PtDebugPanel         *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (pt_debug_panel_save_log (self, file, &error))
        show_toast (self, _("Message log saved"));
      else
        {
          g_warning ("Saving the message log failed: %s", error->message);
          show_toast (self, _("Could not save the message log"));
        }
    }
  g_clear_object (&self->save_chooser);
}

static void
on_save_log_clicked (PtDebugPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->save_chooser != NULL)
    return;
  self->save_chooser = gtk_file_chooser_native_new (_("Save the Message Log"),
                                                    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                    GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);
  gtk_file_filter_set_name (filter, _("JSON Lines (*.jsonl)"));
  gtk_file_filter_add_pattern (filter, "*.jsonl");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->save_chooser), filter);
  /* Translators: the default file name of a saved message log */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->save_chooser),
                                     _("pitch-toy-messages.jsonl"));
  g_signal_connect_swapped (self->save_chooser, "response", G_CALLBACK (on_save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->save_chooser));
}

/* The engine and the settings. */

PtEngine *
pt_debug_panel_get_engine (PtDebugPanel *self)
{
  g_return_val_if_fail (PT_IS_DEBUG_PANEL (self), NULL);
  return self->engine;
}

/* The one place that retargets everything following the engine. */
void
pt_debug_panel_set_engine (PtDebugPanel *self,
                           PtEngine     *engine)
{
  g_return_if_fail (PT_IS_DEBUG_PANEL (self));
  g_return_if_fail (engine == NULL || PT_IS_ENGINE (engine));

  if (self->engine == engine)
    return;
  if (self->claimed != NULL)
    {
      pt_hub_channel_release (self->claimed);
      g_clear_object (&self->claimed);
    }
  g_set_object (&self->engine, engine);
  g_signal_group_set_target (self->engine_signals, engine);
  g_binding_group_set_source (self->engine_bindings, engine);
  pt_message_log_clear (self->log);
  gtk_list_box_bind_model (self->channel_list,
                           engine != NULL ? G_LIST_MODEL (pt_engine_get_hub (engine)) : NULL,
                           engine != NULL ? create_channel_row : NULL, NULL, NULL);
  update_claim (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

PtSettings *
pt_debug_panel_get_settings (PtDebugPanel *self)
{
  g_return_val_if_fail (PT_IS_DEBUG_PANEL (self), NULL);
  return self->settings;
}

/* Set once: the controls bind to it. */
void
pt_debug_panel_set_settings (PtDebugPanel *self,
                             PtSettings   *settings)
{
  g_return_if_fail (PT_IS_DEBUG_PANEL (self));
  g_return_if_fail (PT_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL || self->settings == settings);

  if (self->settings == settings)
    return;
  self->settings = g_object_ref (settings);
  bind_settings (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS]);
}

PtMessageLog *
pt_debug_panel_get_message_log (PtDebugPanel *self)
{
  g_return_val_if_fail (PT_IS_DEBUG_PANEL (self), NULL);
  return self->log;
}

/* GObject. */

static void
pt_debug_panel_dispose (GObject *object)
{
  PtDebugPanel *self = PT_DEBUG_PANEL (object);

  if (self->save_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->save_chooser));
  g_clear_object (&self->save_chooser);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  for (guint i = 0; i < N_CONTROLS; i++)
    g_clear_handle_id (&self->throttle_ids[i], g_source_remove);
  if (self->engine_signals != NULL)
    pt_debug_panel_set_engine (self, NULL);
  g_clear_object (&self->engine_signals);
  g_clear_object (&self->engine_bindings);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (object), PT_TYPE_DEBUG_PANEL);
  g_clear_object (&self->log_type_filter);
  g_clear_object (&self->log);

  G_OBJECT_CLASS (pt_debug_panel_parent_class)->dispose (object);
}

static void
pt_debug_panel_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PtDebugPanel *self = PT_DEBUG_PANEL (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_debug_panel_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PtDebugPanel *self = PT_DEBUG_PANEL (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      pt_debug_panel_set_engine (self, g_value_get_object (value));
      break;
    case PROP_SETTINGS:
      pt_debug_panel_set_settings (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bind_template (GtkWidgetClass *widget_class)
{
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/pitchtoy/PitchToy/ui/pt-debug-panel.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, PtDebugPanel, name)
  CHILD (live_grid);
  CHILD (error_row);
  CHILD (channel_list);
  CHILD (scope);
  CHILD (spectrum);
  CHILD (batch_size_adjustment);
  CHILD (batch_timeout_adjustment);
  CHILD (adaptive_switch);
  CHILD (batch_applied_row);
  CHILD (test_signal_row);
  CHILD (waveform_row);
  CHILD (frequency_adjustment);
  CHILD (octave_adjustment);
  CHILD (amplitude_adjustment);
  CHILD (note_entry);
  CHILD (noise_row);
  CHILD (noise_type_row);
  CHILD (noise_level_adjustment);
  CHILD (monitor_row);
  CHILD (monitor_switch);
  CHILD (log_filter);
  CHILD (log_view);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, on_note_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_save_log_clicked);
}

static void
pt_debug_panel_class_init (PtDebugPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = pt_debug_panel_dispose;
  object_class->get_property = pt_debug_panel_get_property;
  object_class->set_property = pt_debug_panel_set_property;
  widget_class->map = pt_debug_panel_map;
  widget_class->unmap = pt_debug_panel_unmap;

  properties[PROP_ENGINE] = g_param_spec_object ("engine", NULL, NULL, PT_TYPE_ENGINE, flags);
  properties[PROP_SETTINGS] = g_param_spec_object ("settings", NULL, NULL, PT_TYPE_SETTINGS, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PT_TYPE_SIGNAL_VIEW);
  bind_template (widget_class);
  gtk_widget_class_set_css_name (widget_class, "debugpanel");
}

/* The figures' grid: a dimmed name and its value, a line each. */
static void
build_live_grid (PtDebugPanel *self)
{
  for (guint i = 0; i < N_LIVE; i++)
    {
      GtkWidget *key = gtk_label_new (_(live_keys[i]));
      GtkWidget *value = gtk_label_new ("—");

      gtk_label_set_xalign (GTK_LABEL (key), 0.0f);
      gtk_widget_set_valign (key, GTK_ALIGN_START);
      gtk_widget_add_css_class (key, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (value), 1.0f);
      gtk_label_set_justify (GTK_LABEL (value), GTK_JUSTIFY_RIGHT);
      gtk_label_set_wrap (GTK_LABEL (value), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      gtk_widget_set_hexpand (value, TRUE);
      gtk_widget_add_css_class (value, "numeric");
      gtk_grid_attach (self->live_grid, key, 0, (int) i, 1, 1);
      gtk_grid_attach (self->live_grid, value, 1, (int) i, 1, 1);
      self->live_values[i] = GTK_LABEL (value);
    }
}

static void
pt_debug_panel_init (PtDebugPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->log = pt_message_log_new (PT_MESSAGE_LOG_DEFAULT_CAPACITY);
  self->engine_signals = g_signal_group_new (PT_TYPE_ENGINE);
  g_signal_group_connect_swapped (self->engine_signals, "message", G_CALLBACK (on_message), self);
  g_signal_group_connect_swapped (self->engine_signals, "batch", G_CALLBACK (on_batch), self);
  self->engine_bindings = g_binding_group_new ();
  g_binding_group_bind_full (self->engine_bindings, "monitor-refused", self->monitor_row,
                             "subtitle", G_BINDING_SYNC_CREATE, describe_monitor, NULL, NULL,
                             NULL);
  build_live_grid (self);
  setup_log_view (self);
  connect_generator_controls (self);
}
