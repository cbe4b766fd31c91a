/* pt-yin.c — YIN (de Cheveigné & Kawahara, JASA 2002) with the difference
 * function through FFTW, and an octave-safe choice among its dips.
 *
 * Difference function. The newest L = W/2 samples of the window are compared
 * with the span τ earlier: d(τ) = Σ_{k=W-L}^{W-1} (x_k - x_{k-τ})²
 * = e_new + e(τ) - 2 r(τ), where r is a cross-correlation computed from the
 * transforms of the whole window and of its newest half (zero padded), and
 * one inverse transform: with k - τ ≥ 0 for every lag we need, the circular
 * correlation never wraps, so any FFT size N ≥ W will do, and we take the
 * fastest: 2^a, 3·2^a or 5·2^a (W = 2404 at 48 kHz runs at N = 2560, whose
 * FFT pair costs a third of one at N = 2430). FFTW's estimated plans for
 * real transforms are slow at these sizes, so both forward transforms are
 * one complex transform (the whole window as its real part, the newest half
 * as its imaginary part, separated after), and the real inverse is a complex
 * transform of N / 2 points: about 3.5 µs a frame instead of 7 at N = 2048
 * (estimated plans, loaded machine), and 0.5 µs to separate and pack.
 * The energies e(τ) are running sums. Comparing the NEWEST half (rather than
 * the oldest, as aubio does) means a high note only needs L + τ new samples
 * to show, which cuts the latency of every note but the lowest.
 *
 * Choosing a dip (the octave guard). YIN's absolute threshold takes the
 * first CMNDF dip under a fixed value (0.1–0.15): it reports the octave above
 * whenever the odd harmonics are weak (the dip at half the period falls
 * under the threshold) and an octave below when noise lifts the true dip
 * over it. Here:
 *  1. as in McLeod's key-maximum rule (McLeod & Wyvill 2005), the threshold
 *     is relative to the deepest dip g: the first dip under
 *     min (2g + 0.03, g + 0.1) wins, so a half-period dip has to be nearly
 *     as deep as the best one, and a noisy true dip still beats its equally
 *     noisy multiples;
 *  2. a causal tracker (the previous frame's lag, in the spirit of pYIN's
 *     tracking, Mauch & Dixon 2014, without its look-ahead) keeps a note
 *     whose dip is briefly lifted just over the threshold;
 *  3. an octave check: when the dips at the even multiples of the chosen
 *     lag are much deeper (under half) than those at its odd multiples, the
 *     signal only repeats every two "periods", as on a bassoon's low notes,
 *     and twice the lag wins.
 * Measured per frame (window wholly inside a note, 44.1 kHz) on FluidSynth
 * renderings of 27 General MIDI instruments plus 5 sox waveforms (68820
 * frames), RPA50 / octave errors: YIN's plain rule (first dip under 0.15)
 * 0.974 / 2.4 %; rule 1 0.975 / 2.4 %; 1–2 0.977 / 2.2 %; 1–3 0.975 / 2.3 %.
 * Most of those errors are FluidR3's church organ, which sounds a rank an
 * octave under the written note (its waveform repeats at twice the period:
 * CMNDF 0.25 at the written period, 0.002 at twice it), and which rule 3
 * therefore reports an octave low. Without it: plain 0.986 / 1.2 %, rule 1
 * 0.993 / 0.57 %, 1–2 0.994 / 0.48 %, 1–3 0.995 / 0.32 %.
 *
 * In a room (benchmarks/peer-accuracy.py: reverb, a microphone's band, pink
 * noise 20 dB under the note), three more, all causal and without latency,
 * since each only looks back:
 *  4. a note keeps sounding while its dip, averaged over its frames, stays
 *     clear (update_sustain ()): a decay stays voiced as long as the note
 *     is as loud as the noise, not only while one frame shows it;
 *  5. while a note sounds, another one needs an attack or a clear dip
 *     (is_doubtful_jump ()): what a decay turns into in a room is the
 *     reverberation's own periodicities, not a note, so the frame goes
 *     unvoiced instead of reading 20 to 40 semitones low;
 *  6. a tone above the range goes unvoiced rather than an octave low
 *     (period_below_range ()), and the octave check leans to the sounding
 *     note's lag (HELD_OCTAVE_RATIO);
 *  7. a frame that rule 5 would leave unvoiced reads the sounding note
 *     while rule 4's average, of that note, shows it, and that average
 *     gives its lag: a single frame's vertex, this deep in the noise, falls
 *     a third of a lag off a short period (outside rule 4's 1 %), and what
 *     beat the note's own dip there is the room's. Only the sounding note,
 *     the one last read with a clear dip: holding whatever the last frame
 *     read kept a chorus's onset an octave up for longer (FluidR3's choir,
 *     octave errors 0.30 % instead of 0.29 % in the room).
 * FluidR3 instruments in that room, church organ aside, RPA50 / octave /
 * other wrong notes: 1–3 0.9841 / 0.42 % / 0.15 %; 1–6 0.9897 / 0.28 % /
 * 0.09 % (Praat 0.9896 / 0.27 % / 0.34 %); clean 0.9952 both ways; 1–7
 * 0.9929 / 0.29 % / 0.10 % (Praat 0.9902), clean 0.9954. On TimGM6mb's
 * instruments, which none of this was tuned on, room 0.9968 → 0.9974
 * (Praat 0.9969), clean 0.9971 → 0.9972.
 *
 * At a note's onset, the long span reads it only once the note fills its
 * newest half (25 ms) or what came before is silent. So (8) a frame whose
 * newest S = 11.6 ms rise over the window is read again by a YIN over the
 * newest 2 S alone (read_onset ()), whose reading wins when the long span
 * has none or another note, not an octave; and a stronger rise ends the
 * note sounding, whose memory (rules 2, 4, 5, 7) held the note before for
 * up to 35 ms. Causal, no look-ahead. Time to the correct note, median /
 * p90 on FluidR3's instruments: 25.4 / 59.3 ms before, 24.4 / 59.1 after
 * (TimGM6mb 25.4 / 57.3 → 23.4 / 56.1); wrong notes read between an onset
 * and the first correct frame 1012 → 557 (TimGM6mb 964 → 443); RPA50 and
 * octave errors as before (room 0.9929 → 0.9928, TimGM6mb 0.9974 →
 * 0.9978). It costs 0.3 % of the instructions on a sweep, 1.4 % on a
 * piano's notes.
 *
 * Voicing: the chosen dip is under 0.4 (white noise stays near 1); d is under
 * half the energy of the two spans it compares (so the end of a note, newest
 * half silent and older half ringing, is not a pitch); and the newest half
 * holds at least 1 % of its share of the window's energy.
 *
 * Refinement. Each dip's lag is refined on d (not the CMNDF, whose τ/Σd
 * factor skews the vertex): a quartic through five lags for sharp dips, the
 * same on d smoothed by a symmetric kernel for wide ones (low notes, where
 * noise makes d jagged), and short periods are measured again at a multiple
 * of themselves. A sine anywhere from E1 to C7 comes out within 0.1 cent,
 * and so does a tone of 1/k partials to 8 kHz at 40 dB SNR (a cubic over
 * the whole wide dip had it up to 1.4 cents off from 82 to 210 Hz). A
 * held pitch is then steadied against the previous frame's reading
 * (smooth_steady ()), which leaves a new note and a vibrato as they are.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-yin"

#include "config.h"

#include <fftw3.h>
#include <math.h>
#include <string.h>

#include "pt-fftw.h"
#include "pt-vector.h"
#include "pt-yin.h"

/* A frame is voiced when its best dip is under this: white noise stays near
 * 1 (its deepest dip over a thousand lags is about 0.8), a tone at 0 dB SNR
 * is near 0.5. */
#define VOICING_THRESHOLD 0.4
#define BALANCE_THRESHOLD 0.5
#define NEWEST_HALF_MIN_SHARE 0.01
/* The relative threshold: the first dip under min (g * A + B, g + C). */
#define RELATIVE_FACTOR 2.0
#define RELATIVE_OFFSET 0.03
#define RELATIVE_SPAN   0.1
/* The octave check: a dip at twice the lag wins when under
 * RATIO × value - MARGIN. */
