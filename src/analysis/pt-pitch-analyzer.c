/* pt-pitch-analyzer.c — the pitch channel: a ring of the last window, YIN at
 * a fixed hop of its own, a level gate on its own window that follows the
 * background it measures, raw and steadied pitch as properties.
 *
 * Frames fall on a fixed grid of the stream (every hop samples from the first
 * one seen), so a batch yields zero or more frames whatever its size, and the
 * live analyser and `--analyze` report the same frames for the same audio.
 * Before the ring is full it holds zeros (silence before the stream), and
 * frames start once a window's centre is inside the stream.
 *
 * Latency. The default window holds two periods of the lowest note (2404
 * samples, 50 ms, at 48 kHz for 40 Hz); a frame's timestamp is its centre,
 * window / 2 before its newest sample. YIN here compares the newest half
 * window with the span one period earlier, so a note shows once about two of
 * its periods have arrived, plus up to one hop (5.3 ms) for the next frame:
 * measured from a tone's first sample to the first frame naming it
 * (benchmarks/bench-yin.c), 25 ms for E2, 9 ms for C4, 4 ms for C5 and up;
 * the steadied note (median of 5 frames) a frame or two later.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-pitch-analyzer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "pt-analysis-enum-types.h"
#include "pt-level.h"
#include "pt-pitch-analyzer.h"
#include "pt-vector.h"
#include "pt-yin.h"
#include "pt-stats.h"

/* The steadied value: median of the last voiced frames (27 ms at the
 * default hop and 48 kHz), a note held until the pitch goes 15 cents past
 * the midpoint to the next, and unvoiced only after a few unvoiced frames. */
#define STABLE_MEDIAN_LENGTH     5
#define STABLE_HYSTERESIS_CENTS  65.0   /* a held note gives way 15 cents past the midpoint */
#define STABLE_RELEASE_FRAMES    4

/* The measured background: the median level of the frames YIN finds
 * aperiodic, tracked a step of NOISE_FLOOR_STEP_DB_S a second at a time.
 * Any frame quieter than it steps it down (NOISE_FLOOR_DROP_DB under it, at
 * once); only aperiodic frames step it up. A reading is kept only
 * NOISE_FLOOR_MARGIN_DB above it, and never under the noise-gate setting,
 * where it starts. Periodic frames never lift it, so a held or decaying note
 * cannot raise its own gate, and an attack's few aperiodic frames barely
 * move it: what it gates is noise, and a note sunk into a noise heard for
 * seconds. */
#define NOISE_FLOOR_STEP_DB_S    3.0
#define NOISE_FLOOR_DROP_DB      10.0
#define NOISE_FLOOR_MARGIN_DB    3.0

struct _PtPitchAnalyzer
{
  GObject parent_instance;

  double sample_rate;
  guint requested_window;   /* 0: from min-frequency */
  guint window;
  guint hop;
  double min_frequency;
  double max_frequency;
  double noise_gate_dbfs;
  PtNoteSettings note_settings;

  PtYin *yin;
  float *ring;              /* 2 × window: each sample written twice, so a window is contiguous */
  guint ring_pos;
  guint64 origin;           /* stream position of the first sample after a reset */
  guint64 position;         /* stream position of the next sample */
  gboolean started;

  double noise_floor_dbfs;

  PtPitchFrame last;        /* the last frame's raw values */
  double last_lag;

  double stable_history[STABLE_MEDIAN_LENGTH];
  guint stable_count;
  guint stable_next;
  guint unvoiced_run;
  gboolean stable_voiced;
  double stable_frequency;
  PtNote stable_note;
};

static void pt_pitch_analyzer_iface_init (PtAnalyzerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PtPitchAnalyzer, pt_pitch_analyzer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PT_TYPE_ANALYZER,
                                                      pt_pitch_analyzer_iface_init))

G_DEFINE_BOXED_TYPE (PtPitchFrame, pt_pitch_frame, pt_pitch_frame_copy, pt_pitch_frame_free)

PtPitchFrame *
pt_pitch_frame_copy (const PtPitchFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);

  return g_memdup2 (frame, sizeof *frame);
}

