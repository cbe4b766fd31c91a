/* pt-level-meter.c — the level meter: RMS as a bar from -60 to 0 dBFS, the
 * detector's decaying peak hold as a mark, the level class in words beside
 * it, all red when clipping. It redraws only when what it would draw moves
 * by a pixel or changes class: a peak hold decaying below the scale's floor,
 * or a constant input, draws nothing.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-level-meter"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "pt-drawing.h"
#include "pt-level-meter.h"

#define FLOOR_DBFS (-60.0)
#define WORDS_WIDTH 112.0f
#define BAR_TOP 6.0f
#define BAR_HEIGHT 12.0f

struct _PtLevelMeter
{
  GtkWidget         parent_instance;

  PtVolumeDetector *detector;
  GSignalGroup     *detector_signals;
  /* what the last picture showed, in pixels along the bar */
  int               drawn_rms;
  int               drawn_peak;
  PtLevelClass      drawn_level;
};

G_DEFINE_FINAL_TYPE (PtLevelMeter, pt_level_meter, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DETECTOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Per PtLevelClass: the words and the colour of the bar. */
static const struct {
  const char *words;
  const char *color;
} levels[] = {
  [PT_LEVEL_SILENT] = { N_("Silent"), "pt_level_quiet_color" },
  [PT_LEVEL_QUIET] = { N_("Too quiet"), "pt_level_quiet_color" },
  [PT_LEVEL_OPTIMAL] = { N_("Good level"), "pt_level_good_color" },
  [PT_LEVEL_LOUD] = { N_("Loud"), "pt_level_loud_color" },
  [PT_LEVEL_CLIPPING] = { N_("Clipping"), "pt_level_clip_color" },
};

GtkWidget *
pt_level_meter_new (void)
{
  return g_object_new (PT_TYPE_LEVEL_METER, NULL);
}

PtVolumeDetector *
pt_level_meter_get_detector (PtLevelMeter *self)
{
  g_return_val_if_fail (PT_IS_LEVEL_METER (self), NULL);

  return self->detector;
}

static PtLevelClass
current_level (PtLevelMeter *self)
{
  return self->detector != NULL ? pt_volume_detector_get_level (self->detector) : PT_LEVEL_SILENT;
}

/* The level class as the meter writes it. */
const char *
pt_level_meter_get_words (PtLevelMeter *self)
{
  g_return_val_if_fail (PT_IS_LEVEL_METER (self), NULL);

  return _(levels[current_level (self)].words);
}

static void
update_accessible (PtLevelMeter *self)
{
  double rms = self->detector != NULL ? pt_volume_detector_get_rms_dbfs (self->detector)
                                      : FLOOR_DBFS;
  g_autofree char *text =
    /* Translators: a level in decibels full scale, then its class, e.g. "Good level" */
    g_strdup_printf (_("%.0f dBFS, %s"), MAX (rms, FLOOR_DBFS), pt_level_meter_get_words (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, MAX (rms, FLOOR_DBFS),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);
}

static float
x_of_dbfs (double dbfs,
           float  width)
{
  return width * (float) ((CLAMP (dbfs, FLOOR_DBFS, 0.0) - FLOOR_DBFS) / -FLOOR_DBFS);
}

static float
bar_width (PtLevelMeter *self)
{
  return gtk_widget_get_width (GTK_WIDGET (self)) - WORDS_WIDTH;
}

static int
rms_pixel (PtLevelMeter *self)
{
  if (self->detector == NULL)
    return 0;
  return (int) x_of_dbfs (pt_volume_detector_get_rms_dbfs (self->detector), bar_width (self));
}

static int
peak_pixel (PtLevelMeter *self)
{
  if (self->detector == NULL)
    return 0;
  return (int) x_of_dbfs (pt_volume_detector_get_peak_hold_dbfs (self->detector),
                          bar_width (self));
}

static void
on_level_changed (PtLevelMeter *self)
{
  if (rms_pixel (self) == self->drawn_rms && peak_pixel (self) == self->drawn_peak
      && current_level (self) == self->drawn_level)
    return;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
pt_level_meter_set_detector (PtLevelMeter     *self,
                             PtVolumeDetector *detector)
{
  g_return_if_fail (PT_IS_LEVEL_METER (self));
  g_return_if_fail (detector == NULL || PT_IS_VOLUME_DETECTOR (detector));

  if (!g_set_object (&self->detector, detector))
    return;
  g_signal_group_set_target (self->detector_signals, detector);
  on_level_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETECTOR]);
}

static void
append_bar (GtkSnapshot   *snapshot,
            float          width,
            const GdkRGBA *color)
{
  GskRoundedRect rounded;

  gsk_rounded_rect_init_from_rect (&rounded,
                                   &GRAPHENE_RECT_INIT (0, BAR_TOP, width, BAR_HEIGHT),
                                   BAR_HEIGHT / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, color, &rounded.bounds);
  gtk_snapshot_pop (snapshot);
}

static void
snapshot_scale (PtLevelMeter *self,
                GtkSnapshot  *snapshot,
                float         width)
{
  static const int marks[] = { -60, -48, -36, -24, -12, -6, 0 };
  GdkRGBA tick;

  pt_drawing_lookup_color (GTK_WIDGET (self), "pt_meter_tick_color", &tick);
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    {
      float x = x_of_dbfs (marks[i], width);
      g_autofree char *label = g_strdup_printf ("%s%d", marks[i] < 0 ? "−" : "", ABS (marks[i]));

      pt_drawing_append_text (snapshot, GTK_WIDGET (self), label, x, BAR_TOP + BAR_HEIGHT + 4,
                              i == 0 ? 0.0f : i + 1 == G_N_ELEMENTS (marks) ? 1.0f : 0.5f,
                              0.0f, 0.75, &tick);
    }
}

static void
pt_level_meter_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  PtLevelMeter *self = PT_LEVEL_METER (widget);
  float width = bar_width (self);
  PtLevelClass level = current_level (self);
  GdkRGBA track, fill, peak;

  self->drawn_rms = rms_pixel (self);
  self->drawn_peak = peak_pixel (self);
  self->drawn_level = level;
  pt_drawing_lookup_color (widget, "pt_meter_track_color", &track);
  pt_drawing_lookup_color (widget, levels[level].color, &fill);
  pt_drawing_lookup_color (widget, level == PT_LEVEL_CLIPPING ? "pt_level_clip_color"
                                                              : "pt_meter_peak_color", &peak);
  append_bar (snapshot, width, &track);
  if (self->drawn_rms > 0)
    append_bar (snapshot, MAX (self->drawn_rms, BAR_HEIGHT), &fill);
  if (self->drawn_peak > 0)
    gtk_snapshot_append_color (snapshot, &peak,
                               &GRAPHENE_RECT_INIT (MIN (self->drawn_peak, width - 3), BAR_TOP - 2,
                                                    3, BAR_HEIGHT + 4));
  snapshot_scale (self, snapshot, width);
  pt_drawing_append_text (snapshot, widget, pt_level_meter_get_words (self),
                          gtk_widget_get_width (widget), BAR_TOP + BAR_HEIGHT / 2, 1.0f, 0.5f,
                          1.0, level == PT_LEVEL_CLIPPING ? &fill : &peak);
}

