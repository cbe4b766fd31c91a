/* pt-fftw.h — one lock for FFTW's planner, whose plan creation and
 * destruction are not thread-safe, shared by every unit that makes plans.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void pt_fftw_planner_lock   (void);
void pt_fftw_planner_unlock (void);

G_END_DECLS
