/* pt-device-monitor.c — the registry on the main loop.
 *
 * A pw_loop of our own is driven by a GSource polling its fd (the shape of
 * gnome-remote-desktop's grd-pipewire-utils), so every registry event runs on
 * the main thread and the model changes there. Devices are keyed by
 * object.serial (ids are reused once freed; serials only grow). Each node is
 * bound for its info, whose props or output ports give the channel count.
 * The default follows `default.audio.source` in the `default` metadata, a
 * JSON value like {"name":"alsa_input…"}.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-device-monitor"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <pipewire/pipewire.h>
#include <pipewire/extensions/metadata.h>

#include "pt-device-monitor.h"
#include "pt-source.h"

#define RECONNECT_FIRST_MS   100
#define RECONNECT_MAX_MS     5000

typedef struct
{
  GSource          source;
  struct pw_loop  *loop;
  gpointer         fd_tag;
} LoopSource;

typedef struct _PtDeviceMonitor PtDeviceMonitor;

typedef struct
{
  PtDeviceMonitor  *monitor;
  guint32           id;
  PtDevice         *device;
  struct pw_proxy  *proxy;
  struct spa_hook   listener;
} Node;

struct _PtDeviceMonitor
{
  GObject               parent_instance;

  LoopSource           *source;
  struct pw_context    *context;
  struct pw_core       *core;
  struct spa_hook       core_listener;
  struct pw_registry   *registry;
  struct spa_hook       registry_listener;
  struct pw_proxy      *metadata;
  struct spa_hook       metadata_listener;

  int                   sync_seq;       /* of the pending round trip */
  guint                 syncs_left;     /* round trips until the list is complete */
  gboolean              ready;

  GHashTable           *nodes;          /* id → Node */
  GPtrArray            *devices;        /* PtDevice, the model's order */
  char                 *default_device;

  GSource              *reconnect;
  guint                 reconnect_ms;
  guint                 reconnect_max_ms;
};

static void pt_device_monitor_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PtDeviceMonitor, pt_device_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pt_device_monitor_list_model_init))

enum {
  PROP_0,
  PROP_CONNECTED,
  PROP_DEFAULT_DEVICE,
  PROP_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void connect_to_server (PtDeviceMonitor *self);

/* The pw_loop as a GSource. */

static gboolean
loop_source_dispatch (GSource     *source,
                      GSourceFunc  callback,
                      gpointer     user_data)
{
  LoopSource *loop_source = (LoopSource *) source;

  pw_loop_iterate (loop_source->loop, 0);
  return G_SOURCE_CONTINUE;
}

static void
loop_source_finalize (GSource *source)
{
  LoopSource *loop_source = (LoopSource *) source;

  pw_loop_leave (loop_source->loop);
  pw_loop_destroy (loop_source->loop);
}

static GSourceFuncs loop_source_funcs = {
  .dispatch = loop_source_dispatch,
  .finalize = loop_source_finalize,
};

static LoopSource *
loop_source_new (void)
{
  LoopSource *source = (LoopSource *) g_source_new (&loop_source_funcs, sizeof (LoopSource));

  source->loop = pw_loop_new (NULL);
  source->fd_tag = g_source_add_unix_fd (&source->source, pw_loop_get_fd (source->loop),
                                         G_IO_IN | G_IO_ERR);
  pw_loop_enter (source->loop);
  g_source_set_name (&source->source, "pt-device-monitor");
  g_source_attach (&source->source, g_main_context_get_thread_default ());
  return source;
}

/* The model. */

static GType
pt_device_monitor_get_item_type (GListModel *model)
{
  return PT_TYPE_DEVICE;
}

static guint
pt_device_monitor_get_n_items (GListModel *model)
{
  return PT_DEVICE_MONITOR (model)->devices->len;
}

static gpointer
pt_device_monitor_get_item (GListModel *model,
                            guint       position)
{
  PtDeviceMonitor *self = PT_DEVICE_MONITOR (model);

  if (position >= self->devices->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->devices, position));
}

static void
pt_device_monitor_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pt_device_monitor_get_item_type;
  iface->get_n_items = pt_device_monitor_get_n_items;
  iface->get_item = pt_device_monitor_get_item;
}