#define OCTAVE_RATIO  0.5
#define OCTAVE_MARGIN 0.005
#define MIN_OCTAVE_CHECK_LAG 8.0
#define OCTAVE_PAIRS 3
/* How far over it a dip at the previous lag may be and still be kept. */
#define CONTINUITY_FACTOR 1.5
#define CONTINUITY_SPAN   0.05
/* A voiced note is kept while the average of d / energy over its frames
 * has a dip under this near its lag: d / energy is about 1 / (1 + SNR) in
 * the spans compared, so 0.6 is the note 2 dB under the noise, which one
 * frame's dip would not show but the average over its frames does (0.5:
 * room RPA50 0.9919, 0.9973 on TimGM6mb; 0.6: 0.9929, 0.9974): see
 * update_sustain (). */
#define SUSTAIN_THRESHOLD 0.6
#define SUSTAIN_FRAMES    8.0
#define SUSTAIN_SPAN      0.01
/* While a note sounds, another one needs a dip under this, or a rise of the
 * newest half's energy by this factor over its least since the note was
 * set (an attack). */
#define JUMP_THRESHOLD 0.25
#define RISE_FACTOR    1.5
/* The sounding note is the one last read with a dip under this. */
#define NOTE_THRESHOLD 0.15
/* The octave check's ratio when twice the chosen lag is the sounding note's. */
#define HELD_OCTAVE_RATIO 0.8
/* A reading within STEADY_CENTS of the previous frame's moves it by
 * STEADY_GAIN of the way at least: see smooth_steady (). */
#define STEADY_CENTS 1.0
#define STEADY_GAIN  0.25
/* The onset reader's span S, in seconds (512 samples at 44.1 kHz), and the
 * rise of its energy per sample over the window's that makes a frame an
 * attack: a reader's (see read_onset ()), and one that ends the note
 * sounding (see process ()). */
#define ONSET_SPAN_S 0.0116
#define ONSET_RISE   2.0
#define ATTACK_RISE  3.0

struct _PtYin
{
  guint   window;      /* W */
  guint   fft_size;    /* N ≥ W */
  guint   half;        /* L = W / 2, the integration span */
  double  sample_rate;
  guint   lag_min;
  guint   lag_max;     /* ≤ L - 2: refining the dip at lag_max needs d (lag_max + 2) */
  double  min_frequency;
  double  max_frequency;

  float         *whole;     /* the window, mean removed */
  fftwf_complex *pair;      /* whole + i newest (its newest half), zero padded */
  fftwf_complex *spectrum;  /* of pair, N + 1 bins: bin N repeats bin 0 */
  float         *correlation;
  float         *cmndf;     /* lags 0 … lag_max + 2 */
  double        *difference;
  double        *energy;    /* e_new + e (τ): d over it is 1 - McLeod's NSDF */
  float         *change;    /* change of the lagged energy, indexed by W - τ */
  double        *step;        /* change[W - τ], in double */
  double        *twice_r;     /* 2 r (τ) */
  double        *running_sum; /* Σ d up to τ */
  double        *sustain;     /* d / energy, averaged over the frames of a note */
  double         sustain_lag; /* the note's lag when it was seeded, 0 if none */
  double         note_lag;    /* of the last voiced note until silence, 0 if none */
  double         quietest_new;  /* least energy_new since note_lag was set */
  float          dip_threshold;  /* VOICING_THRESHOLD as the float it means for a float */
  const float   *measured_samples;  /* of the last pt_yin_measure (), loaded */
  double         energy_new;    /* of the newest half */
  double         energy_whole;  /* of the whole window */
  fftwf_plan     forward_plan;
  fftwf_plan     inverse_plan;  /* complex, N / 2 points: see pack_half_spectrum () */
  float         *product_re;    /* newest × conj (whole), bins 0 … N / 2 */
  float         *product_im;
  float         *twiddle_re;    /* e^{2πik/N}, k < N / 2 */
  float         *twiddle_im;
  fftwf_complex *packed;        /* the N / 2 points the inverse transforms */
  PtYin         *onset;         /* over the newest 2 S samples, S = onset_span; or NULL */
  guint          onset_span;    /* S, 0 without a reader */
  double         energy_onset;  /* of the newest S samples */
};


/* The smallest 2^a, 3·2^a or 5·2^a not under @n: the sizes FFTW's
 * estimated plans are fastest at. */
static guint
fast_fft_size (guint n)
{
  static const guint odd_factors[] = { 1, 3, 5 };
  guint best = G_MAXUINT;

  for (guint i = 0; i < G_N_ELEMENTS (odd_factors); i++)
    {
      guint size = odd_factors[i] * 16;

      while (size < n)
        size *= 2;
      best = MIN (best, size);
    }
  return best;
}

guint
pt_yin_window_for_range (double sample_rate,
                         double min_frequency)
{
  g_return_val_if_fail (sample_rate > 0.0 && min_frequency > 0.0, 2048);

  /* Two periods of the lowest note, and two more lags for its refinement. */
  return 2 * (guint) ceil (sample_rate / min_frequency) + 4;
}

/* The second, shorter reader read_onset () consults: a YIN of its own over
 * the newest 2 S samples, when the window holds at least twice that. */
static void
new_onset_reader (PtYin *yin)
{
  guint span = 2 * (guint) lround (0.5 * ONSET_SPAN_S * yin->sample_rate);

  if (yin->window < 4 * span || span < PT_YIN_MIN_WINDOW
      || yin->max_frequency <= 2.0 * yin->sample_rate / (span - 2))
    return;
  yin->onset_span = span;
  yin->onset = pt_yin_new (2 * span, yin->sample_rate, yin->sample_rate / (span - 2),
                           yin->max_frequency);
}

PtYin *
pt_yin_new (guint  window,
            double sample_rate,
            double min_frequency,
            double max_frequency)
{
  PtYin *yin;
  guint n_bins;

  g_return_val_if_fail (window >= PT_YIN_MIN_WINDOW && window % 2 == 0, NULL);
  g_return_val_if_fail (sample_rate > 0.0, NULL);
  g_return_val_if_fail (min_frequency > 0.0 && max_frequency > min_frequency, NULL);

  yin = g_new0 (PtYin, 1);
  yin->window = window;
  yin->half = window / 2;
  yin->sample_rate = sample_rate;
  yin->lag_max = MIN (yin->half - 2, (guint) ceil (sample_rate / min_frequency));
  yin->lag_min = MAX (3, (guint) floor (sample_rate / max_frequency));
  yin->lag_min = MIN (yin->lag_min, yin->lag_max - 1);
  yin->min_frequency = sample_rate / yin->lag_max;
  yin->max_frequency = sample_rate / yin->lag_min;

  yin->fft_size = fast_fft_size (window);
  n_bins = yin->fft_size / 2 + 1;
  yin->whole = fftwf_alloc_real (yin->fft_size);
  yin->pair = fftwf_alloc_complex (yin->fft_size);
  yin->correlation = fftwf_alloc_real (yin->fft_size);
  yin->spectrum = fftwf_alloc_complex (yin->fft_size + 1);
  yin->product_re = g_new0 (float, n_bins);
  yin->product_im = g_new0 (float, n_bins);
  yin->twiddle_re = g_new (float, yin->fft_size / 2);
  yin->twiddle_im = g_new (float, yin->fft_size / 2);
  yin->packed = fftwf_alloc_complex (yin->fft_size / 2);
  for (guint k = 0; k < yin->fft_size / 2; k++)
    {
      double angle = 2.0 * G_PI * k / yin->fft_size;

      yin->twiddle_re[k] = (float) cos (angle);
      yin->twiddle_im[k] = (float) sin (angle);
    }
  yin->cmndf = g_new0 (float, yin->lag_max + 3);
  yin->difference = g_new0 (double, yin->lag_max + 3);
  yin->energy = g_new0 (double, yin->lag_max + 3);
  yin->change = g_new0 (float, window);
  yin->step = g_new0 (double, yin->lag_max + 3);
  yin->twice_r = g_new0 (double, yin->lag_max + 3);
  yin->running_sum = g_new0 (double, yin->lag_max + 3);
  yin->sustain = g_new0 (double, yin->lag_max + 3);
  /* c ≥ VOICING_THRESHOLD for a float c is c ≥ the least float not under it. */
  yin->dip_threshold = (float) VOICING_THRESHOLD;
  if (yin->dip_threshold < VOICING_THRESHOLD)
    yin->dip_threshold = nextafterf (yin->dip_threshold, G_MAXFLOAT);

  /* FFTW_ESTIMATE, not MEASURE: measured plans differ from run to run with
   * the machine's load, and with them the last bits of every result, so
   * `--analyze` would not print the same thing twice (nor what the live
   * analyser printed). Estimated plans are the same every time on a given
   * machine, cost 4 ms instead of 0.4 s to make, and run about 25 % slower
   * (a 2048-point r2c + c2r pair: 6.6 µs against 5.1 µs, loaded machine);
   * hence the complex transforms below. */
  pt_fftw_planner_lock ();
  /* Both real transforms as one complex one, the whole window as the real
   * part and its newest half as the imaginary part: an estimated 2048-point
   * complex plan costs about half two real ones (2.3 µs against 4.3). */
  yin->forward_plan = fftwf_plan_dft_1d ((int) yin->fft_size, yin->pair, yin->spectrum,
                                         FFTW_FORWARD, FFTW_ESTIMATE);
  /* The inverse as a complex transform of half the size, r (2m) and
   * r (2m + 1) its real and imaginary parts: a 2048-point c2r estimated plan
   * costs three times a 1024-point complex one (2.9 µs against 0.95). */
  yin->inverse_plan = fftwf_plan_dft_1d ((int) yin->fft_size / 2, yin->packed,
                                         (fftwf_complex *) yin->correlation, FFTW_BACKWARD,
                                         FFTW_ESTIMATE);
  pt_fftw_planner_unlock ();

  g_assert (yin->forward_plan != NULL && yin->inverse_plan != NULL);
  new_onset_reader (yin);

  /* Planning may scribble over the arrays. The tail of pair past W, and
   * the imaginary parts of its oldest half, stay zero for good: an
   * out-of-place complex transform keeps its input. */
  for (guint i = 0; i < yin->fft_size; i++)
    {
      yin->whole[i] = yin->correlation[i] = 0.0f;
      yin->pair[i][0] = yin->pair[i][1] = 0.0f;
    }
  return yin;
}

