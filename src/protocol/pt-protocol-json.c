/* pt-protocol-json.c — envelopes to and from JSON.
 *
 * One table per message type describes its payload fields (JSON name, kind,
 * offset); the writer and the reader both walk it, so they cannot drift
 * apart. Reading is in three steps: a strict scan of the text (length, depth,
 * grammar, number ranges), json-glib's parser on what passed, then the table
 * walk with a type and range check of every member against its C field, and
 * pt_envelope_validate() on the result.
 *
 * The writer is ours rather than JsonGenerator: it fixes the field order and
 * the number format byte for byte (the golden file depends on it, whatever
 * json-glib version runs), and it never writes NaN as `nan.0`.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-protocol-json"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "pt-protocol-json.h"

/* Field tables. */

typedef enum
{
  FIELD_UINT32,          /* guint / guint32 */
  FIELD_UINT64,          /* guint64 */
  FIELD_DOUBLE,
  FIELD_BOOLEAN,
  FIELD_ENUM,            /* an int-sized enum, written as one of the names */
  FIELD_STRING,          /* char *, required */
  FIELD_STRING_OR_NULL,  /* char *, null when NULL */
  FIELD_MESSAGE_TYPE,    /* a PtMessageType, written as its name */
  FIELD_CONTEXT,         /* PtErrorContext: an object whose table the error's code picks */
  FIELD_OBJECT,          /* a nested struct described by its own table */
} FieldKind;

typedef struct _Field Field;

struct _Field
{
  const char         *name;
  FieldKind           kind;
  gsize               offset;
  const char * const *names;     /* FIELD_ENUM: the names, by value */
  guint               n_names;
  const Field        *fields;    /* FIELD_OBJECT: the nested table, NULL-name terminated */
};

static const char * const waveform_names[] = { "sine", "square", "sawtooth", "triangle" };
static const char * const noise_names[] = { "white", "pink" };
static const char * const state_names[] = { "stopped", "starting", "running", "stopping", "error" };
static const char * const error_code_names[] = {
  "InitializationFailed", "ProcessingFailed", "BufferOverflow", "InvalidConfiguration",
  "MemoryAllocationFailed", "DeviceLost", "ServerDisconnected",
};

G_STATIC_ASSERT (G_N_ELEMENTS (waveform_names) == PT_WAVEFORM_TRIANGLE + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (noise_names) == PT_NOISE_PINK + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (state_names) == PT_PROCESSOR_STATE_ERROR + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (error_code_names) == PT_WORKLET_ERROR_SERVER_DISCONNECTED + 1);
/* FIELD_ENUM reads and writes them as int. */
G_STATIC_ASSERT (sizeof (PtWaveform) == sizeof (int));
G_STATIC_ASSERT (sizeof (PtNoiseType) == sizeof (int));
G_STATIC_ASSERT (sizeof (PtProcessorState) == sizeof (int));
G_STATIC_ASSERT (sizeof (PtWorkletErrorCode) == sizeof (int));

#define SCALAR(type, member, kind) { #member, kind, G_STRUCT_OFFSET (type, member), NULL, 0, NULL }
#define NAMED(type, json_name, member, kind) \
  { json_name, kind, G_STRUCT_OFFSET (type, member), NULL, 0, NULL }