void
pt_pitch_frame_free (PtPitchFrame *frame)
{
  g_free (frame);
}

enum {
  PROP_0,
  PROP_SAMPLE_RATE,
  PROP_WINDOW_SIZE,
  PROP_HOP_SIZE,
  PROP_MIN_FREQUENCY,
  PROP_MAX_FREQUENCY,
  PROP_REFERENCE,
  PROP_TUNING,
  PROP_TONIC,
  PROP_NOTE_NAMES,
  PROP_TRANSPOSITION,
  PROP_NOISE_GATE_DBFS,
  PROP_FREQUENCY,
  PROP_CONFIDENCE,
  PROP_VOICED,
  PROP_NOTE,
  PROP_STABLE_FREQUENCY,
  PROP_STABLE_NOTE,
  PROP_LATENCY_FRAMES,
  N_PROPS
};

enum {
  SIGNAL_FRAME,
  SIGNAL_PITCH_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
clear_results (PtPitchAnalyzer *self)
{
  memset (&self->last, 0, sizeof self->last);
  self->last.rms_dbfs = self->last.peak_dbfs = PT_LEVEL_FLOOR_DBFS;
  self->last_lag = 0.0;
  self->noise_floor_dbfs = self->noise_gate_dbfs;
  self->stable_count = self->stable_next = 0;
  self->unvoiced_run = 0;
  self->stable_voiced = FALSE;
  self->stable_frequency = 0.0;
  memset (&self->stable_note, 0, sizeof self->stable_note);
}

/* Takes in a frame: @aperiodic when YIN found no pitch in it (or it was
 * under the noise-gate setting). */
static void
measure_floor (PtPitchAnalyzer *self,
               double           rms_dbfs,
               gboolean         aperiodic)
{
  double step = NOISE_FLOOR_STEP_DB_S * self->hop / self->sample_rate;

  if (rms_dbfs < self->noise_floor_dbfs - NOISE_FLOOR_DROP_DB)
    self->noise_floor_dbfs = rms_dbfs;
  else if (rms_dbfs < self->noise_floor_dbfs)
    self->noise_floor_dbfs -= step;
  else if (aperiodic)
    self->noise_floor_dbfs += step;
}

static void
clear_ring (PtPitchAnalyzer *self)
{
  if (self->ring != NULL)
    memset (self->ring, 0, 2 * self->window * sizeof (float));
  self->ring_pos = 0;
  self->started = FALSE;
  self->origin = self->position = 0;
}

G_DEFINE_QUARK (pt-pitch-analyzer-error-quark, pt_pitch_analyzer_error)

static guint
effective_window (guint  requested,
                  double sample_rate,
                  double min_frequency)
{
  guint window = requested != 0 ? requested : pt_yin_window_for_range (sample_rate, min_frequency);

  return window + window % 2;
}

static gboolean G_GNUC_PRINTF (2, 3)
refuse_settings (GError    **error,
                 const char *format,
                 ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (PT_PITCH_ANALYZER_ERROR,
                                                PT_PITCH_ANALYZER_ERROR_SETTINGS, format, args));
  va_end (args);
  return FALSE;
}

gboolean
pt_pitch_analyzer_check_settings (double   sample_rate,
                                  guint    window,
                                  double   min_frequency,
                                  double   max_frequency,
                                  GError **error)
{
  guint needed;

  /* Written so that NaN fails every test. */
  if (!(sample_rate >= 1000.0 && sample_rate <= 768000.0))
    return refuse_settings (error, "the sample rate, %g Hz, is outside 1000 to 768000 Hz",
                            sample_rate);
  if (!(min_frequency > 0.0 && max_frequency > min_frequency))
    return refuse_settings (error, "the range %g to %g Hz is empty",
                            min_frequency, max_frequency);
  if (!(max_frequency < sample_rate / 2.0))
    return refuse_settings (error, "the highest frequency, %g Hz, is not below half the "
                            "sample rate (%g Hz)", max_frequency, sample_rate / 2.0);
  needed = pt_yin_window_for_range (sample_rate, min_frequency);
  if (window == 0 && needed < PT_YIN_MIN_WINDOW)
    return refuse_settings (error, "the lowest frequency, %g Hz, is too high for a rate of "
                            "%g Hz: its window would be %u samples, under the %u YIN needs",
                            min_frequency, sample_rate, needed, PT_YIN_MIN_WINDOW);
  if (window != 0 && effective_window (window, sample_rate, min_frequency) < needed)
    return refuse_settings (error, "a window of %u samples cannot hold two periods of %g Hz "
                            "at a rate of %g Hz: it needs at least %u",
                            window, min_frequency, sample_rate, needed);
  return TRUE;
}

