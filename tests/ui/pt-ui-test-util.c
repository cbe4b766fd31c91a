/* pt-ui-test-util.c — helpers of the ui tests.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <X11/extensions/XTest.h>

#include "pt-test-util.h"
#include "pt-ui-test-util.h"

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

GtkWidget *
pt_ui_test_template_child (gpointer    widget,
                           GType       template_type,
                           const char *name)
{
  GObject *child = gtk_widget_get_template_child (widget, template_type, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}
