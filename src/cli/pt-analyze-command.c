/* pt-analyze-command.c — `pitch-toy --analyze FILE|DIR...`: the command
 * line of the analysis mode. It reads and checks the options (everything
 * that needs no file), expands the inputs and hands them to the runner.
 *
 * The frames are those the live analyser reports for the same audio: the
 * samples, averaged to mono, go through PtPitchAnalyzer block by block as
 * live batches would, so a frame's rms_dbfs and peak_dbfs are the
 * analyser's own measurement of its window (centre ± window / 2, DC
 * removed, the silence before the stream counted as zeros, as live).
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-analyze-command"

#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "pt-analysis-enum-types.h"
#include "pt-analysis-runner.h"
#include "pt-analyze-command.h"
#include "pt-input-list.h"

#define JOBS_MAX 1024

typedef struct
{
  char     *path;
  int       hop;
  int       window;
  char     *min_freq;
  char     *max_freq;
  char     *reference;
  char     *tuning;
  char     *tonic;
  char     *format;
  char     *fields;
  char     *output_dir;
  int       jobs;
  gboolean  force;
  gboolean  quiet;
  gboolean  version;
} Options;

static void
options_clear (Options *options)
{
  g_clear_pointer (&options->path, g_free);
  g_clear_pointer (&options->min_freq, g_free);
  g_clear_pointer (&options->max_freq, g_free);
  g_clear_pointer (&options->reference, g_free);
  g_clear_pointer (&options->tuning, g_free);
  g_clear_pointer (&options->tonic, g_free);
  g_clear_pointer (&options->format, g_free);
  g_clear_pointer (&options->fields, g_free);
  g_clear_pointer (&options->output_dir, g_free);
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
parse_format (const char    *name,
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

/* @text as a number of Hz from @lowest to @highest; NULL keeps @value.
 * Strict: "nan", "inf", "440Hz" and "" are refused. */
static gboolean
parse_hz (const char *text,
          double      lowest,
          double      highest,
          double     *value)
{
  char *end;
  double parsed;

  if (text == NULL)
    return TRUE;
  parsed = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !(parsed >= lowest && parsed <= highest))
    return FALSE;
  *value = parsed;
  return TRUE;
}

