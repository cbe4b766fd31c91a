/* pt-device.c — a capture source: plain properties, notified on change.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-device"

#include "config.h"

#include "pt-device.h"

struct _PtDevice
{
  GObject   parent_instance;

  char     *name;
  char     *description;
  guint64   serial;
  char     *media_class;
  guint     channels;
  gboolean  is_default;
};

G_DEFINE_FINAL_TYPE (PtDevice, pt_device, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_SERIAL,
  PROP_MEDIA_CLASS,
  PROP_CHANNELS,
  PROP_IS_DEFAULT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

PtDevice *
pt_device_new (const char *name,
               const char *description,
               guint64     serial,
               const char *media_class)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (PT_TYPE_DEVICE,
                       "name", name,
                       "description", description,
                       "serial", serial,
                       "media-class", media_class,
                       NULL);
}

const char *
pt_device_get_name (PtDevice *self)
{
  g_return_val_if_fail (PT_IS_DEVICE (self), NULL);
  return self->name;
}

/* Never NULL: the node name when the node has no description. */
const char *
pt_device_get_description (PtDevice *self)
{
  g_return_val_if_fail (PT_IS_DEVICE (self), NULL);
  return self->description != NULL ? self->description : self->name;
}

guint64
pt_device_get_serial (PtDevice *self)
{
  g_return_val_if_fail (PT_IS_DEVICE (self), 0);
  return self->serial;
}

const char *
pt_device_get_media_class (PtDevice *self)
{
  g_return_val_if_fail (PT_IS_DEVICE (self), NULL);
  return self->media_class;
}

guint
pt_device_get_channels (PtDevice *self)
{
  g_return_val_if_fail (PT_IS_DEVICE (self), 0);
  return self->channels;
}

gboolean
pt_device_get_is_default (PtDevice *self)
{
  g_return_val_if_fail (PT_IS_DEVICE (self), FALSE);
  return self->is_default;
}

void
pt_device_set_description (PtDevice   *self,
                           const char *description)
{
  g_return_if_fail (PT_IS_DEVICE (self));

  if (g_strcmp0 (description, self->description) == 0)
    return;
  g_free (self->description);
  self->description = g_strdup (description);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

void
pt_device_set_channels (PtDevice *self,
                        guint     channels)
{
  g_return_if_fail (PT_IS_DEVICE (self));

  if (channels == self->channels)
    return;
  self->channels = channels;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNELS]);
}

void
pt_device_set_is_default (PtDevice *self,
                          gboolean  is_default)
{
  g_return_if_fail (PT_IS_DEVICE (self));

  if (!is_default == !self->is_default)
    return;
  self->is_default = !!is_default;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_DEFAULT]);
}

static void
pt_device_finalize (GObject *object)
{
  PtDevice *self = PT_DEVICE (object);

  g_free (self->name);
  g_free (self->description);
  g_free (self->media_class);

  G_OBJECT_CLASS (pt_device_parent_class)->finalize (object);
}

static void
pt_device_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PtDevice *self = PT_DEVICE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, pt_device_get_description (self));
      break;
    case PROP_SERIAL:
      g_value_set_uint64 (value, self->serial);
      break;
    case PROP_MEDIA_CLASS:
      g_value_set_string (value, self->media_class);
      break;
    case PROP_CHANNELS:
      g_value_set_uint (value, self->channels);
      break;
    case PROP_IS_DEFAULT:
      g_value_set_boolean (value, self->is_default);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_device_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PtDevice *self = PT_DEVICE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_DESCRIPTION:
      self->description = g_value_dup_string (value);
      break;
    case PROP_SERIAL:
      self->serial = g_value_get_uint64 (value);
      break;
    case PROP_MEDIA_CLASS:
      self->media_class = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_device_class_init (PtDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags readable = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = pt_device_finalize;
  object_class->get_property = pt_device_get_property;
  object_class->set_property = pt_device_set_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, construct);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  properties[PROP_SERIAL] = g_param_spec_uint64 ("serial", NULL, NULL, 0, G_MAXUINT64, 0,
                                                 construct);
  properties[PROP_MEDIA_CLASS] = g_param_spec_string ("media-class", NULL, NULL, NULL, construct);
  properties[PROP_CHANNELS] = g_param_spec_uint ("channels", NULL, NULL, 0, G_MAXUINT, 0,
                                                 readable);
  properties[PROP_IS_DEFAULT] = g_param_spec_boolean ("is-default", NULL, NULL, FALSE, readable);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pt_device_init (PtDevice *self)
{
}
