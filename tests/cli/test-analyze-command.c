/* test-analyze-command.c — runs the built `pitch-toy --analyze` on files the
 * test writes: the expected notes in JSON and CSV, any channel count and
 * rate, and bad files and options giving their exit status, one line on
 * stderr and nothing on stdout.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sndfile.h>

#include "pt-test-util.h"

typedef struct
{
  char *dir;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

static const char *
pitch_toy_path (void)
{
  static char *path;

  if (path == NULL)
    {
      const char *explicit_path = g_getenv ("PT_TEST_PITCH_TOY");
      const char *builddir = g_getenv ("PT_TEST_BUILDDIR");

      if (explicit_path != NULL && *explicit_path != '\0')
        path = g_strdup (explicit_path);
      else if (builddir != NULL)
        path = g_build_filename (builddir, "..", "src", "pitch-toy", NULL);
      else
        g_error ("Set PT_TEST_BUILDDIR or PT_TEST_PITCH_TOY: run this test through `meson test`");
    }
  return path;
}

/* Runs pitch-toy with @args (NULL-terminated, after the program name),
 * standard input from @stdin_path if not NULL. */
static void
run_pitch_toy_with_input (Result             *result,
                          const char * const *args,
                          const char         *stdin_path)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) pitch_toy_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                       | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (stdin_path != NULL)
    g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
}

