/* pt-hub.c — runs the analyser channels over each batch.
 *
 * Rules, in the order the hub applies them to each batch:
 * - A disabled channel is not called at all. Enabling it again resets it, so
 *   it never analyses a window that spans the gap.
 * - A channel runs on every Nth batch it is offered while enabled ("interval",
 *   default 1): batches 0, N, 2N, … counted from when it was added or enabled.
 * - Listeners: a channel added with a list of result signals (for example
 *   "frame" or "notify::frequency") runs only while at least one of them has
 *   an unblocked handler (g_signal_has_handler_pending); with no list it
 *   always runs. A channel that was idle for lack of listeners is reset when
 *   it has them again, for the same reason as above.
 * - Isolation: a channel that returns FALSE is reported on the hub's "error"
 *   signal with its name and the GError, then reset; the other channels get
 *   the same batch as if nothing happened.
 * Handlers may add, remove, enable or disable channels while a batch runs;
 * a channel removed in the middle of a batch is not called again.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-hub"

#include "config.h"

#include <gio/gio.h>

#include "pt-hub.h"

typedef struct
{
  char       *name;
  PtAnalyzer *analyzer;
  GArray     *signal_ids;      /* guint ids and GQuark details, in pairs */
  gboolean    enabled;
  gboolean    removed;
  gboolean    idle;            /* skipped for lack of listeners: reset before the next run */
  guint       interval;
  guint64     offered;
  guint64     runs;
  guint64     errors;
} PtHubChannel;

struct _PtHub
{
  GObject    parent_instance;

  GPtrArray *channels;         /* of PtHubChannel, refcounted with g_rc_box */
};

G_DEFINE_FINAL_TYPE (PtHub, pt_hub, G_TYPE_OBJECT)

