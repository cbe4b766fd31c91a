/* pt-envelope.h — the typed messages between the worklet (audio thread) and
 * the main thread: a ref-counted envelope around one payload, a constructor
 * per message type, and the rules a receiver relies on (pt_envelope_validate).
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pt-error.h"
#include "pt-types.h"

G_BEGIN_DECLS

typedef enum
{
  /* to the worklet */
  PT_MESSAGE_START_PROCESSING,
  PT_MESSAGE_STOP_PROCESSING,
  PT_MESSAGE_UPDATE_BATCH_CONFIG,
  PT_MESSAGE_UPDATE_TEST_SIGNAL_CONFIG,
  PT_MESSAGE_UPDATE_BACKGROUND_NOISE_CONFIG,
  /* from the worklet */
  PT_MESSAGE_PROCESSOR_READY,
  PT_MESSAGE_AUDIO_DATA_BATCH,
  PT_MESSAGE_PROCESSING_ERROR,
  PT_MESSAGE_STATUS_UPDATE,
  PT_MESSAGE_CONFIG_APPLIED,
} PtMessageType;

typedef enum
{
  PT_MESSAGE_DIRECTION_TO_WORKLET,
  PT_MESSAGE_DIRECTION_FROM_WORKLET,
} PtMessageDirection;

/* Limits of the rules in pt_envelope_validate() that are the protocol's own;
 * the pool and batch sizes come from pt-types.h. */
#define PT_PROTOCOL_FREQUENCY_MIN_HZ    20.0
#define PT_PROTOCOL_FREQUENCY_MAX_HZ    20000.0
#define PT_PROTOCOL_SAMPLE_RATE_MIN_HZ  8000.0
#define PT_PROTOCOL_SAMPLE_RATE_MAX_HZ  384000.0
#define PT_PROTOCOL_TIMEOUT_MIN_MS      1
#define PT_PROTOCOL_TIMEOUT_MAX_MS      60000

typedef struct
{
  guint    batch_size;    /* 128…4096, a multiple of 128 */
  guint    timeout_ms;    /* 1…60000 */
  gboolean adaptive;
} PtBatchConfig;

/* A disabled config still carries the values the generator uses once
 * enabled, and they are validated all the same. */
typedef struct
{
  gboolean   enabled;
  PtWaveform waveform;
  double     frequency;   /* Hz, 20…20000 and below Nyquist */
  double     amplitude;   /* 0…1 */
} PtTestSignalConfig;

typedef struct
{
  gboolean    enabled;
  PtNoiseType noise_type;
  double      level;      /* 0…1 */
} PtBackgroundNoiseConfig;

typedef struct
{
  guint  batch_size;
  double sample_rate;
  guint  chunk_size;      /* 1…PT_BUFFER_CAPACITY */
} PtProcessorReady;

typedef struct
{
  double   sample_rate;
  guint    sample_count;          /* valid frames in samples[], 1…buffer_length */
  guint    buffer_length;         /* capacity of the pooled buffer, ≤ PT_BUFFER_CAPACITY */
  guint64  sequence_number;
  guint64  first_frame;           /* stream position of samples[0] */
  double   first_frame_time_ms;
  guint    buffer_id;             /* index of the pooled buffer, < PT_BUFFER_POOL_SIZE */
  guint    pool_available;        /* available + in_use ≤ PT_BUFFER_POOL_SIZE */
  guint    pool_in_use;
  guint    pool_exhausted_count;
  guint    clipped_count;         /* counted by the worklet before its ±1 clamp, */
  guint    nonfinite_count;       /* both ≤ sample_count */
  guint64  dropped_frames;        /* total frames dropped so far for want of a buffer */
  float   *samples;               /* borrowed: points into the pool; NOT serialised to JSON */
} PtAudioDataBatch;

/* What a ProcessingError says beyond its message, typed by its code: the
 * pool's counts for BufferOverflow, the refused message for
 * InvalidConfiguration, the device for DeviceLost; the other codes carry
 * none. Numbers, not strings, so the overflow report can be built on the
 * audio thread without allocating. */
typedef struct
{
  guint    capacity;              /* PT_BUFFER_POOL_SIZE */
  guint    in_use;                /* in_use + available ≤ capacity */
  guint    available;
  guint    exhausted_count;       /* times the pool was found empty, in all */
  guint64  dropped_frames;        /* since the previous report, ≤ the total */
  guint64  dropped_frames_total;
} PtOverflowContext;

typedef struct
{
  PtMessageType message_type;     /* the message refused */
} PtRejectionContext;

typedef struct
{
  char *device;                   /* owned: the node name, "" for the default; never NULL once built */
} PtDeviceContext;

typedef union
{
  PtOverflowContext  overflow;    /* BUFFER_OVERFLOW */
  PtRejectionContext rejection;   /* INVALID_CONFIGURATION */
  PtDeviceContext    device;      /* DEVICE_LOST */
} PtErrorContext;

struct _PtProcessingError
{
  PtWorkletErrorCode code;
  char              *message;       /* owned, UTF-8, never NULL once built */
  PtErrorContext     context;       /* the member the code names */
  double             timestamp_ms;
};

typedef struct
{
  PtProcessorState state;
  char            *details;         /* owned, UTF-8, may be NULL */
} PtStatusUpdate;

/* The whole configuration in force after a change, whichever message caused
 * it: batch.timeout_ms is the effective timeout (it may be longer than the
 * one asked for), and the generator configs are the ones the worklet runs. */
typedef struct
{
  PtBatchConfig           batch;
  PtTestSignalConfig      test_signal;
  PtBackgroundNoiseConfig noise;
} PtConfigApplied;

/* Called instead of freeing when the last reference to a static envelope is
 * dropped (pt_envelope_init_static): the owner takes it back. */