void
pt_yin_free (PtYin *yin)
{
  if (yin == NULL)
    return;

  pt_fftw_planner_lock ();
  fftwf_destroy_plan (yin->forward_plan);
  fftwf_destroy_plan (yin->inverse_plan);
  pt_fftw_planner_unlock ();
  fftwf_free (yin->whole);
  fftwf_free (yin->pair);
  fftwf_free (yin->correlation);
  fftwf_free (yin->spectrum);
  fftwf_free (yin->packed);
  g_free (yin->product_re);
  g_free (yin->product_im);
  g_free (yin->twiddle_re);
  g_free (yin->twiddle_im);
  g_free (yin->cmndf);
  g_free (yin->difference);
  g_free (yin->energy);
  g_free (yin->change);
  g_free (yin->step);
  g_free (yin->twice_r);
  g_free (yin->running_sum);
  g_free (yin->sustain);
  pt_yin_free (yin->onset);
  g_free (yin);
}

guint
pt_yin_get_window (const PtYin *yin)
{
  return yin->window;
}

double
pt_yin_get_min_frequency (const PtYin *yin)
{
  return yin->min_frequency;
}

double
pt_yin_get_max_frequency (const PtYin *yin)
{
  return yin->max_frequency;
}

const float *
pt_yin_get_cmndf (const PtYin *yin,
                  guint       *n_lags)
{
  if (n_lags != NULL)
    *n_lags = yin->lag_max + 3;
  return yin->cmndf;
}

static double
sum_floats (const float *x,
            guint        n)
{
  PtFloat4 acc = { 0.0f };
  double total = 0.0;
  guint i;

  for (i = 0; i + LANES <= n; i += LANES)
    acc += load4 (x + i);
  for (; i < n; i++)
    total += x[i];
  return total + sum_lanes (acc);
}

/* The spread of a run of centred samples: the sum of their squares and
 * their extremes. */
typedef struct
{
  double squares;
  float  lowest;
  float  highest;
} PtSpread;

/* Copies @n samples less @mean to @out, and as the real parts of the
 * complex @pair, also as their imaginary parts when @both; adds their
 * squares and extremes to @spread. */
static void
copy_centred (const float *x,
              float        mean,
              float       *out,
              float       *pair,
              gboolean     both,
              guint        n,
              PtSpread    *spread)
{
  PtFloat4 acc = { 0.0f };
  const PtFloat4 zero = { 0.0f };
  PtFloat4 low = zero, high = zero;
  guint i;

  if (both)
    for (i = 0; i + LANES <= n; i += LANES)
      {
        PtFloat4 v = load4 (x + i) - mean;

        store4 (out + i, v);
        store4 (pair + 2 * i, SHUFFLE2 (v, v, 0, 0, 1, 1));
        store4 (pair + 2 * i + LANES, SHUFFLE2 (v, v, 2, 2, 3, 3));
        acc += v * v;
        low = min4 (v, low);
        high = max4 (v, high);
      }
  else
    for (i = 0; i + LANES <= n; i += LANES)
      {
        PtFloat4 v = load4 (x + i) - mean;

        store4 (out + i, v);
        store4 (pair + 2 * i, SHUFFLE2 (v, zero, 0, 4, 1, 5));
        store4 (pair + 2 * i + LANES, SHUFFLE2 (v, zero, 2, 6, 3, 7));
        acc += v * v;
        low = min4 (v, low);
        high = max4 (v, high);
      }
  for (; i < n; i++)
    {
      out[i] = x[i] - mean;
      pair[2 * i] = out[i];
      pair[2 * i + 1] = both ? out[i] : 0.0f;
      spread->squares += (double) out[i] * out[i];
      spread->lowest = MIN (spread->lowest, out[i]);
      spread->highest = MAX (spread->highest, out[i]);
    }
  spread->squares += sum_lanes (acc);
  for (guint j = 0; j < LANES; j++)
    {
      spread->lowest = MIN (spread->lowest, low[j]);
      spread->highest = MAX (spread->highest, high[j]);
    }
}

/* The window less its mean into whole and pair, the energies of the whole
 * window and of its newest half; the whole window's spread into @spread. */
static void
load_window (PtYin       *yin,
             const float *samples,
             float        mean,
             PtSpread    *spread)
{
  const guint W = yin->window, L = yin->half, S = yin->onset_span;
  PtSpread newest = { 0.0, 0.0f, 0.0f }, onset = newest;

  *spread = newest;
  copy_centred (samples, mean, yin->whole, (float *) yin->pair, FALSE, W - L, spread);
  /* The newest half in two parts, for the energy of its newest S. */
  copy_centred (samples + W - L, mean, yin->whole + W - L, (float *) (yin->pair + W - L), TRUE,
                L - S, &newest);
  copy_centred (samples + W - S, mean, yin->whole + W - S, (float *) (yin->pair + W - S), TRUE,
                S, &onset);
  yin->energy_onset = onset.squares;
  yin->energy_new = newest.squares + onset.squares;
  yin->energy_whole = spread->squares + yin->energy_new;
  spread->squares = yin->energy_whole;
  spread->lowest = MIN (spread->lowest, MIN (newest.lowest, onset.lowest));
  spread->highest = MAX (spread->highest, MAX (newest.highest, onset.highest));
}

/* From Z, the transform of whole + i newest (N + 1 bins, bin N = bin 0),
 * P = newest's transform × conj (whole's) × @scale for bins 0 … N / 2, into
 * separate real and imaginary parts. With M = Z_{N-k}, whole's bin k is
 * (Z + conj M) / 2 and newest's (Z - conj M) / 2i; the halves go into the
 * scale. */
