/* pt-hub-channel.c — one analyser channel of the hub.
 *
 * Rules, in the order a batch meets them (pt_hub_channel_offer):
 * - A disabled channel is not called at all. Enabling it again resets it, so
 *   it never analyses a window that spans the gap.
 * - It runs on every Nth batch it is offered while enabled ("interval",
 *   default 1): batches 0, N, 2N, … counted from when it was made, enabled
 *   or reset.
 * - Claims: a CLAIMED channel runs only while its claim count is above zero
 *   (a widget claims while mapped, --headless claims "pitch"). One that let a
 *   batch go by for want of a claim is reset before it next runs, for the
 *   same reason as above.
 * - A failing analyser is counted and reset here; the hub reports it.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-hub"

#include "config.h"

#include <gio/gio.h>

#include "pt-analysis-enum-types.h"
#include "pt-hub-channel-private.h"

struct _PtHubChannel
{
  GObject          parent_instance;

  char            *name;
  PtAnalyzer      *analyzer;
  PtHubChannelMode mode;
  gboolean         enabled;
  guint            interval;
  guint            claims;
  gboolean         idle;         /* skipped for want of a claim: reset before the next run */
  guint64          offered;
  guint64          runs;
  guint64          errors;
  gint64           total_time_us;
  gint64           max_time_us;
};

