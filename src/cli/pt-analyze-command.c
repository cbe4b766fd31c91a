/* pt-analyze-command.c — `pitch-toy --analyze FILE`: the live analysers run
 * over a recording, one JSON object (or CSV row) per analysis frame.
 *
 * The whole file is read, downmixed to mono and checked before anything is
 * printed, so a bad file (missing, empty, truncated, not audio) gives one
 * line on stderr, exit status 2 and nothing on stdout. The mono copy is held
 * in memory: 4 bytes a sample, about 11 MB a minute at 48 kHz.
 *
 * The samples then go through PtPitchAnalyzer exactly as live batches would,
 * so the frames are the ones the live analyser reports, level included: a
 * frame's rms_dbfs and peak_dbfs are the analyser's own measurement of its
 * window (centre ± window / 2, DC removed, the silence before the stream
 * counted as zeros, as live), and its level is their class by
 * pt_level_classify () (clipping by peak: the file has no worklet clamp
 * count). Numbers are printed as "%.Nf" would print them, by a shorter path.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-analyze-command"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sndfile.h>

#include <gio/gunixoutputstream.h>

#include "pt-analyze-command.h"
#include "pt-analysis-enum-types.h"
#include "pt-frame-writer.h"
#include "pt-level.h"
#include "pt-pitch-analyzer.h"

#define READ_CHUNK_FRAMES 8192
#define PUSH_CHUNK_SAMPLES 4096

typedef struct
{
  char     *path;
  int       hop;
  int       window;
  double    min_freq;
  double    max_freq;
  double    reference;
  char     *tuning;
  char     *tonic;
  char     *format;
  gboolean  version;
} Options;

typedef struct
{
  const char *display_name;
  float      *mono;
  gsize       n_samples;
  double      sample_rate;
} Audio;

static void
options_clear (Options *options)
{
  g_clear_pointer (&options->path, g_free);
  g_clear_pointer (&options->tuning, g_free);
  g_clear_pointer (&options->tonic, g_free);
  g_clear_pointer (&options->format, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* The app decides from argv whether to run this instead of the GUI: any
 * "--analyze" or "--analyze=…" before a "--". */
gboolean
pt_analyze_command_wanted (int    argc,
                           char **argv)
{
  for (int i = 1; i < argc && argv[i] != NULL; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        return FALSE;
      if (strcmp (argv[i], "--analyze") == 0 || g_str_has_prefix (argv[i], "--analyze="))
        return TRUE;
    }
  return FALSE;
}

static int
usage_error (const char *message)
{
  g_printerr ("pitch-toy: %s\n", message);
  g_printerr (_("Try 'pitch-toy --analyze FILE --help' for more information.\n"));
  return PT_ANALYZE_EXIT_USAGE;
}

static int
file_error (const char *display_name,
            const char *reason)
{
  g_printerr ("pitch-toy: %s: %s\n", display_name, reason);
  return PT_ANALYZE_EXIT_FILE;
}

/* libsndfile 1.2 opens a truncated WAV/AIFF and quietly shortens the frame
 * count; its log then has a line such as "data : 88200 (should be 39956)".
 * Headers written to a pipe carry placeholder sizes (0 or near 4 GiB), which
 * are not truncation, and a chunk one byte short is only its missing pad byte. */
static gboolean
log_says_truncated (SNDFILE *file)
{
  char log[8192] = "";
  g_auto(GStrv) lines = NULL;

  sf_command (file, SFC_GET_LOG_INFO, log, sizeof log);
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *paren = strstr (lines[i], "(should be ");
      const char *colon = strchr (lines[i], ':');
      gint64 claimed, actual;

      if (paren == NULL || colon == NULL || colon > paren)
        continue;
      claimed = g_ascii_strtoll (colon + 1, NULL, 10);
      actual = g_ascii_strtoll (paren + strlen ("(should be "), NULL, 10);
      if (claimed > 0 && claimed < 0x7fff0000 && actual < claimed - 1)
        return TRUE;
    }
  return FALSE;
}

/* The mono copy, grown by doubling: for a regular file libsndfile's frame
 * count (never more than the file holds) sizes it once. */
typedef struct
{
  float *samples;
  gsize  len;
  gsize  allocated;
} MonoBuffer;

static float *
mono_buffer_reserve (MonoBuffer *mono,
                     gsize       n)
{
  if (mono->allocated - mono->len < n)
    {
      mono->allocated = MAX (mono->len + n, 2 * mono->allocated);
      mono->samples = g_renew (float, mono->samples, mono->allocated);
    }
  return mono->samples + mono->len;
}

