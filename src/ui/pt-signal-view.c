/* pt-signal-view.c — a scope or a spectrum for the debug panel.
 *
 * Grid lines are snapshot rectangles; the trace is one cairo path (GTK 4.8
 * has no path node), with at most a point per pixel column: a column keeps
 * its extreme values, so a 4096-sample batch on 300 pixels still shows its
 * peaks. Colours come from style.css.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-signal-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "pt-drawing.h"
#include "pt-signal-view.h"
#include "pt-ui-enum-types.h"

#define SPECTRUM_TOP_DB     0.0
#define SPECTRUM_BOTTOM_DB  (-120.0)
#define SPECTRUM_LOW_HZ     20.0
#define SPECTRUM_HIGH_HZ    20000.0
#define LABEL_SCALE         0.8

struct _PtSignalView
{
  GtkWidget         parent_instance;

  PtSignalViewKind  kind;
  GArray           *values;  /* of float */
  double            sample_rate;
};

G_DEFINE_FINAL_TYPE (PtSignalView, pt_signal_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
pt_signal_view_new (PtSignalViewKind kind)
{
  return g_object_new (PT_TYPE_SIGNAL_VIEW, "kind", kind, NULL);
}

PtSignalViewKind
pt_signal_view_get_kind (PtSignalView *self)
{
  g_return_val_if_fail (PT_IS_SIGNAL_VIEW (self), PT_SIGNAL_VIEW_WAVEFORM);
  return self->kind;
}

static void
update_accessible (PtSignalView *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->kind == PT_SIGNAL_VIEW_WAVEFORM
                                  ? _("Waveform of the latest batch")
                                  : _("Spectrum of the newest samples"),
                                  -1);
}