static void
multiply_conjugate (const float *z,
                    guint        n,
                    float        scale,
                    float       *re_out,
                    float       *im_out)
{
  const guint half = n / 2;
  const float quarter = 0.25f * scale;
  guint k;

  for (k = 0; k + LANES <= half; k += LANES)
    {
      /* Z_k … Z_k+3, and Z_{N-k} … Z_{N-k-3}: bins N-k-3 … N-k, reversed. */
      PtFloat4 a0 = load4 (z + 2 * k), a1 = load4 (z + 2 * k + LANES);
      PtFloat4 b0 = load4 (z + 2 * (n - k - 3)), b1 = load4 (z + 2 * (n - k - 3) + LANES);
      PtFloat4 zr = SHUFFLE2 (a0, a1, 0, 2, 4, 6), zi = SHUFFLE2 (a0, a1, 1, 3, 5, 7);
      PtFloat4 mr = SHUFFLE2 (b1, b0, 2, 0, 6, 4), mi = SHUFFLE2 (b1, b0, 3, 1, 7, 5);
      PtFloat4 xr = zr + mr, xi = zi - mi;    /* 2 × whole's */
      PtFloat4 nr = zi + mi, ni = mr - zr;    /* 2 × newest's */

      store4 (re_out + k, (nr * xr + ni * xi) * quarter);
      store4 (im_out + k, (ni * xr - nr * xi) * quarter);
    }
  for (; k <= half; k++)
    {
      float zr = z[2 * k], zi = z[2 * k + 1], mr = z[2 * (n - k)], mi = z[2 * (n - k) + 1];
      float xr = zr + mr, xi = zi - mi, nr = zi + mi, ni = mr - zr;

      re_out[k] = (nr * xr + ni * xi) * quarter;
      im_out[k] = (ni * xr - nr * xi) * quarter;
    }
}

/* The N / 2 points whose inverse complex transform z holds the inverse
 * real transform r of the half spectrum P (bins 0 … N / 2) as
 * z_m = r_2m + i r_2m+1: with w = e^{2πi/N} and P_{N/2+k} = conj (P_{N/2-k}),
 * Z_k = (P_k + conj P_{N/2-k}) + i w^k (P_k - conj P_{N/2-k}). */
static void
pack_half_spectrum (const float *pr,
                    const float *pi,
                    const float *wr,
                    const float *wi,
                    guint        half,
                    float       *z)
{
  for (guint k = 0; k < half; k += LANES)
    {
      /* P_{N/2-k-j} for j = 0 … 3: the four bins from N/2 - k - 3 up, reversed. */
      PtFloat4 mr = load4 (pr + half - k - 3), mi = load4 (pi + half - k - 3);
      PtFloat4 p_re = load4 (pr + k), p_im = load4 (pi + k);
      PtFloat4 w_re = load4 (wr + k), w_im = load4 (wi + k);
      PtFloat4 ar, ai, br, bi, cr, ci, zr, zi;

      mr = SHUFFLE2 (mr, mr, 3, 2, 1, 0);
      mi = SHUFFLE2 (mi, mi, 3, 2, 1, 0);
      ar = p_re + mr;
      ai = p_im - mi;
      br = p_re - mr;
      bi = p_im + mi;
      cr = w_re * br - w_im * bi;
      ci = w_re * bi + w_im * br;
      zr = ar - ci;
      zi = ai + cr;
      store4 (z + 2 * k, SHUFFLE2 (zr, zi, 0, 4, 1, 5));
      store4 (z + 2 * k + LANES, SHUFFLE2 (zr, zi, 2, 6, 3, 7));
    }
}

/* The level in double, one sample at a time, for the window whose float
 * sums overflowed: finite samples near ±3e38 (their squares, even their
 * differences, exceed float) must still give a finite level. */
static void
measure_window_wide (const float *samples,
                     guint        n,
                     double      *rms,
                     double      *peak)
{
  double shift = samples[0], lowest = shift, highest = shift;
  double total = 0.0, total_squares = 0.0, m;

  for (guint i = 0; i < n; i++)
    {
      double v = (double) samples[i] - shift;

      total += v;
      total_squares += v * v;
      lowest = MIN (lowest, samples[i]);
      highest = MAX (highest, samples[i]);
    }
  m = total / n;
  *rms = sqrt (MAX (total_squares / n - m * m, 0.0));
  m += shift;
  *peak = MAX (highest - m, m - lowest);
}

void
pt_yin_measure (PtYin       *yin,
                const float *samples,
                double      *rms,
                double      *peak)
{
  PtSpread spread;
  float mean;

  g_return_if_fail (yin != NULL && samples != NULL);

  /* The level from the centred copy YIN needs anyway: one pass over the
   * window fewer than measuring apart (2 % of `--analyze`'s instructions). */
  mean = (float) (sum_floats (samples, yin->window) / yin->window);
  load_window (yin, samples, mean, &spread);
  *rms = sqrt (spread.squares / yin->window);
  *peak = MAX (spread.highest, -spread.lowest);
  if (!isfinite (*rms) || !isfinite (*peak))
    measure_window_wide (samples, yin->window, rms, peak);
  yin->measured_samples = samples;
}

/* cmndf[τ] ← (float) (d[τ] × τ) / (float) running[τ], 1 where the latter is
 * 0, for τ = 1 … n - 1; cmndf[0] = 1. */
static void
divide_cmndf (float        *cmndf,
              const double *d,
              const double *running,
              guint         n)
{
  const PtFloat4 zero = { 0.0f }, one = { 1.0f, 1.0f, 1.0f, 1.0f };
  guint tau;

  PtDouble4 lags = { 1.0, 2.0, 3.0, 4.0 };

  cmndf[0] = 1.0f;
  for (tau = 1; tau + LANES <= n; tau += LANES, lags += 4.0)
    {
      PtDouble4 running4, d4;
      PtFloat4 sum, num;

      memcpy (&running4, running + tau, sizeof running4);
      memcpy (&d4, d + tau, sizeof d4);
      sum = __builtin_convertvector (running4, PtFloat4);
      num = __builtin_convertvector (d4 * lags, PtFloat4);
      {
        PtInt4 positive = sum > zero;
        PtFloat4 safe = select4 (positive, sum, one);   /* no 0/0 */

        store4 (cmndf + tau, select4 (positive, num / safe, one));
      }
    }
  for (; tau < n; tau++)
    {
      float sum = (float) running[tau], num = (float) (d[tau] * tau);

      cmndf[tau] = sum > 0.0f ? num / sum : 1.0f;
    }
}

/* d > 0 ? d : 0, as one instruction where there is one (SSE2's maxsd
 * returns its second operand unless the first is greater). */
static inline double
positive_part (double d)
{
#if defined(__SSE2__)
  return _mm_cvtsd_f64 (_mm_max_sd (_mm_set_sd (d), _mm_setzero_pd ()));
#else
  return d > 0.0 ? d : 0.0;
#endif
}

/* d (τ) and the CMNDF for τ = 0 … lag_max + 2, through the FFT. */
static void
compute_difference (PtYin *yin)
{
  const guint W = yin->window, L = yin->half, n_lags = yin->lag_max + 3;
  const float *whole = yin->whole, *r = yin->correlation;
  /* Locals, not yin->…: a store through one would make the compiler read
   * the others again every lag. */
  float *change = yin->change, *cmndf = yin->cmndf;
  double *difference = yin->difference, *energy = yin->energy, *step = yin->step;
  double *twice_r = yin->twice_r, *running_sum = yin->running_sum;
  const double energy_new = yin->energy_new;
  double energy_lagged, running = 0.0;
  guint u;

  fftwf_execute (yin->forward_plan);
  yin->spectrum[yin->fft_size][0] = yin->spectrum[0][0];
  yin->spectrum[yin->fft_size][1] = yin->spectrum[0][1];
  /* newest × conj (whole): its inverse is r (τ) = Σ_k newest_k whole_{k-τ}. */
  multiply_conjugate ((const float *) yin->spectrum, yin->fft_size, 1.0f / (float) yin->fft_size,
                      yin->product_re, yin->product_im);
  pack_half_spectrum (yin->product_re, yin->product_im, yin->twiddle_re, yin->twiddle_im,
                      yin->fft_size / 2, (float *) yin->packed);
  fftwf_execute (yin->inverse_plan);

  /* From lag τ - 1 to τ the lagged span gains whole[W-L-τ] and loses
   * whole[W-τ]: with u = W - τ, change[u] = whole[u-L]² - whole[u]². Then
   * the change (in double) by τ, and 2 r (τ), for the loop below. */
  for (u = W - n_lags + 1; u + LANES <= W; u += LANES)
    {
      PtFloat4 in = load4 (whole + u - L), out = load4 (whole + u);

      store4 (change + u, in * in - out * out);
    }
  for (; u < W; u++)
    change[u] = whole[u - L] * whole[u - L] - whole[u] * whole[u];
  {
    guint tau;

    for (tau = 1; tau + LANES <= n_lags; tau += LANES)
      {
        /* change[W - τ - 3 … W - τ], reversed to run with τ. */
        PtFloat4 c = load4 (change + W - tau - 3), twice = load4 (r + tau);
        PtDouble4 step4 = __builtin_convertvector (SHUFFLE2 (c, c, 3, 2, 1, 0), PtDouble4);
        PtDouble4 twice4 = __builtin_convertvector (twice, PtDouble4);

        memcpy (step + tau, &step4, sizeof step4);
        twice4 *= 2.0;
        memcpy (twice_r + tau, &twice4, sizeof twice4);
      }
    for (; tau < n_lags; tau++)
      {
        step[tau] = change[W - tau];
        twice_r[tau] = 2.0 * r[tau];
      }
  }

  /* Two serial chains, side by side: the lagged energy and the running sum
   * of d, with as little else in the loop as can be, since each lag costs
   * what its instructions cost. The CMNDF's numerator d × τ and its
   * divisions come after, four lags at a time. */
  energy_lagged = energy_new;
  difference[0] = 0.0;
  for (guint tau = 1; tau < n_lags; tau++)
    {
      double e, d;

      energy_lagged += step[tau];
      e = energy_new + energy_lagged;
      energy[tau] = e;
      d = e - twice_r[tau];
      d = positive_part (d);
      difference[tau] = d;
      running += d;
      running_sum[tau] = running;
    }
  divide_cmndf (cmndf, difference, running_sum, n_lags);
}

