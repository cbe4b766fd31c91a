/* test-settings.c — PtSettings: every schema key is a property of the same
 * name and type whose binding works both ways (under fatal-warnings, so a
 * nick the GEnum does not know aborts), defaults agree, enum nicks match the
 * schema, range presets, and the pitch analyser following the settings.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pt-analysis-enum-types.h"
#include "pt-base-enum-types.h"
#include "pt-engine-enum-types.h"
#include "pt-settings.h"
#include "pt-test-util.h"

typedef struct
{
  GSettings  *gsettings;
  PtSettings *settings;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->gsettings = g_settings_new (APP_ID);
  fixture->settings = pt_settings_new_for_settings (fixture->gsettings);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->settings);
  pt_test_reset_settings (fixture->gsettings);
  g_assert_finalize_object (fixture->gsettings);
}

static GSettingsSchemaKey *
schema_key (GSettings  *settings,
            const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  return g_settings_schema_get_key (schema, key);
}

/* A valid value of @key other than its default. */
static GVariant *
other_value (GSettingsSchemaKey *key)
{
  g_autoptr(GVariant) range = g_settings_schema_key_get_range (key);
  g_autoptr(GVariant) fallback = g_settings_schema_key_get_default_value (key);
  g_autoptr(GVariant) values = NULL;
  const char *kind;

  g_variant_get (range, "(&sv)", &kind, &values);
  if (g_str_equal (kind, "enum"))
    return g_variant_get_child_value (values, g_variant_n_children (values) - 1);
  if (g_str_equal (kind, "range"))
    return g_variant_get_child_value (values, 1);
  if (g_variant_is_of_type (fallback, G_VARIANT_TYPE_BOOLEAN))
    return g_variant_new_boolean (!g_variant_get_boolean (fallback));
  if (g_variant_is_of_type (fallback, G_VARIANT_TYPE_INT32))
    return g_variant_new_int32 (g_variant_get_int32 (fallback) + 1);
  g_assert_true (g_variant_is_of_type (fallback, G_VARIANT_TYPE_STRING));
  return g_variant_new_string ("alsa_input.test");
}

/* Key → property on a change, property default = schema default after a
 * reset, and property → key with the value read back. */
static void
check_key (Fixture    *fixture,
           const char *key)
{
  g_autoptr(GSettingsSchemaKey) skey = schema_key (fixture->gsettings, key);
  g_autoptr(GVariant) changed = g_variant_ref_sink (other_value (skey));
  g_autoptr(GVariant) written = NULL;
  g_autofree char *signal = g_strconcat ("notify::", key, NULL);
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (fixture->settings), key);
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) after_reset = G_VALUE_INIT;
  guint count = 0;
  gulong handler;

  g_assert_nonnull (pspec);
  g_assert_true (pspec->flags & G_PARAM_WRITABLE);
  handler = g_signal_connect (fixture->settings, signal, G_CALLBACK (pt_test_count_notify), &count);
  g_settings_set_value (fixture->gsettings, key, changed);
  g_assert_cmpuint (count, ==, 1);
  g_value_init (&value, pspec->value_type);
  g_object_get_property (G_OBJECT (fixture->settings), key, &value);

  g_settings_reset (fixture->gsettings, key);
  g_assert_cmpuint (count, ==, 2);
  g_value_init (&after_reset, pspec->value_type);
  g_object_get_property (G_OBJECT (fixture->settings), key, &after_reset);
  g_assert_true (g_param_value_defaults (pspec, &after_reset));

  g_object_set_property (G_OBJECT (fixture->settings), key, &value);
  written = g_settings_get_value (fixture->gsettings, key);
  g_assert_true (g_variant_equal (written, changed));
  g_signal_handler_disconnect (fixture->settings, handler);
}

static void
test_every_key_bound (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs, n_writable = 0;

  g_object_get (fixture->gsettings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_test_message ("key %s", keys[i]);
      check_key (fixture, keys[i]);
    }

  /* And nothing writable that is not a key (but the GSettings itself). */
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (fixture->settings), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    if ((pspecs[i]->flags & G_PARAM_WRITABLE) && !g_str_equal (pspecs[i]->name, "gsettings"))
      {
        g_assert_true (g_settings_schema_has_key (schema, pspecs[i]->name));
        n_writable++;
      }
  g_assert_cmpuint (n_writable, ==, g_strv_length (keys));
}

/* Every value of each GEnum a key stores is a nick the schema accepts, and
 * the other way round. */
