/* pt-stats.h — order statistics shared by the analysers, the engine's
 * metrics, the tests and the benchmarks.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A qsort comparator for doubles, ascending. */
int    pt_compare_doubles (const void *a,
                           const void *b);

/* The @q quantile (0…1, nearest rank) of @n values, which it sorts in
 * place; 0 when @n is 0. */
double pt_quantile        (double     *values,
                           gsize       n,
                           double      q);

G_END_DECLS
