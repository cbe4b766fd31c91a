/* pt-drawing.c — colours from the stylesheet and anchored text for the
 * widgets that draw with GtkSnapshot.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-drawing"

#include "config.h"

#include "pt-drawing.h"

/* @name is an @define-color of style.css; they build on libadwaita's named
 * colours, which the dark stylesheet redefines. A missing name is a bug of
 * the stylesheet: warn (fatal in tests) and draw in the foreground colour. */
void
pt_drawing_lookup_color (GtkWidget  *widget,
                         const char *name,
                         GdkRGBA    *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  if (gtk_style_context_lookup_color (context, name, color))
    return;
  g_warning ("style.css defines no colour named %s", name);
  gtk_style_context_get_color (context, color);
}

/* Draws @text with the widget's font scaled by @scale, so that the point
 * (@xalign, @yalign) of its ink box lands on (@x, @y). */
void
pt_drawing_append_text (GtkSnapshot   *snapshot,
                        GtkWidget     *widget,
                        const char    *text,
                        float          x,
                        float          y,
                        float          xalign,
                        float          yalign,
                        double         scale,
                        const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attributes = pango_attr_list_new ();
  PangoRectangle ink;

  pango_attr_list_insert (attributes, pango_attr_scale_new (scale));
  pango_layout_set_attributes (layout, attributes);
  pango_attr_list_unref (attributes);
  pango_layout_get_pixel_extents (layout, &ink, NULL);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (x - ink.x - xalign * ink.width,
                                                y - ink.y - yalign * ink.height));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}
