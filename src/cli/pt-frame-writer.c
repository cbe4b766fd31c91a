/* pt-frame-writer.c — analysis frames as JSON lines or CSV, the chosen
 * fields in the chosen order, numbers spelled as "%.Nf" spells them (by a
 * path ten times shorter than printf), never "-0.00", never inf or nan.
 *
 * Lines collect in a buffer that goes to the stream when it passes 64 KiB,
 * always at a line's end, so a reader of a stream cut short by an error
 * sees whole lines only.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-frame-writer"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "pt-frame-writer.h"

#define FLUSH_BYTES (64 * 1024)
/* Room for a flush's worth and one more line, file name aside. */
#define BUFFER_BYTES (FLUSH_BYTES + 1024)

struct _PtFrameWriter
{
  PtFrameFormat  format;
  PtFrameField   fields[PT_FRAME_MAX_FIELDS];
  guint          n_fields;
  GOutputStream *stream;
  GString       *out;
  GError        *error;   /* the first write error; nothing is written after it */
};

static const char * const field_names[PT_FRAME_N_FIELDS] = {
  [PT_FRAME_FIELD_FILE] = "file",
  [PT_FRAME_FIELD_TIME] = "time",
  [PT_FRAME_FIELD_FREQUENCY] = "frequency",
  [PT_FRAME_FIELD_MIDI] = "midi",
  [PT_FRAME_FIELD_NOTE] = "note",
  [PT_FRAME_FIELD_CENTS] = "cents",
  [PT_FRAME_FIELD_CONFIDENCE] = "confidence",
  [PT_FRAME_FIELD_VOICED] = "voiced",
  [PT_FRAME_FIELD_RMS_DBFS] = "rms_dbfs",
  [PT_FRAME_FIELD_PEAK_DBFS] = "peak_dbfs",
  [PT_FRAME_FIELD_LEVEL] = "level",
};

const PtFrameField pt_frame_default_fields[PT_FRAME_N_FIELDS - 1] = {
  PT_FRAME_FIELD_TIME, PT_FRAME_FIELD_FREQUENCY, PT_FRAME_FIELD_MIDI, PT_FRAME_FIELD_NOTE,
  PT_FRAME_FIELD_CENTS, PT_FRAME_FIELD_CONFIDENCE, PT_FRAME_FIELD_VOICED,
  PT_FRAME_FIELD_RMS_DBFS, PT_FRAME_FIELD_PEAK_DBFS, PT_FRAME_FIELD_LEVEL,
};

const char *
pt_frame_field_to_string (PtFrameField field)
{
  g_return_val_if_fail (field < PT_FRAME_N_FIELDS, NULL);

  return field_names[field];
}

static gboolean
field_from_string (const char   *name,
                   PtFrameField *field)
{
  for (guint i = 0; i < PT_FRAME_N_FIELDS; i++)
    if (strcmp (name, field_names[i]) == 0)
      {
        *field = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
pt_frame_fields_parse (const char    *list,
                       PtFrameField  *fields,
                       guint         *n_fields,
                       GError       **error)
{
  g_auto(GStrv) names = NULL;
  guint seen = 0;

  g_return_val_if_fail (list != NULL && fields != NULL && n_fields != NULL, FALSE);

  names = g_strsplit (list, ",", -1);
  *n_fields = 0;
  for (guint i = 0; names[i] != NULL; i++)
    {
      PtFrameField field;

      if (!field_from_string (names[i], &field))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("unknown field '%s' in --fields"), names[i]);
          return FALSE;
        }
      if (seen & (1u << field))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("field '%s' is named twice in --fields"), names[i]);
          return FALSE;
        }
      seen |= 1u << field;
      fields[(*n_fields)++] = field;
    }
  if (*n_fields == 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--fields needs at least one field name"));
      return FALSE;
    }
  return TRUE;
}

PtFrameWriter *
pt_frame_writer_new (PtFrameFormat        format,
                     const PtFrameField  *fields,
                     guint                n_fields,
                     GOutputStream       *stream)
{
  PtFrameWriter *writer;

  g_return_val_if_fail (format == PT_FRAME_FORMAT_JSONL || format == PT_FRAME_FORMAT_CSV, NULL);
  g_return_val_if_fail (fields != NULL && n_fields > 0 && n_fields <= PT_FRAME_MAX_FIELDS, NULL);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  writer = g_new0 (PtFrameWriter, 1);
  writer->format = format;
  memcpy (writer->fields, fields, n_fields * sizeof *fields);
  writer->n_fields = n_fields;
  writer->stream = g_object_ref (stream);
  writer->out = g_string_sized_new (BUFFER_BYTES);
  return writer;
}

