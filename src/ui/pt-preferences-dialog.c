/* pt-preferences-dialog.c — the Preferences window: every user setting,
 * bound to PtSettings so a change applies at once and persists. Enum rows
 * list the GEnum's own values (AdwEnumListModel) under translated labels, so
 * each enum has one encoding.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-preferences-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pt-analysis-enum-types.h"
#include "pt-engine-enum-types.h"
#include "pt-preferences-dialog.h"
#include "pt-types.h"

struct _PtPreferencesDialog
{
  AdwPreferencesWindow  parent_instance;

  PtSettings           *settings;
  PtDeviceMonitor      *devices;
  GListModel           *device_choices;   /* "System default", then every source */
  gboolean              syncing;          /* the rows follow the settings, not the user */

  AdwComboRow          *device_row;
  AdwComboRow          *channel_row;

  GtkAdjustment        *reference_adjustment;
  GtkAdjustment        *tolerance_adjustment;
  GtkAdjustment        *min_frequency_adjustment;
  GtkAdjustment        *max_frequency_adjustment;
  GtkAdjustment        *noise_gate_adjustment;
  GtkAdjustment        *batch_size_adjustment;
  GtkAdjustment        *batch_timeout_adjustment;
  GtkSwitch            *adaptive_switch;
  GtkSwitch            *monitor_switch;
  AdwComboRow          *drone_note_row;
  GtkAdjustment        *drone_octave_adjustment;
  AdwComboRow          *drone_waveform_row;
  AdwComboRow          *tuning_row;
  AdwComboRow          *tonic_row;
  AdwComboRow          *note_names_row;
  AdwComboRow          *transposition_row;
  AdwComboRow          *range_row;
  AdwActionRow         *min_frequency_row;
  AdwActionRow         *max_frequency_row;
};

G_DEFINE_FINAL_TYPE (PtPreferencesDialog, pt_preferences_dialog, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_DEVICES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

PtPreferencesDialog *
pt_preferences_dialog_new (PtSettings      *settings,
                           PtDeviceMonitor *devices)
{
  g_return_val_if_fail (PT_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (PT_IS_DEVICE_MONITOR (devices), NULL);

  return g_object_new (PT_TYPE_PREFERENCES_DIALOG, "settings", settings, "devices", devices,
                       NULL);
}

/* The input rows. The device row lists "System default" and every source
 * the monitor has, live; the choice is stored by node name and applied at
 * once (the app binds the engine to the setting). The channel row offers the
 * mix and each channel of the chosen device. */

static char *
dup_setting_string (PtSettings *settings,
                    const char *key)
{
  char *value = NULL;

  g_object_get (settings, key, &value, NULL);
  return value;
}

static PtDevice *
chosen_device (PtPreferencesDialog *self)
{
  return adw_combo_row_get_selected_item (self->device_row);
}

static void
fill_channels (PtPreferencesDialog *self)
{
  PtDevice *device = chosen_device (self);
  guint n = device != NULL && pt_device_get_channels (device) > 0
            ? pt_device_get_channels (device) : 2;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  int channel;

  gtk_string_list_append (labels, _("All channels, mixed"));
  for (guint i = 1; i <= MIN (n, PT_MAX_CHANNELS); i++)
    {
      g_autofree char *label = g_strdup_printf (_("Channel %u"), i);

      gtk_string_list_append (labels, label);
    }
  g_object_get (self->settings, "input-channel", &channel, NULL);
  adw_combo_row_set_model (self->channel_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->channel_row, (guint) MIN (channel + 1, (int) n));
}

/* Selects the stored device (the default when it is not there now). */
static void
sync_device_row (PtPreferencesDialog *self)
{
  g_autofree char *wanted = dup_setting_string (self->settings, "input-device");
  guint n = g_list_model_get_n_items (self->device_choices), position = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PtDevice) device = g_list_model_get_item (self->device_choices, i);

      if (g_strcmp0 (pt_device_get_name (device), wanted) == 0)
        position = i;
    }
  self->syncing = TRUE;
  adw_combo_row_set_selected (self->device_row, position);
  fill_channels (self);
  self->syncing = FALSE;
}

static void
on_device_selected (PtPreferencesDialog *self)
{
  PtDevice *device = chosen_device (self);

  if (self->syncing || device == NULL)
    return;
  g_object_set (self->settings, "input-device", pt_device_get_name (device), NULL);
  self->syncing = TRUE;
  fill_channels (self);
  self->syncing = FALSE;
}

