/* pt-note-view.h — the note, large: name with accidental and octave, its
 * frequency and cents, and the reference and tuning system it is read in.
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pt-tuner-model.h"

G_BEGIN_DECLS

#define PT_TYPE_NOTE_VIEW (pt_note_view_get_type ())
G_DECLARE_FINAL_TYPE (PtNoteView, pt_note_view, PT, NOTE_VIEW, AdwBin)

PtTunerModel *pt_note_view_get_model      (PtNoteView   *self);
void          pt_note_view_set_model      (PtNoteView   *self,
                                           PtTunerModel *model);
const char   *pt_note_view_get_note_text  (PtNoteView   *self);
const char   *pt_note_view_get_cents_text (PtNoteView   *self);

G_END_DECLS
