/* pt-source.c — timeouts on the thread-default main context.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-source"

#include "config.h"

#include "pt-source.h"

GSource *
pt_timeout_attach (guint       interval_ms,
                   GSourceFunc func,
                   gpointer    user_data)
{
  GSource *source = g_timeout_source_new (interval_ms);

  g_source_set_callback (source, func, user_data, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

void
pt_clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}
