// Figure 7 — prompt synthesis: text → Graph-format WAV with the built-in eSpeak NG voice through the PromptService
// (a fresh cache each run, so every run synthesizes), then the same prompt served from the app's cache over HTTP
// (GET /prompts/<id>.wav); floor for both: reading that WAV file from disk.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadEspeakSynthesizer, PromptCache, PromptService } from '../../comms/speech/index.js';
import type { AppTarget, BenchContext } from '../bench-context.js';
import type { FigureResult, FigureRow } from '../figure-row.js';
import { timedGets } from '../support/http-probe.js';
import { percentile, round, summary } from '../support/stats.js';

/** A typical menu prompt (the sample front desk's main menu). */
export const TYPICAL_PROMPT =
  'Thank you for calling Switchboard. Press 1 to speak to an agent. Press 2 to leave a message. Press 3 for our opening hours. Press 9 to hear these options again.';

export async function promptSynthesis(ctx: BenchContext, target: AppTarget, promptUris: string[]): Promise<FigureResult> {
  const started = performance.now();
  const sizes = ctx.sizes.prompts;
  const synthesizer = await loadEspeakSynthesizer();
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-prompts-'));
  try {
    if (!synthesizer) {
      const reason = 'skipped: the optional espeak-ng package is not installed';
      return { title: '7 Prompt synthesis', rows: [{ id: '7a', name: 'Prompt synthesis (eSpeak NG)', unit: 'ms', skipped: reason }, { id: '7b', name: 'Prompt served from the cache', unit: 'ms', skipped: reason }], details: {}, durationMs: performance.now() - started };
    }
    const runs: number[] = [];
    let wavFile = '';
    let wavBytes = 0;
    for (let i = 0; i <= sizes.synthRuns; i++) {
      const cacheDir = join(dir, `run-${i}`);
      const prompts = new PromptService({ cache: new PromptCache(cacheDir), baseUrl: 'http://127.0.0.1/prompts', synthesizer });
      const t = performance.now();
      const ref = await prompts.speak(TYPICAL_PROMPT);
      runs.push(performance.now() - t);
      wavFile = join(cacheDir, `${ref.resourceId}.wav`);
      if (ref.fallback) throw new Error('eSpeak NG failed: the prompt fell back to a stock prompt');
    }
    const [cold, ...warm] = runs;
    const reads: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      wavBytes = (await readFile(wavFile)).length;
      reads.push(performance.now() - t);
    }
    const readP50 = round(percentile(reads, 50), 3)!;

    // Served by the app from its cache: the prompt the app itself made (in-process), or one the emulator fetched.
    let serveUrl: string | undefined;
    if (target.bench) serveUrl = (await target.bench.app.prompts.speak(TYPICAL_PROMPT)).uri;
    else serveUrl = promptUris.find((u) => u.startsWith(target.url));
    const served = serveUrl ? await timedGets(serveUrl, 1, sizes.serveRequests) : undefined;
    const servedOk = served && (served.statuses['200'] ?? 0) === sizes.serveRequests;

    const rows: FigureRow[] = [
      {
        id: '7a',
        name: `Prompt synthesis, ${TYPICAL_PROMPT.length}-character menu prompt (eSpeak NG)`,
        value: round(percentile(warm, 50)),
        unit: 'ms',
        floor: { value: readP50, label: 'reading the WAV from disk' },
        note: `p50 of ${warm.length} runs after a first one (${Math.round(cold!)} ms, not counted)`,
      },
      served && servedOk
        ? {
            id: '7b',
            name: 'Prompt served from the cache (GET /prompts/<id>.wav)',
            value: round(percentile(served.latencies, 50), 3),
            unit: 'ms',
            floor: { value: readP50, label: 'reading the WAV from disk' },
            note: `p50 of ${sizes.serveRequests}, ${Math.round(wavBytes / 1024)} KB each`,
          }
        : { id: '7b', name: 'Prompt served from the cache (GET /prompts/<id>.wav)', unit: 'ms', skipped: served ? `failed: ${JSON.stringify(served.statuses)}` : 'skipped: no prompt of this app was seen' },
    ];
    return {
      title: '7 Prompt synthesis',
      rows,
      details: {
        engine: synthesizer.id,
        text: TYPICAL_PROMPT,
        wavBytes,
        synthesisMs: { cold: round(cold), warm: summary(warm) },
        readFromDiskMs: summary(reads),
        servedMs: served ? summary(served.latencies) : undefined,
      },
      durationMs: performance.now() - started,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
