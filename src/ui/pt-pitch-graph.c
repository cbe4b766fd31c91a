/* pt-pitch-graph.c — the pitch history graph: the last 10 s of stream time
 * from a PtPitchHistory, scrolling, drawn over horizontal lines at the
 * notes of the analyser's tuning system (equal temperament, or just
 * intonation on its tonic, where each line sits at its just position), named
 * around the current note; the range follows the notes in view. The
 * vertical axis is the written pitch in equal-tempered semitones, so a just
 * major third's line sits 13.7 cents below the tempered one's place.
 * Unvoiced frames and jumps to another note leave a gap; each segment's
 * opacity is its confidence. It redraws when the history says it changed,
 * and stops once the whole span shows silence.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-pitch-graph"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "pt-drawing.h"
#include "pt-pitch-graph.h"

/* The vertical range, in semitones: at least this wide, with this much room
 * around the notes in view, and never wider than two octaves. */
#define MIN_RANGE 9.0
#define RANGE_MARGIN 1.5
#define MAX_RANGE 24.0
/* Frames further apart in time, or in pitch (a new note), are not joined. */
#define MAX_JOIN_S 0.05
#define MAX_JOIN_SEMITONES 0.75
/* Names are written on the lines this close to the centre note, in a
 * gutter at the left, when the lines are far enough apart for the text. */
#define NAMED_LINES 2
#define GUTTER 48.0f
#define MIN_NAMED_SPACING 15.0f

struct _PtPitchGraph
{
  GtkWidget       parent_instance;

  PtPitchHistory *history;
  GSignalGroup   *analyzer_signals;
  PtPitchAnalyzer *analyzer;
  int             centre;          /* the note the view is centred on */
  gboolean        drawn_voiced;    /* the last picture showed some pitch */
};