/* The mean of the channels, as a float; + 0.0f turns -0 into +0, as the sum
 * from 0 does for several channels. */
static void
downmix_chunk (float       *mono,
               const float *interleaved,
               sf_count_t   n_frames,
               int          channels)
{
  if (channels == 1)
    {
      for (sf_count_t i = 0; i < n_frames; i++)
        mono[i] = interleaved[i] + 0.0f;
      return;
    }
  for (sf_count_t i = 0; i < n_frames; i++)
    {
      double sum = 0.0;

      for (int c = 0; c < channels; c++)
        sum += interleaved[i * channels + c];
      mono[i] = (float) (sum / channels);
    }
}

/* Reads and checks the whole file; on failure prints the one-line error and
 * returns the exit status, else 0. */
static int
read_audio (const char *path,
            Audio      *audio)
{
  MonoBuffer mono = { NULL, 0, 0 };
  g_autofree float *chunk = NULL;
  gboolean from_stdin = g_strcmp0 (path, "-") == 0;
  SF_INFO info = { 0 };
  SNDFILE *file;
  struct stat st;
  sf_count_t n_read;
  int fd;

  audio->display_name = from_stdin ? "standard input" : path;
  fd = from_stdin ? STDIN_FILENO : g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return file_error (audio->display_name, g_strerror (errno));
  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      if (!from_stdin)
        close (fd);
      return file_error (audio->display_name, g_strerror (saved_errno));
    }
  if (S_ISDIR (st.st_mode))
    {
      if (!from_stdin)
        close (fd);
      return file_error (audio->display_name, _("is a directory, not an audio file"));
    }
  if (S_ISREG (st.st_mode) && st.st_size == 0)
    {
      if (!from_stdin)
        close (fd);
      return file_error (audio->display_name, _("the file is empty"));
    }

  file = sf_open_fd (fd, SFM_READ, &info, !from_stdin);
  if (file == NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("not an audio file that can be read (%s)"),
                                                 sf_strerror (NULL));
      if (!from_stdin)
        close (fd);
      return file_error (audio->display_name, reason);
    }
  if (info.channels < 1 || info.samplerate < 1000 || info.samplerate > 768000)
    {
      sf_close (file);
      return file_error (audio->display_name, _("unsupported channel count or sample rate"));
    }
  if (S_ISREG (st.st_mode) && log_says_truncated (file))
    {
      sf_close (file);
      return file_error (audio->display_name,
                         _("the file is truncated (its header promises more audio than it holds)"));
    }

  if (S_ISREG (st.st_mode) && info.frames > 0 && info.frames < G_MAXINT32)
    mono_buffer_reserve (&mono, (gsize) info.frames + READ_CHUNK_FRAMES);
  /* Mono is read in place (and only made positive zero where it was -0);
   * more channels go through a chunk. */
  if (info.channels > 1)
    chunk = g_new (float, (gsize) READ_CHUNK_FRAMES * info.channels);
  for (;;)
    {
      float *into = mono_buffer_reserve (&mono, READ_CHUNK_FRAMES);

      n_read = sf_readf_float (file, chunk != NULL ? chunk : into, READ_CHUNK_FRAMES);
      if (n_read <= 0)
        break;
      downmix_chunk (into, chunk != NULL ? chunk : into, n_read, info.channels);
      mono.len += n_read;
    }
  if (sf_error (file) != SF_ERR_NO_ERROR)
    {
      g_autofree char *reason = g_strdup_printf (_("read error (%s)"), sf_strerror (file));

      sf_close (file);
      g_free (mono.samples);
      return file_error (audio->display_name, reason);
    }
  sf_close (file);

  if (S_ISREG (st.st_mode) && info.frames > 0 && (sf_count_t) mono.len < info.frames)
    {
      g_free (mono.samples);
      return file_error (audio->display_name,
                         _("the file is truncated (fewer samples than its header says)"));
    }
  if (mono.len == 0)
    {
      g_free (mono.samples);
      return file_error (audio->display_name, _("the file holds no audio samples"));
    }

  audio->sample_rate = info.samplerate;
  audio->n_samples = mono.len;
  audio->mono = mono.samples;
  return 0;
}

static void
on_frame (PtPitchAnalyzer    *analyzer,
          const PtPitchFrame *frame,
          PtFrameWriter      *writer)
{
  /* The file has no worklet clamp count: clipping is judged by the peak. */
  pt_frame_writer_write_frame (writer, frame,
                               pt_level_classify (frame->rms_dbfs, frame->peak_dbfs, 0), NULL);
}

