/* test-analyze-command.c — runs the built `pitch-toy --analyze` on files the
 * test writes: the expected notes in JSON and CSV, any channel count and
 * rate, and bad files and options giving their exit status, one line on
 * stderr and nothing on stdout.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <pty.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sndfile.h>

#include "pt-test-util.h"

typedef struct
{
  char *dir;
} Fixture;

static void
run_pitch_toy (PtTestRun          *result,
               const char * const *args)
{
  pt_test_run_pitch_toy (result, args, NULL);
}

/* @bytes (or NULL) as a string: "" when empty. */
static char *
bytes_to_string (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  return size > 0 ? g_strndup (data, size) : g_strdup ("");
}

/* Runs pitch-toy with @args, @input (or nothing) written to its standard
 * input through a pipe (so it is a stream, not a file), @stdout_path (or a
 * pipe) as its standard output. */
static void
run_pitch_toy_piped (PtTestRun          *result,
                     const char * const *args,
                     GBytes             *input,
                     const char         *stdout_path)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) out = NULL, err = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) pt_test_pitch_toy_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new ((input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0)
                                       | (stdout_path == NULL ? G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                              : 0)
                                       | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (stdout_path != NULL)
    g_subprocess_launcher_set_stdout_file_path (launcher, stdout_path);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, input, NULL, stdout_path == NULL ? &out : NULL, &err,
                            &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
  result->out = bytes_to_string (out);
  result->err = bytes_to_string (err);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("pt-analyze-XXXXXX", &error);
  g_assert_no_error (error);
}

/* Removes @path and, when it is a directory (not a link to one), all in it. */
static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_remove (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
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
  PtTestRun result = { 0 };
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
  pt_test_run_clear (&result);
}

/* "-" reads a WAV from standard input, with the same frames as the file. */
static void
test_stdin (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "melody.wav", NULL);
  g_autofree float *samples = NULL;
  g_autoptr(GError) error = NULL;
  PtTestRun from_file = { 0 }, from_stdin = { 0 };
  gsize n;

  samples = render_melody (48000, 1, &n);
  pt_test_write_wav (path, samples, n, 48000, &error);
  g_assert_no_error (error);

  run_pitch_toy (&from_file, (const char * const []) { "--analyze", path, NULL });
  pt_test_run_pitch_toy (&from_stdin, (const char * const []) { "--analyze", "-", NULL },
                            path);
  g_assert_cmpint (from_stdin.status, ==, 0);
  g_assert_cmpstr (from_stdin.err, ==, "");
  g_assert_cmpstr (from_stdin.out, ==, from_file.out);
  pt_test_run_clear (&from_file);
  pt_test_run_clear (&from_stdin);
}

/* Stereo at 44.1 kHz as FLAC, downmixed, printed as CSV. */
static void
test_csv_stereo_flac (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "melody.flac", NULL);
  g_autofree float *samples = NULL;
  g_auto(GStrv) lines = NULL;
  PtTestRun result = { 0 };
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
  pt_test_run_clear (&result);
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
  PtTestRun result = { 0 };

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
  pt_test_run_clear (&result);
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
  pt_test_run_clear (&result);
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
  PtTestRun result = { 0 };

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
  pt_test_run_clear (&result);

  /* Not even a CSV header, with one thread or several. */
  run_pitch_toy (&result, (const char * const []) { "--analyze", path, "--format", "csv", NULL });
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.out, ==, "");
  pt_test_run_clear (&result);
  run_pitch_toy (&result, (const char * const []) {
    "--analyze", path, path, "--format", "csv", "--jobs", "2", NULL });
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.out, ==, "");
  pt_test_run_clear (&result);
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
      PtTestRun result = { 0 };

      run_pitch_toy (&result, args);
      g_assert_cmpint (result.status, ==, 1);
      g_assert_cmpstr (result.out, ==, "");
      g_assert_nonnull (strstr (result.err, "--help"));
      pt_test_run_clear (&result);
    }
}