void
pt_frame_writer_free (PtFrameWriter *writer)
{
  if (writer == NULL)
    return;
  g_object_unref (writer->stream);
  g_string_free (writer->out, TRUE);
  g_clear_error (&writer->error);
  g_free (writer);
}

/* g_string_append_len () without a call when the text fits, as it almost
 * always does (the buffer is sized for a flush's worth plus a line). */
static inline void
out_append (GString    *out,
            const char *text,
            gsize       n)
{
  if (G_LIKELY (out->len + n < out->allocated_len))
    {
      memcpy (out->str + out->len, text, n);
      out->len += n;
      out->str[out->len] = '\0';
    }
  else
    {
      g_string_append_len (out, text, n);
    }
}

static inline void
out_append_c (GString *out,
              char     c)
{
  out_append (out, &c, 1);
}

static inline void
out_append_str (GString    *out,
                const char *text)
{
  out_append (out, text, strlen (text));
}

#define append_literal(out, literal) out_append ((out), "" literal, sizeof (literal) - 1)

/* printf's spelling, minus the sign of a value that rounds to zero: a
 * reader comparing strings would trip on "-0.00". */
static void
append_number (GString    *out,
               const char *format,
               double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buffer, sizeof buffer, format, value);
  if (buffer[0] == '-' && strspn (buffer + 1, "0.") == strlen (buffer + 1))
    out_append_str (out, buffer + 1);
  else
    out_append_str (out, buffer);
}

/* Under this magnitude append_fixed () does the work itself: the scaled
 * value (× 10^4 at most) stays an exact integer in a double. */
#define FIXED_MAX 1e9

/* Finite @value with @decimals (0…4) decimals: the same text as
 * append_number () with "%.<decimals>f", a tenth of the cost. printf rounds
 * the exact binary value to the nearest, ties to even; so does this. The
 * product @value × 10^decimals is rounded to @scaled, and fma () gives what
 * that rounding lost, exactly: when the fraction of @scaled is not ½ it alone
 * decides (the loss is smaller than its distance to ½); when it is ½, the
 * loss decides, or an exact tie goes to the even neighbour. */
static void
append_fixed (GString *out,
              double   value,
              int      decimals)
{
  static const double scales[] = { 1.0, 10.0, 100.0, 1000.0, 10000.0 };
  static const char * const formats[] = { "%.0f", "%.1f", "%.2f", "%.3f", "%.4f" };
  char buffer[32];
  char *end = buffer + sizeof buffer, *p = end;
  double magnitude = fabs (value), scaled, lost, whole, fraction;
  guint64 n;
  gboolean negative;

  g_assert (decimals >= 0 && decimals < (int) G_N_ELEMENTS (scales));
  if (!(magnitude < FIXED_MAX))
    {
      append_number (out, formats[decimals], value);
      return;
    }

  scaled = magnitude * scales[decimals];
  lost = fma (magnitude, scales[decimals], -scaled);
  whole = floor (scaled);
  fraction = scaled - whole;
  n = (guint64) whole;
  if (fraction > 0.5 || (fraction == 0.5 && (lost > 0.0 || (lost == 0.0 && (n & 1) != 0))))
    n++;
  /* Never "-0.00", as in append_number (). */
  negative = value < 0.0 && n > 0;

  for (int i = 0; i < decimals; i++)
    {
      *--p = (char) ('0' + n % 10);
      n /= 10;
    }
  if (decimals > 0)
    *--p = '.';
  do
    {
      *--p = (char) ('0' + n % 10);
      n /= 10;
    }
  while (n > 0);
  if (negative)
    *--p = '-';
  out_append (out, p, end - p);
}

static void
append_null (PtFrameWriter *writer)
{
  if (writer->format == PT_FRAME_FORMAT_JSONL)
    append_literal (writer->out, "null");
}

/* A finite @value, or null: JSON has no spelling for inf and nan. */
static void
append_value (PtFrameWriter *writer,
              double         value,
              int            decimals)
{
  if (isfinite (value))
    append_fixed (writer->out, value, decimals);
  else
    append_null (writer);
}

/* A JSON string: quotes, backslashes and control characters escaped;
 * invalid UTF-8 replaced, so the line stays valid JSON. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  out_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          out_append_c (out, '\\');
          out_append_c (out, *p);
        }
      else if ((guchar) *p < 0x20)
        {
          g_string_append_printf (out, "\\u%04x", (guint) (guchar) *p);
        }
      else
        {
          out_append_c (out, *p);
        }
    }
  out_append_c (out, '"');
}

/* A CSV cell (RFC 4180): quoted, quotes doubled, when it holds a comma, a
 * quote or a line break. */
