/* test-frame-writer.c — the frame writer's exact lines: fields and their
 * order, JSON and CSV, the spelling of numbers (as printf's, never "-0" or
 * "inf"), quoting of file names, and how a failed write is reported.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "pt-frame-writer.h"
#include "pt-test-util.h"

static PtPitchFrame
voiced_frame (void)
{
  PtPitchFrame frame = {
    .frame_index = 59392,
    .time_s = 59392 / 48000.0,
    .frequency = 440.0213,
    .confidence = 0.9712,
    .voiced = TRUE,
    .rms_dbfs = -12.3456,
    .peak_dbfs = -6.02,
  };

  frame.note.midi = 69.00084;
  frame.note.cents = 0.084;
  strcpy (frame.note.name, "A4");
  return frame;
}

static PtPitchFrame
unvoiced_frame (void)
{
  PtPitchFrame frame = { .frame_index = 1200, .time_s = 0.025, .rms_dbfs = -120.0,
                         .peak_dbfs = -120.0 };

  return frame;
}

/* The text a writer of @format and @fields makes of @frames (header first). */
static char *
write_frames (PtFrameFormat       format,
              const PtFrameField *fields,
              guint               n_fields,
              const PtPitchFrame *frames,
              guint               n_frames,
              const char         *file)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(PtFrameWriter) writer = pt_frame_writer_new (format, fields, n_fields, stream);
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_frame_writer_write_header (writer));
  for (guint i = 0; i < n_frames; i++)
    g_assert_true (pt_frame_writer_write_frame (writer, &frames[i], PT_LEVEL_OPTIMAL, file));
  g_assert_true (pt_frame_writer_flush (writer, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (stream, NULL, &error));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

#define DEFAULT_FIELDS pt_frame_default_fields, G_N_ELEMENTS (pt_frame_default_fields)

static void
test_json_default_fields (void)
{
  PtPitchFrame frames[] = { voiced_frame (), unvoiced_frame () };
  g_autofree char *text = write_frames (PT_FRAME_FORMAT_JSONL, DEFAULT_FIELDS, frames, 2, NULL);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  g_assert_cmpstr (lines[0], ==,
                   "{\"time\":1.2373,\"frequency\":440.02,\"midi\":69.0008,\"note\":\"A4\","
                   "\"cents\":0.08,\"confidence\":0.97,\"voiced\":true,\"rms_dbfs\":-12.3,"
                   "\"peak_dbfs\":-6.0,\"level\":\"optimal\"}");
  g_assert_cmpstr (lines[1], ==,
                   "{\"time\":0.0250,\"frequency\":null,\"midi\":null,\"note\":null,"
                   "\"cents\":null,\"confidence\":0.00,\"voiced\":false,\"rms_dbfs\":-120.0,"
                   "\"peak_dbfs\":-120.0,\"level\":\"optimal\"}");
  g_assert_cmpstr (lines[2], ==, "");
  g_assert_null (lines[3]);
}

static void
test_csv_default_fields (void)
{
  PtPitchFrame frames[] = { voiced_frame (), unvoiced_frame () };
  g_autofree char *text = write_frames (PT_FRAME_FORMAT_CSV, DEFAULT_FIELDS, frames, 2, NULL);

  g_assert_cmpstr (text, ==,
                   "time,frequency,midi,note,cents,confidence,voiced,rms_dbfs,peak_dbfs,level\n"
                   "1.2373,440.02,69.0008,A4,0.08,0.97,true,-12.3,-6.0,optimal\n"
                   "0.0250,,,,,0.00,false,-120.0,-120.0,optimal\n");
}

/* The columns other trackers write, in the order asked, in both formats. */
static void
test_chosen_fields (void)
{
  PtFrameField fields[PT_FRAME_MAX_FIELDS];
  PtPitchFrame frame = voiced_frame ();
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL, *json = NULL;
  guint n;

  g_assert_true (pt_frame_fields_parse ("time,frequency,confidence", fields, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  csv = write_frames (PT_FRAME_FORMAT_CSV, fields, n, &frame, 1, NULL);
  g_assert_cmpstr (csv, ==, "time,frequency,confidence\n1.2373,440.02,0.97\n");

  g_assert_true (pt_frame_fields_parse ("level,file,time", fields, &n, &error));
  json = write_frames (PT_FRAME_FORMAT_JSONL, fields, n, &frame, 1, "take 1.wav");
  g_assert_cmpstr (json, ==, "{\"level\":\"optimal\",\"file\":\"take 1.wav\",\"time\":1.2373}\n");
}

static void
test_bad_field_lists (void)
{
  static const char * const lists[] = {
    "", ",", "time,", "time,,frequency", "frequency,time,frequency", "Time", "pitch",
    "time, frequency",
  };

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      PtFrameField fields[PT_FRAME_MAX_FIELDS];
      g_autoptr(GError) error = NULL;
      guint n = 99;

      g_test_message ("list '%s'", lists[i]);
      g_assert_false (pt_frame_fields_parse (lists[i], fields, &n, &error));
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
    }
}

/* Every field name parses back to its field; the default list is all but "file". */
static void
test_field_names_round_trip (void)
{
  g_autoptr(GString) all = g_string_new (NULL);
  PtFrameField fields[PT_FRAME_MAX_FIELDS];
  guint n;

  for (guint i = 0; i < PT_FRAME_N_FIELDS; i++)
    g_string_append_printf (all, "%s%s", i > 0 ? "," : "", pt_frame_field_to_string (i));
  g_assert_true (pt_frame_fields_parse (all->str, fields, &n, NULL));
  g_assert_cmpuint (n, ==, PT_FRAME_N_FIELDS);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (fields[i], ==, i);
  for (guint i = 0; i < G_N_ELEMENTS (pt_frame_default_fields); i++)
    g_assert_cmpint (pt_frame_default_fields[i], !=, PT_FRAME_FIELD_FILE);
}

/* inf and nan have no JSON spelling: null, or an empty CSV cell; and the
 * line still parses. */
static void
test_non_finite_values (void)
{
  PtPitchFrame frame = voiced_frame ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL, *csv = NULL;
  JsonObject *object;

  frame.rms_dbfs = -INFINITY;
  frame.peak_dbfs = INFINITY;
  frame.note.cents = NAN;
  json = write_frames (PT_FRAME_FORMAT_JSONL, DEFAULT_FIELDS, &frame, 1, NULL);
  g_assert_null (strstr (json, "inf"));
  g_assert_null (strstr (json, "nan"));
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_null_member (object, "rms_dbfs"));
  g_assert_true (json_object_get_null_member (object, "peak_dbfs"));
  g_assert_true (json_object_get_null_member (object, "cents"));
  g_assert_cmpfloat (json_object_get_double_member (object, "frequency"), ==, 440.02);

  csv = write_frames (PT_FRAME_FORMAT_CSV, DEFAULT_FIELDS, &frame, 1, NULL);
  g_assert_true (g_str_has_suffix (csv, "\n1.2373,440.02,69.0008,A4,,0.97,true,,,optimal\n"));
}

/* Numbers read as printf ("%.Nf") writes them, over values that round
 * every way (ties, near ties, large, negative), but never "-0.00". */
static void
test_number_spelling (void)
{
  static const PtFrameField cents_only[] = { PT_FRAME_FIELD_CENTS };
  g_autoptr(GRand) rand = g_rand_new_with_seed (14);
  PtPitchFrame frame = voiced_frame ();

  for (guint i = 0; i < 20000; i++)
    {
      g_autofree char *text = NULL, *expected = NULL;
      double value;

      if (i < 4)
        value = (double[]) { -0.004, -0.0, 0.125, 2.5e9 }[i];
      else if (i % 3 == 0)
        value = g_rand_int_range (rand, -100000, 100000) / 1000.0 + 0.005;   /* near ties */
      else
        value = g_rand_double_range (rand, -2e9, 2e9) / pow (10.0, g_rand_int_range (rand, 0, 9));

      frame.note.cents = value;
      text = write_frames (PT_FRAME_FORMAT_CSV, cents_only, 1, &frame, 1, NULL);
      expected = g_strdup_printf ("cents\n%.2f\n", value);
      if (g_str_has_prefix (expected, "cents\n-") && strspn (expected + 7, "0.") == 4)
        memmove (expected + 6, expected + 7, strlen (expected + 7) + 1);
      g_assert_cmpstr (text, ==, expected);
    }
}

/* A file name with quotes, a comma, a backslash, a control character and
 * invalid UTF-8 stays one valid JSON string and one CSV cell. */
static void
test_file_names_quoted (void)
{
  static const PtFrameField fields[] = { PT_FRAME_FIELD_FILE, PT_FRAME_FIELD_VOICED };
  const char *name = "a \"b\", c\\d\te\xff.wav";
  PtPitchFrame frame = voiced_frame ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = write_frames (PT_FRAME_FORMAT_JSONL, fields, 2, &frame, 1, name);
  g_autofree char *csv = write_frames (PT_FRAME_FORMAT_CSV, fields, 2, &frame, 1, name);
  JsonObject *object;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "file"), ==,
                   "a \"b\", c\\d\te\xef\xbf\xbd.wav");
  g_assert_cmpstr (csv, ==, "file,voiced\n\"a \"\"b\"\", c\\d\te\xff.wav\",true\n");
}