typedef void (*PtEnvelopeReleaseFunc) (PtEnvelope *envelope,
                                       gpointer    user_data);

struct _PtEnvelope
{
  guint32       message_id;       /* > 0, from pt_envelope_next_id() */
  double        timestamp_ms;     /* monotonic clock, ms */
  guint32       in_reply_to;      /* 0 = not a reply */
  PtMessageType type;
  union
  {
    PtBatchConfig           batch_config;  /* UPDATE_BATCH_CONFIG */
    PtTestSignalConfig      test_signal;   /* UPDATE_TEST_SIGNAL_CONFIG */
    PtBackgroundNoiseConfig noise;         /* UPDATE_BACKGROUND_NOISE_CONFIG */
    PtProcessorReady        ready;         /* PROCESSOR_READY */
    PtAudioDataBatch        batch;         /* AUDIO_DATA_BATCH */
    PtProcessingError       error;         /* PROCESSING_ERROR */
    PtStatusUpdate          status;        /* STATUS_UPDATE */
    PtConfigApplied         applied;       /* CONFIG_APPLIED */
  } payload;

  /*< private >*/
  gint                  ref_count;
  PtEnvelopeReleaseFunc release_func;
  gpointer              release_data;
};

#define PT_TYPE_ENVELOPE (pt_envelope_get_type ())

GType               pt_envelope_get_type      (void) G_GNUC_CONST;

PtEnvelope         *pt_envelope_ref           (PtEnvelope         *envelope);
void                pt_envelope_unref         (PtEnvelope         *envelope);

/* A fresh id for a message in that direction: 1, 2, 3…, atomic, one counter
 * per direction (wrapping past G_MAXUINT32 skips 0). */
guint32             pt_envelope_next_id       (PtMessageDirection  direction);
PtMessageDirection  pt_message_type_get_direction (PtMessageType   type);
/* "StartProcessing", "AudioDataBatch"…, NULL for an unknown value. */
const char         *pt_message_type_to_string (PtMessageType       type);

/* Factory: one constructor per message. Each takes a fresh id in the
 * message's direction and the monotonic time (g_get_monotonic_time () / 1000.0).
 * Strings are copied. */
PtEnvelope *pt_envelope_new_start_processing      (void);
PtEnvelope *pt_envelope_new_stop_processing       (void);
PtEnvelope *pt_envelope_new_update_batch_config   (guint               batch_size,
                                                   guint               timeout_ms,
                                                   gboolean            adaptive);
PtEnvelope *pt_envelope_new_update_test_signal_config (gboolean        enabled,
                                                   PtWaveform          waveform,
                                                   double              frequency,
                                                   double              amplitude);
PtEnvelope *pt_envelope_new_update_background_noise_config (gboolean   enabled,
                                                   PtNoiseType         noise_type,
                                                   double              level);
PtEnvelope *pt_envelope_new_processor_ready       (guint               batch_size,
                                                   double              sample_rate,
                                                   guint               chunk_size);
/* The heap variant, for tests and the main side; the audio thread uses
 * pt_envelope_prepare_static() on a preallocated envelope. Copies
 * *batch; samples stay borrowed. */
PtEnvelope *pt_envelope_new_audio_data_batch      (const PtAudioDataBatch *batch);
PtEnvelope *pt_envelope_new_processing_error      (PtWorkletErrorCode  code,
                                                   const char         *message,
                                                   guint32             in_reply_to);
/* A DeviceLost error naming @device (copied). */
PtEnvelope *pt_envelope_new_device_lost           (const char         *device,
                                                   const char         *message);
PtEnvelope *pt_envelope_new_status_update         (PtProcessorState    state,
                                                   const char         *details);
PtEnvelope *pt_envelope_new_config_applied        (const PtBatchConfig           *batch,
                                                   const PtTestSignalConfig      *test_signal,
                                                   const PtBackgroundNoiseConfig *noise,
                                                   guint32                        in_reply_to);

/* An envelope of that type with every field zero and the given id and
 * timestamp (no fresh id taken): for the JSON parser and for tests that need
 * fixed ids. The caller fills the payload; strings are then owned by it. */
PtEnvelope *pt_envelope_new_with_id               (PtMessageType       type,
                                                   guint32             message_id,
                                                   double              timestamp_ms,
                                                   guint32             in_reply_to);

/* Preallocated envelopes for the audio thread. init_static prepares
 * caller-owned storage (ref_count 0); prepare_static makes it a message of
 * @type with a fresh id, @timestamp_ms and ref_count 1, allocating nothing;
 * the caller then fills the payload (an AudioDataBatch's is zeroed first,
 * any other is left as the owner set it). The last unref calls release_func
 * (which must not be NULL) instead of freeing: the payload's strings stay
 * the owner's. */
void        pt_envelope_init_static               (PtEnvelope            *envelope,
                                                   PtEnvelopeReleaseFunc  release_func,
                                                   gpointer               release_data);
void        pt_envelope_prepare_static            (PtEnvelope            *envelope,
                                                   PtMessageType          type,
                                                   double                 timestamp_ms);

/* Every rule a receiver relies on (see the payload structs). sample_rate is
 * the stream's, for the Nyquist rule; 0 when unknown (the rule is skipped).
 * A parsed AudioDataBatch has samples == NULL and that is valid. */
gboolean    pt_envelope_validate                  (const PtEnvelope  *envelope,
                                                   double             sample_rate,
                                                   GError           **error);

/* Same type, ids, timestamps and payload (strings, the error's context for
 * its code). The samples pointer is ignored. */
gboolean    pt_envelope_equal                     (const PtEnvelope  *a,
                                                   const PtEnvelope  *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtEnvelope, pt_envelope_unref)

G_END_DECLS