typedef double PtDouble2 __attribute__ ((vector_size (16)));
typedef long long PtLong2 __attribute__ ((vector_size (16)));

/* The quartic through d[-2] … d[2] and the parabola's vertex, where
 * Newton's method starts. */
typedef struct
{
  double b1, b2, b3, b4;
  double x;
} PtQuartic;

static void
fit_quartic (const double *d,
             PtQuartic    *q)
{
  double curvature = d[-1] - 2.0 * d[0] + d[1];

  q->x = curvature > 0.0 ? CLAMP (0.5 * (d[-1] - d[1]) / curvature, -1.0, 1.0) : 0.0;
  q->b1 = (d[-2] - 8.0 * d[-1] + 8.0 * d[1] - d[2]) / 12.0;
  q->b2 = (-d[-2] + 16.0 * d[-1] - 30.0 * d[0] + 16.0 * d[1] - d[2]) / 24.0;
  q->b3 = (-d[-2] + 2.0 * d[-1] - 2.0 * d[1] + d[2]) / 12.0;
  q->b4 = (d[-2] - 4.0 * d[-1] + 6.0 * d[0] - 4.0 * d[1] + d[2]) / 24.0;
}

static inline PtDouble2
select2 (PtLong2   mask,
         PtDouble2 a,
         PtDouble2 b)
{
  return (PtDouble2) (((PtLong2) a & mask) | ((PtLong2) b & ~mask));
}

/* Four Newton steps towards the quartic's minimum, for two dips at once:
 * each step waits on a division, so two chains side by side cost about
 * what one does. Lane by lane this is exactly the scalar
 *   slope = b1 + x (2 b2 + x (3 b3 + 4x b4)), bend = 2 b2 + x (6 b3 + 12x b4),
 *   stop unless bend > 0, x ← CLAMP (x - slope / bend, -1, 1). */
static void
newton_pair (PtQuartic *q0,
             PtQuartic *q1)
{
  const PtDouble2 one = { 1.0, 1.0 }, minus_one = { -1.0, -1.0 }, zero = { 0.0, 0.0 };
  const PtDouble2 two = { 2.0, 2.0 }, three = { 3.0, 3.0 }, four = { 4.0, 4.0 };
  const PtDouble2 six = { 6.0, 6.0 }, twelve = { 12.0, 12.0 };
  PtDouble2 b1 = { q0->b1, q1->b1 }, b2 = { q0->b2, q1->b2 };
  PtDouble2 b3 = { q0->b3, q1->b3 }, b4 = { q0->b4, q1->b4 };
  PtDouble2 x = { q0->x, q1->x };
  PtLong2 active = { -1, -1 };

  for (int i = 0; i < 4; i++)
    {
      PtDouble2 slope = b1 + x * (two * b2 + x * (three * b3 + x * four * b4));
      PtDouble2 bend = two * b2 + x * (six * b3 + x * twelve * b4);
      PtDouble2 next;

      active &= (PtLong2) (bend > zero);
      if ((active[0] | active[1]) == 0)
        break;
      next = x - slope / bend;
      next = select2 ((PtLong2) (next > one), one, select2 ((PtLong2) (next < minus_one),
                                                             minus_one, next));
      x = select2 (active, next, x);
    }
  q0->x = x[0];
  q1->x = x[1];
}

/* Noise makes d jagged from one lag to the next (its cross terms are
 * independent across lags), which pulls the vertex of a five-point fit far
 * off on the wide dips of low notes: 20 dB of white noise moved a 41 Hz sine
 * 30 cents. A least-squares polynomial over the whole dip averages the
 * noise out but is biased wherever the dip is not that polynomial: tones
 * rich in harmonics have a V-shaped dip (Σ (1 - cos kθ) / k² is π|θ|/2 -
 * θ²/4), where a cubic over the span read 82–210 Hz up to 1.4 cents off.
 * So a wide dip (more than 3 lags each side within RISE of its bottom) is
 * first smoothed with a symmetric kernel, which leaves the centre of a
 * symmetric dip where it is whatever its shape, and the quartic is fitted to
 * the smoothed d. The kernel spans a quarter of the dip: wider, the dip's
 * own asymmetry (the ends of the compared spans) biases sines (up to 0.3
 * cent off with half the dip); narrower, noise comes back (a sine at 20 dB
 * SNR up to 4.7 cents off with a sixteenth). */
#define WIDE_DIP_RISE 0.1

/* How many lags each side of @tau stay within WIDE_DIP_RISE of its CMNDF,
 * as far as the smoothing below may reach. */
static guint
dip_half_width (const PtYin *yin,
                guint        tau)
{
  const float *c = yin->cmndf;
  guint m = 0, limit = MIN (tau / 4, MIN (tau - 1, yin->lag_max + 2 - tau));

  while (m < limit && c[tau - m - 1] <= c[tau] + WIDE_DIP_RISE
         && c[tau + m + 1] <= c[tau] + WIDE_DIP_RISE)
    m++;
  return m;
}

/* d smoothed by a triangular kernel of half width @h + 1 (weights h + 1 -
 * |j|), at lags @centre - 2 … @centre + 2, into @out: a running sum of box
 * sums of h + 1 lags, box (i) = d[i] + … + d[i + h] counted from the first
 * lag the kernel reaches, slid along at both of its ends. */
static void
smooth_difference (const PtYin *yin,
                   guint        centre,
                   guint        h,
                   double      *out)
{
  const double *d = yin->difference + centre - 2 - h;
  const double scale = 1.0 / ((h + 1.0) * (h + 1.0));
  double lead = 0.0, trail, triangle;

  for (guint k = 0; k <= h; k++)
    lead += d[k];
  trail = triangle = lead;   /* box (0) */
  for (guint i = 1; i <= h; i++)
    {
      lead += d[i + h] - d[i - 1];
      triangle += lead;
    }
  out[0] = triangle * scale;   /* box (0) + … + box (h) */
  for (guint j = 1; j < 5; j++)
    {
      lead += d[j + 2 * h] - d[j + h - 1];   /* box (j + h) */
      triangle += lead - trail;              /* less box (j - 1) */
      trail += d[j + h] - d[j - 1];          /* box (j) */
      out[j] = triangle * scale;
    }
}

/* The minimum of the wide dip around @tau on the smoothed d, as an offset
 * from @tau; @x (the plain quartic's) when the dip is narrow. Refits around
 * the minimum until it lands within a lag of the centre: the deepest integer
 * lag of a noisy wide dip may be far off. */
