/* test-tuner.c — the tuner in the real window on a real X display, fed real
 * samples through real analysers (as the engine's hub feeds them): the note
 * and cents it reads for known tones, references and tuning systems; the
 * just third's line on the graph; note hold; no painting when silent; label
 * text at most once per frame. (The screenshots come from the live path:
 * test-app-live.)
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <X11/keysym.h>

#include "pt-application.h"
#include "pt-cents-meter.h"
#include "pt-level-meter.h"
#include "pt-note-view.h"
#include "pt-pitch-graph.h"
#include "pt-test-util.h"
#include "pt-ui-test-util.h"
#include "pt-window.h"

#define RATE PT_UI_TEST_RATE
#define BATCH PT_UI_TEST_BATCH
#define C4_HZ 261.6255653005986

static PtApplication *app;

typedef struct
{
  PtWindow         *window;
  PtSettings       *settings;
  PtPitchAnalyzer  *analyzer;
  PtVolumeDetector *detector;
  PtPitchHistory   *history;
  PtHub            *hub;
  PtUiTestSource    source;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->settings = pt_application_get_settings (app);
  pt_test_reset_settings (pt_settings_get_gsettings (fixture->settings));
  fixture->analyzer = pt_pitch_analyzer_new (RATE);
  fixture->detector = pt_volume_detector_new ();
  fixture->history = pt_pitch_history_new (PT_PITCH_HISTORY_DEFAULT_CAPACITY);
  pt_pitch_history_set_analyzer (fixture->history, fixture->analyzer);
  pt_settings_bind_pitch_analyzer (fixture->settings, fixture->analyzer);
  fixture->hub = pt_hub_new ();
  pt_hub_add_channel (fixture->hub, "volume", PT_ANALYZER (fixture->detector),
                      PT_HUB_CHANNEL_CLAIMED);
  pt_hub_add_channel (fixture->hub, "pitch", PT_ANALYZER (fixture->analyzer),
                      PT_HUB_CHANNEL_CLAIMED);
  fixture->source = (PtUiTestSource) { fixture->hub, 0, 0.0 };

  fixture->window = pt_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 720, 720);
  g_object_set (fixture->window,
                "pitch-analyzer", fixture->analyzer,
                "volume-detector", fixture->detector,
                "pitch-history", fixture->history,
                "hub", fixture->hub,
                NULL);
  pt_ui_test_show_window (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  pt_ui_test_destroy_window (fixture->window);
  g_assert_cmpuint (pt_hub_channel_get_claims (pt_hub_lookup_channel (fixture->hub, "pitch")), ==, 0);
  g_assert_finalize_object (fixture->hub);
  g_assert_finalize_object (fixture->history);
  g_assert_finalize_object (fixture->detector);
  g_assert_finalize_object (fixture->analyzer);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
}

static GtkWidget *
template_child (Fixture    *fixture,
                const char *name)
{
  return pt_ui_test_template_child (fixture->window, PT_TYPE_WINDOW, name);
}

static GtkLabel *
note_view_label (Fixture    *fixture,
                 const char *name)
{
  return GTK_LABEL (pt_ui_test_template_child (template_child (fixture, "note_view"),
                                               PT_TYPE_NOTE_VIEW, name));
}

static void
feed_batch (Fixture            *fixture,
            const PtUiTestTone *tone,
            guint               n_samples)
{
  pt_ui_test_source_feed_batch (&fixture->source, tone, n_samples);
}

static void
feed (Fixture *fixture,
      double   frequency,
      double   duration_s)
{
  PtUiTestTone tone = { frequency, frequency > 0 ? 0.4 : 0.0, 0.0 };

  pt_ui_test_source_feed (&fixture->source, &tone, duration_s);
}

static void
run_paced (Fixture            *fixture,
           const PtUiTestTone *tone,
           guint               batch,
           double              duration_s)
{
  pt_ui_test_source_run_paced (&fixture->source, tone, batch, duration_s);
}

/* The labels show what the model holds (they follow on a frame tick). */
static gboolean
view_follows_model (gpointer user_data)
{
  Fixture *fixture = user_data;
  PtNoteView *view = PT_NOTE_VIEW (template_child (fixture, "note_view"));
  PtTunerModel *model = pt_window_get_tuner_model (fixture->window);
  const PtNote *note = pt_tuner_model_get_note (model);
  g_autofree char *expected = note != NULL ? pt_note_dup_display_name (note) : g_strdup ("");

  return g_str_equal (pt_note_view_get_note_text (view), expected)
         && (note == NULL
             || fabs (pt_ui_test_parse_cents (pt_note_view_get_cents_text (view))
                      - pt_tuner_model_get_cents (model)) <= 0.051);
}

