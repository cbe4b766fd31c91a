/* pt-protocol-json.h — envelopes to and from JSON, in the browser design's
 * shape: {"message_id":3,"timestamp":1236.78,"payload":{"type":"AudioDataBatch",…}}.
 * Parsing trusts nothing: any text gives an envelope or a GError.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pt-envelope.h"

G_BEGIN_DECLS

/* Bounds checked on the text before json-glib sees it. */
#define PT_PROTOCOL_MAX_JSON_LENGTH (64 * 1024)
#define PT_PROTOCOL_MAX_JSON_DEPTH  8

/* One line of JSON (no newline), fields in a fixed order, doubles in their
 * shortest exact form with a ".0" when integral. Every field but the samples
 * is written. A non-finite double is written as null (which from_json reports
 * as PT_PROTOCOL_ERROR_NOT_FINITE), so the output is always valid JSON; an
 * envelope that passes pt_envelope_validate() always reads back equal. NULL
 * only for an envelope of no known type (a programming error). */
char       *pt_envelope_to_json   (const PtEnvelope  *envelope);

/* Parses and validates (pt_envelope_validate with an unknown sample rate).
 * A parsed AudioDataBatch has samples == NULL. length may be -1 for a
 * NUL-terminated text. */
PtEnvelope *pt_envelope_from_json (const char        *text,
                                   gssize             length,
                                   GError           **error);

/* "BufferOverflow"…, as the JSON spells the code; NULL for an unknown value. */
const char *pt_worklet_error_code_to_string (PtWorkletErrorCode code);

G_END_DECLS
