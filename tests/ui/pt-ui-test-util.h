/* pt-ui-test-util.h — what the ui tests share: the application they run
 * in, waiting conditions on widgets, template children.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pt-application.h"
#include "pt-hub.h"

G_BEGIN_DECLS

#define PT_UI_TEST_RATE  48000.0
#define PT_UI_TEST_BATCH 1024  /* the most samples a batch may have */

typedef struct
{
  double frequency;
  double amplitude;      /* 0: silence */
  double vibrato_cents;  /* depth of a 5.5 Hz vibrato */
} PtUiTestTone;

/* Feeds a hub, as the engine does, phase-continuous across tones (or only
 * renders them, with no hub). */
typedef struct
{
  PtHub   *hub;
  guint64  position;
  double   phase;
} PtUiTestSource;

void           pt_ui_test_source_render     (PtUiTestSource     *source,
                                             const PtUiTestTone *tone,
                                             float              *samples,
                                             gsize               n_samples);
void           pt_ui_test_source_feed_batch (PtUiTestSource     *source,
                                             const PtUiTestTone *tone,
                                             guint               n_samples);
void           pt_ui_test_source_feed       (PtUiTestSource     *source,
                                             const PtUiTestTone *tone,
                                             double              duration_s);
void           pt_ui_test_source_run_paced  (PtUiTestSource     *source,
                                             const PtUiTestTone *tone,
                                             guint               batch,
                                             double              duration_s);

PtApplication *pt_ui_test_app_new        (void);
void           pt_ui_test_app_free       (PtApplication *app);
GtkWindow     *pt_ui_test_activate_window (PtApplication *app);
void           pt_ui_test_show_window    (gpointer       window);
void           pt_ui_test_destroy_window (gpointer       window);
void           pt_ui_test_press_key      (gpointer       window,
                                          unsigned long  modifier_keysym,
                                          unsigned long  keysym);
void           pt_ui_test_save_screenshot (gpointer      window,
                                           const char   *name);
double         pt_ui_test_parse_cents    (const char    *text);
double         pt_ui_test_cpu_seconds    (void);
void           pt_ui_test_count_paint    (GdkFrameClock *clock,
                                          guint         *paints);
GtkWidget     *pt_ui_test_template_child (gpointer       widget,
                                          GType          template_type,
                                          const char    *name);

G_END_DECLS