static void
pt_level_meter_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 40;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 480 : 40;
}

static void
pt_level_meter_dispose (GObject *object)
{
  PtLevelMeter *self = PT_LEVEL_METER (object);

  if (self->detector_signals != NULL)
    g_signal_group_set_target (self->detector_signals, NULL);
  g_clear_object (&self->detector_signals);
  g_clear_object (&self->detector);

  G_OBJECT_CLASS (pt_level_meter_parent_class)->dispose (object);
}

static void
pt_level_meter_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PtLevelMeter *self = PT_LEVEL_METER (object);

  switch (prop_id)
    {
    case PROP_DETECTOR:
      g_value_set_object (value, self->detector);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_level_meter_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PtLevelMeter *self = PT_LEVEL_METER (object);

  switch (prop_id)
    {
    case PROP_DETECTOR:
      pt_level_meter_set_detector (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_level_meter_class_init (PtLevelMeterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pt_level_meter_dispose;
  object_class->get_property = pt_level_meter_get_property;
  object_class->set_property = pt_level_meter_set_property;
  widget_class->snapshot = pt_level_meter_snapshot;
  widget_class->measure = pt_level_meter_measure;

  properties[PROP_DETECTOR] =
    g_param_spec_object ("detector", NULL, NULL, PT_TYPE_VOLUME_DETECTOR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "levelmeter");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_METER);
}

static void
pt_level_meter_init (PtLevelMeter *self)
{
  static const char * const redraw_on[] = {
    "notify::rms-dbfs", "notify::peak-hold-dbfs", "notify::level",
  };

  self->detector_signals = g_signal_group_new (PT_TYPE_VOLUME_DETECTOR);
  for (guint i = 0; i < G_N_ELEMENTS (redraw_on); i++)
    g_signal_group_connect_swapped (self->detector_signals, redraw_on[i],
                                    G_CALLBACK (on_level_changed), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Input level"),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, FLOOR_DBFS,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 0.0,
                                  -1);
  update_accessible (self);
}
