/* pt-clock-source.c — a real-time pacer for the processor.
 *
 * Sleeps to absolute deadlines on CLOCK_MONOTONIC, so the cycles keep their
 * average rate whatever each cycle costs; a thread that falls more than a
 * few cycles behind (a suspended machine) starts afresh from now instead of
 * catching up in a burst. Each cycle's time is the monotonic clock the
 * engine measures delivery latency with.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-clock-source"

#include "config.h"

#include <errno.h>
#include <time.h>

#include "pt-clock-source.h"

#define MAX_LAG_CYCLES 8

struct _PtClockSource
{
  PtProcessor *processor;
  double       sample_rate;
  GThread     *thread;
  int          stopping;     /* atomic */
};

static gint64
timespec_to_ns (const struct timespec *ts)
{
  return (gint64) ts->tv_sec * G_GINT64_CONSTANT (1000000000) + ts->tv_nsec;
}

static struct timespec
ns_to_timespec (gint64 ns)
{
  return (struct timespec) { .tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000 };
}

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return timespec_to_ns (&ts);
}

static gpointer
run (gpointer user_data)
{
  PtClockSource *self = user_data;
  gint64 period_ns = (gint64) (PT_CHUNK_SIZE * 1e9 / self->sample_rate);
  gint64 deadline = now_ns ();

  while (!g_atomic_int_get (&self->stopping))
    {
      struct timespec ts;
      gint64 now;

      pt_processor_process (self->processor, NULL, PT_CHUNK_SIZE, 1, deadline / 1e6);

      deadline += period_ns;
      now = now_ns ();
      if (now - deadline > MAX_LAG_CYCLES * period_ns)
        deadline = now;
      ts = ns_to_timespec (deadline);
      while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
    }

  pt_processor_release_thread (self->processor);
  return NULL;
}

PtClockSource *
pt_clock_source_new (PtProcessor *processor,
                     double       sample_rate)
{
  PtClockSource *self;

  g_return_val_if_fail (processor != NULL, NULL);
  g_return_val_if_fail (sample_rate > 0.0, NULL);

  self = g_new0 (PtClockSource, 1);
  self->processor = processor;
  self->sample_rate = sample_rate;
  self->thread = g_thread_new ("pt-clock-source", run, self);
  return self;
}

void
pt_clock_source_free (PtClockSource *self)
{
  if (self == NULL)
    return;

  g_atomic_int_set (&self->stopping, TRUE);
  g_thread_join (self->thread);
  g_free (self);
}
