/* pt-settings.c — the GSettings keys as properties (GNOME Console's
 * KgxSettings is the pattern): each writable property is bound to the key of
 * its name, so the property types are the one encoding of every key, and a
 * unit test proves each binding works. Two read-only properties give the
 * frequency range the chosen preset stands for.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-settings"

#include "config.h"

#include "pt-analysis-enum-types.h"
#include "pt-base-enum-types.h"
#include "pt-engine-enum-types.h"
#include "pt-settings.h"

struct _PtSettings
{
  GObject    parent_instance;

  GSettings *settings;
  GValue    *values;  /* one per property, indexed by its id */
};

G_DEFINE_FINAL_TYPE (PtSettings, pt_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_GSETTINGS,
  /* keys, named as in the schema */
  PROP_INPUT_DEVICE,
  PROP_INPUT_CHANNEL,
  PROP_MONITOR_OUTPUT,
  PROP_DRONE_WAVEFORM,
  PROP_DRONE_VOLUME,
  PROP_DRONE_OCTAVE,
  PROP_DRONE_NOTE,
  PROP_REFERENCE_PITCH,
  PROP_TUNING_SYSTEM,
  PROP_TONIC,
  PROP_NOTE_NAMES,
  PROP_TRANSPOSITION,
  PROP_IN_TUNE_TOLERANCE,
  PROP_PITCH_RANGE,
  PROP_MIN_FREQUENCY,
  PROP_MAX_FREQUENCY,
  PROP_NOISE_GATE,
  PROP_BATCH_SIZE,
  PROP_BATCH_TIMEOUT,
  PROP_ADAPTIVE_BATCHING,
  PROP_STAGE_MODE,
  PROP_DEBUG_PANEL_SHOWN,
  PROP_TEST_SIGNAL_WAVEFORM,
  PROP_TEST_SIGNAL_FREQUENCY,
  PROP_TEST_SIGNAL_AMPLITUDE,
  PROP_NOISE_TYPE,
  PROP_NOISE_LEVEL,
  PROP_WINDOW_WIDTH,
  PROP_WINDOW_HEIGHT,
  PROP_WINDOW_MAXIMIZED,
  /* derived */
  PROP_RANGE_MIN_FREQUENCY,
  PROP_RANGE_MAX_FREQUENCY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define FIRST_KEY PROP_INPUT_DEVICE
#define LAST_KEY  PROP_WINDOW_MAXIMIZED

/* The presets' bounds, in the order of PtPitchRange: the lowest open string
 * or sung note with some margin, up to where the fundamental of the highest
 * common note stays below the detector's reach. */
static const struct {
  double min_hz;
  double max_hz;
} range_bounds[] = {
  [PT_PITCH_RANGE_FULL] = { PT_PITCH_ANALYZER_DEFAULT_MIN_FREQUENCY,
                            PT_PITCH_ANALYZER_DEFAULT_MAX_FREQUENCY },
  [PT_PITCH_RANGE_VOICE] = { 70.0, 1100.0 },
  [PT_PITCH_RANGE_GUITAR] = { 70.0, 1400.0 },
  [PT_PITCH_RANGE_BASS] = { 28.0, 420.0 },
  [PT_PITCH_RANGE_VIOLIN] = { 180.0, 3600.0 },
};

/* FALSE for the custom range, whose bounds are the min/max-frequency keys. */
gboolean
pt_pitch_range_get_bounds (PtPitchRange  range,
                           double       *min_hz,
                           double       *max_hz)
{
  if (range >= G_N_ELEMENTS (range_bounds))
    return FALSE;
  *min_hz = range_bounds[range].min_hz;
  *max_hz = range_bounds[range].max_hz;
  return TRUE;
}

PtSettings *
pt_settings_new (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  return pt_settings_new_for_settings (settings);
}

PtSettings *
pt_settings_new_for_settings (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (PT_TYPE_SETTINGS, "gsettings", settings, NULL);
}

GSettings *
pt_settings_get_gsettings (PtSettings *self)
{
  g_return_val_if_fail (PT_IS_SETTINGS (self), NULL);

  return self->settings;
}

double
pt_settings_get_reference_pitch (PtSettings *self)
{
  g_return_val_if_fail (PT_IS_SETTINGS (self), PT_NOTE_REFERENCE_DEFAULT_HZ);

  return g_value_get_double (&self->values[PROP_REFERENCE_PITCH]);
}

double
pt_settings_get_in_tune_tolerance (PtSettings *self)
{
  g_return_val_if_fail (PT_IS_SETTINGS (self), PT_SETTINGS_DEFAULT_IN_TUNE_CENTS);

  return g_value_get_double (&self->values[PROP_IN_TUNE_TOLERANCE]);
}

gboolean
pt_settings_get_stage_mode (PtSettings *self)
{
  g_return_val_if_fail (PT_IS_SETTINGS (self), FALSE);

  return g_value_get_boolean (&self->values[PROP_STAGE_MODE]);
}

double
pt_settings_get_range_min_frequency (PtSettings *self)
{
  g_return_val_if_fail (PT_IS_SETTINGS (self), 0.0);

  return g_value_get_double (&self->values[PROP_RANGE_MIN_FREQUENCY]);
}

double
pt_settings_get_range_max_frequency (PtSettings *self)
{
  g_return_val_if_fail (PT_IS_SETTINGS (self), 0.0);

  return g_value_get_double (&self->values[PROP_RANGE_MAX_FREQUENCY]);
}

void
pt_settings_get_window_state (PtSettings *self,
                              int        *width,
                              int        *height,
                              gboolean   *maximized)
{
  g_return_if_fail (PT_IS_SETTINGS (self));

  *width = g_value_get_int (&self->values[PROP_WINDOW_WIDTH]);
  *height = g_value_get_int (&self->values[PROP_WINDOW_HEIGHT]);
  *maximized = g_value_get_boolean (&self->values[PROP_WINDOW_MAXIMIZED]);
}

/* Written once, when the window closes. (Not through g_settings_delay (): a
 * GSettings never leaves delay-apply mode, and this one is shared.) */
void
pt_settings_set_window_state (PtSettings *self,
                              int         width,
                              int         height,
                              gboolean    maximized)
{
  g_return_if_fail (PT_IS_SETTINGS (self));

  g_object_set (self,
                "window-width", width,
                "window-height", height,
                "window-maximized", maximized,
                NULL);
}

/* The analyser follows every setting of what it names and where it looks. */
void
pt_settings_bind_pitch_analyzer (PtSettings      *self,
                                 PtPitchAnalyzer *analyzer)
{
  static const char * const pairs[][2] = {
    { "reference-pitch", "reference" },
    { "tuning-system", "tuning" },
    { "tonic", "tonic" },
    { "note-names", "note-names" },
    { "transposition", "transposition" },
    { "noise-gate", "noise-gate-dbfs" },
    { "range-min-frequency", "min-frequency" },
    { "range-max-frequency", "max-frequency" },
  };

  g_return_if_fail (PT_IS_SETTINGS (self));
  g_return_if_fail (PT_IS_PITCH_ANALYZER (analyzer));

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    g_object_bind_property (self, pairs[i][0], analyzer, pairs[i][1], G_BINDING_SYNC_CREATE);
}

static void
set_range_bound (PtSettings *self,
                 guint       prop_id,
                 double      value)
{
  if (g_value_get_double (&self->values[prop_id]) == value)
    return;
  g_value_set_double (&self->values[prop_id], value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
update_range (PtSettings *self)
{
  double min_hz, max_hz;

  if (!pt_pitch_range_get_bounds (g_value_get_enum (&self->values[PROP_PITCH_RANGE]),
                                  &min_hz, &max_hz))
    {
      min_hz = g_value_get_double (&self->values[PROP_MIN_FREQUENCY]);
      max_hz = g_value_get_double (&self->values[PROP_MAX_FREQUENCY]);
    }
  /* The wider first, so the analyser never sees max below min. */
  if (min_hz < g_value_get_double (&self->values[PROP_RANGE_MIN_FREQUENCY]))
    {
      set_range_bound (self, PROP_RANGE_MIN_FREQUENCY, min_hz);
      set_range_bound (self, PROP_RANGE_MAX_FREQUENCY, max_hz);
    }
  else
    {
      set_range_bound (self, PROP_RANGE_MAX_FREQUENCY, max_hz);
      set_range_bound (self, PROP_RANGE_MIN_FREQUENCY, min_hz);
    }
}

static void
pt_settings_constructed (GObject *object)
{
  PtSettings *self = PT_SETTINGS (object);

  G_OBJECT_CLASS (pt_settings_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));
  for (guint id = FIRST_KEY; id <= LAST_KEY; id++)
    g_settings_bind (self->settings, properties[id]->name, self, properties[id]->name,
                     G_SETTINGS_BIND_DEFAULT);
  update_range (self);
}

static void
pt_settings_dispose (GObject *object)
{
  PtSettings *self = PT_SETTINGS (object);

  if (self->settings != NULL)
    for (guint id = FIRST_KEY; id <= LAST_KEY; id++)
      g_settings_unbind (self, properties[id]->name);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pt_settings_parent_class)->dispose (object);
}

static void
pt_settings_finalize (GObject *object)
{
  PtSettings *self = PT_SETTINGS (object);

  for (guint id = FIRST_KEY; id < N_PROPS; id++)
    g_value_unset (&self->values[id]);
  g_free (self->values);

  G_OBJECT_CLASS (pt_settings_parent_class)->finalize (object);
}

static void
pt_settings_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PtSettings *self = PT_SETTINGS (object);

  if (prop_id == PROP_GSETTINGS)
    g_value_set_object (value, self->settings);
  else if (prop_id < N_PROPS)
    g_value_copy (&self->values[prop_id], value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
pt_settings_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PtSettings *self = PT_SETTINGS (object);

  if (prop_id == PROP_GSETTINGS)
    {
      self->settings = g_value_dup_object (value);
      return;
    }
  if (prop_id < FIRST_KEY || prop_id > LAST_KEY)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  if (g_param_values_cmp (pspec, &self->values[prop_id], value) == 0)
    return;

  g_value_copy (value, g_value_reset (&self->values[prop_id]));
  g_object_notify_by_pspec (object, pspec);
  if (prop_id == PROP_PITCH_RANGE || prop_id == PROP_MIN_FREQUENCY
      || prop_id == PROP_MAX_FREQUENCY)
    update_range (self);
}

static GParamSpec *
key_double (const char *name,
            double      min,
            double      max,
            double      default_value)
{
  return g_param_spec_double (name, NULL, NULL, min, max, default_value,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                              | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
key_int (const char *name,
         int         min,
         int         max,
         int         default_value)
{
  return g_param_spec_int (name, NULL, NULL, min, max, default_value,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
key_boolean (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE,
                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                               | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
key_enum (const char *name,
          GType       type)
{
  return g_param_spec_enum (name, NULL, NULL, type, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
install_key_properties (void)
{
  properties[PROP_INPUT_DEVICE] =
    g_param_spec_string ("input-device", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INPUT_CHANNEL] = key_int ("input-channel", -1, 63, -1);
  properties[PROP_MONITOR_OUTPUT] = key_boolean ("monitor-output");
  properties[PROP_DRONE_WAVEFORM] = key_enum ("drone-waveform", PT_TYPE_DRONE_WAVEFORM);
  properties[PROP_DRONE_VOLUME] = key_double ("drone-volume", 0.0, 1.0, 0.5);
  properties[PROP_DRONE_OCTAVE] = key_int ("drone-octave", 1, 7, 4);
  properties[PROP_DRONE_NOTE] = key_int ("drone-note", -1, 11, -1);
  properties[PROP_REFERENCE_PITCH] =
    key_double ("reference-pitch", PT_NOTE_REFERENCE_MIN_HZ, PT_NOTE_REFERENCE_MAX_HZ,
                PT_NOTE_REFERENCE_DEFAULT_HZ);
  properties[PROP_TUNING_SYSTEM] = key_enum ("tuning-system", PT_TYPE_TUNING_SYSTEM);
  properties[PROP_TONIC] = key_int ("tonic", 0, 11, 0);
  properties[PROP_NOTE_NAMES] = key_enum ("note-names", PT_TYPE_NOTE_NAMES);
  properties[PROP_TRANSPOSITION] = key_enum ("transposition", PT_TYPE_TRANSPOSITION);
  properties[PROP_IN_TUNE_TOLERANCE] =
    key_double ("in-tune-tolerance", 1.0, 25.0, PT_SETTINGS_DEFAULT_IN_TUNE_CENTS);
  properties[PROP_PITCH_RANGE] = key_enum ("pitch-range", PT_TYPE_PITCH_RANGE);
  properties[PROP_MIN_FREQUENCY] =
    key_double ("min-frequency", 20.0, 4000.0, PT_PITCH_ANALYZER_DEFAULT_MIN_FREQUENCY);
  properties[PROP_MAX_FREQUENCY] =
    key_double ("max-frequency", 40.0, 8000.0, PT_PITCH_ANALYZER_DEFAULT_MAX_FREQUENCY);
  properties[PROP_NOISE_GATE] =
    key_double ("noise-gate", -100.0, 0.0, PT_PITCH_ANALYZER_DEFAULT_NOISE_GATE);
  properties[PROP_BATCH_SIZE] = key_int ("batch-size", 128, 4096, 1024);
  properties[PROP_BATCH_TIMEOUT] = key_int ("batch-timeout", 1, 1000, 50);
  properties[PROP_ADAPTIVE_BATCHING] = key_boolean ("adaptive-batching");
  properties[PROP_STAGE_MODE] = key_boolean ("stage-mode");
  properties[PROP_DEBUG_PANEL_SHOWN] = key_boolean ("debug-panel-shown");
  properties[PROP_TEST_SIGNAL_WAVEFORM] = key_enum ("test-signal-waveform", PT_TYPE_WAVEFORM);
  properties[PROP_TEST_SIGNAL_FREQUENCY] =
    key_double ("test-signal-frequency", 20.0, 20000.0, 440.0);
  properties[PROP_TEST_SIGNAL_AMPLITUDE] = key_double ("test-signal-amplitude", 0.0, 1.0, 0.5);
  properties[PROP_NOISE_TYPE] = key_enum ("noise-type", PT_TYPE_NOISE_TYPE);
  properties[PROP_NOISE_LEVEL] = key_double ("noise-level", 0.0, 1.0, 0.1);
  properties[PROP_WINDOW_WIDTH] = key_int ("window-width", G_MININT32, G_MAXINT32, 800);
  properties[PROP_WINDOW_HEIGHT] = key_int ("window-height", G_MININT32, G_MAXINT32, 720);
  properties[PROP_WINDOW_MAXIMIZED] = key_boolean ("window-maximized");
}

static void
pt_settings_class_init (PtSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pt_settings_constructed;
  object_class->dispose = pt_settings_dispose;
  object_class->finalize = pt_settings_finalize;
  object_class->get_property = pt_settings_get_property;
  object_class->set_property = pt_settings_set_property;

  properties[PROP_GSETTINGS] =
    g_param_spec_object ("gsettings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  install_key_properties ();
  /* The range the detector searches: the preset's, or the custom keys. */
  properties[PROP_RANGE_MIN_FREQUENCY] =
    g_param_spec_double ("range-min-frequency", NULL, NULL, 0.0, G_MAXDOUBLE,
                         PT_PITCH_ANALYZER_DEFAULT_MIN_FREQUENCY,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RANGE_MAX_FREQUENCY] =
    g_param_spec_double ("range-max-frequency", NULL, NULL, 0.0, G_MAXDOUBLE,
                         PT_PITCH_ANALYZER_DEFAULT_MAX_FREQUENCY,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pt_settings_init (PtSettings *self)
{
  self->values = g_new0 (GValue, N_PROPS);
  for (guint id = FIRST_KEY; id < N_PROPS; id++)
    {
      g_value_init (&self->values[id], properties[id]->value_type);
      g_param_value_set_default (properties[id], &self->values[id]);
    }
}