G_DEFINE_FINAL_TYPE (PtHubChannel, pt_hub_channel, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ANALYZER,
  PROP_MODE,
  PROP_ENABLED,
  PROP_INTERVAL,
  PROP_CLAIMS,
  PROP_ACTIVE,
  PROP_RUNS,
  PROP_ERRORS,
  PROP_MEAN_TIME_US,
  PROP_MAX_TIME_US,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
notify_active_if_changed (PtHubChannel *self,
                          gboolean      was_active)
{
  if (pt_hub_channel_get_active (self) != was_active)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static void
pt_hub_channel_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PtHubChannel *self = PT_HUB_CHANNEL (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ANALYZER:
      g_value_set_object (value, self->analyzer);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    case PROP_CLAIMS:
      g_value_set_uint (value, self->claims);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, pt_hub_channel_get_active (self));
      break;
    case PROP_RUNS:
      g_value_set_uint64 (value, self->runs);
      break;
    case PROP_ERRORS:
      g_value_set_uint64 (value, self->errors);
      break;
    case PROP_MEAN_TIME_US:
      g_value_set_double (value, pt_hub_channel_get_mean_time_us (self));
      break;
    case PROP_MAX_TIME_US:
      g_value_set_double (value, pt_hub_channel_get_max_time_us (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_hub_channel_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PtHubChannel *self = PT_HUB_CHANNEL (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_ANALYZER:
      self->analyzer = g_value_dup_object (value);
      break;
    case PROP_MODE:
      self->mode = g_value_get_enum (value);
      break;
    case PROP_ENABLED:
      pt_hub_channel_set_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_INTERVAL:
      pt_hub_channel_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_hub_channel_dispose (GObject *object)
{
  g_clear_object (&PT_HUB_CHANNEL (object)->analyzer);

  G_OBJECT_CLASS (pt_hub_channel_parent_class)->dispose (object);
}

static void
pt_hub_channel_finalize (GObject *object)
{
  g_free (PT_HUB_CHANNEL (object)->name);

  G_OBJECT_CLASS (pt_hub_channel_parent_class)->finalize (object);
}

static void
install_properties (GObjectClass *object_class)
{
  const GParamFlags flags = G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | flags;
  const GParamFlags settable = G_PARAM_READWRITE | flags;
  const GParamFlags readable = G_PARAM_READABLE | flags;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, construct);
  properties[PROP_ANALYZER] =
    g_param_spec_object ("analyzer", NULL, NULL, PT_TYPE_ANALYZER, construct);
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, PT_TYPE_HUB_CHANNEL_MODE,
                       PT_HUB_CHANNEL_ALWAYS, construct);
  properties[PROP_ENABLED] = g_param_spec_boolean ("enabled", NULL, NULL, TRUE, settable);
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 1, G_MAXUINT, 1, settable);
  properties[PROP_CLAIMS] = g_param_spec_uint ("claims", NULL, NULL, 0, G_MAXUINT, 0, readable);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, readable);
  properties[PROP_RUNS] = g_param_spec_uint64 ("runs", NULL, NULL, 0, G_MAXUINT64, 0, readable);
  properties[PROP_ERRORS] =
    g_param_spec_uint64 ("errors", NULL, NULL, 0, G_MAXUINT64, 0, readable);
  properties[PROP_MEAN_TIME_US] =
    g_param_spec_double ("mean-time-us", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, readable);
  properties[PROP_MAX_TIME_US] =
    g_param_spec_double ("max-time-us", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, readable);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pt_hub_channel_class_init (PtHubChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = pt_hub_channel_get_property;
  object_class->set_property = pt_hub_channel_set_property;
  object_class->dispose = pt_hub_channel_dispose;
  object_class->finalize = pt_hub_channel_finalize;
  install_properties (object_class);
}

static void
pt_hub_channel_init (PtHubChannel *self)
{
  self->enabled = TRUE;
  self->interval = 1;
}

PtHubChannel *
pt_hub_channel_new (const char       *name,
                    PtAnalyzer       *analyzer,
                    PtHubChannelMode  mode)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (PT_IS_ANALYZER (analyzer), NULL);

  return g_object_new (PT_TYPE_HUB_CHANNEL, "name", name, "analyzer", analyzer,
                       "mode", mode, NULL);
}

const char *
pt_hub_channel_get_name (PtHubChannel *self)
{
  g_return_val_if_fail (PT_IS_HUB_CHANNEL (self), NULL);
  return self->name;
}

/* Returns: (transfer none) */
PtAnalyzer *
pt_hub_channel_get_analyzer (PtHubChannel *self)
{
  g_return_val_if_fail (PT_IS_HUB_CHANNEL (self), NULL);
  return self->analyzer;
}

PtHubChannelMode
pt_hub_channel_get_mode (PtHubChannel *self)
{
  g_return_val_if_fail (PT_IS_HUB_CHANNEL (self), PT_HUB_CHANNEL_ALWAYS);
  return self->mode;
}

gboolean
pt_hub_channel_get_enabled (PtHubChannel *self)
{
  g_return_val_if_fail (PT_IS_HUB_CHANNEL (self), FALSE);
  return self->enabled;
}

/* Enabling a disabled channel resets it first. */
void
pt_hub_channel_set_enabled (PtHubChannel *self,
                            gboolean      enabled)
{
  gboolean was_active;

  g_return_if_fail (PT_IS_HUB_CHANNEL (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  was_active = pt_hub_channel_get_active (self);
  self->enabled = enabled;
  if (enabled)
    pt_hub_channel_reset (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
  notify_active_if_changed (self, was_active);
}

guint
pt_hub_channel_get_interval (PtHubChannel *self)
{
  g_return_val_if_fail (PT_IS_HUB_CHANNEL (self), 0);
  return self->interval;
}

void
pt_hub_channel_set_interval (PtHubChannel *self,
                             guint         every_n_batches)
{
  g_return_if_fail (PT_IS_HUB_CHANNEL (self));
  g_return_if_fail (every_n_batches >= 1);

  if (self->interval == every_n_batches)
    return;
  self->interval = every_n_batches;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

guint
pt_hub_channel_get_claims (PtHubChannel *self)
{
  g_return_val_if_fail (PT_IS_HUB_CHANNEL (self), 0);
  return self->claims;
}

/* Claims nest: the channel stays claimed until each claim is released. */
void
pt_hub_channel_claim (PtHubChannel *self)
{
  gboolean was_active;

  g_return_if_fail (PT_IS_HUB_CHANNEL (self));
  g_return_if_fail (self->claims < G_MAXUINT);

  was_active = pt_hub_channel_get_active (self);
  self->claims++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLAIMS]);
  notify_active_if_changed (self, was_active);
}

void
pt_hub_channel_release (PtHubChannel *self)
{
  gboolean was_active;

  g_return_if_fail (PT_IS_HUB_CHANNEL (self));
  g_return_if_fail (self->claims > 0);

  was_active = pt_hub_channel_get_active (self);
  self->claims--;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLAIMS]);
  notify_active_if_changed (self, was_active);
}

/* Whether the next batch due for it would run it: enabled and, in the
 * CLAIMED mode, claimed. */
gboolean
pt_hub_channel_get_active (PtHubChannel *self)
{
  g_return_val_if_fail (PT_IS_HUB_CHANNEL (self), FALSE);
  return self->enabled && (self->mode == PT_HUB_CHANNEL_ALWAYS || self->claims > 0);
}

/* Times the analyser's process_batch was called. */
guint64
pt_hub_channel_get_runs (PtHubChannel *self)
{
  g_return_val_if_fail (PT_IS_HUB_CHANNEL (self), 0);
  return self->runs;
}

guint64
pt_hub_channel_get_errors (PtHubChannel *self)
{
  g_return_val_if_fail (PT_IS_HUB_CHANNEL (self), 0);
  return self->errors;
}

/* Wall time of process_batch in microseconds, over every run; 0 before the
 * first. */
double
pt_hub_channel_get_mean_time_us (PtHubChannel *self)
{
  g_return_val_if_fail (PT_IS_HUB_CHANNEL (self), 0.0);
  return self->runs > 0 ? (double) self->total_time_us / (double) self->runs : 0.0;
}

double
pt_hub_channel_get_max_time_us (PtHubChannel *self)
{
  g_return_val_if_fail (PT_IS_HUB_CHANNEL (self), 0.0);
  return (double) self->max_time_us;
}

/* Returns whether the batch is to be analysed, resetting first a channel
 * that idled for want of a claim. */
static gboolean
take_batch (PtHubChannel *self)
{
  if (!self->enabled || self->offered++ % self->interval != 0)
    return FALSE;
  if (!pt_hub_channel_get_active (self))
    {
      self->idle = TRUE;
      return FALSE;
    }
  if (self->idle)
    {
      self->idle = FALSE;
      pt_analyzer_reset (self->analyzer);
    }
  return TRUE;
}

static gboolean
run_timed (PtHubChannel           *self,
           const PtAnalysisBatch  *batch,
           GError                **error)
{
  gint64 start = g_get_monotonic_time ();
  gboolean ok = pt_analyzer_process_batch (self->analyzer, batch, error);
  gint64 elapsed = g_get_monotonic_time () - start;

  self->runs++;
  self->total_time_us += elapsed;
  self->max_time_us = MAX (self->max_time_us, elapsed);
  return ok;
}

/* Offers the channel a batch. Returns FALSE, with @error set, only when the
 * analyser ran and failed; it has been reset by then. */
gboolean
pt_hub_channel_offer (PtHubChannel           *self,
                      const PtAnalysisBatch  *batch,
                      GError                **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (PT_IS_HUB_CHANNEL (self), TRUE);
  g_return_val_if_fail (batch != NULL, TRUE);

  if (!take_batch (self) || run_timed (self, batch, &local_error))
    return TRUE;

  self->errors++;
  if (local_error == NULL)
    g_set_error_literal (&local_error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         "The analyser failed without saying why");
  pt_analyzer_reset (self->analyzer);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Starts the channel afresh, as at a stream restart. */
void
pt_hub_channel_reset (PtHubChannel *self)
{
  g_return_if_fail (PT_IS_HUB_CHANNEL (self));

  self->offered = 0;
  self->idle = FALSE;
  pt_analyzer_reset (self->analyzer);
}
