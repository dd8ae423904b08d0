// How common each English word is, read from the general language model that ships in Debian's pocketsphinx-en-us
// (`en-us.lm.bin`, sphinxbase's "Trie Language Model" format). The per-menu model takes its most common words as the
// words a caller may say besides the menu's phrases, with these frequencies: speech about something else is then
// heard as the words it is, not forced onto a menu word. Only the unigram table and the word list are read.
//
// Layout (sphinxbase ngram_model_trie.c / lm_trie.c, little-endian): "Trie Language Model", order (1 byte), the
// n-gram counts (uint32 × order), the quantiser (int32 type + 2^16 floats per probability/back-off table: two per
// middle order, one for the highest), the unigrams ((count+1) × {float prob, float backoff, uint32 next}), the trie
// of higher orders, then the words NUL-separated in id order at the end of the file. Probabilities are in the
// decoder's log base 1.0001.
import { readFile } from 'node:fs/promises';

const MAGIC = 'Trie Language Model';
const LOG_BASE = Math.log10(1.0001);
/** Words a caller says as words (no "<s>", digits, "'s" fragments or "a." initials). */
const WORD = /^[a-z][a-z']*$/;

/** The `limit` most common words with their probability, most common first; undefined when the file is not that format. */
export async function readEnglishUnigrams(path: string, limit: number): Promise<Map<string, number> | undefined> {
  let file: Buffer;
  try {
    file = await readFile(path);
  } catch {
    return undefined;
  }
  if (file.length < 64 || file.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  const order = file[MAGIC.length]!;
  if (order < 1 || order > 6) return undefined;
  const countsAt = MAGIC.length + 1;
  const unigramCount = file.readUInt32LE(countsAt);
  const quantFloats = order > 1 ? (order - 2) * 2 * 65536 + 65536 : 0;
  const unigramsAt = countsAt + 4 * order + (order > 1 ? 4 + 4 * quantFloats : 0);
  if (unigramCount === 0 || unigramsAt + (unigramCount + 1) * 12 > file.length) return undefined;
  const words = trailingWords(file, unigramCount);
  if (!words) return undefined;
  const ranked: Array<[string, number]> = [];
  for (let i = 0; i < unigramCount; i += 1) {
    const word = words[i]!;
    if (WORD.test(word)) ranked.push([word, file.readFloatLE(unigramsAt + 12 * i)]);
  }
  ranked.sort((a, b) => b[1] - a[1]);
  return new Map(ranked.slice(0, limit).map(([word, logProb]) => [word, 10 ** (logProb * LOG_BASE)]));
}

/** The last `count` NUL-terminated strings of the file, in order (the block is preceded by its length, uint32). */
function trailingWords(file: Buffer, count: number): string[] | undefined {
  if (file[file.length - 1] !== 0) return undefined;
  // Back over the count − 1 separators to the end of the first word…
  let seen = 0;
  let at = file.length - 2;
  for (; at >= 0 && seen < count - 1; at -= 1) if (file[at] === 0) seen += 1;
  if (seen !== count - 1) return undefined;
  // …then to its start, where the block's length field ends.
  for (let start = at; start >= Math.max(4, at - 256); start -= 1) {
    if (file.readUInt32LE(start - 4) === file.length - start) {
      const words = file.toString('latin1', start, file.length - 1).split('\0');
      return words.length === count ? words : undefined;
    }
  }
  return undefined;
}