/* The manual page documents every option @help lists. */
static void
assert_man_page_has_options (const char *man,
                             const char *help)
{
  g_autoptr(GRegex) regex = g_regex_new ("--[a-z][a-z-]*", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint n_options = 0;

  for (g_regex_match (regex, help, 0, &match); g_match_info_matches (match);
       g_match_info_next (match, NULL), n_options++)
    {
      g_autofree char *option = g_match_info_fetch (match, 0);
      /* As roff writes it: "\\-\\-min-freq". */
      g_autofree char *in_roff = g_strconcat ("\\-\\-", option + 2, NULL);

      if (g_str_has_prefix (option, "--help-"))
        continue;   /* GOption's own */
      g_test_message ("%s", option);
      g_assert_nonnull (strstr (man, in_roff));
    }
  g_assert_cmpuint (n_options, >, 8);
}

/* The manual page has every option of --analyze, --headless and
 * --list-devices, and the exit statuses --help gives. */
static void
test_man_page (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *man_path = g_build_filename (g_getenv ("PT_TEST_SRCDIR"), "..", "data",
                                                "pitch-toy.1.in", NULL);
  g_autofree char *man = NULL;
  g_autoptr(GError) error = NULL;
  PtTestRun analyze = { 0 }, headless = { 0 };

  g_file_get_contents (man_path, &man, NULL, &error);
  g_assert_no_error (error);
  run_pitch_toy (&analyze, (const char * const []) { "--analyze", "x.wav", "--help", NULL });
  g_assert_cmpint (analyze.status, ==, 0);
  assert_man_page_has_options (man, analyze.out);
  run_pitch_toy (&headless, (const char * const []) { "--headless", "--help", NULL });
  g_assert_cmpint (headless.status, ==, 0);
  assert_man_page_has_options (man, headless.out);

  g_assert_nonnull (strstr (man, ".SH EXIT STATUS"));
  g_assert_nonnull (strstr (analyze.out, "3 the output could not be written"));
  g_assert_nonnull (strstr (man, ".B 3\nThe output could not be written."));
  pt_test_run_clear (&analyze);
  pt_test_run_clear (&headless);
}

static void
test_version_and_help (Fixture       *fixture,
                       gconstpointer  data)
{
  PtTestRun result = { 0 };

  run_pitch_toy (&result, (const char * const []) { "--analyze", "x.wav", "--version", NULL });
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, "pitch-toy " PACKAGE_VERSION "\n");
  pt_test_run_clear (&result);

  run_pitch_toy (&result, (const char * const []) { "--analyze", "x.wav", "--help", NULL });
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "--min-freq"));
  g_assert_nonnull (strstr (result.out, "--format"));
  pt_test_run_clear (&result);
}

/* A 16-bit mono WAV of @samples whose header claims @claimed data bytes
 * (G_MAXUINT32 + 1, i.e. any negative value: the true size). */
static GBytes *
wav_bytes (const float *samples,
           gsize        n,
           int          rate,
           gint64       claimed)
{
  GByteArray *bytes = g_byte_array_new ();
  guint32 data_size = claimed < 0 ? (guint32) (2 * n) : (guint32) claimed;
  guint32 riff_size = 36 + data_size;
  guint32 u32;
  guint16 u16;

#define PUT32(v) (u32 = GUINT32_TO_LE (v), g_byte_array_append (bytes, (guint8 *) &u32, 4))
#define PUT16(v) (u16 = GUINT16_TO_LE (v), g_byte_array_append (bytes, (guint8 *) &u16, 2))
  g_byte_array_append (bytes, (const guint8 *) "RIFF", 4);
  PUT32 (riff_size);
  g_byte_array_append (bytes, (const guint8 *) "WAVEfmt ", 8);
  PUT32 (16);
  PUT16 (1);
  PUT16 (1);
  PUT32 (rate);
  PUT32 (rate * 2);
  PUT16 (2);
  PUT16 (16);
  g_byte_array_append (bytes, (const guint8 *) "data", 4);
  PUT32 (data_size);
  for (gsize i = 0; i < n; i++)
    PUT16 ((guint16) (gint16) lrint (CLAMP (samples[i], -1.0f, 1.0f) * 32767.0));
#undef PUT32
#undef PUT16
  return g_byte_array_free_to_bytes (bytes);
}

static GBytes *
tone_wav_bytes (int    rate,
                double seconds,
                double frequency,
                gint64 claimed)
{
  gsize n = (gsize) (rate * seconds);
  g_autofree float *samples = g_new (float, n);

  pt_test_fill_sine (samples, n, rate, frequency, 0.3, 0.0);
  return wav_bytes (samples, n, rate, claimed);
}

