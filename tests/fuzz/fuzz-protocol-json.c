/* fuzz-protocol-json.c — libFuzzer target for pt_envelope_from_json(): any
 * input gives an envelope or a PT_PROTOCOL_ERROR, and an envelope goes to
 * JSON and back unchanged. Built with -Dfuzzing=true (clang only).
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-fuzz"

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pt-envelope.h"
#include "pt-protocol-json.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* abort() rather than g_assert(), so the check holds whatever the build. */
#define CHECK(condition) G_STMT_START { if (!(condition)) abort (); } G_STMT_END

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtEnvelope) envelope = NULL;
  g_autoptr(PtEnvelope) again = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;

  if (size > G_MAXSSIZE)
    return 0;

  envelope = pt_envelope_from_json ((const char *) data, (gssize) size, &error);
  if (envelope == NULL)
    {
      CHECK (error != NULL && error->domain == PT_PROTOCOL_ERROR);
      CHECK (error->message != NULL && error->message[0] != '\0');
      return 0;
    }
  CHECK (error == NULL);
  CHECK (pt_envelope_validate (envelope, 0.0, NULL));

  /* What we accept, we write back, and read back the same. */
  json = pt_envelope_to_json (envelope);
  CHECK (json != NULL);
  again = pt_envelope_from_json (json, -1, &error);
  CHECK (again != NULL && error == NULL);
  CHECK (pt_envelope_equal (envelope, again));
  json_again = pt_envelope_to_json (again);
  CHECK (strcmp (json, json_again) == 0);

  return 0;
}
