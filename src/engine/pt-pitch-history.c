/* pt-pitch-history.c — a ring of analysis frames, allocated once at its
 * full size so memory stays constant however long the session runs. Frames
 * come from the followed analyser's "frame" signal (up to ~190 a second);
 * "changed" is emitted once per main-loop dispatch, from an idle source that
 * runs before GTK's redraw, so a graph repaints at most once for a batch.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-pitch-history"

#include "config.h"

#include <math.h>
#include <string.h>

#include "pt-pitch-history.h"

/* Bytes of text gathered before each write to the stream. */
#define WRITE_CHUNK 65536

struct _PtPitchHistory
{
  GObject              parent_instance;

  PtPitchHistoryEntry *entries;
  guint                capacity;
  guint                start;       /* the oldest entry */
  guint                n_entries;
  double               time_offset; /* keeps times growing across stream restarts */
  double               last_voiced_time;

  GSignalGroup        *analyzer_signals;
  GMainContext        *context;
  GSource             *changed_source;
};

G_DEFINE_FINAL_TYPE (PtPitchHistory, pt_pitch_history, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAPACITY,
  PROP_ANALYZER,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

PtPitchHistory *
pt_pitch_history_new (guint capacity)
{
  g_return_val_if_fail (capacity > 0, NULL);

  return g_object_new (PT_TYPE_PITCH_HISTORY, "capacity", capacity, NULL);
}

PtPitchAnalyzer *
pt_pitch_history_get_analyzer (PtPitchHistory *self)
{
  g_autoptr(GObject) target = NULL;

  g_return_val_if_fail (PT_IS_PITCH_HISTORY (self), NULL);

  /* The group holds the target weakly; the analyser outlives this call. */
  target = g_signal_group_dup_target (self->analyzer_signals);
  return PT_PITCH_ANALYZER (target);
}

void
pt_pitch_history_set_analyzer (PtPitchHistory  *self,
                               PtPitchAnalyzer *analyzer)
{
  g_autoptr(PtPitchAnalyzer) old = NULL;

  g_return_if_fail (PT_IS_PITCH_HISTORY (self));
  g_return_if_fail (analyzer == NULL || PT_IS_PITCH_ANALYZER (analyzer));

  old = (PtPitchAnalyzer *) g_signal_group_dup_target (self->analyzer_signals);
  if (old == analyzer)
    return;
  g_signal_group_set_target (self->analyzer_signals, analyzer);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANALYZER]);
}

