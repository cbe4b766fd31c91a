/* pt-tuner-model.c — note hold and notification coalescing for the tuner.
 *
 * Hold: the first note after silence shows at once; another note must last
 * hold-time of stream time (frame timestamps, not the wall clock, so a late
 * batch changes nothing) before the display switches, so attacks and vibrato
 * crossings do not flicker; after hold-time of silence the last note stays,
 * dimmed. While another note is pending, the held one's values stay frozen.
 *
 * Coalescing: the analyser emits a frame every hop (~190 a second) and a
 * batch brings several at once. The first change in a dispatch freezes this
 * object's notifications; an idle source that runs before GTK's redraw thaws
 * them, so each property notifies at most once per dispatch.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-tuner-model"

#include "config.h"

#include <math.h>
#include <string.h>

#include "pt-tuner-model.h"

struct _PtTunerModel
{
  GObject       parent_instance;

  GSignalGroup *analyzer_signals;
  GMainContext *context;
  GSource      *thaw_source;
  double        hold_s;

  gboolean      has_note;
  PtNote        note;
  double        frequency;
  double        confidence;
  gboolean      dimmed;

  int           pending_midi;      /* a different note seen since pending_since */
  double        pending_since;     /* NAN when none */
  double        unvoiced_since;    /* NAN while voiced */
};

G_DEFINE_FINAL_TYPE (PtTunerModel, pt_tuner_model, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ANALYZER,
  PROP_HOLD_TIME,
  PROP_NOTE,
  PROP_FREQUENCY,
  PROP_CENTS,
  PROP_CONFIDENCE,
  PROP_DIMMED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

PtTunerModel *
pt_tuner_model_new (void)
{
  return g_object_new (PT_TYPE_TUNER_MODEL, NULL);
}

PtPitchAnalyzer *
pt_tuner_model_get_analyzer (PtTunerModel *self)
{
  g_autoptr(GObject) target = NULL;

  g_return_val_if_fail (PT_IS_TUNER_MODEL (self), NULL);

  target = g_signal_group_dup_target (self->analyzer_signals);
  return PT_PITCH_ANALYZER (target);
}

void
pt_tuner_model_set_analyzer (PtTunerModel    *self,
                             PtPitchAnalyzer *analyzer)
{
  g_autoptr(GObject) old = NULL;

  g_return_if_fail (PT_IS_TUNER_MODEL (self));
  g_return_if_fail (analyzer == NULL || PT_IS_PITCH_ANALYZER (analyzer));

  old = g_signal_group_dup_target (self->analyzer_signals);
  if (old == (GObject *) analyzer)
    return;
  g_signal_group_set_target (self->analyzer_signals, analyzer);
  pt_tuner_model_reset (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANALYZER]);
}

static gboolean
thaw_notifications (gpointer user_data)
{
  PtTunerModel *self = user_data;

  g_clear_pointer (&self->thaw_source, g_source_unref);
  g_object_thaw_notify (G_OBJECT (self));
  return G_SOURCE_REMOVE;
}

/* Called before any change: holds notifications until the dispatch is over.
 * G_PRIORITY_HIGH_IDLE runs before GDK's redraw (HIGH_IDLE + 20). */
static void
begin_change (PtTunerModel *self)
{
  if (self->thaw_source != NULL)
    return;
  g_object_freeze_notify (G_OBJECT (self));
  self->thaw_source = g_idle_source_new ();
  g_source_set_priority (self->thaw_source, G_PRIORITY_HIGH_IDLE);
  g_source_set_callback (self->thaw_source, thaw_notifications, self, NULL);
  g_source_set_static_name (self->thaw_source, "[pitch-toy] tuner notify");
  g_source_attach (self->thaw_source, self->context);
}

static void
set_double (PtTunerModel *self,
            double       *field,
            double        value,
            guint         prop_id)
{
  if (*field == value)
    return;
  begin_change (self);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_dimmed (PtTunerModel *self,
            gboolean      dimmed)
{
  if (self->dimmed == dimmed)
    return;
  begin_change (self);
  self->dimmed = dimmed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIMMED]);
}