static void
append_csv_string (GString    *out,
                   const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      out_append_str (out, text);
      return;
    }
  out_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        out_append_c (out, '"');
      out_append_c (out, *p);
    }
  out_append_c (out, '"');
}

static void
append_string (PtFrameWriter *writer,
               const char    *text)
{
  if (text == NULL)
    append_null (writer);
  else if (writer->format == PT_FRAME_FORMAT_JSONL)
    append_json_string (writer->out, text);
  else
    append_csv_string (writer->out, text);
}

static void
append_field (PtFrameWriter      *writer,
              PtFrameField        field,
              const PtPitchFrame *frame,
              PtLevelClass        level,
              const char         *file)
{
  switch (field)
    {
    case PT_FRAME_FIELD_FILE:
      append_string (writer, file);
      break;
    case PT_FRAME_FIELD_TIME:
      append_value (writer, frame->time_s, 4);
      break;
    case PT_FRAME_FIELD_FREQUENCY:
      append_value (writer, frame->voiced ? frame->frequency : NAN, 2);
      break;
    case PT_FRAME_FIELD_MIDI:
      append_value (writer, frame->voiced ? frame->note.midi : NAN, 4);
      break;
    case PT_FRAME_FIELD_NOTE:
      /* Note names are ASCII letters, digits, '#', 'b' and '-': nothing to escape. */
      append_string (writer, frame->voiced ? frame->note.name : NULL);
      break;
    case PT_FRAME_FIELD_CENTS:
      append_value (writer, frame->voiced ? frame->note.cents : NAN, 2);
      break;
    case PT_FRAME_FIELD_CONFIDENCE:
      append_value (writer, frame->confidence, 2);
      break;
    case PT_FRAME_FIELD_VOICED:
      if (frame->voiced)
        append_literal (writer->out, "true");
      else
        append_literal (writer->out, "false");
      break;
    case PT_FRAME_FIELD_RMS_DBFS:
      append_value (writer, frame->rms_dbfs, 1);
      break;
    case PT_FRAME_FIELD_PEAK_DBFS:
      append_value (writer, frame->peak_dbfs, 1);
      break;
    case PT_FRAME_FIELD_LEVEL:
      append_string (writer, pt_level_class_to_string (level));
      break;
    case PT_FRAME_N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
write_buffer (PtFrameWriter *writer)
{
  if (writer->error == NULL && writer->out->len > 0)
    g_output_stream_write_all (writer->stream, writer->out->str, writer->out->len,
                               NULL, NULL, &writer->error);
  g_string_truncate (writer->out, 0);
  return writer->error == NULL;
}

static gboolean
end_line (PtFrameWriter *writer)
{
  out_append_c (writer->out, '\n');
  if (writer->out->len >= FLUSH_BYTES)
    return write_buffer (writer);
  return writer->error == NULL;
}

gboolean
pt_frame_writer_write_header (PtFrameWriter *writer)
{
  g_return_val_if_fail (writer != NULL, FALSE);

  if (writer->format != PT_FRAME_FORMAT_CSV)
    return writer->error == NULL;
  for (guint i = 0; i < writer->n_fields; i++)
    {
      if (i > 0)
        out_append_c (writer->out, ',');
      out_append_str (writer->out, field_names[writer->fields[i]]);
    }
  return end_line (writer);
}

gboolean
pt_frame_writer_write_frame (PtFrameWriter      *writer,
                             const PtPitchFrame *frame,
                             PtLevelClass        level,
                             const char         *file)
{
  gboolean json;

  g_return_val_if_fail (writer != NULL && frame != NULL, FALSE);

  if (writer->error != NULL)
    return FALSE;
  json = writer->format == PT_FRAME_FORMAT_JSONL;
  if (json)
    out_append_c (writer->out, '{');
  for (guint i = 0; i < writer->n_fields; i++)
    {
      PtFrameField field = writer->fields[i];

      if (i > 0)
        out_append_c (writer->out, ',');
      if (json)
        {
          out_append_c (writer->out, '"');
          out_append_str (writer->out, field_names[field]);
          append_literal (writer->out, "\":");
        }
      append_field (writer, field, frame, level, file);
    }
  if (json)
    out_append_c (writer->out, '}');
  return end_line (writer);
}

gboolean
pt_frame_writer_flush (PtFrameWriter  *writer,
                       GError        **error)
{
  g_return_val_if_fail (writer != NULL, FALSE);

  if (write_buffer (writer)
      && g_output_stream_flush (writer->stream, NULL, &writer->error))
    return TRUE;
  if (error != NULL)
    *error = g_error_copy (writer->error);
  return FALSE;
}
