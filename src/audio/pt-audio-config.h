/* pt-audio-config.h — the fixed sizes of the audio side: buffer pool, batch
 * limits and defaults. The pool is never resized, so these are constants.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#define PT_BUFFER_POOL_SIZE          16
#define PT_BUFFER_CAPACITY           4096
#define PT_CHUNK_SIZE                128
#define PT_BATCH_SIZE_MIN            128
#define PT_BATCH_SIZE_MAX            4096
#define PT_BATCH_SIZE_DEFAULT        1024
#define PT_BATCH_TIMEOUT_DEFAULT_MS  50
