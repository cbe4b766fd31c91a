/* pt-input-list.c — expanding `--analyze` arguments into the inputs, in a
 * stable order: what the user named, then what the walk finds, sorted by
 * the bytes of the names so that the order is the same in every locale.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-input-list"

#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pt-audio-input.h"
#include "pt-input-list.h"

static void
input_free (gpointer data)
{
  PtInput *input = data;

  g_free (input->path);
  g_free (input->display_name);
  g_free (input->relative_path);
  g_free (input->failure);
  g_free (input);
}

/* Adds @path; with @only_audio, only when libsndfile recognises it. Only
 * a regular file is opened to look: a pipe's bytes would be gone. */
static void
add_file (GPtrArray  *inputs,
          const char *path,
          const char *relative_path,
          gboolean    regular,
          gboolean    only_audio)
{
  g_autoptr(PtAudioInput) audio = NULL;
  PtInput *input;

  if (regular)
    audio = pt_audio_input_open (path, NULL);
  if (audio == NULL && only_audio)
    return;
  input = g_new0 (PtInput, 1);
  input->path = g_strdup (path);
  input->display_name = strcmp (path, "-") == 0 ? g_strdup (_("standard input"))
                                                : g_filename_display_name (path);
  input->relative_path = g_strdup (relative_path);
  if (audio != NULL && pt_audio_input_get_frames (audio) > 0)
    input->seconds = pt_audio_input_get_frames (audio) / pt_audio_input_get_sample_rate (audio);
  g_ptr_array_add (inputs, input);
}

static void
add_failure (GPtrArray  *inputs,
             const char *path,
             const char *relative_path,
             const char *reason)
{
  PtInput *input = g_new0 (PtInput, 1);

  input->path = g_strdup (path);
  input->display_name = g_filename_display_name (path);
  input->relative_path = g_strdup (relative_path);
  input->failure = g_strdup (reason);
  g_ptr_array_add (inputs, input);
}

/* Whether @st is a directory not walked yet; marks it walked. */
static gboolean
first_visit (GHashTable        *visited,
             const struct stat *st)
{
  char *key = g_strdup_printf ("%ju:%ju", (uintmax_t) st->st_dev, (uintmax_t) st->st_ino);

  if (g_hash_table_contains (visited, key))
    {
      g_free (key);
      return FALSE;
    }
  g_hash_table_add (visited, key);
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in @path that are not hidden, sorted; NULL when it cannot be
 * read. */
static GPtrArray *
list_directory (const char  *path,
                GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, error);
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (dir == NULL)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return g_steal_pointer (&names);
}

static void
walk_directory (GPtrArray  *inputs,
                GHashTable *visited,
                const char *path,
                const char *relative_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = list_directory (path, &error);

  if (names == NULL)
    {
      add_failure (inputs, path, relative_path, error->message);
      return;
    }
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (path, names->pdata[i], NULL);
      g_autofree char *child_relative = relative_path[0] == '\0'
                                        ? g_strdup (names->pdata[i])
                                        : g_build_filename (relative_path, names->pdata[i],
                                                            NULL);
      struct stat st;

      if (g_stat (child, &st) != 0)
        continue;   /* a dangling link: nothing there to recognise */
      if (S_ISDIR (st.st_mode))
        {
          if (first_visit (visited, &st))
            walk_directory (inputs, visited, child, child_relative);
        }
      else if (S_ISREG (st.st_mode))
        {
          add_file (inputs, child, child_relative, TRUE, TRUE);
        }
    }
}

GPtrArray *
pt_input_list_expand (const char * const *args)
{
  g_autoptr(GHashTable) visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *inputs = g_ptr_array_new_with_free_func (input_free);

  g_return_val_if_fail (args != NULL, inputs);

  for (guint i = 0; args[i] != NULL; i++)
    {
      struct stat st;
      gboolean found = strcmp (args[i], "-") != 0 && g_stat (args[i], &st) == 0;

      if (found && S_ISDIR (st.st_mode))
        {
          guint before = inputs->len;

          if (first_visit (visited, &st))
            walk_directory (inputs, visited, args[i], "");
          if (inputs->len == before)
            add_failure (inputs, args[i], "", _("no audio file found in this directory"));
        }
      else
        {
          g_autofree char *base = g_path_get_basename (args[i]);

          add_file (inputs, args[i], base, found && S_ISREG (st.st_mode), FALSE);
        }
    }
  return inputs;
}
