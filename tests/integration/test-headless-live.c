/* test-headless-live.c — the built `pitch-toy` command line modes on the
 * harness's private PipeWire server: --list-devices names the virtual
 * microphone as the default, --headless on it prints the fed tone's note,
 * and a device no source has at start ends with exit 2 and one line naming
 * the sources there are.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>

#include "pt-test-util.h"

#define SAMPLE_RATE  48000
#define TONE_HZ      440.0
#define TONE_SECONDS 20

static JsonObject *
parse_object (const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_list_devices (void)
{
  const char *mic = pt_test_harness_env ("PT_TEST_MIC_NODE");
  const char * const args[] = { "--list-devices", "--json", NULL };
  g_auto(PtTestRun) result = { 0 };
  g_auto(GStrv) lines = NULL;
  gboolean found = FALSE;

  pt_test_run_pitch_toy (&result, args, NULL);
  g_assert_cmpint (result.status, ==, 0);
  lines = g_strsplit (result.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr(JsonObject) device = parse_object (lines[i]);

      if (g_strcmp0 (json_object_get_string_member (device, "name"), mic) != 0)
        continue;
      found = TRUE;
      g_assert_true (json_object_get_boolean_member (device, "default"));
      g_assert_cmpint (json_object_get_int_member (device, "channels"), ==, 1);
    }
  g_assert_true (found);
}

/* The tone fed into the microphone reaches the frames printed. */
static void
test_headless_hears_tone (void)
{
  const char * const args[] = { "--headless", "--device", pt_test_harness_env ("PT_TEST_MIC_NODE"),
                                "--duration", "3", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pt-headless-XXXXXX", &error);
  g_autofree char *wav = g_build_filename (dir, "tone.wav", NULL);
  g_autofree float *tone = g_new (float, SAMPLE_RATE * TONE_SECONDS);
  g_autoptr(GSubprocess) player = NULL;
  g_auto(PtTestRun) result = { 0 };
  g_auto(GStrv) lines = NULL;
  guint frames = 0, a4 = 0;

  g_assert_no_error (error);
  pt_test_fill_sine (tone, SAMPLE_RATE * TONE_SECONDS, SAMPLE_RATE, TONE_HZ, 0.5, 0);
  g_assert_true (pt_test_write_wav (wav, tone, SAMPLE_RATE * TONE_SECONDS, SAMPLE_RATE, &error));
  g_assert_no_error (error);
  player = pt_test_play_into_feed (wav, &error);
  g_assert_no_error (error);

  pt_test_run_pitch_toy (&result, args, NULL);
  g_subprocess_force_exit (player);
  g_subprocess_wait (player, NULL, NULL);
  g_unlink (wav);
  g_rmdir (dir);

  g_assert_cmpint (result.status, ==, 0);
  lines = g_strsplit (result.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr(JsonObject) object = parse_object (lines[i]);

      if (json_object_has_member (object, "event"))
        continue;
      frames++;
      if (json_object_get_boolean_member (object, "voiced") &&
          g_strcmp0 (json_object_get_string_member (object, "note"), "A4") == 0)
        a4++;
    }
  g_test_message ("%u frames, %u of them A4", frames, a4);
  /* Three seconds at 48 kHz and hop 256 is 562 frames; the player starts
   * at its own pace, so only a second of them must hear it. */
  g_assert_cmpuint (frames, >, 300);
  g_assert_cmpuint (a4, >, 187);
}

static void
test_unknown_device (void)
{
  const char *mic = pt_test_harness_env ("PT_TEST_MIC_NODE");
  const char * const args[] = { "--headless", "--device", "pt-test-no-such-mic", NULL };
  g_auto(PtTestRun) result = { 0 };

  pt_test_run_pitch_toy (&result, args, NULL);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.out, ==, "");
  /* One line, naming the device asked for and the sources there are. */
  g_assert_cmpint (strchr (result.err, '\n') - result.err, ==, strlen (result.err) - 1);
  g_assert_nonnull (strstr (result.err, "pt-test-no-such-mic"));
  g_assert_nonnull (strstr (result.err, mic));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pitch-toy/headless-live/list-devices", test_list_devices);
  g_test_add_func ("/pitch-toy/headless-live/hears-tone", test_headless_hears_tone);
  g_test_add_func ("/pitch-toy/headless-live/unknown-device", test_unknown_device);
  return g_test_run ();
}
