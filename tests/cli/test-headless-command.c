/* test-headless-command.c — `pitch-toy --headless` with no PipeWire server:
 * the engine falls back to the clock source, the test signal is analysed
 * live, frames and event lines come on standard output, and SIGTERM ends it
 * with exit 0 and nothing but complete lines.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>

#include <json-glib/json-glib.h>

#include "pt-test-util.h"

static GSubprocess *
spawn_headless (const char * const *args,
                GError            **error)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_subprocess_launcher_setenv (launcher, "PIPEWIRE_REMOTE", "pt-test-no-such-server", TRUE);
  g_ptr_array_add (argv, (gpointer) pt_test_pitch_toy_path ());
  g_ptr_array_add (argv, (gpointer) "--headless");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
}

/* Every line is a JSON object: a frame, or an event with an "event" member.
 * Returns the number of frames; @a4 counts the voiced A4 ones. */
static guint
check_lines (const char *output,
             guint      *a4)
{
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);
  guint n_frames = 0;

  g_assert_true (g_str_has_suffix (output, "\n"));
  *a4 = 0;
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *object;

      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      object = json_node_get_object (json_parser_get_root (parser));
      if (json_object_has_member (object, "event"))
        continue;
      n_frames++;
      g_assert_true (json_object_has_member (object, "time"));
      if (json_object_get_boolean_member (object, "voiced") &&
          g_strcmp0 (json_object_get_string_member (object, "note"), "A4") == 0)
        (*a4)++;
    }
  return n_frames;
}

static void
test_test_signal_for_a_duration (void)
{
  const char * const args[] = { "--test-signal", "440", "--duration", "1", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  guint n_frames, a4;

  process = spawn_headless (args, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  g_assert_true (strstr (out, "{\"event\":\"error\",\"code\":\"ServerDisconnected\"") != NULL);
  g_assert_true (strstr (out, "{\"event\":\"status\",\"state\":\"fallback\"}") != NULL);
  n_frames = check_lines (out, &a4);
  /* A second is 187 hops of 256 frames at 48 kHz; the clock may lag a little. */
  g_assert_cmpuint (n_frames, >, 100);
  g_assert_cmpuint (a4, >, n_frames * 9 / 10);
}

static void
test_sigterm_ends_cleanly (void)
{
  const char * const args[] = { "--test-signal", "440:square", "--noise", "pink:0.01", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GString) output = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *rest = NULL;
  guint a4;

  process = spawn_headless (args, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  /* Up to the first frame. */
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_string_append_printf (output, "%s\n", line);
      if (strstr (line, "\"time\"") != NULL)
        break;
    }

  g_subprocess_send_signal (process, SIGTERM);
  rest = g_data_input_stream_read_upto (lines, "", 0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_string_append (output, rest != NULL ? rest : "");
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpuint (check_lines (output->str, &a4), >=, 1);
}

static void
test_bad_options (void)
{
  const char * const cases[][3] = {
    { "--test-signal", "5", NULL },
    { "--test-signal", "440:wobble", NULL },
    { "--noise", "brown", NULL },
    { "--noise", "pink:2", NULL },
    { "--channel", "left", NULL },
    { "--format", "xml", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL, *err = NULL;

      process = spawn_headless (cases[i], &error);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
      g_assert_cmpstr (out, ==, "");
      g_assert_true (g_str_has_prefix (err, "pitch-toy: "));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pitch-toy/headless-command/test-signal-for-a-duration",
                   test_test_signal_for_a_duration);
  g_test_add_func ("/pitch-toy/headless-command/sigterm-ends-cleanly", test_sigterm_ends_cleanly);
  g_test_add_func ("/pitch-toy/headless-command/bad-options", test_bad_options);

  return g_test_run ();
}