static void
on_channel_selected (PtPreferencesDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->channel_row);

  if (self->syncing || selected == GTK_INVALID_LIST_POSITION)
    return;
  g_object_set (self->settings, "input-channel", (int) selected - 1, NULL);
}

static void
setup_input_rows (PtPreferencesDialog *self)
{
  g_autoptr(GListStore) parts = g_list_store_new (G_TYPE_LIST_MODEL);
  g_autoptr(GListStore) system_default = g_list_store_new (PT_TYPE_DEVICE);
  g_autoptr(PtDevice) default_item = pt_device_new ("", _("System default"), 0, NULL);

  g_list_store_append (system_default, default_item);
  g_list_store_append (parts, system_default);
  g_list_store_append (parts, self->devices);
  self->device_choices = G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (
                                         g_steal_pointer (&parts))));

  adw_combo_row_set_expression (self->device_row,
                                gtk_property_expression_new (PT_TYPE_DEVICE, NULL, "description"));
  adw_combo_row_set_model (self->device_row, self->device_choices);
  sync_device_row (self);

  g_signal_connect_object (self->device_choices, "items-changed",
                           G_CALLBACK (sync_device_row), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "notify::input-device",
                           G_CALLBACK (sync_device_row), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->device_row, "notify::selected",
                           G_CALLBACK (on_device_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->channel_row, "notify::selected",
                           G_CALLBACK (on_channel_selected), self, G_CONNECT_SWAPPED);
}

/* The label of each value, in the GEnum's order. */
static const char * const tuning_labels[] = {
  N_("Equal temperament"), N_("Just intonation"), NULL,
};
static const char * const note_names_labels[] = {
  N_("Sharps (C♯)"), N_("Flats (D♭)"), NULL,
};
static const char * const transposition_labels[] = {
  N_("C (concert pitch)"), N_("B♭"), N_("E♭"), N_("F"), NULL,
};
static const char * const drone_waveform_labels[] = {
  N_("Sine"), N_("Organ"), NULL,
};
static const char * const range_labels[] = {
  N_("Everything"), N_("Voice"), N_("Guitar"), N_("Bass"), N_("Violin"), N_("Custom"), NULL,
};

static char *
enum_item_label (AdwEnumListItem    *item,
                 const char * const *labels)
{
  int value = adw_enum_list_item_get_value (item);

  g_assert (value >= 0 && (guint) value < g_strv_length ((char **) labels));
  return g_strdup (_(labels[value]));
}

static gboolean
position_from_enum (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  AdwEnumListModel *model = user_data;

  g_value_set_uint (to, adw_enum_list_model_find_position (model, g_value_get_enum (from)));
  return TRUE;
}

static gboolean
enum_from_position (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  g_autoptr(AdwEnumListItem) item = g_list_model_get_item (user_data, g_value_get_uint (from));

  if (item == NULL)
    return FALSE;
  g_value_set_enum (to, adw_enum_list_item_get_value (item));
  return TRUE;
}

static void
bind_enum_row (PtPreferencesDialog *self,
               const char          *property,
               AdwComboRow         *row,
               const char * const  *labels)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (self->settings), property);
  g_autoptr(AdwEnumListModel) model = adw_enum_list_model_new (pspec->value_type);

  adw_combo_row_set_expression (row,
                                gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                             G_CALLBACK (enum_item_label),
                                                             (gpointer) labels, NULL));
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  g_object_bind_property_full (self->settings, property, row, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               position_from_enum, enum_from_position,
                               g_object_ref (model), g_object_unref);
}

static void
bind_value (PtPreferencesDialog *self,
            const char          *property,
            gpointer             target,
            const char          *target_property)
{
  g_object_bind_property (self->settings, property, target, target_property,
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

/* drone-note is -1 for the tonic, then a pitch class: one row further. */
static gboolean
row_from_drone_note (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      user_data)
{
  g_value_set_uint (to, (guint) (g_value_get_int (from) + 1));
  return TRUE;
}

static gboolean
drone_note_from_row (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      user_data)
{
  guint row = g_value_get_uint (from);

  if (row == GTK_INVALID_LIST_POSITION)
    return FALSE;
  g_value_set_int (to, (int) row - 1);
  return TRUE;
}

static void
bind_drone (PtPreferencesDialog *self)
{
  g_object_bind_property_full (self->settings, "drone-note", self->drone_note_row, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               row_from_drone_note, drone_note_from_row, NULL, NULL);
  bind_value (self, "drone-octave", self->drone_octave_adjustment, "value");
  bind_enum_row (self, "drone-waveform", self->drone_waveform_row, drone_waveform_labels);
}

static gboolean
is_just_intonation (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_enum (from) == PT_TUNING_JUST);
  return TRUE;
}

static gboolean
is_custom_range (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_enum (from) == PT_PITCH_RANGE_CUSTOM);
  return TRUE;
}

