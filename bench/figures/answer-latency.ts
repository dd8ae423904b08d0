// Figure 3 — answer latency: emulated people dial the bot (1, 10, 100 calls at once) with the sample front desk and
// its IVR menu in place. A step of several calls runs burstRepeats times and counts every answer of every burst (one
// burst's p99 is about its slowest call, and swung by half from run to run). No burst is left out as a warm-up: the
// first burst of 100 runs slower than the next (the JIT's first runs of the call path, new connections both ways),
// and so does the floor's first round (100 new connections), so both p99s are the cold ones. Each call is timed on
// the emulator's clock from the moment it created the incoming call and queued its notification (event
// person.dialled; the notification leaves after the emulator's notificationDelayMs, 5 ms in the bench) to the moment
// it received the answer (event call.answered), read from the emulator's live event stream (Graph's side of the call:
// its 15 s answer window is counted there, which the app cannot see). The four phases of each call — notify, answer, connect, first
// prompt — are not timed here: they are read from the app's own histograms at GET /metrics
// (switchboard_call_phase_seconds), scraped before and after each step, p99 estimated from the buckets as PromQL's
// histogram_quantile does. Floor: an empty round trip (GET /healthz) at the same concurrency, in the same run, as many
// rounds as bursts.
import { performance } from 'node:perf_hooks';
import type { AppTarget, BenchContext } from '../bench-context.js';
import type { FigureResult, FigureRow } from '../figure-row.js';
import { everyCallHad, type CallingEvent } from '../support/emulator-control.js';
import { timedGets } from '../support/http-probe.js';
import { histogramDelta, histogramQuantile, scrapeHistograms, type ScrapedHistogram } from '../support/metrics-scrape.js';
import { round, sleep, summary } from '../support/stats.js';

export const ANSWER_WINDOW_MS = 15_000;
/** Who the sample front desk answers into its menu (Tomasz is blocked, Grace is a VIP redirected to reception). */
const NOT_ANSWERED = new Set(['tomasz.nowak@switchboard.test', 'grace.whitfield@switchboard.test']);
const PHASES = ['notify', 'answer', 'connect', 'first_prompt'] as const;
const PHASE_METRIC = 'switchboard_call_phase_seconds';

type PhaseSummary = { n: number; p50?: number; p99?: number; meanMs?: number };

export interface AnswerLatencyResult extends FigureResult {
  /** Prompt URLs the emulator fetched from the app (figure 7 serves one of them again). */
  promptUris: string[];
}

