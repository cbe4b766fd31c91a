/* main.c — parses the command line: the analysis modes run with no display,
 * anything else loads the application module and runs it. GTK and its
 * libraries are loaded only then, so `--analyze` and `--headless` start
 * quickly and stay small.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <gmodule.h>

#include "pt-analyze-command.h"
#include "pt-headless-command.h"

#define UI_MODULE "pitch-toy-ui.so"

typedef int (*PtUiMain) (int argc, char *argv[]);

/* Next to the executable in a build tree (src/ui/), else where it is
 * installed. */
static char *
find_ui_module (void)
{
  g_autofree char *executable = g_file_read_link ("/proc/self/exe", NULL);

  if (executable != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (executable);
      g_autofree char *uninstalled = g_build_filename (dir, "ui", UI_MODULE, NULL);

      if (g_file_test (uninstalled, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&uninstalled);
    }
  return g_build_filename (PKGLIBDIR, UI_MODULE, NULL);
}

static int
run_application (int   argc,
                 char *argv[])
{
  g_autofree char *path = find_ui_module ();
  GModule *module = g_module_open (path, G_MODULE_BIND_LOCAL);
  PtUiMain ui_main;

  if (module == NULL || !g_module_symbol (module, "pt_ui_main", (gpointer *) &ui_main))
    {
      /* Translators: %s is the loader's own message. */
      g_printerr (_("Cannot load the application: %s\n"), g_module_error ());
      return 1;
    }
  /* The module stays loaded until the process ends. */
  return ui_main (argc, argv);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (pt_analyze_command_wanted (argc, argv))
    return pt_analyze_command_main (argc, argv);
  if (pt_headless_command_wanted (argc, argv))
    return pt_headless_command_main (argc, argv);
  return run_application (argc, argv);
}
