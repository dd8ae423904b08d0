// Figure 11 — spoken replies: how long the local recogniser (PocketSphinx with the sample front desk's phrases, the
// one npm start uses) takes to hear a 4-second reply, as a real-time factor (recognition time ÷ audio length; under 1
// means the caller waits less than they spoke). Floor: the same recogniser on 4 s of silence — starting the process,
// loading the acoustic model and the menu's language model, and finding nothing — which every reply pays. The reply
// is eSpeak NG's voice (the app's own synthesizer) padded with silence to 4 s, as a recording ends after a pause.
// 11b — the caller's last word → the transfer request, through the app and the emulator: an emulated caller says the
// billing sentence into the sample front desk's listening menu; measured from the end of their speech (the emulator
// answers /speak with its length, played at the emulator's media speed) to the transfer request the emulator logs.
// It holds Graph's end-of-reply silence (END_OF_REPLY_SECONDS, at media speed), the recording's download, the
// recognition and the decision. Floor: the same menu answered with the key for billing — key → transfer request.
import { performance } from 'node:perf_hooks';
import { encodeWav, loadEspeakSynthesizer, loadPocketsphinxRecognizer, PROMPT_SAMPLE_RATE } from '../../comms/speech/index.js';
import { SAMPLE_INTENT_PHRASES } from '../../comms/understanding/index.js';
import { END_OF_REPLY_SECONDS } from '../../comms/ivr/index.js';
import { BENCH_EMULATOR } from '../support/bench-emulator.js';
import type { FigureRow } from '../figure-row.js';
import { sleep } from '../support/stats.js';
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
  const endToEnd = await lastWordToTransfer(ctx, runs);
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
      endToEnd.row,
    ],
    details: { engine: recognizer.id, replySeconds: seconds, recognitionMs: { cold: round(coldMs), warm: summary(replyMs) }, silenceMs: summary(silenceMs), lastWordToTransfer: endToEnd.details },
    durationMs: performance.now() - started,
  };
}

const CALLER = 'mateo.alvarez@switchboard.test';
/** The sample front desk's key for billing (README › Spoken replies). */
const BILLING_KEY = '2';

/** 11b: one caller at a time says the billing sentence (or, for the floor, presses its key) and is transferred. */
async function lastWordToTransfer(ctx: BenchContext, runs: number): Promise<{ row: FigureRow; details: Record<string, unknown> }> {
  const name = "Spoken reply: the caller's last word → the transfer request (sample front desk)";
  if (!ctx.startApp) return { row: { id: '11b', name, unit: 'ms', skipped: 'skipped: needs the in-process app (not available with --url)' }, details: {} };
  const bench = await ctx.startApp();
  const control = ctx.control;
  const mediaSpeed = BENCH_EMULATOR.mediaSpeed ?? 1;
  try {
    await bench.app.frontDesk.warmPrompts();
    const listening = async (callId: string) => {
      for (const deadline = performance.now() + 30_000; performance.now() < deadline; await sleep(10)) {
        const call = await control.ok('GET', `/emulator/calls/${callId}`);
        const records = call.operations.filter((o: { type: string }) => o.type === 'recordResponse');
        if (records.length > 0 && call.listeningOperationId === records.at(-1).id) return;
      }
      throw new Error(`the menu of ${callId} never listened`);
    };
    const transferAt = async (callId: string) => {
      for (const deadline = performance.now() + 30_000; performance.now() < deadline; await sleep(10)) {
        const log = await control.ok('GET', `/emulator/requests?path=/v1.0/communications/calls/${callId}/transfer&limit=5`);
        const hit = (log.value as Array<{ method: string; time: string }>).find((r) => r.method === 'POST');
        if (hit) return Date.parse(hit.time);
      }
      throw new Error(`${callId} was never transferred`);
    };
    const once = async (how: 'speak' | 'key'): Promise<number> => {
      const { callId } = await control.ok('POST', `/emulator/people/${CALLER}/dial`, {});
      try {
        await listening(callId);
        let lastWord: number;
        if (how === 'speak') {
          // At media speed the menu listens for well under a second: one that timed out meanwhile asks again.
          let said = await control.json('POST', `/emulator/calls/${callId}/speak`, { text: TYPICAL_REPLY });
          for (let attempt = 1; said.status === 409 && attempt < 3; attempt += 1) {
            await listening(callId);
            said = await control.json('POST', `/emulator/calls/${callId}/speak`, { text: TYPICAL_REPLY });
          }
          if (said.status !== 200) throw new Error(`the emulator did not take the reply: ${said.status}`);
          lastWord = Date.now() + (said.body.seconds * 1000) / mediaSpeed;
        } else {
          lastWord = Date.now();
          await control.ok('POST', `/emulator/calls/${callId}/tones`, { tones: BILLING_KEY });
        }
        return (await transferAt(callId)) - lastWord;
      } finally {
        await bench.app.calls.hangUp(callId).catch(() => undefined);
      }
    };
    await once('speak'); // the first builds the menu's language model: not counted
    const spoken: number[] = [];
    const keyed: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      spoken.push(await once('speak'));
      keyed.push(await once('key'));
    }
    const silenceMs = (END_OF_REPLY_SECONDS * 1000) / mediaSpeed;
    return {
      row: {
        id: '11b',
        name,
        value: round(percentile(spoken, 50)!),
        unit: 'ms',
        floor: { value: round(percentile(keyed, 50)!)!, label: 'the same menu answered with the key for billing: key → transfer request' },
        note: `p50 of ${runs}; includes Graph's end-of-reply silence (${END_OF_REPLY_SECONDS} s, ${Math.round(silenceMs)} ms at the emulator's ${mediaSpeed}× media speed), the download, recognition and decision; the end of speech is the emulator's answer to /speak plus its length (±a few ms)`,
      },
      details: { spokenMs: summary(spoken), keyMs: summary(keyed), mediaSpeed, endOfReplySilenceMs: silenceMs },
    };
  } finally {
    await bench.stop();
  }
}
