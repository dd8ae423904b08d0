// The worker thread that runs eSpeak NG for the synthesizer (espeak-phrase.ts says why): one phrase at a time, in the
// order asked; the answer is the prompt WAV (resampled to Graph's format here too) or the error's message.
import { parentPort } from 'node:worker_threads';
import { espeakPhrase, importEspeak } from './espeak-phrase.js';
import { toPromptFormat } from './prompt-format.js';

export interface EspeakRequest {
  id: number;
  text: string;
  voice: string;
}
export type EspeakReply = { id: number; wav: Uint8Array } | { id: number; error: string };

const port = parentPort;
if (port) {
  const create = importEspeak();
  let queue = Promise.resolve();
  port.on('message', (request: EspeakRequest) => {
    queue = queue.then(async () => {
      try {
        const factory = await create;
        if (!factory) throw new Error('the espeak-ng package is not installed');
        const prompt = toPromptFormat(Buffer.from(await espeakPhrase(factory, request.text, request.voice)));
        // A Buffer may be a view into a shared pool: send a copy of exactly its bytes, moved rather than copied again.
        const wav = new Uint8Array(prompt);
        port.postMessage({ id: request.id, wav } satisfies EspeakReply, [wav.buffer as ArrayBuffer]);
      } catch (err) {
        port.postMessage({ id: request.id, error: (err as Error).message } satisfies EspeakReply);
      }
    });
  });
}
