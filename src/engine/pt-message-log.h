/* pt-message-log.h — the last envelopes both ways as lines of JSON, for the
 * debug panel: a GListModel of PtMessageLogEntry, newest first. It keeps
 * text, never an envelope, so it holds no pooled buffer; batches are
 * sampled so the rest stays readable.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pt-envelope.h"

G_BEGIN_DECLS

#define PT_MESSAGE_LOG_DEFAULT_CAPACITY     200
/* At most one AudioDataBatch line in this span of envelope time. */
#define PT_MESSAGE_LOG_BATCH_INTERVAL_MS    1000.0

/* One line: the envelope's JSON and what the list shows beside it. */
#define PT_TYPE_MESSAGE_LOG_ENTRY (pt_message_log_entry_get_type ())
G_DECLARE_FINAL_TYPE (PtMessageLogEntry, pt_message_log_entry, PT, MESSAGE_LOG_ENTRY, GObject)

const char    *pt_message_log_entry_get_text     (PtMessageLogEntry *self);
PtMessageType  pt_message_log_entry_get_message_type (PtMessageLogEntry *self);
gboolean       pt_message_log_entry_get_outgoing (PtMessageLogEntry *self);
/* Batches left out of the log since the previous batch line. */
guint64        pt_message_log_entry_get_skipped  (PtMessageLogEntry *self);

#define PT_TYPE_MESSAGE_LOG (pt_message_log_get_type ())
G_DECLARE_FINAL_TYPE (PtMessageLog, pt_message_log, PT, MESSAGE_LOG, GObject)

PtMessageLog *pt_message_log_new         (guint              capacity);

guint         pt_message_log_get_capacity (PtMessageLog     *self);
/* Logs @envelope (borrowed: only its JSON is kept); @outgoing: to the worklet. */
void          pt_message_log_append      (PtMessageLog      *self,
                                          const PtEnvelope  *envelope,
                                          gboolean           outgoing);
void          pt_message_log_clear       (PtMessageLog      *self);
/* Every line, oldest first, as JSON Lines. */
gboolean      pt_message_log_write       (PtMessageLog      *self,
                                          GOutputStream     *stream,
                                          GCancellable      *cancellable,
                                          GError           **error);

G_END_DECLS
