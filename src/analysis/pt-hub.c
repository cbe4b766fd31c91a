/* pt-hub.c — runs the analyser channels over each batch.
 *
 * Rules, in the order the hub applies them to each batch:
 * - Each channel in turn is offered the batch and decides by its own rules
 *   whether to run (pt-hub-channel.c: disabled channels are not called,
 *   intervals, claims, resets after a gap).
 * - Isolation: a channel that fails is reported on the hub's "error" signal
 *   with its name and the GError, after it has been reset; the other
 *   channels get the same batch as if nothing happened.
 * Handlers may add, remove, enable or disable channels while a batch runs;
 * a channel removed in the middle of a batch is not called again, one added
 * gets its first batch with the next one.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-hub"

#include "config.h"

#include "pt-hub-channel-private.h"
#include "pt-hub.h"

struct _PtHub
{
  GObject    parent_instance;

  GPtrArray *channels;         /* of PtHubChannel, owned */
};

static void pt_hub_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PtHub, pt_hub, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pt_hub_list_model_init))

enum {
  ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
pt_hub_get_item_type (GListModel *model)
{
  return PT_TYPE_HUB_CHANNEL;
}

static guint
pt_hub_get_n_items (GListModel *model)
{
  return PT_HUB (model)->channels->len;
}

static gpointer
pt_hub_get_item (GListModel *model,
                 guint       position)
{
  PtHub *self = PT_HUB (model);

  if (position >= self->channels->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->channels, position));
}

static void
pt_hub_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pt_hub_get_item_type;
  iface->get_n_items = pt_hub_get_n_items;
  iface->get_item = pt_hub_get_item;
}

static gboolean
find_channel (PtHub      *self,
              const char *name,
              guint      *position)
{
  for (guint i = 0; i < self->channels->len; i++)
    {
      PtHubChannel *channel = g_ptr_array_index (self->channels, i);

      if (g_strcmp0 (pt_hub_channel_get_name (channel), name) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
pt_hub_dispose (GObject *object)
{
  PtHub *self = PT_HUB (object);

  if (self->channels != NULL)
    g_ptr_array_set_size (self->channels, 0);

  G_OBJECT_CLASS (pt_hub_parent_class)->dispose (object);
}

static void
pt_hub_finalize (GObject *object)
{
  PtHub *self = PT_HUB (object);

  g_clear_pointer (&self->channels, g_ptr_array_unref);

  G_OBJECT_CLASS (pt_hub_parent_class)->finalize (object);
}

static void
pt_hub_class_init (PtHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pt_hub_dispose;
  object_class->finalize = pt_hub_finalize;

  /* (const char *channel_name, const GError *error), after which the channel
   * has been reset. */
  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_STRING, G_TYPE_ERROR);
}

static void
pt_hub_init (PtHub *self)
{
  self->channels = g_ptr_array_new_with_free_func (g_object_unref);
}

PtHub *
pt_hub_new (void)
{
  return g_object_new (PT_TYPE_HUB, NULL);
}

/* Adds a channel at the end of the list, enabled, run on every batch.
 * Returns: (transfer none) (nullable): the channel, or NULL when one of
 * that name exists already. */
PtHubChannel *
pt_hub_add_channel (PtHub            *self,
                    const char       *name,
                    PtAnalyzer       *analyzer,
                    PtHubChannelMode  mode)
{
  PtHubChannel *channel;
  guint position;

  g_return_val_if_fail (PT_IS_HUB (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (PT_IS_ANALYZER (analyzer), NULL);

  if (find_channel (self, name, &position))
    return NULL;

  channel = pt_hub_channel_new (name, analyzer, mode);
  g_ptr_array_add (self->channels, channel);
  g_list_model_items_changed (G_LIST_MODEL (self), self->channels->len - 1, 0, 1);
  return channel;
}

/* Returns: (transfer none) (nullable) */
PtHubChannel *
pt_hub_lookup_channel (PtHub      *self,
                       const char *name)
{
  guint position;

  g_return_val_if_fail (PT_IS_HUB (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!find_channel (self, name, &position))
    return NULL;
  return g_ptr_array_index (self->channels, position);
}

gboolean
pt_hub_remove_channel (PtHub      *self,
                       const char *name)
{
  guint position;

  g_return_val_if_fail (PT_IS_HUB (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!find_channel (self, name, &position))
    return FALSE;
  g_ptr_array_remove_index (self->channels, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  return TRUE;
}

static void
offer_batch (PtHub                 *self,
             PtHubChannel          *channel,
             const PtAnalysisBatch *batch)
{
  g_autoptr(GError) error = NULL;

  /* Removed by a handler earlier in this batch. */
  if (!g_ptr_array_find (self->channels, channel, NULL))
    return;

  if (!pt_hub_channel_offer (channel, batch, &error))
    g_signal_emit (self, signals[ERROR], 0, pt_hub_channel_get_name (channel), error);
}

void
pt_hub_process_batch (PtHub                 *self,
                      const PtAnalysisBatch *batch)
{
  g_autoptr(GPtrArray) snapshot = NULL;

  g_return_if_fail (PT_IS_HUB (self));
  g_return_if_fail (batch != NULL);

  /* Handlers run inside this loop may change the channel list. */
  snapshot = g_ptr_array_new_full (self->channels->len, g_object_unref);
  for (guint i = 0; i < self->channels->len; i++)
    g_ptr_array_add (snapshot, g_object_ref (g_ptr_array_index (self->channels, i)));

  g_object_ref (self);
  for (guint i = 0; i < snapshot->len; i++)
    offer_batch (self, g_ptr_array_index (snapshot, i), batch);
  g_object_unref (self);
}

/* Resets every channel, as at a stream restart. */
void
pt_hub_reset (PtHub *self)
{
  g_return_if_fail (PT_IS_HUB (self));

  for (guint i = 0; i < self->channels->len; i++)
    pt_hub_channel_reset (g_ptr_array_index (self->channels, i));
}