#define ENUM(type, member, names) \
  { #member, FIELD_ENUM, G_STRUCT_OFFSET (type, member), names, G_N_ELEMENTS (names), NULL }
#define OBJECT(type, member, table) \
  { #member, FIELD_OBJECT, G_STRUCT_OFFSET (type, member), NULL, 0, table }
#define END { NULL, 0, 0, NULL, 0, NULL }

static const Field no_fields[] = { END };

static const Field batch_config_fields[] = {
  SCALAR (PtBatchConfig, batch_size, FIELD_UINT32),
  SCALAR (PtBatchConfig, timeout_ms, FIELD_UINT32),
  SCALAR (PtBatchConfig, adaptive, FIELD_BOOLEAN),
  END
};

static const Field test_signal_fields[] = {
  SCALAR (PtTestSignalConfig, enabled, FIELD_BOOLEAN),
  ENUM (PtTestSignalConfig, waveform, waveform_names),
  SCALAR (PtTestSignalConfig, frequency, FIELD_DOUBLE),
  SCALAR (PtTestSignalConfig, amplitude, FIELD_DOUBLE),
  END
};

static const Field noise_fields[] = {
  SCALAR (PtBackgroundNoiseConfig, enabled, FIELD_BOOLEAN),
  ENUM (PtBackgroundNoiseConfig, noise_type, noise_names),
  SCALAR (PtBackgroundNoiseConfig, level, FIELD_DOUBLE),
  END
};

static const Field ready_fields[] = {
  SCALAR (PtProcessorReady, batch_size, FIELD_UINT32),
  SCALAR (PtProcessorReady, sample_rate, FIELD_DOUBLE),
  SCALAR (PtProcessorReady, chunk_size, FIELD_UINT32),
  END
};

static const Field batch_fields[] = {
  SCALAR (PtAudioDataBatch, sample_rate, FIELD_DOUBLE),
  SCALAR (PtAudioDataBatch, sample_count, FIELD_UINT32),
  SCALAR (PtAudioDataBatch, buffer_length, FIELD_UINT32),
  SCALAR (PtAudioDataBatch, sequence_number, FIELD_UINT64),
  SCALAR (PtAudioDataBatch, first_frame, FIELD_UINT64),
  SCALAR (PtAudioDataBatch, first_frame_time_ms, FIELD_DOUBLE),
  SCALAR (PtAudioDataBatch, buffer_id, FIELD_UINT32),
  SCALAR (PtAudioDataBatch, pool_available, FIELD_UINT32),
  SCALAR (PtAudioDataBatch, pool_in_use, FIELD_UINT32),
  SCALAR (PtAudioDataBatch, pool_exhausted_count, FIELD_UINT32),
  SCALAR (PtAudioDataBatch, clipped_count, FIELD_UINT32),
  SCALAR (PtAudioDataBatch, nonfinite_count, FIELD_UINT32),
  SCALAR (PtAudioDataBatch, dropped_frames, FIELD_UINT64),
  END
};

static const Field overflow_context_fields[] = {
  SCALAR (PtOverflowContext, capacity, FIELD_UINT32),
  SCALAR (PtOverflowContext, in_use, FIELD_UINT32),
  SCALAR (PtOverflowContext, available, FIELD_UINT32),
  SCALAR (PtOverflowContext, exhausted_count, FIELD_UINT32),
  SCALAR (PtOverflowContext, dropped_frames, FIELD_UINT64),
  SCALAR (PtOverflowContext, dropped_frames_total, FIELD_UINT64),
  END
};

static const Field rejection_context_fields[] = {
  SCALAR (PtRejectionContext, message_type, FIELD_MESSAGE_TYPE),
  END
};

static const Field device_context_fields[] = {
  SCALAR (PtDeviceContext, device, FIELD_STRING),
  END
};

/* The context's table for an error code. The code comes first in
 * error_fields, so the reader knows it before it meets the context. */
static const Field *
context_fields (PtWorkletErrorCode code)
{
  switch (code)
    {
    case PT_WORKLET_ERROR_BUFFER_OVERFLOW:
      return overflow_context_fields;
    case PT_WORKLET_ERROR_INVALID_CONFIGURATION:
      return rejection_context_fields;
    case PT_WORKLET_ERROR_DEVICE_LOST:
      return device_context_fields;
    case PT_WORKLET_ERROR_INITIALIZATION_FAILED:
    case PT_WORKLET_ERROR_PROCESSING_FAILED:
    case PT_WORKLET_ERROR_MEMORY_ALLOCATION_FAILED:
    case PT_WORKLET_ERROR_SERVER_DISCONNECTED:
    default:
      return no_fields;
    }
}

static const Field error_fields[] = {
  ENUM (PtProcessingError, code, error_code_names),
  SCALAR (PtProcessingError, message, FIELD_STRING),
  SCALAR (PtProcessingError, context, FIELD_CONTEXT),
  NAMED (PtProcessingError, "timestamp", timestamp_ms, FIELD_DOUBLE),
  END
};

static const Field status_fields[] = {
  ENUM (PtStatusUpdate, state, state_names),
  SCALAR (PtStatusUpdate, details, FIELD_STRING_OR_NULL),
  END
};

static const Field applied_fields[] = {
  OBJECT (PtConfigApplied, batch, batch_config_fields),
  OBJECT (PtConfigApplied, test_signal, test_signal_fields),
  OBJECT (PtConfigApplied, noise, noise_fields),
  END
};

static const Field *
payload_fields (PtMessageType type)
{
  switch (type)
    {
    case PT_MESSAGE_START_PROCESSING:
    case PT_MESSAGE_STOP_PROCESSING:
      return no_fields;
    case PT_MESSAGE_UPDATE_BATCH_CONFIG:
      return batch_config_fields;
    case PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG:
      return test_signal_fields;
    case PT_MESSAGE_UPDATE_BACKGROUND_NOISE_CONFIG:
      return noise_fields;
    case PT_MESSAGE_PROCESSOR_READY:
      return ready_fields;
    case PT_MESSAGE_AUDIO_DATA_BATCH:
      return batch_fields;
    case PT_MESSAGE_PROCESSING_ERROR:
      return error_fields;
    case PT_MESSAGE_STATUS_UPDATE:
      return status_fields;
    case PT_MESSAGE_CONFIG_APPLIED:
      return applied_fields;
    default:
      return NULL;
    }
}

#define FIELD_PTR(base, field, type) ((type *) (gpointer) ((guint8 *) (base) + (field)->offset))

/* Writing. */

static void
write_string (GString    *out,
              const char *text)
{
  g_autofree char *valid = NULL;

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

/* The shortest decimal that reads back as the same double, with ".0" on
 * integral values so a reader sees a double; null when not finite. */
static void
write_double (GString *out,
              double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  if (value == floor (value) && fabs (value) < 1e15)
    {
      g_ascii_formatd (buf, sizeof buf, "%.0f", value);
      g_string_append_printf (out, "%s.0", buf);
      return;
    }

  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
  if (strpbrk (buf, ".e") == NULL)
    g_string_append (out, ".0");
}

/* The table of an object field: its own, or for an error's context the one
 * its code picks (@base is then the PtProcessingError). */
static const Field *
nested_fields (gconstpointer  base,
               const Field   *field)
{
  if (field->kind == FIELD_CONTEXT)
    return context_fields (((const PtProcessingError *) base)->code);
  return field->fields;
}

static void write_fields (GString     *out,
                          gconstpointer base,
                          const Field *fields,
                          gboolean     first);

static void
write_field (GString      *out,
             gconstpointer base,
             const Field  *field)
{
  switch (field->kind)
    {
    case FIELD_UINT32:
      g_string_append_printf (out, "%u", *FIELD_PTR (base, field, const guint));
      break;
    case FIELD_UINT64:
      g_string_append_printf (out, "%" G_GUINT64_FORMAT, *FIELD_PTR (base, field, const guint64));
      break;
    case FIELD_DOUBLE:
      write_double (out, *FIELD_PTR (base, field, const double));
      break;
    case FIELD_BOOLEAN:
      g_string_append (out, *FIELD_PTR (base, field, const gboolean) ? "true" : "false");
      break;
    case FIELD_ENUM:
      {
        guint value = (guint) *FIELD_PTR (base, field, const int);

        /* An unknown value has no name: null, which the reader refuses. */
        if (value < field->n_names)
          write_string (out, field->names[value]);
        else
          g_string_append (out, "null");
      }
      break;
    case FIELD_STRING:
    case FIELD_STRING_OR_NULL:
      {
        const char *text = *FIELD_PTR (base, field, char * const);

        if (text != NULL)
          write_string (out, text);
        else
          g_string_append (out, field->kind == FIELD_STRING ? "\"\"" : "null");
      }
      break;
    case FIELD_MESSAGE_TYPE:
      {
        const char *name = pt_message_type_to_string (*FIELD_PTR (base, field, const int));

        if (name != NULL)
          write_string (out, name);
        else
          g_string_append (out, "null");
      }
      break;
    case FIELD_CONTEXT:
    case FIELD_OBJECT:
      g_string_append_c (out, '{');
      write_fields (out, FIELD_PTR (base, field, const guint8), nested_fields (base, field), TRUE);
      g_string_append_c (out, '}');
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
write_fields (GString      *out,
              gconstpointer base,
              const Field  *fields,
              gboolean      first)
{
  for (const Field *field = fields; field->name != NULL; field++)
    {
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      write_string (out, field->name);
      g_string_append_c (out, ':');
      write_field (out, base, field);
    }
}

/* "BufferOverflow"…: the code as the JSON spells it; NULL for an unknown one. */
const char *
pt_worklet_error_code_to_string (PtWorkletErrorCode code)
{
  if ((guint) code >= G_N_ELEMENTS (error_code_names))
    return NULL;
  return error_code_names[code];
}

char *
pt_envelope_to_json (const PtEnvelope *envelope)
{
  const char *type_name;
  GString *out;

  g_return_val_if_fail (envelope != NULL, NULL);
  type_name = pt_message_type_to_string (envelope->type);
  g_return_val_if_fail (type_name != NULL, NULL);

  out = g_string_sized_new (256);
  g_string_append_printf (out, "{\"message_id\":%u,\"timestamp\":", envelope->message_id);
  write_double (out, envelope->timestamp_ms);
  g_string_append_printf (out, ",\"in_reply_to\":%u,\"payload\":{\"type\":",
                          envelope->in_reply_to);
  write_string (out, type_name);
  write_fields (out, &envelope->payload, payload_fields (envelope->type), FALSE);
  g_string_append (out, "}}");

  return g_string_free (out, FALSE);
}

/* The strict scan. json-glib 1.6 accepts comments, single quotes, hex and a
 * trailing second document, wraps big integers and recurses without bound;
 * this scan lets through only RFC 8259 JSON within our bounds. Its recursion
 * is bounded by PT_PROTOCOL_MAX_JSON_DEPTH. */

typedef struct
{
  const char *text;
  gsize       length;
  gsize       pos;
} Scanner;

static gboolean
scan_fail (Scanner         *scanner,
           GError         **error,
           PtProtocolError  code,
           const char      *what)
{
  g_set_error (error, PT_PROTOCOL_ERROR, code, "JSON at byte %" G_GSIZE_FORMAT ": %s",
               scanner->pos, what);
  return FALSE;
}

static int
scan_peek (Scanner *scanner)
{
  return scanner->pos < scanner->length ? (guchar) scanner->text[scanner->pos] : -1;
}

static void
scan_whitespace (Scanner *scanner)
{
  for (;;)
    {
      int c = scan_peek (scanner);

      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        return;
      scanner->pos++;
    }
}

static gboolean
scan_expect (Scanner *scanner,
             char     c)
{
  if (scan_peek (scanner) != (guchar) c)
    return FALSE;
  scanner->pos++;
  return TRUE;
}

static gboolean
scan_literal (Scanner    *scanner,
              const char *literal)
{
  gsize len = strlen (literal);

  if (scanner->length - scanner->pos < len ||
      memcmp (scanner->text + scanner->pos, literal, len) != 0)
    return FALSE;
  scanner->pos += len;
  return TRUE;
}

static int
scan_hex4 (Scanner *scanner)
{
  int value = 0;

  if (scanner->length - scanner->pos < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (scanner->text[scanner->pos + i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  scanner->pos += 4;
  return value;
}

/* Checks a string; when decoded is not NULL, also appends its value there
 * (for member names, to find duplicates). */
static gboolean
scan_string (Scanner  *scanner,
             GString  *decoded,
             GError  **error)
{
  scanner->pos++;  /* the opening quote */
  for (;;)
    {
      int c = scan_peek (scanner);
      gunichar unit;

      if (c < 0)
        return scan_fail (scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON, "unterminated string");
      if (c < 0x20)
        return scan_fail (scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON,
                          "control character in a string");
      scanner->pos++;
      if (c == '"')
        return TRUE;
      if (c != '\\')
        {
          if (decoded != NULL)
            g_string_append_c (decoded, (char) c);
          continue;
        }

      c = scan_peek (scanner);
      scanner->pos++;
      switch (c)
        {
        case '"': case '\\': case '/': unit = c; break;
        case 'b': unit = '\b'; break;
        case 'f': unit = '\f'; break;
        case 'n': unit = '\n'; break;
        case 'r': unit = '\r'; break;
        case 't': unit = '\t'; break;
        case 'u':
          {
            int high = scan_hex4 (scanner), low;

            if (high < 0)
              return scan_fail (scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON,
                                "bad \\u escape");
            /* json-glib would cut the string at a NUL, silently. */
            if (high == 0)
              return scan_fail (scanner, error, PT_PROTOCOL_ERROR_INVALID_VALUE,
                                "\\u0000 in a string");
            if (high >= 0xdc00 && high <= 0xdfff)
              return scan_fail (scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON,
                                "unpaired low surrogate");
            unit = high;
            if (high >= 0xd800 && high <= 0xdbff)
              {
                if (!scan_literal (scanner, "\\u") || (low = scan_hex4 (scanner)) < 0 ||
                    low < 0xdc00 || low > 0xdfff)
                  return scan_fail (scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON,
                                    "unpaired high surrogate");
                unit = 0x10000 + (((gunichar) high - 0xd800) << 10) + ((gunichar) low - 0xdc00);
              }
          }
          break;
        default:
          return scan_fail (scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON, "bad escape");
        }
      if (decoded != NULL)
        g_string_append_unichar (decoded, unit);
    }
}

static gsize
scan_digits (Scanner *scanner)
{
  gsize start = scanner->pos;

  while (g_ascii_isdigit (scan_peek (scanner)))
    scanner->pos++;
  return scanner->pos - start;
}

/* Grammar first, then the range json-glib can hold: an integer within
 * gint64 (it wraps beyond), any other number within a double. */
static gboolean
scan_number (Scanner  *scanner,
             GError  **error)
{
  gsize start = scanner->pos;
  gboolean integral = TRUE;
  g_autofree char *token = NULL;

  scan_expect (scanner, '-');
  if (scan_expect (scanner, '0'))
    ;
  else if (scan_digits (scanner) == 0)
    return scan_fail (scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON, "bad number");
  if (scan_expect (scanner, '.'))
    {
      integral = FALSE;
      if (scan_digits (scanner) == 0)
        return scan_fail (scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON, "bad fraction");
    }
  if (scan_expect (scanner, 'e') || scan_expect (scanner, 'E'))
    {
      integral = FALSE;
      if (!scan_expect (scanner, '+'))
        scan_expect (scanner, '-');
      if (scan_digits (scanner) == 0)
        return scan_fail (scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON, "bad exponent");
    }

  token = g_strndup (scanner->text + start, scanner->pos - start);
  errno = 0;
  if (integral)
    {
      g_ascii_strtoll (token, NULL, 10);
      if (errno == ERANGE)
        return scan_fail (scanner, error, PT_PROTOCOL_ERROR_OUT_OF_RANGE,
                          "integer beyond 64 bits");
    }
  else if (isinf (g_ascii_strtod (token, NULL)))
    return scan_fail (scanner, error, PT_PROTOCOL_ERROR_OUT_OF_RANGE,
                      "number beyond the range of a double");
  return TRUE;
}

static gboolean scan_value (Scanner  *scanner,
                            guint     depth,
                            GError  **error);

static gboolean
scan_container (Scanner  *scanner,
                guint     depth,
                GError  **error)
{
  gboolean is_object = scan_peek (scanner) == '{';
  char close = is_object ? '}' : ']';
  /* json-glib keeps the last of duplicate members silently: refuse them. */
  g_autoptr(GHashTable) names = NULL;

  if (depth + 1 > PT_PROTOCOL_MAX_JSON_DEPTH)
    return scan_fail (scanner, error, PT_PROTOCOL_ERROR_TOO_DEEP, "nested too deep");
  scanner->pos++;

  scan_whitespace (scanner);
  if (scan_expect (scanner, close))
    return TRUE;
  if (is_object)
    names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (;;)
    {
      if (is_object)
        {
          g_autoptr(GString) name = g_string_new (NULL);

          if (scan_peek (scanner) != '"')
            return scan_fail (scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON,
                              "expected a member name in double quotes");
          if (!scan_string (scanner, name, error))
            return FALSE;
          if (!g_hash_table_add (names, g_string_free (g_steal_pointer (&name), FALSE)))
            return scan_fail (scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON,
                              "duplicate member name");
          scan_whitespace (scanner);
          if (!scan_expect (scanner, ':'))
            return scan_fail (scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON, "expected ':'");
        }
      if (!scan_value (scanner, depth + 1, error))
        return FALSE;
      scan_whitespace (scanner);
      if (scan_expect (scanner, close))
        return TRUE;
      if (!scan_expect (scanner, ','))
        return scan_fail (scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON,
                          is_object ? "expected ',' or '}'" : "expected ',' or ']'");
      scan_whitespace (scanner);
    }
}

static gboolean
scan_value (Scanner  *scanner,
            guint     depth,
            GError  **error)
{
  int c;

  scan_whitespace (scanner);
  c = scan_peek (scanner);

  if (c == '{' || c == '[')
    return scan_container (scanner, depth, error);
  if (c == '"')
    return scan_string (scanner, NULL, error);
  if (c == '-' || g_ascii_isdigit (c))
    {
      if (scan_literal (scanner, "-Infinity"))
        return scan_fail (scanner, error, PT_PROTOCOL_ERROR_NOT_FINITE, "-Infinity");
      return scan_number (scanner, error);
    }
  if (scan_literal (scanner, "true") || scan_literal (scanner, "false") ||
      scan_literal (scanner, "null"))
    return TRUE;
  if (scan_literal (scanner, "NaN") || scan_literal (scanner, "Infinity"))
    return scan_fail (scanner, error, PT_PROTOCOL_ERROR_NOT_FINITE, "NaN or Infinity");
  if (c < 0)
    return scan_fail (scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON, "unexpected end");
  return scan_fail (scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON, "unexpected character");
}

static gboolean
scan_document (const char  *text,
               gsize        length,
               GError     **error)
{
  Scanner scanner = { text, length, 0 };
  const char *end;

  if (memchr (text, '\0', length) != NULL)
    {
      scanner.pos = (const char *) memchr (text, '\0', length) - text;
      return scan_fail (&scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON, "NUL byte");
    }
  if (!g_utf8_validate_len (text, length, &end))
    {
      scanner.pos = end - text;
      return scan_fail (&scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON, "not valid UTF-8");
    }
  if (!scan_value (&scanner, 0, error))
    return FALSE;
  scan_whitespace (&scanner);
  if (scanner.pos != length)
    return scan_fail (&scanner, error, PT_PROTOCOL_ERROR_INVALID_JSON,
                      "trailing data after the document");
  return TRUE;
}

/* Reading the tree. */

static gboolean
read_fail (GError         **error,
           PtProtocolError  code,
           const char      *where,
           const char      *name,
           const char      *what)
{
  g_set_error (error, PT_PROTOCOL_ERROR, code, "%s.%s: %s", where, name, what);
  return FALSE;
}

static gboolean
read_uint (JsonNode    *node,
           const char  *where,
           const char  *name,
           guint64      max,
           guint64     *out,
           GError     **error)
{
  gint64 value;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return read_fail (error, PT_PROTOCOL_ERROR_WRONG_TYPE, where, name, "expected an integer");
  value = json_node_get_int (node);
  if (value < 0 || (guint64) value > max)
    {
      g_set_error (error, PT_PROTOCOL_ERROR, PT_PROTOCOL_ERROR_OUT_OF_RANGE,
                   "%s.%s: %" G_GINT64_FORMAT " is not within [0, %" G_GUINT64_FORMAT "]",
                   where, name, value, max);
      return FALSE;
    }
  *out = (guint64) value;
  return TRUE;
}

static gboolean
read_double (JsonNode    *node,
             const char  *where,
             const char  *name,
             double      *out,
             GError     **error)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return read_fail (error, PT_PROTOCOL_ERROR_NOT_FINITE, where, name,
                      "null (a non-finite number)");
  if (!JSON_NODE_HOLDS_VALUE (node))
    return read_fail (error, PT_PROTOCOL_ERROR_WRONG_TYPE, where, name, "expected a number");
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out = (double) json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *out = json_node_get_double (node);
      return TRUE;
    default:
      return read_fail (error, PT_PROTOCOL_ERROR_WRONG_TYPE, where, name, "expected a number");
    }
}

static const char *
read_string (JsonNode    *node,
             const char  *where,
             const char  *name,
             GError     **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      read_fail (error, PT_PROTOCOL_ERROR_WRONG_TYPE, where, name, "expected a string");
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
message_type_from_string (const char    *name,
                          PtMessageType *type)
{
  for (guint i = 0; pt_message_type_to_string (i) != NULL; i++)
    {
      if (strcmp (name, pt_message_type_to_string (i)) == 0)
        {
          *type = i;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean read_fields (JsonObject   *object,
                             gpointer      base,
                             const Field  *fields,
                             const char   *where,
                             const char   *skip,
                             GError      **error);

static gboolean
read_field (JsonNode     *node,
            gpointer      base,
            const Field  *field,
            const char   *where,
            GError      **error)
{
  guint64 number;
  const char *text;

  switch (field->kind)
    {
    case FIELD_UINT32:
      if (!read_uint (node, where, field->name, G_MAXUINT32, &number, error))
        return FALSE;
      *FIELD_PTR (base, field, guint) = (guint) number;
      return TRUE;
    case FIELD_UINT64:
      return read_uint (node, where, field->name, G_MAXUINT64,
                        FIELD_PTR (base, field, guint64), error);
    case FIELD_DOUBLE:
      return read_double (node, where, field->name, FIELD_PTR (base, field, double), error);
    case FIELD_BOOLEAN:
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return read_fail (error, PT_PROTOCOL_ERROR_WRONG_TYPE, where, field->name,
                          "expected true or false");
      *FIELD_PTR (base, field, gboolean) = json_node_get_boolean (node);
      return TRUE;
    case FIELD_ENUM:
      if ((text = read_string (node, where, field->name, error)) == NULL)
        return FALSE;
      for (guint i = 0; i < field->n_names; i++)
        {
          if (strcmp (text, field->names[i]) == 0)
            {
              *FIELD_PTR (base, field, int) = (int) i;
              return TRUE;
            }
        }
      return read_fail (error, PT_PROTOCOL_ERROR_UNKNOWN_VALUE, where, field->name,
                        "not a known value");
    case FIELD_STRING_OR_NULL:
      if (JSON_NODE_HOLDS_NULL (node))
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case FIELD_STRING:
      if ((text = read_string (node, where, field->name, error)) == NULL)
        return FALSE;
      *FIELD_PTR (base, field, char *) = g_strdup (text);
      return TRUE;
    case FIELD_MESSAGE_TYPE:
      if ((text = read_string (node, where, field->name, error)) == NULL)
        return FALSE;
      if (!message_type_from_string (text, FIELD_PTR (base, field, PtMessageType)))
        return read_fail (error, PT_PROTOCOL_ERROR_UNKNOWN_VALUE, where, field->name,
                          "not a known message type");
      return TRUE;
    case FIELD_CONTEXT:
    case FIELD_OBJECT:
      {
        g_autofree char *nested = g_strdup_printf ("%s.%s", where, field->name);

        if (!JSON_NODE_HOLDS_OBJECT (node))
          return read_fail (error, PT_PROTOCOL_ERROR_WRONG_TYPE, where, field->name,
                            "expected an object");
        return read_fields (json_node_get_object (node), FIELD_PTR (base, field, guint8),
                            nested_fields (base, field), nested, NULL, error);
      }
    default:
      g_assert_not_reached ();
    }
}

/* Every field of the table is required; a member that is not in it (other
 * than `skip`) is refused, so a misspelt name never passes silently. */
static gboolean
read_fields (JsonObject   *object,
             gpointer      base,
             const Field  *fields,
             const char   *where,
             const char   *skip,
             GError      **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const Field *field = fields;

      if (skip != NULL && strcmp (l->data, skip) == 0)
        continue;
      while (field->name != NULL && strcmp (field->name, l->data) != 0)
        field++;
      if (field->name == NULL)
        {
          g_set_error (error, PT_PROTOCOL_ERROR, PT_PROTOCOL_ERROR_UNKNOWN_FIELD,
                       "%s: unknown member \"%s\"", where, (const char *) l->data);
          return FALSE;
        }
    }

  for (const Field *field = fields; field->name != NULL; field++)
    {
      JsonNode *node = json_object_get_member (object, field->name);

      if (node == NULL)
        return read_fail (error, PT_PROTOCOL_ERROR_MISSING_FIELD, where, field->name,
                          "missing");
      if (!read_field (node, base, field, where, error))
        return FALSE;
    }
  return TRUE;
}

static const char * const envelope_members[] = { "message_id", "timestamp", "in_reply_to",
                                                 "payload", NULL };

static JsonNode *
require_member (JsonObject  *object,
                const char  *where,
                const char  *name,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    read_fail (error, PT_PROTOCOL_ERROR_MISSING_FIELD, where, name, "missing");
  return node;
}

static PtEnvelope *
read_envelope (JsonNode  *root,
               GError   **error)
{
  g_autoptr(PtEnvelope) envelope = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object, *payload;
  JsonNode *node;
  const char *type_name;
  guint64 message_id, in_reply_to = 0;
  double timestamp;
  PtMessageType type;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, PT_PROTOCOL_ERROR, PT_PROTOCOL_ERROR_WRONG_TYPE,
                           "envelope: expected an object");
      return NULL;
    }
  object = json_node_get_object (root);

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (envelope_members, l->data))
        {
          g_set_error (error, PT_PROTOCOL_ERROR, PT_PROTOCOL_ERROR_UNKNOWN_FIELD,
                       "envelope: unknown member \"%s\"", (const char *) l->data);
          return NULL;
        }
    }

  if ((node = require_member (object, "envelope", "message_id", error)) == NULL ||
      !read_uint (node, "envelope", "message_id", G_MAXUINT32, &message_id, error))
    return NULL;
  if ((node = require_member (object, "envelope", "timestamp", error)) == NULL ||
      !read_double (node, "envelope", "timestamp", &timestamp, error))
    return NULL;
  /* Optional: absent means "not a reply". */
  if ((node = json_object_get_member (object, "in_reply_to")) != NULL &&
      !read_uint (node, "envelope", "in_reply_to", G_MAXUINT32, &in_reply_to, error))
    return NULL;

  if ((node = require_member (object, "envelope", "payload", error)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      read_fail (error, PT_PROTOCOL_ERROR_WRONG_TYPE, "envelope", "payload", "expected an object");
      return NULL;
    }
  payload = json_node_get_object (node);

  if ((node = require_member (payload, "payload", "type", error)) == NULL ||
      (type_name = read_string (node, "payload", "type", error)) == NULL)
    return NULL;
  if (!message_type_from_string (type_name, &type))
    {
      read_fail (error, PT_PROTOCOL_ERROR_UNKNOWN_TYPE, "payload", "type",
                 "not a known message type");
      return NULL;
    }

  envelope = pt_envelope_new_with_id (type, (guint32) message_id, timestamp,
                                      (guint32) in_reply_to);
  if (!read_fields (payload, &envelope->payload, payload_fields (type),
                    pt_message_type_to_string (type), "type", error))
    return NULL;

  return g_steal_pointer (&envelope);
}

PtEnvelope *
pt_envelope_from_json (const char  *text,
                       gssize       length,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(PtEnvelope) envelope = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = length >= 0 ? (gsize) length : strnlen (text, PT_PROTOCOL_MAX_JSON_LENGTH + 1);
  if (len > PT_PROTOCOL_MAX_JSON_LENGTH)
    {
      g_set_error (error, PT_PROTOCOL_ERROR, PT_PROTOCOL_ERROR_TOO_LARGE,
                   "JSON: longer than %d bytes", PT_PROTOCOL_MAX_JSON_LENGTH);
      return NULL;
    }
  if (!scan_document (text != NULL ? text : "", len, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, len, &local_error))
    {
      /* The scan should have caught it; json-glib still has the last word. */
      g_set_error (error, PT_PROTOCOL_ERROR, PT_PROTOCOL_ERROR_INVALID_JSON,
                   "JSON: %s", local_error->message);
      return NULL;
    }

  envelope = read_envelope (json_parser_get_root (parser), error);
  if (envelope == NULL)
    return NULL;
  if (!pt_envelope_validate (envelope, 0.0, error))
    return NULL;
  return g_steal_pointer (&envelope);
}
