/* pt-yin.c — YIN (de Cheveigné & Kawahara, JASA 2002) with the difference
 * function through FFTW, and an octave-safe choice among its dips.
 *
 * Difference function. The newest L = W/2 samples of the window are compared
 * with the span τ earlier: d(τ) = Σ_{k=W-L}^{W-1} (x_k - x_{k-τ})²
 * = e_new + e(τ) - 2 r(τ), where r is a cross-correlation computed as one
 * real FFT of the whole window, one of its newest half (zero padded) and one
 * inverse transform: with k - τ ≥ 0 for every lag we need, the circular
 * correlation never wraps, so any FFT size N ≥ W will do, and we take the
 * fastest: 2^a, 3·2^a or 5·2^a (W = 2404 at 48 kHz runs at N = 2560, whose
 * FFT pair costs a third of one at N = 2430).
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
 * Voicing: the chosen dip is under 0.4 (white noise stays near 1); d is under
 * half the energy of the two spans it compares (so the end of a note, newest
 * half silent and older half ringing, is not a pitch); and the newest half
 * holds at least 1 % of its share of the window's energy.
 *
 * Refinement. Each dip's lag is refined on d (not the CMNDF, whose τ/Σd
 * factor skews the vertex): a quartic through five lags for sharp dips, a
 * least-squares cubic over the whole dip for wide ones (low notes, where
 * noise makes d jagged), and short periods are measured again at a multiple
 * of themselves. A sine anywhere from E1 to C7 comes out within 0.1 cent.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-yin"

#include "config.h"

#include <fftw3.h>
#include <math.h>
#include <string.h>

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
  float         *newest;    /* its newest half, zero padded */
  fftwf_complex *whole_spectrum;
  fftwf_complex *newest_spectrum;
  float         *correlation;
  float         *cmndf;     /* lags 0 … lag_max + 2 */
  double        *difference;
  double        *energy;    /* e_new + e (τ): d over it is 1 - McLeod's NSDF */
  float         *scratch;
  double         energy_new;    /* of the newest half */
  double         energy_whole;  /* of the whole window */
  fftwf_plan     whole_plan;
  fftwf_plan     newest_plan;
  fftwf_plan     inverse_plan;
};

/* The FFTW planner is not thread-safe. */
static GMutex planner_lock;

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

PtYin *
pt_yin_new (guint  window,
            double sample_rate,
            double min_frequency,
            double max_frequency)
{
  PtYin *yin;
  guint n_bins;

  g_return_val_if_fail (window >= 16 && window % 2 == 0, NULL);
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
  yin->newest = fftwf_alloc_real (yin->fft_size);
  yin->correlation = fftwf_alloc_real (yin->fft_size);
  yin->whole_spectrum = fftwf_alloc_complex (n_bins);
  yin->newest_spectrum = fftwf_alloc_complex (n_bins);
  yin->cmndf = g_new0 (float, yin->lag_max + 3);
  yin->difference = g_new0 (double, yin->lag_max + 3);
  yin->energy = g_new0 (double, yin->lag_max + 3);
  yin->scratch = g_new0 (float, window);

  /* FFTW_ESTIMATE, not MEASURE: measured plans differ from run to run with
   * the machine's load, and with them the last bits of every result, so
   * `--analyze` would not print the same thing twice (nor what the live
   * analyser printed). Estimated plans are the same every time on a given
   * machine, cost 4 ms instead of 0.4 s to make, and run about 25 % slower
   * (a 2048-point r2c + c2r pair: 6.6 µs against 5.1 µs, loaded machine). */
  g_mutex_lock (&planner_lock);
  yin->whole_plan = fftwf_plan_dft_r2c_1d ((int) yin->fft_size, yin->whole, yin->whole_spectrum,
                                           FFTW_ESTIMATE);
  yin->newest_plan = fftwf_plan_dft_r2c_1d ((int) yin->fft_size, yin->newest, yin->newest_spectrum,
                                            FFTW_ESTIMATE);
  yin->inverse_plan = fftwf_plan_dft_c2r_1d ((int) yin->fft_size, yin->newest_spectrum,
                                             yin->correlation, FFTW_ESTIMATE);
  g_mutex_unlock (&planner_lock);

  g_assert (yin->whole_plan != NULL && yin->newest_plan != NULL && yin->inverse_plan != NULL);

  /* Planning may scribble over the arrays. */
  /* The tails past W stay zero for good: r2c keeps its input. */
  for (guint i = 0; i < yin->fft_size; i++)
    yin->newest[i] = yin->whole[i] = yin->correlation[i] = 0.0f;
  return yin;
}