/* A float WAV of a sine at @path. */
static void
write_tone (const char *path,
            int         rate,
            double      seconds,
            double      frequency)
{
  gsize n = (gsize) (rate * seconds);
  g_autofree float *samples = g_new (float, n);
  g_autoptr(GError) error = NULL;

  pt_test_fill_sine (samples, n, rate, frequency, 0.3, 0.0);
  pt_test_write_wav (path, samples, n, rate, &error);
  g_assert_no_error (error);
}

static void
write_bytes (const char *path,
             GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
}

/* @err is one line holding @word. */
static void
assert_one_line_with (const char *err,
                      const char *word)
{
  g_test_message ("stderr: %s", err);
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') + 1 == err + strlen (err));
  g_assert_nonnull (strstr (err, word));
}

/* Every line of @out is a whole JSON object; returns how many. */
static guint
count_json_lines (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  guint n = 0;

  g_assert_true (*out == '\0' || g_str_has_suffix (out, "\n"));
  for (; lines[n] != NULL && *lines[n] != '\0'; n++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      json_parser_load_from_data (parser, lines[n], -1, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
    }
  return n;
}

/* Defect 1: a range whose window YIN refuses is refused, exit 1, instead
 * of criticals, uninitialised reads and "silent" frames. */
static void
test_range_without_estimator (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "tone.wav", NULL);
  PtTestRun result = { 0 };

  write_tone (path, 48000, 0.5, 10500.0);
  run_pitch_toy (&result, (const char * const []) {
    "--analyze", path, "--min-freq", "10000", "--max-freq", "11000", NULL });
  g_assert_cmpint (result.status, ==, 1);
  g_assert_cmpstr (result.out, ==, "");
  assert_one_line_with (result.err, "10000 Hz");
  g_assert_null (strstr (result.err, "CRITICAL"));
  pt_test_run_clear (&result);
}

/* A running process's peak resident set, from its own VmHWM. */
static long
high_water_kib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return strtol (line + strlen ("VmHWM:"), NULL, 10);
}

/* Streams @seconds of a 48 kHz tone through a pipe into `--analyze -`,
 * written block by block as a recorder would (placeholder sizes in the
 * header); returns the child's peak RSS in KiB. */
static long
stream_peak_rss_kib (double seconds)
{
  const char *argv[] = { pt_test_pitch_toy_path (), "--analyze", "-", NULL };
  g_autofree float *block = g_new (float, 48000);
  g_autoptr(GBytes) header = tone_wav_bytes (48000, 0.0, 440.0, 0x7ffff000);
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GError) error = NULL;
  int null_fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  int stdin_fd = -1, status;
  long peak_kib;
  GPid pid;

  pt_test_fill_sine (block, 48000, 48000, 440.0, 0.3, 0.0);
  second = wav_bytes (block, 48000, 48000, 0);
  g_spawn_async_with_pipes_and_fds (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                    -1, null_fd, null_fd, NULL, NULL, 0, &pid, &stdin_fd,
                                    NULL, NULL, &error);
  g_assert_no_error (error);
  close (null_fd);
  g_assert_true (write (stdin_fd, g_bytes_get_data (header, NULL), 44) == 44);
  for (double t = 0.0; t < seconds; t += 1.0)
    {
      const guint8 *pcm = (const guint8 *) g_bytes_get_data (second, NULL) + 44;
      gsize left = 2 * 48000;

      while (left > 0)
        {
          gssize n = write (stdin_fd, pcm, left);

          g_assert_cmpint (n, >, 0);
          pcm += n;
          left -= n;
        }
    }
  /* The child has read all but a pipe's worth: its high-water mark now is
   * its peak. Not ru_maxrss, which starts at ours, the forked parent's. */
  peak_kib = high_water_kib (pid);
  close (stdin_fd);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  return peak_kib;
}

/* Defect 2: memory does not grow with the input. Ten times the audio
 * (20 s against 200 s, 38 MB of samples as floats) costs no more than a
 * couple of megabytes of RSS. */
