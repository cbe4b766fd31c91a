/* test-note.c — frequency ↔ note mapping: references from 415 to 466 Hz,
 * flats, transposing instruments, just intonation, exact round trips.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "pt-note.h"

typedef struct
{
  const char      *label;
  double           reference;
  PtTuningSystem   tuning;
  int              tonic;
  PtNoteNames      names;
  PtTransposition  transposition;
  double           frequency;
  const char      *name;
  int              nearest_midi;
  double           cents;
} MappingCase;

static const MappingCase mapping_cases[] = {
  { "a440", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    440.0, "A4", 69, 0.0 },
  { "middle-c", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    261.6256, "C4", 60, 0.0 },
  { "e1", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    41.2034, "E1", 28, 0.0 },
  { "c7", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    2093.005, "C7", 96, 0.0 },
  { "negative-cents", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    435.0, "A4", 69, -19.7857 },
  { "positive-cents", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    445.0, "A4", 69, 19.5623 },
  { "just-under-half", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    452.0, "A4", 69, 46.5827 },
  { "just-over-half", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    453.5, "A#4", 70, -47.6818 },
  { "baroque-415", 415, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    415.0, "A4", 69, 0.0 },
  { "440-at-415", 415, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    440.0, "A#4", 70, 1.2706 },
  { "verdi-432", 432, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    432.0, "A4", 69, 0.0 },
  { "440-at-432", 432, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    440.0, "A4", 69, 31.7667 },
  { "orchestra-442", 442, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    442.0, "A4", 69, 0.0 },
  { "440-at-442", 442, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    440.0, "A4", 69, -7.8514 },
  { "c-at-442", 442, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    262.8149, "C4", 60, 0.0 },
  { "high-466", 466, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    466.0, "A4", 69, 0.0 },
  { "440-at-466", 466, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    440.0, "G#4", 68, 0.6083 },
  { "440-at-466-flats", 466, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_FLATS, PT_TRANSPOSITION_C,
    440.0, "Ab4", 68, 0.6083 },
  { "flat-b", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_FLATS, PT_TRANSPOSITION_C,
    466.1638, "Bb4", 70, 0.0 },
  { "flat-e", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_FLATS, PT_TRANSPOSITION_C,
    155.5635, "Eb3", 51, 0.0 },
  { "sharp-e", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    155.5635, "D#3", 51, 0.0 },
  { "flats-naturals", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_FLATS, PT_TRANSPOSITION_C,
    440.0, "A4", 69, 0.0 },
  { "b-flat-instrument", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_B_FLAT,
    440.0, "B4", 71, 0.0 },
  { "b-flat-concert-b-flat", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_FLATS, PT_TRANSPOSITION_B_FLAT,
    233.0819, "C4", 60, 0.0 },
  { "e-flat-instrument", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_E_FLAT,
    440.0, "F#5", 78, 0.0 },
  { "e-flat-flats", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_FLATS, PT_TRANSPOSITION_E_FLAT,
    440.0, "Gb5", 78, 0.0 },
  { "f-instrument", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_F,
    440.0, "E5", 76, 0.0 },
  { "f-instrument-cents", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_F,
    435.0, "E5", 76, -19.7857 },
  { "below-piano", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    8.0, "C-1", 0, -37.6317 },
  { "far-below-piano", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    1.0, "C-4", -36, -37.6317 },
  { "above-piano", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    20000.0, "D#10", 135, 7.6232 },
  /* 5-limit just intonation: the major third of C is 5/4, 13.7 cents
   * under the equal-tempered one. */
  { "just-third-of-c", 440, PT_TUNING_JUST, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    327.0320, "E4", 64, 0.0 },
  { "equal-third-in-just", 440, PT_TUNING_JUST, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    329.6276, "E4", 64, 13.6863 },
  { "just-third-in-equal", 440, PT_TUNING_EQUAL, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    327.0320, "E4", 64, -13.6863 },
  { "just-fifth-of-c", 440, PT_TUNING_JUST, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    392.4383, "G4", 67, 0.0 },
  { "just-tonic-a", 440, PT_TUNING_JUST, 9, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    550.0, "C#5", 73, 0.0 },
  { "just-tonic-a-minor-third", 440, PT_TUNING_JUST, 9, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    528.0, "C5", 72, 0.0 },
  { "just-tritone", 440, PT_TUNING_JUST, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    367.9110, "F#4", 66, 0.0 },
  { "just-tonic-equal-a", 440, PT_TUNING_JUST, 9, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    440.0, "A4", 69, 0.0 },
  { "just-seventh-flats", 440, PT_TUNING_JUST, 0, PT_NOTE_NAMES_FLATS, PT_TRANSPOSITION_C,
    470.9260, "Bb4", 70, 0.0 },
  { "just-below-tonic", 440, PT_TUNING_JUST, 0, PT_NOTE_NAMES_SHARPS, PT_TRANSPOSITION_C,
    245.2740, "B3", 59, 0.0 },
};

