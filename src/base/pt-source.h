/* pt-source.h — timeouts on the caller's thread-default main context, so that
 * objects created on a private context (as tests do) keep their timers there.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A timeout of @interval_ms attached to the thread-default main context;
 * the caller owns the returned reference (destroy it with pt_clear_source). */
GSource *pt_timeout_attach (guint        interval_ms,
                            GSourceFunc  func,
                            gpointer     user_data);

/* Destroys *@source, if any, and drops the reference. */
void     pt_clear_source   (GSource    **source);

G_END_DECLS