static void
test_memory_flat (Fixture       *fixture,
                  gconstpointer  data)
{
  long short_kib, long_kib;

  if (pt_test_is_instrumented ())
    {
      g_test_skip ("under valgrind or a sanitizer, RSS says nothing");
      return;
    }
  short_kib = stream_peak_rss_kib (20.0);
  long_kib = stream_peak_rss_kib (200.0);
  g_test_message ("peak RSS: %ld KiB for 20 s, %ld KiB for 200 s", short_kib, long_kib);
  g_assert_cmpint (long_kib - short_kib, <, 3 * 1024);
}

/* Defect 3: finite samples near the float limit give finite levels (valid
 * JSON), loud ones, not "inf" and not "silent". */
static void
test_huge_samples (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "huge.wav", NULL);
  g_autofree float *samples = g_new (float, 24000);
  g_autoptr(GError) error = NULL;
  PtTestRun result = { 0 };

  for (guint i = 0; i < 24000; i++)
    samples[i] = (i / 55) % 2 == 0 ? 3e38f : -3e38f;
  pt_test_write_wav (path, samples, 24000, 48000, &error);
  g_assert_no_error (error);

  run_pitch_toy (&result, (const char * const []) { "--analyze", path, NULL });
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpuint (count_json_lines (result.out), >, 50);
  g_assert_null (strstr (result.out, "inf"));
  g_assert_null (strstr (result.out, "silent"));
  g_assert_null (strstr (result.out, "\"rms_dbfs\":null"));
  g_assert_nonnull (strstr (result.out, "\"level\":\"clipping\""));
  pt_test_run_clear (&result);
}

typedef enum
{
  THROUGH_FILE,
  THROUGH_PIPE,   /* standard input */
  THROUGH_FIFO,   /* a named pipe given as the FILE */
} Through;

typedef struct
{
  const char *name;
  gint64      claimed;    /* data bytes the header claims; -1: the truth */
  double      keep;       /* of the bytes, the fraction written */
  Through     through;
  int         status;
} StreamCase;

static const StreamCase stream_cases[] = {
  { "truncated-piped", -1, 0.4, THROUGH_PIPE, 2 },
  { "truncated-fifo", -1, 0.4, THROUGH_FIFO, 2 },
  { "claims-2-gib-file", 0x80000000, 1.0, THROUGH_FILE, 2 },
  { "claims-2-gib-piped", 0x80000000, 1.0, THROUGH_PIPE, 2 },
  { "claims-3-gib-piped", 0xc0000000, 1.0, THROUGH_PIPE, 2 },
  { "sox-placeholder-piped", 0x7ffff000, 1.0, THROUGH_PIPE, 0 },
  { "near-4-gib-placeholder-piped", 0xffffffff, 1.0, THROUGH_PIPE, 0 },
  { "complete-piped", -1, 1.0, THROUGH_PIPE, 0 },
  { "complete-fifo", -1, 1.0, THROUGH_FIFO, 0 },
};

/* Runs `--analyze FIFO` with @bytes written into the named pipe. */
static void
run_through_fifo (PtTestRun  *result,
                  const char *fifo,
                  GBytes     *bytes)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  int fd;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, pt_test_pitch_toy_path (), "--analyze", fifo, NULL);
  g_assert_no_error (error);
  /* Opens once pitch-toy opens its end; its output (under 64 KiB) waits
   * in the pipe until all is written. */
  fd = open (fifo, O_WRONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, data, size), ==, size);
  close (fd);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  result->status = g_subprocess_get_exit_status (process);
}

/* Defect 4: a stream that ends before its header says is an error, exit 2
 * with how far it got, after complete lines; a placeholder size is not. */