static void
test_enum_nicks (Fixture       *fixture,
                 gconstpointer  data)
{
  static const struct { const char *key; GType (*type) (void); } enums[] = {
    { "tuning-system", pt_tuning_system_get_type },
    { "note-names", pt_note_names_get_type },
    { "transposition", pt_transposition_get_type },
    { "pitch-range", pt_pitch_range_get_type },
    { "test-signal-waveform", pt_waveform_get_type },
    { "noise-type", pt_noise_type_get_type },
  };

  for (guint i = 0; i < G_N_ELEMENTS (enums); i++)
    {
      g_autoptr(GSettingsSchemaKey) skey = schema_key (fixture->gsettings, enums[i].key);
      g_autoptr(GEnumClass) klass = g_type_class_ref (enums[i].type ());
      g_autoptr(GVariant) range = g_settings_schema_key_get_range (skey);
      g_autoptr(GVariant) values = NULL;
      g_autofree const char **nicks = NULL;
      gsize n_nicks;

      g_variant_get (range, "(&sv)", NULL, &values);
      nicks = g_variant_get_strv (values, &n_nicks);
      g_assert_cmpuint (n_nicks, ==, klass->n_values);
      for (guint v = 0; v < klass->n_values; v++)
        g_assert_cmpstr (klass->values[v].value_nick, ==, nicks[v]);
    }
}

static void
test_notifies_once (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_DOUBLE);
  g_value_set_double (&value, 442.0);
  pt_test_assert_notifies_once (fixture->settings, "reference-pitch", &value);
  g_value_unset (&value);
  g_value_init (&value, PT_TYPE_TRANSPOSITION);
  g_value_set_enum (&value, PT_TRANSPOSITION_E_FLAT);
  pt_test_assert_notifies_once (fixture->settings, "transposition", &value);
  g_assert_cmpstr (g_settings_get_string (fixture->gsettings, "transposition"), ==, "in-e-flat");
}

static void
assert_range (PtSettings *settings,
              double      min_hz,
              double      max_hz)
{
  g_assert_cmpfloat (pt_settings_get_range_min_frequency (settings), ==, min_hz);
  g_assert_cmpfloat (pt_settings_get_range_max_frequency (settings), ==, max_hz);
}

static void
test_range_presets (Fixture       *fixture,
                    gconstpointer  data)
{
  double min_hz, max_hz;

  assert_range (fixture->settings, 40.0, 2200.0);
  g_settings_set_string (fixture->gsettings, "pitch-range", "violin");
  g_assert_true (pt_pitch_range_get_bounds (PT_PITCH_RANGE_VIOLIN, &min_hz, &max_hz));
  assert_range (fixture->settings, min_hz, max_hz);
  g_assert_cmpfloat (min_hz, <, 196.0);  /* the open G string */

  g_object_set (fixture->settings, "min-frequency", 100.0, "max-frequency", 300.0, NULL);
  assert_range (fixture->settings, min_hz, max_hz);  /* the preset still rules */
  g_settings_set_string (fixture->gsettings, "pitch-range", "custom");
  assert_range (fixture->settings, 100.0, 300.0);
  g_assert_false (pt_pitch_range_get_bounds (PT_PITCH_RANGE_CUSTOM, &min_hz, &max_hz));
}

static void
test_binds_analyzer (Fixture       *fixture,
                     gconstpointer  data)
{
  PtPitchAnalyzer *analyzer = pt_pitch_analyzer_new (48000.0);
  PtNoteSettings note;
  double min_hz, max_hz;

  pt_settings_bind_pitch_analyzer (fixture->settings, analyzer);
  g_settings_set_double (fixture->gsettings, "reference-pitch", 442.0);
  g_settings_set_string (fixture->gsettings, "note-names", "flats");
  g_settings_set_string (fixture->gsettings, "transposition", "in-b-flat");
  g_settings_set_string (fixture->gsettings, "pitch-range", "bass");
  pt_pitch_analyzer_get_note_settings (analyzer, &note);
  g_assert_cmpfloat (note.reference_hz, ==, 442.0);
  g_assert_cmpint (note.names, ==, PT_NOTE_NAMES_FLATS);
  g_assert_cmpint (note.transposition, ==, PT_TRANSPOSITION_B_FLAT);
  g_object_get (analyzer, "min-frequency", &min_hz, "max-frequency", &max_hz, NULL);
  assert_range (fixture->settings, min_hz, max_hz);
  g_assert_finalize_object (analyzer);
}

static void
test_window_state (Fixture       *fixture,
                   gconstpointer  data)
{
  int width, height;
  gboolean maximized;

  pt_settings_set_window_state (fixture->settings, 640, 480, TRUE);
  g_assert_cmpint (g_settings_get_int (fixture->gsettings, "window-width"), ==, 640);
  g_assert_cmpint (g_settings_get_int (fixture->gsettings, "window-height"), ==, 480);
  g_assert_true (g_settings_get_boolean (fixture->gsettings, "window-maximized"));
  pt_settings_get_window_state (fixture->settings, &width, &height, &maximized);
  g_assert_cmpint (width, ==, 640);
  g_assert_cmpint (height, ==, 480);
  g_assert_true (maximized);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/pitch-toy/settings/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("every-key-bound", test_every_key_bound);
  ADD ("enum-nicks", test_enum_nicks);
  ADD ("notifies-once", test_notifies_once);
  ADD ("range-presets", test_range_presets);
  ADD ("binds-analyzer", test_binds_analyzer);
  ADD ("window-state", test_window_state);
#undef ADD

  return g_test_run ();
}