static void
add_device (PtDeviceMonitor *self,
            PtDevice        *device)
{
  pt_device_set_is_default (device, g_strcmp0 (pt_device_get_name (device),
                                               self->default_device) == 0);
  g_ptr_array_add (self->devices, g_object_ref (device));
  g_list_model_items_changed (G_LIST_MODEL (self), self->devices->len - 1, 0, 1);
}

static void
remove_device (PtDeviceMonitor *self,
               PtDevice        *device)
{
  guint position;

  if (!g_ptr_array_find (self->devices, device, &position))
    return;
  g_ptr_array_remove_index (self->devices, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

/* Nodes. */

static void
node_free (Node *node)
{
  if (node->proxy != NULL)
    {
      spa_hook_remove (&node->listener);
      pw_proxy_destroy (node->proxy);
    }
  g_clear_object (&node->device);
  g_free (node);
}

static void
on_node_info (void                      *data,
              const struct pw_node_info *info)
{
  Node *node = data;
  const char *channels = info->props != NULL ? spa_dict_lookup (info->props, "audio.channels")
                                             : NULL;
  guint64 count;

  if (channels != NULL && g_ascii_string_to_unsigned (channels, 10, 1, 1024, &count, NULL))
    pt_device_set_channels (node->device, (guint) count);
  else if (info->n_output_ports > 0)
    pt_device_set_channels (node->device, info->n_output_ports);
  if (info->props != NULL)
    pt_device_set_description (node->device,
                               spa_dict_lookup (info->props, PW_KEY_NODE_DESCRIPTION));
}

static const struct pw_node_events node_events = {
  PW_VERSION_NODE_EVENTS,
  .info = on_node_info,
};

static void
add_node (PtDeviceMonitor       *self,
          guint32                id,
          const struct spa_dict *props)
{
  const char *name = spa_dict_lookup (props, PW_KEY_NODE_NAME);
  const char *serial = spa_dict_lookup (props, PW_KEY_OBJECT_SERIAL);
  guint64 serial_number = 0;
  Node *node;

  if (name == NULL)
    return;
  if (serial != NULL)
    g_ascii_string_to_unsigned (serial, 10, 0, G_MAXUINT64, &serial_number, NULL);

  node = g_new0 (Node, 1);
  node->monitor = self;
  node->id = id;
  node->device = pt_device_new (name, spa_dict_lookup (props, PW_KEY_NODE_DESCRIPTION),
                                serial_number, spa_dict_lookup (props, PW_KEY_MEDIA_CLASS));
  node->proxy = pw_registry_bind (self->registry, id, PW_TYPE_INTERFACE_Node,
                                  PW_VERSION_NODE, 0);
  if (node->proxy != NULL)
    pw_proxy_add_object_listener (node->proxy, &node->listener, &node_events, node);
  g_hash_table_replace (self->nodes, GUINT_TO_POINTER (id), node);
  add_device (self, node->device);
}

/* The default. */

static char *
parse_default_name (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (root),
                                                               "name", NULL));
}

static void
set_default_device (PtDeviceMonitor *self,
                    const char      *name)
{
  if (g_strcmp0 (name, self->default_device) == 0)
    return;

  g_free (self->default_device);
  self->default_device = g_strdup (name);
  for (guint i = 0; i < self->devices->len; i++)
    {
      PtDevice *device = g_ptr_array_index (self->devices, i);

      pt_device_set_is_default (device, g_strcmp0 (pt_device_get_name (device), name) == 0);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_DEVICE]);
}

static int
on_metadata_property (void       *data,
                      uint32_t    subject,
                      const char *key,
                      const char *type,
                      const char *value)
{
  PtDeviceMonitor *self = data;
  g_autofree char *name = NULL;

  if (subject != PW_ID_CORE)
    return 0;
  /* key NULL: every key was removed. */
  if (key != NULL && strcmp (key, "default.audio.source") != 0)
    return 0;
  name = key != NULL ? parse_default_name (value) : NULL;
  set_default_device (self, name);
  return 0;
}

static const struct pw_metadata_events metadata_events = {
  PW_VERSION_METADATA_EVENTS,
  .property = on_metadata_property,
};