static void
test_stream_length (Fixture       *fixture,
                    gconstpointer  data)
{
  const StreamCase *c = data;
  g_autoptr(GBytes) wav = tone_wav_bytes (48000, 1.0, 440.0, c->claimed);
  gsize keep = (gsize) (g_bytes_get_size (wav) * c->keep);
  g_autoptr(GBytes) kept = g_bytes_new_from_bytes (wav, 0, keep & ~(gsize) 1);
  g_autofree char *path = g_build_filename (fixture->dir, "stream.wav", NULL);
  PtTestRun result = { 0 };

  switch (c->through)
    {
    case THROUGH_PIPE:
      run_pitch_toy_piped (&result, (const char * const []) { "--analyze", "-", NULL }, kept,
                           NULL);
      break;
    case THROUGH_FIFO:
      run_through_fifo (&result, path, kept);
      break;
    case THROUGH_FILE:
    default:
      write_bytes (path, kept);
      run_pitch_toy (&result, (const char * const []) { "--analyze", path, NULL });
      break;
    }
  g_assert_cmpint (result.status, ==, c->status);
  count_json_lines (result.out);
  if (c->status == 0)
    {
      g_assert_cmpstr (result.err, ==, "");
      g_assert_cmpuint (count_json_lines (result.out), >, 150);
    }
  else
    {
      assert_one_line_with (result.err, "truncated");
    }
  if (c->through != THROUGH_FILE && c->status != 0)
    {
      g_assert_nonnull (strstr (result.err, "after "));
      g_assert_cmpuint (count_json_lines (result.out), >, 20);
    }
  pt_test_run_clear (&result);
}

/* Defect 5: numbers that are not numbers, an empty range and a window too
 * short for the range are refused, exit 1, rather than replaced by the
 * defaults with a warning (or an abort under fatal warnings). */
static void
test_bad_numbers (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const cases[][5] = {
    { "--min-freq", "nan", NULL, NULL, "--min-freq" },
    { "--max-freq", "nan", NULL, NULL, "--max-freq" },
    { "--reference", "nan", NULL, NULL, "--reference" },
    { "--reference", "inf", NULL, NULL, "--reference" },
    { "--min-freq", "40Hz", NULL, NULL, "--min-freq" },
    { "--min-freq", "10", "--max-freq", "15", "--max-freq" },
    { "--window", "32", NULL, NULL, "window of 32" },
    { "--jobs", "-2", NULL, NULL, "--jobs" },
    { "--fields", "time,pitch", NULL, NULL, "pitch" },
  };
  g_autofree char *path = g_build_filename (fixture->dir, "tone.wav", NULL);

  write_tone (path, 48000, 0.5, 440.0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[] = { "--analyze", path, cases[i][0], cases[i][1], cases[i][2],
                             cases[i][3], NULL };
      PtTestRun result = { 0 };

      g_test_message ("%s %s", cases[i][0], cases[i][1]);
      run_pitch_toy (&result, args);
      g_assert_cmpint (result.status, ==, 1);
      g_assert_cmpstr (result.out, ==, "");
      g_assert_nonnull (strstr (result.err, cases[i][4]));
      g_assert_null (strstr (result.err, "WARNING"));
      pt_test_run_clear (&result);
    }
}

/* Defect 6: files at low rates the rate check accepts are analysed, the
 * default range fitted below half their rate, no word about --max-freq. */