static void
assert_reads (Fixture    *fixture,
              const char *note,
              double      cents,
              double      tolerance)
{
  PtNoteView *view = PT_NOTE_VIEW (template_child (fixture, "note_view"));

  pt_test_assert_eventually (NULL, view_follows_model, fixture, PT_TEST_TIMEOUT_SERVER_S);
  g_assert_cmpstr (pt_note_view_get_note_text (view), ==, note);
  g_assert_cmpfloat_with_epsilon (pt_ui_test_parse_cents (pt_note_view_get_cents_text (view)),
                                  cents, tolerance);
}

static void
test_a4 (Fixture       *fixture,
         gconstpointer  data)
{
  GtkStack *stack = GTK_STACK (template_child (fixture, "main_stack"));

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "tuner");
  feed (fixture, 440.0, 0.5);
  assert_reads (fixture, "A4", 0.0, 1.0);
}

static void
test_a_sharp_or_b_flat (Fixture       *fixture,
                        gconstpointer  data)
{
  feed (fixture, 466.16, 0.5);
  assert_reads (fixture, "A♯4", 0.0, 1.0);
  g_object_set (fixture->settings, "note-names", PT_NOTE_NAMES_FLATS, NULL);
  feed (fixture, 466.16, 0.2);
  assert_reads (fixture, "B♭4", 0.0, 1.0);
}

static void
test_reference_442 (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkLabel *caption = NULL;

  g_object_set (fixture->settings, "reference-pitch", 442.0, NULL);
  feed (fixture, 440.0, 0.5);
  assert_reads (fixture, "A4", -7.9, 0.2);
  caption = note_view_label (fixture, "caption_label");
  g_assert_nonnull (strstr (gtk_label_get_label (caption), "442.0 Hz"));
}

/* E at the just major third over C4 reads 0 cents, and its line sits
 * 13.7 cents below the tempered E's. */
static void
test_just_third (Fixture       *fixture,
                 gconstpointer  data)
{
  PtPitchGraph *graph = PT_PITCH_GRAPH (template_child (fixture, "pitch_graph"));

  g_assert_cmpfloat_with_epsilon (pt_pitch_graph_get_note_line (graph, 64), 64.0, 1e-9);
  g_object_set (fixture->settings, "tuning-system", PT_TUNING_JUST, "tonic", 0, NULL);
  feed (fixture, C4_HZ * 5.0 / 4.0, 0.5);
  assert_reads (fixture, "E4", 0.0, 0.5);
  g_assert_cmpfloat_with_epsilon ((pt_pitch_graph_get_note_line (graph, 64) - 64.0) * 100.0,
                                  -13.7, 0.05);
}

static void
on_label (GtkLabel   *label,
          GParamSpec *pspec,
          GPtrArray  *seen)
{
  g_ptr_array_add (seen, g_strdup (gtk_label_get_label (label)));
}

/* Fed batch by batch, each shown before the next comes. */
static void
feed_and_show (Fixture *fixture,
               double   frequency,
               double   duration_s)
{
  PtUiTestTone tone = { frequency, 0.4, 0.0 };
  guint64 end = fixture->source.position + (guint64) llround (duration_s * RATE);

  while (fixture->source.position < end)
    {
      feed_batch (fixture, &tone, (guint) MIN (256, end - fixture->source.position));
      pt_test_assert_eventually (NULL, view_follows_model, fixture, PT_TEST_TIMEOUT_SERVER_S);
    }
}