void
pt_yin_free (PtYin *yin)
{
  if (yin == NULL)
    return;

  g_mutex_lock (&planner_lock);
  fftwf_destroy_plan (yin->whole_plan);
  fftwf_destroy_plan (yin->newest_plan);
  fftwf_destroy_plan (yin->inverse_plan);
  g_mutex_unlock (&planner_lock);
  fftwf_free (yin->whole);
  fftwf_free (yin->newest);
  fftwf_free (yin->correlation);
  fftwf_free (yin->whole_spectrum);
  fftwf_free (yin->newest_spectrum);
  g_free (yin->cmndf);
  g_free (yin->difference);
  g_free (yin->energy);
  g_free (yin->scratch);
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

/* The loops over the window use GCC/Clang vector extensions: four floats
 * at a time, the width every 64-bit target has (SSE2, NEON), lowered with
 * no intrinsics and no -O3 needed. */
typedef float PtFloat4 __attribute__ ((vector_size (16)));
typedef int   PtInt4   __attribute__ ((vector_size (16)));

#define LANES 4

static inline PtFloat4
load4 (const float *p)
{
  PtFloat4 v;

  memcpy (&v, p, sizeof v);
  return v;
}

static inline void
store4 (float    *p,
        PtFloat4  v)
{
  memcpy (p, &v, sizeof v);
}

static inline float
sum_lanes (PtFloat4 v)
{
  float total = 0.0f;

  for (guint j = 0; j < LANES; j++)
    total += v[j];
  return total;
}

/* @mask (all ones or all zeros per lane) ? @a : @b. */
static inline PtFloat4
select4 (PtInt4   mask,
         PtFloat4 a,
         PtFloat4 b)
{
  return (PtFloat4) (((PtInt4) a & mask) | ((PtInt4) b & ~mask));
}

/* (re, im) pairs swapped: (im, re). */
static inline PtFloat4
swap_pairs (PtFloat4 v)
{
#if defined(__clang__)
  return __builtin_shufflevector (v, v, 1, 0, 3, 2);
#else
  const PtInt4 mask = { 1, 0, 3, 2 };

  return __builtin_shuffle (v, mask);
#endif
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

/* Copies @n samples less @mean to @out and returns the sum of their squares. */
static double
copy_centred (const float *x,
              float        mean,
              float       *out,
              guint        n)
{
  PtFloat4 acc = { 0.0f };
  double total = 0.0;
  guint i;

  for (i = 0; i + LANES <= n; i += LANES)
    {
      PtFloat4 v = load4 (x + i) - mean;

      store4 (out + i, v);
      acc += v * v;
    }
  for (; i < n; i++)
    {
      out[i] = x[i] - mean;
      total += (double) out[i] * out[i];
    }
  return total + sum_lanes (acc);
}

/* @a ← @a × conj (@b) × @scale over @n_bins interleaved complex bins. */
static void
multiply_conjugate (float       *a,
                    const float *b,
                    guint        n_bins,
                    float        scale)
{
  const PtFloat4 even = { 1, 0, 1, 0 }, odd = { 0, 1, 0, 1 };
  guint i;

  for (i = 0; i + LANES <= 2 * n_bins; i += LANES)
    {
      PtFloat4 va = load4 (a + i), vb = load4 (b + i);
      PtFloat4 p = va * vb;               /* ar br, ai bi */
      PtFloat4 q = va * swap_pairs (vb);  /* ar bi, ai br */
      PtFloat4 re = p + swap_pairs (p);   /* even lanes: ar br + ai bi */
      PtFloat4 im = q - swap_pairs (q);   /* odd lanes: ai br - ar bi */

      store4 (a + i, (re * even + im * odd) * scale);
    }
  for (; i < 2 * n_bins; i += 2)
    {
      float ar = a[i], ai = a[i + 1], br = b[i], bi = b[i + 1];

      a[i] = (ar * br + ai * bi) * scale;
      a[i + 1] = (ai * br - ar * bi) * scale;
    }
}

/* Mean, RMS about the mean and peak distance from the mean of @n samples,
 * in one vectorised pass (sums of x and x² in float lanes, each lane's
 * share small enough for float: the window is a few thousand samples). */
void
pt_yin_measure_window (const float *samples,
                       guint        n,
                       double      *mean,
                       double      *rms,
                       double      *peak)
{
  PtFloat4 sum = { 0.0f }, squares = { 0.0f };
  PtFloat4 low = { 0.0f }, high = { 0.0f };
  double total = 0.0, total_squares = 0.0, m, variance;
  float shift, lowest = 0.0f, highest = 0.0f;
  guint i;

  g_return_if_fail (samples != NULL && n > 0);

  /* Sums about the first sample, not 0: a DC offset would otherwise drown
   * a small signal's variance in float rounding. */
  shift = samples[0];
  for (i = 0; i + LANES <= n; i += LANES)
    {
      PtFloat4 v = load4 (samples + i) - shift;
      PtInt4 below = v < low, above = v > high;

      sum += v;
      squares += v * v;
      low = select4 (below, v, low);
      high = select4 (above, v, high);
    }
  for (; i < n; i++)
    {
      float v = samples[i] - shift;

      total += v;
      total_squares += (double) v * v;
      lowest = MIN (lowest, v);
      highest = MAX (highest, v);
    }
  for (guint j = 0; j < LANES; j++)
    {
      total += sum[j];
      total_squares += squares[j];
      lowest = MIN (lowest, low[j]);
      highest = MAX (highest, high[j]);
    }

  m = total / n;
  variance = MAX (total_squares / n - m * m, 0.0);
  if (mean != NULL)
    *mean = m + shift;
  if (rms != NULL)
    *rms = sqrt (variance);
  if (peak != NULL)
    *peak = MAX (highest - m, m - lowest);
}

/* cmndf[τ] ← numerator[τ] / cmndf[τ] (the running sum), 1 where that is
 * 0, for τ = 1 … n - 1; cmndf[0] = 1. */
static void
divide_cmndf (float       *cmndf,
              const float *numerator,
              guint        n)
{
  const PtFloat4 zero = { 0.0f }, one = { 1.0f, 1.0f, 1.0f, 1.0f };
  guint tau;

  cmndf[0] = 1.0f;
  for (tau = 1; tau + LANES <= n; tau += LANES)
    {
      PtFloat4 sum = load4 (cmndf + tau), num = load4 (numerator + tau);
      PtInt4 positive = sum > zero;
      PtFloat4 safe = select4 (positive, sum, one);   /* no 0/0 */

      store4 (cmndf + tau, select4 (positive, num / safe, one));
    }
  for (; tau < n; tau++)
    cmndf[tau] = cmndf[tau] > 0.0f ? numerator[tau] / cmndf[tau] : 1.0f;
}

/* d (τ) and the CMNDF for τ = 0 … lag_max + 2, through the FFT. */
static void
compute_difference (PtYin       *yin,
                    const float *samples)
{
  const guint W = yin->window, L = yin->half, n_lags = yin->lag_max + 3;
  const float *whole = yin->whole, *r = yin->correlation;
  float *change = yin->scratch;   /* indexed by u = W - τ */
  float mean = (float) (sum_floats (samples, W) / W);
  double energy_lagged, running = 0.0;
  guint u;

  yin->energy_whole = copy_centred (samples, mean, yin->whole, W - L);
  yin->energy_new = copy_centred (samples + W - L, mean, yin->whole + W - L, L);
  yin->energy_whole += yin->energy_new;
  memset (yin->newest, 0, (W - L) * sizeof (float));
  memcpy (yin->newest + W - L, yin->whole + W - L, L * sizeof (float));

  fftwf_execute (yin->whole_plan);
  fftwf_execute (yin->newest_plan);
  /* newest × conj (whole): its inverse is r (τ) = Σ_k newest_k whole_{k-τ}. */
  multiply_conjugate ((float *) yin->newest_spectrum, (const float *) yin->whole_spectrum,
                      yin->fft_size / 2 + 1, 1.0f / (float) yin->fft_size);
  fftwf_execute (yin->inverse_plan);

  /* From lag τ - 1 to τ the lagged span gains whole[W-L-τ] and loses
   * whole[W-τ]: with u = W - τ, change[u] = whole[u-L]² - whole[u]². */
  for (u = W - n_lags + 1; u + LANES <= W; u += LANES)
    {
      PtFloat4 in = load4 (whole + u - L), out = load4 (whole + u);

      store4 (change + u, in * in - out * out);
    }
  for (; u < W; u++)
    change[u] = whole[u - L] * whole[u - L] - whole[u] * whole[u];

  /* Two serial chains, side by side: the lagged energy and the running sum
   * of d; everything else in the loop hides behind them. The divisions of
   * the CMNDF come after, four at a time. */
  energy_lagged = yin->energy_new;
  yin->difference[0] = 0.0;
  for (guint tau = 1; tau < n_lags; tau++)
    {
      double d;

      energy_lagged += change[W - tau];
      yin->energy[tau] = yin->energy_new + energy_lagged;
      d = yin->energy[tau] - 2.0 * r[tau];
      d = d > 0.0 ? d : 0.0;
      yin->difference[tau] = d;
      running += d;
      /* The numerator and the running mean's denominator, in floats. */
      yin->scratch[tau] = (float) (d * tau);
      yin->cmndf[tau] = (float) running;
    }
  divide_cmndf (yin->cmndf, yin->scratch, n_lags);
}

/* Noise makes d jagged from one lag to the next (its cross terms are
 * independent across lags), which pulls the vertex of a three- or five-point
 * fit far off on the wide dips of low notes: 20 dB of white noise moved a
 * 41 Hz sine 30 cents. So a wide dip (one spanning more than 3 lags each
 * side within RISE of its bottom) is refined by a least-squares parabola
 * over that span instead, which averages the noise out. */
#define WIDE_DIP_RISE 0.1

/* Least-squares cubic through d over the span of the dip around @tau;
 * returns its minimum's offset from @tau in *offset, FALSE if the dip is
 * narrow (3 lags or fewer each side) or the fit has no minimum. A cubic,
 * not a parabola: on a low note d is the dip times a slowly changing energy,
 * which skews it, and a parabola over a wide span turns that skew into a
 * bias of a cent or two. */
static gboolean
fit_wide_dip (const PtYin *yin,
              guint        tau,
              double      *offset)
{
  const float *c = yin->cmndf;
  const double *d = yin->difference;
  guint m = 0, limit = MIN (tau / 4, MIN (tau - 1, yin->lag_max + 2 - tau));
  double s0 = 1.0, s2 = 0.0, s4 = 0.0, s6 = 0.0;
  double sy = d[tau], sxy = 0.0, sx2y = 0.0, sx3y = 0.0;
  double b1, b2, b3, det, v;

  while (m < limit && c[tau - m - 1] <= c[tau] + WIDE_DIP_RISE
         && c[tau + m + 1] <= c[tau] + WIDE_DIP_RISE)
    m++;
  if (m <= 3)
    return FALSE;

  for (guint i = 1; i <= m; i++)
    {
      double xi = i, xi2 = xi * xi, lo = d[tau - i], hi = d[tau + i];

      s0 += 2.0;
      s2 += 2.0 * xi2;
      s4 += 2.0 * xi2 * xi2;
      s6 += 2.0 * xi2 * xi2 * xi2;
      sy += lo + hi;
      sxy += xi * (hi - lo);
      sx2y += xi2 * (hi + lo);
      sx3y += xi2 * xi * (hi - lo);
    }
  /* y = b0 + b1 x + b2 x² + b3 x³: on a symmetric span the even and the
   * odd coefficients separate into two 2 × 2 systems. */
  b2 = (s0 * sx2y - s2 * sy) / (s0 * s4 - s2 * s2);
  det = s2 * s6 - s4 * s4;
  b1 = (s6 * sxy - s4 * sx3y) / det;
  b3 = (s2 * sx3y - s4 * sxy) / det;
  if (!(b2 > 0.0))
    return FALSE;

  v = -b1 / (2.0 * b2);
  for (int i = 0; i < 4; i++)
    {
      double bend = 2.0 * b2 + 6.0 * b3 * v;

      if (!(bend > 0.0))
        break;
      v -= (b1 + 2.0 * b2 * v + 3.0 * b3 * v * v) / bend;
    }
  *offset = CLAMP (v, -(double) m, (double) m);
  return TRUE;
}

/* Refits around the fitted minimum until it lands within a lag of the
 * centre: the deepest integer lag of a noisy wide dip may be far off. */
static double
refine_wide_dip (const PtYin *yin,
                 guint        tau,
                 double       x)
{
  guint centre = tau;
  double offset;

  for (int i = 0; i < 3; i++)
    {
      long next;

      if (!fit_wide_dip (yin, centre, &offset))
        return i == 0 ? x : (double) centre - tau;
      if (fabs (offset) <= 1.0)
        break;
      next = lround (centre + offset);
      if (next < (long) yin->lag_min || next > (long) yin->lag_max)
        break;
      centre = (guint) next;
    }
  return (double) centre - tau + offset;
}

/* Refines the dip at integer lag @tau: the minimum of the quartic through
 * d (τ-2 … τ+2), found by Newton's method from the parabola's vertex. The
 * parabola alone is off by up to 0.05 sample on the sharp dips of tones rich
 * in harmonics; the quartic halves that, and gets a pure sine within 0.01
 * cent. The refined CMNDF value is d there over the running mean, whose
 * change over a fraction of a lag is negligible. */
static PtYinDip
refine_dip (const PtYin *yin,
            guint        tau)
{
  const double *d = yin->difference + tau;
  double curvature = d[-1] - 2.0 * d[0] + d[1];
  double b1, b2, b3, b4, x, value, mean;
  PtYinDip dip;

  x = curvature > 0.0 ? CLAMP (0.5 * (d[-1] - d[1]) / curvature, -1.0, 1.0) : 0.0;

  b1 = (d[-2] - 8.0 * d[-1] + 8.0 * d[1] - d[2]) / 12.0;
  b2 = (-d[-2] + 16.0 * d[-1] - 30.0 * d[0] + 16.0 * d[1] - d[2]) / 24.0;
  b3 = (-d[-2] + 2.0 * d[-1] - 2.0 * d[1] + d[2]) / 12.0;
  b4 = (d[-2] - 4.0 * d[-1] + 6.0 * d[0] - 4.0 * d[1] + d[2]) / 24.0;
  for (int i = 0; i < 4; i++)
    {
      double slope = b1 + x * (2.0 * b2 + x * (3.0 * b3 + x * 4.0 * b4));
      double bend = 2.0 * b2 + x * (6.0 * b3 + x * 12.0 * b4);

      if (!(bend > 0.0))
        break;
      x = CLAMP (x - slope / bend, -1.0, 1.0);
    }
  value = d[0] + x * (b1 + x * (b2 + x * (b3 + x * b4)));
  value = CLAMP (value, 0.0, d[0]);
  x = refine_wide_dip (yin, tau, x);

  mean = d[0] > 0.0 ? d[0] / yin->cmndf[tau] : 0.0;
  dip.lag = tau + x;
  dip.value = mean > 0.0 ? value / mean : yin->cmndf[tau];
  return dip;
}

/* A short period is measured again at a multiple of itself, k periods
 * away: the refinement's error in samples stays the same, so the period's
 * shrinks k times (a 2 kHz tone rich in harmonics goes from 2–3 cents off to
 * a fraction of a cent). The lag stays within a tenth of the window, so
 * the latency barely moves. */
static double
refine_with_multiple (const PtYin *yin,
                      double       lag)
{
  guint k = (guint) floor (MAX (yin->window / 10, yin->lag_min) / lag);
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

      return fabs (refined - lag) < 0.02 * lag ? refined : lag;
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
  guint n_dips = 0, tau = yin->lag_min;

  while (tau < end && n_dips < PT_YIN_MAX_DIPS)
    {
      guint bottom;

      /* Most lags are far over the threshold: skip them fast. */
      while (tau < end && c[tau] >= VOICING_THRESHOLD)
        tau++;
      if (tau == end)
        break;

      /* Follow the dip down to its deepest point, until the curve rises
       * WIDE_DIP_RISE over it or leaves the lag range. */
      bottom = tau;
      for (tau++; tau < end && c[tau] <= c[bottom] + WIDE_DIP_RISE; tau++)
        if (c[tau] < c[bottom])
          bottom = tau;

      if (is_local_minimum (c, bottom) && is_balanced (yin, bottom))
        dips[n_dips++] = refine_dip (yin, bottom);
    }
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
                      const PtYinDip *chosen)
{
  for (int step = 0; step < 2 && chosen->lag >= MIN_OCTAVE_CHECK_LAG; step++)
    {
      const PtYinDip *doubled = dip_near (dips, n_dips, 2.0 * chosen->lag);
      double odd = 0.0, even = 0.0;
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
      if (pairs == 0 || !(even / pairs < OCTAVE_RATIO * odd / pairs - OCTAVE_MARGIN))
        break;
      chosen = doubled;
    }
  return chosen;
}

void
pt_yin_process (PtYin       *yin,
                const float *samples,
                double       previous_lag,
                PtYinResult *result)
{
  PtYinDip dips[PT_YIN_MAX_DIPS];
  guint n_dips = 0;
  double best = G_MAXDOUBLE, threshold;
  const PtYinDip *chosen = NULL;

  g_return_if_fail (yin != NULL && samples != NULL && result != NULL);

  compute_difference (yin, samples);

  n_dips = newest_half_sounds (yin) ? find_dips (yin, dips) : 0;
  for (guint i = 0; i < n_dips; i++)
    best = MIN (best, dips[i].value);

  result->voiced = n_dips > 0;
  if (n_dips == 0)
    {
      float lowest = 1.0f;

      if (newest_half_sounds (yin))
        for (guint tau = yin->lag_min; tau <= yin->lag_max; tau++)
          lowest = MIN (lowest, yin->cmndf[tau]);
      result->frequency = 0.0;
      result->lag = 0.0;
      result->cmndf = lowest;
      result->periodicity = CLAMP (1.0 - lowest, 0.0, 1.0);
      return;
    }

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

  chosen = prefer_double_period (dips, n_dips, chosen);

  result->lag = refine_with_multiple (yin, chosen->lag);
  result->frequency = yin->sample_rate / result->lag;
  result->cmndf = chosen->value;
  result->periodicity = CLAMP (1.0 - chosen->value, 0.0, 1.0);
}