enum {
  ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
channel_clear (PtHubChannel *channel)
{
  g_clear_pointer (&channel->name, g_free);
  g_clear_object (&channel->analyzer);
  g_clear_pointer (&channel->signal_ids, g_array_unref);
}

static void
channel_unref (gpointer channel)
{
  g_rc_box_release_full (channel, (GDestroyNotify) channel_clear);
}

static PtHubChannel *
find_channel (PtHub      *self,
              const char *name)
{
  for (guint i = 0; i < self->channels->len; i++)
    {
      PtHubChannel *channel = g_ptr_array_index (self->channels, i);

      if (g_strcmp0 (channel->name, name) == 0)
        return channel;
    }
  return NULL;
}

static gboolean
channel_is_listened (const PtHubChannel *channel)
{
  if (channel->signal_ids == NULL)
    return TRUE;

  for (guint i = 0; i + 1 < channel->signal_ids->len; i += 2)
    {
      guint signal_id = g_array_index (channel->signal_ids, guint, i);
      GQuark detail = g_array_index (channel->signal_ids, guint, i + 1);

      if (g_signal_has_handler_pending (channel->analyzer, signal_id, detail, FALSE))
        return TRUE;
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
  self->channels = g_ptr_array_new_with_free_func (channel_unref);
}

PtHub *
pt_hub_new (void)
{
  return g_object_new (PT_TYPE_HUB, NULL);
}

/* @result_signals: (nullable): detailed signal names of @analyzer whose
 * handlers make the channel worth running; NULL runs it always. Returns FALSE
 * when a channel of that name exists already. */
gboolean
pt_hub_add_channel (PtHub              *self,
                    const char         *name,
                    PtAnalyzer         *analyzer,
                    const char * const *result_signals)
{
  g_autoptr(GArray) signal_ids = NULL;
  PtHubChannel *channel;

  g_return_val_if_fail (PT_IS_HUB (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (PT_IS_ANALYZER (analyzer), FALSE);

  if (find_channel (self, name) != NULL)
    return FALSE;

  if (result_signals != NULL)
    {
      signal_ids = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint i = 0; result_signals[i] != NULL; i++)
        {
          guint signal_id;
          GQuark detail;

          if (!g_signal_parse_name (result_signals[i], G_OBJECT_TYPE (analyzer),
                                    &signal_id, &detail, TRUE))
            {
              g_critical ("%s: %s has no signal \"%s\"", G_STRFUNC,
                          G_OBJECT_TYPE_NAME (analyzer), result_signals[i]);
              return FALSE;
            }
          g_array_append_val (signal_ids, signal_id);
          g_array_append_val (signal_ids, detail);
        }
    }

  channel = g_rc_box_new0 (PtHubChannel);
  channel->name = g_strdup (name);
  channel->analyzer = g_object_ref (analyzer);
  channel->signal_ids = g_steal_pointer (&signal_ids);
  channel->enabled = TRUE;
  channel->interval = 1;
  g_ptr_array_add (self->channels, channel);
  return TRUE;
}

gboolean
pt_hub_remove_channel (PtHub      *self,
                       const char *name)
{
  PtHubChannel *channel;

  g_return_val_if_fail (PT_IS_HUB (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  channel = find_channel (self, name);
  if (channel == NULL)
    return FALSE;
  channel->removed = TRUE;
  g_ptr_array_remove (self->channels, channel);
  return TRUE;
}

gboolean
pt_hub_has_channel (PtHub      *self,
                    const char *name)
{
  g_return_val_if_fail (PT_IS_HUB (self), FALSE);
  return find_channel (self, name) != NULL;
}

/* Returns: (transfer none) (nullable) */
PtAnalyzer *
pt_hub_get_analyzer (PtHub      *self,
                     const char *name)
{
  PtHubChannel *channel;

  g_return_val_if_fail (PT_IS_HUB (self), NULL);
  channel = find_channel (self, name);
  return channel != NULL ? channel->analyzer : NULL;
}

guint
pt_hub_get_n_channels (PtHub *self)
{
  g_return_val_if_fail (PT_IS_HUB (self), 0);
  return self->channels->len;
}

void
pt_hub_set_channel_enabled (PtHub      *self,
                            const char *name,
                            gboolean    enabled)
{
  PtHubChannel *channel;

  g_return_if_fail (PT_IS_HUB (self));
  channel = find_channel (self, name);
  g_return_if_fail (channel != NULL);

  enabled = !!enabled;
  if (channel->enabled == enabled)
    return;
  channel->enabled = enabled;
  if (enabled)
    {
      channel->offered = 0;
      pt_analyzer_reset (channel->analyzer);
    }
}

gboolean
pt_hub_get_channel_enabled (PtHub      *self,
                            const char *name)
{
  PtHubChannel *channel;

  g_return_val_if_fail (PT_IS_HUB (self), FALSE);
  channel = find_channel (self, name);
  g_return_val_if_fail (channel != NULL, FALSE);
  return channel->enabled;
}

void
pt_hub_set_channel_interval (PtHub      *self,
                             const char *name,
                             guint       every_n_batches)
{
  PtHubChannel *channel;

  g_return_if_fail (PT_IS_HUB (self));
  g_return_if_fail (every_n_batches >= 1);
  channel = find_channel (self, name);
  g_return_if_fail (channel != NULL);

  channel->interval = every_n_batches;
}

guint
pt_hub_get_channel_interval (PtHub      *self,
                             const char *name)
{
  PtHubChannel *channel;

  g_return_val_if_fail (PT_IS_HUB (self), 0);
  channel = find_channel (self, name);
  g_return_val_if_fail (channel != NULL, 0);
  return channel->interval;
}

gboolean
pt_hub_get_channel_listened (PtHub      *self,
                             const char *name)
{
  PtHubChannel *channel;

  g_return_val_if_fail (PT_IS_HUB (self), FALSE);
  channel = find_channel (self, name);
  g_return_val_if_fail (channel != NULL, FALSE);
  return channel_is_listened (channel);
}

/* Times the channel's process_batch was called. */
guint64
pt_hub_get_channel_runs (PtHub      *self,
                         const char *name)
{
  PtHubChannel *channel;

  g_return_val_if_fail (PT_IS_HUB (self), 0);
  channel = find_channel (self, name);
  g_return_val_if_fail (channel != NULL, 0);
  return channel->runs;
}

guint64
pt_hub_get_channel_errors (PtHub      *self,
                           const char *name)
{
  PtHubChannel *channel;

  g_return_val_if_fail (PT_IS_HUB (self), 0);
  channel = find_channel (self, name);
  g_return_val_if_fail (channel != NULL, 0);
  return channel->errors;
}

static void
run_channel (PtHub                 *self,
             PtHubChannel          *channel,
             const PtAnalysisBatch *batch)
{
  g_autoptr(GError) error = NULL;
  guint64 position;

  if (channel->removed || !channel->enabled)
    return;

  position = channel->offered++;
  if (position % channel->interval != 0)
    return;

  if (!channel_is_listened (channel))
    {
      channel->idle = TRUE;
      return;
    }
  if (channel->idle)
    {
      channel->idle = FALSE;
      pt_analyzer_reset (channel->analyzer);
    }

  channel->runs++;
  if (pt_analyzer_process_batch (channel->analyzer, batch, &error))
    return;

  channel->errors++;
  if (error == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         "The analyser failed without saying why");
  pt_analyzer_reset (channel->analyzer);
  g_signal_emit (self, signals[ERROR], 0, channel->name, error);
}

void
pt_hub_process_batch (PtHub                 *self,
                      const PtAnalysisBatch *batch)
{
  g_autoptr(GPtrArray) snapshot = NULL;

  g_return_if_fail (PT_IS_HUB (self));
  g_return_if_fail (batch != NULL);

  /* Handlers run inside this loop may change the channel list. */
  snapshot = g_ptr_array_new_full (self->channels->len, channel_unref);
  for (guint i = 0; i < self->channels->len; i++)
    g_ptr_array_add (snapshot, g_rc_box_acquire (g_ptr_array_index (self->channels, i)));

  g_object_ref (self);
  for (guint i = 0; i < snapshot->len; i++)
    run_channel (self, g_ptr_array_index (snapshot, i), batch);
  g_object_unref (self);
}

/* Resets every channel, as at a stream restart. */
void
pt_hub_reset (PtHub *self)
{
  g_return_if_fail (PT_IS_HUB (self));

  for (guint i = 0; i < self->channels->len; i++)
    {
      PtHubChannel *channel = g_ptr_array_index (self->channels, i);

      channel->offered = 0;
      pt_analyzer_reset (channel->analyzer);
    }
}
