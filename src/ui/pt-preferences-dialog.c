/* pt-preferences-dialog.c — the Preferences window: every user setting, bound
 * to GSettings so a change applies at once and persists.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-preferences-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pt-preferences-dialog.h"

struct _PtPreferencesDialog
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  GtkAdjustment        *reference_adjustment;
  AdwComboRow          *tuning_row;
  AdwComboRow          *tonic_row;
  AdwComboRow          *note_names_row;
  AdwComboRow          *transposition_row;
};

G_DEFINE_FINAL_TYPE (PtPreferencesDialog, pt_preferences_dialog, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

PtPreferencesDialog *
pt_preferences_dialog_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (PT_TYPE_PREFERENCES_DIALOG, "settings", settings, NULL);
}

/* A combo row's position is the key's value: for an enum key, the index of its
 * nick in the schema (written in the order of the values); for an integer key,
 * the integer itself. */
static gboolean
position_from_setting (GValue   *value,
                       GVariant *variant,
                       gpointer  user_data)
{
  const char * const *nicks = user_data;

  if (nicks == NULL)
    {
      g_value_set_uint (value, (guint) MAX (g_variant_get_int32 (variant), 0));
      return TRUE;
    }

  for (guint i = 0; nicks[i] != NULL; i++)
    if (g_str_equal (nicks[i], g_variant_get_string (variant, NULL)))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
setting_from_position (const GValue       *value,
                       const GVariantType *expected_type,
                       gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint position = g_value_get_uint (value);

  if (nicks == NULL)
    return g_variant_new_int32 ((gint32) position);
  if (position >= g_strv_length ((char **) nicks))
    return NULL;
  return g_variant_new_string (nicks[position]);
}

static gboolean
is_just_intonation (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  g_value_set_boolean (value, g_str_equal (g_variant_get_string (variant, NULL), "just"));
  return TRUE;
}

static void
bind_combo_row (PtPreferencesDialog *self,
                const char          *key,
                AdwComboRow         *row)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) schema_key = NULL;
  g_autoptr(GVariant) range = NULL;
  g_autoptr(GVariant) range_values = NULL;
  const char *range_type;
  char **nicks = NULL;

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  schema_key = g_settings_schema_get_key (schema, key);
  range = g_settings_schema_key_get_range (schema_key);
  g_variant_get (range, "(&sv)", &range_type, &range_values);
  if (g_str_equal (range_type, "enum"))
    nicks = g_variant_dup_strv (range_values, NULL);

  g_settings_bind_with_mapping (self->settings, key, row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                position_from_setting, setting_from_position,
                                nicks, (GDestroyNotify) g_strfreev);
}

static void
pt_preferences_dialog_constructed (GObject *object)
{
  PtPreferencesDialog *self = PT_PREFERENCES_DIALOG (object);

  G_OBJECT_CLASS (pt_preferences_dialog_parent_class)->constructed (object);

  g_settings_bind (self->settings, "reference-pitch",
                   self->reference_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  bind_combo_row (self, "tuning-system", self->tuning_row);
  bind_combo_row (self, "tonic", self->tonic_row);
  /* The tonic only means something in just intonation. */
  g_settings_bind_with_mapping (self->settings, "tuning-system", self->tonic_row, "sensitive",
                                G_SETTINGS_BIND_GET, is_just_intonation, NULL, NULL, NULL);
  bind_combo_row (self, "note-names", self->note_names_row);
  bind_combo_row (self, "transposition", self->transposition_row);
}

static void
pt_preferences_dialog_dispose (GObject *object)
{
  PtPreferencesDialog *self = PT_PREFERENCES_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PT_TYPE_PREFERENCES_DIALOG);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pt_preferences_dialog_parent_class)->dispose (object);
}

static void
pt_preferences_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  PtPreferencesDialog *self = PT_PREFERENCES_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_preferences_dialog_class_init (PtPreferencesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pt_preferences_dialog_constructed;
  object_class->dispose = pt_preferences_dialog_dispose;
  object_class->set_property = pt_preferences_dialog_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/pitchtoy/PitchToy/ui/pt-preferences-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PtPreferencesDialog, reference_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PtPreferencesDialog, tuning_row);
  gtk_widget_class_bind_template_child (widget_class, PtPreferencesDialog, tonic_row);
  gtk_widget_class_bind_template_child (widget_class, PtPreferencesDialog, note_names_row);
  gtk_widget_class_bind_template_child (widget_class, PtPreferencesDialog, transposition_row);
}

static void
pt_preferences_dialog_init (PtPreferencesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
