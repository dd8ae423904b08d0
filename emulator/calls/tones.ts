// DTMF keys and Graph's tone names: a key pressed on the emulated dial pad ("0"-"9", "*", "#", "A"-"D") becomes the
// `tone` enum value the toneInfo carries (tone0…tone9, star, pound, a…d); stop tones may be given in either form.

import type { Graph } from '../../graph-models/index.js';

const KEY_TO_TONE: Record<string, Graph.Tone> = { '*': 'star', '#': 'pound', A: 'a', B: 'b', C: 'c', D: 'd' };
const TONE_NAMES = new Set<string>(['tone0', 'tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9', 'star', 'pound', 'a', 'b', 'c', 'd', 'flash'] satisfies Graph.Tone[]);

/** The tone name for a key or a tone name; undefined for anything else. */
export function toneName(keyOrName: string): Graph.Tone | undefined {
  if (/^[0-9]$/.test(keyOrName)) return `tone${keyOrName}` as Graph.Tone;
  const key = KEY_TO_TONE[keyOrName.toUpperCase()];
  if (key && keyOrName.length === 1) return key;
  return TONE_NAMES.has(keyOrName.toLowerCase()) ? (keyOrName.toLowerCase() as Graph.Tone) : undefined;
}

/** Splits a key string ("12#") into tone names; the first invalid key is reported. */
export function parseKeys(keys: string): { tones: Graph.Tone[] } | { invalid: string } {
  const tones: Graph.Tone[] = [];
  for (const key of keys) {
    const name = /^[0-9*#A-Da-d]$/.test(key) ? toneName(key) : undefined;
    if (!name) return { invalid: key };
    tones.push(name);
  }
  return { tones };
}
