/* pt-vector.h — four floats at a time with GCC/Clang vector extensions, for
 * the loops over sample windows (YIN, the pitch analyser). Four lanes is the
 * width every 64-bit target has (SSE2, NEON); they lower with no intrinsics
 * and no -O3 needed. The names are short on purpose: they read as arithmetic.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>

#include <glib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

G_BEGIN_DECLS

typedef float PtFloat4 __attribute__ ((vector_size (16)));
typedef int   PtInt4   __attribute__ ((vector_size (16)));
typedef double PtDouble4 __attribute__ ((vector_size (32)));

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

/* Lanes of @a (0–3) and @b (4–7), picked by four constant indices. */
#if defined(__clang__)
#define SHUFFLE2(a, b, i, j, k, l) __builtin_shufflevector ((a), (b), i, j, k, l)
#else
#define SHUFFLE2(a, b, i, j, k, l) __builtin_shuffle ((a), (b), (PtInt4) { i, j, k, l })
#endif

/* Lane by lane, @a < @b ? @a : @b and @a > @b ? @a : @b: what SSE's
 * minps and maxps compute (the second operand on a tie), one instruction
 * instead of a compare and three logic operations. */
static inline PtFloat4
min4 (PtFloat4 a,
      PtFloat4 b)
{
#if defined(__SSE2__)
  return (PtFloat4) _mm_min_ps ((__m128) a, (__m128) b);
#else
  return select4 (a < b, a, b);
#endif
}

static inline PtFloat4
max4 (PtFloat4 a,
      PtFloat4 b)
{
#if defined(__SSE2__)
  return (PtFloat4) _mm_max_ps ((__m128) a, (__m128) b);
#else
  return select4 (a > b, a, b);
#endif
}

/* Whether every lane of @v is at least @threshold. */
static inline gboolean
all_at_least (PtFloat4 v,
              PtFloat4 threshold)
{
#if defined(__SSE2__)
  return _mm_movemask_ps ((__m128) (v >= threshold)) == 0xf;
#else
  PtInt4 at_least = v >= threshold;

  return (at_least[0] & at_least[1] & at_least[2] & at_least[3]) != 0;
#endif
}

/* Whether all @n samples are finite: x - x is 0 for those, NaN for the rest,
 * and a NaN stays in the sum. */
static inline gboolean
all_finite (const float *x,
            gsize        n)
{
  PtFloat4 acc = { 0.0f };
  float rest = 0.0f;
  gsize i;

  for (i = 0; i + LANES <= n; i += LANES)
    {
      PtFloat4 v = load4 (x + i);

      acc += v - v;
    }
  for (; i < n; i++)
    rest += x[i] - x[i];
  return sum_lanes (acc) + rest == 0.0f;
}

G_END_DECLS