static void
run_pitch_toy (Result             *result,
               const char * const *args)
{
  run_pitch_toy_with_input (result, args, NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("pt-analyze-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

typedef struct
{
  const char *name;
  double      frequency;
} Note;

/* Each note lasts NOTE_S; scoring skips EDGE_S after each boundary. */
#define NOTE_S 0.5
#define EDGE_S 0.1

static const Note melody[] = {
  { "A3", 220.0 },
  { "C5", 523.2511 },
  { "E2", 82.4069 },
  { "F#4", 369.9944 },
  { NULL, 0.0 },        /* silence */
};

static float *
render_melody (int    rate,
               int    channels,
               gsize *n_frames)
{
  gsize per_note = (gsize) (NOTE_S * rate);
  gsize n = per_note * G_N_ELEMENTS (melody);
  float *samples = g_new0 (float, n * channels);

  for (guint k = 0; k < G_N_ELEMENTS (melody); k++)
    for (gsize i = 0; i < per_note && melody[k].frequency > 0.0; i++)
      {
        double t = (double) i / rate;
        /* A touch of second harmonic, as real tones have. */
        double x = 0.25 * sin (2.0 * G_PI * melody[k].frequency * t)
                 + 0.08 * sin (4.0 * G_PI * melody[k].frequency * t);

        for (int c = 0; c < channels; c++)
          samples[(k * per_note + i) * channels + c] = (float) (c == 0 ? x : 0.5 * x);
      }
  *n_frames = n;
  return samples;
}

static void
write_sndfile (const char  *path,
               const float *samples,
               gsize        n_frames,
               int          rate,
               int          channels,
               int          format)
{
  SF_INFO info = { .samplerate = rate, .channels = channels, .format = format };
  SNDFILE *file = sf_open (path, SFM_WRITE, &info);

  g_assert_nonnull (file);
  g_assert_cmpint (sf_writef_float (file, samples, n_frames), ==, n_frames);
  g_assert_cmpint (sf_close (file), ==, 0);
}

static const Note *
note_at (double time)
{
  guint k = (guint) (time / NOTE_S);
  double offset = time - k * NOTE_S;

  if (k >= G_N_ELEMENTS (melody) || offset < EDGE_S || offset > NOTE_S - EDGE_S)
    return NULL;
  return &melody[k];
}

/* Per note: how many scored frames there were and how many named it. */
typedef struct
{
  guint scored[G_N_ELEMENTS (melody)];
  guint right[G_N_ELEMENTS (melody)];
  guint lines;
} Score;

static void
score_frame (Score      *score,
             double      time,
             const char *note_name,
             gboolean    voiced)
{
  const Note *expected = note_at (time);
  guint k;

  score->lines++;
  if (expected == NULL)
    return;
  k = expected - melody;
  score->scored[k]++;
  if (expected->name == NULL ? !voiced : voiced && g_strcmp0 (note_name, expected->name) == 0)
    score->right[k]++;
}

static void
assert_score (const Score *score,
              double       duration)
{
  for (guint k = 0; k < G_N_ELEMENTS (melody); k++)
    {
      g_test_message ("%s: %u of %u frames right", melody[k].name ? melody[k].name : "silence",
                      score->right[k], score->scored[k]);
      g_assert_cmpuint (score->scored[k], >, 20);
      g_assert_cmpuint (score->right[k], >=, score->scored[k] * 98 / 100);
    }
  /* One frame a hop, but none before the first half window is in. */
  g_assert_cmpuint (score->lines, <=, duration * 48000 / 256 + 1);
  g_assert_cmpuint (score->lines, >=, duration * 44100 / 256 - 20);
}

static void
check_json_line (Score      *score,
                 const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  static const char * const fields[] = {
    "time", "frequency", "midi", "note", "cents", "confidence", "voiced",
    "rms_dbfs", "peak_dbfs", "level",
  };
  JsonObject *object;
  GList *members;
  gboolean voiced;
  guint i = 0;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));

  /* Exactly these fields, in this order. */
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, fields[i]);
  g_list_free (members);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (fields));

  voiced = json_object_get_boolean_member (object, "voiced");
  if (voiced)
    {
      g_assert_cmpfloat (json_object_get_double_member (object, "frequency"), >, 0.0);
      g_assert_cmpfloat (fabs (json_object_get_double_member (object, "cents")), <=, 60.0);
    }
  else
    {
      g_assert_true (json_object_get_null_member (object, "frequency"));
      g_assert_true (json_object_get_null_member (object, "note"));
      g_assert_true (json_object_get_null_member (object, "midi"));
      g_assert_true (json_object_get_null_member (object, "cents"));
    }
  score_frame (score, json_object_get_double_member (object, "time"),
               voiced ? json_object_get_string_member (object, "note") : NULL, voiced);

  /* A note with amplitude 0.25 + 0.08: RMS about -14.6 dBFS, optimal. */
  if (note_at (json_object_get_double_member (object, "time")) != NULL
      && voiced)
    {
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "rms_dbfs"),
                                      20.0 * log10 (sqrt ((0.25 * 0.25 + 0.08 * 0.08) / 2.0)),
                                      0.5);
      g_assert_cmpstr (json_object_get_string_member (object, "level"), ==, "optimal");
    }
}

static void
test_json_notes (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "melody.wav", NULL);
  g_autofree float *samples = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  Result result = { 0 };
  Score score = { 0 };
  gsize n;

  samples = render_melody (48000, 1, &n);
  pt_test_write_wav (path, samples, n, 48000, &error);
  g_assert_no_error (error);

  run_pitch_toy (&result, (const char * const []) { "--analyze", path, NULL });
  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_suffix (result.out, "\n"));

  lines = g_strsplit (result.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    check_json_line (&score, lines[i]);
  assert_score (&score, (double) n / 48000);
  result_clear (&result);
}

/* "-" reads a WAV from standard input, with the same frames as the file. */
static void
test_stdin (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "melody.wav", NULL);
  g_autofree float *samples = NULL;
  g_autoptr(GError) error = NULL;
  Result from_file = { 0 }, from_stdin = { 0 };
  gsize n;

  samples = render_melody (48000, 1, &n);
  pt_test_write_wav (path, samples, n, 48000, &error);
  g_assert_no_error (error);

  run_pitch_toy (&from_file, (const char * const []) { "--analyze", path, NULL });
  run_pitch_toy_with_input (&from_stdin, (const char * const []) { "--analyze", "-", NULL },
                            path);
  g_assert_cmpint (from_stdin.status, ==, 0);
  g_assert_cmpstr (from_stdin.err, ==, "");
  g_assert_cmpstr (from_stdin.out, ==, from_file.out);
  result_clear (&from_file);
  result_clear (&from_stdin);
}

