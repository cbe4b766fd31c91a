/* pt-ui-test-util.c — helpers of the ui tests.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sys/resource.h>
#include <X11/extensions/XTest.h>

#include "pt-test-util.h"
#include "pt-ui-test-util.h"

/* The next @n_samples of @tone, phase-continuous with the last. */
void
pt_ui_test_source_render (PtUiTestSource     *source,
                          const PtUiTestTone *tone,
                          float              *samples,
                          gsize               n_samples)
{
  for (gsize i = 0; i < n_samples; i++)
    {
      double t = (source->position + i) / PT_UI_TEST_RATE;
      double f = tone->frequency * exp2 (tone->vibrato_cents * sin (2 * G_PI * 5.5 * t) / 1200.0);

      samples[i] = (float) (tone->amplitude * sin (source->phase));
      source->phase = fmod (source->phase + 2 * G_PI * f / PT_UI_TEST_RATE, 2 * G_PI);
    }
  source->position += n_samples;
}

/* One batch, to the hub's channels. */
void
pt_ui_test_source_feed_batch (PtUiTestSource     *source,
                              const PtUiTestTone *tone,
                              guint               n_samples)
{
  float samples[PT_UI_TEST_BATCH];
  PtAnalysisBatch batch = {
    .samples = samples, .n_samples = n_samples, .sample_rate = PT_UI_TEST_RATE,
    .first_frame = source->position,
  };
  g_assert_cmpuint (n_samples, <=, PT_UI_TEST_BATCH);
  pt_ui_test_source_render (source, tone, samples, n_samples);
  pt_hub_process_batch (source->hub, &batch);
}

/* @duration_s of @tone at once, in full batches. */
void
pt_ui_test_source_feed (PtUiTestSource     *source,
                        const PtUiTestTone *tone,
                        double              duration_s)
{
  guint64 end = source->position + (guint64) llround (duration_s * PT_UI_TEST_RATE);

  while (source->position < end)
    pt_ui_test_source_feed_batch (source, tone,
                                  (guint) MIN (PT_UI_TEST_BATCH, end - source->position));
}

typedef struct
{
  PtUiTestSource     *source;
  const PtUiTestTone *tone;
  guint               batch;
  guint               n_batches;
  gint64              start_us;
  guint               fed;
} Feeder;

/* Paced like live audio: each timeout brings the batches the wall clock
 * says are due, so a slow frame gives a burst, as a real stream would. */
