// Which intent a caller's words name: each intent's phrases are looked for in the words (as stems, so "charges" finds
// "charged", "50" finds "fifty"), allowing a word in between ("charged me twice") and small recogniser slips on
// longer words ("invoise"). Multi-word phrases weigh more than single words; the strongest intent wins only when no
// other comes close — two intents equally strong are ambiguous, and ambiguous is no intent.
import { stem, tokens, words, type Stem, type Token } from './text-normalizer.js';

export interface IntentDefinition {
  name: string;
  /** Words or short phrases, e.g. ['billing', 'invoice', 'charged twice', 'refund']. */
  phrases: readonly string[];
}

export interface IntentMatch {
  intent?: string;
  /** 0..1: 0 = nothing matched (or too close to call); grows with the strength of the match and its lead. */
  confidence: number;
}

/** A reply is a few seconds of speech; past this many words the rest is not looked at (bounds the work). */
const MAX_WORDS = 400;
/** The winner must lead the runner-up by this share of its own score; closer is ambiguous. */
const LEAD = 0.25;
/** What a near miss (one or two letters off) counts for, against an exact stem. */
const FUZZY = 0.7;
/** Between two words of a phrase: this many filler words ("charged me twice")… */
const MAX_FILLERS_BETWEEN = 3;
/** …and at most this many other words ("talk to a real live person"). */
const MAX_OTHERS_BETWEEN = 1;

interface CompiledPhrase {
  stems: Stem[];
  /** Strict: every word, nothing between (a short word with its small words, e.g. "log in"). */
  strict: boolean;
  /** The phrase's words run together ("log in" → "login"), for a caller or recogniser that joins them. */
  joined?: Stem;
}

interface Found {
  positions: number[];
  quality: number;
}

/** Matches English text (other languages get the same treatment, which is weaker but harmless). */
export function matchIntent(text: string, intents: readonly IntentDefinition[], _language: string): IntentMatch {
  const heard = tokens(text).slice(0, MAX_WORDS);
  if (!heard.some((t) => !t.filler)) return { confidence: 0 };
  const scores = intents.map((intent) => ({ name: intent.name, score: scoreIntent(heard, intent.phrases.map(compile)) }));
  scores.sort((a, b) => b.score - a.score);
  const best = scores[0];
  if (!best || best.score === 0) return { confidence: 0 };
  const second = scores[1]?.score ?? 0;
  const lead = (best.score - second) / best.score;
  if (lead < LEAD) return { confidence: 0 };
  const strength = best.score / (best.score + 0.5);
  return { intent: best.name, confidence: round(strength * Math.min(1, lead / 0.75)) };
}

function compile(phrase: string): CompiledPhrase {
  const all = tokens(phrase);
  const content = all.filter((t) => !t.filler);
  const raw = words(phrase);
  const joined = raw.length > 1 ? { joined: stem(raw.join('')) } : {};
  // A phrase of small words only, or one short word with small words ("log in"), needs all of them, in a row.
  if (content.length === 0 || (content.length === 1 && content[0]!.stem.length <= 4 && all.length > 1)) {
    return { stems: all.map((t) => t.stem), strict: true, ...joined };
  }
  return { stems: content.map((t) => t.stem), strict: false, ...joined };
}

/** Sum of the intent's phrase matches, longest phrases first, each heard word used by one phrase at most. */
function scoreIntent(heard: Token[], phrases: CompiledPhrase[]): number {
  const used = new Array<boolean>(heard.length).fill(false);
  let score = 0;
  const ordered = [...phrases].sort((a, b) => b.stems.length - a.stems.length);
  for (const phrase of ordered) {
    for (;;) {
      const found = findPhrase(heard, used, phrase);
      if (!found) break;
      for (const i of found.positions) used[i] = true;
      score += found.quality * weight(phrase.stems.length);
    }
  }
  return score;
}

/** A phrase of n words counts n·(n+1)/2: one word 1, two words 3, three words 6. */
function weight(n: number): number {
  return (n * (n + 1)) / 2;
}

function findPhrase(heard: Token[], used: boolean[], phrase: CompiledPhrase): Found | undefined {
  let best: Found | undefined;
  for (let start = 0; start < heard.length && best?.quality !== 1; start += 1) {
    if (used[start]) continue;
    const found = matchFrom(heard, used, phrase, start);
    if (found && (!best || found.quality > best.quality)) best = found;
  }
  if (best) return best;
  // Joined forms: "login" heard for "log in", "head set" heard for "headset".
  for (let i = 0; i < heard.length; i += 1) {
    if (used[i] || heard[i]!.filler) continue;
    if (phrase.joined && phrase.stems.length > 1) {
      const q = similarity(heard[i]!.stem, phrase.joined);
      if (q > 0) return { positions: [i], quality: q };
    }
    if (phrase.stems.length === 1 && i + 1 < heard.length && !used[i + 1] && !heard[i + 1]!.filler) {
      if (stem(heard[i]!.stem + heard[i + 1]!.stem) === phrase.stems[0]) return { positions: [i, i + 1], quality: 1 };
    }
  }
  return undefined;
}

/** The phrase's stems in order from `start`; loosely, with a few fillers and one other word allowed between two. */
function matchFrom(heard: Token[], used: boolean[], phrase: CompiledPhrase, start: number): Found | undefined {
  const first = similarity(heard[start]!.stem, phrase.stems[0]!);
  if (first === 0) return undefined;
  const positions = [start];
  let total = first;
  let at = start + 1;
  for (let k = 1; k < phrase.stems.length; k += 1) {
    let fillers = 0;
    let others = 0;
    let matched = false;
    for (let j = at; j < heard.length; j += 1) {
      if (used[j]) break;
      const q = similarity(heard[j]!.stem, phrase.stems[k]!);
      if (q > 0) {
        positions.push(j);
        total += q;
        at = j + 1;
        matched = true;
        break;
      }
      if (phrase.strict) break;
      if (heard[j]!.filler) fillers += 1;
      else others += 1;
      if (fillers > MAX_FILLERS_BETWEEN || others > MAX_OTHERS_BETWEEN) break;
    }
    if (!matched) return undefined;
  }
  return { positions, quality: total / phrase.stems.length };
}

/** 1 for the same stem, FUZZY for a small slip on a longer word, else 0. */
function similarity(a: Stem, b: Stem): number {
  if (a === b) return 1;
  const shorter = Math.min(a.length, b.length);
  if (shorter < 6 || /\d/.test(a) || /\d/.test(b)) return 0;
  const allowed = shorter >= 9 ? 2 : 1;
  if (Math.abs(a.length - b.length) > allowed) return 0;
  return editDistance(a, b, allowed) <= allowed ? FUZZY : 0;
}

/** Optimal-string-alignment distance (a swap of two neighbours counts one), giving up past `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i += 1) {
    const row = new Array<number>(b.length + 1).fill(0);
    row[0] = i;
    rows.push(row);
  }
  for (let j = 0; j <= b.length; j += 1) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return rowMin;
  }
  return rows[a.length]![b.length]!;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