static void
test_note_hold (Fixture       *fixture,
                gconstpointer  data)
{
  GtkLabel *accidental = note_view_label (fixture, "accidental_label");
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  feed_and_show (fixture, 440.0, 0.3);
  g_signal_connect (accidental, "notify::label", G_CALLBACK (on_label), seen);
  feed_and_show (fixture, 466.16, 0.015);
  feed_and_show (fixture, 440.0, 0.2);
  assert_reads (fixture, "A4", 0.0, 1.0);
  g_assert_cmpuint (seen->len, ==, 0);

  feed_and_show (fixture, 466.16, 0.1);
  assert_reads (fixture, "A♯4", 0.0, 1.0);
  g_assert_cmpuint (seen->len, ==, 1);
  g_signal_handlers_disconnect_by_func (accidental, on_label, seen);
}

static void
count_paint (GdkFrameClock *clock,
             guint         *paints)
{
  (*paints)++;
}

static gboolean
needle_settled (gpointer user_data)
{
  Fixture *fixture = user_data;
  PtCentsMeter *meter = PT_CENTS_METER (template_child (fixture, "cents_meter"));

  return !pt_cents_meter_get_active (meter)
         && pt_cents_meter_get_needle_cents (meter) == pt_cents_meter_get_cents (meter);
}

/* Silence after a tone: once the needle settled and the graph's span holds
 * only silence, a second of live silence paints no frame. */
static void
test_silence_paints_nothing (Fixture       *fixture,
                             gconstpointer  data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (fixture->window));
  PtUiTestTone silence = { 440.0, 0.0, 0.0 };
  guint paints = 0;
  gulong handler;

  gtk_window_set_focus (GTK_WINDOW (fixture->window), NULL);
  feed (fixture, 440.0, 0.5);
  assert_reads (fixture, "A4", 0.0, 1.0);
  feed (fixture, 0.0, PT_PITCH_GRAPH_SPAN_S + 1.0);
  pt_test_assert_eventually (NULL, needle_settled, fixture, PT_TEST_TIMEOUT_SERVER_S);
  run_paced (fixture, &silence, BATCH, 0.1);  /* the last changes get painted */

  handler = g_signal_connect (clock, "paint", G_CALLBACK (count_paint), &paints);
  run_paced (fixture, &silence, BATCH, 1.0);
  g_signal_handler_disconnect (clock, handler);
  g_assert_cmpuint (paints, ==, 0);
  g_assert_true (pt_tuner_model_get_dimmed (pt_window_get_tuner_model (fixture->window)));
}

typedef struct
{
  GdkFrameClock *clock;
  gint64         frame;
  guint          in_frame;
  guint          most_in_a_frame;
  guint          changes;
} LabelChanges;

static void
on_label_change (GtkLabel     *label,
                 GParamSpec   *pspec,
                 LabelChanges *changes)
{
  gint64 frame = gdk_frame_clock_get_frame_counter (changes->clock);

  if (frame != changes->frame)
    changes->in_frame = 0;
  changes->frame = frame;
  changes->in_frame++;
  changes->changes++;
  changes->most_in_a_frame = MAX (changes->most_in_a_frame, changes->in_frame);
}

/* A vibrato at 128-sample batches (375 dispatches a second): the frequency
 * label changes on many frames, never twice in one. */
static void
test_label_once_per_frame (Fixture       *fixture,
                           gconstpointer  data)
{
  GtkWidget *view = template_child (fixture, "note_view");
  GtkLabel *frequency = note_view_label (fixture, "frequency_label");
  LabelChanges changes = { gtk_widget_get_frame_clock (view), -1, 0, 0, 0 };
  PtUiTestTone vibrato = { 440.0, 0.4, 30.0 };

  g_signal_connect (frequency, "notify::label", G_CALLBACK (on_label_change), &changes);
  run_paced (fixture, &vibrato, 128, 1.5);
  g_signal_handlers_disconnect_by_func (frequency, on_label_change, &changes);
  g_assert_cmpuint (changes.changes, >, 10);
  g_assert_cmpuint (changes.most_in_a_frame, ==, 1);
}