static double
refine_wide_dip (const PtYin *yin,
                 guint        tau,
                 double       x)
{
  guint centre = tau, m = dip_half_width (yin, tau);
  PtQuartic q, copy;

  if (m <= 3)
    return x;
  for (int i = 0; i < 3; i++)
    {
      double smoothed[5];
      long next;

      smooth_difference (yin, centre, MAX (1, m / 4), smoothed);
      fit_quartic (smoothed + 2, &q);
      copy = q;
      newton_pair (&q, &copy);
      if (fabs (q.x) < 1.0)
        break;
      next = lround (centre + q.x);
      if (next < (long) yin->lag_min + 2 + m / 2 || next + 2 + m / 2 > (long) yin->lag_max + 2)
        break;
      centre = (guint) next;
    }
  return (double) centre - tau + q.x;
}

/* The dip at @tau from its quartic, once Newton's method has run. */
static PtYinDip
finish_dip (const PtYin     *yin,
            guint            tau,
            const PtQuartic *q)
{
  const double *d = yin->difference + tau;
  double x = q->x, value, mean;
  PtYinDip dip;

  value = d[0] + x * (q->b1 + x * (q->b2 + x * (q->b3 + x * q->b4)));
  value = CLAMP (value, 0.0, d[0]);
  x = refine_wide_dip (yin, tau, x);

  mean = d[0] > 0.0 ? d[0] / yin->cmndf[tau] : 0.0;
  dip.lag = tau + x;
  dip.value = mean > 0.0 ? value / mean : yin->cmndf[tau];
  return dip;
}

/* Refines the dips at integer lags @taus into @dips, two at a time: the
 * minimum of the quartic through d (τ-2 … τ+2), found by Newton's method
 * from the parabola's vertex. The parabola alone is off by up to 0.05
 * sample on the sharp dips of tones rich in harmonics; the quartic halves
 * that, and gets a pure sine within 0.01 cent. The refined CMNDF value is d
 * there over the running mean, whose change over a fraction of a lag is
 * negligible. */
static void
refine_dips (const PtYin *yin,
             const guint *taus,
             guint        n,
             PtYinDip    *dips)
{
  for (guint i = 0; i < n; i += 2)
    {
      PtQuartic q0, q1;

      fit_quartic (yin->difference + taus[i], &q0);
      if (i + 1 < n)
        fit_quartic (yin->difference + taus[i + 1], &q1);
      else
        q1 = q0;
      newton_pair (&q0, &q1);
      dips[i] = finish_dip (yin, taus[i], &q0);
      if (i + 1 < n)
        dips[i + 1] = finish_dip (yin, taus[i + 1], &q1);
    }
}

static PtYinDip
refine_dip (const PtYin *yin,
            guint        tau)
{
  PtYinDip dip;

  refine_dips (yin, &tau, 1, &dip);
  return dip;
}

/* A short period is measured again at a multiple of itself, k periods
 * away: the refinement's error in samples stays the same, so the period's
 * shrinks k times (a 2 kHz tone rich in harmonics goes from 2–3 cents off to
 * a fraction of a cent), and so does the part of the noise it leaves. The
 * lag stays within a fifth of the window (10 ms at the default): from a
 * tenth, that took the frame-to-frame spread at 20 dB SNR from 0.11 to 0.08
 * cent (44.1 and 48 kHz, E1–C7), at the cost of a longer memory on a fast
 * vibrato (±50 cents at 5.5 Hz: 7 cents from the centre of the span, not 4).
 * Which note shows, and when, does not depend on it. */
static double
refine_with_multiple (const PtYin *yin,
                      double       lag)
{
  guint k = (guint) floor (MAX (yin->window / 5, yin->lag_min) / lag);
  guint centre, best = 0;

  if (k < 2)
    return lag;
  centre = (guint) lround (k * lag);
  for (guint tau = MAX (centre, 3) - 1; tau <= centre + 1 && tau <= yin->lag_max; tau++)
    if (yin->cmndf[tau] < yin->cmndf[tau - 1] && yin->cmndf[tau] <= yin->cmndf[tau + 1])
      best = tau;
  if (best == 0)
    return lag;
  else
    {
      double refined = refine_dip (yin, best).lag / k;

      /* Within 9 cents, or the span k periods back is another sound (the
       * note before, a gap): 2 % let a live 440 Hz tone read 446.8. */
      return fabs (refined - lag) < 0.005 * lag ? refined : lag;
    }
}

/* d (τ) against the energy of the two spans it compares, e_new + e (τ):
 * about half the CMNDF on a steady signal, but near 1 when one span is
 * loud and the other silent, as at the end of a note (the newest half
 * window silent, the older one still ringing), where the CMNDF alone
 * shows dips with nothing behind them. */
static gboolean
is_balanced (const PtYin *yin,
             guint        tau)
{
  return yin->difference[tau] < BALANCE_THRESHOLD * yin->energy[tau];
}

/* The newest half window must carry its share of the window's energy, give
 * or take 20 dB: once a note stops, two silent spans are "identical" at
 * every short lag, and that is no pitch. */
static gboolean
newest_half_sounds (const PtYin *yin)
{
  return yin->energy_new > 0.0
         && yin->energy_new >= NEWEST_HALF_MIN_SHARE * yin->energy_whole * yin->half / yin->window;
}

static gboolean
is_local_minimum (const float *c,
                  guint        tau)
{
  return c[tau] < c[tau - 1] && c[tau] <= c[tau + 1];
}

/* The CMNDF dips under the voicing threshold, in order of lag. A dip ends
 * only where the curve rises WIDE_DIP_RISE over its bottom, so the jagged
 * floor that noise leaves in the wide dip of a low note counts once, at its
 * deepest point, not as a row of tiny dips. */
static guint
find_dips (PtYin    *yin,
           PtYinDip *dips)
{
  const float *c = yin->cmndf;
  const guint end = yin->lag_max + 1;
  const PtFloat4 threshold = { yin->dip_threshold, yin->dip_threshold,
                               yin->dip_threshold, yin->dip_threshold };
  guint bottoms[PT_YIN_MAX_DIPS] = { 0 };
  guint n_dips = 0, tau = yin->lag_min;

  while (tau < end && n_dips < PT_YIN_MAX_DIPS)
    {
      guint bottom;

      double rise_limit;

      /* Most lags are far over the threshold: skip them fast, four at a
       * time. */
      while (tau + LANES <= end && all_at_least (load4 (c + tau), threshold))
        tau += LANES;
      while (tau < end && c[tau] >= VOICING_THRESHOLD)
        tau++;
      if (tau == end)
        break;

      /* Follow the dip down to its deepest point, until the curve rises
       * WIDE_DIP_RISE over it or leaves the lag range. */
      bottom = tau;
      rise_limit = c[bottom] + WIDE_DIP_RISE;
      for (tau++; tau < end && c[tau] <= rise_limit; tau++)
        if (c[tau] < c[bottom])
          {
            bottom = tau;
            rise_limit = c[bottom] + WIDE_DIP_RISE;
          }

      if (is_local_minimum (c, bottom) && is_balanced (yin, bottom))
        bottoms[n_dips++] = bottom;
    }
  refine_dips (yin, bottoms, n_dips, dips);
  return n_dips;
}

static gboolean
dips_close (double a,
            double b)
{
  /* Within about a semitone. */
  return fabs (a - b) < 0.06 * MAX (a, b);
}

/* The dip nearest @lag, if one lies within 3 % of it. */
static const PtYinDip *
dip_near (const PtYinDip *dips,
          guint           n_dips,
          double          lag)
{
  for (guint i = 0; i < n_dips; i++)
    if (fabs (dips[i].lag - lag) < MAX (1.5, 0.03 * lag))
      return &dips[i];
  return NULL;
}

/* Within a third of a semitone. */
static gboolean
same_note (double lag,
           double note_lag)
{
  return fabs (lag / note_lag - 1.0) < 0.02;
}

/* The octave check (YIN's own step 5 would look at neighbouring frames; this
 * looks at the neighbouring octave). Dips at the even multiples of the chosen
 * lag that are much deeper than those at its odd multiples mean the signal
 * repeats only every two "periods": the odd harmonics of the lower note are
 * weak, not absent, as on a bassoon's low notes. A truly periodic signal has
 * dips about as deep at every multiple (deeper at none, since noise and drift
 * add alike), so this does not move it. Up to OCTAVE_PAIRS pairs are averaged
 * because the value of one sharp dip (a short period, harmonics near
 * Nyquist) depends on where the sampling grid falls on it; over several
 * multiples that averages out. */