static void
settings_for_case (const MappingCase *c,
                   PtNoteSettings    *settings)
{
  pt_note_settings_init_default (settings);
  settings->reference_hz = c->reference;
  settings->tuning = c->tuning;
  settings->tonic = c->tonic;
  settings->names = c->names;
  settings->transposition = c->transposition;
}

static void
test_mapping (gconstpointer data)
{
  const MappingCase *c = data;
  PtNoteSettings settings;
  PtNote note;

  settings_for_case (c, &settings);
  g_assert_true (pt_note_from_frequency (c->frequency, &settings, &note));
  g_assert_cmpstr (note.name, ==, c->name);
  g_assert_cmpint (note.nearest_midi, ==, c->nearest_midi);
  g_assert_cmpfloat_with_epsilon (note.cents, c->cents, 0.01);
  g_assert_cmpfloat (note.frequency, ==, c->frequency);
  g_assert_cmpint (note.pitch_class, ==, ((c->nearest_midi % 12) + 12) % 12);
  g_assert_cmpfloat_with_epsilon (pt_note_frequency_from_midi (note.midi, &settings),
                                  c->frequency, c->frequency * 1e-12);
}

static void
test_defaults (void)
{
  PtNoteSettings settings;

  pt_note_settings_init_default (&settings);
  g_assert_cmpfloat (settings.reference_hz, ==, 440.0);
  g_assert_cmpint (settings.tuning, ==, PT_TUNING_EQUAL);
  g_assert_cmpint (settings.tonic, ==, 0);
  g_assert_cmpint (settings.names, ==, PT_NOTE_NAMES_SHARPS);
  g_assert_cmpint (settings.transposition, ==, PT_TRANSPOSITION_C);
  g_assert_true (pt_note_settings_is_valid (&settings));

  settings.reference_hz = 399.0;
  g_assert_false (pt_note_settings_is_valid (&settings));
  settings.reference_hz = 481.0;
  g_assert_false (pt_note_settings_is_valid (&settings));
  settings.reference_hz = 480.0;
  g_assert_true (pt_note_settings_is_valid (&settings));
  settings.tonic = 12;
  g_assert_false (pt_note_settings_is_valid (&settings));
}

static void
test_not_a_frequency (void)
{
  const double bad[] = { 0.0, -440.0, NAN, INFINITY, -INFINITY, 1e-300, 1e300 };
  PtNoteSettings settings;
  PtNote note;

  pt_note_settings_init_default (&settings);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (pt_note_from_frequency (bad[i], &settings, &note));
}

/* Every note of both tuning systems, at every reference and transposition,
 * maps back to itself with no cents off, and .midi back to the frequency. */
static void
test_round_trips (void)
{
  const double references[] = { 400.0, 415.0, 432.0, 440.0, 442.0, 466.0, 480.0 };

  for (guint r = 0; r < G_N_ELEMENTS (references); r++)
    for (int tuning = PT_TUNING_EQUAL; tuning <= PT_TUNING_JUST; tuning++)
      for (int transposition = PT_TRANSPOSITION_C; transposition <= PT_TRANSPOSITION_F;
           transposition++)
        for (int tonic = 0; tonic < 12; tonic += (tuning == PT_TUNING_JUST ? 1 : 12))
          for (int n = -24; n <= 150; n++)
            {
              PtNoteSettings settings;
              PtNote note, again;
              double f;

              pt_note_settings_init_default (&settings);
              settings.reference_hz = references[r];
              settings.tuning = tuning;
              settings.tonic = tonic;
              settings.transposition = transposition;

              f = pt_note_frequency_of_note (n, &settings);
              g_assert_true (pt_note_from_frequency (f, &settings, &note));
              g_assert_cmpint (note.nearest_midi, ==, n);
              g_assert_cmpfloat (fabs (note.cents), <, 1e-9);
              g_assert_cmpint (note.octave * 12 + 12 + note.pitch_class, ==, n);
              g_assert_cmpfloat (fabs (pt_note_frequency_from_midi (note.midi, &settings) - f),
                                 <=, f * 1e-13);

              /* Off by ±30 cents it is still the same note (the narrowest
               * just step, 6/5 to 5/4, is 70.7 cents). */
              g_assert_true (pt_note_from_frequency (f * exp2 (0.3 / 12.0), &settings, &again));
              g_assert_cmpint (again.nearest_midi, ==, n);
              g_assert_cmpfloat_with_epsilon (again.cents, 30.0, 1e-6);
              g_assert_true (pt_note_from_frequency (f * exp2 (-0.3 / 12.0), &settings, &again));
              g_assert_cmpint (again.nearest_midi, ==, n);
              g_assert_cmpfloat_with_epsilon (again.cents, -30.0, 1e-6);
            }
}

