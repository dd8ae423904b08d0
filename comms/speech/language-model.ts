// A small trigram language model in ARPA text form, learnt from a handful of sentences (absolute discounting with
// back-off), over a fixed vocabulary: every vocabulary word keeps a little probability anywhere, so a word the
// sentences never used can still be heard. PocketSphinx reads the result with `-lm`.

export interface LanguageModelOptions {
  /** Subtracted from every seen n-gram count (0 < discount < 1). */
  discount?: number;
  /** Pseudo-count each vocabulary word gets as a unigram. */
  unigramFloor?: number;
  /**
   * How likely each word is in English at large (relative; need not sum to 1 over the vocabulary): mixed into the
   * unigrams with `backgroundWeight`, so a word the sentences never used is about as likely as in general speech.
   */
  background?: ReadonlyMap<string, number>;
  /** Share of the unigram mass that follows `background` (default 0.2 when it is given). */
  backgroundWeight?: number;
}

const START = '<s>';
const END = '</s>';

/**
 * `sentences` are lower-case words separated by single spaces, every word in `vocabulary` (others are dropped with
 * the sentence they are in); `vocabulary` may hold words no sentence uses.
 */
export function buildArpaModel(sentences: readonly string[], vocabulary: ReadonlySet<string>, options: LanguageModelOptions = {}): string {
  const D = options.discount ?? 0.5;
  const floor = options.unigramFloor ?? 0.5;
  const uni = new Map<string, number>();
  const bi = new Map<string, Map<string, number>>();
  const tri = new Map<string, Map<string, number>>();
  const add = (table: Map<string, Map<string, number>>, history: string, word: string) => {
    let next = table.get(history);
    if (!next) table.set(history, (next = new Map()));
    next.set(word, (next.get(word) ?? 0) + 1);
  };
  for (const sentence of sentences) {
    const words = sentence.split(' ').filter((w) => w !== '');
    if (words.length === 0 || words.some((w) => !vocabulary.has(w))) continue;
    const seq = [START, ...words, END];
    for (let i = 1; i < seq.length; i += 1) {
      uni.set(seq[i]!, (uni.get(seq[i]!) ?? 0) + 1);
      add(bi, seq[i - 1]!, seq[i]!);
      if (i >= 2) add(tri, `${seq[i - 2]} ${seq[i - 1]}`, seq[i]!);
    }
  }

  // Unigrams: counts plus a floor for every word, so nothing in the vocabulary is impossible.
  const words = [...new Set([...vocabulary, END])].sort();
  const total = [...uni.values()].reduce((a, b) => a + b, 0) + floor * words.length;
  const p1 = new Map<string, number>(words.map((w) => [w, ((uni.get(w) ?? 0) + floor) / total]));
  if (options.background) mixBackground(p1, options.background, options.backgroundWeight ?? 0.2);

  // Bigrams with back-off to unigrams.
  const p2 = new Map<string, Map<string, number>>();
  const alpha1 = new Map<string, number>();
  for (const [history, next] of bi) {
    const count = sum(next);
    const probs = new Map<string, number>();
    let kept = 0;
    let lower = 0;
    for (const [w, c] of next) {
      const p = (c - D) / count;
      probs.set(w, p);
      kept += p;
      lower += p1.get(w) ?? 0;
    }
    p2.set(history, probs);
    alpha1.set(history, (1 - kept) / Math.max(1e-9, 1 - lower));
  }
  const bigram = (v: string, w: string): number => p2.get(v)?.get(w) ?? (alpha1.get(v) ?? 1) * (p1.get(w) ?? 0);

  // Trigrams with back-off to bigrams.
  const p3 = new Map<string, Map<string, number>>();
  const alpha2 = new Map<string, number>();
  for (const [history, next] of tri) {
    const v = history.split(' ')[1]!;
    const count = sum(next);
    const probs = new Map<string, number>();
    let kept = 0;
    let lower = 0;
    for (const [w, c] of next) {
      const p = (c - D) / count;
      probs.set(w, p);
      kept += p;
      lower += bigram(v, w);
    }
    p3.set(history, probs);
    alpha2.set(history, (1 - kept) / Math.max(1e-9, 1 - lower));
  }

  const lines: string[] = [];
  const bigramCount = [...p2.values()].reduce((n, m) => n + m.size, 0);
  const trigramCount = [...p3.values()].reduce((n, m) => n + m.size, 0);
  lines.push('\\data\\', `ngram 1=${words.length + 1}`, `ngram 2=${bigramCount}`, `ngram 3=${trigramCount}`, '', '\\1-grams:');
  lines.push(`-99.0000 ${START} ${log(alpha1.get(START) ?? 1)}`);
  for (const w of words) lines.push(`${log(p1.get(w)!)} ${w}${w === END ? '' : ` ${log(alpha1.get(w) ?? 1)}`}`);
  lines.push('', '\\2-grams:');
  for (const [v, probs] of p2) for (const [w, p] of probs) lines.push(`${log(p)} ${v} ${w}${w === END ? '' : ` ${log(alpha2.get(`${v} ${w}`) ?? 1)}`}`);
  lines.push('', '\\3-grams:');
  for (const [h, probs] of p3) for (const [w, p] of probs) lines.push(`${log(p)} ${h} ${w}`);
  lines.push('', '\\end\\', '');
  return lines.join('\n');
}

/** p1 ← (1 − λ)·p1 + λ·background, the background renormalised over the vocabulary (words it lacks get its least). */
function mixBackground(p1: Map<string, number>, background: ReadonlyMap<string, number>, lambda: number): void {
  let least = Infinity;
  for (const w of p1.keys()) least = Math.min(least, background.get(w) ?? Infinity);
  if (!Number.isFinite(least)) return;
  let mass = 0;
  for (const w of p1.keys()) mass += background.get(w) ?? least;
  for (const [w, p] of p1) p1.set(w, (1 - lambda) * p + (lambda * (background.get(w) ?? least)) / mass);
}

function sum(m: Map<string, number>): number {
  let n = 0;
  for (const c of m.values()) n += c;
  return n;
}

function log(p: number): string {
  return Math.log10(Math.max(p, 1e-99)).toFixed(4);
}
