/* pt-stats.c — order statistics.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-stats"

#include "config.h"

#include <stdlib.h>

#include "pt-stats.h"

int
pt_compare_doubles (const void *a,
                    const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
pt_quantile (double *values,
             gsize   n,
             double  q)
{
  if (n == 0)
    return 0.0;
  qsort (values, n, sizeof (double), pt_compare_doubles);
  return values[MIN (n - 1, (gsize) (CLAMP (q, 0.0, 1.0) * n))];
}
