/* pt-fftw.c — one lock for FFTW's planner, shared by every unit that makes
 * plans (the signal generator, YIN): FFTW allows plans to be executed from
 * any thread, but made and destroyed from one at a time.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-fftw"

#include "config.h"

#include "pt-fftw.h"

static GMutex planner_lock;

void
pt_fftw_planner_lock (void)
{
  g_mutex_lock (&planner_lock);
}

void
pt_fftw_planner_unlock (void)
{
  g_mutex_unlock (&planner_lock);
}
