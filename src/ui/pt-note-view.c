/* pt-note-view.c — the note view. It follows a PtTunerModel, which already
 * holds the note against flicker and notifies at most once per dispatch;
 * the labels are written on the next frame tick from the model's latest
 * values, so their text changes at most once per frame however fast the
 * audio arrives. The caption names the reference and the tuning system,
 * which the window binds from the analyser.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-note-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "pt-analysis-enum-types.h"
#include "pt-note-view.h"

struct _PtNoteView
{
  AdwBin          parent_instance;

  GSignalGroup   *model_signals;
  PtTunerModel   *model;
  guint           tick_id;
  char           *note_text;
  char           *cents_text;

  double          reference;
  PtTuningSystem  tuning;
  int             tonic;
  PtNoteNames     names;

  GtkBox         *name_box;
  GtkLabel       *letter_label;
  GtkLabel       *accidental_label;
  GtkLabel       *octave_label;
  GtkLabel       *frequency_label;
  GtkLabel       *cents_label;
  GtkLabel       *caption_label;
};

G_DEFINE_FINAL_TYPE (PtNoteView, pt_note_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_REFERENCE,
  PROP_TUNING,
  PROP_TONIC,
  PROP_NOTE_NAMES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

PtTunerModel *
pt_note_view_get_model (PtNoteView *self)
{
  g_return_val_if_fail (PT_IS_NOTE_VIEW (self), NULL);

  return self->model;
}

/* "A♯4" as shown, or "" before the first note. */
const char *
pt_note_view_get_note_text (PtNoteView *self)
{
  g_return_val_if_fail (PT_IS_NOTE_VIEW (self), NULL);

  return self->note_text;
}

/* "+1.2 cents" as shown (with a real minus sign), or "". */
const char *
pt_note_view_get_cents_text (PtNoteView *self)
{
  g_return_val_if_fail (PT_IS_NOTE_VIEW (self), NULL);

  return self->cents_text;
}

/* Writes @text only when it differs: a label that is set re-lays out. */
static void
set_label (GtkLabel   *label,
           const char *text)
{
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

static char *
format_cents (double cents)
{
  g_autofree char *number = g_strdup_printf ("%+.1f", cents);
  GString *text;

  if (g_str_equal (number, "-0.0"))
    number[0] = '+';
  text = g_string_new (number[0] == '-' ? "−" : "+");
  g_string_append (text, number + 1);
  /* Translators: after a signed number of cents, like "+1.2" */
  g_string_append_printf (text, " %s", _("cents"));
  return g_string_free (text, FALSE);
}

static void
show_note (PtNoteView   *self,
           const PtNote *note)
{
  g_autofree char *display = pt_note_dup_display_name (note);
  g_autofree char *frequency =
    g_strdup_printf (_("%.1f Hz"), pt_tuner_model_get_frequency (self->model));
  char letter[2] = { note->name[0], '\0' };
  const char *accidental = note->name[1] == '#' ? "♯" : note->name[1] == 'b' ? "♭" : "";
  const char *octave = note->name + (accidental[0] != '\0' ? 2 : 1);

  g_free (self->note_text);
  self->note_text = g_steal_pointer (&display);
  g_free (self->cents_text);
  self->cents_text = format_cents (pt_tuner_model_get_cents (self->model));
  set_label (self->letter_label, letter);
  set_label (self->accidental_label, accidental);
  set_label (self->octave_label, octave);
  set_label (self->frequency_label, frequency);
  set_label (self->cents_label, self->cents_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->name_box),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->note_text, -1);
}

static void
show_model (PtNoteView *self)
{
  const PtNote *note = self->model != NULL ? pt_tuner_model_get_note (self->model) : NULL;

  if (note != NULL)
    show_note (self, note);
  else
    {
      g_free (self->note_text);
      self->note_text = g_strdup ("");
      g_free (self->cents_text);
      self->cents_text = g_strdup ("");
      set_label (self->letter_label, "–");
      set_label (self->accidental_label, "");
      set_label (self->octave_label, "");
      set_label (self->frequency_label, "");
      set_label (self->cents_label, "");
    }
  if (note != NULL && !pt_tuner_model_get_dimmed (self->model))
    gtk_widget_remove_css_class (GTK_WIDGET (self), "dimmed");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self), "dimmed");
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  PtNoteView *self = PT_NOTE_VIEW (widget);

  self->tick_id = 0;
  show_model (self);
  return G_SOURCE_REMOVE;
}

/* The model changed: write the labels on the next frame, once. */
static void
on_model_notify (PtNoteView *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    show_model (self);
  else if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}

