/* pt-batcher.c — frames in, AudioDataBatch envelopes out.
 *
 * Frames arrive in any count (128-frame chunks, or whatever quantum the server
 * chose) and are copied into the current pooled buffer up to the batch size;
 * what does not fit starts the next buffer, so no frame is lost or repeated.
 * While copying, non-finite samples become 0 and samples at or beyond full
 * scale are clamped to ±1, both counted in the batch that holds them. When the
 * pool has no buffer, the rest of that push is dropped and counted: sequence
 * numbers stay contiguous, the drop shows in dropped_frames and in the jump of
 * first_frame. A partial batch leaves once it is effective_timeout_ms old,
 * which is never shorter than the batch's own duration plus one quantum (or it
 * could never fill).
 *
 * Copyright 2026 The Pitch Toy developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pt-batcher"

#include "config.h"

#include <math.h>
#include <string.h>

#include "pt-batcher.h"

static void
update_effective_timeout (PtBatcher *self)
{
  double floor_ms = (self->config.batch_size + self->quantum_frames) * 1000.0 / self->sample_rate;

  self->effective_timeout_ms = MAX (self->config.timeout_ms, (guint) ceil (floor_ms));
}

void
pt_batcher_init (PtBatcher         *self,
                 PtBufferPool      *pool,
                 double             sample_rate,
                 PtBatcherEmitFunc  emit,
                 gpointer           emit_data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (pool != NULL);
  g_return_if_fail (sample_rate > 0.0);
  g_return_if_fail (emit != NULL);

  *self = (PtBatcher) {
    .pool = pt_buffer_pool_ref (pool),
    .sample_rate = sample_rate,
    .config = {
      .batch_size = PT_BATCH_SIZE_DEFAULT,
      .timeout_ms = PT_BATCH_TIMEOUT_DEFAULT_MS,
    },
    .quantum_frames = PT_CHUNK_SIZE,
    .buffer_id = PT_BUFFER_POOL_NO_BUFFER,
    .emit = emit,
    .emit_data = emit_data,
  };
  update_effective_timeout (self);
}

/* Gives back the buffer being filled, unsent. */
void
pt_batcher_clear (PtBatcher *self)
{
  if (self->buffer_id != PT_BUFFER_POOL_NO_BUFFER)
    pt_buffer_pool_release (self->pool, self->buffer_id);
  self->buffer_id = PT_BUFFER_POOL_NO_BUFFER;
  self->samples = NULL;
  self->fill = 0;
  g_clear_pointer (&self->pool, pt_buffer_pool_unref);
}

/* The server's cycle length: a batch must be given time for one more cycle. */
void
pt_batcher_set_quantum (PtBatcher *self,
                        guint      n_frames)
{
  if (n_frames > self->quantum_frames)
    {
      self->quantum_frames = n_frames;
      update_effective_timeout (self);
    }
}

/* Frames from now on are at @sample_rate: the partial batch, all at the old
 * rate, leaves first, so every batch is at the one rate it says. */
void
pt_batcher_set_sample_rate (PtBatcher *self,
                            double     sample_rate,
                            double     now_ms)
{
  if (sample_rate == self->sample_rate)
    return;

  pt_batcher_flush (self, now_ms);
  self->sample_rate = sample_rate;
  update_effective_timeout (self);
}

static gboolean
start_batch (PtBatcher *self,
             double     first_frame_time_ms)
{
  if (self->buffer_id == PT_BUFFER_POOL_NO_BUFFER)
    {
      self->buffer_id = pt_buffer_pool_acquire (self->pool);
      if (self->buffer_id == PT_BUFFER_POOL_NO_BUFFER)
        return FALSE;
      self->samples = pt_buffer_pool_get_samples (self->pool, self->buffer_id);
    }

  self->fill = 0;
  self->first_frame = self->next_frame;
  self->first_frame_time_ms = first_frame_time_ms;
  self->clipped_count = 0;
  self->nonfinite_count = 0;
  return TRUE;
}