/* Builds the estimator for the current window and range; drops the ring.
 * pt_yin_new () refuses windows under PT_YIN_MIN_WINDOW: those are
 * lengthened, so the analyser always has its estimator. */
static void
rebuild (PtPitchAnalyzer *self)
{
  guint window = MAX (effective_window (self->requested_window, self->sample_rate,
                                        self->min_frequency),
                      PT_YIN_MIN_WINDOW);

  g_clear_pointer (&self->yin, pt_yin_free);
  g_clear_pointer (&self->ring, g_free);
  self->window = window;
  self->yin = pt_yin_new (window, self->sample_rate, self->min_frequency, self->max_frequency);
  g_assert (self->yin != NULL);
  self->ring = g_new0 (float, 2 * window);
  clear_ring (self);
}

static void
notify_all_results (PtPitchAnalyzer *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FREQUENCY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIDENCE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOICED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STABLE_FREQUENCY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STABLE_NOTE]);
}

static void
reset_results (PtPitchAnalyzer *self)
{
  gboolean had_values = self->last.voiced || self->last.confidence != 0.0 || self->stable_voiced;

  clear_results (self);
  if (had_values)
    notify_all_results (self);
}

static void
pt_pitch_analyzer_reset (PtAnalyzer *analyzer)
{
  PtPitchAnalyzer *self = PT_PITCH_ANALYZER (analyzer);

  clear_ring (self);
  reset_results (self);
}

/* A missing stretch of stream (dropped batches) is silence, if short. */
static gboolean
pt_pitch_analyzer_process_batch (PtAnalyzer            *analyzer,
                                 const PtAnalysisBatch *batch,
                                 GError               **error)
{
  PtPitchAnalyzer *self = PT_PITCH_ANALYZER (analyzer);

  if (batch->sample_rate > 0.0 && batch->sample_rate != self->sample_rate)
    {
      self->sample_rate = batch->sample_rate;
      rebuild (self);
      reset_results (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLE_RATE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_SIZE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY_FRAMES]);
    }

  if (!self->started)
    {
      self->origin = self->position = batch->first_frame;
    }
  else if (batch->first_frame > self->position)
    {
      guint64 gap = batch->first_frame - self->position;

      if (gap > self->window)
        {
          clear_ring (self);
          self->origin = self->position = batch->first_frame;
        }
      else
        {
          static const float zeros[256];

          while (gap > 0)
            {
              gsize n = MIN (gap, G_N_ELEMENTS (zeros));

              pt_pitch_analyzer_push_samples (self, zeros, n);
              gap -= n;
            }
        }
    }

  pt_pitch_analyzer_push_samples (self, batch->samples, batch->n_samples);
  return TRUE;
}

static void
pt_pitch_analyzer_iface_init (PtAnalyzerInterface *iface)
{
  iface->process_batch = pt_pitch_analyzer_process_batch;
  iface->reset = pt_pitch_analyzer_reset;
}

