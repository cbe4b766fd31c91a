/* pt-audio-input.h — a recording read block by block as mono samples, with
 * every check that can be made before the first block (the header, the rate,
 * a regular file shorter than its header says) made at open, and the one
 * that cannot (a stream ending before its header's length) made at the end.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PT_AUDIO_INPUT_ERROR (pt_audio_input_error_quark ())

typedef enum
{
  PT_AUDIO_INPUT_ERROR_OPEN,          /* missing, unreadable, a directory */
  PT_AUDIO_INPUT_ERROR_NOT_AUDIO,     /* empty, or not a format libsndfile reads */
  PT_AUDIO_INPUT_ERROR_UNSUPPORTED,   /* channel count or rate out of range */
  PT_AUDIO_INPUT_ERROR_TRUNCATED,     /* fewer samples than the header says */
  PT_AUDIO_INPUT_ERROR_READ,          /* a read failed part way */
} PtAudioInputError;

GQuark pt_audio_input_error_quark (void);

typedef struct _PtAudioInput PtAudioInput;

/* Opens @path ("-" is standard input) and checks its header. The messages
 * of the errors say what is wrong, not which file: the caller names it. */
PtAudioInput *pt_audio_input_open           (const char    *path,
                                             GError       **error);
void          pt_audio_input_free           (PtAudioInput  *input);

double        pt_audio_input_get_sample_rate (PtAudioInput *input);
int           pt_audio_input_get_channels   (PtAudioInput  *input);
/* Frames the header promises, or -1 when it does not say (a stream). */
gint64        pt_audio_input_get_frames     (PtAudioInput  *input);

/* Reads up to @max_frames frames, averaged to mono, into @mono. Returns the
 * count, 0 at the end of a complete input, or -1 with @error set: a read
 * error, or an input that ended before its header's length (the message
 * says how far it got). Memory does not depend on the input's length. */
gssize        pt_audio_input_read_mono      (PtAudioInput  *input,
                                             float         *mono,
                                             gsize          max_frames,
                                             GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtAudioInput, pt_audio_input_free)

G_END_DECLS
