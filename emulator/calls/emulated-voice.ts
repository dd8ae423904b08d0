// The emulated people's voice: a sentence → speech audio in the recording format (16 kHz mono 16-bit samples), with
// eSpeak NG compiled to WebAssembly (the optional `espeak-ng` package, GPL-3.0, loaded only at run time). The
// emulator's own: it shares nothing with the app's prompt synthesis.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import wavefile from 'wavefile';
import { EmulatorError } from '../emulator-error.js';
import { PROMPT_SAMPLE_RATE } from './wav-audio.js';

export const MAX_SPOKEN_TEXT = 300;
export const DEFAULT_LANGUAGE = 'en-us';

/** What a person said, as the media service hears it: samples at 16 kHz, without leading or trailing silence. */
export interface SpokenAudio {
  samples: Int16Array;
  seconds: number;
  /** The eSpeak voice that spoke it, e.g. `en-us`, `de`. */
  voice: string;
}

export interface SayOptions {
  /** A language tag (`en-US`, `de`, `de-DE`); default en-us. */
  language?: string;
  /** Mumbled: a hum with the sentence's rhythm and loudness, no words. */
  mumble?: boolean;
}

export interface EmulatedVoice {
  /** The eSpeak voice for a language tag (`en-US` → `en-us`, `de-DE` → `de`), or undefined when there is none. */
  voiceFor(language: string): string | undefined;
  /** Throws EmulatorError `emulator/invalid-text`, `emulator/unknown-language` (400) or `emulator/speech-failed` (500). */
  say(text: string, options?: SayOptions): Promise<SpokenAudio>;
}

/** The few WebAssembly calls used here (Node's globals; the project's TypeScript lib has no DOM types). */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: object): Promise<object>;
}
type WasmModule = { readonly kind: 'compiled WebAssembly module' };
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type ESpeakFactory = (module: {
  arguments: string[];
  print: (line: string) => void;
  printErr: (line: string) => void;
  instantiateWasm: (imports: object, done: (instance: object) => void) => object;
}) => Promise<{ FS: { readFile(path: string): Uint8Array } }>;

const PACKAGE = 'espeak-ng';
const OUTPUT = '/spoken.wav';
/** Samples quieter than this (of 32767) at either end are trimmed as eSpeak's own padding. */
const SILENCE_LEVEL = 200;

/** The voice, or undefined when the optional `espeak-ng` package is not installed (or its WebAssembly will not load). */
export async function loadEmulatedVoice(): Promise<EmulatedVoice | undefined> {
  let factory: ESpeakFactory;
  let wasm: WasmModule;
  try {
    const entry = createRequire(import.meta.url).resolve(PACKAGE);
    factory = ((await import(pathToFileURL(entry).href)) as { default: ESpeakFactory }).default;
    // Compiled once: each phrase is a fresh instance of the same module (eSpeak's CLI runs main() once per instance).
    wasm = await wasmApi.compile(await readFile(join(dirname(entry), 'espeak-ng.wasm')));
  } catch {
    return undefined;
  }
  const run = runner(factory, wasm);
  let voices: Set<string>;
  try {
    voices = parseVoices((await run(['--voices'])).lines);
  } catch {
    return undefined;
  }
  if (!voices.has(DEFAULT_LANGUAGE)) return undefined;
  return new ESpeakVoice(run, voices);
}

type Run = (args: string[]) => Promise<{ lines: string[]; file?: Uint8Array }>;

function runner(factory: ESpeakFactory, wasm: WasmModule): Run {
  return async (args) => {
    const lines: string[] = [];
    // Emscripten's exit handler writes process.exitCode; the emulator's host process keeps its own.
    const exitCode = process.exitCode;
    try {
      const instance = await new Promise<Awaited<ReturnType<ESpeakFactory>>>((resolve, reject) => {
        factory({
          arguments: [...args],
          print: (line) => lines.push(line),
          printErr: () => undefined,
          instantiateWasm: (imports, done) => {
            wasmApi.instantiate(wasm, imports).then(done, reject);
            return {};
          },
        }).then(resolve, reject);
      });
      let file: Uint8Array | undefined;
      try {
        file = instance.FS.readFile(OUTPUT);
      } catch {
        file = undefined;
      }
      return { lines, ...(file ? { file } : {}) };
    } finally {
      process.exitCode = exitCode;
    }
  };
}

/** `--voices` prints `Pty Language Age/Gender VoiceName File Other Languages`: the Language column, lower case. */
function parseVoices(lines: string[]): Set<string> {
  const voices = new Set<string>();
  for (const line of lines.slice(1)) {
    const language = line.trim().split(/\s+/)[1];
    if (language) voices.add(language.toLowerCase());
  }
  return voices;
}

class ESpeakVoice implements EmulatedVoice {
  constructor(
    private readonly run: Run,
    private readonly voices: Set<string>,
  ) {}

  voiceFor(language: string): string | undefined {
    const tag = language.trim().toLowerCase().replace(/_/g, '-');
    if (!/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/.test(tag)) return undefined;
    if (this.voices.has(tag)) return tag;
    const primary = tag.split('-')[0]!;
    return this.voices.has(primary) ? primary : undefined;
  }

