/* pt-signal-generator.h — the test signal of the worklet: sine, square,
 * sawtooth and triangle, band-limited at any sample rate, with
 * phase-continuous frequency changes and ramped amplitude. Plain C for the
 * audio thread: init and clear allocate (main thread), process never does.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pt-types.h"

G_BEGIN_DECLS

/* Amplitude changes reach their target over this long, so they never click. */
#define PT_SIGNAL_GENERATOR_RAMP_MS 10.0
/* One period of the band-limited waveform; a power of two. */
#define PT_SIGNAL_GENERATOR_TABLE_SIZE 4096

typedef struct
{
  /*< private >*/
  double      sample_rate;
  PtWaveform  waveform;
  double      frequency;
  double      phase;             /* in periods, [0, 1) */
  double      phase_increment;   /* in force */
  double      next_increment;    /* frequency / sample_rate, with the pending table */
  double      amplitude;         /* current, moves towards target_amplitude */
  double      target_amplitude;
  double      amplitude_step;
  guint       ramp_frames_left;

  float      *tables[2];         /* TABLE_SIZE + 1 (guard) samples each */
  guint       active_table;
  gboolean    pending_table;     /* the other table is ready, waiting for a quiet phase */
  gpointer    spectrum;          /* fftwf_complex[TABLE_SIZE / 2 + 1] */
  gpointer    plan;              /* fftwf_plan, spectrum → table */
} PtSignalGenerator;

void pt_signal_generator_init           (PtSignalGenerator *self,
                                         double             sample_rate);
void pt_signal_generator_clear          (PtSignalGenerator *self);
void pt_signal_generator_set_sample_rate (PtSignalGenerator *self,
                                         double             sample_rate,
                                         double             frequency);
void pt_signal_generator_set_waveform   (PtSignalGenerator *self,
                                         PtWaveform         waveform);
void pt_signal_generator_set_frequency  (PtSignalGenerator *self,
                                         double             frequency);
void pt_signal_generator_set_amplitude  (PtSignalGenerator *self,
                                         double             amplitude);
void pt_signal_generator_jump_to_amplitude (PtSignalGenerator *self,
                                         double             amplitude);
void pt_signal_generator_process        (PtSignalGenerator *self,
                                         float             *out,
                                         guint              n_frames);

G_END_DECLS