G_DEFINE_FINAL_TYPE (PtPitchGraph, pt_pitch_graph, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_HISTORY,
  PROP_ANALYZER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
pt_pitch_graph_new (void)
{
  return g_object_new (PT_TYPE_PITCH_GRAPH, NULL);
}

PtPitchHistory *
pt_pitch_graph_get_history (PtPitchGraph *self)
{
  g_return_val_if_fail (PT_IS_PITCH_GRAPH (self), NULL);

  return self->history;
}

PtPitchAnalyzer *
pt_pitch_graph_get_analyzer (PtPitchGraph *self)
{
  g_return_val_if_fail (PT_IS_PITCH_GRAPH (self), NULL);

  return self->analyzer;
}

int
pt_pitch_graph_get_centre_note (PtPitchGraph *self)
{
  g_return_val_if_fail (PT_IS_PITCH_GRAPH (self), 0);

  return self->centre;
}

static void
get_note_settings (PtPitchGraph   *self,
                   PtNoteSettings *settings)
{
  if (self->analyzer != NULL)
    pt_pitch_analyzer_get_note_settings (self->analyzer, settings);
  else
    pt_note_settings_init_default (settings);
}

/* Written pitch in equal-tempered semitones (MIDI numbers) of a sounding
 * frequency. */
static double
position_of_frequency (double                frequency,
                       const PtNoteSettings *settings)
{
  return 69.0 + 12.0 * log2 (frequency / settings->reference_hz)
         + pt_note_transposition_semitones (settings->transposition);
}

/* Where the line of @note_midi (written) is drawn, in MIDI semitones. */
double
pt_pitch_graph_get_note_line (PtPitchGraph *self,
                              int           note_midi)
{
  PtNoteSettings settings;

  g_return_val_if_fail (PT_IS_PITCH_GRAPH (self), 0.0);

  get_note_settings (self, &settings);
  return position_of_frequency (pt_note_frequency_of_note (note_midi, &settings), &settings);
}

/* Redraw only while something voiced is, or was, in view. */
static void
on_history_changed (PtPitchGraph *self)
{
  double latest = pt_pitch_history_get_latest_time (self->history);

  if (self->drawn_voiced
      || pt_pitch_history_get_last_voiced_time (self->history) > latest - PT_PITCH_GRAPH_SPAN_S)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
pt_pitch_graph_set_history (PtPitchGraph   *self,
                            PtPitchHistory *history)
{
  g_return_if_fail (PT_IS_PITCH_GRAPH (self));
  g_return_if_fail (history == NULL || PT_IS_PITCH_HISTORY (history));

  if (self->history == history)
    return;
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, on_history_changed, self);
  g_set_object (&self->history, history);
  if (history != NULL)
    g_signal_connect_swapped (history, "changed", G_CALLBACK (on_history_changed), self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

void
pt_pitch_graph_set_analyzer (PtPitchGraph    *self,
                             PtPitchAnalyzer *analyzer)
{
  g_return_if_fail (PT_IS_PITCH_GRAPH (self));
  g_return_if_fail (analyzer == NULL || PT_IS_PITCH_ANALYZER (analyzer));

  if (!g_set_object (&self->analyzer, analyzer))
    return;
  g_signal_group_set_target (self->analyzer_signals, analyzer);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANALYZER]);
}

typedef struct
{
  float  width;
  float  height;
  double t_end;
  double y_low;   /* MIDI semitones at the bottom edge */
  double y_span;
} Frame;

static float
x_of_time (const Frame *f,
           double       t)
{
  return GUTTER + (f->width - GUTTER) * (float) (1.0 - (f->t_end - t) / PT_PITCH_GRAPH_SPAN_S);
}

static float
y_of_position (const Frame *f,
               double       position)
{
  return f->height * (float) (1.0 - (position - f->y_low) / f->y_span);
}

/* The range holds every voiced frame in view and the current note (the
 * newest voiced one), which keeps the middle when the range is widened. */
static void
update_range (PtPitchGraph         *self,
              Frame                *f,
              const PtNoteSettings *settings,
              guint                 first)
{
  guint n = self->history != NULL ? pt_pitch_history_get_n_entries (self->history) : 0;
  double centre, low, high;

  for (guint i = first; i < n; i++)
    {
      const PtPitchHistoryEntry *entry = pt_pitch_history_get_entry (self->history, i);

      if (entry->voiced)
        self->centre = entry->midi;
    }
  centre = pt_pitch_graph_get_note_line (self, self->centre);
  low = centre - RANGE_MARGIN;
  high = centre + RANGE_MARGIN;
  for (guint i = first; i < n; i++)
    {
      const PtPitchHistoryEntry *entry = pt_pitch_history_get_entry (self->history, i);
      double position;

      if (!entry->voiced)
        continue;
      position = position_of_frequency (entry->frequency, settings);
      low = MIN (low, position - RANGE_MARGIN);
      high = MAX (high, position + RANGE_MARGIN);
    }
  if (high - low < MIN_RANGE)
    {
      low = centre - MIN_RANGE / 2;
      high = centre + MIN_RANGE / 2;
    }
  low = MAX (low, centre - MAX_RANGE / 2);
  high = MIN (high, centre + MAX_RANGE / 2);
  f->y_low = low;
  f->y_span = high - low;
}

static void
snapshot_lines (PtPitchGraph         *self,
                GtkSnapshot          *snapshot,
                const Frame          *f,
                const PtNoteSettings *settings)
{
  GtkWidget *widget = GTK_WIDGET (self);
  float spacing = f->height / (float) f->y_span;
  GdkRGBA grid, current, label, current_label;

  pt_drawing_lookup_color (widget, "pt_graph_grid_color", &grid);
  pt_drawing_lookup_color (widget, "pt_graph_current_line_color", &current);
  pt_drawing_lookup_color (widget, "pt_graph_label_color", &label);
  pt_drawing_lookup_color (widget, "pt_graph_current_label_color", &current_label);

  for (int n = (int) floor (f->y_low) - 1; n <= (int) ceil (f->y_low + f->y_span) + 1; n++)
    {
      float y = y_of_position (f, pt_pitch_graph_get_note_line (self, n));
      gboolean is_centre = n == self->centre;
      float thickness = is_centre ? 2.0f : 1.0f;

      if (y < 0 || y > f->height)
        continue;
      gtk_snapshot_append_color (snapshot, is_centre ? &current : &grid,
                                 &GRAPHENE_RECT_INIT (GUTTER, y - thickness / 2,
                                                      f->width - GUTTER, thickness));
      if (is_centre || (ABS (n - self->centre) <= NAMED_LINES && spacing >= MIN_NAMED_SPACING))
        {
          PtNote note;
          g_autofree char *name = NULL;

          pt_note_from_frequency (pt_note_frequency_of_note (n, settings), settings, &note);
          name = pt_note_dup_display_name (&note);
          pt_drawing_append_text (snapshot, widget, name, GUTTER - 8, y, 1.0f, 0.5f,
                                  is_centre ? 1.0 : 0.8, is_centre ? &current_label : &label);
        }
    }
}

/* The trace is stroked in runs: joined frames of one opacity step make one
 * path, and a point less than a pixel from the last one drawn is skipped
 * (10 s is ~1900 frames on a few hundred pixels). Stroking every segment on
 * its own cost a quarter of a core at 60 frames a second. */
typedef struct
{
  cairo_t *cr;
  GdkRGBA  color;
  int      step;     /* opacity step of the open run, -1 when none */
  double   last_x;   /* of the last point added */
} Trace;

#define OPACITY_STEPS 8

static void
trace_flush (Trace *trace)
{
  double alpha = 0.15 + 0.85 * trace->step / (OPACITY_STEPS - 1.0);

  if (trace->step < 0)
    return;
  cairo_set_source_rgba (trace->cr, trace->color.red, trace->color.green, trace->color.blue,
                         trace->color.alpha * alpha);
  cairo_stroke (trace->cr);
  trace->step = -1;
}

/* Adds the segment from (x0, y0) to (x1, y1) drawn at @confidence. */
static void
trace_add (Trace  *trace,
           double  x0,
           double  y0,
           double  x1,
           double  y1,
           double  confidence)
{
  int step = (int) lround (CLAMP ((confidence - 0.15) / 0.85, 0.0, 1.0) * (OPACITY_STEPS - 1));

  if (step != trace->step)
    {
      trace_flush (trace);
      trace->step = step;
      cairo_move_to (trace->cr, x0, y0);
      trace->last_x = x0;
    }
  if (x1 - trace->last_x < 1.0)
    return;
  cairo_line_to (trace->cr, x1, y1);
  trace->last_x = x1;
}

static gboolean
draw_trace (PtPitchGraph         *self,
            cairo_t              *cr,
            const Frame          *f,
            const PtNoteSettings *settings,
            guint                 first)
{
  guint n = pt_pitch_history_get_n_entries (self->history);
  const PtPitchHistoryEntry *previous = NULL;
  double previous_position = 0.0;
  Trace trace = { cr, { 0 }, -1, 0.0 };
  gboolean any = FALSE;

  pt_drawing_lookup_color (GTK_WIDGET (self), "pt_graph_trace_color", &trace.color);
  cairo_set_line_width (cr, 3.0);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = first; i < n; i++)
    {
      const PtPitchHistoryEntry *entry = pt_pitch_history_get_entry (self->history, i);
      double position = entry->voiced ? position_of_frequency (entry->frequency, settings) : 0.0;

      if (previous != NULL && entry->voiced && entry->time_s - previous->time_s <= MAX_JOIN_S
          && fabs (position - previous_position) <= MAX_JOIN_SEMITONES)
        trace_add (&trace, x_of_time (f, previous->time_s), y_of_position (f, previous_position),
                   x_of_time (f, entry->time_s), y_of_position (f, position), entry->confidence);
      else
        trace_flush (&trace);
      any = any || entry->voiced;
      previous = entry->voiced ? entry : NULL;
      previous_position = position;
    }
  trace_flush (&trace);
  return any;
}

