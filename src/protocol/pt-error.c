/* pt-error.c — the protocol's error domains, and a worklet's ProcessingError
 * turned into a GError for callers.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-error"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pt-envelope.h"
#include "pt-error.h"

G_DEFINE_QUARK (pt-protocol-error-quark, pt_protocol_error)
G_DEFINE_QUARK (pt-worklet-error-quark, pt_worklet_error)

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GError *
pt_processing_error_to_gerror (const PtProcessingError *perror)
{
  g_autoptr(GString) text = NULL;
  g_autofree gpointer *keys = NULL;
  guint n_keys = 0;

  g_return_val_if_fail (perror != NULL, NULL);

  text = g_string_new (perror->message != NULL ? perror->message : "");
  if (perror->context != NULL)
    keys = g_hash_table_get_keys_as_array (perror->context, &n_keys);

  if (n_keys > 0)
    {
      /* Sorted, so the same error always reads the same. */
      qsort (keys, n_keys, sizeof (gpointer), compare_strings);
      g_string_append (text, " (");
      for (guint i = 0; i < n_keys; i++)
        g_string_append_printf (text, "%s%s=%s", i > 0 ? ", " : "", (const char *) keys[i],
                                (const char *) g_hash_table_lookup (perror->context, keys[i]));
      g_string_append_c (text, ')');
    }

  return g_error_new_literal (PT_WORKLET_ERROR, perror->code, text->str);
}