/* The registry. */

static void
on_global (void                  *data,
           uint32_t               id,
           uint32_t               permissions,
           const char            *type,
           uint32_t               version,
           const struct spa_dict *props)
{
  PtDeviceMonitor *self = data;

  if (props == NULL)
    return;

  if (strcmp (type, PW_TYPE_INTERFACE_Node) == 0 &&
      g_strcmp0 (spa_dict_lookup (props, PW_KEY_MEDIA_CLASS), "Audio/Source") == 0)
    {
      add_node (self, id, props);
    }
  else if (strcmp (type, PW_TYPE_INTERFACE_Metadata) == 0 && self->metadata == NULL &&
           g_strcmp0 (spa_dict_lookup (props, PW_KEY_METADATA_NAME), "default") == 0)
    {
      self->metadata = pw_registry_bind (self->registry, id, PW_TYPE_INTERFACE_Metadata,
                                         PW_VERSION_METADATA, 0);
      if (self->metadata != NULL)
        pw_metadata_add_listener ((struct pw_metadata *) self->metadata,
                                  &self->metadata_listener, &metadata_events, self);
    }
}

static void
on_global_remove (void     *data,
                  uint32_t  id)
{
  PtDeviceMonitor *self = data;
  Node *node = g_hash_table_lookup (self->nodes, GUINT_TO_POINTER (id));

  if (node == NULL)
    return;
  remove_device (self, node->device);
  g_hash_table_remove (self->nodes, GUINT_TO_POINTER (id));
}

static const struct pw_registry_events registry_events = {
  PW_VERSION_REGISTRY_EVENTS,
  .global = on_global,
  .global_remove = on_global_remove,
};

/* Connection. */