static void
show_frame (PtTunerModel       *self,
            const PtPitchFrame *frame)
{
  double old_cents = self->note.cents;

  if (!self->has_note || memcmp (&self->note, &frame->note, sizeof self->note) != 0)
    {
      begin_change (self);
      self->has_note = TRUE;
      self->note = frame->note;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
      if (old_cents != frame->note.cents)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTS]);
    }
  set_double (self, &self->frequency, frame->frequency, PROP_FREQUENCY);
  set_double (self, &self->confidence, frame->confidence, PROP_CONFIDENCE);
  set_dimmed (self, FALSE);
  self->pending_since = NAN;
}

static void
push_voiced (PtTunerModel       *self,
             const PtPitchFrame *frame)
{
  self->unvoiced_since = NAN;
  if (!self->has_note || self->dimmed || frame->note.nearest_midi == self->note.nearest_midi)
    {
      show_frame (self, frame);
      return;
    }
  if (isnan (self->pending_since) || self->pending_midi != frame->note.nearest_midi)
    {
      self->pending_midi = frame->note.nearest_midi;
      self->pending_since = frame->time_s;
    }
  if (frame->time_s - self->pending_since >= self->hold_s - 1e-9)
    show_frame (self, frame);
}

static void
push_unvoiced (PtTunerModel       *self,
               const PtPitchFrame *frame)
{
  self->pending_since = NAN;
  if (!self->has_note || self->dimmed)
    return;
  if (isnan (self->unvoiced_since))
    self->unvoiced_since = frame->time_s;
  if (frame->time_s - self->unvoiced_since >= self->hold_s - 1e-9)
    set_dimmed (self, TRUE);
}

/* Takes one analysis frame, as the analyser's "frame" signal gives it. */
void
pt_tuner_model_push_frame (PtTunerModel       *self,
                           const PtPitchFrame *frame)
{
  g_return_if_fail (PT_IS_TUNER_MODEL (self));
  g_return_if_fail (frame != NULL);

  if (frame->voiced)
    push_voiced (self, frame);
  else
    push_unvoiced (self, frame);
}

/* Back to "no note yet". */
void
pt_tuner_model_reset (PtTunerModel *self)
{
  g_return_if_fail (PT_IS_TUNER_MODEL (self));

  self->pending_since = NAN;
  self->unvoiced_since = NAN;
  if (!self->has_note)
    return;
  begin_change (self);
  self->has_note = FALSE;
  memset (&self->note, 0, sizeof self->note);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTS]);
  set_double (self, &self->frequency, 0.0, PROP_FREQUENCY);
  set_double (self, &self->confidence, 0.0, PROP_CONFIDENCE);
  set_dimmed (self, FALSE);
}

const PtNote *
pt_tuner_model_get_note (PtTunerModel *self)
{
  g_return_val_if_fail (PT_IS_TUNER_MODEL (self), NULL);

  return self->has_note ? &self->note : NULL;
}

double
pt_tuner_model_get_frequency (PtTunerModel *self)
{
  g_return_val_if_fail (PT_IS_TUNER_MODEL (self), 0.0);

  return self->frequency;
}

double
pt_tuner_model_get_cents (PtTunerModel *self)
{
  g_return_val_if_fail (PT_IS_TUNER_MODEL (self), 0.0);

  return self->has_note ? self->note.cents : 0.0;
}

double
pt_tuner_model_get_confidence (PtTunerModel *self)
{
  g_return_val_if_fail (PT_IS_TUNER_MODEL (self), 0.0);

  return self->confidence;
}

gboolean
pt_tuner_model_get_dimmed (PtTunerModel *self)
{
  g_return_val_if_fail (PT_IS_TUNER_MODEL (self), FALSE);

  return self->dimmed;
}

double
pt_tuner_model_get_hold_time (PtTunerModel *self)
{
  g_return_val_if_fail (PT_IS_TUNER_MODEL (self), 0.0);

  return self->hold_s;
}

