/* pt-message-log.c — the debug panel's message log.
 *
 * Each envelope becomes one line of pt_envelope_to_json () at once; the
 * envelope itself is never kept, so a logged batch's buffer goes back to
 * the pool as soon as its dispatch ends. Batches come ~50 a second: one is
 * logged per PT_MESSAGE_LOG_BATCH_INTERVAL_MS of envelope time (the
 * envelope's own timestamp, so the sampling follows the stream, not the
 * main loop) and the next batch line says how many were left out. The
 * model lists the newest line first, so a view of it needs no scrolling to
 * follow; lines past the capacity drop off its end.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-message-log"

#include "config.h"

#include <string.h>

#include "pt-message-log.h"
#include "pt-protocol-json.h"

struct _PtMessageLogEntry
{
  GObject        parent_instance;

  char          *text;
  PtMessageType  type;
  gboolean       outgoing;
  guint64        skipped;
};

G_DEFINE_FINAL_TYPE (PtMessageLogEntry, pt_message_log_entry, G_TYPE_OBJECT)

static void
pt_message_log_entry_finalize (GObject *object)
{
  g_free (PT_MESSAGE_LOG_ENTRY (object)->text);

  G_OBJECT_CLASS (pt_message_log_entry_parent_class)->finalize (object);
}

static void
pt_message_log_entry_class_init (PtMessageLogEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pt_message_log_entry_finalize;
}

static void
pt_message_log_entry_init (PtMessageLogEntry *self)
{
}

const char *
pt_message_log_entry_get_text (PtMessageLogEntry *self)
{
  g_return_val_if_fail (PT_IS_MESSAGE_LOG_ENTRY (self), NULL);
  return self->text;
}

PtMessageType
pt_message_log_entry_get_message_type (PtMessageLogEntry *self)
{
  g_return_val_if_fail (PT_IS_MESSAGE_LOG_ENTRY (self), PT_MESSAGE_START_PROCESSING);
  return self->type;
}

gboolean
pt_message_log_entry_get_outgoing (PtMessageLogEntry *self)
{
  g_return_val_if_fail (PT_IS_MESSAGE_LOG_ENTRY (self), FALSE);
  return self->outgoing;
}

guint64
pt_message_log_entry_get_skipped (PtMessageLogEntry *self)
{
  g_return_val_if_fail (PT_IS_MESSAGE_LOG_ENTRY (self), 0);
  return self->skipped;
}

struct _PtMessageLog
{
  GObject    parent_instance;

  GPtrArray *entries;          /* of PtMessageLogEntry, oldest first; the model reverses it */
  guint      capacity;
  gboolean   logged_batch;
  double     last_batch_ms;    /* envelope time of the last batch logged */
  guint64    skipped_batches;  /* since then */
};

static void pt_message_log_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PtMessageLog, pt_message_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pt_message_log_list_model_init))

static GType
pt_message_log_get_item_type (GListModel *model)
{
  return PT_TYPE_MESSAGE_LOG_ENTRY;
}

static guint
pt_message_log_get_n_items (GListModel *model)
{
  return PT_MESSAGE_LOG (model)->entries->len;
}

static gpointer
pt_message_log_get_item (GListModel *model,
                         guint       position)
{
  PtMessageLog *self = PT_MESSAGE_LOG (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, self->entries->len - 1 - position));
}

static void
pt_message_log_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pt_message_log_get_item_type;
  iface->get_n_items = pt_message_log_get_n_items;
  iface->get_item = pt_message_log_get_item;
}

static void
pt_message_log_finalize (GObject *object)
{
  g_ptr_array_unref (PT_MESSAGE_LOG (object)->entries);

  G_OBJECT_CLASS (pt_message_log_parent_class)->finalize (object);
}

static void
pt_message_log_class_init (PtMessageLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pt_message_log_finalize;
}

static void
pt_message_log_init (PtMessageLog *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
}

PtMessageLog *
pt_message_log_new (guint capacity)
{
  PtMessageLog *self;

  g_return_val_if_fail (capacity > 0, NULL);

  self = g_object_new (PT_TYPE_MESSAGE_LOG, NULL);
  self->capacity = capacity;
  return self;
}

guint
pt_message_log_get_capacity (PtMessageLog *self)
{
  g_return_val_if_fail (PT_IS_MESSAGE_LOG (self), 0);
  return self->capacity;
}

/* Whether a batch at @timestamp_ms is logged; counts it when it is not. */
static gboolean
sample_batch (PtMessageLog *self,
              double        timestamp_ms)
{
  if (self->logged_batch
      && timestamp_ms - self->last_batch_ms < PT_MESSAGE_LOG_BATCH_INTERVAL_MS
      && timestamp_ms >= self->last_batch_ms)
    {
      self->skipped_batches++;
      return FALSE;
    }
  self->logged_batch = TRUE;
  self->last_batch_ms = timestamp_ms;
  return TRUE;
}

void
pt_message_log_append (PtMessageLog     *self,
                       const PtEnvelope *envelope,
                       gboolean          outgoing)
{
  g_autofree char *text = NULL;
  PtMessageLogEntry *entry;

  g_return_if_fail (PT_IS_MESSAGE_LOG (self));
  g_return_if_fail (envelope != NULL);

  if (envelope->type == PT_MESSAGE_AUDIO_DATA_BATCH && !sample_batch (self, envelope->timestamp_ms))
    return;
  text = pt_envelope_to_json (envelope);
  g_return_if_fail (text != NULL);

  entry = g_object_new (PT_TYPE_MESSAGE_LOG_ENTRY, NULL);
  entry->text = g_steal_pointer (&text);
  entry->type = envelope->type;
  entry->outgoing = !!outgoing;
  if (envelope->type == PT_MESSAGE_AUDIO_DATA_BATCH)
    {
      entry->skipped = self->skipped_batches;
      self->skipped_batches = 0;
    }

  if (self->entries->len == self->capacity)
    {
      g_ptr_array_remove_index (self->entries, 0);
      g_list_model_items_changed (G_LIST_MODEL (self), self->entries->len, 1, 0);
    }
  g_ptr_array_add (self->entries, entry);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
}

void
pt_message_log_clear (PtMessageLog *self)
{
  guint removed;

  g_return_if_fail (PT_IS_MESSAGE_LOG (self));

  removed = self->entries->len;
  g_ptr_array_set_size (self->entries, 0);
  self->logged_batch = FALSE;
  self->skipped_batches = 0;
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
}

gboolean
pt_message_log_write (PtMessageLog   *self,
                      GOutputStream  *stream,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_return_val_if_fail (PT_IS_MESSAGE_LOG (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  for (guint i = 0; i < self->entries->len; i++)
    {
      PtMessageLogEntry *entry = g_ptr_array_index (self->entries, i);

      if (!g_output_stream_write_all (stream, entry->text, strlen (entry->text), NULL,
                                      cancellable, error)
          || !g_output_stream_write_all (stream, "\n", 1, NULL, cancellable, error))
        return FALSE;
    }
  return TRUE;
}
