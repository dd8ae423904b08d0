// What a caller said (or a recogniser heard), reduced to comparable word stems: lower case, no punctuation,
// contractions spelled out, numbers as digits ("fifty" and "50" both become "50"), British spellings folded into
// American ones, a light stemmer (charged / charges / charge → "charg"), and the filler words people say around
// what they mean dropped. Intent phrases go through the same steps, so both sides meet in the middle.

/** One comparable word, e.g. "charg" for "charged". */
export type Stem = string;

const CONTRACTIONS: ReadonlyArray<[RegExp, string]> = [
  [/\bcan't\b/g, 'can not'],
  [/\bcannot\b/g, 'can not'],
  [/\bwon't\b/g, 'will not'],
  [/\bshan't\b/g, 'shall not'],
  [/\bain't\b/g, 'is not'],
  [/n't\b/g, ' not'],
  [/'re\b/g, ' are'],
  [/'ve\b/g, ' have'],
  [/'ll\b/g, ' will'],
  [/'d\b/g, ' would'],
  [/'m\b/g, ' am'],
  [/'s\b/g, ''],
];

const UNITS: Readonly<Record<string, number>> = {
  zero: 0, oh: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Readonly<Record<string, number>> = { twenty: 20, thirty: 30, forty: 40, fourty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Readonly<Record<string, number>> = { hundred: 100, thousand: 1000, million: 1_000_000 };

/** British → American spellings that matter on a help line (the stemmer does the rest). */
const SPELLINGS: ReadonlyArray<[RegExp, string]> = [
  [/^licenc/, 'licens'],
  [/^defenc/, 'defens'],
  [/^offenc/, 'offens'],
  [/^practis/, 'practic'],
  [/^(colo|favo|behavio|hono|humo|labo|neighbo)ur/, '$1r'],
  [/^cheque/, 'check'],
  [/^catalogue/, 'catalog'],
  [/^programme/, 'program'],
  [/^(centr|metr|theatr|litr)e/, '$1er'],
  [/([a-z]{3,})is(e|ed|es|ing|ation)$/, '$1iz$2'],
];

/** Words that carry no topic: said around what people mean ("um, I'd like to…"), or by every caller. */
const FILLERS = new Set(
  (
    'a an the and or but so if then than as of to for from on in at by with about into onto over up out off ' +
    'i me my mine myself we us our you your yours he him his she her it its they them their this that these those ' +
    'is am are was were be been being do does did doing done have has had having will would shall should can could may might must ' +
    'um uh er erm ah eh hm hmm mm mhm uhm oh well okay ok yeah yes yep hi hello hey please thanks thank cheers sorry excuse ' +
    'just really very quite actually basically literally like kind sort maybe perhaps think guess mean know see say said ' +
    'want wanted wanting wish need needed hope trying try get got getting go going gonna wanna let lets ' +
    'some any something anything there here what which who whom whose why how when where all also too either ' +
    'today now still already again right sure thing things stuff bit lot much many more most'
  ).split(' '),
);

/** Kept even though they are short: a phrase like "not working" depends on them. */
const NEGATIONS = new Set(['not', 'no', 'never', 'nothing', 'none', 'nobody', 'nowhere']);

/** Lower-cased words with contractions spelled out and numbers as digits; punctuation gone. */
export function words(text: string): string[] {
  let t = text.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019\u02bc`]/g, "'");
  t = t.replace(/(\d),(?=\d{3}\b)/g, '$1'); // 1,000 → 1000
  for (const [pattern, replacement] of CONTRACTIONS) t = t.replace(pattern, replacement);
  t = t.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  if (t === '') return [];
  return joinNumbers(t.split(' '));
}

/** Number words → digits: "twenty five" → "25", "one hundred and fifty" → "150", "a hundred" stays words. */
function joinNumbers(tokens: string[]): string[] {
  const out: string[] = [];
  let value: number | undefined;
  let current = 0;
  const flush = () => {
    if (value !== undefined) out.push(String(value + current));
    value = undefined;
    current = 0;
  };
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    const unit = UNITS[token];
    const ten = TENS[token];
    const scale = SCALES[token];
    const inNumber = value !== undefined;
    if (ten !== undefined) {
      if (inNumber && current % 100 !== 0) flush();
      value ??= 0;
      current += ten;
    } else if (unit !== undefined && !(token === 'oh' && !inNumber)) {
      const below100 = current % 100;
      // "two three" and "twenty fifteen" are two numbers; "twenty five" is one
      if (inNumber && (below100 % 10 !== 0 || (below100 >= 10 && below100 < 20) || (unit >= 10 && below100 !== 0))) flush();
      value ??= 0;
      current += unit;
    } else if (scale !== undefined && inNumber) {
      if (scale === 100) current = (current === 0 ? 1 : current) * 100;
      else {
        value! += (current === 0 ? 1 : current) * scale;
        current = 0;
      }
    } else if (token === 'and' && inNumber && i + 1 < tokens.length && (UNITS[tokens[i + 1]!] !== undefined || TENS[tokens[i + 1]!] !== undefined)) {
      continue; // "one hundred and fifty"
    } else {
      flush();
      out.push(token);
    }
  }
  flush();
  return out;
}

/** A light suffix stripper: enough to meet "charged", "charges" and "charge" at "charg", not a linguistic stemmer. */
export function stem(word: string): Stem {
  if (/^\d+$/.test(word) || word.length <= 3) return word;
  let w = word;
  for (const [pattern, replacement] of SPELLINGS) w = w.replace(pattern, replacement);
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w) && w.length > 3) w = w.slice(0, -1);
  if (w.endsWith('ing') && hasVowel(w.slice(0, -3)) && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && !w.endsWith('eed') && hasVowel(w.slice(0, -2)) && w.length > 4) w = w.slice(0, -2);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  if (w.endsWith('y') && w.length > 4) w = `${w.slice(0, -1)}i`;
  return w.replace(/([b-df-hj-np-tv-z])\1+/g, '$1'); // stopped/stop, cancelled/canceled, billing/bill
}

function hasVowel(s: string): boolean {
  return /[aeiouy]/.test(s);
}

/** One word as the matcher sees it: its stem, and whether it is a filler (said around what people mean). */
export interface Token {
  stem: Stem;
  filler: boolean;
}

/** Every word of `text` as a token, fillers included (a phrase like "log in" needs its small word). */
export function tokens(text: string): Token[] {
  return words(text).map((w) => ({ stem: stem(w), filler: !NEGATIONS.has(w) && FILLERS.has(w) }));
}
