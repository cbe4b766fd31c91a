/* pt-types.h — what several layers share: forward typedefs, the enums of the
 * worklet's generators and state, and the fixed sizes of the audio side. The
 * pool is never resized, so its sizes are constants. Plain C; no layer above
 * is visible from here.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PT_BUFFER_POOL_SIZE          16
#define PT_BUFFER_CAPACITY           4096
#define PT_CHUNK_SIZE                128
#define PT_BATCH_SIZE_MIN            128
#define PT_BATCH_SIZE_MAX            4096
#define PT_BATCH_SIZE_DEFAULT        1024
#define PT_BATCH_TIMEOUT_DEFAULT_MS  50
/* The most interleaved channels the worklet takes from a device. */
#define PT_MAX_CHANNELS              64

typedef struct _PtEnvelope   PtEnvelope;
typedef struct _PtBufferPool PtBufferPool;
typedef struct _PtProcessor  PtProcessor;

typedef enum
{
  PT_WAVEFORM_SINE,
  PT_WAVEFORM_SQUARE,
  PT_WAVEFORM_SAWTOOTH,
  PT_WAVEFORM_TRIANGLE,
} PtWaveform;

/* The drone's timbre: a pure tone, or a soft organ-like one. */
typedef enum
{
  PT_DRONE_WAVEFORM_SINE,
  PT_DRONE_WAVEFORM_ORGAN,
} PtDroneWaveform;

typedef enum
{
  PT_NOISE_WHITE,
  PT_NOISE_PINK,
} PtNoiseType;

typedef enum
{
  PT_PROCESSOR_STATE_STOPPED,
  PT_PROCESSOR_STATE_STARTING,
  PT_PROCESSOR_STATE_RUNNING,
  PT_PROCESSOR_STATE_STOPPING,
  PT_PROCESSOR_STATE_ERROR,
} PtProcessorState;

G_END_DECLS