static void
send_batch (PtBatcher *self,
            double     now_ms)
{
  PtEnvelope *envelope = pt_buffer_pool_get_envelope (self->pool, self->buffer_id);
  PtAudioDataBatch *batch = &envelope->payload.batch;

  pt_envelope_prepare_static (envelope, PT_MESSAGE_AUDIO_DATA_BATCH, now_ms);
  batch->sample_rate = self->sample_rate;
  batch->sample_count = self->fill;
  batch->buffer_length = PT_BUFFER_CAPACITY;
  batch->sequence_number = self->next_sequence++;
  batch->first_frame = self->first_frame;
  batch->first_frame_time_ms = self->first_frame_time_ms;
  batch->buffer_id = (guint) self->buffer_id;
  batch->pool_available = pt_buffer_pool_get_available (self->pool);
  batch->pool_in_use = PT_BUFFER_POOL_SIZE - batch->pool_available;
  batch->pool_exhausted_count = pt_buffer_pool_get_exhausted_count (self->pool);
  batch->clipped_count = self->clipped_count;
  batch->nonfinite_count = self->nonfinite_count;
  batch->dropped_frames = self->dropped_frames;
  batch->samples = self->samples;

  self->buffer_id = PT_BUFFER_POOL_NO_BUFFER;
  self->samples = NULL;
  self->fill = 0;

  self->emit (envelope, self->emit_data);
}

static void
copy_sanitised (PtBatcher   *self,
                float       *dest,
                const float *src,
                guint        n_frames)
{
  guint clipped = 0;
  guint nonfinite = 0;

  if (src == NULL)
    {
      memset (dest, 0, n_frames * sizeof (float));
      return;
    }

  for (guint i = 0; i < n_frames; i++)
    {
      float x = src[i];

      if (G_UNLIKELY (!isfinite (x)))
        {
          nonfinite++;
          x = 0.0f;
        }
      else if (G_UNLIKELY (fabsf (x) >= 1.0f))
        {
          clipped++;
          x = x > 0.0f ? 1.0f : -1.0f;
        }
      dest[i] = x;
    }

  self->clipped_count += clipped;
  self->nonfinite_count += nonfinite;
}

/* @frames may be NULL for silence; @now_ms is the time of frames[0]. */
void
pt_batcher_push_frames (PtBatcher   *self,
                        const float *frames,
                        guint        n_frames,
                        double       now_ms)
{
  double ms_per_frame = 1000.0 / self->sample_rate;
  guint done = 0;

  while (done < n_frames)
    {
      guint take;

      if (self->fill == 0 && !start_batch (self, now_ms + done * ms_per_frame))
        {
          self->dropped_frames += n_frames - done;
          self->next_frame += n_frames - done;
          return;
        }

      take = MIN (n_frames - done, self->config.batch_size - self->fill);
      copy_sanitised (self, self->samples + self->fill,
                      frames != NULL ? frames + done : NULL, take);
      self->fill += take;
      self->next_frame += take;
      done += take;

      if (self->fill >= self->config.batch_size)
        send_batch (self, now_ms);
    }
}

/* Sends the partial batch if it has waited its timeout: called after each
 * cycle, and by a timer of the audio thread's loop when cycles stop. */
gboolean
pt_batcher_check_timeout (PtBatcher *self,
                          double     now_ms)
{
  if (self->fill == 0 || now_ms - self->first_frame_time_ms < self->effective_timeout_ms)
    return FALSE;

  send_batch (self, now_ms);
  return TRUE;
}

/* Sends what the current batch holds, if anything. */
gboolean
pt_batcher_flush (PtBatcher *self,
                  double     now_ms)
{
  if (self->fill == 0)
    return FALSE;

  send_batch (self, now_ms);
  return TRUE;
}

/* Flushes the batch being filled, then applies @config; sizes are clamped to
 * PT_BATCH_SIZE_MIN…PT_BATCH_SIZE_MAX (the protocol has validated them). */
void
pt_batcher_set_config (PtBatcher           *self,
                       const PtBatchConfig *config,
                       double               now_ms)
{
  pt_batcher_flush (self, now_ms);

  self->config.batch_size = CLAMP (config->batch_size, PT_BATCH_SIZE_MIN, PT_BATCH_SIZE_MAX);
  self->config.timeout_ms = MAX (config->timeout_ms, 1);
  self->config.adaptive = config->adaptive;
  update_effective_timeout (self);
}

/* The values in force: timeout_ms is the effective timeout. */
void
pt_batcher_get_config (PtBatcher     *self,
                       PtBatchConfig *config)
{
  *config = self->config;
  config->timeout_ms = self->effective_timeout_ms;
}

guint64
pt_batcher_get_dropped_frames (PtBatcher *self)
{
  return self->dropped_frames;
}

guint
pt_batcher_get_fill (PtBatcher *self)
{
  return self->fill;
}
