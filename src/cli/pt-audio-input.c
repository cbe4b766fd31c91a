/* pt-audio-input.c — libsndfile behind the checks a user's file needs.
 *
 * What a header promises. For a regular file libsndfile shortens its frame
 * count to what the file holds and logs "data : 88200 (should be 39956)";
 * through a pipe it cannot know, so the promise is kept and checked when the
 * stream ends. Writers that cannot seek back put placeholder sizes in the
 * header (0, sox's 0x7ffff000 or just under, and values near 4 GiB): those
 * promise nothing. Anything else, 2 GiB or more included, is a promise.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-audio-input"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sndfile.h>

#include "pt-audio-input.h"

#define RATE_MIN 1000
#define RATE_MAX 768000
#define CHANNELS_MAX 1024

struct _PtAudioInput
{
  SNDFILE *file;
  SF_INFO  info;
  gint64   promised;   /* frames, or -1 */
  gint64   read;
  float   *interleaved;
  gsize    interleaved_frames;
};

G_DEFINE_QUARK (pt-audio-input-error-quark, pt_audio_input_error)

/* A chunk size written by a program that could not seek back to fix it. */
static gboolean
is_placeholder_size (gint64 claimed)
{
  return claimed == 0
         || (claimed >= 0x7f000000 && claimed <= 0x7fffffff)
         || claimed >= 0xffff0000;
}

/* From libsndfile's log of the header: the size the data chunk ("data" in
 * WAV, "SSND" in AIFF) claims, whether it was a placeholder, and (regular
 * files only) whether the file holds less than it claims. A chunk one byte
 * short is only its missing pad byte. */
static void
read_header_log (SNDFILE  *file,
                 gboolean *placeholder,
                 gboolean *short_of_claim)
{
  char log[8192] = "";
  g_auto(GStrv) lines = NULL;

  *placeholder = *short_of_claim = FALSE;
  sf_command (file, SFC_GET_LOG_INFO, log, sizeof log);
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *name = lines[i] + strspn (lines[i], " ");
      const char *colon = strchr (name, ':');
      const char *paren = strstr (name, "(should be ");
      gint64 claimed;

      if (colon == NULL || !(g_str_has_prefix (name, "data ") || g_str_has_prefix (name, "SSND ")))
        continue;
      claimed = g_ascii_strtoll (colon + 1, NULL, 10);
      if (is_placeholder_size (claimed))
        *placeholder = TRUE;
      else if (paren != NULL
               && g_ascii_strtoll (paren + strlen ("(should be "), NULL, 10) < claimed - 1)
        *short_of_claim = TRUE;
    }
}

static PtAudioInput *
open_failed (int         fd,
             gboolean    close_fd,
             GError    **error,
             int         code,
             const char *message)
{
  if (close_fd)
    close (fd);
  g_set_error_literal (error, PT_AUDIO_INPUT_ERROR, code, message);
  return NULL;
}

/* libsndfile's reason, in the words of someone who gave it a file. */
static char *
describe_open_failure (void)
{
  const char *reason = sf_strerror (NULL);

  /* A header with a sample rate or channel count of 0. */
  if (strstr (reason, "SF_INFO struct incomplete") != NULL
      || strstr (reason, "Channel count is zero") != NULL)
    return g_strdup (_("not an audio file that can be read (its header gives no sample rate "
                       "or no channels)"));
  return g_strdup_printf (_("not an audio file that can be read (%s)"), reason);
}

/* Opens @fd (taken) and checks the header; @regular: a regular file. */
static PtAudioInput *
open_checked (int       fd,
              gboolean  close_fd,
              gboolean  regular,
              GError  **error)
{
  g_autoptr(PtAudioInput) input = g_new0 (PtAudioInput, 1);
  gboolean placeholder, short_of_claim;

  input->file = sf_open_fd (fd, SFM_READ, &input->info, close_fd);
  if (input->file == NULL)
    {
      g_autofree char *reason = describe_open_failure ();

      return open_failed (fd, close_fd, error, PT_AUDIO_INPUT_ERROR_NOT_AUDIO, reason);
    }
  if (input->info.channels < 1 || input->info.channels > CHANNELS_MAX
      || input->info.samplerate < RATE_MIN || input->info.samplerate > RATE_MAX)
    {
      g_set_error (error, PT_AUDIO_INPUT_ERROR, PT_AUDIO_INPUT_ERROR_UNSUPPORTED,
                   _("unsupported: %d channels at %d Hz (1 to %d channels, %d to %d Hz are read)"),
                   input->info.channels, input->info.samplerate, CHANNELS_MAX, RATE_MIN,
                   RATE_MAX);
      return NULL;
    }
  read_header_log (input->file, &placeholder, &short_of_claim);
  if (regular && short_of_claim)
    {
      g_set_error_literal (error, PT_AUDIO_INPUT_ERROR, PT_AUDIO_INPUT_ERROR_TRUNCATED,
                           _("the file is truncated (its header promises more audio than it "
                             "holds)"));
      return NULL;
    }
  input->promised = -1;
  if (!placeholder && input->info.frames > 0 && input->info.frames < SF_COUNT_MAX)
    input->promised = input->info.frames;
  return g_steal_pointer (&input);
}