static void
show_progress (gsize done,
               gsize total)
{
  const int width = 40;
  int filled = total > 0 ? (int) ((double) done / total * width) : width;

  g_printerr ("\r[%.*s%*s] %3d%%", filled, "########################################",
              width - filled, "", total > 0 ? (int) (100.0 * done / total) : 100);
}

static gboolean
parse_tuning (const char     *name,
              PtTuningSystem *tuning)
{
  if (name == NULL || g_strcmp0 (name, "equal") == 0)
    *tuning = PT_TUNING_EQUAL;
  else if (g_strcmp0 (name, "just") == 0)
    *tuning = PT_TUNING_JUST;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_format (const char   *name,
              PtFrameFormat *format)
{
  if (name == NULL || g_strcmp0 (name, "jsonl") == 0 || g_strcmp0 (name, "json") == 0)
    *format = PT_FRAME_FORMAT_JSONL;
  else if (g_strcmp0 (name, "csv") == 0)
    *format = PT_FRAME_FORMAT_CSV;
  else
    return FALSE;
  return TRUE;
}

static GOptionContext *
make_option_context (Options *options)
{
  const GOptionEntry entries[] = {
    { "analyze", 0, 0, G_OPTION_ARG_FILENAME, &options->path,
      N_("Analyse an audio file (WAV, FLAC, Ogg... any channels and rate; - reads standard input)"),
      "FILE" },
    { "hop", 0, 0, G_OPTION_ARG_INT, &options->hop,
      N_("Samples between analysis frames (default 256)"), "N" },
    { "window", 0, 0, G_OPTION_ARG_INT, &options->window,
      N_("Analysis window in samples (default: chosen from --min-freq and the sample rate)"), "N" },
    { "min-freq", 0, 0, G_OPTION_ARG_DOUBLE, &options->min_freq,
      N_("Lowest frequency to detect, in Hz (default 40)"), "HZ" },
    { "max-freq", 0, 0, G_OPTION_ARG_DOUBLE, &options->max_freq,
      N_("Highest frequency to detect, in Hz (default 2200)"), "HZ" },
    { "reference", 0, 0, G_OPTION_ARG_DOUBLE, &options->reference,
      N_("Concert A4 in Hz, 400 to 480 (default 440)"), "HZ" },
    { "tuning", 0, 0, G_OPTION_ARG_STRING, &options->tuning,
      N_("Tuning system: equal or just (default equal)"), "SYSTEM" },
    { "tonic", 0, 0, G_OPTION_ARG_STRING, &options->tonic,
      N_("Tonic of just intonation, such as C, F# or Bb (default C)"), "NOTE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &options->format,
      N_("Output: jsonl (one JSON object a line, the default) or csv"), "FORMAT" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version,
      N_("Print the version and exit"), NULL },
    { NULL }
  };
  GOptionContext *context = g_option_context_new (_("--analyze FILE - print the pitch and level "
                                                    "of each analysis frame"));

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(
    "Prints one JSON object per analysis frame on standard output:\n"
    "  {\"time\":1.2373,\"frequency\":440.02,\"midi\":69.0008,\"note\":\"A4\",\"cents\":0.08,\n"
    "   \"confidence\":0.97,\"voiced\":true,\"rms_dbfs\":-12.3,\"peak_dbfs\":-6.0,"
    "\"level\":\"optimal\"}\n"
    "time is the centre of the analysis window in seconds; frequency, midi, note and cents\n"
    "are null on unvoiced frames; the level fields measure the same window."));
  g_option_context_set_description (context, _(
    "Exit status: 0 done, 1 bad command line, 2 the file cannot be read (missing, empty,\n"
    "truncated or not audio: nothing is printed on standard output then)."));
  g_option_context_add_main_entries (context, entries, NULL);
  return context;
}