static void
test_low_rates (Fixture       *fixture,
                gconstpointer  data)
{
  static const struct { int rate; double frequency; const char *note; } cases[] = {
    { 1000, 196.0, "G3" }, { 4000, 440.0, "A4" }, { 4400, 880.0, "A5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, "low.wav", NULL);
      g_autofree char *expected = g_strdup_printf ("\"note\":\"%s\"", cases[i].note);
      g_auto(GStrv) lines = NULL;
      PtTestRun result = { 0 };
      guint right = 0, n;

      write_tone (path, cases[i].rate, 4.0, cases[i].frequency);
      run_pitch_toy (&result, (const char * const []) { "--analyze", path, NULL });
      g_assert_cmpstr (result.err, ==, "");
      g_assert_cmpint (result.status, ==, 0);
      lines = g_strsplit (result.out, "\n", -1);
      n = count_json_lines (result.out);
      for (guint j = 0; j < n; j++)
        right += strstr (lines[j], expected) != NULL;
      g_test_message ("%d Hz: %u of %u frames name %s", cases[i].rate, right, n, cases[i].note);
      g_assert_cmpuint (right, >=, n * 8 / 10);
      pt_test_run_clear (&result);
    }
}

/* Defect 7: no frame, no rate, nowhere to write: each said, each with its
 * own status, and a failed write (3) wins over a failed input (2). */
static void
test_small_defects (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *short_path = g_build_filename (fixture->dir, "short.wav", NULL);
  g_autofree char *rate0_path = g_build_filename (fixture->dir, "rate0.wav", NULL);
  g_autofree char *good_path = g_build_filename (fixture->dir, "good.wav", NULL);
  g_autoptr(GBytes) rate0 = tone_wav_bytes (0, 0.0, 440.0, 9600);
  g_autoptr(GBytes) padded = NULL;
  PtTestRun result = { 0 };

  write_tone (short_path, 48000, 0.01, 440.0);
  run_pitch_toy (&result, (const char * const []) { "--analyze", short_path, NULL });
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.out, ==, "");
  assert_one_line_with (result.err, "too short");
  pt_test_run_clear (&result);

  {
    /* The header of a 0 Hz file, then 9600 bytes of silence. */
    GByteArray *array = g_byte_array_new ();

    g_byte_array_append (array, g_bytes_get_data (rate0, NULL), g_bytes_get_size (rate0));
    g_byte_array_set_size (array, g_bytes_get_size (rate0) + 9600);
    memset (array->data + g_bytes_get_size (rate0), 0, 9600);
    padded = g_byte_array_free_to_bytes (array);
  }
  write_bytes (rate0_path, padded);
  run_pitch_toy (&result, (const char * const []) { "--analyze", rate0_path, NULL });
  g_assert_cmpint (result.status, ==, 2);
  assert_one_line_with (result.err, "sample rate");
  g_assert_null (strstr (result.err, "SF_INFO"));
  pt_test_run_clear (&result);

  write_tone (good_path, 48000, 0.5, 440.0);
  run_pitch_toy_piped (&result, (const char * const []) { "--analyze", good_path, NULL }, NULL,
                       "/dev/full");
  g_assert_cmpint (result.status, ==, 3);
  assert_one_line_with (result.err, "writing the output failed");
  pt_test_run_clear (&result);

  run_pitch_toy_piped (&result, (const char * const []) {
    "--analyze", short_path, good_path, "--jobs", "1", NULL }, NULL, "/dev/full");
  g_assert_cmpint (result.status, ==, 3);
  pt_test_run_clear (&result);
}

/* A tree: audio whatever its name, a subdirectory, what is not audio, a
 * hidden file and a link back up. */
static char *
make_tree (const char *dir)
{
  g_autofree char *root = g_build_filename (dir, "tree", NULL);
  g_autofree char *sub = g_build_filename (root, "sub", NULL);
  g_autofree char *link = g_build_filename (sub, "up", NULL);
  g_autoptr(GError) error = NULL;
  static const struct { const char *name; double frequency; } files[] = {
    { "b.wav", 220.0 }, { "a.wav", 523.25 }, { "no-extension", 329.63 },
    { "sub/c.wav", 110.0 }, { ".hidden.wav", 440.0 },
  };

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (root, files[i].name, NULL);

      write_tone (path, 44100, 0.3 + 0.1 * i, files[i].frequency);
    }
  {
    g_autofree char *text = g_build_filename (root, "notes.txt", NULL);

    g_file_set_contents (text, "not audio\n", -1, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (symlink ("..", link), ==, 0);
  return g_steal_pointer (&root);
}

/* Several inputs: one stream in input order, a "file" field, the same
 * bytes whatever --jobs is, JSON and CSV. */
static void
test_many_inputs (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const formats[] = { "jsonl", "csv" };
  g_autofree char *root = make_tree (fixture->dir);
  g_autofree char *extra = g_build_filename (fixture->dir, "extra.wav", NULL);

  write_tone (extra, 48000, 0.4, 440.0);
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      PtTestRun one = { 0 };
      const char *jobs[] = { "2", "3", "8" };

      run_pitch_toy (&one, (const char * const []) {
        "--analyze", root, extra, "--format", formats[f], "--jobs", "1", NULL });
      g_assert_cmpint (one.status, ==, 0);
      g_assert_cmpstr (one.err, ==, "");
      for (guint j = 0; j < G_N_ELEMENTS (jobs); j++)
        {
          PtTestRun many = { 0 };

          run_pitch_toy (&many, (const char * const []) {
            "--analyze", root, extra, "--format", formats[f], "--jobs", jobs[j], NULL });
          g_assert_cmpint (many.status, ==, 0);
          g_assert_cmpstr (many.out, ==, one.out);
          pt_test_run_clear (&many);
        }
      if (f == 0)
        {
          g_autofree char *a = g_strdup_printf ("{\"file\":\"%s/a.wav\",", root);
          g_autofree char *sub_c = g_strdup_printf ("{\"file\":\"%s/sub/c.wav\",", root);
          g_autofree char *extra_line = g_strdup_printf ("{\"file\":\"%s\",", extra);
          const char *pa = strstr (one.out, a), *pc = strstr (one.out, sub_c);

          count_json_lines (one.out);
          g_assert_true (g_str_has_prefix (one.out, a));
          g_assert_nonnull (pc);
          g_assert_true (pa < pc);
          g_assert_nonnull (strstr (one.out, "/no-extension\","));
          g_assert_null (strstr (one.out, "hidden"));
          g_assert_null (strstr (one.out, "notes.txt"));
          g_assert_null (strstr (one.out, "/up/"));
          g_assert_true (pc < strstr (one.out, extra_line));
        }
      else
        {
          g_assert_true (g_str_has_prefix (one.out, "file,time,frequency,"));
        }
      pt_test_run_clear (&one);
    }
}