static char **
export_lines (Fixture    *fixture,
              const char *dir,
              const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (pt_window_export_history (fixture->window, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_unlink (path), ==, 0);
  return g_strsplit (text, "\n", -1);
}

static guint
pitch_claims (Fixture *fixture)
{
  return pt_hub_channel_get_claims (pt_hub_lookup_channel (fixture->hub, "pitch"));
}

static gboolean
unclaimed (gpointer fixture)
{
  return pitch_claims (fixture) == 0;
}

/* The window claims the channels while the tuner is on screen. */
static void
test_claims_while_shown (Fixture       *fixture,
                         gconstpointer  data)
{
  PtHubChannel *volume = pt_hub_lookup_channel (fixture->hub, "volume");

  g_assert_cmpuint (pitch_claims (fixture), ==, 1);
  g_assert_cmpuint (pt_hub_channel_get_claims (volume), ==, 1);
  pt_window_set_pitch_analyzer (fixture->window, NULL);  /* the status page */
  pt_test_assert_eventually (NULL, unclaimed, fixture, PT_TEST_TIMEOUT_SERVER_S);
  g_assert_cmpuint (pt_hub_channel_get_claims (volume), ==, 0);
  pt_window_set_pitch_analyzer (fixture->window, fixture->analyzer);
  feed (fixture, 440.0, 0.3);
  assert_reads (fixture, "A4", 0.0, 1.0);
  g_assert_cmpuint (pitch_claims (fixture), ==, 1);
  pt_window_set_hub (fixture->window, NULL);
  g_assert_cmpuint (pitch_claims (fixture), ==, 0);
}

/* The tuner, the level and the drone bar fit in 800×600 with room to spare
 * (the default window, 800×720, leaves the history 220 px), and in a
 * narrow one. */
static void
test_fits_default_size (Fixture       *fixture,
                        gconstpointer  data)
{
  int width, height;

  gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1,
                      &width, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_VERTICAL, -1,
                      &height, NULL, NULL, NULL);
  g_test_message ("minimum size %d×%d", width, height);
  g_assert_cmpint (width, <=, 360);
  g_assert_cmpint (height, <=, 560);
}

/* The history exports as CSV or JSON Lines, by the file's name. */
static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("pt-export-XXXXXX", NULL);
  guint n = 0;
  g_auto(GStrv) csv = NULL;
  g_auto(GStrv) jsonl = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *last;

  feed (fixture, 440.0, 0.5);
  n = pt_pitch_history_get_n_entries (fixture->history);
  g_assert_cmpuint (n, >, 50);
  csv = export_lines (fixture, dir, "history.csv");
  g_assert_cmpuint (g_strv_length (csv), ==, n + 2);  /* header, lines, "" after the last */
  g_assert_cmpstr (csv[0], ==, "time_s,frequency_hz,confidence,voiced,note,cents");
  jsonl = export_lines (fixture, dir, "history.jsonl");
  g_assert_cmpuint (g_strv_length (jsonl), ==, n + 1);
  g_assert_true (json_parser_load_from_data (parser, jsonl[n - 1], -1, NULL));
  last = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (last, "note"), ==, "A4");
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

typedef struct
{
  PtCentsMeter *meter;
  GArray       *positions;  /* of double, one per painted frame */
} NeedleTrace;

static void
record_needle (GdkFrameClock *clock,
               NeedleTrace   *trace)
{
  double position = pt_cents_meter_get_needle_cents (trace->meter);

  g_array_append_val (trace->positions, position);
}