static const PtYinDip *
prefer_double_period (const PtYinDip *dips,
                      guint           n_dips,
                      const PtYinDip *chosen,
                      double          note_lag)
{
  for (int step = 0; step < 2 && chosen->lag >= MIN_OCTAVE_CHECK_LAG; step++)
    {
      const PtYinDip *doubled = dip_near (dips, n_dips, 2.0 * chosen->lag);
      double odd = 0.0, even = 0.0, ratio;
      guint pairs = 0;

      if (doubled == NULL)
        break;
      for (guint k = 1; k <= OCTAVE_PAIRS; k++)
        {
          const PtYinDip *at_odd = dip_near (dips, n_dips, (2 * k - 1) * chosen->lag);
          const PtYinDip *at_even = dip_near (dips, n_dips, 2 * k * chosen->lag);

          if (at_odd == NULL || at_even == NULL)
            break;
          odd += at_odd->value;
          even += at_even->value;
          pairs++;
        }
      ratio = note_lag > 0.0 && same_note (doubled->lag, note_lag) ? HELD_OCTAVE_RATIO : OCTAVE_RATIO;
      if (pairs == 0 || !(even / pairs < ratio * odd / pairs - OCTAVE_MARGIN))
        break;
      chosen = doubled;
    }
  return chosen;
}

/* A note fading into noise (a plucked string, a piano in a room) lifts its
 * dip over the voicing threshold long before it stops sounding: noise makes
 * one frame's d jagged, and its level, not the note's, sets how deep the dip
 * goes. So while a note is voiced, d over the energy of the spans it
 * compares (1 - McLeod's NSDF) is averaged across frames around the note's
 * lag, which smooths the noise out as a window SUSTAIN_FRAMES hops longer
 * would, without waiting for it; and a frame with no dip under the voicing
 * threshold keeps the note while that average has a clear dip under
 * SUSTAIN_THRESHOLD within SUSTAIN_SPAN of the lag the note started at:
 * only that note, so a decay can neither turn into another one nor drift.
 * It costs a few lags' work a frame, and adds no latency: a new note's own
 * dip, under the voicing threshold, wins as before. */
static void
update_sustain (PtYin  *yin,
                double  previous_lag)
{
  guint low, high;
  gboolean seed = yin->sustain_lag == 0.0
                  || fabs (previous_lag - yin->sustain_lag) > SUSTAIN_SPAN * yin->sustain_lag;

  if (seed)
    yin->sustain_lag = previous_lag;
  low = MAX (yin->lag_min, (guint) floor (yin->sustain_lag * (1.0 - SUSTAIN_SPAN))) - 1;
  high = MIN (yin->lag_max, (guint) ceil (yin->sustain_lag * (1.0 + SUSTAIN_SPAN))) + 1;
  for (guint tau = low; tau <= high; tau++)
    {
      double ratio = yin->energy[tau] > 0.0 ? yin->difference[tau] / yin->energy[tau] : 1.0;

      yin->sustain[tau] = seed ? ratio : yin->sustain[tau] + (ratio - yin->sustain[tau]) / SUSTAIN_FRAMES;
    }
}

static gboolean
find_sustained_dip (const PtYin *yin,
                    PtYinDip    *dip)
{
  const double *a = yin->sustain;
  guint low = MAX (yin->lag_min, (guint) floor (yin->sustain_lag * (1.0 - SUSTAIN_SPAN)));
  guint high = MIN (yin->lag_max, (guint) ceil (yin->sustain_lag * (1.0 + SUSTAIN_SPAN)));
  guint bottom = 0;
  double curvature;

  for (guint tau = low; tau <= high; tau++)
    if (a[tau] < a[tau - 1] && a[tau] <= a[tau + 1] && a[tau] < SUSTAIN_THRESHOLD
        && (bottom == 0 || a[tau] < a[bottom]))
      bottom = tau;
  if (bottom == 0)
    return FALSE;
  /* The lag from the average too (rule 7 at the top of the file). */
  curvature = a[bottom - 1] - 2.0 * a[bottom] + a[bottom + 1];
  dip->lag = bottom + (curvature > 0.0 ? 0.5 * (a[bottom - 1] - a[bottom + 1]) / curvature : 0.0);
  dip->value = a[bottom];
  return fabs (dip->lag - yin->sustain_lag) <= SUSTAIN_SPAN * yin->sustain_lag;
}

static void
set_note (PtYin  *yin,
          double  lag)
{
  yin->note_lag = lag;
  yin->quietest_new = yin->energy_new;
}

/* Follows the note sounding: the average of update_sustain () while the
 * caller's @previous_lag (or the memory of it) lasts, and the note's lag
 * (set in process ()) until the newest half goes silent. Returns whether
 * the newest half got louder than it has been since the note was set, as
 * on an attack, slow (a choir's swell) or fast. */
static gboolean
follow_note (PtYin  *yin,
             double  previous_lag)
{
  gboolean rising = yin->energy_new > RISE_FACTOR * yin->quietest_new;

  yin->quietest_new = MIN (yin->quietest_new, yin->energy_new);
  if (!newest_half_sounds (yin))
    {
      yin->sustain_lag = yin->note_lag = 0.0;
      return rising;
    }
  if (previous_lag > 0.0 && yin->note_lag == 0.0)
    set_note (yin, previous_lag);
  if (previous_lag > 0.0 || yin->sustain_lag > 0.0)
    update_sustain (yin, previous_lag > 0.0 ? previous_lag : yin->sustain_lag);
  return rising;
}

/* Whether the signal repeats at a fraction of @chosen's lag below the
 * range, nearly as well as at the lag itself: a tone above the highest
 * frequency, whose dips in range are at multiples of its period. It is
 * not in range, and reporting it an octave or more low would be wrong.
 * Unless the octave check would keep @chosen over that fraction: a tone
 * whose odd harmonics are weak repeats nearly at half its period too. */
static gboolean
period_below_range (const PtYin    *yin,
                    const PtYinDip *chosen)
{
  double threshold = MIN (RELATIVE_FACTOR * chosen->value + RELATIVE_OFFSET,
                          chosen->value + RELATIVE_SPAN);

  /* Such a tone's first dip in range lies under twice the shortest lag,
   * and the octave check doubles it twice at most. */
  if (chosen->lag >= 8.0 * yin->lag_min)
    return FALSE;
  for (guint k = MAX (2, (guint) (chosen->lag / yin->lag_min)); chosen->lag / k >= 2.0; k++)
    {
      guint centre = (guint) (chosen->lag / k + 0.5);

      if (centre >= yin->lag_min)
        continue;
      for (guint tau = MAX (centre, 3) - 1; tau <= centre + 1; tau++)
        if (is_local_minimum (yin->cmndf, tau))
          {
            /* Refined: a sharp dip this short may fall between two lags. */
            double value = refine_dip (yin, tau).value;

            if (value <= threshold && !(chosen->value < OCTAVE_RATIO * value - OCTAVE_MARGIN))
              return TRUE;
          }
    }
  return FALSE;
}

/* Whether @chosen would be a different note read off a sounding one that
 * neither got louder nor repeats clearly at the new lag: in a decay, what
 * repeats next is the room (a reverberation's own periodicities, far below
 * the note, or its beating with the note, which pulls the pitch half a
 * semitone away), not a new note. The sounding note is the one last read
 * with a clear dip (under NOTE_THRESHOLD), so weaker frames cannot lead it
 * astray step by step. */
static gboolean
is_doubtful_jump (const PtYin    *yin,
                  const PtYinDip *chosen,
                  gboolean        rising)
{
  return yin->note_lag > 0.0 && !rising && chosen->value >= JUMP_THRESHOLD
         && !same_note (chosen->lag, yin->note_lag);
}

static void
set_unvoiced (PtYinResult *result,
              double       value)
{
  result->voiced = FALSE;
  result->frequency = 0.0;
  result->lag = 0.0;
  result->cmndf = value;
  result->periodicity = CLAMP (1.0 - value, 0.0, 1.0);
}

