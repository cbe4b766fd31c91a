/* pt-ui-main.c — the entry point of the application module: main.c loads
 * it for anything that is not a command line mode.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gmodule.h>

#include "pt-application.h"

G_MODULE_EXPORT int pt_ui_main (int   argc,
                                char *argv[]);

G_MODULE_EXPORT int
pt_ui_main (int   argc,
            char *argv[])
{
  g_autoptr(PtApplication) app = pt_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