PtAudioInput *
pt_audio_input_open (const char  *path,
                     GError     **error)
{
  gboolean from_stdin;
  struct stat st;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  from_stdin = strcmp (path, "-") == 0;
  fd = from_stdin ? STDIN_FILENO : g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return open_failed (fd, FALSE, error, PT_AUDIO_INPUT_ERROR_OPEN, g_strerror (errno));
  if (fstat (fd, &st) != 0)
    return open_failed (fd, !from_stdin, error, PT_AUDIO_INPUT_ERROR_OPEN, g_strerror (errno));
  if (S_ISDIR (st.st_mode))
    return open_failed (fd, !from_stdin, error, PT_AUDIO_INPUT_ERROR_OPEN,
                        _("is a directory, not an audio file"));
  if (S_ISREG (st.st_mode) && st.st_size == 0)
    return open_failed (fd, !from_stdin, error, PT_AUDIO_INPUT_ERROR_NOT_AUDIO,
                        _("the file is empty"));
  return open_checked (fd, !from_stdin, S_ISREG (st.st_mode), error);
}

void
pt_audio_input_free (PtAudioInput *input)
{
  if (input == NULL)
    return;
  if (input->file != NULL)
    sf_close (input->file);
  g_free (input->interleaved);
  g_free (input);
}

double
pt_audio_input_get_sample_rate (PtAudioInput *input)
{
  return input->info.samplerate;
}

int
pt_audio_input_get_channels (PtAudioInput *input)
{
  return input->info.channels;
}

gint64
pt_audio_input_get_frames (PtAudioInput *input)
{
  return input->promised;
}

/* The mean of the channels, as a float; + 0.0f turns -0 into +0, as the sum
 * from 0 does for several channels. */
static void
downmix (float       *mono,
         const float *interleaved,
         gsize        n_frames,
         int          channels)
{
  for (gsize i = 0; i < n_frames; i++)
    {
      double sum = 0.0;

      for (int c = 0; c < channels; c++)
        sum += interleaved[i * channels + c];
      mono[i] = (float) (sum / channels);
    }
}

static gssize
read_frames (PtAudioInput *input,
             float        *mono,
             gsize         max_frames)
{
  int channels = input->info.channels;
  sf_count_t n;

  /* Mono is read in place; more channels go through a buffer kept. */
  if (channels == 1)
    {
      n = sf_readf_float (input->file, mono, max_frames);
      for (sf_count_t i = 0; i < n; i++)
        mono[i] += 0.0f;
      return n;
    }
  if (input->interleaved_frames < max_frames)
    {
      g_free (input->interleaved);
      input->interleaved = g_new (float, max_frames * channels);
      input->interleaved_frames = max_frames;
    }
  n = sf_readf_float (input->file, input->interleaved, max_frames);
  if (n > 0)
    downmix (mono, input->interleaved, n, channels);
  return n;
}

gssize
pt_audio_input_read_mono (PtAudioInput  *input,
                          float         *mono,
                          gsize          max_frames,
                          GError       **error)
{
  gssize n;

  g_return_val_if_fail (input != NULL && mono != NULL && max_frames > 0, -1);

  n = read_frames (input, mono, max_frames);
  if (n > 0)
    {
      input->read += n;
      return n;
    }
  if (sf_error (input->file) != SF_ERR_NO_ERROR)
    {
      g_set_error (error, PT_AUDIO_INPUT_ERROR, PT_AUDIO_INPUT_ERROR_READ,
                   _("read error after %.1f s (%s)"),
                   (double) input->read / input->info.samplerate, sf_strerror (input->file));
      return -1;
    }
  if (input->promised >= 0 && input->read < input->promised)
    {
      g_set_error (error, PT_AUDIO_INPUT_ERROR, PT_AUDIO_INPUT_ERROR_TRUNCATED,
                   _("truncated: the input ended after %.1f s of the %.1f s its header "
                     "promises"), (double) input->read / input->info.samplerate,
                   (double) input->promised / input->info.samplerate);
      return -1;
    }
  return 0;
}
