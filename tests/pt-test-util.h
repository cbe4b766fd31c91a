/* pt-test-util.h — helpers shared by the test programs: waiting on a main
 * context under a watchdog, and the client side of the PipeWire harness.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <glib-object.h>

G_BEGIN_DECLS

/* Generous watchdogs: a busy 2-core machine starts servers and displays slowly. */
#define PT_TEST_TIMEOUT_UNIT_S   5
#define PT_TEST_TIMEOUT_SERVER_S 30

typedef gboolean (*PtTestCondition) (gpointer user_data);

gboolean pt_test_wait_until (GMainContext    *context,
                             PtTestCondition  condition,
                             gpointer         user_data,
                             guint            timeout_s);

#define pt_test_assert_eventually(context, condition, user_data, timeout_s) \
  g_assert_true (pt_test_wait_until ((context), (condition), (user_data), (timeout_s)))

void pt_test_fill_sine (float  *samples,
                        gsize   n_samples,
                        double  sample_rate,
                        double  frequency,
                        double  amplitude,
                        double  phase);

void         pt_test_assert_notifies_once (gpointer      object,
                                           const char   *property,
                                           const GValue *value);

float       *pt_test_new_distinct_samples (guint n_samples);

const char  *pt_test_harness_env     (const char   *name);
gboolean     pt_test_write_wav       (const char   *path,
                                      const float  *samples,
                                      gsize         n_samples,
                                      int           sample_rate,
                                      GError      **error);
GSubprocess *pt_test_play_into_feed  (const char   *wav_path,
                                      GError      **error);

G_END_DECLS
