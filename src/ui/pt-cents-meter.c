/* pt-cents-meter.c — a ±50 cent scale with a needle. The needle follows a
 * critically damped spring (AdwSpringAnimation, damping ratio 1) retargeted
 * from where it is, at the speed it has, on the frame after a new value
 * arrives: it never overshoots and never jumps. In tune (within the tolerance) shows by
 * colour, by the needle's head (a ring around the centre) and by the words
 * under the scale. Screen readers get the METER role, the value and a text
 * such as "12 cents sharp". Once the spring settles nothing is drawn.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-cents-meter"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "pt-cents-meter.h"
#include "pt-drawing.h"

#define RANGE_CENTS 50.0
/* The spring: stiffness 400 with unit mass and damping ratio 1 settles
 * within 1 % in about 0.3 s, quick enough to follow a tuning peg. */
#define SPRING_STIFFNESS 400.0
/* Heights at scale 1; everything scales with the widget's height. */
#define NATURAL_HEIGHT 112.0

struct _PtCentsMeter
{
  GtkWidget     parent_instance;

  AdwAnimation *spring;
  double        cents;       /* the target */
  double        needle;      /* where the needle is drawn */
  double        tolerance;
  gboolean      active;
  guint         retarget_tick;  /* a retarget, pending */
  gboolean      moved;          /* the spring moved since it was last retargeted */
};

G_DEFINE_FINAL_TYPE (PtCentsMeter, pt_cents_meter, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CENTS,
  PROP_TOLERANCE,
  PROP_ACTIVE,
  PROP_IN_TUNE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
pt_cents_meter_new (void)
{
  return g_object_new (PT_TYPE_CENTS_METER, NULL);
}

double
pt_cents_meter_get_cents (PtCentsMeter *self)
{
  g_return_val_if_fail (PT_IS_CENTS_METER (self), 0.0);

  return self->cents;
}

double
pt_cents_meter_get_needle_cents (PtCentsMeter *self)
{
  g_return_val_if_fail (PT_IS_CENTS_METER (self), 0.0);

  return self->needle;
}

double
pt_cents_meter_get_tolerance (PtCentsMeter *self)
{
  g_return_val_if_fail (PT_IS_CENTS_METER (self), 0.0);

  return self->tolerance;
}

gboolean
pt_cents_meter_get_active (PtCentsMeter *self)
{
  g_return_val_if_fail (PT_IS_CENTS_METER (self), FALSE);

  return self->active;
}

gboolean
pt_cents_meter_get_in_tune (PtCentsMeter *self)
{
  g_return_val_if_fail (PT_IS_CENTS_METER (self), FALSE);

  return self->active && fabs (self->cents) <= self->tolerance;
}

/* What a screen reader says, and what the scale's caption shows. */
char *
pt_cents_meter_dup_description (PtCentsMeter *self)
{
  int rounded;

  g_return_val_if_fail (PT_IS_CENTS_METER (self), NULL);

  if (!self->active)
    return g_strdup (_("No note"));
  if (pt_cents_meter_get_in_tune (self))
    return g_strdup (_("In tune"));
  rounded = (int) lround (fabs (self->cents));
  if (self->cents > 0)
    return g_strdup_printf (ngettext ("%d cent sharp", "%d cents sharp", rounded), rounded);
  return g_strdup_printf (ngettext ("%d cent flat", "%d cents flat", rounded), rounded);
}

static void
update_state (PtCentsMeter *self,
              gboolean      was_in_tune)
{
  g_autofree char *description = pt_cents_meter_dup_description (self);
  gboolean in_tune = pt_cents_meter_get_in_tune (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW,
                                  CLAMP (self->cents, -RANGE_CENTS, RANGE_CENTS),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, description,
                                  -1);
  if (in_tune == was_in_tune)
    return;
  if (in_tune)
    gtk_widget_add_css_class (GTK_WIDGET (self), "in-tune");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "in-tune");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_TUNE]);
}

/* Retargets the spring from the needle's position and velocity, on a
 * frame once the spring has moved: live values come faster than frames,
 * and a spring restarted before it has moved leaves the needle where it
 * was. */
static gboolean
retarget_spring (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  PtCentsMeter *self = PT_CENTS_METER (widget);
  AdwSpringAnimation *spring = ADW_SPRING_ANIMATION (self->spring);
  double velocity = 0.0;

  if (adw_animation_get_state (self->spring) == ADW_ANIMATION_PLAYING)
    {
      if (!self->moved)
        return G_SOURCE_CONTINUE;
      velocity = adw_spring_animation_get_velocity (spring);
    }
  self->retarget_tick = 0;
  self->moved = FALSE;
  adw_spring_animation_set_value_from (spring, self->needle);
  adw_spring_animation_set_value_to (spring, CLAMP (self->cents, -RANGE_CENTS, RANGE_CENTS));
  adw_spring_animation_set_initial_velocity (spring, velocity);
  adw_animation_play (self->spring);
  return G_SOURCE_REMOVE;
}