/* Stereo at 44.1 kHz as FLAC, downmixed, printed as CSV. */
static void
test_csv_stereo_flac (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "melody.flac", NULL);
  g_autofree float *samples = NULL;
  g_auto(GStrv) lines = NULL;
  Result result = { 0 };
  Score score = { 0 };
  gsize n;

  samples = render_melody (44100, 2, &n);
  write_sndfile (path, samples, n, 44100, 2, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);

  run_pitch_toy (&result, (const char * const []) {
    "--analyze", path, "--format", "csv", "--reference", "440", NULL });
  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);

  lines = g_strsplit (result.out, "\n", -1);
  g_assert_cmpstr (lines[0], ==,
                   "time,frequency,midi,note,cents,confidence,voiced,rms_dbfs,peak_dbfs,level");
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, 10);
      score_frame (&score, g_ascii_strtod (fields[0], NULL), fields[3],
                   g_strcmp0 (fields[6], "true") == 0);
    }
  assert_score (&score, (double) n / 44100);
  result_clear (&result);
}

static void
assert_csv_note (const char *line,
                 const char *note,
                 double      cents)
{
  g_auto(GStrv) fields = g_strsplit (line, ",", -1);

  g_assert_cmpuint (g_strv_length (fields), ==, 10);
  g_assert_cmpstr (fields[3], ==, note);
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (fields[4], NULL), cents, 0.2);
}

/* A4 = 432 moves the 220 Hz note up; just intonation on D changes its cents. */
static void
test_reference_and_tuning (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "a.wav", NULL);
  g_autofree float *samples = g_new (float, 24000);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  Result result = { 0 };

  pt_test_fill_sine (samples, 24000, 48000, 440.0, 0.3, 0.0);
  pt_test_write_wav (path, samples, 24000, 48000, &error);
  g_assert_no_error (error);

  run_pitch_toy (&result, (const char * const []) {
    "--analyze", path, "--reference", "432", "--format", "csv", NULL });
  g_assert_cmpint (result.status, ==, 0);
  lines = g_strsplit (result.out, "\n", -1);
  g_assert_nonnull (lines[40]);
  /* 440 Hz against A4 = 432: +31.8 cents off A4. */
  assert_csv_note (lines[40], "A4", 1200.0 * log2 (440.0 / 432.0));
  result_clear (&result);
  g_clear_pointer (&lines, g_strfreev);

  /* Just intonation on F: A is the major third, 5/4 of F, 13.7 cents below
   * the equal-tempered A, so 440 Hz reads +13.7 cents off it. */
  run_pitch_toy (&result, (const char * const []) {
    "--analyze", path, "--tuning", "just", "--tonic", "F", "--format", "csv", NULL });
  g_assert_cmpint (result.status, ==, 0);
  lines = g_strsplit (result.out, "\n", -1);
  g_assert_nonnull (lines[40]);
  g_test_message ("just on F: %s", lines[40]);
  assert_csv_note (lines[40], "A4", 1200.0 * log2 (440.0 / (440.0 * pow (2.0, -4.0 / 12.0) * 1.25)));
  result_clear (&result);
}

typedef enum
{
  BAD_MISSING,
  BAD_EMPTY,
  BAD_TRUNCATED,
  BAD_TEXT,
} BadFile;

typedef struct
{
  const char *name;
  BadFile     kind;
  const char *reason;   /* a word the message must have */
} BadFileCase;

