/* pt-ui-test-util.h — what the ui tests share: the application they run
 * in, waiting conditions on widgets, template children.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pt-application.h"

G_BEGIN_DECLS

PtApplication *pt_ui_test_app_new        (void);
void           pt_ui_test_app_free       (PtApplication *app);
void           pt_ui_test_show_window    (gpointer       window);
void           pt_ui_test_destroy_window (gpointer       window);
void           pt_ui_test_press_key      (gpointer       window,
                                          unsigned long  modifier_keysym,
                                          unsigned long  keysym);
GtkWidget     *pt_ui_test_template_child (gpointer       widget,
                                          GType          template_type,
                                          const char    *name);

G_END_DECLS