/* The range row says what the preset stands for, in hertz. */
static void
update_range_subtitle (PtPreferencesDialog *self)
{
  g_autofree char *subtitle =
    /* Translators: a frequency range, lowest to highest */
    g_strdup_printf (_("%.0f – %.0f Hz"), pt_settings_get_range_min_frequency (self->settings),
                     pt_settings_get_range_max_frequency (self->settings));

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->range_row), subtitle);
}

static void
bind_range (PtPreferencesDialog *self)
{
  bind_enum_row (self, "pitch-range", self->range_row, range_labels);
  bind_value (self, "min-frequency", self->min_frequency_adjustment, "value");
  bind_value (self, "max-frequency", self->max_frequency_adjustment, "value");
  for (guint i = 0; i < 2; i++)
    g_object_bind_property_full (self->settings, "pitch-range",
                                 i == 0 ? self->min_frequency_row : self->max_frequency_row,
                                 "sensitive", G_BINDING_SYNC_CREATE,
                                 is_custom_range, NULL, NULL, NULL);
  g_signal_connect_object (self->settings, "notify::range-min-frequency",
                           G_CALLBACK (update_range_subtitle), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "notify::range-max-frequency",
                           G_CALLBACK (update_range_subtitle), self, G_CONNECT_SWAPPED);
  update_range_subtitle (self);
}

static void
pt_preferences_dialog_constructed (GObject *object)
{
  PtPreferencesDialog *self = PT_PREFERENCES_DIALOG (object);

  G_OBJECT_CLASS (pt_preferences_dialog_parent_class)->constructed (object);

  g_assert (PT_IS_SETTINGS (self->settings));
  g_assert (PT_IS_DEVICE_MONITOR (self->devices));
  setup_input_rows (self);
  bind_value (self, "reference-pitch", self->reference_adjustment, "value");
  bind_enum_row (self, "note-names", self->note_names_row, note_names_labels);
  bind_enum_row (self, "transposition", self->transposition_row, transposition_labels);
  bind_enum_row (self, "tuning-system", self->tuning_row, tuning_labels);
  bind_value (self, "tonic", self->tonic_row, "selected");
  /* The tonic only means something in just intonation. */
  g_object_bind_property_full (self->settings, "tuning-system", self->tonic_row, "sensitive",
                               G_BINDING_SYNC_CREATE, is_just_intonation, NULL, NULL, NULL);
  bind_value (self, "in-tune-tolerance", self->tolerance_adjustment, "value");
  bind_value (self, "monitor-output", self->monitor_switch, "active");
  bind_drone (self);
  bind_range (self);
  bind_value (self, "noise-gate", self->noise_gate_adjustment, "value");
  bind_value (self, "batch-size", self->batch_size_adjustment, "value");
  bind_value (self, "adaptive-batching", self->adaptive_switch, "active");
  bind_value (self, "batch-timeout", self->batch_timeout_adjustment, "value");
}

static void
pt_preferences_dialog_dispose (GObject *object)
{
  PtPreferencesDialog *self = PT_PREFERENCES_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PT_TYPE_PREFERENCES_DIALOG);
  g_clear_object (&self->device_choices);
  g_clear_object (&self->devices);
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

    case PROP_DEVICES:
      self->devices = g_value_dup_object (value);
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
                         PT_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEVICES] =
    g_param_spec_object ("devices", NULL, NULL,
                         PT_TYPE_DEVICE_MONITOR,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/pitchtoy/PitchToy/ui/pt-preferences-dialog.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, PtPreferencesDialog, name)
  CHILD (reference_adjustment);
  CHILD (tolerance_adjustment);
  CHILD (min_frequency_adjustment);
  CHILD (max_frequency_adjustment);
  CHILD (noise_gate_adjustment);
  CHILD (batch_size_adjustment);
  CHILD (batch_timeout_adjustment);
  CHILD (adaptive_switch);
  CHILD (device_row);
  CHILD (channel_row);
  CHILD (tuning_row);
  CHILD (tonic_row);
  CHILD (monitor_switch);
  CHILD (drone_note_row);
  CHILD (drone_octave_adjustment);
  CHILD (drone_waveform_row);
  CHILD (note_names_row);
  CHILD (transposition_row);
  CHILD (range_row);
  CHILD (min_frequency_row);
  CHILD (max_frequency_row);
#undef CHILD
}

static void
pt_preferences_dialog_init (PtPreferencesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