/* A bad input among good ones: reported, skipped, the others done, exit 2. */
static void
test_bad_among_many (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *good = g_build_filename (fixture->dir, "good.wav", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.wav", NULL);
  g_autofree char *good_line = NULL;
  PtTestRun result = { 0 };

  write_tone (good, 48000, 0.4, 440.0);
  run_pitch_toy (&result, (const char * const []) {
    "--analyze", good, missing, good, "--jobs", "2", NULL });
  g_assert_cmpint (result.status, ==, 2);
  assert_one_line_with (result.err, "missing.wav");
  good_line = g_strdup_printf ("{\"file\":\"%s\",\"time\":", good);
  g_assert_true (g_str_has_prefix (result.out, good_line));
  g_assert_nonnull (strstr (result.out + 1, good_line));
  pt_test_run_clear (&result);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* --output-dir: one file per input at its path below its argument, the
 * same lines as alone; nothing overwritten without --force. */
static void
test_output_dir (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *root = make_tree (fixture->dir);
  g_autofree char *out = g_build_filename (fixture->dir, "out", NULL);
  g_autofree char *c_csv = g_build_filename (out, "sub", "c.wav.csv", NULL);
  g_autofree char *c_wav = g_build_filename (root, "sub", "c.wav", NULL);
  g_autofree char *hidden = g_build_filename (out, ".hidden.wav.csv", NULL);
  g_autofree char *written = NULL;
  PtTestRun result = { 0 }, alone = { 0 };

  run_pitch_toy (&result, (const char * const []) {
    "--analyze", root, "--output-dir", out, "--format", "csv", NULL });
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_cmpstr (result.err, ==, "");
  pt_test_run_clear (&result);

  run_pitch_toy (&alone, (const char * const []) { "--analyze", c_wav, "--format", "csv", NULL });
  written = read_text (c_csv);
  g_assert_cmpstr (written, ==, alone.out);
  g_assert_false (g_file_test (hidden, G_FILE_TEST_EXISTS));

  run_pitch_toy (&result, (const char * const []) {
    "--analyze", root, "--output-dir", out, "--format", "csv", NULL });
  g_assert_cmpint (result.status, ==, 3);
  g_assert_nonnull (strstr (result.err, "--force"));
  pt_test_run_clear (&result);

  g_file_set_contents (c_csv, "old\n", -1, NULL);
  run_pitch_toy (&result, (const char * const []) {
    "--analyze", root, "--output-dir", out, "--format", "csv", "--force", NULL });
  g_assert_cmpint (result.status, ==, 0);
  g_clear_pointer (&written, g_free);
  written = read_text (c_csv);
  g_assert_cmpstr (written, ==, alone.out);
  pt_test_run_clear (&result);
  pt_test_run_clear (&alone);
}

/* The columns other trackers write, through --fields. */
static void
test_fields_option (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "tone.wav", NULL);
  g_auto(GStrv) lines = NULL;
  PtTestRun result = { 0 };

  write_tone (path, 48000, 0.5, 440.0);
  run_pitch_toy (&result, (const char * const []) {
    "--analyze", path, "--format", "csv", "--fields", "time,frequency,confidence", NULL });
  g_assert_cmpint (result.status, ==, 0);
  lines = g_strsplit (result.out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "time,frequency,confidence");
  /* Frame 50: window centre at 78 + 49 hops, 0.2630 s. */
  g_assert_true (g_str_has_prefix (lines[50], "0.2630,440.0"));
  g_assert_cmpuint (strlen (lines[50]) - strlen ("0.2630,440.00,"), ==, strlen ("0.78"));
  pt_test_run_clear (&result);
}

typedef struct
{
  const char *option;
  gboolean    stdout_on_terminal;
  gboolean    progress;
} ProgressCase;

/* The progress line: when standard error is a terminal, not with --quiet,
 * and not when the frames go to the same terminal (they would be torn). */
static void
test_progress_on_terminal (Fixture       *fixture,
                           gconstpointer  data)
{
  static const ProgressCase cases[] = {
    { "--jobs=1", FALSE, TRUE },
    { "--quiet", FALSE, FALSE },
    { "--jobs=1", TRUE, FALSE },
  };
  g_autofree char *path = g_build_filename (fixture->dir, "tone.wav", NULL);

  write_tone (path, 48000, 2.0, 440.0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ProgressCase *c = &cases[i];
      g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (c->stdout_on_terminal ? G_SUBPROCESS_FLAGS_NONE
                                                         : G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) seen = g_string_new (NULL);
      g_autofree char *escaped = NULL;
      int master, slave;
      char buffer[4096];
      gssize n;

      g_assert_cmpint (openpty (&master, &slave, NULL, NULL, NULL), ==, 0);
      if (c->stdout_on_terminal)
        g_subprocess_launcher_take_stdout_fd (launcher, dup (slave));
      g_subprocess_launcher_take_stderr_fd (launcher, slave);
      process = g_subprocess_launcher_spawn (launcher, &error, pt_test_pitch_toy_path (), "--analyze",
                                             path, c->option, NULL);
      g_assert_no_error (error);
      g_clear_object (&launcher);   /* closes our copies of the terminal's slave side */
      /* Until the child has gone: then the terminal gives EIO. */
      while ((n = read (master, buffer, sizeof buffer)) > 0)
        g_string_append_len (seen, buffer, n);
      close (master);
      g_subprocess_wait_check (process, NULL, &error);
      g_assert_no_error (error);
      escaped = g_strescape (seen->len < 200 ? seen->str : seen->str + seen->len - 200, NULL);
      g_test_message ("%s, stdout on the terminal: %d; the terminal saw ...%s", c->option,
                      c->stdout_on_terminal, escaped);
      g_assert_cmpint (strstr (seen->str, "0/1 files") != NULL, ==, c->progress);
      g_assert_cmpint (strstr (seen->str, "\"time\":") != NULL, ==, c->stdout_on_terminal);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* A pitch-toy that stops reading must fail an assertion, not kill us. */
  signal (SIGPIPE, SIG_IGN);

#define ADD(path, func) \
  g_test_add ("/pitch-toy/analyze-command/" path, Fixture, NULL, \
              fixture_set_up, func, fixture_tear_down)

  ADD ("json-notes", test_json_notes);
  ADD ("csv-stereo-flac", test_csv_stereo_flac);
  ADD ("stdin", test_stdin);
  ADD ("reference-and-tuning", test_reference_and_tuning);
  ADD ("bad-options", test_bad_options);
  ADD ("version-and-help", test_version_and_help);
  ADD ("man-page", test_man_page);
  ADD ("range-without-estimator", test_range_without_estimator);
  ADD ("memory-flat", test_memory_flat);
  ADD ("huge-samples", test_huge_samples);
  ADD ("bad-numbers", test_bad_numbers);
  ADD ("low-rates", test_low_rates);
  ADD ("small-defects", test_small_defects);
  ADD ("many-inputs", test_many_inputs);
  ADD ("bad-among-many", test_bad_among_many);
  ADD ("output-dir", test_output_dir);
  ADD ("fields-option", test_fields_option);
  ADD ("progress-on-terminal", test_progress_on_terminal);
  for (guint i = 0; i < G_N_ELEMENTS (stream_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pitch-toy/analyze-command/stream-length/%s",
                                               stream_cases[i].name);

      g_test_add (path, Fixture, &stream_cases[i], fixture_set_up, test_stream_length,
                  fixture_tear_down);
    }
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