void
pt_tuner_model_set_hold_time (PtTunerModel *self,
                              double        seconds)
{
  g_return_if_fail (PT_IS_TUNER_MODEL (self));
  g_return_if_fail (seconds >= 0.0);

  if (self->hold_s == seconds)
    return;
  self->hold_s = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOLD_TIME]);
}

static void
pt_tuner_model_dispose (GObject *object)
{
  PtTunerModel *self = PT_TUNER_MODEL (object);

  if (self->analyzer_signals != NULL)
    g_signal_group_set_target (self->analyzer_signals, NULL);
  g_clear_object (&self->analyzer_signals);
  if (self->thaw_source != NULL)
    {
      g_source_destroy (self->thaw_source);
      g_clear_pointer (&self->thaw_source, g_source_unref);
      g_object_thaw_notify (object);
    }

  G_OBJECT_CLASS (pt_tuner_model_parent_class)->dispose (object);
}

static void
pt_tuner_model_finalize (GObject *object)
{
  PtTunerModel *self = PT_TUNER_MODEL (object);

  g_main_context_unref (self->context);

  G_OBJECT_CLASS (pt_tuner_model_parent_class)->finalize (object);
}

static void
pt_tuner_model_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PtTunerModel *self = PT_TUNER_MODEL (object);

  switch (prop_id)
    {
    case PROP_ANALYZER:
      g_value_take_object (value, pt_tuner_model_get_analyzer (self));
      break;
    case PROP_HOLD_TIME:
      g_value_set_double (value, self->hold_s);
      break;
    case PROP_NOTE:
      g_value_set_boxed (value, pt_tuner_model_get_note (self));
      break;
    case PROP_FREQUENCY:
      g_value_set_double (value, self->frequency);
      break;
    case PROP_CENTS:
      g_value_set_double (value, pt_tuner_model_get_cents (self));
      break;
    case PROP_CONFIDENCE:
      g_value_set_double (value, self->confidence);
      break;
    case PROP_DIMMED:
      g_value_set_boolean (value, self->dimmed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_tuner_model_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PtTunerModel *self = PT_TUNER_MODEL (object);

  switch (prop_id)
    {
    case PROP_ANALYZER:
      pt_tuner_model_set_analyzer (self, g_value_get_object (value));
      break;
    case PROP_HOLD_TIME:
      pt_tuner_model_set_hold_time (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_tuner_model_class_init (PtTunerModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = pt_tuner_model_dispose;
  object_class->finalize = pt_tuner_model_finalize;
  object_class->get_property = pt_tuner_model_get_property;
  object_class->set_property = pt_tuner_model_set_property;

  properties[PROP_ANALYZER] =
    g_param_spec_object ("analyzer", NULL, NULL, PT_TYPE_PITCH_ANALYZER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOLD_TIME] =
    g_param_spec_double ("hold-time", NULL, NULL, 0.0, 10.0, PT_TUNER_MODEL_DEFAULT_HOLD_S,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTE] = g_param_spec_boxed ("note", NULL, NULL, PT_TYPE_NOTE, ro);
  properties[PROP_FREQUENCY] =
    g_param_spec_double ("frequency", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, ro);
  properties[PROP_CENTS] =
    g_param_spec_double ("cents", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, ro);
  properties[PROP_CONFIDENCE] =
    g_param_spec_double ("confidence", NULL, NULL, 0.0, 1.0, 0.0, ro);
  properties[PROP_DIMMED] = g_param_spec_boolean ("dimmed", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pt_tuner_model_init (PtTunerModel *self)
{
  self->hold_s = PT_TUNER_MODEL_DEFAULT_HOLD_S;
  self->pending_since = NAN;
  self->unvoiced_since = NAN;
  self->context = g_main_context_ref_thread_default ();
  self->analyzer_signals = g_signal_group_new (PT_TYPE_PITCH_ANALYZER);
  g_signal_group_connect_swapped (self->analyzer_signals, "frame",
                                  G_CALLBACK (pt_tuner_model_push_frame), self);
}