void
pt_signal_view_set_kind (PtSignalView     *self,
                         PtSignalViewKind  kind)
{
  g_return_if_fail (PT_IS_SIGNAL_VIEW (self));

  if (self->kind == kind)
    return;
  self->kind = kind;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

void
pt_signal_view_set_values (PtSignalView *self,
                           const float  *values,
                           gsize         n_values,
                           double        sample_rate)
{
  g_return_if_fail (PT_IS_SIGNAL_VIEW (self));
  g_return_if_fail (values != NULL || n_values == 0);

  g_array_set_size (self->values, 0);
  g_array_append_vals (self->values, values, (guint) n_values);
  self->sample_rate = sample_rate;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gsize
pt_signal_view_get_n_values (PtSignalView *self)
{
  g_return_val_if_fail (PT_IS_SIGNAL_VIEW (self), 0);
  return self->values->len;
}

/* Where @hz falls across @width, on the spectrum's logarithmic axis. */
static double
frequency_x (double hz,
             double width)
{
  return width * log (hz / SPECTRUM_LOW_HZ) / log (SPECTRUM_HIGH_HZ / SPECTRUM_LOW_HZ);
}

static double
db_y (double db,
      double height)
{
  return height * (SPECTRUM_TOP_DB - CLAMP (db, SPECTRUM_BOTTOM_DB, SPECTRUM_TOP_DB))
         / (SPECTRUM_TOP_DB - SPECTRUM_BOTTOM_DB);
}

static void
append_line (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             float          x,
             float          y,
             float          width,
             float          height)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static void
snapshot_waveform_grid (PtSignalView *self,
                        GtkSnapshot  *snapshot,
                        float         width,
                        float         height)
{
  GdkRGBA grid;

  pt_drawing_lookup_color (GTK_WIDGET (self), "pt_debug_grid_color", &grid);
  for (int i = 1; i < 4; i++)
    append_line (snapshot, &grid, 0, roundf (height * i / 4.0f), width, 1);
}

static void
snapshot_spectrum_grid (PtSignalView *self,
                        GtkSnapshot  *snapshot,
                        float         width,
                        float         height)
{
  /* Translators: frequencies on the spectrum's axis */
  static const struct { double hz; const char *label; } marks[] = {
    { 100.0, N_("100 Hz") }, { 1000.0, N_("1 kHz") }, { 10000.0, N_("10 kHz") },
  };
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA grid, label;

  pt_drawing_lookup_color (widget, "pt_debug_grid_color", &grid);
  pt_drawing_lookup_color (widget, "pt_debug_label_color", &label);
  for (double db = -30.0; db > SPECTRUM_BOTTOM_DB; db -= 30.0)
    {
      float y = roundf ((float) db_y (db, height));
      g_autofree char *text = g_strdup_printf (_("%.0f dB"), db);

      append_line (snapshot, &grid, 0, y, width, 1);
      pt_drawing_append_text (snapshot, widget, text, 4, y - 2, 0, 1, LABEL_SCALE, &label);
    }
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    {
      float x = roundf ((float) frequency_x (marks[i].hz, width));

      append_line (snapshot, &grid, x, 0, 1, height);
      pt_drawing_append_text (snapshot, widget, _(marks[i].label), x - 3, height - 3, 1, 1,
                              LABEL_SCALE, &label);
    }
}

/* (x, y) of value @i: the waveform's sample or the spectrum's bin. */
static gboolean
point_at (PtSignalView *self,
          guint         i,
          double        width,
          double        height,
          double       *x,
          double       *y)
{
  float value = g_array_index (self->values, float, i);

  if (self->kind == PT_SIGNAL_VIEW_WAVEFORM)
    {
      *x = self->values->len > 1 ? width * i / (self->values->len - 1) : 0.0;
      *y = height * 0.5 * (1.0 - CLAMP (value, -1.0, 1.0));
      return TRUE;
    }
  if (i == 0 || self->sample_rate <= 0.0)
    return FALSE;
  *x = frequency_x (i * self->sample_rate / (2.0 * (self->values->len - 1)), width);
  *y = db_y (value, height);
  return *x >= 0.0 && *x <= width;
}

/* The path, a point per pixel column at most: each column's lowest and
 * highest values, in the order they came. */
static void
trace_path (PtSignalView *self,
            cairo_t      *cr,
            double        width,
            double        height)
{
  gboolean started = FALSE;
  double column = -1.0, low = 0.0, high = 0.0;

  for (guint i = 0; i < self->values->len; i++)
    {
      double x, y;

      if (!point_at (self, i, width, height, &x, &y))
        continue;
      if (started && floor (x) == column)
        {
          low = MAX (low, y);
          high = MIN (high, y);
          continue;
        }
      if (started && low != high)
        {
          cairo_line_to (cr, column, low);
          cairo_line_to (cr, column, high);
        }
      if (started)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      started = TRUE;
      column = floor (x);
      low = high = y;
    }
}

static void
snapshot_trace (PtSignalView *self,
                GtkSnapshot  *snapshot,
                float         width,
                float         height)
{
  GdkRGBA color;
  cairo_t *cr;

  if (self->values->len < 2)
    return;
  pt_drawing_lookup_color (GTK_WIDGET (self), "pt_debug_trace_color", &color);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  gdk_cairo_set_source_rgba (cr, &color);
  trace_path (self, cr, width, height);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
pt_signal_view_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  PtSignalView *self = PT_SIGNAL_VIEW (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);

  if (self->kind == PT_SIGNAL_VIEW_WAVEFORM)
    snapshot_waveform_grid (self, snapshot, width, height);
  else
    snapshot_spectrum_grid (self, snapshot, width, height);
  snapshot_trace (self, snapshot, width, height);
}

static void
pt_signal_view_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 120 : 72;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 320 : 96;
}

static void
pt_signal_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, PT_SIGNAL_VIEW (object)->kind);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_signal_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_KIND:
      pt_signal_view_set_kind (PT_SIGNAL_VIEW (object), g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_signal_view_finalize (GObject *object)
{
  g_array_unref (PT_SIGNAL_VIEW (object)->values);

  G_OBJECT_CLASS (pt_signal_view_parent_class)->finalize (object);
}

static void
pt_signal_view_class_init (PtSignalViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = pt_signal_view_get_property;
  object_class->set_property = pt_signal_view_set_property;
  object_class->finalize = pt_signal_view_finalize;
  widget_class->snapshot = pt_signal_view_snapshot;
  widget_class->measure = pt_signal_view_measure;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, PT_TYPE_SIGNAL_VIEW_KIND, PT_SIGNAL_VIEW_WAVEFORM,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "signalview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
pt_signal_view_init (PtSignalView *self)
{
  self->values = g_array_new (FALSE, FALSE, sizeof (float));
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  update_accessible (self);
}
