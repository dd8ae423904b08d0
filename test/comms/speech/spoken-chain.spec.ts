// The whole local chain, measured: sample sentences spoken by eSpeak NG (the app's own synthesizer, two English
// voices), heard by PocketSphinx with the sample front desk's phrases, matched to an intent, its sentiment judged.
// With the US voice upset callers must sound negative, unknown topics and mumbling must name no intent, and the first
// sentence of each intent must land on it — all 24 intent sentences are spoken in that voice, through the running app,
// by test/e2e/spoken-replies.spec.ts, so they are not heard twice here. The British voice is the "don't overfit to one
// voice" check over all 24, with a lower bar and no wrong desk allowed beyond one. The accuracy and real-time factor
// are printed (never judged: no wall-clock asserts).
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { loadEspeakSynthesizer, loadPocketsphinxRecognizer, readWavFormat, type SpeechRecognizer } from '../../../comms/speech/index.js';
import { localSentiment, matchIntent, SAMPLE_INTENT_PHRASES, SAMPLE_INTENTS } from '../../../comms/understanding/index.js';
import { INTENT_SENTENCES, MUMBLING_SENTENCES, UNKNOWN_SENTENCES, UPSET_SENTENCES } from '../../support/spoken-sentences.js';

const PHRASES = [...new Set(Object.values(SAMPLE_INTENT_PHRASES).flat())];
type Case = { expect: string; sentence: string };
const INTENT_CASES: Case[] = Object.entries(INTENT_SENTENCES).flatMap(([intent, list]) => list.map((sentence) => ({ expect: intent, sentence })));
/** The first sentence of each intent: the chain's own check of the US voice (the e2e spec speaks all 24 in it). */
const FIRST_OF_EACH_INTENT: Case[] = Object.entries(INTENT_SENTENCES).map(([intent, list]) => ({ expect: intent, sentence: list[0]! }));
const OTHER_CASES: Case[] = [
  ...UPSET_SENTENCES.map((sentence) => ({ expect: 'negative', sentence })),
  ...[...UNKNOWN_SENTENCES, ...MUMBLING_SENTENCES].map((sentence) => ({ expect: 'none', sentence })),
];

interface Outcome { expect: string; sentence: string; heard: string; intent?: string; sentiment: string; ok: boolean }

async function hear(recognizer: SpeechRecognizer, voice: string, cases: Case[]): Promise<{ outcomes: Outcome[]; rtf: number }> {
  const synthesizer = await loadEspeakSynthesizer(voice);
  assert.ok(synthesizer, 'the optional espeak-ng package is installed in development');
  const sentiment = localSentiment();
  const outcomes: Outcome[] = [];
  let busy = 0;
  let audio = 0;
  for (const c of cases) {
    const wav = await synthesizer.synthesize(c.sentence);
    audio += readWavFormat(wav)!.dataBytes / 32_000;
    const t = performance.now();
    const heard = await recognizer.recognize(wav, { language: 'en-US', phrases: PHRASES });
    busy += performance.now() - t;
    const { intent } = matchIntent(heard.text, SAMPLE_INTENTS, 'en-US');
    const mood = (await sentiment.analyze(heard.text, 'en-US')).sentiment;
    const ok = c.expect === 'negative' ? mood === 'negative' : c.expect === 'none' ? intent === undefined : intent === c.expect;
    outcomes.push({ ...c, heard: heard.text, ...(intent ? { intent } : {}), sentiment: mood, ok });
  }
  return { outcomes, rtf: busy / 1000 / audio };
}

function report(voice: string, outcomes: Outcome[], rtf: number): void {
  const right = outcomes.filter((o) => o.ok).length;
  const lines = outcomes.map((o) => `${o.ok ? '✔' : '✖'} ${o.expect.padEnd(8)} → ${(o.intent ?? '—').padEnd(8)} ${o.sentiment.padEnd(8)} "${o.sentence}" heard "${o.heard}"`);
  console.log(`      ${voice}: ${right}/${outcomes.length} right, real-time factor ${rtf.toFixed(2)}\n        ${lines.join('\n        ')}`);
}

describe('spoken replies: eSpeak NG → PocketSphinx → intent and sentiment (the real local chain)', function () {
  this.timeout(240_000);
  let recognizer: SpeechRecognizer;
  before(async () => {
    const loaded = await loadPocketsphinxRecognizer();
    assert.ok(loaded, 'PocketSphinx is installed (the pretest installs it)');
    recognizer = loaded;
  });

  it('US English voice: upset callers sound negative; unknown topics and mumbling name none; one sentence per intent lands on it', async () => {
    const { outcomes, rtf } = await hear(recognizer, 'en-us', [...FIRST_OF_EACH_INTENT, ...OTHER_CASES]);
    report('en-us', outcomes, rtf);
    assert.deepEqual(outcomes.filter((o) => !o.ok).map((o) => o.sentence), []);
  });

  it('British English voice (the model is US English): at least 20 of 24 on their intent, at most one to a wrong desk', async () => {
    const { outcomes, rtf } = await hear(recognizer, 'en-gb', INTENT_CASES);
    report('en-gb', outcomes, rtf);
    const right = outcomes.filter((o) => o.ok).length;
    const wrongDesk = outcomes.filter((o) => o.intent !== undefined && !o.ok);
    assert.ok(right >= 20, `${right} of 24`);
    assert.ok(wrongDesk.length <= 1, wrongDesk.map((o) => o.sentence).join('; '));
  });
});
