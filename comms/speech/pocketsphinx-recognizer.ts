// The offline recogniser: Debian's PocketSphinx (`pocketsphinx_continuous`, packages pocketsphinx and
// pocketsphinx-en-us — the only recogniser whose model installs from a registry here; US English only). Its general
// n-gram model turns whole sentences into garbage, so each menu gets a small language model of its own: the menu's
// phrases put into the sentences callers use around them ("I'm calling about my …"), everyday sentences that name no
// topic, and common English words as a floor — so callers' own words are heard as words, and the intent matcher finds
// the phrase among them. One child process per reply; the WAV is written to a private temporary folder and deleted
// before the result returns; neither the audio nor the text is logged.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { resampleInt16 } from './resample.js';
import { addComfortNoise } from './comfort-noise.js';
import { readEnglishUnigrams } from './english-unigrams.js';
import { CARRIER_SENTENCES, COMMON_WORDS, EVERYDAY_SENTENCES } from './caller-language.js';
import { buildArpaModel, type LanguageModelOptions } from './language-model.js';
import { RecognitionError, type Recognition, type RecognitionRequest, type SpeechRecognizer } from './recognition.js';
import { encodeWav, PROMPT_SAMPLE_RATE, readWavFormat } from './wav.js';

export interface PocketsphinxOptions {
  binary?: string;
  /** The folder holding the acoustic model (`en-us/`) and the pronunciation dictionary. */
  modelDir?: string;
  logger?: { debug?(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  /** Tuning (the recognition spec and bench measure with the defaults): extra decoder arguments, model settings. */
  decoderArgs?: readonly string[];
  languageModel?: LanguageModelOptions;
}

const DEFAULTS = { binary: '/usr/bin/pocketsphinx_continuous', modelDir: '/usr/share/pocketsphinx/model/en-us' };
/** Longest reply accepted (Graph records at most 2 min; speech menus record at most 60 s). */
const MAX_SECONDS = 120;
/** How many of English's most common words each menu's model knows besides its own (measured: 3,000 keeps speech
 * about something else off the menu's words without losing the menu's words). */
const ENGLISH_WORDS = 3000;
/** Their share of the unigram probability. */
const BACKGROUND_WEIGHT = 0.2;

/** Where PocketSphinx and its model are, or why not (the doctor reports this). */
export function pocketsphinxInstalled(options: PocketsphinxOptions = {}): { ok: true } | { ok: false; missing: string } {
  const binary = options.binary ?? DEFAULTS.binary;
  const modelDir = options.modelDir ?? DEFAULTS.modelDir;
  if (!existsSync(binary)) return { ok: false, missing: binary };
  for (const file of [join(modelDir, 'en-us'), join(modelDir, 'cmudict-en-us.dict')]) if (!existsSync(file)) return { ok: false, missing: file };
  return { ok: true };
}

/** The local recogniser, or undefined when PocketSphinx or its model is not installed. */
export async function loadPocketsphinxRecognizer(options: PocketsphinxOptions = {}): Promise<SpeechRecognizer | undefined> {
  if (!pocketsphinxInstalled(options).ok) return undefined;
  return new PocketsphinxRecognizer(options);
}

class PocketsphinxRecognizer implements SpeechRecognizer {
  readonly id = 'pocketsphinx:en-us';
  private readonly binary: string;
  private readonly modelDir: string;
  private dictionary?: Promise<Map<string, string[]>>;
  /** Per set of phrases: its language model and dictionary, as file contents (derived from the menu, not from media). */
  private readonly models = new Map<string, Promise<{ lm: string; dict: string }>>();
  private unigrams?: Promise<Map<string, number> | undefined>;

  constructor(private readonly options: PocketsphinxOptions) {
    this.binary = options.binary ?? DEFAULTS.binary;
    this.modelDir = options.modelDir ?? DEFAULTS.modelDir;
  }

  supports(language: string): boolean {
    return /^en(-|$)/i.test(language);
  }

  async recognize(wav: Buffer, request: RecognitionRequest, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<Recognition> {
    if (!this.supports(request.language)) throw new RecognitionError('speech/unsupported-language', `PocketSphinx here hears US English only, not ${request.language}.`);
    const audio = encodeWav(addComfortNoise(toRecognizerSamples(wav)), PROMPT_SAMPLE_RATE);
    const model = await this.modelFor(request.phrases);
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-reply-'));
    try {
      const file = join(dir, 'reply.wav');
      await writeFile(file, audio, { mode: 0o600 });
      await writeFile(join(dir, 'menu.arpa'), model.lm);
      await writeFile(join(dir, 'menu.dict'), model.dict);
      const output = await this.run(['-infile', file, '-hmm', join(this.modelDir, 'en-us'), '-lm', join(dir, 'menu.arpa'), '-dict', join(dir, 'menu.dict'), '-time', 'yes', '-logfn', '/dev/null', ...(this.options.decoderArgs ?? [])], options);
      return readHypothesis(output);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private run(args: string[], options: { signal?: AbortSignal; timeoutMs?: number }): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let settled = false;
      const finish = (err: RecognitionError | undefined, text?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (err) {
          child.kill('SIGKILL');
          reject(err);
        } else resolve(text ?? '');
      };
      const timer = setTimeout(() => finish(new RecognitionError('speech/timeout', 'PocketSphinx took too long to recognise the reply.')), options.timeoutMs ?? 15_000);
      const onAbort = () => finish(new RecognitionError('speech/timeout', 'The recognition was cancelled.'));
      options.signal?.addEventListener('abort', onAbort);
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.resume();
      child.on('error', (err) => finish(new RecognitionError('speech/recognizer-unavailable', `PocketSphinx could not be started: ${err.message}`, err)));
      child.on('close', (code) => {
        if (code === 0) finish(undefined, Buffer.concat(out).toString('utf8'));
        else finish(new RecognitionError('speech/recognition-failed', `PocketSphinx exited with code ${code}.`));
      });
      if (options.signal?.aborted) onAbort(); // cancelled while the reply was being prepared
    });
  }

  private modelFor(phrases: readonly string[]): Promise<{ lm: string; dict: string }> {
    const key = [...new Set(phrases.map((p) => p.toLowerCase().trim()))].sort().join('\n');
    let model = this.models.get(key);
    if (!model) {
      model = this.buildModel(key.split('\n').filter(Boolean));
      model.catch(() => this.models.delete(key));
      this.models.set(key, model);
      if (this.models.size > 64) this.models.delete(this.models.keys().next().value!);
    }
    return model;
  }

  private async buildModel(phrases: string[]): Promise<{ lm: string; dict: string }> {
    const [dictionary, english] = await Promise.all([this.loadDictionary(), this.loadUnigrams()]);
    const spelled = (word: string): string | undefined => [word, ...americanSpellings(word)].find((w) => dictionary.has(w));
    const phraseWords = phrases.map((p) => p.split(/[^a-z']+/).filter(Boolean).map((w) => spelled(w)).filter((w): w is string => !!w).join(' ')).filter(Boolean);
    const vocabulary = new Set<string>();
    for (const word of COMMON_WORDS) if (dictionary.has(word)) vocabulary.add(word);
    for (const word of english?.keys() ?? []) if (dictionary.has(word)) vocabulary.add(word);
    for (const phrase of phraseWords) for (const word of phrase.split(' ')) for (const form of inflections(word)) if (dictionary.has(form)) vocabulary.add(form);
    const corpus = [...CARRIER_SENTENCES.flatMap((carrier) => phraseWords.map((p) => carrier.replace('{}', p))), ...EVERYDAY_SENTENCES, ...COMPLAINTS];
    for (const sentence of corpus) for (const word of sentence.split(' ')) if (dictionary.has(word)) vocabulary.add(word);
    const dropped = phrases.flatMap((p) => p.split(/[^a-z']+/).filter(Boolean)).filter((w) => !spelled(w));
    if (dropped.length > 0) this.options.logger?.debug?.({ words: dropped }, 'menu words PocketSphinx has no pronunciation for (left out of its model)');
    const lm = buildArpaModel(corpus, vocabulary, { ...(english ? { background: english, backgroundWeight: BACKGROUND_WEIGHT } : {}), ...this.options.languageModel });
    const dict = `${[...vocabulary].flatMap((w) => dictionary.get(w) ?? []).join('\n')}\n`;
    return { lm, dict };
  }

  /** The general model's most common words (undefined, and only the built-in word list, when it cannot be read). */
  private loadUnigrams(): Promise<Map<string, number> | undefined> {
    this.unigrams ??= readEnglishUnigrams(join(this.modelDir, 'en-us.lm.bin'), ENGLISH_WORDS).then((words) => {
      if (!words) this.options.logger?.debug?.({ file: join(this.modelDir, 'en-us.lm.bin') }, 'the general English model could not be read; menus use the built-in word list only');
      return words;
    });
    return this.unigrams;
  }

  private loadDictionary(): Promise<Map<string, string[]>> {
    this.dictionary ??= readFile(join(this.modelDir, 'cmudict-en-us.dict'), 'utf8').then((text) => {
      const entries = new Map<string, string[]>();
      for (const line of text.split('\n')) {
        const space = line.indexOf(' ');
        if (space < 0) continue;
        const word = line.slice(0, space).replace(/\(\d+\)$/, '');
        const list = entries.get(word);
        if (list) list.push(line);
        else entries.set(word, [line]);
      }
      return entries;
    });
    return this.dictionary;
  }
}

/**
 * How upset callers sound, so their words are heard and the sentiment analyser can tell (menus name topics, not
 * moods): the words of complaint in a few plain frames.
 */
const COMPLAINT_WORDS = [
  'angry', 'annoyed', 'awful', 'bad', 'disappointed', 'disgusting', 'frustrated', 'furious', 'hate', 'horrible', 'pathetic',
  'ridiculous', 'rubbish', 'terrible', 'unacceptable', 'upset', 'useless', 'worst', 'sick', 'tired', 'fed up', 'again',
];
const COMPLAINTS: readonly string[] = COMPLAINT_WORDS.flatMap((w) => [
  `i am ${w}`, `i am really ${w}`, `this is ${w}`, `it is ${w}`, `your service is ${w}`, `that is ${w}`,
]).concat([
  'nobody fixes it', 'nobody helps me', 'nobody calls me back', 'i have been waiting for hours', 'this is the third time i am calling',
  'i have called so many times', 'it still does not work', 'i want to complain', 'i am fed up with this',
]);

/**
 * `-time yes` prints, for each stretch of speech, the hypothesis and then one line per word: `word start end
 * posterior`. The words (fillers, silences and pronunciation variants' "(2)" left out) are the text; their mean
 * posterior probability is the confidence.
 */
function readHypothesis(output: string): Recognition {
  const words: string[] = [];
  let posterior = 0;
  for (const line of output.split('\n')) {
    const parts = line.trim().split(' ');
    if (parts.length !== 4 || !parts.slice(1).every((p) => /^-?\d+(\.\d+)?$/.test(p))) continue;
    const word = parts[0]!.replace(/\(\d+\)$/, '');
    if (/^[<[(]/.test(word)) continue; // <s>, </s>, <sil>, [NOISE], (NULL)
    words.push(word);
    posterior += Math.min(1, Math.max(0, Number(parts[3])));
  }
  if (words.length === 0) return { text: '', confidence: 0 };
  return { text: words.join(' '), confidence: Math.round((posterior / words.length) * 100) / 100 };
}

/** The recording as PocketSphinx wants it: 16 kHz mono 16-bit samples (Graph's recordings already are). */
function toRecognizerSamples(wav: Buffer): Int16Array {
  const format = readWavFormat(wav);
  if (!format || format.audioFormat !== 1 || format.dataBytes < 2 || format.channels < 1) throw new RecognitionError('speech/unreadable-audio', 'The recording is not a PCM WAV with audio in it.');
  const seconds = format.dataBytes / (format.sampleRate * format.channels * (format.bitsPerSample / 8));
  if (seconds > MAX_SECONDS) throw new RecognitionError('speech/unreadable-audio', `The recording is longer than ${MAX_SECONDS} s.`);
  try {
    const file = new wavefile.WaveFile(wav);
    if (format.bitsPerSample !== 16) file.toBitDepth('16');
    const samples = file.getSamples(false, Int16Array) as unknown as Int16Array | Int16Array[];
    const mono = Array.isArray(samples) ? downmix(samples) : Int16Array.from(samples);
    return resampleInt16(mono, format.sampleRate, PROMPT_SAMPLE_RATE);
  } catch (err) {
    throw new RecognitionError('speech/unreadable-audio', 'The recording is not PCM audio that could be converted to 16 kHz mono.', err);
  }
}

function downmix(channels: Int16Array[]): Int16Array {
  const length = Math.min(...channels.map((c) => c.length));
  const out = new Int16Array(length);
  for (let i = 0; i < length; i += 1) {
    let sum = 0;
    for (const c of channels) sum += c[i]!;
    out[i] = Math.round(sum / channels.length);
  }
  return out;
}

/** British spellings of menu words, in the US dictionary's form (licence → license, colour → color). */
function americanSpellings(word: string): string[] {
  return [word.replace(/ence$/, 'ense'), word.replace(/our$/, 'or'), word.replace(/ise$/, 'ize'), word.replace(/ises$/, 'izes'), word.replace(/ences$/, 'enses')].filter((w) => w !== word);
}

function inflections(word: string): string[] {
  return [word, `${word}s`, `${word}es`, `${word}ed`, `${word}d`, `${word}ing`, `${word.replace(/e$/, '')}ing`, word.replace(/y$/, 'ies')];
}
