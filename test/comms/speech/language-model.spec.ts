// The pieces of the local recogniser's per-menu model: the ARPA model is well formed (every history's next-word
// probabilities sum to one, back-off included), a vocabulary word no sentence used is still possible, and English's
// common words are read from the model package's own binary language model (and nothing breaks on another file).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildArpaModel } from '../../../comms/speech/language-model.js';
import { readEnglishUnigrams } from '../../../comms/speech/english-unigrams.js';

interface Arpa { uni: Map<string, [number, number]>; bi: Map<string, [number, number]>; tri: Map<string, number>; counts: number[] }

function parse(text: string): Arpa {
  const arpa: Arpa = { uni: new Map(), bi: new Map(), tri: new Map(), counts: [] };
  let section = 0;
  for (const line of text.split('\n')) {
    const count = line.match(/^ngram (\d)=(\d+)$/);
    if (count) arpa.counts[Number(count[1]) - 1] = Number(count[2]);
    const header = line.match(/^\\(\d)-grams:$/);
    if (header) { section = Number(header[1]); continue; }
    if (!line || line.startsWith('\\')) continue;
    const parts = line.split(' ');
    const p = 10 ** Number(parts[0]);
    if (section === 1) arpa.uni.set(parts[1]!, [p, 10 ** Number(parts[2] ?? 0)]);
    if (section === 2) arpa.bi.set(`${parts[1]} ${parts[2]}`, [p, 10 ** Number(parts[3] ?? 0)]);
    if (section === 3) arpa.tri.set(`${parts[1]} ${parts[2]} ${parts[3]}`, p);
  }
  return arpa;
}

describe('comms/speech per-menu language model', () => {
  const sentences = ['i am calling about my bill', 'i am calling about my invoice', 'my bill please', 'technical support please', 'hello'];
  const vocabulary = new Set([...sentences.flatMap((s) => s.split(' ')), 'refund', 'headset']);
  const background = new Map([['i', 0.02], ['my', 0.01], ['refund', 0.0001], ['please', 0.001]]);

  for (const [what, options] of [['counts alone', {}], ['with a general-English background', { background, backgroundWeight: 0.2 }]] as const) {
    it(`is a proper distribution after every history (${what})`, () => {
      const arpa = parse(buildArpaModel(sentences, vocabulary, options));
      assert.equal(arpa.uni.size, arpa.counts[0]);
      assert.equal(arpa.bi.size, arpa.counts[1]);
      assert.equal(arpa.tri.size, arpa.counts[2]);
      const words = [...arpa.uni.keys()].filter((w) => w !== '<s>');
      const unigram = (w: string) => arpa.uni.get(w)![0];
      const bigram = (v: string, w: string) => arpa.bi.get(`${v} ${w}`)?.[0] ?? arpa.uni.get(v)![1] * unigram(w);
      const near = (x: number, what: string) => assert.ok(Math.abs(x - 1) < 1e-3, `${what}: ${x}`);
      near(words.reduce((s, w) => s + unigram(w), 0), 'unigrams');
      for (const v of ['<s>', 'my', 'about', 'refund']) near(words.reduce((s, w) => s + bigram(v, w), 0), `after "${v}"`);
      for (const h of ['<s> i', 'calling about', 'my bill']) {
        const [u, v] = h.split(' ') as [string, string];
        const alpha = arpa.bi.get(`${u} ${v}`)![1];
        near(words.reduce((s, w) => s + (arpa.tri.get(`${h} ${w}`) ?? alpha * bigram(v, w)), 0), `after "${h}"`);
      }
      assert.ok(unigram('refund') > 0 && unigram('headset') > 0, 'words no sentence used are still possible');
    });
  }

  it('drops sentences with words outside the vocabulary', () => {
    const arpa = parse(buildArpaModel(['my xylophone please', 'my bill'], new Set(['my', 'bill', 'please'])));
    assert.equal(arpa.bi.has('my xylophone'), false);
    assert.equal(arpa.bi.has('my bill'), true);
  });

  it("reads English's most common words, with their probabilities, from pocketsphinx-en-us's en-us.lm.bin", async () => {
    const words = await readEnglishUnigrams('/usr/share/pocketsphinx/model/en-us/en-us.lm.bin', 3000);
    assert.ok(words, 'the Debian model is installed (the pretest installs it)');
    assert.equal(words.size, 3000);
    const top = [...words.keys()].slice(0, 10);
    for (const w of ['the', 'to', 'i', 'and', 'a', 'you']) assert.ok(top.includes(w), `${w} in ${top}`);
    assert.ok(words.has('invoice') || words.has('support'), 'ordinary words of a help line are in the first 3,000');
    assert.ok(words.get('the')! > words.get('you')! && words.get('you')! < 0.1);
    for (const w of words.keys()) assert.match(w, /^[a-z][a-z']*$/);
  });

  it('answers undefined for a file that is not a trie language model, or no file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-lm-'));
    writeFileSync(join(dir, 'other.bin'), Buffer.alloc(4096, 7));
    writeFileSync(join(dir, 'fake.bin'), Buffer.concat([Buffer.from('Trie Language Model'), Buffer.from([3]), Buffer.alloc(400)]));
    assert.equal(await readEnglishUnigrams(join(dir, 'other.bin'), 10), undefined);
    assert.equal(await readEnglishUnigrams(join(dir, 'fake.bin'), 10), undefined);
    assert.equal(await readEnglishUnigrams(join(dir, 'missing.bin'), 10), undefined);
  });
});