/* Output goes out in whole lines, 64 KiB at a time: nothing before. */
static void
test_buffered_whole_lines (void)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(PtFrameWriter) writer = pt_frame_writer_new (PT_FRAME_FORMAT_JSONL, DEFAULT_FIELDS,
                                                         stream);
  GMemoryOutputStream *memory = G_MEMORY_OUTPUT_STREAM (stream);
  PtPitchFrame frame = voiced_frame ();
  gsize line_length = 0;

  for (guint i = 0; i < 2000; i++)
    {
      gsize written;

      g_assert_true (pt_frame_writer_write_frame (writer, &frame, PT_LEVEL_LOUD, NULL));
      written = g_memory_output_stream_get_data_size (memory);
      if (line_length == 0 && written > 0)
        line_length = written / (i + 1);
      g_assert_cmpuint (written, <=, (i + 1) * 200);
      if (written > 0)
        {
          const char *data = g_memory_output_stream_get_data (memory);

          g_assert_cmpint (data[written - 1], ==, '\n');
          g_assert_cmpuint (written % line_length, ==, 0);
        }
    }
  g_assert_cmpuint (line_length, >, 0);
  g_assert_true (pt_frame_writer_flush (writer, NULL));
  g_assert_cmpuint (g_memory_output_stream_get_data_size (memory), ==, 2000 * line_length);
}