static void
pt_pitch_graph_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  PtPitchGraph *self = PT_PITCH_GRAPH (widget);
  PtNoteSettings settings;
  Frame f = { gtk_widget_get_width (widget), gtk_widget_get_height (widget), 0, 0, 1 };
  guint first = 0;
  cairo_t *cr;

  get_note_settings (self, &settings);
  self->drawn_voiced = FALSE;
  if (self->history != NULL && pt_pitch_history_get_n_entries (self->history) > 0)
    {
      f.t_end = pt_pitch_history_get_latest_time (self->history);
      first = pt_pitch_history_find_time (self->history, f.t_end - PT_PITCH_GRAPH_SPAN_S);
    }
  update_range (self, &f, &settings, first);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, f.width, f.height));
  snapshot_lines (self, snapshot, &f, &settings);
  if (self->history != NULL)
    {
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, f.width, f.height));
      self->drawn_voiced = draw_trace (self, cr, &f, &settings, first);
      cairo_destroy (cr);
    }
  gtk_snapshot_pop (snapshot);
}

static void
pt_pitch_graph_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 60;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 600 : 200;
}

static void
pt_pitch_graph_dispose (GObject *object)
{
  PtPitchGraph *self = PT_PITCH_GRAPH (object);

  pt_pitch_graph_set_history (self, NULL);
  if (self->analyzer_signals != NULL)
    g_signal_group_set_target (self->analyzer_signals, NULL);
  g_clear_object (&self->analyzer_signals);
  g_clear_object (&self->analyzer);

  G_OBJECT_CLASS (pt_pitch_graph_parent_class)->dispose (object);
}

static void
pt_pitch_graph_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PtPitchGraph *self = PT_PITCH_GRAPH (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    case PROP_ANALYZER:
      g_value_set_object (value, self->analyzer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_pitch_graph_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PtPitchGraph *self = PT_PITCH_GRAPH (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      pt_pitch_graph_set_history (self, g_value_get_object (value));
      break;
    case PROP_ANALYZER:
      pt_pitch_graph_set_analyzer (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_pitch_graph_class_init (PtPitchGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = pt_pitch_graph_dispose;
  object_class->get_property = pt_pitch_graph_get_property;
  object_class->set_property = pt_pitch_graph_set_property;
  widget_class->snapshot = pt_pitch_graph_snapshot;
  widget_class->measure = pt_pitch_graph_measure;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, PT_TYPE_PITCH_HISTORY, rw);
  properties[PROP_ANALYZER] =
    g_param_spec_object ("analyzer", NULL, NULL, PT_TYPE_PITCH_ANALYZER, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "pitchgraph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
pt_pitch_graph_init (PtPitchGraph *self)
{
  static const char * const redraw_on[] = {
    "notify::reference", "notify::tuning", "notify::tonic",
    "notify::note-names", "notify::transposition",
  };

  self->centre = 69;
  self->analyzer_signals = g_signal_group_new (PT_TYPE_PITCH_ANALYZER);
  for (guint i = 0; i < G_N_ELEMENTS (redraw_on); i++)
    g_signal_group_connect_swapped (self->analyzer_signals, redraw_on[i],
                                    G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Pitch history"),
                                  -1);
}