static GOptionContext *
make_option_context (Options *options)
{
  const GOptionEntry entries[] = {
    { "analyze", 0, 0, G_OPTION_ARG_FILENAME, &options->path,
      N_("Analyse audio files (WAV, FLAC, Ogg... any channels and rate; - reads standard "
         "input); more files and directories may follow"), "FILE" },
    { "hop", 0, 0, G_OPTION_ARG_INT, &options->hop,
      N_("Samples between analysis frames (default 256)"), "N" },
    { "window", 0, 0, G_OPTION_ARG_INT, &options->window,
      N_("Analysis window in samples (default: chosen from --min-freq and the sample rate)"),
      "N" },
    { "min-freq", 0, 0, G_OPTION_ARG_STRING, &options->min_freq,
      N_("Lowest frequency to detect, 10 to 20000 Hz (default 40)"), "HZ" },
    { "max-freq", 0, 0, G_OPTION_ARG_STRING, &options->max_freq,
      /* xgettext:no-c-format */
      N_("Highest frequency to detect, 20 to 100000 Hz, below half the sample rate "
         "(default 2200, or 90% of half a lower rate)"), "HZ" },
    { "reference", 0, 0, G_OPTION_ARG_STRING, &options->reference,
      N_("Concert A4 in Hz, 400 to 480 (default 440)"), "HZ" },
    { "tuning", 0, 0, G_OPTION_ARG_STRING, &options->tuning,
      N_("Tuning system: equal or just (default equal)"), "SYSTEM" },
    { "tonic", 0, 0, G_OPTION_ARG_STRING, &options->tonic,
      N_("Tonic of just intonation, such as C, F# or Bb (default C)"), "NOTE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &options->format,
      N_("Output: jsonl (one JSON object a line, the default) or csv"), "FORMAT" },
    { "fields", 0, 0, G_OPTION_ARG_STRING, &options->fields,
      N_("Comma list of the fields to print, in that order (default: all but file)"), "LIST" },
    { "output-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->output_dir,
      N_("Write one .jsonl or .csv per input under DIR, at its path below its argument"),
      "DIR" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &options->force,
      N_("Overwrite existing files in the --output-dir"), NULL },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &options->jobs,
      N_("Files analysed at once (default: one per core)"), "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &options->quiet,
      N_("No progress line (drawn when standard error is a terminal and the frames do not "
         "go there)"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version,
      N_("Print the version and exit"), NULL },
    { NULL }
  };
  GOptionContext *context = g_option_context_new (_("--analyze FILE|DIR... - print the pitch "
                                                    "and level of each analysis frame"));

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(
    "Prints one JSON object per analysis frame on standard output:\n"
    "  {\"time\":1.2373,\"frequency\":440.02,\"midi\":69.0008,\"note\":\"A4\",\"cents\":0.08,\n"
    "   \"confidence\":0.97,\"voiced\":true,\"rms_dbfs\":-12.3,\"peak_dbfs\":-6.0,"
    "\"level\":\"optimal\"}\n"
    "time is the centre of the analysis window in seconds; frequency, midi, note and cents\n"
    "are null on unvoiced frames; the level fields measure the same window. With several\n"
    "inputs each line starts with \"file\". Fields: file, time, frequency, midi, note,\n"
    "cents, confidence, voiced, rms_dbfs, peak_dbfs, level. Directories are walked in\n"
    "name order for every file that holds audio, hidden files skipped."));
  g_option_context_set_description (context, _(
    "Exit status: 0 done; 1 bad command line, or options a file's sample rate cannot take;\n"
    "2 an input could not be analysed (missing, empty, truncated, not audio: the others\n"
    "are still done); 3 the output could not be written. 3 wins over 2, 2 over 1.\n"
    "See pitch-toy(1)."));
  g_option_context_add_main_entries (context, entries, NULL);
  return context;
}

/* The numbers and names of @options into @run; 0 or an exit status. */
static int
check_analysis_options (const Options *options,
                        PtAnalysisRun *run)
{
  PtAnalysisSettings *settings = &run->settings;

  if (options->hop < 1 || options->hop > 65536)
    return usage_error (_("--hop must be between 1 and 65536"));
  if (options->window != 0 && (options->window < 32 || options->window > 65536))
    return usage_error (_("--window must be between 32 and 65536"));
  if (!parse_hz (options->min_freq, 10.0, 20000.0, &settings->min_frequency))
    return usage_error (_("--min-freq must be a number from 10 to 20000 (Hz)"));
  if (!parse_hz (options->max_freq, 20.0, 100000.0, &settings->max_frequency))
    return usage_error (_("--max-freq must be a number from 20 to 100000 (Hz)"));
  if (options->max_freq != NULL && settings->max_frequency <= settings->min_frequency)
    return usage_error (_("--max-freq must be above --min-freq"));
  if (options->max_freq == NULL
      && settings->min_frequency >= PT_PITCH_ANALYZER_DEFAULT_MAX_FREQUENCY)
    return usage_error (_("--min-freq is above the default --max-freq (2200 Hz): "
                          "give --max-freq too"));
  if (!parse_hz (options->reference, PT_NOTE_REFERENCE_MIN_HZ, PT_NOTE_REFERENCE_MAX_HZ,
                 &settings->note.reference_hz))
    return usage_error (_("--reference must be a number from 400 to 480 (Hz)"));
  if (!parse_tuning (options->tuning, &settings->note.tuning))
    return usage_error (_("--tuning must be equal or just"));
  if (options->tonic != NULL)
    {
      int octave;
      gboolean has_octave;

      if (!pt_note_parse_name (options->tonic, &settings->note.tonic, &octave, &has_octave))
        return usage_error (_("--tonic must be a note name such as C, F# or Bb"));
    }
  settings->hop = options->hop;
  settings->window = options->window;
  return 0;
}

