/* main.c — parses the command line: the analysis modes run with no display,
 * anything else starts the application.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "pt-analyze-command.h"
#include "pt-application.h"
#include "pt-headless-command.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PtApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (pt_analyze_command_wanted (argc, argv))
    return pt_analyze_command_main (argc, argv);
  if (pt_headless_command_wanted (argc, argv))
    return pt_headless_command_main (argc, argv);

  app = pt_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
