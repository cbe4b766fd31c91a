/* pt-error.c — the protocol's error domains, and a worklet's ProcessingError
 * turned into a GError for callers.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-error"

#include "config.h"

#include <string.h>

#include "pt-envelope.h"
#include "pt-error.h"

G_DEFINE_QUARK (pt-protocol-error-quark, pt_protocol_error)
G_DEFINE_QUARK (pt-worklet-error-quark, pt_worklet_error)

/* The context in the JSON's field order, so the same error always reads the same. */
static void
append_context (GString                 *text,
                const PtProcessingError *perror)
{
  const PtOverflowContext *overflow = &perror->context.overflow;

  switch (perror->code)
    {
    case PT_WORKLET_ERROR_BUFFER_OVERFLOW:
      g_string_append_printf (text, " (capacity=%u, in_use=%u, available=%u, exhausted_count=%u, "
                              "dropped_frames=%" G_GUINT64_FORMAT
                              ", dropped_frames_total=%" G_GUINT64_FORMAT ")",
                              overflow->capacity, overflow->in_use, overflow->available,
                              overflow->exhausted_count, overflow->dropped_frames,
                              overflow->dropped_frames_total);
      break;
    case PT_WORKLET_ERROR_INVALID_CONFIGURATION:
      g_string_append_printf (text, " (message_type=%s)",
                              pt_message_type_to_string (perror->context.rejection.message_type)
                              ?: "unknown");
      break;
    case PT_WORKLET_ERROR_DEVICE_LOST:
      g_string_append_printf (text, " (device=%s)", perror->context.device.device ?: "");
      break;
    case PT_WORKLET_ERROR_INITIALIZATION_FAILED:
    case PT_WORKLET_ERROR_PROCESSING_FAILED:
    case PT_WORKLET_ERROR_MEMORY_ALLOCATION_FAILED:
    case PT_WORKLET_ERROR_SERVER_DISCONNECTED:
    default:
      break;
    }
}

GError *
pt_processing_error_to_gerror (const PtProcessingError *perror)
{
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (perror != NULL, NULL);

  text = g_string_new (perror->message != NULL ? perror->message : "");
  append_context (text, perror);
  return g_error_new_literal (PT_WORKLET_ERROR, perror->code, text->str);
}
