// Text → prompt WAV (16 kHz mono 16-bit PCM). Two engines behind one interface: the embedded eSpeak NG
// (WebAssembly, offline; GPL-3.0, so it is an optional dependency loaded only at run time) and Azure Speech (REST)
// when a key is configured.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import wavefile from 'wavefile';
import type { HttpTransport } from '../graph/http-transport.js';
import { resampleInt16 } from './resample.js';
import { encodeWav, PROMPT_SAMPLE_RATE } from './wav.js';

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

type ESpeakModule = (options: {
  arguments: string[];
  print?: (s: string) => void;
  printErr?: (s: string) => void;
  preRun?: Array<() => void>;
  postRun?: Array<() => void>;
  instantiateWasm?: (imports: object, receive: (instance: object, module: object) => void) => object;
}) => Promise<{
  FS: { readFile(path: string): Uint8Array };
}>;

/**
 * eSpeak NG's 18 MB WebAssembly, compiled once per process: the CLI build runs main() once per instance, so every
 * phrase needs a new instance, but not a new compilation. Undefined when the file cannot be found or compiled (the
 * module then compiles it itself, as before).
 */
/** The part of the WebAssembly API used here (the compiler's libraries here do not declare it). */
const wasmApi = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object>; instantiate(module: object, imports: object): Promise<object> } }).WebAssembly;
let compiledEspeak: Promise<object | undefined> | undefined;
function espeakWasm(moduleName: string): Promise<object | undefined> {
  compiledEspeak ??= (async () => {
    try {
      const entry = createRequire(import.meta.url).resolve(moduleName);
      return await wasmApi.compile(await readFile(join(dirname(entry), 'espeak-ng.wasm')));
    } catch {
      return undefined;
    }
  })();
  return compiledEspeak;
}

/** The embedded synthesizer, or undefined when the optional `espeak-ng` package is not installed. */
export async function loadEspeakSynthesizer(voice = 'en-us'): Promise<SpeechSynthesizer | undefined> {
  let create: ESpeakModule;
  const moduleName = 'espeak-ng'; // kept in a variable: an optional dependency, resolved only at run time
  try {
    create = ((await import(moduleName)) as { default: ESpeakModule }).default;
  } catch {
    return undefined;
  }
  const voiceFor = (language: string | undefined) => voiceIn(ESPEAK_VOICES, language) ?? voice;
  return {
    id: `espeak-ng:${voice}`,
    voiceFor: (language) => `espeak-ng:${voiceFor(language)}`,
    async synthesize(text: string, language?: string): Promise<Buffer> {
      const clean = checkText(text);
      try {
        // One instance per phrase: eSpeak's WASM CLI runs main() once per instantiation.
        // The WASM runtime sets process.exitCode to eSpeak's exit status: keep the process's own.
        const exitCode = process.exitCode;
        const wasm = await espeakWasm(moduleName);
        // While eSpeak's main() runs (synchronously, between preRun and postRun) its file system throws an error
        // for every file it probes, each capturing a stack trace: about a third of a prompt's time. No other code
        // runs in that window, so stack traces are off just for it.
        const stackTraceLimit = Error.stackTraceLimit;
        const restore = () => {
          Error.stackTraceLimit = stackTraceLimit;
        };
        let failInstantiate: (err: unknown) => void = () => undefined;
        const instantiateFailed = new Promise<never>((_, reject) => {
          failInstantiate = reject;
        });
        const instance = await Promise.race([instantiateFailed, create({
          arguments: ['-v', voiceFor(language), '-s', '160', '-w', '/tmp/prompt.wav', '--', clean],
          print: () => undefined,
          printErr: () => undefined,
          preRun: [() => {
            Error.stackTraceLimit = 0;
          }],
          postRun: [restore],
          ...(wasm ? {
            instantiateWasm: (imports, receive) => {
              wasmApi.instantiate(wasm, imports).then((instance) => receive(instance, wasm), failInstantiate);
              return {};
            },
          } : {}),
        })]).finally(() => {
          restore();
          process.exitCode = exitCode;
        });
        return toPromptFormat(Buffer.from(instance.FS.readFile('/tmp/prompt.wav')));
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
      return toPromptFormat(res.body);
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

/** Any PCM WAV → 16 kHz mono 16-bit, as Graph's playPrompt requires. */
export function toPromptFormat(wav: Buffer): Buffer {
  const file = new wavefile.WaveFile(wav);
  const fmt = file.fmt as { numChannels: number; sampleRate: number; bitsPerSample: number };
  if (fmt.numChannels !== 1) throw new SpeechError('speech/failed', 'The synthesizer produced multi-channel audio.');
  if (fmt.bitsPerSample !== 16) file.toBitDepth('16');
  if (fmt.sampleRate === PROMPT_SAMPLE_RATE) return Buffer.from(file.toBuffer());
  const samples = file.getSamples(false, Int16Array) as unknown as Int16Array;
  return encodeWav(resampleInt16(Int16Array.from(samples), fmt.sampleRate, PROMPT_SAMPLE_RATE));
}