/* Equal temperament: the cents never leave ±50 on a dense sweep. */
static void
test_cents_range (void)
{
  PtNoteSettings settings;

  pt_note_settings_init_default (&settings);
  for (double f = 20.0; f < 20000.0; f *= 1.0007)
    {
      PtNote note;

      g_assert_true (pt_note_from_frequency (f, &settings, &note));
      g_assert_cmpfloat (note.cents, >=, -50.0 - 1e-9);
      g_assert_cmpfloat (note.cents, <=, 50.0 + 1e-9);
      g_assert_cmpfloat_with_epsilon (note.midi, note.nearest_midi + note.cents / 100.0, 1e-9);
    }
}

typedef struct
{
  const char *text;
  gboolean    ok;
  int         pitch_class;
  int         octave;
  gboolean    has_octave;
} ParseCase;

static const ParseCase parse_cases[] = {
  { "C", TRUE, 0, 4, FALSE },
  { "c", TRUE, 0, 4, FALSE },
  { "F#", TRUE, 6, 4, FALSE },
  { "Bb", TRUE, 10, 4, FALSE },
  { "E♭", TRUE, 3, 4, FALSE },
  { "G♯", TRUE, 8, 4, FALSE },
  { "Cb", TRUE, 11, 4, FALSE },
  { "B#", TRUE, 0, 4, FALSE },
  { "A4", TRUE, 9, 4, TRUE },
  { "Bb-1", TRUE, 10, -1, TRUE },
  { "C#10", TRUE, 1, 10, TRUE },
  { " D ", TRUE, 2, 4, FALSE },
  { "", FALSE, 0, 0, FALSE },
  { "H", FALSE, 0, 0, FALSE },
  { "C#x", FALSE, 0, 0, FALSE },
  { "#", FALSE, 0, 0, FALSE },
  { "A4 5", FALSE, 0, 0, FALSE },
};

static void
test_parse (gconstpointer data)
{
  const ParseCase *c = data;
  int pitch_class = -1, octave = -100;
  gboolean has_octave = -1;

  g_assert_cmpint (pt_note_parse_name (c->text, &pitch_class, &octave, &has_octave), ==, c->ok);
  if (!c->ok)
    return;
  g_assert_cmpint (pitch_class, ==, c->pitch_class);
  g_assert_cmpint (octave, ==, c->octave);
  g_assert_cmpint (has_octave, ==, c->has_octave);
  g_assert_true (pt_note_parse_name (c->text, &pitch_class, NULL, NULL));
}

static void
test_display_name (void)
{
  PtNoteSettings settings;
  PtNote note;
  g_autofree char *flat = NULL;
  g_autofree char *sharp = NULL;
  g_autofree char *natural = NULL;
  g_autofree char *low = NULL;

  pt_note_settings_init_default (&settings);
  settings.names = PT_NOTE_NAMES_FLATS;
  g_assert_true (pt_note_from_frequency (233.0819, &settings, &note));
  flat = pt_note_dup_display_name (&note);
  g_assert_cmpstr (flat, ==, "B♭3");

  settings.names = PT_NOTE_NAMES_SHARPS;
  g_assert_true (pt_note_from_frequency (277.1826, &settings, &note));
  sharp = pt_note_dup_display_name (&note);
  g_assert_cmpstr (sharp, ==, "C♯4");

  g_assert_true (pt_note_from_frequency (440.0, &settings, &note));
  natural = pt_note_dup_display_name (&note);
  g_assert_cmpstr (natural, ==, "A4");

  g_assert_true (pt_note_from_frequency (8.0, &settings, &note));
  low = pt_note_dup_display_name (&note);
  g_assert_cmpstr (low, ==, "C-1");
}

static void
test_boxed (void)
{
  PtNoteSettings settings;
  PtNote note;
  g_autoptr(PtNote) copy = NULL;
  g_auto(GValue) value = G_VALUE_INIT;

  pt_note_settings_init_default (&settings);
  g_assert_true (pt_note_from_frequency (440.0, &settings, &note));
  copy = pt_note_copy (&note);
  g_assert_cmpmem (copy, sizeof *copy, &note, sizeof note);

  g_value_init (&value, PT_TYPE_NOTE);
  g_value_set_boxed (&value, &note);
  g_assert_cmpstr (((const PtNote *) g_value_get_boxed (&value))->name, ==, "A4");
  g_assert_true (G_TYPE_IS_BOXED (PT_TYPE_NOTE));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (mapping_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pitch-toy/note/mapping/%s",
                                               mapping_cases[i].label);

      g_test_add_data_func (path, &mapping_cases[i], test_mapping);
    }
  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pitch-toy/note/parse/%u", i);

      g_test_add_data_func (path, &parse_cases[i], test_parse);
    }
  g_test_add_func ("/pitch-toy/note/defaults", test_defaults);
  g_test_add_func ("/pitch-toy/note/not-a-frequency", test_not_a_frequency);
  g_test_add_func ("/pitch-toy/note/round-trips", test_round_trips);
  g_test_add_func ("/pitch-toy/note/cents-range", test_cents_range);
  g_test_add_func ("/pitch-toy/note/display-name", test_display_name);
  g_test_add_func ("/pitch-toy/note/boxed", test_boxed);

  return g_test_run ();
}