export async function answerLatency(ctx: BenchContext, target: AppTarget): Promise<AnswerLatencyResult> {
  const started = performance.now();
  const users = ((await ctx.control.ok('GET', '/emulator/users')).value as Array<{ userPrincipalName: string }>)
    .map((u) => u.userPrincipalName)
    .filter((upn) => !NOT_ANSWERED.has(upn.toLowerCase()));
  const tap = await ctx.control.tap(['person.dialled', 'call.answered', 'call.ended', 'call.redirect-ended']);
  const steps: Array<{ calls: number; repeats: number; samples: number[]; bursts: number[][]; unanswered: number; healthz: number[]; phases: Record<string, PhaseSummary> }> = [];
  const scrapePhases = () => scrapeHistograms(target.url, PHASE_METRIC, { direction: 'incoming' }, 'phase');
  const promptUris = new Set<string>();
  try {
    /** One burst of n calls at once: each answered call's latency (emulator clock), and how many were not answered. */
    const burst = async (n: number): Promise<{ latencies: number[]; unanswered: number }> => {
      const before = await scrapePhases();
      const callIds: string[] = await Promise.all(
        Array.from({ length: n }, async (_, i) => (await ctx.control.ok('POST', `/emulator/people/${users[i % users.length]}/dial`, {})).callId as string),
      );
      await tap.until(everyCallHad(callIds, ['call.answered', 'call.ended']), ANSWER_WINDOW_MS + 5_000);
      const latencies: number[] = [];
      let unanswered = 0;
      const at = eventTimes(tap.events, new Set(callIds));
      for (const callId of callIds) {
        const dialled = at.get(`person.dialled ${callId}`);
        const answered = at.get(`call.answered ${callId}`);
        if (dialled !== undefined && answered !== undefined) latencies.push(answered - dialled);
        else unanswered += 1;
      }
      // Every answered call's first prompt is recorded in the app's metrics before it is hung up (bounded wait).
      await waitFor(async () => (histogramDeltaCount(await scrapePhases(), before, 'first_prompt') >= latencies.length), 10_000);
      // Hang up (the caller), so the next burst starts with no live calls.
      for (const callId of callIds.slice(0, 3)) {
        const call = await ctx.control.json('GET', `/emulator/calls/${callId}`);
        for (const p of (call.body?.prompts ?? []) as Array<{ uri?: string }>) if (p.uri) promptUris.add(p.uri);
      }
      await Promise.all(callIds.map((callId) => ctx.control.json('POST', `/emulator/calls/${callId}/hangup`, {})));
      await tap.until(everyCallHad(callIds, ['call.ended']), 10_000);
      return { latencies, unanswered };
    };
    for (const n of ctx.sizes.answer.concurrency) {
      const repeats = n === 1 ? ctx.sizes.answer.singleRepeats : ctx.sizes.answer.burstRepeats;
      ctx.log(`  answer latency: ${n} simultaneous call${n === 1 ? '' : 's'}${repeats > 1 ? ` × ${repeats}` : ''}`);
      const samples: number[] = [];
      const bursts: number[][] = [];
      let unanswered = 0;
      const before = await scrapePhases();
      for (let r = 0; r < repeats; r++) {
        const result = await burst(n);
        samples.push(...result.latencies);
        bursts.push(result.latencies);
        unanswered += result.unanswered;
      }
      const phases = phaseSummaries(await scrapePhases(), before);
      // As many rounds of GETs as bursts (and at least 20 GETs): the floor's p99 over as many samples as the figure's.
      const rounds = Math.max(repeats, Math.ceil(20 / n));
      const healthz = await timedGets(`${target.url}/healthz`, n, rounds);
      steps.push({ calls: n, repeats, samples, bursts, unanswered, healthz: healthz.latencies, phases });
    }
  } finally {
    await tap.close();
  }

  const rows: FigureRow[] = [];
  steps.forEach((step, i) => {
    const s = summary(step.samples);
    const h = summary(step.healthz);
    const letter = String.fromCharCode(97 + i * 2);
    const notes: string[] = [];
    if (step.unanswered > 0) notes.push(`${step.unanswered} of ${step.samples.length + step.unanswered} not answered in the window`);
    if (i === 0 && step.samples.length > 0) notes.push(`the first call after the app started took ${step.samples[0]} ms`);
    if (step.calls > 1 && step.bursts.length > 1) notes.push(`over ${step.bursts.length} bursts of ${step.calls} (${step.samples.length} answers); each burst's p99: ${step.bursts.map((b) => `${summary(b).p99} ms`).join(', ')}`);
    const note = notes.join('; ') || undefined;
    const label = `${step.calls} simultaneous call${step.calls === 1 ? '' : 's'}`;
    rows.push({
      id: `3${letter}`,
      name: `Answer latency p50, ${label}`,
      value: s.p50,
      unit: 'ms',
      limit: { value: ANSWER_WINDOW_MS, label: 'Graph answer window 15 s' },
      floor: { value: h.p50!, label: `GET /healthz p50 at ${step.calls} concurrent` },
    });
    rows.push({
      id: `3${String.fromCharCode(98 + i * 2)}`,
      name: `Answer latency p99, ${label}`,
      value: s.p99,
      unit: 'ms',
      limit: { value: ANSWER_WINDOW_MS, label: 'Graph answer window 15 s' },
      floor: { value: h.p99!, label: `GET /healthz p99 at ${step.calls} concurrent` },
      ...(note ? { note } : {}),
    });
  });
  // The four phases at the largest step, from the app's /metrics (every step's are in the details).
  const last = steps[steps.length - 1];
  if (last) {
    const floor = summary(last.healthz).p99!;
    PHASES.forEach((phase, i) => {
      const p = last.phases[phase];
      rows.push({
        id: `3${String.fromCharCode(97 + steps.length * 2 + i)}`,
        name: `Phase ${phase.replace('_', ' ')} p99 (app's /metrics), ${last.calls} simultaneous call${last.calls === 1 ? '' : 's'}`,
        value: p?.p99,
        unit: 'ms',
        ...(phase === 'notify' || phase === 'answer' ? { limit: { value: ANSWER_WINDOW_MS, label: 'Graph answer window 15 s' } } : {}),
        floor: { value: floor, label: `GET /healthz p99 at ${last.calls} concurrent` },
        ...(p && p.n < last.calls ? { note: `${p.n} of ${last.calls} calls reached it` } : {}),
      });
    });
  }
  return {
    title: '3 Answer latency',
    rows,
    details: {
      measuredFrom: 'emulator event person.dialled (incoming call created, notification queued; sent after the emulator\'s notificationDelayMs)',
      measuredTo: 'emulator event call.answered (the answer request handled)',
      frontDesk: 'the sample (comms/ivr/front-desk.sample.jsonc): answer into the main menu',
      callers: users,
      phasesFrom: `GET /metrics ${PHASE_METRIC}{direction="incoming"}: the difference between scrapes before and after each step; p50/p99 estimated from the buckets (histogram_quantile), the mean exact (sum/count)`,
      steps: steps.map((s) => ({ calls: s.calls, repeats: s.repeats, answer: summary(s.samples), perBurst: s.bursts.map((b) => summary(b)), unanswered: s.unanswered, healthz: summary(s.healthz), phases: s.phases })),
    },
    durationMs: performance.now() - started,
    promptUris: [...promptUris],
  };
}

/** `type callId` → the event's time (ms), for the events of these calls (the first of each). */
function eventTimes(events: CallingEvent[], callIds: Set<string>): Map<string, number> {
  const at = new Map<string, number>();
  for (const e of events) {
    if (e.callId === undefined || !callIds.has(e.callId)) continue;
    const key = `${e.type} ${e.callId}`;
    if (!at.has(key)) at.set(key, Date.parse(e.time));
  }
  return at;
}

function histogramDeltaCount(after: Map<string, ScrapedHistogram>, before: Map<string, ScrapedHistogram>, phase: string): number {
  const now = after.get(phase);
  return now ? histogramDelta(now, before.get(phase)).count : 0;
}

async function waitFor(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && !(await probe())) await sleep(50);
}

/** Each phase's observations during one step (ms): from the histograms' difference between two scrapes. */
function phaseSummaries(after: Map<string, ScrapedHistogram>, before: Map<string, ScrapedHistogram>): Record<string, PhaseSummary> {
  const out: Record<string, PhaseSummary> = {};
  for (const phase of PHASES) {
    const now = after.get(phase);
    if (!now) continue;
    const step = histogramDelta(now, before.get(phase));
    const ms = (seconds: number | undefined) => (seconds === undefined ? undefined : round(seconds * 1000));
    out[phase] = {
      n: step.count,
      p50: ms(histogramQuantile(0.5, step)),
      p99: ms(histogramQuantile(0.99, step)),
      ...(step.count > 0 ? { meanMs: ms(step.sum / step.count) } : {}),
    };
  }
  return out;
}
