/* pt-input-list.h — the inputs of `--analyze FILE|DIR...`: files as given,
 * directories walked in name order for every file libsndfile recognises,
 * each with the name it is reported by and its path relative to its
 * argument (where --output-dir writes its result).
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char   *path;           /* to open; "-" for standard input */
  char   *display_name;   /* UTF-8, for messages and the "file" field */
  char   *relative_path;  /* below its argument (a file argument: its base name) */
  double  seconds;        /* of audio the header promises; 0 when unknown */
  char   *failure;        /* set when it already failed (an unreadable directory) */
} PtInput;

/* Expands @args (NULL-terminated) into a GPtrArray of PtInput, in order:
 * a directory's files in byte order of their names, hidden ones (a leading
 * '.') skipped, symbolic links followed, each directory walked once (so a
 * link loop ends). A file argument is kept whatever it holds, to be
 * reported when analysed; a file found in a directory is kept only when
 * libsndfile recognises it. An unreadable directory, or one with no audio
 * in it, is an input whose failure says why. */
GPtrArray *pt_input_list_expand (const char * const *args);

G_END_DECLS
