// Figure 1 — webhook acknowledgement: open-loop POST /api/calling with signed, realistic batches (a call-state
// update, a tone, a 1,000-person roster, in turn) at rising rates; the floor is a bare restify route on the same kind
// of server that only parses the JSON and answers 202, same payloads, same rates, same run. Each side climbs until its
// own p99 passes 1 s (or a request fails) or the top rate is done. Between the app's steps it finishes the work it
// queued after acknowledging. 1a–1c are read at half the bare route's sustained rate, 1e at the app's top one.
import { performance } from 'node:perf_hooks';
import { CALLS_COLLECTION } from '../../comms/calls/index.js';
import { LOCAL_APP } from '../../server/config.js';
import type { AppTarget, BenchContext } from '../bench-context.js';
import type { FigureResult, FigureRow } from '../figure-row.js';
import { startFloorServer } from '../support/floor-server.js';
import { runOpenLoop, type OpenLoopOutcome } from '../support/open-loop.js';
import { callStateTemplate, rosterTemplate, seededSessions, toneTemplate } from '../support/payloads.js';
import { round, summary } from '../support/stats.js';

/** Graph: an ack slower than 2.9 s counts as slow (3 s is the limit); the target is p99 under 1 s. */
export const ACK_TARGET_P99_MS = 1_000;
export const GRAPH_SLOW_ACK_MS = 2_900;
const DRAIN_LIMIT_MS = 60_000;

export interface AckStep {
  rate: number;
  p50?: number;
  p99?: number;
  max?: number;
  accepted: number;
  sent: number;
  failed: number;
  achievedRate: number;
  byPayload: Record<string, ReturnType<typeof summary>>;
  statuses: Record<string, number>;
}

export function toStep(rate: number, outcome: OpenLoopOutcome, accepted: number): AckStep {
  const s = summary(outcome.latencies);
  const names = ['call state', 'tone', 'roster'];
  return {
    rate,
    p50: s.p50,
    p99: s.p99,
    max: s.max,
    accepted,
    sent: outcome.sent,
    failed: outcome.sent - accepted + outcome.shed,
    achievedRate: round(accepted / (outcome.elapsedMs / 1000))!,
    byPayload: Object.fromEntries(outcome.byTemplate.map((l, i) => [names[i] ?? String(i), summary(l)])),
    statuses: outcome.statuses,
  };
}

/** A step the app sustained: every request answered 202 and p99 under 1 s. */
export const sustained = (s: AckStep) => s.failed === 0 && (s.p99 ?? Infinity) < ACK_TARGET_P99_MS;

