/* pt-drawing.h — what the custom widgets share when they draw: colours
 * named in style.css (so no colour lives in C, and dark and light follow the
 * stylesheet), and a line of text placed by an anchor.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void pt_drawing_lookup_color (GtkWidget     *widget,
                              const char    *name,
                              GdkRGBA       *color);
void pt_drawing_append_text  (GtkSnapshot   *snapshot,
                              GtkWidget     *widget,
                              const char    *text,
                              float          x,
                              float          y,
                              float          xalign,
                              float          yalign,
                              double         scale,
                              const GdkRGBA *color);

G_END_DECLS
