/* pt-note.h — frequency ↔ MIDI number ↔ note name and octave, cents off the
 * nearest note of a tuning system (equal temperament or 5-limit just
 * intonation on a tonic), for concert or transposing instruments.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  PT_TUNING_EQUAL,
  PT_TUNING_JUST,
} PtTuningSystem;

typedef enum
{
  PT_NOTE_NAMES_SHARPS,
  PT_NOTE_NAMES_FLATS,
} PtNoteNames;

/* The instrument's key: its written note sounds this much lower (a B♭
 * clarinet's written C sounds B♭, so concert A4 reads B4 on it). */
typedef enum
{
  PT_TRANSPOSITION_C,       /*< nick=in-c >*/
  PT_TRANSPOSITION_B_FLAT,  /*< nick=in-b-flat >*/
  PT_TRANSPOSITION_E_FLAT,  /*< nick=in-e-flat >*/
  PT_TRANSPOSITION_F,       /*< nick=in-f >*/
} PtTransposition;

#define PT_NOTE_REFERENCE_MIN_HZ 400.0
#define PT_NOTE_REFERENCE_MAX_HZ 480.0
#define PT_NOTE_REFERENCE_DEFAULT_HZ 440.0

typedef struct
{
  double          reference_hz;   /* concert A4, 400…480 */
  PtTuningSystem  tuning;
  int             tonic;          /* the just scale's tonic (written), 0 = C … 11 = B */
  PtNoteNames     names;
  PtTransposition transposition;
} PtNoteSettings;

/* One frequency seen as a note. @frequency is the sounding (concert)
 * frequency; every other field is in the written pitch of the chosen
 * transposition, so pt_note_frequency_from_midi (note.midi) == frequency. */
typedef struct
{
  double frequency;
  double midi;          /* fractional MIDI number: 69 + 12 log2 (f / A4), transposed */
  int    nearest_midi;  /* the nearest note of the tuning system */
  int    octave;        /* scientific pitch notation: MIDI 60 is C4 */
  int    pitch_class;   /* 0 = C … 11 = B */
  double cents;         /* off the nearest note of the tuning system, -50…+50 or so */
  char   name[8];       /* ASCII: "A4", "C#-1", "Bb3" */
} PtNote;

#define PT_TYPE_NOTE (pt_note_get_type ())

GType    pt_note_get_type              (void) G_GNUC_CONST;
PtNote  *pt_note_copy                  (const PtNote         *note);
void     pt_note_free                  (PtNote               *note);

void     pt_note_settings_init_default (PtNoteSettings       *settings);
gboolean pt_note_settings_is_valid     (const PtNoteSettings *settings);

gboolean pt_note_from_frequency        (double                frequency,
                                        const PtNoteSettings *settings,
                                        PtNote               *out);
double   pt_note_frequency_from_midi   (double                midi,
                                        const PtNoteSettings *settings);
double   pt_note_frequency_of_note     (int                   note_midi,
                                        const PtNoteSettings *settings);
int      pt_note_transposition_semitones (PtTransposition     transposition);

gboolean pt_note_parse_name            (const char           *name,
                                        int                  *pitch_class,
                                        int                  *octave,
                                        gboolean             *has_octave);
const char *pt_note_pitch_class_name   (int                   pitch_class,
                                        PtNoteNames           names);
char    *pt_note_dup_display_name      (const PtNote         *note);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtNote, pt_note_free)

G_END_DECLS
