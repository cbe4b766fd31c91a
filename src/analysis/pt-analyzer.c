/* pt-analyzer.c — the channel interface every analyser implements.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-analyzer"

#include "config.h"

#include "pt-analyzer.h"

G_DEFINE_INTERFACE (PtAnalyzer, pt_analyzer, G_TYPE_OBJECT)

static void
pt_analyzer_default_init (PtAnalyzerInterface *iface)
{
}

/* Returns FALSE and sets @error when the analyser failed on this batch; the
 * hub then reports it and resets this channel alone. */
gboolean
pt_analyzer_process_batch (PtAnalyzer            *self,
                           const PtAnalysisBatch *batch,
                           GError               **error)
{
  g_return_val_if_fail (PT_IS_ANALYZER (self), FALSE);
  g_return_val_if_fail (batch != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return PT_ANALYZER_GET_IFACE (self)->process_batch (self, batch, error);
}

void
pt_analyzer_reset (PtAnalyzer *self)
{
  g_return_if_fail (PT_IS_ANALYZER (self));

  if (PT_ANALYZER_GET_IFACE (self)->reset != NULL)
    PT_ANALYZER_GET_IFACE (self)->reset (self);
}