void
pt_note_view_set_model (PtNoteView   *self,
                        PtTunerModel *model)
{
  g_return_if_fail (PT_IS_NOTE_VIEW (self));
  g_return_if_fail (model == NULL || PT_IS_TUNER_MODEL (model));

  if (!g_set_object (&self->model, model))
    return;
  g_signal_group_set_target (self->model_signals, model);
  show_model (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

static void
update_caption (PtNoteView *self)
{
  g_autofree char *caption = NULL;

  if (self->tuning == PT_TUNING_JUST)
    /* Translators: the reference pitch, then the tonic, as in
     * "A4 = 440.0 Hz · Just intonation on C" */
    caption = g_strdup_printf (_("A4 = %.1f Hz · Just intonation on %s"), self->reference,
                               pt_note_pitch_class_name (self->tonic, self->names));
  else
    caption = g_strdup_printf (_("A4 = %.1f Hz · Equal temperament"), self->reference);
  set_label (self->caption_label, caption);
}

static void
pt_note_view_dispose (GObject *object)
{
  PtNoteView *self = PT_NOTE_VIEW (object);

  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  if (self->model_signals != NULL)
    g_signal_group_set_target (self->model_signals, NULL);
  g_clear_object (&self->model_signals);
  g_clear_object (&self->model);
  gtk_widget_dispose_template (GTK_WIDGET (self), PT_TYPE_NOTE_VIEW);

  G_OBJECT_CLASS (pt_note_view_parent_class)->dispose (object);
}

static void
pt_note_view_finalize (GObject *object)
{
  PtNoteView *self = PT_NOTE_VIEW (object);

  g_free (self->note_text);
  g_free (self->cents_text);

  G_OBJECT_CLASS (pt_note_view_parent_class)->finalize (object);
}

static void
pt_note_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PtNoteView *self = PT_NOTE_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_REFERENCE:
      g_value_set_double (value, self->reference);
      break;
    case PROP_TUNING:
      g_value_set_enum (value, self->tuning);
      break;
    case PROP_TONIC:
      g_value_set_int (value, self->tonic);
      break;
    case PROP_NOTE_NAMES:
      g_value_set_enum (value, self->names);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The caption's fields: a change rewrites the caption. */
static gboolean
set_caption_field (PtNoteView   *self,
                   guint         prop_id,
                   const GValue *value)
{
  int *field = prop_id == PROP_TUNING ? (int *) &self->tuning
               : prop_id == PROP_TONIC ? &self->tonic : (int *) &self->names;
  int new_value;

  if (prop_id == PROP_REFERENCE)
    {
      if (self->reference == g_value_get_double (value))
        return FALSE;
      self->reference = g_value_get_double (value);
      return TRUE;
    }
  new_value = prop_id == PROP_TONIC ? g_value_get_int (value) : g_value_get_enum (value);
  if (*field == new_value)
    return FALSE;
  *field = new_value;
  return TRUE;
}

static void
pt_note_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PtNoteView *self = PT_NOTE_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      pt_note_view_set_model (self, g_value_get_object (value));
      break;
    case PROP_REFERENCE:
    case PROP_TUNING:
    case PROP_TONIC:
    case PROP_NOTE_NAMES:
      if (set_caption_field (self, prop_id, value))
        {
          update_caption (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_note_view_class_init (PtNoteViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = pt_note_view_dispose;
  object_class->finalize = pt_note_view_finalize;
  object_class->get_property = pt_note_view_get_property;
  object_class->set_property = pt_note_view_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, PT_TYPE_TUNER_MODEL, rw);
  properties[PROP_REFERENCE] =
    g_param_spec_double ("reference", NULL, NULL, PT_NOTE_REFERENCE_MIN_HZ,
                         PT_NOTE_REFERENCE_MAX_HZ, PT_NOTE_REFERENCE_DEFAULT_HZ, rw);
  properties[PROP_TUNING] =
    g_param_spec_enum ("tuning", NULL, NULL, PT_TYPE_TUNING_SYSTEM, PT_TUNING_EQUAL, rw);
  properties[PROP_TONIC] = g_param_spec_int ("tonic", NULL, NULL, 0, 11, 0, rw);
  properties[PROP_NOTE_NAMES] =
    g_param_spec_enum ("note-names", NULL, NULL, PT_TYPE_NOTE_NAMES, PT_NOTE_NAMES_SHARPS, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/pitchtoy/PitchToy/ui/pt-note-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PtNoteView, name_box);
  gtk_widget_class_bind_template_child (widget_class, PtNoteView, letter_label);
  gtk_widget_class_bind_template_child (widget_class, PtNoteView, accidental_label);
  gtk_widget_class_bind_template_child (widget_class, PtNoteView, octave_label);
  gtk_widget_class_bind_template_child (widget_class, PtNoteView, frequency_label);
  gtk_widget_class_bind_template_child (widget_class, PtNoteView, cents_label);
  gtk_widget_class_bind_template_child (widget_class, PtNoteView, caption_label);
  gtk_widget_class_set_css_name (widget_class, "noteview");
}

static void
pt_note_view_init (PtNoteView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->reference = PT_NOTE_REFERENCE_DEFAULT_HZ;
  self->note_text = g_strdup ("");
  self->cents_text = g_strdup ("");
  self->model_signals = g_signal_group_new (PT_TYPE_TUNER_MODEL);
  g_signal_group_connect_swapped (self->model_signals, "notify",
                                  G_CALLBACK (on_model_notify), self);
  update_caption (self);
  show_model (self);
}