/* A stream that refuses: the writer says so, writes nothing more, and the
 * flush hands back the stream's error. */
static void
test_write_error_reported (void)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(PtFrameWriter) writer = pt_frame_writer_new (PT_FRAME_FORMAT_CSV, DEFAULT_FIELDS,
                                                         stream);
  g_autoptr(GError) error = NULL;
  PtPitchFrame frame = voiced_frame ();
  gboolean ok = TRUE;

  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  g_assert_true (pt_frame_writer_write_header (writer));   /* buffered yet */
  for (guint i = 0; i < 2000 && ok; i++)
    ok = pt_frame_writer_write_frame (writer, &frame, PT_LEVEL_LOUD, NULL);
  g_assert_false (ok);
  g_assert_false (pt_frame_writer_write_frame (writer, &frame, PT_LEVEL_LOUD, NULL));
  g_assert_false (pt_frame_writer_flush (writer, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_false (pt_frame_writer_flush (writer, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pitch-toy/frame-writer/json-default-fields", test_json_default_fields);
  g_test_add_func ("/pitch-toy/frame-writer/csv-default-fields", test_csv_default_fields);
  g_test_add_func ("/pitch-toy/frame-writer/chosen-fields", test_chosen_fields);
  g_test_add_func ("/pitch-toy/frame-writer/bad-field-lists", test_bad_field_lists);
  g_test_add_func ("/pitch-toy/frame-writer/field-names-round-trip", test_field_names_round_trip);
  g_test_add_func ("/pitch-toy/frame-writer/non-finite-values", test_non_finite_values);
  g_test_add_func ("/pitch-toy/frame-writer/number-spelling", test_number_spelling);
  g_test_add_func ("/pitch-toy/frame-writer/file-names-quoted", test_file_names_quoted);
  g_test_add_func ("/pitch-toy/frame-writer/buffered-whole-lines", test_buffered_whole_lines);
  g_test_add_func ("/pitch-toy/frame-writer/write-error-reported", test_write_error_reported);

  return g_test_run ();
}