void
pt_cents_meter_set_cents (PtCentsMeter *self,
                          double        cents)
{
  gboolean was_in_tune;

  g_return_if_fail (PT_IS_CENTS_METER (self));

  if (self->cents == cents)
    return;
  was_in_tune = pt_cents_meter_get_in_tune (self);
  self->cents = cents;
  if (self->retarget_tick == 0)
    self->retarget_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), retarget_spring,
                                                        NULL, NULL);
  update_state (self, was_in_tune);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTS]);
}

void
pt_cents_meter_set_tolerance (PtCentsMeter *self,
                              double        cents)
{
  gboolean was_in_tune;

  g_return_if_fail (PT_IS_CENTS_METER (self));

  if (self->tolerance == cents)
    return;
  was_in_tune = pt_cents_meter_get_in_tune (self);
  self->tolerance = cents;
  update_state (self, was_in_tune);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOLERANCE]);
}

/* Inactive (no note, or the sound stopped): the needle stays, faded. */
void
pt_cents_meter_set_active (PtCentsMeter *self,
                           gboolean      active)
{
  gboolean was_in_tune;

  g_return_if_fail (PT_IS_CENTS_METER (self));

  active = !!active;
  if (self->active == active)
    return;
  was_in_tune = pt_cents_meter_get_in_tune (self);
  self->active = active;
  update_state (self, was_in_tune);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static void
on_spring_value (double   value,
                 gpointer user_data)
{
  PtCentsMeter *self = user_data;

  if (self->needle == value)
    return;
  self->needle = value;
  self->moved = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static float
x_of_cents (double cents,
            float  left,
            float  width)
{
  return left + width * (float) ((cents + RANGE_CENTS) / (2.0 * RANGE_CENTS));
}

static void
append_rect (GtkSnapshot   *snapshot,
             float          x,
             float          y,
             float          width,
             float          height,
             float          radius,
             const GdkRGBA *color)
{
  GskRoundedRect rounded;

  gsk_rounded_rect_init_from_rect (&rounded, &GRAPHENE_RECT_INIT (x, y, width, height), radius);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, color, &rounded.bounds);
  gtk_snapshot_pop (snapshot);
}

/* The scale: a track with the in-tune zone, ticks every 5 cents, numbers
 * every 25. */
static void
snapshot_scale (PtCentsMeter *self,
                GtkSnapshot  *snapshot,
                float         left,
                float         width,
                float         s)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA track, zone, tick;
  float zone_left = x_of_cents (-self->tolerance, left, width);
  float zone_right = x_of_cents (self->tolerance, left, width);

  pt_drawing_lookup_color (widget, "pt_meter_track_color", &track);
  pt_drawing_lookup_color (widget, pt_cents_meter_get_in_tune (self)
                                   ? "pt_in_tune_zone_active_color" : "pt_in_tune_zone_color",
                           &zone);
  pt_drawing_lookup_color (widget, "pt_meter_tick_color", &tick);

  append_rect (snapshot, left, 26 * s, width, 36 * s, 8 * s, &track);
  append_rect (snapshot, zone_left, 26 * s, zone_right - zone_left, 36 * s, 4 * s, &zone);
  for (int c = -50; c <= 50; c += 5)
    {
      gboolean major = c % 25 == 0;
      float x = x_of_cents (c, left, width);
      float h = (major ? 14 : 7) * s;

      gtk_snapshot_append_color (snapshot, &tick,
                                 &GRAPHENE_RECT_INIT (x - s * 0.5f, 62 * s - h, s, h));
      if (major)
        {
          g_autofree char *label = c == 0 ? g_strdup ("0")
                                   : g_strdup_printf ("%s%d", c < 0 ? "−" : "+", ABS (c));

          pt_drawing_append_text (snapshot, widget, label, x, 70 * s, 0.5f, 0.0f, 0.8 * s, &tick);
        }
    }
}