/* The CMNDF's least value in range, 1 when the newest half is silent. */
static float
lowest_cmndf (const PtYin *yin)
{
  float lowest = 1.0f;

  if (newest_half_sounds (yin))
    for (guint tau = yin->lag_min; tau <= yin->lag_max; tau++)
      lowest = MIN (lowest, yin->cmndf[tau]);
  return lowest;
}

/* The dip the octave guard picks among @dips (see the top of the file). */
static const PtYinDip *
choose_dip (const PtYin    *yin,
            const PtYinDip *dips,
            guint           n_dips,
            double          previous_lag)
{
  double best = G_MAXDOUBLE, threshold;
  const PtYinDip *chosen = NULL;

  for (guint i = 0; i < n_dips; i++)
    best = MIN (best, dips[i].value);
  threshold = MIN (RELATIVE_FACTOR * best + RELATIVE_OFFSET, best + RELATIVE_SPAN);
  for (guint i = 0; i < n_dips && chosen == NULL; i++)
    if (dips[i].value <= threshold)
      chosen = &dips[i];
  g_assert (chosen != NULL);

  /* Continuity: a dip at the previous frame's lag, shorter than the chosen
   * one and nearly under the threshold, keeps the note when noise briefly
   * lifts its dip (an octave-below error otherwise). Only shorter lags: a
   * note an octave up must win at once. */
  if (previous_lag > 0.0 && previous_lag < chosen->lag - 1.0)
    for (guint i = 0; i < n_dips && dips[i].lag < chosen->lag; i++)
      if (dips_close (dips[i].lag, previous_lag)
          && dips[i].value <= MIN (CONTINUITY_FACTOR * threshold, threshold + CONTINUITY_SPAN))
        {
          chosen = &dips[i];
          break;
        }

  return prefer_double_period (dips, n_dips, chosen, yin->note_lag);
}

/* A steady pitch read against the previous frame's reading: frames 5.8 ms
 * apart share seven eighths of their samples, yet the noise in the eighth
 * that differs moves the reading by 0.08 cent rms from one frame to the
 * next at 20 dB SNR (44.1 and 48 kHz, E1–C7), which a tuner shows as
 * jitter in the last digit. A longer span would cut that only at the cost
 * of latency. Instead, a reading @cents from the previous one moves it by
 * a share of the way that grows with the distance: STEADY_GAIN for the
 * small steps noise makes, |cents| / STEADY_CENTS beyond that, all of it
 * past STEADY_CENTS. So a reading is never more than STEADY_CENTS / 4 (a
 * quarter cent) from the frame's own, whatever came before; a new note or
 * the first frame of one (@previous_lag 0) reads as it is, so this adds no
 * latency; and a vibrato, which moves several cents a frame, passes
 * through: ±50 cents at 5.5 Hz reads within 0.05 cent rms of the frames
 * taken one by one, ±5 cents within 0.15. At 20 dB SNR the spread goes
 * from 0.083 / 0.077 / 0.039 cent to 0.023 / 0.021 / 0.012 (44.1 / 48 /
 * 96 kHz), the p95 of the error from 0.20 to 0.11 cent. */
static double
smooth_steady (double lag,
               double previous_lag)
{
  double cents, gain;

  if (previous_lag <= 0.0)
    return lag;
  cents = 1200.0 * log2 (lag / previous_lag);
  gain = CLAMP (fabs (cents) / STEADY_CENTS, STEADY_GAIN, 1.0);
  return previous_lag * exp2 (gain * cents / 1200.0);
}

/* Whether lags @a and @b are a whole number of octaves apart, and not the
 * same. */
static gboolean
octave_apart (double a,
              double b)
{
  double octaves = log2 (a / b);

  return fabs (octaves - round (octaves)) < 0.03 && round (octaves) != 0.0;
}

/* Whether the newest S samples are @rise times louder, per sample, than
 * the window as a whole (4.3 at most at the default): a note starting. */
static gboolean
onset_rising (const PtYin *yin,
              double       rise)
{
  return yin->energy_onset * yin->window > rise * yin->onset_span * yin->energy_whole;
}

/* A note's first frames. The long span reads a note only once the note
 * fills its newest half (25 ms at the default) or what came before is
 * silent; before that it reads the previous note's release, or a mixture
 * of both. While the newest S samples rise over the window (ONSET_RISE), a
 * YIN of its own over the newest 2 S reads the note from S and a period
 * of it, and its reading wins when the long span reads nothing or another
 * note. Not when the two are octaves apart: the long span holds more
 * periods to tell the octave from (FluidR3's chorused choir read an octave
 * up longer otherwise). Its frames are independent: it keeps no note. */
static void
read_onset (PtYin       *yin,
            const float *samples,
            PtYinResult *result)
{
  PtYinResult early;

  yin->onset->note_lag = yin->onset->sustain_lag = 0.0;
  pt_yin_process (yin->onset, samples + yin->window - 2 * yin->onset_span, 0.0, &early);
  if (!early.voiced || (result->voiced && (same_note (early.lag, result->lag)
                                           || octave_apart (early.lag, result->lag))))
    return;
  *result = early;
}

static void
read_long (PtYin       *yin,
           double       previous_lag,
           PtYinResult *result)
{
  PtYinDip dips[PT_YIN_MAX_DIPS], held;
  guint n_dips = 0;
  const PtYinDip *chosen;
  gboolean rising;

  compute_difference (yin);
  rising = follow_note (yin, previous_lag);

  n_dips = newest_half_sounds (yin) ? find_dips (yin, dips) : 0;
  if (n_dips == 0 && yin->sustain_lag > 0.0)
    n_dips = find_sustained_dip (yin, &dips[0]) ? 1 : 0;
  if (n_dips == 0)
    {
      set_unvoiced (result, lowest_cmndf (yin));
      return;
    }

  chosen = choose_dip (yin, dips, n_dips, previous_lag);
  if (period_below_range (yin, chosen))
    {
      set_unvoiced (result, chosen->value);
      return;
    }
  /* No new note: the sounding one, while its average shows it (rule 7). */
  if (is_doubtful_jump (yin, chosen, rising))
    {
      if (yin->sustain_lag == 0.0 || !same_note (yin->sustain_lag, yin->note_lag)
          || !find_sustained_dip (yin, &held))
        {
          set_unvoiced (result, chosen->value);
          return;
        }
      chosen = &held;
    }

  if (yin->note_lag > 0.0 && (chosen->value < NOTE_THRESHOLD || rising))
    set_note (yin, chosen->lag);
  result->voiced = TRUE;
  result->lag = smooth_steady (refine_with_multiple (yin, chosen->lag), previous_lag);
  result->frequency = yin->sample_rate / result->lag;
  result->cmndf = chosen->value;
  result->periodicity = CLAMP (1.0 - chosen->value, 0.0, 1.0);
}

static void
process (PtYin       *yin,
         const float *samples,
         double       previous_lag,
         PtYinResult *result)
{
  gboolean sounds = yin->onset != NULL && newest_half_sounds (yin);

  /* An attack ends the note that sounded: what the frame holds is the new
   * one. Its memory (rules 2, 4, 5 and 7) would otherwise hold the old note
   * for up to 35 ms, from an average with nothing of it left, or from
   * before the analyser's gate (a piano's E4 read as the C#4 before it). */
  if (sounds && onset_rising (yin, ATTACK_RISE))
    {
      yin->note_lag = yin->sustain_lag = 0.0;
      previous_lag = 0.0;
    }
  read_long (yin, previous_lag, result);
  if (sounds && onset_rising (yin, ONSET_RISE))
    read_onset (yin, samples, result);
}

void
pt_yin_process (PtYin       *yin,
                const float *samples,
                double       previous_lag,
                PtYinResult *result)
{
  PtSpread spread;

  g_return_if_fail (yin != NULL && samples != NULL && result != NULL);

  load_window (yin, samples, (float) (sum_floats (samples, yin->window) / yin->window), &spread);
  yin->measured_samples = NULL;
  process (yin, samples, previous_lag, result);
}

void
pt_yin_process_measured (PtYin       *yin,
                         const float *samples,
                         double       previous_lag,
                         PtYinResult *result)
{
  g_return_if_fail (yin != NULL && samples != NULL && result != NULL);
  g_return_if_fail (samples == yin->measured_samples);

  process (yin, samples, previous_lag, result);
}