static gboolean
emit_changed (gpointer user_data)
{
  PtPitchHistory *self = user_data;

  g_clear_pointer (&self->changed_source, g_source_unref);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* Before GDK's redraw (G_PRIORITY_HIGH_IDLE + 20), after the dispatch that
 * delivered the frames. */
static void
schedule_changed (PtPitchHistory *self)
{
  if (self->changed_source != NULL)
    return;
  self->changed_source = g_idle_source_new ();
  g_source_set_priority (self->changed_source, G_PRIORITY_HIGH_IDLE);
  g_source_set_callback (self->changed_source, emit_changed, self, NULL);
  g_source_set_static_name (self->changed_source, "[pitch-toy] history changed");
  g_source_attach (self->changed_source, self->context);
}

void
pt_pitch_history_append (PtPitchHistory     *self,
                         const PtPitchFrame *frame)
{
  PtPitchHistoryEntry *entry;
  double time_s;

  g_return_if_fail (PT_IS_PITCH_HISTORY (self));
  g_return_if_fail (frame != NULL);

  time_s = frame->time_s + self->time_offset;
  if (self->n_entries > 0 && time_s < pt_pitch_history_get_latest_time (self))
    {
      /* A new stream restarted its clock: carry on from where we were. */
      self->time_offset += pt_pitch_history_get_latest_time (self) - time_s;
      time_s = frame->time_s + self->time_offset;
    }

  if (self->n_entries < self->capacity)
    entry = &self->entries[(self->start + self->n_entries++) % self->capacity];
  else
    {
      entry = &self->entries[self->start];
      self->start = (self->start + 1) % self->capacity;
    }

  *entry = (PtPitchHistoryEntry) {
    .time_s = time_s,
    .frequency = frame->voiced ? frame->frequency : 0.0f,
    .confidence = frame->confidence,
    .cents = frame->voiced ? frame->note.cents : 0.0f,
    .midi = frame->voiced ? (gint16) CLAMP (frame->note.nearest_midi, G_MININT16, G_MAXINT16) : 0,
    .voiced = frame->voiced,
  };
  if (frame->voiced)
    self->last_voiced_time = time_s;
  schedule_changed (self);
}

void
pt_pitch_history_clear (PtPitchHistory *self)
{
  g_return_if_fail (PT_IS_PITCH_HISTORY (self));

  self->start = 0;
  self->n_entries = 0;
  self->last_voiced_time = -INFINITY;
  schedule_changed (self);
}

guint
pt_pitch_history_get_capacity (PtPitchHistory *self)
{
  g_return_val_if_fail (PT_IS_PITCH_HISTORY (self), 0);

  return self->capacity;
}

guint
pt_pitch_history_get_n_entries (PtPitchHistory *self)
{
  g_return_val_if_fail (PT_IS_PITCH_HISTORY (self), 0);

  return self->n_entries;
}

/* @index counts from the oldest entry kept. */
const PtPitchHistoryEntry *
pt_pitch_history_get_entry (PtPitchHistory *self,
                            guint           index)
{
  g_return_val_if_fail (PT_IS_PITCH_HISTORY (self), NULL);
  g_return_val_if_fail (index < self->n_entries, NULL);

  return &self->entries[(self->start + index) % self->capacity];
}

/* The index of the first entry at or after @time_s (n-entries if none). */
guint
pt_pitch_history_find_time (PtPitchHistory *self,
                            double          time_s)
{
  guint low = 0, high;

  g_return_val_if_fail (PT_IS_PITCH_HISTORY (self), 0);

  high = self->n_entries;
  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (pt_pitch_history_get_entry (self, mid)->time_s < time_s)
        low = mid + 1;
      else
        high = mid;
    }
  return low;
}

/* -inf when empty. */
double
pt_pitch_history_get_latest_time (PtPitchHistory *self)
{
  g_return_val_if_fail (PT_IS_PITCH_HISTORY (self), -INFINITY);

  if (self->n_entries == 0)
    return -INFINITY;
  return pt_pitch_history_get_entry (self, self->n_entries - 1)->time_s;
}

/* -inf when nothing voiced is kept. */
double
pt_pitch_history_get_last_voiced_time (PtPitchHistory *self)
{
  g_return_val_if_fail (PT_IS_PITCH_HISTORY (self), -INFINITY);

  return self->last_voiced_time;
}

static void
append_number (GString    *out,
               const char *format,
               double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  const char *text = g_ascii_formatd (buffer, sizeof buffer, format, value);

  /* No "-0.0" for a value that rounds to zero. */
  if (text[0] == '-' && strspn (text + 1, "0.") == strlen (text + 1))
    text++;
  g_string_append (out, text);
}

static void
append_note_name (GString                   *out,
                  const PtPitchHistoryEntry *entry,
                  PtNoteNames                names)
{
  int pitch_class = ((entry->midi % 12) + 12) % 12;
  int octave = (entry->midi - pitch_class) / 12 - 1;

  g_string_append_printf (out, "%s%d", pt_note_pitch_class_name (pitch_class, names), octave);
}

/* CSV: time_s,frequency_hz,confidence,voiced,note,cents (empty note and
 * cents when unvoiced). JSON Lines: the same fields, null when unvoiced. */
static void
append_entry (GString                   *out,
              const PtPitchHistoryEntry *entry,
              PtPitchHistoryFormat       format,
              PtNoteNames                names)
{
  gboolean json = format == PT_PITCH_HISTORY_JSON_LINES;

  g_string_append (out, json ? "{\"time_s\":" : "");
  append_number (out, "%.4f", entry->time_s);
  g_string_append (out, json ? ",\"frequency_hz\":" : ",");
  append_number (out, "%.2f", entry->frequency);
  g_string_append (out, json ? ",\"confidence\":" : ",");
  append_number (out, "%.3f", entry->confidence);
  g_string_append (out, json ? ",\"voiced\":" : ",");
  g_string_append (out, entry->voiced ? "true" : "false");
  g_string_append (out, json ? ",\"note\":" : ",");
  if (entry->voiced)
    {
      g_string_append (out, json ? "\"" : "");
      append_note_name (out, entry, names);
      g_string_append (out, json ? "\",\"cents\":" : ",");
      append_number (out, "%.1f", entry->cents);
    }
  else
    g_string_append (out, json ? "null,\"cents\":null" : ",");
  g_string_append (out, json ? "}\n" : "\n");
}

