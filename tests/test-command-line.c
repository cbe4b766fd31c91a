/* test-command-line.c — the app's own command line, as a user meets it:
 * --version, and --help naming the analysis mode. Runs the built binary; no
 * display is needed for either.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pt-test-util.h"

static char *
run_pitch_toy (const char *argument,
               int        *status)
{
  const char *argv[] = { pt_test_pitch_toy_path (), argument, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, NULL, status, &error));
  g_assert_no_error (error);
  return out;
}

static void
test_version (void)
{
  int status;
  g_autofree char *out = run_pitch_toy ("--version", &status);

  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "pitch-toy " PACKAGE_VERSION "\n");
}

static void
test_help_names_analyze (void)
{
  int status;
  g_autofree char *out = run_pitch_toy ("--help", &status);

  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "--analyze=FILE"));
  g_assert_nonnull (strstr (out, "--version"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pitch-toy/command-line/version", test_version);
  g_test_add_func ("/pitch-toy/command-line/help-names-analyze", test_help_names_analyze);

  return g_test_run ();
}
