/* pt-cents-meter.h — how far the note is from in tune, as a needle on a
 * ±50 cent scale that moves like a real damped one.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PT_TYPE_CENTS_METER (pt_cents_meter_get_type ())
G_DECLARE_FINAL_TYPE (PtCentsMeter, pt_cents_meter, PT, CENTS_METER, GtkWidget)

GtkWidget *pt_cents_meter_new                (void);
double     pt_cents_meter_get_cents          (PtCentsMeter *self);
void       pt_cents_meter_set_cents          (PtCentsMeter *self,
                                              double        cents);
double     pt_cents_meter_get_needle_cents   (PtCentsMeter *self);
double     pt_cents_meter_get_tolerance      (PtCentsMeter *self);
void       pt_cents_meter_set_tolerance      (PtCentsMeter *self,
                                              double        cents);
gboolean   pt_cents_meter_get_active         (PtCentsMeter *self);
void       pt_cents_meter_set_active         (PtCentsMeter *self,
                                              gboolean      active);
gboolean   pt_cents_meter_get_in_tune        (PtCentsMeter *self);
char      *pt_cents_meter_dup_description    (PtCentsMeter *self);

G_END_DECLS