  async say(text: string, options: SayOptions = {}): Promise<SpokenAudio> {
    const clean = checkSpokenText(text);
    const voice = this.voiceFor(options.language ?? DEFAULT_LANGUAGE);
    if (!voice) throw new EmulatorError('emulator/unknown-language', `eSpeak NG has no voice for language '${options.language ?? ''}': use a tag such as en-us, en-gb, de or fr.`, 400);
    let file: Uint8Array | undefined;
    try {
      // `--` ends the options, so a sentence that starts with "-" is spoken, not parsed. Speed 150 wpm, a lower pitch
      // than eSpeak's default so the caller does not sound like the bot's built-in prompts.
      file = (await this.run(['-v', voice, '-s', '150', '-p', '40', '-w', OUTPUT, '--', clean])).file;
    } catch (err) {
      throw new EmulatorError('emulator/speech-failed', `eSpeak NG could not speak the sentence: ${(err as Error).message}`, 500, { cause: err });
    }
    if (!file) throw new EmulatorError('emulator/speech-failed', 'eSpeak NG produced no audio for the sentence.', 500);
    let samples = trimSilence(toRecordingSamples(file));
    if (samples.length === 0) throw new EmulatorError('emulator/speech-failed', 'eSpeak NG produced only silence for the sentence.', 500);
    if (options.mumble) samples = mumbled(samples);
    return { samples, seconds: samples.length / PROMPT_SAMPLE_RATE, voice };
  }
}

/** The sentence as it will be spoken (control characters and runs of spaces collapsed); 400 when empty or too long. */
export function checkSpokenText(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (clean === '') throw new EmulatorError('emulator/invalid-text', 'There is nothing to say: "text" is empty.', 400);
  if (clean.length > MAX_SPOKEN_TEXT) throw new EmulatorError('emulator/invalid-text', `"text" is ${clean.length} characters: a caller says at most ${MAX_SPOKEN_TEXT} at a time.`, 400);
  return clean;
}

/** eSpeak's WAV (22,050 Hz mono 16-bit) → 16 kHz mono 16-bit samples. */
function toRecordingSamples(file: Uint8Array): Int16Array {
  const wav = new wavefile.WaveFile(file);
  const fmt = wav.fmt as { numChannels: number; sampleRate: number; bitsPerSample: number };
  if (fmt.numChannels !== 1) throw new EmulatorError('emulator/speech-failed', `eSpeak NG produced ${fmt.numChannels} channels.`, 500);
  if (fmt.bitsPerSample !== 16) wav.toBitDepth('16');
  if (fmt.sampleRate !== PROMPT_SAMPLE_RATE) wav.toSampleRate(PROMPT_SAMPLE_RATE, { method: 'cubic', LPF: true });
  const values = wav.getSamples(false, Int16Array) as unknown as Int16Array;
  return Int16Array.from(values);
}

function trimSilence(samples: Int16Array): Int16Array {
  let start = 0;
  let end = samples.length;
  while (start < end && Math.abs(samples[start]!) < SILENCE_LEVEL) start++;
  while (end > start && Math.abs(samples[end - 1]!) < SILENCE_LEVEL) end--;
  return samples.slice(start, end);
}

/**
 * Mumbling: a closed-mouth hum (about 110 Hz with two harmonics, muffled) that follows the sentence's rhythm and
 * loudness, 10 ms at a time, so it sounds like someone speaking but carries no words. (Played backwards, the words
 * still gave PocketSphinx menu words such as "quote"; the hum gave none.)
 */
function mumbled(samples: Int16Array): Int16Array {
  const envelope = loudness(samples);
  const hum = new Float64Array(samples.length);
  const lowPass = 1 - Math.exp((-2 * Math.PI * 800) / PROMPT_SAMPLE_RATE);
  let phase = 0;
  let smooth = 0;
  let peak = 1;
  for (let i = 0; i < samples.length; i++) {
    const pitch = 110 + 15 * Math.sin((2 * Math.PI * 1.3 * i) / PROMPT_SAMPLE_RATE);
    phase += (2 * Math.PI * pitch) / PROMPT_SAMPLE_RATE;
    const buzz = (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase)) * envelope[i]!;
    smooth += lowPass * (buzz - smooth);
    hum[i] = smooth;
    peak = Math.max(peak, Math.abs(smooth));
  }
  return Int16Array.from(hum, (v) => Math.round((v / peak) * 12_000));
}

/** The sentence's loudness per sample: the RMS of each 10 ms window, averaged with three windows either side. */
function loudness(samples: Int16Array): Float64Array {
  const window = PROMPT_SAMPLE_RATE / 100;
  const rms: number[] = [];
  for (let start = 0; start < samples.length; start += window) {
    let sum = 0;
    const end = Math.min(samples.length, start + window);
    for (let i = start; i < end; i++) sum += samples[i]! * samples[i]!;
    rms.push(Math.sqrt(sum / (end - start)));
  }
  const smoothed = rms.map((_, k) => {
    const near = rms.slice(Math.max(0, k - 3), k + 4);
    return near.reduce((a, b) => a + b, 0) / near.length;
  });
  return Float64Array.from(samples, (_, i) => smoothed[Math.floor(i / window)]!);
}
