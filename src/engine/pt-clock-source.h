/* pt-clock-source.h — drives the processor when no PipeWire stream does: a
 * thread of its own that runs one cycle of silence every PT_CHUNK_SIZE frames
 * of real time, so acknowledgements arrive and the test signal and noise
 * still flow with no server or no device.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pt-processor.h"

G_BEGIN_DECLS

typedef struct _PtClockSource PtClockSource;

/* Starts pacing @processor at @sample_rate; the processor must not be driven
 * by another thread meanwhile. */
PtClockSource *pt_clock_source_new   (PtProcessor   *processor,
                                      double         sample_rate);
/* Stops the thread and waits for it; the processor is released, free to be
 * driven by another thread. */
void           pt_clock_source_free  (PtClockSource *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtClockSource, pt_clock_source_free)

G_END_DECLS