static gboolean
needle_reached (gpointer user_data)
{
  NeedleTrace *trace = user_data;

  return pt_cents_meter_get_needle_cents (trace->meter) == pt_cents_meter_get_cents (trace->meter);
}

/* Moves the needle to @target and checks that it went there without
 * overshooting or going back: the spring is critically damped. */
static void
assert_needle_glides (NeedleTrace *trace,
                      double       target)
{
  double start = pt_cents_meter_get_needle_cents (trace->meter);
  double sign = target > start ? 1.0 : -1.0;

  g_array_set_size (trace->positions, 0);
  pt_cents_meter_set_cents (trace->meter, target);
  pt_test_assert_eventually (NULL, needle_reached, trace, PT_TEST_TIMEOUT_SERVER_S);
  g_assert_cmpuint (trace->positions->len, >, 2);  /* it moved, it did not jump */
  for (guint i = 1; i < trace->positions->len; i++)
    {
      double step = g_array_index (trace->positions, double, i)
                    - g_array_index (trace->positions, double, i - 1);

      g_assert_cmpfloat (sign * step, >=, -1e-9);
      g_assert_cmpfloat (sign * (g_array_index (trace->positions, double, i) - target), <=, 1e-9);
    }
}

static void
test_needle_critically_damped (Fixture       *fixture,
                               gconstpointer  data)
{
  NeedleTrace trace = { PT_CENTS_METER (template_child (fixture, "cents_meter")),
                        g_array_new (FALSE, FALSE, sizeof (double)) };
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (trace.meter));
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (record_needle), &trace);

  pt_cents_meter_set_active (trace.meter, TRUE);
  assert_needle_glides (&trace, 30.0);
  assert_needle_glides (&trace, -20.0);
  g_signal_handler_disconnect (clock, handler);
  g_array_unref (trace.positions);
}

/* The meter speaks: the METER role, its value and a readable text. */
static void
test_meter_accessible (Fixture       *fixture,
                       gconstpointer  data)
{
  PtCentsMeter *meter = PT_CENTS_METER (template_child (fixture, "cents_meter"));
  g_autofree char *text = NULL;

  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (meter)), ==,
                   GTK_ACCESSIBLE_ROLE_METER);
  feed (fixture, 440.0 * exp2 (12.0 / 1200.0), 0.5);
  pt_test_assert_eventually (NULL, view_follows_model, fixture, PT_TEST_TIMEOUT_SERVER_S);
  text = pt_cents_meter_dup_description (meter);
  g_assert_cmpstr (text, ==, "12 cents sharp");
  g_assert_false (pt_cents_meter_get_in_tune (meter));
  gtk_test_accessible_assert_property (meter, GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, "12 cents sharp");
  g_clear_pointer (&text, g_free);

  feed (fixture, 440.0 * exp2 (-3.0 / 1200.0), 0.5);
  pt_test_assert_eventually (NULL, view_follows_model, fixture, PT_TEST_TIMEOUT_SERVER_S);
  g_assert_true (pt_cents_meter_get_in_tune (meter));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (meter), "in-tune"));
  gtk_test_accessible_assert_property (meter, GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, "In tune");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  app = pt_ui_test_app_new ();

#define ADD(path, func) \
  g_test_add ("/pitch-toy/tuner/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("a4", test_a4);
  ADD ("a-sharp-or-b-flat", test_a_sharp_or_b_flat);
  ADD ("reference-442", test_reference_442);
  ADD ("just-third", test_just_third);
  ADD ("note-hold", test_note_hold);
  ADD ("meter-accessible", test_meter_accessible);
  ADD ("needle-critically-damped", test_needle_critically_damped);
  ADD ("silence-paints-nothing", test_silence_paints_nothing);
  ADD ("label-once-per-frame", test_label_once_per_frame);
  ADD ("export", test_export);
  ADD ("claims-while-shown", test_claims_while_shown);
  ADD ("fits-default-size", test_fits_default_size);
#undef ADD

  status = g_test_run ();

  g_clear_pointer (&app, pt_ui_test_app_free);
  return status;
}