static void
snapshot_needle (PtCentsMeter *self,
                 GtkSnapshot  *snapshot,
                 float         left,
                 float         width,
                 float         s)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean in_tune = pt_cents_meter_get_in_tune (self);
  float x = x_of_cents (self->needle, left, width);
  float head = (in_tune ? 11 : 8) * s;
  GdkRGBA color;

  pt_drawing_lookup_color (widget, !self->active ? "pt_needle_inactive_color"
                                   : in_tune ? "pt_in_tune_color" : "pt_needle_color",
                           &color);
  append_rect (snapshot, x - 2 * s, 14 * s, 4 * s, 56 * s, 2 * s, &color);
  append_rect (snapshot, x - head, 14 * s - head, 2 * head, 2 * head, head, &color);
  if (in_tune)
    {
      /* A ring, not a dot: in tune reads without the colour. */
      GdkRGBA hole;

      pt_drawing_lookup_color (widget, "pt_meter_background_color", &hole);
      append_rect (snapshot, x - head / 2, 14 * s - head / 2, head, head, head / 2, &hole);
    }
}

static void
pt_cents_meter_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  PtCentsMeter *self = PT_CENTS_METER (widget);
  float width = gtk_widget_get_width (widget);
  float s = gtk_widget_get_height (widget) / NATURAL_HEIGHT;
  float margin = 16 * s;
  g_autofree char *caption = pt_cents_meter_dup_description (self);
  GdkRGBA caption_color, tick;

  snapshot_scale (self, snapshot, margin, width - 2 * margin, s);
  snapshot_needle (self, snapshot, margin, width - 2 * margin, s);
  pt_drawing_lookup_color (widget, pt_cents_meter_get_in_tune (self)
                                   ? "pt_in_tune_color" : "pt_meter_tick_color", &caption_color);
  pt_drawing_append_text (snapshot, widget, caption, width / 2, 108 * s, 0.5f, 1.0f, s,
                          &caption_color);
  pt_drawing_lookup_color (widget, "pt_meter_tick_color", &tick);
  pt_drawing_append_text (snapshot, widget, "♭", margin, 108 * s, 0.0f, 1.0f, 1.4 * s, &tick);
  pt_drawing_append_text (snapshot, widget, "♯", width - margin, 108 * s, 1.0f, 1.0f, 1.4 * s,
                          &tick);
}

static void
pt_cents_meter_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : (int) (0.75 * NATURAL_HEIGHT);
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 480 : (int) NATURAL_HEIGHT;
}

static void
pt_cents_meter_dispose (GObject *object)
{
  PtCentsMeter *self = PT_CENTS_METER (object);

  if (self->retarget_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->retarget_tick);
  self->retarget_tick = 0;
  g_clear_object (&self->spring);

  G_OBJECT_CLASS (pt_cents_meter_parent_class)->dispose (object);
}

static void
pt_cents_meter_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PtCentsMeter *self = PT_CENTS_METER (object);

  switch (prop_id)
    {
    case PROP_CENTS:
      g_value_set_double (value, self->cents);
      break;
    case PROP_TOLERANCE:
      g_value_set_double (value, self->tolerance);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_IN_TUNE:
      g_value_set_boolean (value, pt_cents_meter_get_in_tune (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_cents_meter_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PtCentsMeter *self = PT_CENTS_METER (object);

  switch (prop_id)
    {
    case PROP_CENTS:
      pt_cents_meter_set_cents (self, g_value_get_double (value));
      break;
    case PROP_TOLERANCE:
      pt_cents_meter_set_tolerance (self, g_value_get_double (value));
      break;
    case PROP_ACTIVE:
      pt_cents_meter_set_active (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_cents_meter_class_init (PtCentsMeterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = pt_cents_meter_dispose;
  object_class->get_property = pt_cents_meter_get_property;
  object_class->set_property = pt_cents_meter_set_property;
  widget_class->snapshot = pt_cents_meter_snapshot;
  widget_class->measure = pt_cents_meter_measure;

  properties[PROP_CENTS] =
    g_param_spec_double ("cents", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, rw);
  properties[PROP_TOLERANCE] =
    g_param_spec_double ("tolerance", NULL, NULL, 0.0, RANGE_CENTS, 5.0, rw);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, rw);
  properties[PROP_IN_TUNE] =
    g_param_spec_boolean ("in-tune", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "centsmeter");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_METER);
}

static void
pt_cents_meter_init (PtCentsMeter *self)
{
  /* Both are taken over by the animation. */
  AdwSpringParams *params = adw_spring_params_new (1.0, 1.0, SPRING_STIFFNESS);
  AdwAnimationTarget *target = adw_callback_animation_target_new (on_spring_value, self, NULL);

  self->tolerance = 5.0;
  self->spring = adw_spring_animation_new (GTK_WIDGET (self), 0.0, 0.0, params, target);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, -RANGE_CENTS,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, RANGE_CENTS,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, _("No note"),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tuning meter"),
                                  -1);
}