static gboolean
feed_paced (gpointer user_data)
{
  Feeder *feeder = user_data;
  double elapsed = (g_get_monotonic_time () - feeder->start_us) / 1e6;
  guint due = MIN (feeder->n_batches, (guint) (elapsed * PT_UI_TEST_RATE / feeder->batch) + 1);

  for (; feeder->fed < due; feeder->fed++)
    pt_ui_test_source_feed_batch (feeder->source, feeder->tone, feeder->batch);
  return feeder->fed < feeder->n_batches ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
feeder_done (gpointer user_data)
{
  Feeder *feeder = user_data;

  return feeder->fed == feeder->n_batches;
}

/* @duration_s of @tone in batches of @batch samples, each when the wall
 * clock says it is due, while the main loop runs. */
void
pt_ui_test_source_run_paced (PtUiTestSource     *source,
                             const PtUiTestTone *tone,
                             guint               batch,
                             double              duration_s)
{
  Feeder feeder = { source, tone, batch, (guint) ceil (duration_s * PT_UI_TEST_RATE / batch),
                    g_get_monotonic_time (), 0 };

  g_timeout_add (MAX (1, (guint) (1000.0 * batch / PT_UI_TEST_RATE)), feed_paced, &feeder);
  pt_test_assert_eventually (NULL, feeder_done, &feeder,
                             (guint) duration_s + PT_TEST_TIMEOUT_SERVER_S);
}

/* A registered application, held so that it outlives its windows; it runs
 * no main loop of its own: the tests iterate the default context. */
PtApplication *
pt_ui_test_app_new (void)
{
  PtApplication *app;

  adw_init ();
  app = pt_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_hold (G_APPLICATION (app));
  return app;
}

void
pt_ui_test_app_free (PtApplication *app)
{
  g_application_release (G_APPLICATION (app));
  g_object_unref (app);
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static gboolean
is_null (gpointer location)
{
  return *(gpointer *) location == NULL;
}

/* Presents @window and waits until the X server mapped it. */
void
pt_ui_test_show_window (gpointer window)
{
  gtk_window_present (GTK_WINDOW (window));
  pt_test_assert_eventually (NULL, is_mapped, window, PT_TEST_TIMEOUT_SERVER_S);
}

/* Activates @app as a user starting it does, and shows the window it
 * makes, with the app's engine and history. */
GtkWindow *
pt_ui_test_activate_window (PtApplication *app)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (window);
  pt_ui_test_show_window (window);
  return window;
}

/* The process's CPU time, user and system, in seconds. */
double
pt_ui_test_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
         + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* A frame clock's "paint" handler counting into @paints. */
void
pt_ui_test_count_paint (GdkFrameClock *clock,
                        guint         *paints)
{
  (*paints)++;
}

/* Destroys @window and waits until its last reference is gone. */
void
pt_ui_test_destroy_window (gpointer window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (window, &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  pt_test_assert_eventually (NULL, is_null, &weak, PT_TEST_TIMEOUT_SERVER_S);
}

/* Presses @keysym, with @modifier_keysym held unless it is 0, on the X
 * server, as a user's keyboard would, with the focus on @window. */
void
pt_ui_test_press_key (gpointer      window,
                      unsigned long modifier_keysym,
                      unsigned long keysym)
{
  Display *xdisplay = gdk_x11_display_get_xdisplay (gtk_widget_get_display (window));
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  KeyCode modifier = modifier_keysym != 0 ? XKeysymToKeycode (xdisplay, modifier_keysym) : 0;
  KeyCode key = XKeysymToKeycode (xdisplay, keysym);

  XSetInputFocus (xdisplay, gdk_x11_surface_get_xid (surface), RevertToParent, CurrentTime);
  if (modifier != 0)
    XTestFakeKeyEvent (xdisplay, modifier, True, CurrentTime);
  XTestFakeKeyEvent (xdisplay, key, True, CurrentTime);
  XTestFakeKeyEvent (xdisplay, key, False, CurrentTime);
  if (modifier != 0)
    XTestFakeKeyEvent (xdisplay, modifier, False, CurrentTime);
  XFlush (xdisplay);
}

typedef struct
{
  const char *path;
  gboolean    saved;
} Screenshot;

/* Right after a paint the window's render node is fresh: anything queueing
 * a redraw later (the level's peak decaying) drops it. */
static void
render_after_paint (GdkFrameClock *clock,
                    Screenshot    *shot)
{
  GtkWidget *widget = GTK_WIDGET (g_object_get_data (G_OBJECT (clock), "pt-test-window"));
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  if (shot->saved)
    return;
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, shot->path));
  shot->saved = TRUE;
}

static gboolean
screenshot_saved (gpointer user_data)
{
  return ((Screenshot *) user_data)->saved;
}

/* Renders @window as it is painted next into screenshots/@name in the
 * tests' build directory. */
void
pt_ui_test_save_screenshot (gpointer    window,
                            const char *name)
{
  GtkWidget *widget = GTK_WIDGET (window);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  g_autofree char *dir = g_build_filename (pt_test_harness_env ("PT_TEST_BUILDDIR"),
                                           "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  Screenshot shot = { path, FALSE };
  gulong handler;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_object_set_data (G_OBJECT (clock), "pt-test-window", widget);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (render_after_paint), &shot);
  gtk_widget_queue_draw (widget);
  pt_test_assert_eventually (NULL, screenshot_saved, &shot, PT_TEST_TIMEOUT_SERVER_S);
  g_signal_handler_disconnect (clock, handler);
  g_test_message ("screenshot: %s", path);
}

/* The number of a cents label such as "+4.8 cents" or "−7.9 cents". */
double
pt_ui_test_parse_cents (const char *text)
{
  g_autofree char *ascii = g_strdup (text);
  char *minus = strstr (ascii, "−");

  if (minus != NULL)
    memcpy (minus, "  -", 3);  /* U+2212 is three bytes */
  return g_ascii_strtod (ascii, NULL);
}

GtkWidget *
pt_ui_test_template_child (gpointer    widget,
                           GType       template_type,
                           const char *name)
{
  GObject *child = gtk_widget_get_template_child (widget, template_type, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}
