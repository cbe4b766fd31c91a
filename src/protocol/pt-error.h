/* pt-error.h — the two error domains of the protocol: PT_PROTOCOL_ERROR for a
 * message that is malformed or breaks a rule, PT_WORKLET_ERROR for the errors
 * the worklet reports in a ProcessingError message.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What went wrong with a message, as pt_envelope_validate() and
 * pt_envelope_from_json() report it. The GError message names the field and
 * the rule. */
typedef enum
{
  PT_PROTOCOL_ERROR_INVALID_JSON,   /* not JSON, or JSON we do not accept (comments, hex…) */
  PT_PROTOCOL_ERROR_TOO_LARGE,      /* text longer than PT_PROTOCOL_MAX_JSON_LENGTH */
  PT_PROTOCOL_ERROR_TOO_DEEP,       /* nesting deeper than PT_PROTOCOL_MAX_JSON_DEPTH */
  PT_PROTOCOL_ERROR_MISSING_FIELD,  /* a required member is absent */
  PT_PROTOCOL_ERROR_UNKNOWN_FIELD,  /* a member no message of that type has */
  PT_PROTOCOL_ERROR_WRONG_TYPE,     /* a member of the wrong JSON type */
  PT_PROTOCOL_ERROR_OUT_OF_RANGE,   /* a number outside its field's C type or the rule's range */
  PT_PROTOCOL_ERROR_NOT_FINITE,     /* NaN or infinity where a finite number is needed */
  PT_PROTOCOL_ERROR_UNKNOWN_TYPE,   /* a message type we do not know */
  PT_PROTOCOL_ERROR_UNKNOWN_VALUE,  /* an enum value (waveform, code, state…) we do not know */
  PT_PROTOCOL_ERROR_INVALID_VALUE,  /* any other broken rule (multiple of 128, UTF-8…) */
} PtProtocolError;

/* The errors a worklet reports (ProcessingError.code). */
typedef enum
{
  PT_WORKLET_ERROR_INITIALIZATION_FAILED,
  PT_WORKLET_ERROR_PROCESSING_FAILED,
  PT_WORKLET_ERROR_BUFFER_OVERFLOW,
  PT_WORKLET_ERROR_INVALID_CONFIGURATION,
  PT_WORKLET_ERROR_MEMORY_ALLOCATION_FAILED,
  PT_WORKLET_ERROR_DEVICE_LOST,
  PT_WORKLET_ERROR_SERVER_DISCONNECTED,
} PtWorkletErrorCode;

#define PT_PROTOCOL_ERROR (pt_protocol_error_quark ())
#define PT_WORKLET_ERROR  (pt_worklet_error_quark ())

GQuark pt_protocol_error_quark (void);
GQuark pt_worklet_error_quark  (void);

typedef struct _PtProcessingError PtProcessingError;

/* A GError in PT_WORKLET_ERROR with the same code; its message is the
 * worklet's message followed by the context its code carries:
 * "Buffer pool exhausted (capacity=16, in_use=16, …)". */
GError *pt_processing_error_to_gerror (const PtProcessingError *error);

G_END_DECLS