/* How and where to write; 0 or an exit status. */
static int
check_output_options (const Options  *options,
                      GStrv           inputs,
                      PtAnalysisRun  *run)
{
  g_autoptr(GError) error = NULL;

  if (!parse_format (options->format, &run->format))
    return usage_error (_("--format must be jsonl or csv"));
  if (options->fields != NULL
      && !pt_frame_fields_parse (options->fields, run->fields, &run->n_fields, &error))
    return usage_error (error->message);
  if (options->jobs < 0 || options->jobs > JOBS_MAX)
    return usage_error (_("--jobs must be between 1 and 1024"));
  if (options->output_dir != NULL && *options->output_dir == '\0')
    return usage_error (_("--output-dir needs a directory"));
  if (options->output_dir != NULL && g_strv_contains ((const char * const *) inputs, "-"))
    return usage_error (_("standard input cannot be analysed into an --output-dir"));
  run->output_dir = options->output_dir;
  run->force = options->force;
  run->jobs = options->jobs > 0 ? (guint) options->jobs : g_get_num_processors ();
  /* Not over frames printed on the same terminal: the lines would be torn. */
  run->progress = !options->quiet && isatty (STDERR_FILENO)
                  && (run->output_dir != NULL || !isatty (STDOUT_FILENO));
  return 0;
}

/* With --output-dir, two inputs must not write the same file. */
static int
check_outputs_distinct (GPtrArray *inputs)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < inputs->len; i++)
    {
      const PtInput *input = inputs->pdata[i];

      if (input->failure == NULL && !g_hash_table_add (seen, input->relative_path))
        {
          g_autofree char *message =
            g_strdup_printf (_("two inputs would write the same file in --output-dir (%s)"),
                             input->relative_path);
          return usage_error (message);
        }
    }
  return 0;
}

/* Parses argv into @options and @inputs (the FILE of --analyze, then the
 * arguments left); 0, -1 for --version, or an exit status. */
static int
parse_command_line (int       argc,
                    char    **argv,
                    Options  *options,
                    GStrv    *inputs)
{
  g_autoptr(GOptionContext) context = make_option_context (options);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = g_new0 (char *, argc + 1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  if (!g_option_context_parse_strv (context, &args, &error))
    return usage_error (error->message);
  if (options->version)
    return -1;
  if (options->path == NULL || *options->path == '\0')
    return usage_error (_("--analyze needs a FILE"));
  g_strv_builder_add (builder, options->path);
  for (guint i = 1; args[i] != NULL; i++)
    g_strv_builder_add (builder, args[i]);
  *inputs = g_strv_builder_end (builder);
  return 0;
}

/* Runs `pitch-toy --analyze FILE|DIR... [options]`; argv as main () got it. */
int
pt_analyze_command_main (int    argc,
                         char **argv)
{
  g_auto(Options) options = { .hop = PT_PITCH_ANALYZER_DEFAULT_HOP };
  PtAnalysisRun run = {
    .settings.min_frequency = PT_PITCH_ANALYZER_DEFAULT_MIN_FREQUENCY,
    .n_fields = G_N_ELEMENTS (pt_frame_default_fields),
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(GPtrArray) inputs = NULL;
  int status;

  /* A reader that goes away is a write error (exit 3), not a signal. */
  signal (SIGPIPE, SIG_IGN);
  memcpy (run.fields, pt_frame_default_fields, sizeof pt_frame_default_fields);
  pt_note_settings_init_default (&run.settings.note);

  status = parse_command_line (argc, argv, &options, &args);
  if (status == -1)
    {
      g_print ("pitch-toy %s\n", PACKAGE_VERSION);
      return PT_ANALYZE_EXIT_OK;
    }
  if (status == 0)
    status = check_analysis_options (&options, &run);
  if (status == 0)
    status = check_output_options (&options, args, &run);
  if (status != 0)
    return status;

  inputs = pt_input_list_expand ((const char * const *) args);
  if (run.output_dir != NULL && (status = check_outputs_distinct (inputs)) != 0)
    return status;
  return pt_analysis_runner_run (&run, inputs);
}