/* The steadied value, from the raw frame just made. */
static gboolean
update_stable (PtPitchAnalyzer *self)
{
  double sorted[STABLE_MEDIAN_LENGTH];
  double median;
  PtNote note;
  gboolean was_voiced = self->stable_voiced;
  double old_frequency = self->stable_frequency;
  int old_note = self->stable_note.nearest_midi;

  if (!self->last.voiced)
    {
      if (++self->unvoiced_run >= STABLE_RELEASE_FRAMES)
        {
          self->stable_voiced = FALSE;
          self->stable_frequency = 0.0;
          self->stable_count = self->stable_next = 0;
        }
      return was_voiced != self->stable_voiced;
    }

  self->unvoiced_run = 0;
  self->stable_history[self->stable_next] = log2 (self->last.frequency);
  self->stable_next = (self->stable_next + 1) % STABLE_MEDIAN_LENGTH;
  self->stable_count = MIN (self->stable_count + 1, STABLE_MEDIAN_LENGTH);
  memcpy (sorted, self->stable_history, self->stable_count * sizeof (double));
  qsort (sorted, self->stable_count, sizeof (double), pt_compare_doubles);
  median = exp2 (sorted[self->stable_count / 2]);

  if (!pt_note_from_frequency (median, &self->note_settings, &note))
    return FALSE;

  if (self->stable_voiced && note.nearest_midi != self->stable_note.nearest_midi)
    {
      double held = pt_note_frequency_of_note (self->stable_note.nearest_midi,
                                               &self->note_settings);
      double cents = 1200.0 * log2 (median / held);

      if (fabs (cents) < STABLE_HYSTERESIS_CENTS)
        {
          /* Hold the note: same name, cents off it. */
          note.nearest_midi = self->stable_note.nearest_midi;
          note.octave = self->stable_note.octave;
          note.pitch_class = self->stable_note.pitch_class;
          memcpy (note.name, self->stable_note.name, sizeof note.name);
          note.cents = cents;
        }
    }

  self->stable_voiced = TRUE;
  self->stable_frequency = median;
  self->stable_note = note;
  return !was_voiced || old_frequency != median || old_note != note.nearest_midi;
}

static void
analyse_window (PtPitchAnalyzer *self)
{
  const float *window = self->ring + self->ring_pos;   /* oldest first, contiguous */
  PtPitchFrame frame = { 0 };
  PtYinResult result;
  PtLevelClass level_class;
  double weight;
  PtPitchFrame previous = self->last;
  gboolean stable_changed;

  frame.frame_index = self->position - self->window / 2;
  frame.time_s = frame.frame_index / self->sample_rate;
  {
    double rms, peak;

    /* The level, and with it the start of YIN's work on the same samples. */
    pt_yin_measure (self->yin, window, &rms, &peak);
    frame.rms_dbfs = pt_level_dbfs_from_amplitude (rms);
    frame.peak_dbfs = pt_level_dbfs_from_amplitude (peak);
  }
  level_class = pt_level_classify (frame.rms_dbfs, frame.peak_dbfs, 0);
  weight = pt_level_weight (level_class, frame.rms_dbfs);

  result.voiced = FALSE;
  if (frame.rms_dbfs >= self->noise_gate_dbfs)
    pt_yin_process_measured (self->yin, window, self->last_lag, &result);
  frame.voiced = result.voiced
                 && frame.rms_dbfs >= pt_pitch_analyzer_get_gate_dbfs (self)
                 && pt_note_from_frequency (result.frequency, &self->note_settings, &frame.note);
  /* A window still holding the silence before the stream measures nothing. */
  if (self->position - self->origin >= self->window)
    measure_floor (self, frame.rms_dbfs, !result.voiced);
  /* Confidence in the pitch reported: none when there is none. */
  if (frame.voiced)
    frame.confidence = result.periodicity * weight;
  if (frame.voiced)
    {
      frame.frequency = result.frequency;
      self->last_lag = result.lag;
    }
  else
    {
      self->last_lag = 0.0;
    }

  self->last = frame;
  stable_changed = update_stable (self);

  g_object_freeze_notify (G_OBJECT (self));
  if (previous.frequency != frame.frequency)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FREQUENCY]);
  if (previous.confidence != frame.confidence)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIDENCE]);
  if (previous.voiced != frame.voiced)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOICED]);
  if (memcmp (&previous.note, &frame.note, sizeof frame.note) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
  if (stable_changed)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STABLE_FREQUENCY]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STABLE_NOTE]);
    }

  g_signal_emit (self, signals[SIGNAL_FRAME], 0, &self->last);
  if (previous.voiced != frame.voiced
      || (frame.voiced && previous.note.nearest_midi != frame.note.nearest_midi))
    g_signal_emit (self, signals[SIGNAL_PITCH_CHANGED], 0);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Appends @n samples to the ring (both copies), non-finite ones as 0. */