/* Writes every entry kept, oldest first; the stream is left open. */
gboolean
pt_pitch_history_write (PtPitchHistory        *self,
                        GOutputStream         *stream,
                        PtPitchHistoryFormat   format,
                        PtNoteNames            names,
                        GCancellable          *cancellable,
                        GError               **error)
{
  g_autoptr(GString) out = g_string_sized_new (WRITE_CHUNK + 256);

  g_return_val_if_fail (PT_IS_PITCH_HISTORY (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (format == PT_PITCH_HISTORY_CSV)
    g_string_append (out, "time_s,frequency_hz,confidence,voiced,note,cents\n");
  for (guint i = 0; i < self->n_entries; i++)
    {
      append_entry (out, pt_pitch_history_get_entry (self, i), format, names);
      if (out->len < WRITE_CHUNK && i + 1 < self->n_entries)
        continue;
      if (!g_output_stream_write_all (stream, out->str, out->len, NULL, cancellable, error))
        return FALSE;
      g_string_truncate (out, 0);
    }
  return out->len == 0
         || g_output_stream_write_all (stream, out->str, out->len, NULL, cancellable, error);
}

static void
pt_pitch_history_constructed (GObject *object)
{
  PtPitchHistory *self = PT_PITCH_HISTORY (object);

  G_OBJECT_CLASS (pt_pitch_history_parent_class)->constructed (object);

  self->entries = g_new (PtPitchHistoryEntry, self->capacity);
}

static void
pt_pitch_history_dispose (GObject *object)
{
  PtPitchHistory *self = PT_PITCH_HISTORY (object);

  if (self->analyzer_signals != NULL)
    g_signal_group_set_target (self->analyzer_signals, NULL);
  g_clear_object (&self->analyzer_signals);
  if (self->changed_source != NULL)
    g_source_destroy (self->changed_source);
  g_clear_pointer (&self->changed_source, g_source_unref);

  G_OBJECT_CLASS (pt_pitch_history_parent_class)->dispose (object);
}

static void
pt_pitch_history_finalize (GObject *object)
{
  PtPitchHistory *self = PT_PITCH_HISTORY (object);

  g_free (self->entries);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (pt_pitch_history_parent_class)->finalize (object);
}

static void
pt_pitch_history_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PtPitchHistory *self = PT_PITCH_HISTORY (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      g_value_set_uint (value, self->capacity);
      break;

    case PROP_ANALYZER:
      g_value_take_object (value, pt_pitch_history_get_analyzer (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_pitch_history_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PtPitchHistory *self = PT_PITCH_HISTORY (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      self->capacity = g_value_get_uint (value);
      break;

    case PROP_ANALYZER:
      pt_pitch_history_set_analyzer (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_pitch_history_class_init (PtPitchHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pt_pitch_history_constructed;
  object_class->dispose = pt_pitch_history_dispose;
  object_class->finalize = pt_pitch_history_finalize;
  object_class->get_property = pt_pitch_history_get_property;
  object_class->set_property = pt_pitch_history_set_property;

  properties[PROP_CAPACITY] =
    g_param_spec_uint ("capacity", NULL, NULL, 1, G_MAXUINT32, PT_PITCH_HISTORY_DEFAULT_CAPACITY,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ANALYZER] =
    g_param_spec_object ("analyzer", NULL, NULL, PT_TYPE_PITCH_ANALYZER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Entries were added or cleared; at most once per main-loop dispatch. */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pt_pitch_history_init (PtPitchHistory *self)
{
  self->last_voiced_time = -INFINITY;
  self->context = g_main_context_ref_thread_default ();
  self->analyzer_signals = g_signal_group_new (PT_TYPE_PITCH_ANALYZER);
  g_signal_group_connect_swapped (self->analyzer_signals, "frame",
                                  G_CALLBACK (pt_pitch_history_append), self);
}