static void
disconnect_from_server (PtDeviceMonitor *self)
{
  guint n = self->devices->len;

  if (self->core == NULL)
    return;

  if (self->metadata != NULL)
    {
      spa_hook_remove (&self->metadata_listener);
      g_clear_pointer (&self->metadata, pw_proxy_destroy);
    }
  g_hash_table_remove_all (self->nodes);
  spa_hook_remove (&self->registry_listener);
  pw_proxy_destroy ((struct pw_proxy *) self->registry);
  self->registry = NULL;
  spa_hook_remove (&self->core_listener);
  g_clear_pointer (&self->core, pw_core_disconnect);

  g_ptr_array_set_size (self->devices, 0);
  self->ready = FALSE;
  self->syncs_left = 0;
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
  set_default_device (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static gboolean
on_reconnect_timeout (gpointer user_data)
{
  PtDeviceMonitor *self = user_data;

  g_clear_pointer (&self->reconnect, g_source_unref);
  connect_to_server (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (PtDeviceMonitor *self)
{
  if (self->reconnect != NULL)
    return;
  self->reconnect = pt_timeout_attach (self->reconnect_ms, on_reconnect_timeout, self);
  self->reconnect_ms = MIN (self->reconnect_ms * 2, self->reconnect_max_ms);
}

/* Two round trips: the first brings every global, the second the info of
 * the nodes bound meanwhile. */
static void
on_core_done (void     *data,
              uint32_t  id,
              int       seq)
{
  PtDeviceMonitor *self = data;

  if (id != PW_ID_CORE || seq != self->sync_seq || self->syncs_left == 0)
    return;
  if (--self->syncs_left > 0)
    {
      self->sync_seq = pw_core_sync (self->core, PW_ID_CORE, self->sync_seq);
      return;
    }
  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static void
on_core_error (void       *data,
               uint32_t    id,
               int         seq,
               int         res,
               const char *message)
{
  PtDeviceMonitor *self = data;

  if (id != PW_ID_CORE || res != -EPIPE)
    return;
  disconnect_from_server (self);
  schedule_reconnect (self);
}

static const struct pw_core_events core_events = {
  PW_VERSION_CORE_EVENTS,
  .done = on_core_done,
  .error = on_core_error,
};

static void
connect_to_server (PtDeviceMonitor *self)
{
  self->core = pw_context_connect (self->context, NULL, 0);
  if (self->core == NULL)
    {
      schedule_reconnect (self);
      return;
    }

  self->reconnect_ms = RECONNECT_FIRST_MS;
  pw_core_add_listener (self->core, &self->core_listener, &core_events, self);
  self->registry = pw_core_get_registry (self->core, PW_VERSION_REGISTRY, 0);
  pw_registry_add_listener (self->registry, &self->registry_listener, &registry_events, self);
  self->syncs_left = 2;
  self->sync_seq = pw_core_sync (self->core, PW_ID_CORE, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

/* Public API. */

PtDeviceMonitor *
pt_device_monitor_new (void)
{
  return g_object_new (PT_TYPE_DEVICE_MONITOR, NULL);
}

gboolean
pt_device_monitor_get_ready (PtDeviceMonitor *self)
{
  g_return_val_if_fail (PT_IS_DEVICE_MONITOR (self), FALSE);
  return self->ready;
}

gboolean
pt_device_monitor_get_connected (PtDeviceMonitor *self)
{
  g_return_val_if_fail (PT_IS_DEVICE_MONITOR (self), FALSE);
  return self->core != NULL;
}

const char *
pt_device_monitor_get_default_device (PtDeviceMonitor *self)
{
  g_return_val_if_fail (PT_IS_DEVICE_MONITOR (self), NULL);
  return self->default_device;
}

PtDevice *
pt_device_monitor_lookup (PtDeviceMonitor *self,
                          const char      *name)
{
  g_return_val_if_fail (PT_IS_DEVICE_MONITOR (self), NULL);

  for (guint i = 0; i < self->devices->len; i++)
    if (g_strcmp0 (pt_device_get_name (g_ptr_array_index (self->devices, i)), name) == 0)
      return g_ptr_array_index (self->devices, i);
  return NULL;
}

void
pt_device_monitor_set_reconnect_max_ms (PtDeviceMonitor *self,
                                        guint            max_ms)
{
  g_return_if_fail (PT_IS_DEVICE_MONITOR (self));
  self->reconnect_max_ms = MAX (max_ms, RECONNECT_FIRST_MS);
}

/* GObject. */

static void
pt_device_monitor_dispose (GObject *object)
{
  PtDeviceMonitor *self = PT_DEVICE_MONITOR (object);

  pt_clear_source (&self->reconnect);
  disconnect_from_server (self);
  g_clear_pointer (&self->context, pw_context_destroy);
  if (self->source != NULL)
    {
      g_source_destroy (&self->source->source);
      g_clear_pointer ((GSource **) &self->source, g_source_unref);
    }

  G_OBJECT_CLASS (pt_device_monitor_parent_class)->dispose (object);
}

static void
pt_device_monitor_finalize (GObject *object)
{
  PtDeviceMonitor *self = PT_DEVICE_MONITOR (object);

  g_clear_pointer (&self->nodes, g_hash_table_unref);
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_free (self->default_device);

  G_OBJECT_CLASS (pt_device_monitor_parent_class)->finalize (object);
}

static void
pt_device_monitor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PtDeviceMonitor *self = PT_DEVICE_MONITOR (object);

  switch (prop_id)
    {
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->core != NULL);
      break;
    case PROP_DEFAULT_DEVICE:
      g_value_set_string (value, self->default_device);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_device_monitor_class_init (PtDeviceMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = pt_device_monitor_dispose;
  object_class->finalize = pt_device_monitor_finalize;
  object_class->get_property = pt_device_monitor_get_property;

  properties[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE, flags);
  properties[PROP_DEFAULT_DEVICE] = g_param_spec_string ("default-device", NULL, NULL, NULL,
                                                         flags);
  /* The list is complete: every source the server had when we connected. */
  properties[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pt_device_monitor_init (PtDeviceMonitor *self)
{
  pw_init (NULL, NULL);

  self->nodes = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) node_free);
  self->devices = g_ptr_array_new_with_free_func (g_object_unref);
  self->reconnect_ms = RECONNECT_FIRST_MS;
  self->reconnect_max_ms = RECONNECT_MAX_MS;
  self->source = loop_source_new ();
  self->context = pw_context_new (self->source->loop, NULL, 0);
  connect_to_server (self);
}