export async function webhookAck(ctx: BenchContext, target: AppTarget): Promise<FigureResult> {
  const sizes = ctx.sizes.ack;
  const started = performance.now();
  const app = target.bench?.app;
  if (app) for (const session of seededSessions()) await app.store.put(CALLS_COLLECTION, String(session.id), session);
  const token = await ctx.signCallingToken({ audience: LOCAL_APP.id });
  const templates = [callStateTemplate(), toneTemplate(), rosterTemplate(sizes.rosterSize)];
  const headers = { authorization: `Bearer ${token}` };
  const floorServer = await startFloorServer();
  const appSteps: AckStep[] = [];
  const floorSteps: AckStep[] = [];
  const drains: Array<{ rate: number; drainMs: number; complete: boolean }> = [];
  let seq = 2;
  try {
    // Warm-up (not measured): the token check's first metadata fetch, first-call JIT, one of each payload.
    const warm = await runOpenLoop({ url: `${target.url}/api/calling`, rate: 20, durationMs: 300, templates, headers, seqStart: seq });
    seq += warm.sent + warm.shed + 1;
    await runOpenLoop({ url: `${floorServer.url}/api/calling`, rate: 20, durationMs: 300, templates, headers, seqStart: seq });
    if (app) await app.calls.idle();
    // Each side climbs until its own p99 passes 1 s (or a request fails); the floor keeps climbing after the app stops.
    let appGoing = true;
    let floorGoing = true;
    for (const rate of sizes.rates) {
      if (!appGoing && !floorGoing) break;
      if (appGoing) {
        ctx.log(`  webhook ack: ${rate} req/s for ${sizes.stepMs} ms (app)`);
        const outcome = await runOpenLoop({ url: `${target.url}/api/calling`, rate, durationMs: sizes.stepMs, templates, headers, seqStart: seq });
        seq += outcome.sent + outcome.shed + 1;
        appSteps.push(toStep(rate, outcome, outcome.statuses['202'] ?? 0));
        if (app) {
          const t = performance.now();
          const complete = await Promise.race([app.calls.idle().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), DRAIN_LIMIT_MS))]);
          drains.push({ rate, drainMs: round(performance.now() - t)!, complete });
        }
        appGoing = sustained(appSteps.at(-1)!);
      }
      if (floorGoing) {
        ctx.log(`  webhook ack: ${rate} req/s for ${sizes.stepMs} ms (floor)`);
        const floor = await runOpenLoop({ url: `${floorServer.url}/api/calling`, rate, durationMs: sizes.stepMs, templates, headers, seqStart: seq });
        floorSteps.push(toStep(rate, floor, floor.statuses['202'] ?? 0));
        floorGoing = sustained(floorSteps.at(-1)!);
      }
    }
  } finally {
    await floorServer.close();
  }

  const best = [...appSteps].reverse().find(sustained);
  const floorBest = [...floorSteps].reverse().find(sustained);
  // 1a–1c are read at the load 1d's target names — half the bare route's sustained rate (the highest step at or
  // under it) — so that they compare like with like between runs. Read at the app's own top step (1e) they are by
  // construction just under 1 s, and a faster app that sustains one step more looked like a slower ack.
  const half = floorBest ? [...sizes.rates].reverse().find((r) => r <= floorBest.rate / 2 && appSteps.some((s) => s.rate === r)) : undefined;
  const at = (half !== undefined ? appSteps.find((s) => s.rate === half) : undefined) ?? best ?? appSteps[0]!;
  const floorAt = floorSteps.find((s) => s.rate === at.rate)!;
  const topTried = appSteps.at(-1)!;
  const atLabel = `${at.rate} req/s${at.rate === half ? ' (half the bare route\'s sustained rate)' : ''}`;
  const unsustainedNote = sustained(at) ? undefined : `not sustained at ${at.rate} req/s`;
  const floorAtBest = best ? floorSteps.find((s) => s.rate === best.rate) : undefined;
  const rows: FigureRow[] = [
    { id: '1a', name: `Webhook ack p50 @ ${atLabel}`, value: at.p50, unit: 'ms', floor: { value: floorAt.p50!, label: 'bare restify route, same payloads' }, ...(unsustainedNote ? { note: unsustainedNote } : {}) },
    {
      id: '1b',
      name: `Webhook ack p99 @ ${atLabel}`,
      value: at.p99,
      unit: 'ms',
      limit: { value: ACK_TARGET_P99_MS, label: 'target p99 < 1 s' },
      floor: { value: floorAt.p99!, label: 'bare restify route, same payloads' },
    },
    { id: '1c', name: `Webhook ack max @ ${atLabel}`, value: at.max, unit: 'ms', limit: { value: GRAPH_SLOW_ACK_MS, label: 'Graph: > 2.9 s is slow (3 s limit)' } },
    {
      id: '1d',
      name: 'Webhook sustained rate (p99 < 1 s, every request 202)',
      value: best?.rate ?? 0,
      unit: 'req/s',
      better: 'higher',
      floor: { value: floorBest?.rate ?? 0, label: `the bare route's sustained rate (offered ${floorSteps.map((s) => s.rate).join(', ')})` },
      note:
        topTried === best
          ? `the top offered rate${sizes.rates.at(-1) === best.rate ? '' : ' reached'}; achieved ${best.achievedRate} req/s`
          : `at ${topTried.rate} req/s: p99 ${topTried.p99} ms, ${topTried.failed} failed`,
    },
    {
      id: '1e',
      name: `Webhook ack p99 @ the app's top sustained rate${best ? ` (${best.rate} req/s)` : ''}`,
      value: best?.p99,
      unit: 'ms',
      limit: { value: ACK_TARGET_P99_MS, label: 'target p99 < 1 s (what sustained means)' },
      ...(floorAtBest ? { floor: { value: floorAtBest.p99!, label: 'bare restify route, same payloads and rate' } } : {}),
      ...(best ? {} : { note: 'no rate sustained' }),
    },
  ];
  return {
    title: '1 Webhook acknowledgement',
    rows,
    details: {
      payloads: { mix: ['call state', 'tone', `roster of ${sizes.rosterSize}`], rosterBytes: Buffer.byteLength(templates[2]!), token: 'one calling-service JWT (RS256) for every request' },
      stepMs: sizes.stepMs,
      app: appSteps,
      floor: floorSteps,
      drainAfterStep: drains,
      knownCalls: Boolean(app),
      ...(app ? {} : { note: 'running app (--url): the calls in the batches are unknown to it, so its processing is the orphan path' }),
    },
    durationMs: performance.now() - started,
  };
}
