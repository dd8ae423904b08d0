// Turns prompt text into a URL Graph can fetch: synthesize once, cache by (engine, text), serve from the app's own
// prompts path. A failing synthesizer falls back to a stock prompt and says so — a call never waits silently.
import { createHash } from 'node:crypto';
import { PromptCache } from './prompt-cache.js';
import { STOCK_PROMPTS, type StockPromptName } from './stock-prompts.js';
import type { SpeechSynthesizer } from './synthesizer.js';

export interface PromptRef {
  /** Absolute URL under the app's public prompts path. */
  uri: string;
  /** Graph's optional cache key for the media (the content id). */
  resourceId: string;
  /** True when the text could not be synthesized and a stock prompt stands in. */
  fallback: boolean;
}

export interface PromptServiceOptions {
  cache: PromptCache;
  /** e.g. https://switchboard.example.com/prompts */
  baseUrl: string;
  synthesizer?: SpeechSynthesizer;
  logger?: { warn(obj: object, msg?: string): void };
}

/** How many prompts' texts are remembered for textOf (the newest). */
const TEXTS_KEPT = 1_000;

export class PromptService {
  private readonly options: PromptServiceOptions;
  private readonly inFlight = new Map<string, Promise<PromptRef>>();
  private readonly texts = new Map<string, string>();

  constructor(options: PromptServiceOptions) {
    this.options = options;
  }

  get cache(): PromptCache {
    return this.options.cache;
  }

  get engine(): string {
    return this.options.synthesizer?.id ?? 'stock';
  }

  /**
   * The prompt for spoken text, in the voice for `language` (BCP-47; the default voice when absent); `fallback`
   * names the stock prompt used when speech is unavailable or fails.
   */
  async speak(text: string, fallback: StockPromptName = 'menu', language?: string): Promise<PromptRef> {
    const synthesizer = this.options.synthesizer;
    if (!synthesizer) return { ...(await this.stock(fallback)), fallback: true };
    // The default voice keeps its old cache key, so prompts synthesized before languages existed are still found.
    const voice = language === undefined ? synthesizer.id : synthesizer.voiceFor(language);
    const id = createHash('sha256').update(`${voice}\u0000${text}`).digest('hex');
    this.remember(id, text);
    const running = this.inFlight.get(id);
    if (running) return running;
    const work = (async (): Promise<PromptRef> => {
      if (await this.options.cache.has(id)) return this.ref(id, false);
      try {
        await this.options.cache.put(await synthesizer.synthesize(text, language), id);
        return this.ref(id, false);
      } catch (err) {
        this.options.logger?.warn({ err, engine: synthesizer.id, fallback }, 'speech synthesis failed; using a stock prompt');
        return { ...(await this.stock(fallback)), fallback: true };
      }
    })().finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, work);
    return work;
  }

  async stock(name: StockPromptName): Promise<PromptRef> {
    const id = await this.options.cache.put(STOCK_PROMPTS[name]());
    return this.ref(id, false);
  }

  /** Stores a WAV someone supplied (already checked to be in prompt format). */
  async file(wav: Buffer): Promise<PromptRef> {
    return this.ref(await this.options.cache.put(wav), false);
  }

  /** The text a spoken prompt says, while remembered (local mode shows it in the emulator console). */
  textOf(id: string): string | undefined {
    return this.texts.get(id);
  }

  private remember(id: string, text: string): void {
    this.texts.delete(id);
    this.texts.set(id, text);
    if (this.texts.size > TEXTS_KEPT) this.texts.delete(this.texts.keys().next().value!);
  }

  private ref(id: string, fallback: boolean): PromptRef {
    return { uri: `${this.options.baseUrl}/${id}.wav`, resourceId: id, fallback };
  }
}