static void
write_ring (PtPitchAnalyzer *self,
            const float     *samples,
            gsize            n)
{
  while (n > 0)
    {
      gsize run = MIN (n, self->window - self->ring_pos);
      float *first = self->ring + self->ring_pos;

      memcpy (first, samples, run * sizeof (float));
      if (!all_finite (first, run))
        for (gsize i = 0; i < run; i++)
          if (!isfinite (first[i]))
            first[i] = 0.0f;
      memcpy (first + self->window, first, run * sizeof (float));

      self->ring_pos += run;
      if (self->ring_pos == self->window)
        self->ring_pos = 0;
      samples += run;
      n -= run;
    }
}

/* Feeds mono samples; emits "frame" for every hop completed. The samples'
 * stream position continues from the last push (or the last batch). */
void
pt_pitch_analyzer_push_samples (PtPitchAnalyzer *self,
                                const float     *samples,
                                gsize            n_samples)
{
  g_return_if_fail (PT_IS_PITCH_ANALYZER (self));
  g_return_if_fail (samples != NULL || n_samples == 0);

  self->started = TRUE;
  while (n_samples > 0)
    {
      /* Up to the next frame on the grid, a block at a time. */
      guint64 since_origin = self->position - self->origin;
      gsize block = MIN (n_samples, self->hop - since_origin % self->hop);

      write_ring (self, samples, block);
      self->position += block;
      samples += block;
      n_samples -= block;

      since_origin = self->position - self->origin;
      if (since_origin % self->hop == 0 && since_origin >= self->window / 2)
        analyse_window (self);
    }
}

PtPitchAnalyzer *
pt_pitch_analyzer_new (double sample_rate)
{
  g_return_val_if_fail (sample_rate >= 1000.0 && sample_rate <= 768000.0, NULL);

  return g_object_new (PT_TYPE_PITCH_ANALYZER, "sample-rate", sample_rate, NULL);
}

double
pt_pitch_analyzer_get_sample_rate (PtPitchAnalyzer *self)
{
  g_return_val_if_fail (PT_IS_PITCH_ANALYZER (self), 0.0);
  return self->sample_rate;
}

guint
pt_pitch_analyzer_get_window_size (PtPitchAnalyzer *self)
{
  g_return_val_if_fail (PT_IS_PITCH_ANALYZER (self), 0);
  return self->window;
}

guint
pt_pitch_analyzer_get_hop_size (PtPitchAnalyzer *self)
{
  g_return_val_if_fail (PT_IS_PITCH_ANALYZER (self), 0);
  return self->hop;
}

double
pt_pitch_analyzer_get_frequency (PtPitchAnalyzer *self)
{
  g_return_val_if_fail (PT_IS_PITCH_ANALYZER (self), 0.0);
  return self->last.frequency;
}

double
pt_pitch_analyzer_get_noise_floor_dbfs (PtPitchAnalyzer *self)
{
  g_return_val_if_fail (PT_IS_PITCH_ANALYZER (self), PT_LEVEL_FLOOR_DBFS);
  return self->noise_floor_dbfs;
}

double
pt_pitch_analyzer_get_gate_dbfs (PtPitchAnalyzer *self)
{
  g_return_val_if_fail (PT_IS_PITCH_ANALYZER (self), 0.0);
  return MAX (self->noise_gate_dbfs, self->noise_floor_dbfs + NOISE_FLOOR_MARGIN_DB);
}

double
pt_pitch_analyzer_get_confidence (PtPitchAnalyzer *self)
{
  g_return_val_if_fail (PT_IS_PITCH_ANALYZER (self), 0.0);
  return self->last.confidence;
}

gboolean
pt_pitch_analyzer_get_voiced (PtPitchAnalyzer *self)
{
  g_return_val_if_fail (PT_IS_PITCH_ANALYZER (self), FALSE);
  return self->last.voiced;
}

const PtNote *
pt_pitch_analyzer_get_note (PtPitchAnalyzer *self)
{
  g_return_val_if_fail (PT_IS_PITCH_ANALYZER (self), NULL);
  return self->last.voiced ? &self->last.note : NULL;
}