/* Parses and checks what needs no file; returns 0 or an exit status. */
static int
parse_options (int             argc,
               char          **argv,
               Options        *options,
               PtNoteSettings *note,
               PtFrameFormat   *format)
{
  g_autoptr(GOptionContext) context = make_option_context (options);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = g_new0 (char *, argc + 1);
  int n_args = argc;

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);

  if (!g_option_context_parse_strv (context, &args, &error))
    return usage_error (error->message);
  n_args = g_strv_length (args);
  if (options->version)
    return -1;
  if (n_args > 1)
    {
      g_autofree char *message = g_strdup_printf (_("unexpected argument '%s'"), args[1]);
      return usage_error (message);
    }
  if (options->path == NULL || *options->path == '\0')
    return usage_error (_("--analyze needs a FILE"));
  if (options->hop < 1 || options->hop > 65536)
    return usage_error (_("--hop must be between 1 and 65536"));
  if (options->window != 0 && (options->window < 32 || options->window > 65536))
    return usage_error (_("--window must be between 32 and 65536"));
  if (options->min_freq < 10.0 || options->min_freq > 20000.0)
    return usage_error (_("--min-freq must be between 10 and 20000 Hz"));
  if (options->max_freq <= options->min_freq || options->max_freq > 100000.0)
    return usage_error (_("--max-freq must be above --min-freq (and at most 100000 Hz)"));
  if (options->reference < PT_NOTE_REFERENCE_MIN_HZ
      || options->reference > PT_NOTE_REFERENCE_MAX_HZ)
    return usage_error (_("--reference must be between 400 and 480 Hz"));
  if (!parse_tuning (options->tuning, &note->tuning))
    return usage_error (_("--tuning must be equal or just"));
  if (options->tonic != NULL)
    {
      int octave;
      gboolean has_octave;

      if (!pt_note_parse_name (options->tonic, &note->tonic, &octave, &has_octave))
        return usage_error (_("--tonic must be a note name such as C, F# or Bb"));
    }
  if (!parse_format (options->format, format))
    return usage_error (_("--format must be jsonl or csv"));
  note->reference_hz = options->reference;
  return 0;
}

static int
analyze (const Options        *options,
         const PtNoteSettings *note,
         PtFrameFormat          format,
         Audio                *audio)
{
  g_autoptr(PtPitchAnalyzer) analyzer = NULL;
  g_autoptr(GOutputStream) stdout_stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  g_autoptr(PtFrameWriter) writer = pt_frame_writer_new (format, pt_frame_default_fields,
                                                         G_N_ELEMENTS (pt_frame_default_fields),
                                                         stdout_stream);
  g_autoptr(GError) error = NULL;
  gboolean progress = isatty (STDERR_FILENO);
  int last_percent = -1;

  if (options->max_freq >= audio->sample_rate / 2.0)
    {
      g_autofree char *message =
        g_strdup_printf (_("--max-freq must be below half the sample rate of %s (%g Hz)"),
                         audio->display_name, audio->sample_rate / 2.0);
      return usage_error (message);
    }

  analyzer = g_object_new (PT_TYPE_PITCH_ANALYZER,
                           "sample-rate", audio->sample_rate,
                           "window-size", (guint) options->window,
                           "hop-size", (guint) options->hop,
                           "min-frequency", options->min_freq,
                           "max-frequency", options->max_freq,
                           "reference", note->reference_hz,
                           "tuning", note->tuning,
                           "tonic", note->tonic,
                           NULL);
  g_signal_connect (analyzer, "frame", G_CALLBACK (on_frame), writer);

  pt_frame_writer_write_header (writer);
  for (gsize done = 0; done < audio->n_samples; )
    {
      gsize n = MIN (PUSH_CHUNK_SAMPLES, audio->n_samples - done);

      pt_pitch_analyzer_push_samples (analyzer, audio->mono + done, n);
      done += n;
      if (progress && (int) (100.0 * done / audio->n_samples) != last_percent)
        {
          last_percent = (int) (100.0 * done / audio->n_samples);
          show_progress (done, audio->n_samples);
        }
    }
  if (progress)
    g_printerr ("\n");
  if (!pt_frame_writer_flush (writer, &error))
    {
      g_printerr (_("pitch-toy: writing the output failed: %s\n"), error->message);
      return 1;
    }
  return 0;
}

/* Runs `pitch-toy --analyze FILE [options]`; argv as main () got it. */
int
pt_analyze_command_main (int    argc,
                         char **argv)
{
  g_auto(Options) options = {
    .min_freq = PT_PITCH_ANALYZER_DEFAULT_MIN_FREQUENCY,
    .max_freq = PT_PITCH_ANALYZER_DEFAULT_MAX_FREQUENCY,
    .hop = PT_PITCH_ANALYZER_DEFAULT_HOP,
    .reference = PT_NOTE_REFERENCE_DEFAULT_HZ,
  };
  Audio audio = { 0 };
  PtNoteSettings note;
  PtFrameFormat format = PT_FRAME_FORMAT_JSONL;
  int status;

  pt_note_settings_init_default (&note);
  status = parse_options (argc, argv, &options, &note, &format);
  if (status == -1)
    {
      g_print ("pitch-toy %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (status != 0)
    return status;

  status = read_audio (options.path, &audio);
  if (status == 0)
    status = analyze (&options, &note, format, &audio);
  g_free (audio.mono);
  return status;
}