static const BadFileCase bad_files[] = {
  { "missing", BAD_MISSING, "No such file" },
  { "empty", BAD_EMPTY, "empty" },
  { "truncated-wav", BAD_TRUNCATED, "truncated" },
  { "text", BAD_TEXT, "not an audio file" },
};

static void
test_bad_file (Fixture       *fixture,
               gconstpointer  data)
{
  const BadFileCase *c = data;
  g_autofree char *path = g_build_filename (fixture->dir, "bad.wav", NULL);
  g_autoptr(GError) error = NULL;
  Result result = { 0 };

  switch (c->kind)
    {
    case BAD_MISSING:
      break;
    case BAD_EMPTY:
      g_file_set_contents (path, "", 0, &error);
      break;
    case BAD_TRUNCATED:
      {
        g_autofree float *samples = g_new (float, 48000);
        g_autofree char *contents = NULL;
        gsize length;

        pt_test_fill_sine (samples, 48000, 48000, 440.0, 0.3, 0.0);
        pt_test_write_wav (path, samples, 48000, 48000, &error);
        g_assert_no_error (error);
        g_file_get_contents (path, &contents, &length, &error);
        g_assert_no_error (error);
        g_file_set_contents (path, contents, length / 3, &error);
      }
      break;
    case BAD_TEXT:
      g_file_set_contents (path, "This is not audio.\nJust text.\n", -1, &error);
      break;
    default:
      g_assert_not_reached ();
    }
  g_assert_no_error (error);

  run_pitch_toy (&result, (const char * const []) { "--analyze", path, NULL });
  g_test_message ("stderr: %s", result.err);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_nonnull (strstr (result.err, path));
  g_assert_nonnull (strstr (result.err, c->reason));
  g_assert_true (g_str_has_suffix (result.err, "\n"));
  /* One line. */
  g_assert_true (strchr (result.err, '\n') + 1 == result.err + strlen (result.err));
  result_clear (&result);
}

static void
test_bad_options (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const cases[][4] = {
    { "--analyze", "x.wav", "--hop", "0" },
    { "--analyze", "x.wav", "--tuning", "pythagorean" },
    { "--analyze", "x.wav", "--format", "xml" },
    { "--analyze", "x.wav", "--tonic", "H#" },
    { "--analyze", "x.wav", "--no-such-option", NULL },
    { "--analyze", "x.wav", "--reference", "300" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[5] = { cases[i][0], cases[i][1], cases[i][2], cases[i][3], NULL };
      Result result = { 0 };

      run_pitch_toy (&result, args);
      g_assert_cmpint (result.status, ==, 1);
      g_assert_cmpstr (result.out, ==, "");
      g_assert_nonnull (strstr (result.err, "--help"));
      result_clear (&result);
    }
}

static void
test_version_and_help (Fixture       *fixture,
                       gconstpointer  data)
{
  Result result = { 0 };

  run_pitch_toy (&result, (const char * const []) { "--analyze", "x.wav", "--version", NULL });
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, "pitch-toy " PACKAGE_VERSION "\n");
  result_clear (&result);

  run_pitch_toy (&result, (const char * const []) { "--analyze", "x.wav", "--help", NULL });
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "--min-freq"));
  g_assert_nonnull (strstr (result.out, "--format"));
  result_clear (&result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/pitch-toy/analyze-command/" path, Fixture, NULL, \
              fixture_set_up, func, fixture_tear_down)

  ADD ("json-notes", test_json_notes);
  ADD ("csv-stereo-flac", test_csv_stereo_flac);
  ADD ("stdin", test_stdin);
  ADD ("reference-and-tuning", test_reference_and_tuning);
  ADD ("bad-options", test_bad_options);
  ADD ("version-and-help", test_version_and_help);
  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pitch-toy/analyze-command/bad-file/%s",
                                               bad_files[i].name);

      g_test_add (path, Fixture, &bad_files[i], fixture_set_up, test_bad_file,
                  fixture_tear_down);
    }
#undef ADD

  return g_test_run ();
}
