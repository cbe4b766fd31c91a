/* pt-batch-simulation.h — adaptive batching on a fake clock: the real
 * worklet (PtProcessor) cycle by cycle, a main side that a load slows, and
 * PtBatchController between them as the engine drives it: each decision an
 * UpdateBatchConfig, each acknowledged by its ConfigApplied. Shared by the
 * unit test and the benchmark.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pt-batch-controller.h"
#include "pt-processor.h"

G_BEGIN_DECLS

typedef struct
{
  double stall_ms;   /* the main side runs at most this often; 0: after every cycle */
  double cost_ms;    /* and spends this long on each batch */
} PtSimulatedLoad;

typedef struct
{
  double time_ms;
  guint  size;
} PtSimulatedChange;

typedef struct
{
  PtProcessor       *processor;
  PtBatchController  controller;
  double             now_ms;
  double             main_free_ms;   /* the main side is busy until then */
  guint32            pending_id;     /* the change waiting for its ConfigApplied */
  guint              acknowledged;
  guint              unanswered;     /* ConfigApplied naming no change we asked */
  guint64            batches;
  guint64            dropped_frames;
  double             latency_sum_ms;
  double             latency_max_ms;
  GArray            *changes;        /* PtSimulatedChange, as asked */
} PtBatchSimulation;

void pt_batch_simulation_init  (PtBatchSimulation     *self,
                                guint                  maximum);
void pt_batch_simulation_clear (PtBatchSimulation     *self);
/* @duration_ms more of audio under @load. */
void pt_batch_simulation_run   (PtBatchSimulation     *self,
                                const PtSimulatedLoad *load,
                                double                 duration_ms);
/* The size in force (acknowledged). */
guint pt_batch_simulation_get_size (PtBatchSimulation *self);

G_END_DECLS
