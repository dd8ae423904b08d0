// Text → prompt WAV (16 kHz mono 16-bit PCM). Two engines behind one interface: the embedded eSpeak NG
// (WebAssembly, offline; GPL-3.0, so it is an optional dependency loaded only at run time) and Azure Speech (REST)
// when a key is configured.
import { Worker } from 'node:worker_threads';
import type { HttpTransport } from '../graph/http-transport.js';
import { importEspeak } from './espeak-phrase.js';
import type { EspeakReply, EspeakRequest } from './espeak-worker.js';
import { toPromptFormat } from './prompt-format.js';

export { toPromptFormat };

export interface SpeechSynthesizer {
  /** A short name that goes into cache keys, e.g. `espeak-ng:en-us`. */
  readonly id: string;
  /** Speaks `text`, in the voice for `language` (BCP-47) when given; the default voice otherwise. */
  synthesize(text: string, language?: string): Promise<Buffer>;
  /** The voice a language is spoken in (it goes into cache keys); the default voice for a language it lacks. */
  voiceFor(language: string | undefined): string;
}

/** eSpeak NG's voice names for the languages it ships, by primary language (regional English kept apart). */
const ESPEAK_VOICES: Record<string, string> = {
  'en-us': 'en-us', 'en-gb': 'en-gb', 'en-au': 'en-gb', 'en-ie': 'en-gb', en: 'en-us',
  de: 'de', fr: 'fr', es: 'es', it: 'it', nl: 'nl', pt: 'pt', pl: 'pl', sv: 'sv', da: 'da', nb: 'nb', fi: 'fi', cs: 'cs', tr: 'tr', ru: 'ru', ja: 'ja', zh: 'cmn',
};

/** Azure neural voices used when the front desk speaks a language and AZURE_SPEECH_VOICE is for another. */
const AZURE_VOICES: Record<string, string> = {
  'en-us': 'en-US-JennyNeural', 'en-gb': 'en-GB-SoniaNeural', en: 'en-US-JennyNeural', de: 'de-DE-KatjaNeural', fr: 'fr-FR-DeniseNeural',
  es: 'es-ES-ElviraNeural', it: 'it-IT-ElsaNeural', nl: 'nl-NL-FennaNeural', pt: 'pt-BR-FranciscaNeural', pl: 'pl-PL-AgnieszkaNeural',
  sv: 'sv-SE-SofieNeural', da: 'da-DK-ChristelNeural', nb: 'nb-NO-PernilleNeural', fi: 'fi-FI-NooraNeural', ja: 'ja-JP-NanamiNeural', zh: 'zh-CN-XiaoxiaoNeural',
};

function voiceIn(table: Record<string, string>, language: string | undefined): string | undefined {
  if (!language) return undefined;
  const tag = language.toLowerCase();
  return table[tag] ?? table[tag.split('-')[0]!];
}

export class SpeechError extends Error {
  readonly code: 'speech/unavailable' | 'speech/failed' | 'speech/invalid-text';
  constructor(code: SpeechError['code'], message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'SpeechError';
    this.code = code;
  }
}

export const MAX_PROMPT_TEXT = 1000;

/**
 * The worker thread eSpeak runs in, started on the first phrase and shared by every synthesizer of the process; it
 * does not keep the process alive while idle. A worker that dies is replaced on the next phrase (the ones it held fail
 * and fall back to stock prompts, as any synthesis failure does).
 */
class EspeakThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (wav: Uint8Array) => void; reject: (err: Error) => void }>();

  speak(text: string, voice: string): Promise<Uint8Array> {
    const worker = this.started();
    const id = this.nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, text, voice } satisfies EspeakRequest);
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./espeak-worker.js', import.meta.url));
    worker.unref();
    worker.on('message', (reply: EspeakReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (!waiting) return;
      if ('wav' in reply) waiting.resolve(reply.wav);
      else waiting.reject(new Error(reply.error));
    });
    const lost = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiting of this.pending.values()) waiting.reject(err);
      this.pending.clear();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the eSpeak worker thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}

let espeakThread: EspeakThread | undefined;

/** The embedded synthesizer, or undefined when the optional `espeak-ng` package is not installed. */
export async function loadEspeakSynthesizer(voice = 'en-us'): Promise<SpeechSynthesizer | undefined> {
  if (!(await importEspeak())) return undefined;
  const thread = (espeakThread ??= new EspeakThread());
  const voiceFor = (language: string | undefined) => voiceIn(ESPEAK_VOICES, language) ?? voice;
  return {
    id: `espeak-ng:${voice}`,
    voiceFor: (language) => `espeak-ng:${voiceFor(language)}`,
    async synthesize(text: string, language?: string): Promise<Buffer> {
      const clean = checkText(text);
      try {
        // In a worker thread: eSpeak's main() is synchronous and would stall every call on the event loop.
        return Buffer.from(await thread.speak(clean, voiceFor(language)));
      } catch (err) {
        throw new SpeechError('speech/failed', `eSpeak NG could not synthesize the prompt: ${(err as Error).message}`, err);
      }
    },
  };
}

export interface AzureSpeechOptions {
  key: string;
  region: string;
  voice?: string;
  transport: HttpTransport;
  /** Override for tests; default https://{region}.tts.speech.microsoft.com */
  endpoint?: string;
}

/** Azure Speech text-to-speech over REST, asking directly for 16 kHz 16-bit mono RIFF PCM. */
export function azureSpeechSynthesizer(options: AzureSpeechOptions): SpeechSynthesizer {
  const voice = options.voice ?? 'en-US-JennyNeural';
  const endpoint = options.endpoint ?? `https://${options.region}.tts.speech.microsoft.com`;
  // The configured voice speaks its own language; another language gets a standard neural voice for it.
  const voiceFor = (language: string | undefined): string => {
    if (!language || language.split('-')[0]!.toLowerCase() === voice.split('-')[0]!.toLowerCase()) return voice;
    return voiceIn(AZURE_VOICES, language) ?? voice;
  };
  return {
    id: `azure:${voice}`,
    voiceFor: (language) => `azure:${voiceFor(language)}`,
    async synthesize(text: string, language?: string): Promise<Buffer> {
      const chosen = voiceFor(language);
      const lang = chosen.split('-').slice(0, 2).join('-');
      const ssml = `<speak version="1.0" xml:lang="${escapeXml(lang)}"><voice name="${escapeXml(chosen)}">${escapeXml(checkText(text))}</voice></speak>`;
      const res = await options.transport
        .send({
          method: 'POST',
          url: `${endpoint}/cognitiveservices/v1`,
          headers: {
            'ocp-apim-subscription-key': options.key,
            'content-type': 'application/ssml+xml',
            'x-microsoft-outputformat': 'riff-16khz-16bit-mono-pcm',
            'user-agent': 'switchboard',
          },
          body: ssml,
        })
        .catch((err: unknown) => {
          throw new SpeechError('speech/unavailable', `Azure Speech could not be reached: ${(err as Error).message}`, err);
        });
      if (res.status !== 200) throw new SpeechError('speech/failed', `Azure Speech answered ${res.status}`);
      try {
        return toPromptFormat(res.body);
      } catch (err) {
        throw new SpeechError('speech/failed', `Azure Speech's audio could not be used: ${(err as Error).message}`, err);
      }
    },
  };
}

function checkText(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (clean === '') throw new SpeechError('speech/invalid-text', 'There is no text to speak.');
  if (clean.length > MAX_PROMPT_TEXT) throw new SpeechError('speech/invalid-text', `Prompt text is longer than ${MAX_PROMPT_TEXT} characters.`);
  return clean;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
