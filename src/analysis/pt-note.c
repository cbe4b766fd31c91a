/* pt-note.c — frequency ↔ MIDI number ↔ note name, in equal temperament or
 * 5-limit just intonation on a tonic, for concert or transposing instruments.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-note"

#include "config.h"

#include <math.h>
#include <string.h>

#include "pt-note.h"

/* Beyond this a note number no longer fits PtNote.name; such frequencies
 * (below 1e-30 Hz or above 1e30 Hz) are not notes anyway. */
#define MAX_ABS_MIDI 9999.0

/* 5-limit just intonation, relative to the equal-tempered tonic. */
static const double just_ratios[12] = {
  1.0, 16.0 / 15.0, 9.0 / 8.0, 6.0 / 5.0, 5.0 / 4.0, 4.0 / 3.0,
  45.0 / 32.0, 3.0 / 2.0, 8.0 / 5.0, 5.0 / 3.0, 9.0 / 5.0, 15.0 / 8.0,
};

static const char * const sharp_names[12] = {
  "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B",
};
static const char * const flat_names[12] = {
  "C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B",
};

G_DEFINE_BOXED_TYPE (PtNote, pt_note, pt_note_copy, pt_note_free)

PtNote *
pt_note_copy (const PtNote *note)
{
  g_return_val_if_fail (note != NULL, NULL);

  return g_memdup2 (note, sizeof *note);
}

void
pt_note_free (PtNote *note)
{
  g_free (note);
}

void
pt_note_settings_init_default (PtNoteSettings *settings)
{
  g_return_if_fail (settings != NULL);

  settings->reference_hz = PT_NOTE_REFERENCE_DEFAULT_HZ;
  settings->tuning = PT_TUNING_EQUAL;
  settings->tonic = 0;
  settings->names = PT_NOTE_NAMES_SHARPS;
  settings->transposition = PT_TRANSPOSITION_C;
}

gboolean
pt_note_settings_is_valid (const PtNoteSettings *settings)
{
  return settings != NULL
         && settings->reference_hz >= PT_NOTE_REFERENCE_MIN_HZ
         && settings->reference_hz <= PT_NOTE_REFERENCE_MAX_HZ
         && settings->tuning <= PT_TUNING_JUST
         && settings->tonic >= 0 && settings->tonic < 12
         && settings->names <= PT_NOTE_NAMES_FLATS
         && settings->transposition <= PT_TRANSPOSITION_F;
}

/* Semitones from the sounding pitch up to the written one. */
int
pt_note_transposition_semitones (PtTransposition transposition)
{
  switch (transposition)
    {
    case PT_TRANSPOSITION_C:
      return 0;
    case PT_TRANSPOSITION_B_FLAT:
      return 2;   /* a major second */
    case PT_TRANSPOSITION_E_FLAT:
      return 9;   /* a major sixth (alto saxophone) */
    case PT_TRANSPOSITION_F:
      return 7;   /* a perfect fifth (horn in F) */
    default:
      g_return_val_if_reached (0);
    }
}

static int
positive_mod12 (int n)
{
  int r = n % 12;

  return r < 0 ? r + 12 : r;
}

/* Position of note @n of the tuning system on the (fractional) MIDI scale. */
static double
note_position (int                   n,
               const PtNoteSettings *settings)
{
  int degree;

  if (settings->tuning == PT_TUNING_EQUAL)
    return n;

  degree = positive_mod12 (n - settings->tonic);
  return (double) (n - degree) + 12.0 * log2 (just_ratios[degree]);
}

static int
nearest_note (double                midi,
              const PtNoteSettings *settings)
{
  int base = (int) floor (midi);
  int best = base;
  double best_distance = G_MAXDOUBLE;

  if (settings->tuning == PT_TUNING_EQUAL)
    return (int) floor (midi + 0.5);

  /* Just steps are 0.7…1.35 semitones wide: the nearest lies within ±2. */
  for (int n = base - 2; n <= base + 2; n++)
    {
      double distance = fabs (midi - note_position (n, settings));

      if (distance < best_distance)
        {
          best_distance = distance;
          best = n;
        }
    }
  return best;
}

const char *
pt_note_pitch_class_name (int         pitch_class,
                          PtNoteNames names)
{
  g_return_val_if_fail (pitch_class >= 0 && pitch_class < 12, "?");

  return names == PT_NOTE_NAMES_FLATS ? flat_names[pitch_class] : sharp_names[pitch_class];
}

/* "%s%d" without printf, which costs more than the rest of a note's mapping
 * and runs on every voiced frame; MAX_ABS_MIDI keeps the octave to 3 digits. */
