// How a recordResponse recording sounds when the person said words: a little silence, each sentence in the order it
// was said with a short pause between, a little silence at the end, cut at maxRecordDurationInSeconds. The lengths
// are the emulator's choice (Graph does not document how it trims a recording); they keep recordings deterministic.

import { PROMPT_SAMPLE_RATE, toneSamples } from './wav-audio.js';

export const LEADING_SILENCE_SECONDS = 0.3;
export const PAUSE_SECONDS = 0.4;
export const TRAILING_SILENCE_SECONDS = 0.5;

/** A sentence's samples (16 kHz), or wordless speaking of a length (the quiet tone). */
export type RecordedPart = { samples: Int16Array } | { toneSeconds: number };

export function composeRecording(parts: RecordedPart[], maxSeconds: number): Int16Array {
  const pieces = parts.map((p) => ('samples' in p ? p.samples : toneSamples(p.toneSeconds)));
  const gap = seconds(PAUSE_SECONDS);
  const length = seconds(LEADING_SILENCE_SECONDS) + pieces.reduce((sum, p) => sum + p.length, 0) + gap * Math.max(0, pieces.length - 1) + seconds(TRAILING_SILENCE_SECONDS);
  const out = new Int16Array(Math.min(length, seconds(maxSeconds)));
  let at = seconds(LEADING_SILENCE_SECONDS);
  for (const piece of pieces) {
    if (at >= out.length) break;
    out.set(piece.subarray(0, out.length - at), at);
    at += piece.length + gap;
  }
  return out;
}

function seconds(s: number): number {
  return Math.round(s * PROMPT_SAMPLE_RATE);
}
