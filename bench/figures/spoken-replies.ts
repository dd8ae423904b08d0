// Figure 11 — spoken replies: how long the local recogniser (PocketSphinx with the sample front desk's phrases, the
// one npm start uses) takes to hear a 4-second reply, as a real-time factor (recognition time ÷ audio length; under 1
// means the caller waits less than they spoke). Floor: the same recogniser on 4 s of silence — starting the process,
// loading the acoustic model and the menu's language model, and finding nothing — which every reply pays. The reply
// is eSpeak NG's voice (the app's own synthesizer) padded with silence to 4 s, as a recording ends after a pause.
import { performance } from 'node:perf_hooks';
import { encodeWav, loadEspeakSynthesizer, loadPocketsphinxRecognizer, PROMPT_SAMPLE_RATE } from '../../comms/speech/index.js';
import { SAMPLE_INTENT_PHRASES } from '../../comms/understanding/index.js';
import wavefile from 'wavefile';
import type { BenchContext } from '../bench-context.js';
import type { FigureResult } from '../figure-row.js';
import { percentile, round, summary } from '../support/stats.js';

/** About three and a half seconds of eSpeak NG at its rate (a sample sentence of the billing intent). */
export const TYPICAL_REPLY = 'I think I was charged twice on my last invoice, please';
const REPLY_SECONDS = 4;

export async function spokenReplies(ctx: BenchContext): Promise<FigureResult> {
  const started = performance.now();
  const title = '11 Spoken replies';
  const name = `Recognition real-time factor, a ${REPLY_SECONDS}-second reply (PocketSphinx)`;
  const [recognizer, synthesizer] = await Promise.all([loadPocketsphinxRecognizer(), loadEspeakSynthesizer('en-us')]);
  const missing = !recognizer ? 'PocketSphinx is not installed (apt-get install pocketsphinx pocketsphinx-en-us)' : !synthesizer ? 'the optional espeak-ng package is not installed' : undefined;
  if (missing || !recognizer || !synthesizer) return { title, rows: [{ id: '11a', name, unit: '', skipped: `skipped: ${missing}` }], details: {}, durationMs: performance.now() - started };

  const speech = new wavefile.WaveFile(await synthesizer.synthesize(TYPICAL_REPLY)).getSamples(false, Int16Array) as unknown as Int16Array;
  const samples = new Int16Array(Math.max(speech.length, REPLY_SECONDS * PROMPT_SAMPLE_RATE));
  samples.set(speech);
  const reply = encodeWav(samples);
  const silence = encodeWav(new Int16Array(samples.length));
  const seconds = samples.length / PROMPT_SAMPLE_RATE;
  const request = { language: 'en-US', phrases: [...new Set(Object.values(SAMPLE_INTENT_PHRASES).flat())] };

  // The first recognition also reads the dictionary and builds the menu's model (once per menu): not counted.
  let t = performance.now();
  const first = await recognizer.recognize(reply, request);
  const coldMs = performance.now() - t;
  const runs = ctx.sizes.speech.runs;
  const replyMs: number[] = [];
  const silenceMs: number[] = [];
  let heardWords = first.text.split(' ').filter(Boolean).length;
  for (let i = 0; i < runs; i += 1) {
    t = performance.now();
    heardWords = (await recognizer.recognize(reply, request)).text.split(' ').filter(Boolean).length;
    replyMs.push(performance.now() - t);
    t = performance.now();
    await recognizer.recognize(silence, request);
    silenceMs.push(performance.now() - t);
  }
  const rtf = (ms: number | undefined) => (ms === undefined ? undefined : round(ms / 1000 / seconds, 3));
  return {
    title,
    rows: [
      {
        id: '11a',
        name,
        value: rtf(percentile(replyMs, 50)),
        unit: '',
        limit: { value: 1, label: 'real time (hearing the reply takes as long as saying it)' },
        floor: { value: rtf(percentile(silenceMs, 50))!, label: `the same recogniser on ${seconds.toFixed(1)} s of silence: process start and model load` },
        note: `p50 of ${runs} after a first one (${Math.round(coldMs)} ms, reads the dictionary and builds the menu's model; not counted); ${heardWords} words heard; the text is not kept`,
      },
    ],
    details: { engine: recognizer.id, replySeconds: seconds, recognitionMs: { cold: round(coldMs), warm: summary(replyMs) }, silenceMs: summary(silenceMs) },
    durationMs: performance.now() - started,
  };
}