double
pt_pitch_analyzer_get_stable_frequency (PtPitchAnalyzer *self)
{
  g_return_val_if_fail (PT_IS_PITCH_ANALYZER (self), 0.0);
  return self->stable_voiced ? self->stable_frequency : 0.0;
}

const PtNote *
pt_pitch_analyzer_get_stable_note (PtPitchAnalyzer *self)
{
  g_return_val_if_fail (PT_IS_PITCH_ANALYZER (self), NULL);
  return self->stable_voiced ? &self->stable_note : NULL;
}

guint
pt_pitch_analyzer_get_latency_frames (PtPitchAnalyzer *self)
{
  g_return_val_if_fail (PT_IS_PITCH_ANALYZER (self), 0);
  return self->window / 2;
}

void
pt_pitch_analyzer_get_note_settings (PtPitchAnalyzer *self,
                                     PtNoteSettings  *settings)
{
  g_return_if_fail (PT_IS_PITCH_ANALYZER (self));
  g_return_if_fail (settings != NULL);
  *settings = self->note_settings;
}

static void
pt_pitch_analyzer_finalize (GObject *object)
{
  PtPitchAnalyzer *self = PT_PITCH_ANALYZER (object);

  g_clear_pointer (&self->yin, pt_yin_free);
  g_clear_pointer (&self->ring, g_free);

  G_OBJECT_CLASS (pt_pitch_analyzer_parent_class)->finalize (object);
}

static void
pt_pitch_analyzer_constructed (GObject *object)
{
  PtPitchAnalyzer *self = PT_PITCH_ANALYZER (object);

  G_OBJECT_CLASS (pt_pitch_analyzer_parent_class)->constructed (object);

  if (self->max_frequency <= self->min_frequency)
    self->max_frequency = MIN (self->min_frequency * 2.0, self->sample_rate / 4.0);
  rebuild (self);
}

static void
pt_pitch_analyzer_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PtPitchAnalyzer *self = PT_PITCH_ANALYZER (object);

  switch (prop_id)
    {
    case PROP_SAMPLE_RATE:
      g_value_set_double (value, self->sample_rate);
      break;
    case PROP_WINDOW_SIZE:
      g_value_set_uint (value, self->window);
      break;
    case PROP_HOP_SIZE:
      g_value_set_uint (value, self->hop);
      break;
    case PROP_MIN_FREQUENCY:
      g_value_set_double (value, self->min_frequency);
      break;
    case PROP_MAX_FREQUENCY:
      g_value_set_double (value, self->max_frequency);
      break;
    case PROP_REFERENCE:
      g_value_set_double (value, self->note_settings.reference_hz);
      break;
    case PROP_TUNING:
      g_value_set_enum (value, self->note_settings.tuning);
      break;
    case PROP_TONIC:
      g_value_set_int (value, self->note_settings.tonic);
      break;
    case PROP_NOTE_NAMES:
      g_value_set_enum (value, self->note_settings.names);
      break;
    case PROP_TRANSPOSITION:
      g_value_set_enum (value, self->note_settings.transposition);
      break;
    case PROP_NOISE_GATE_DBFS:
      g_value_set_double (value, self->noise_gate_dbfs);
      break;
    case PROP_FREQUENCY:
      g_value_set_double (value, pt_pitch_analyzer_get_frequency (self));
      break;
    case PROP_CONFIDENCE:
      g_value_set_double (value, pt_pitch_analyzer_get_confidence (self));
      break;
    case PROP_VOICED:
      g_value_set_boolean (value, pt_pitch_analyzer_get_voiced (self));
      break;
    case PROP_NOTE:
      g_value_set_boxed (value, pt_pitch_analyzer_get_note (self));
      break;
    case PROP_STABLE_FREQUENCY:
      g_value_set_double (value, pt_pitch_analyzer_get_stable_frequency (self));
      break;
    case PROP_STABLE_NOTE:
      g_value_set_boxed (value, pt_pitch_analyzer_get_stable_note (self));
      break;
    case PROP_LATENCY_FRAMES:
      g_value_set_uint (value, pt_pitch_analyzer_get_latency_frames (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Setting a note setting re-labels from the next frame on. Setting the
 * window, hop or range rebuilds the estimator and starts from an empty ring. */
static void
set_analysis_uint (PtPitchAnalyzer *self,
                   guint           *field,
                   guint            value,
                   guint            prop_id)
{
  guint old_window = self->window;

  if (*field == value)
    return;
  *field = value;
  if (self->yin == NULL)  /* still constructing */
    return;
  rebuild (self);
  reset_results (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  if (prop_id != PROP_WINDOW_SIZE && old_window != self->window)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_SIZE]);
  if (old_window != self->window)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY_FRAMES]);
}