static void
format_name (char       *name,
             const char *pitch_class,
             int         octave)
{
  char digits[4];
  guint n_digits = 0;
  guint magnitude = (guint) ABS (octave);

  while (*pitch_class != '\0')
    *name++ = *pitch_class++;
  if (octave < 0)
    *name++ = '-';
  do
    {
      digits[n_digits++] = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude > 0 && n_digits < G_N_ELEMENTS (digits));
  while (n_digits > 0)
    *name++ = digits[--n_digits];
  *name = '\0';
}

/* Fills @out and returns TRUE, or returns FALSE for a frequency that is not
 * positive and finite (or absurdly far outside hearing). */
gboolean
pt_note_from_frequency (double                frequency,
                        const PtNoteSettings *settings,
                        PtNote               *out)
{
  double midi;
  int n;

  g_return_val_if_fail (pt_note_settings_is_valid (settings), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!(frequency > 0.0) || !isfinite (frequency))
    return FALSE;

  midi = 69.0 + 12.0 * log2 (frequency / settings->reference_hz)
         + pt_note_transposition_semitones (settings->transposition);
  if (fabs (midi) > MAX_ABS_MIDI)
    return FALSE;

  n = nearest_note (midi, settings);
  /* Padding too, so notes compare with memcmp (). */
  memset (out, 0, sizeof *out);
  out->frequency = frequency;
  out->midi = midi;
  out->nearest_midi = n;
  out->pitch_class = positive_mod12 (n);
  out->octave = (n - out->pitch_class) / 12 - 1;
  out->cents = 100.0 * (midi - note_position (n, settings));
  format_name (out->name, pt_note_pitch_class_name (out->pitch_class, settings->names),
               out->octave);
  return TRUE;
}

/* The inverse of PtNote.midi: the sounding frequency of a (written,
 * fractional) MIDI number, whatever the tuning system. */
double
pt_note_frequency_from_midi (double                midi,
                             const PtNoteSettings *settings)
{
  g_return_val_if_fail (pt_note_settings_is_valid (settings), 0.0);

  midi -= pt_note_transposition_semitones (settings->transposition);
  return settings->reference_hz * exp2 ((midi - 69.0) / 12.0);
}

/* The sounding frequency of note @note_midi of the tuning system: for
 * PT_TUNING_JUST, the just interval above the equal-tempered tonic. */
double
pt_note_frequency_of_note (int                   note_midi,
                           const PtNoteSettings *settings)
{
  g_return_val_if_fail (pt_note_settings_is_valid (settings), 0.0);

  return pt_note_frequency_from_midi (note_position (note_midi, settings), settings);
}

/* Parses "C", "F#", "Bb", "e♭", "C#4", "Bb-1" (for --tonic and tests).
 * @octave and @has_octave may be NULL. */
gboolean
pt_note_parse_name (const char *name,
                    int        *pitch_class,
                    int        *octave,
                    gboolean   *has_octave)
{
  static const int letter_classes[7] = { 9, 11, 0, 2, 4, 5, 7 };  /* A…G */
  const char *p;
  int pc;
  gboolean got_octave = FALSE;
  gint64 value = 0;

  g_return_val_if_fail (name != NULL, FALSE);

  p = name;
  while (g_ascii_isspace (*p))
    p++;
  if (g_ascii_toupper (*p) < 'A' || g_ascii_toupper (*p) > 'G')
    return FALSE;
  pc = letter_classes[g_ascii_toupper (*p) - 'A'];
  p++;

  for (;;)
    {
      if (*p == '#')
        pc++, p++;
      else if (*p == 'b')
        pc--, p++;
      else if (g_str_has_prefix (p, "♯"))
        pc++, p += strlen ("♯");
      else if (g_str_has_prefix (p, "♭"))
        pc--, p += strlen ("♭");
      else
        break;
    }

  if (*p == '-' || g_ascii_isdigit (*p))
    {
      char *end = NULL;

      value = g_ascii_strtoll (p, &end, 10);
      if (end == p || value < -100 || value > 100)
        return FALSE;
      p = end;
      got_octave = TRUE;
    }
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0')
    return FALSE;

  if (pitch_class != NULL)
    *pitch_class = positive_mod12 (pc);
  if (octave != NULL)
    *octave = got_octave ? (int) value : 4;
  if (has_octave != NULL)
    *has_octave = got_octave;
  return TRUE;
}

/* "B♭3", "C♯4": the name with proper accidentals, for display. */
char *
pt_note_dup_display_name (const PtNote *note)
{
  GString *s;

  g_return_val_if_fail (note != NULL, NULL);

  s = g_string_new (NULL);
  g_string_append_c (s, note->name[0]);
  if (note->name[0] != '\0' && note->name[1] == '#')
    g_string_append (s, "♯");
  else if (note->name[0] != '\0' && note->name[1] == 'b')
    g_string_append (s, "♭");
  else if (note->name[0] != '\0')
    g_string_append_c (s, note->name[1]);
  if (note->name[0] != '\0' && note->name[1] != '\0')
    g_string_append (s, note->name + 2);
  return g_string_free (s, FALSE);
}
