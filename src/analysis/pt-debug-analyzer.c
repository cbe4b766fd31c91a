/* pt-debug-analyzer.c — the debug channel.
 *
 * A batch only copies: its samples as the waveform, and the newest
 * PT_DEBUG_ANALYZER_FFT_SIZE samples into a ring. The spectrum is computed
 * when the panel asks (a few times a second, not ~50), through one r2c plan
 * made with FFTW_ESTIMATE under the shared planner lock. All memory is
 * allocated once, at construction.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-debug-analyzer"

#include "config.h"

#include <fftw3.h>
#include <math.h>
#include <string.h>

#include "pt-debug-analyzer.h"
#include "pt-fftw.h"
#include "pt-types.h"

#define N PT_DEBUG_ANALYZER_FFT_SIZE

struct _PtDebugAnalyzer
{
  GObject        parent_instance;

  float          waveform[PT_BUFFER_CAPACITY];
  gsize          n_waveform;
  float          ring[N];
  gsize          ring_head;         /* where the next sample goes */
  guint64        batches;
  double         sample_rate;
  gboolean       spectrum_stale;

  float         *window;            /* Hann, scaled so a full-scale sine on a bin reads 1 */
  float         *input;
  fftwf_complex *output;
  fftwf_plan     plan;
  float          spectrum[PT_DEBUG_ANALYZER_N_BINS];
};

static void pt_debug_analyzer_analyzer_init (PtAnalyzerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PtDebugAnalyzer, pt_debug_analyzer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PT_TYPE_ANALYZER,
                                                      pt_debug_analyzer_analyzer_init))

static void
clear_state (PtDebugAnalyzer *self)
{
  self->n_waveform = 0;
  memset (self->ring, 0, sizeof self->ring);
  self->ring_head = 0;
  self->batches = 0;
  self->spectrum_stale = TRUE;
}

static gboolean
pt_debug_analyzer_process_batch (PtAnalyzer            *analyzer,
                                 const PtAnalysisBatch *batch,
                                 GError               **error)
{
  PtDebugAnalyzer *self = PT_DEBUG_ANALYZER (analyzer);
  gsize n = MIN (batch->n_samples, G_N_ELEMENTS (self->waveform));
  gsize tail = MIN (batch->n_samples, (gsize) N);
  const float *newest = batch->samples + batch->n_samples - tail;

  memcpy (self->waveform, batch->samples + batch->n_samples - n, n * sizeof (float));
  self->n_waveform = n;
  for (gsize i = 0; i < tail; i++)
    {
      self->ring[self->ring_head] = newest[i];
      self->ring_head = (self->ring_head + 1) % N;
    }
  self->sample_rate = batch->sample_rate;
  self->batches++;
  self->spectrum_stale = TRUE;
  return TRUE;
}

static void
pt_debug_analyzer_reset (PtAnalyzer *analyzer)
{
  clear_state (PT_DEBUG_ANALYZER (analyzer));
}

static void
pt_debug_analyzer_analyzer_init (PtAnalyzerInterface *iface)
{
  iface->process_batch = pt_debug_analyzer_process_batch;
  iface->reset = pt_debug_analyzer_reset;
}

static void
pt_debug_analyzer_finalize (GObject *object)
{
  PtDebugAnalyzer *self = PT_DEBUG_ANALYZER (object);

  pt_fftw_planner_lock ();
  fftwf_destroy_plan (self->plan);
  pt_fftw_planner_unlock ();
  fftwf_free (self->window);
  fftwf_free (self->input);
  fftwf_free (self->output);

  G_OBJECT_CLASS (pt_debug_analyzer_parent_class)->finalize (object);
}

static void
pt_debug_analyzer_class_init (PtDebugAnalyzerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pt_debug_analyzer_finalize;
}

static void
pt_debug_analyzer_init (PtDebugAnalyzer *self)
{
  double sum = 0.0;

  self->window = fftwf_alloc_real (N);
  self->input = fftwf_alloc_real (N);
  self->output = fftwf_alloc_complex (N / 2 + 1);
  for (guint i = 0; i < N; i++)
    sum += self->window[i] = (float) (0.5 - 0.5 * cos (2.0 * G_PI * i / N));
  for (guint i = 0; i < N; i++)
    self->window[i] *= (float) (2.0 / sum);

  pt_fftw_planner_lock ();
  self->plan = fftwf_plan_dft_r2c_1d (N, self->input, self->output, FFTW_ESTIMATE);
  pt_fftw_planner_unlock ();
  g_assert (self->plan != NULL);

  clear_state (self);
}

PtDebugAnalyzer *
pt_debug_analyzer_new (void)
{
  return g_object_new (PT_TYPE_DEBUG_ANALYZER, NULL);
}

guint64
pt_debug_analyzer_get_batches (PtDebugAnalyzer *self)
{
  g_return_val_if_fail (PT_IS_DEBUG_ANALYZER (self), 0);
  return self->batches;
}

/* 0 before the first batch. */
double
pt_debug_analyzer_get_sample_rate (PtDebugAnalyzer *self)
{
  g_return_val_if_fail (PT_IS_DEBUG_ANALYZER (self), 0.0);
  return self->sample_rate;
}

const float *
pt_debug_analyzer_get_waveform (PtDebugAnalyzer *self,
                                gsize           *n_samples)
{
  g_return_val_if_fail (PT_IS_DEBUG_ANALYZER (self), NULL);
  g_return_val_if_fail (n_samples != NULL, NULL);

  *n_samples = self->n_waveform;
  return self->waveform;
}

static void
compute_spectrum (PtDebugAnalyzer *self)
{
  /* Oldest first: the ring from its head round to just before it. */
  for (gsize i = 0; i < N; i++)
    self->input[i] = self->ring[(self->ring_head + i) % N] * self->window[i];
  fftwf_execute (self->plan);
  for (gsize k = 0; k < PT_DEBUG_ANALYZER_N_BINS; k++)
    {
      double magnitude = hypot (self->output[k][0], self->output[k][1]);

      self->spectrum[k] = (float) MAX (20.0 * log10 (magnitude), PT_DEBUG_ANALYZER_FLOOR_DB);
    }
  self->spectrum_stale = FALSE;
}

const float *
pt_debug_analyzer_get_spectrum (PtDebugAnalyzer *self,
                                gsize           *n_bins)
{
  g_return_val_if_fail (PT_IS_DEBUG_ANALYZER (self), NULL);
  g_return_val_if_fail (n_bins != NULL, NULL);

  if (self->spectrum_stale)
    compute_spectrum (self);
  *n_bins = PT_DEBUG_ANALYZER_N_BINS;
  return self->spectrum;
}