static void
set_analysis_double (PtPitchAnalyzer *self,
                     double          *field,
                     double           value,
                     guint            prop_id)
{
  guint old_window = self->window;

  if (*field == value)
    return;
  *field = value;
  if (self->yin == NULL)
    return;
  if (self->max_frequency <= self->min_frequency)
    {
      /* Only reachable transiently while a caller moves both ends. */
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
      return;
    }
  rebuild (self);
  reset_results (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  if (old_window != self->window)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_SIZE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY_FRAMES]);
    }
}

static void
set_note_setting (PtPitchAnalyzer *self,
                  int             *field,
                  int              value,
                  guint            prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
pt_pitch_analyzer_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PtPitchAnalyzer *self = PT_PITCH_ANALYZER (object);

  switch (prop_id)
    {
    case PROP_SAMPLE_RATE:
      self->sample_rate = g_value_get_double (value);
      break;
    case PROP_WINDOW_SIZE:
      {
        guint requested = g_value_get_uint (value);

        if (requested != 0 && requested < 32)
          requested = 32;
        set_analysis_uint (self, &self->requested_window, requested, PROP_WINDOW_SIZE);
      }
      break;
    case PROP_HOP_SIZE:
      set_analysis_uint (self, &self->hop, g_value_get_uint (value), PROP_HOP_SIZE);
      break;
    case PROP_MIN_FREQUENCY:
      set_analysis_double (self, &self->min_frequency, g_value_get_double (value),
                           PROP_MIN_FREQUENCY);
      break;
    case PROP_MAX_FREQUENCY:
      set_analysis_double (self, &self->max_frequency, g_value_get_double (value),
                           PROP_MAX_FREQUENCY);
      break;
    case PROP_REFERENCE:
      if (self->note_settings.reference_hz != g_value_get_double (value))
        {
          self->note_settings.reference_hz = g_value_get_double (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_TUNING:
      set_note_setting (self, (int *) &self->note_settings.tuning, g_value_get_enum (value),
                        prop_id);
      break;
    case PROP_TONIC:
      set_note_setting (self, &self->note_settings.tonic, g_value_get_int (value), prop_id);
      break;
    case PROP_NOTE_NAMES:
      set_note_setting (self, (int *) &self->note_settings.names, g_value_get_enum (value),
                        prop_id);
      break;
    case PROP_TRANSPOSITION:
      set_note_setting (self, (int *) &self->note_settings.transposition,
                        g_value_get_enum (value), prop_id);
      break;
    case PROP_NOISE_GATE_DBFS:
      if (self->noise_gate_dbfs != g_value_get_double (value))
        {
          self->noise_gate_dbfs = g_value_get_double (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_pitch_analyzer_class_init (PtPitchAnalyzerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->constructed = pt_pitch_analyzer_constructed;
  object_class->finalize = pt_pitch_analyzer_finalize;
  object_class->get_property = pt_pitch_analyzer_get_property;
  object_class->set_property = pt_pitch_analyzer_set_property;

  properties[PROP_SAMPLE_RATE] =
    g_param_spec_double ("sample-rate", NULL, NULL, 1000.0, 768000.0, 48000.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WINDOW_SIZE] =
    g_param_spec_uint ("window-size", NULL, NULL, 0, 65536, 0,
                       rw | G_PARAM_CONSTRUCT);
  properties[PROP_HOP_SIZE] =
    g_param_spec_uint ("hop-size", NULL, NULL, 1, 65536, PT_PITCH_ANALYZER_DEFAULT_HOP,
                       rw | G_PARAM_CONSTRUCT);
  properties[PROP_MIN_FREQUENCY] =
    g_param_spec_double ("min-frequency", NULL, NULL, 10.0, 20000.0,
                         PT_PITCH_ANALYZER_DEFAULT_MIN_FREQUENCY, rw | G_PARAM_CONSTRUCT);
  properties[PROP_MAX_FREQUENCY] =
    g_param_spec_double ("max-frequency", NULL, NULL, 20.0, 100000.0,
                         PT_PITCH_ANALYZER_DEFAULT_MAX_FREQUENCY, rw | G_PARAM_CONSTRUCT);
  properties[PROP_REFERENCE] =
    g_param_spec_double ("reference", NULL, NULL, PT_NOTE_REFERENCE_MIN_HZ,
                         PT_NOTE_REFERENCE_MAX_HZ, PT_NOTE_REFERENCE_DEFAULT_HZ,
                         rw | G_PARAM_CONSTRUCT);
  properties[PROP_TUNING] =
    g_param_spec_enum ("tuning", NULL, NULL, PT_TYPE_TUNING_SYSTEM, PT_TUNING_EQUAL,
                       rw | G_PARAM_CONSTRUCT);
  properties[PROP_TONIC] =
    g_param_spec_int ("tonic", NULL, NULL, 0, 11, 0, rw | G_PARAM_CONSTRUCT);
  properties[PROP_NOTE_NAMES] =
    g_param_spec_enum ("note-names", NULL, NULL, PT_TYPE_NOTE_NAMES, PT_NOTE_NAMES_SHARPS,
                       rw | G_PARAM_CONSTRUCT);
  properties[PROP_TRANSPOSITION] =
    g_param_spec_enum ("transposition", NULL, NULL, PT_TYPE_TRANSPOSITION,
                       PT_TRANSPOSITION_C, rw | G_PARAM_CONSTRUCT);
  properties[PROP_NOISE_GATE_DBFS] =
    g_param_spec_double ("noise-gate-dbfs", NULL, NULL, PT_LEVEL_FLOOR_DBFS, 0.0,
                         PT_PITCH_ANALYZER_DEFAULT_NOISE_GATE, rw | G_PARAM_CONSTRUCT);
  properties[PROP_FREQUENCY] =
    g_param_spec_double ("frequency", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, ro);
  properties[PROP_CONFIDENCE] =
    g_param_spec_double ("confidence", NULL, NULL, 0.0, 1.0, 0.0, ro);
  properties[PROP_VOICED] =
    g_param_spec_boolean ("voiced", NULL, NULL, FALSE, ro);
  properties[PROP_NOTE] =
    g_param_spec_boxed ("note", NULL, NULL, PT_TYPE_NOTE, ro);
  properties[PROP_STABLE_FREQUENCY] =
    g_param_spec_double ("stable-frequency", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, ro);
  properties[PROP_STABLE_NOTE] =
    g_param_spec_boxed ("stable-note", NULL, NULL, PT_TYPE_NOTE, ro);
  properties[PROP_LATENCY_FRAMES] =
    g_param_spec_uint ("latency-frames", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Every analysis frame, raw; the PtPitchFrame is borrowed for the call
   * (static scope: no copy per emission). */
  signals[SIGNAL_FRAME] =
    g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1,
                  PT_TYPE_PITCH_FRAME | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* The voiced state or the nearest note of the raw pitch changed. */
  signals[SIGNAL_PITCH_CHANGED] =
    g_signal_new ("pitch-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pt_pitch_analyzer_init (PtPitchAnalyzer *self)
{
  self->sample_rate = 48000.0;
  self->hop = PT_PITCH_ANALYZER_DEFAULT_HOP;
  self->min_frequency = PT_PITCH_ANALYZER_DEFAULT_MIN_FREQUENCY;
  self->max_frequency = PT_PITCH_ANALYZER_DEFAULT_MAX_FREQUENCY;
  self->noise_gate_dbfs = PT_PITCH_ANALYZER_DEFAULT_NOISE_GATE;
  pt_note_settings_init_default (&self->note_settings);
  clear_results (self);
}
