// Figure 9 — several instances (distributed mode): answer latency p99 for simultaneous callers through a local
// cluster's round-robin front with 1 and then 2 instances on one Redis (each against GET /healthz through the same
// front at the same concurrency); the sustained webhook rate through the front with 1 and with 2 instances (figure
// 1's method: signed open-loop batches at rising rates until p99 passes 1 s or a request is not 202; floor: a bare
// route behind the same kind of front); and failover: keepAlive jobs of live calls while one of two instances is
// killed (-9) — how late the first keepAlive after the kill is against its due time, beside the steady-state
// lateness of the same jobs measured just before (the floor). The cluster runs its own emulator inside the bench
// process and its instances as separate processes, exactly as `npm run cluster` does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { CALLS_COLLECTION } from '../../comms/calls/index.js';
import { openRedisStore } from '../../comms/store/index.js';
import { startLocalCluster, type LocalCluster } from '../../server/cluster/local-cluster.js';
import { startRoundRobinFront } from '../../server/cluster/round-robin-front.js';
import { LOCAL_APP } from '../../server/config.js';
import { startRedisProcess, type RedisProcess } from '../../server/cluster/redis-process.js';
import { createLogger } from '../../server/logger.js';
import type { BenchContext } from '../bench-context.js';
import type { FigureResult, FigureRow } from '../figure-row.js';
import { BENCH_EMULATOR } from '../support/bench-emulator.js';
import { EmulatorControl, everyCallHad } from '../support/emulator-control.js';
import { startFloorServer } from '../support/floor-server.js';
import { timedGets } from '../support/http-probe.js';
import { runOpenLoop } from '../support/open-loop.js';
import { callStateTemplate, rosterTemplate, seededSessions, toneTemplate } from '../support/payloads.js';
import { summary } from '../support/stats.js';
import { ANSWER_WINDOW_MS } from './answer-latency.js';
import { ACK_TARGET_P99_MS, sustained, toStep, type AckStep } from './webhook-ack.js';

/** The roster batch of the webhook payloads (figure 1 sends 1,000; a cluster step on 2 cores keeps it smaller). */
const RATE_ROSTER_SIZE = 250;

const CALLERS = ['amara.okafor@switchboard.test', 'jonas.lindqvist@switchboard.test', 'priya.raman@switchboard.test', 'mateo.alvarez@switchboard.test', 'hana.sato@switchboard.test', 'elif.demir@switchboard.test'];

interface AnswerStep {
  instances: number;
  answers: number[];
  unanswered: number;
  healthz: number[];
  /** The webhook rate steps through the front, lowest first. */
  rates: AckStep[];
}

/**
 * Signed webhook batches (a call state, a tone, a roster) at each rate for `stepMs`, open loop, until one step is
 * not sustained (p99 ≥ 1 s or a request not answered 202). A pause of one step between steps lets the instances
 * finish the work queued behind the acknowledgements.
 */
async function webhookRates(url: string, token: string, sizes: { rates: number[]; stepMs: number }, log: (line: string) => void, label: string): Promise<AckStep[]> {
  const templates = [callStateTemplate(), toneTemplate(), rosterTemplate(RATE_ROSTER_SIZE)];
  const headers = { authorization: `Bearer ${token}` };
  let seq = 2;
  const warm = await runOpenLoop({ url, rate: 20, durationMs: 300, templates, headers, seqStart: seq });
  seq += warm.sent + warm.shed + 1;
  const steps: AckStep[] = [];
  for (const rate of sizes.rates) {
    await new Promise((r) => setTimeout(r, sizes.stepMs));
    log(`  cluster: webhook ${rate} req/s for ${sizes.stepMs} ms (${label})`);
    const outcome = await runOpenLoop({ url, rate, durationMs: sizes.stepMs, templates, headers, seqStart: seq });
    seq += outcome.sent + outcome.shed + 1;
    steps.push(toStep(rate, outcome, outcome.statuses['202'] ?? 0));
    if (!sustained(steps.at(-1)!)) break;
  }
  return steps;
}

/** The floor of the rate rows: a bare route that parses the JSON and answers 202, behind the same kind of front. */
async function floorRates(sizes: { rates: number[]; stepMs: number }, log: (line: string) => void): Promise<AckStep[]> {
  const floor = await startFloorServer();
  const front = await startRoundRobinFront({ port: 0, targets: [floor.url] });
  try {
    return await webhookRates(`${front.url}/api/calling`, 'floor', sizes, log, 'bare route');
  } finally {
    await front.close();
    await floor.close();
  }
}

/** The best rate sustained, with the last step tried (for the note). */
function rateRow(steps: AckStep[]): { best?: AckStep; last?: AckStep } {
  return { best: [...steps].reverse().find(sustained), last: steps.at(-1) };
}

async function withCluster<T>(instances: number, redis: RedisProcess, env: Record<string, string>, run: (c: LocalCluster, control: EmulatorControl) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-cluster-'));
  // An empty Redis per cluster, so one step's timers and calls do not reach the next.
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  try {
    await client.flushall();
  } finally {
    client.disconnect();
  }
  const cluster = await startLocalCluster({ instances, port: 0, emulatorPort: 0, dataDir: dir, redisUrl: redis.url, logger: createLogger('silent'), env: { LOG_LEVEL: 'warn', ...env }, emulatorOptions: BENCH_EMULATOR });
  const control = new EmulatorControl(cluster.emulator.url, cluster.emulator.caCertPem);
  try {
    return await run(cluster, control);
  } finally {
    await control.close();
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function answerStep(cluster: LocalCluster, control: EmulatorControl, calls: number): Promise<AnswerStep> {
  const tap = await control.tap(['person.dialled', 'call.answered', 'call.ended']);
  try {
    const ids = await Promise.all(Array.from({ length: calls }, async (_, i) => (await control.ok('POST', `/emulator/people/${CALLERS[i % CALLERS.length]}/dial`, {})).callId as string));
    await tap.until(everyCallHad(ids, ['call.answered', 'call.ended']), ANSWER_WINDOW_MS + 5_000);
    const answers: number[] = [];
    let unanswered = 0;
    for (const id of ids) {
      const dialled = tap.events.find((e) => e.callId === id && e.type === 'person.dialled');
      const answered = tap.events.find((e) => e.callId === id && e.type === 'call.answered');
      if (dialled && answered) answers.push(Date.parse(answered.time) - Date.parse(dialled.time));
      else unanswered += 1;
    }
    await Promise.all(ids.map((id) => control.json('POST', `/emulator/calls/${id}/hangup`, {})));
    const healthz = await timedGets(`${cluster.front.url}/healthz`, calls, Math.max(1, Math.ceil(20 / calls)));
    return { instances: cluster.instances.length, answers, unanswered, healthz: healthz.latencies, rates: [] };
  } finally {
    await tap.close();
  }
}

export async function clusterFigure(ctx: BenchContext): Promise<FigureResult> {
  const started = performance.now();
  const sizes = ctx.sizes.cluster;
  const scratch = mkdtempSync(join(tmpdir(), 'switchboard-bench-redis-'));
  const redis = await startRedisProcess({ dir: scratch });
  const steps: AnswerStep[] = [];
  let floor: AckStep[] = [];
  let failover: { steady: number[]; afterKill: number[]; intervalMs: number; calls: number } | undefined;
  try {
    for (const instances of [1, 2]) {
      ctx.log(`  cluster: ${sizes.calls} simultaneous calls through ${instances} instance${instances === 1 ? '' : 's'}`);
      steps.push(
        await withCluster(instances, redis, {}, async (cluster, control) => {
          // Warm every instance first (token, TLS, prompt synthesis, JIT): the figure is about steady serving.
          await answerStep(cluster, control, instances * 2);
          const step = await answerStep(cluster, control, sizes.calls);
          // The webhook payloads' calls, known to the cluster (as figure 1 seeds its store).
          const client = new Redis(cluster.redisUrl, { maxRetriesPerRequest: 1 });
          try {
            const store = openRedisStore(client);
            for (const session of seededSessions()) await store.put(CALLS_COLLECTION, String(session.id), session);
          } finally {
            client.disconnect();
          }
          const token = await cluster.emulator.signCallingToken({ audience: LOCAL_APP.id });
          step.rates = await webhookRates(`${cluster.front.url}/api/calling`, token, sizes, ctx.log, `${instances} instance${instances === 1 ? '' : 's'}`);
          return step;
        }),
      );
    }
    floor = await floorRates(sizes, ctx.log);
    ctx.log(`  cluster: keepAlive failover, ${sizes.failoverCalls} live calls, one of two instances killed`);
    failover = await withCluster(2, redis, { KEEP_ALIVE_INTERVAL_MS: String(sizes.keepAliveIntervalMs) }, async (cluster, control) => {
      const ids = await Promise.all(Array.from({ length: sizes.failoverCalls }, async (_, i) => (await control.ok('POST', `/emulator/people/${CALLERS[i % CALLERS.length]}/dial`, {})).callId as string));
      const keepAlives = async () =>
        ((await control.ok('GET', '/emulator/requests?limit=10000')).value as Array<{ method: string; path: string; time: string }>)
          .filter((r) => r.method === 'POST' && r.path.endsWith('/keepAlive'))
          .map((r) => ({ callId: r.path.split('/')[4]!, at: Date.parse(r.time) }))
          .filter((r) => ids.includes(r.callId));
      const lateness = (list: Array<{ callId: string; at: number }>, after: number) => {
        const out: number[] = [];
        for (const id of ids) {
          const times = list.filter((r) => r.callId === id).map((r) => r.at).sort((a, b) => a - b);
          for (let i = 1; i < times.length; i++) if (times[i]! > after) out.push(times[i]! - times[i - 1]! - sizes.keepAliveIntervalMs);
        }
        return out;
      };
      // Bounded waits: until every call has had two keepAlives, then (after the kill) two more.
      const waitFor = async (enough: (list: Array<{ callId: string; at: number }>) => boolean) => {
        // At least BullMQ's stall recovery (lock 15 s + check 5 s): a keepAlive the killed instance held is late by that.
        const deadline = Date.now() + Math.max(sizes.keepAliveIntervalMs * 12, 30_000);
        while (Date.now() < deadline && !enough(await keepAlives())) await new Promise((r) => setTimeout(r, 200));
      };
      const countSince = (list: Array<{ callId: string; at: number }>, id: string, since: number) => list.filter((r) => r.callId === id && r.at > since).length;
      await waitFor((list) => ids.every((id) => countSince(list, id, 0) >= 2));
      const killedAt = Date.now();
      const steady = lateness(await keepAlives(), 0);
      await cluster.instances[0]!.kill();
      await waitFor((list) => ids.every((id) => countSince(list, id, killedAt) >= 2));
      const afterKill = lateness(await keepAlives(), killedAt);
      await Promise.all(ids.map((id) => control.json('POST', `/emulator/calls/${id}/hangup`, {})));
      return { steady, afterKill, intervalMs: sizes.keepAliveIntervalMs, calls: ids.length };
    });
  } finally {
    await redis.stop();
    rmSync(scratch, { recursive: true, force: true });
  }

  const rows: FigureRow[] = [];
  steps.forEach((step, i) => {
    const a = summary(step.answers);
    const h = summary(step.healthz);
    rows.push({
      id: `9${String.fromCharCode(97 + i)}`,
      name: `Answer latency p99, ${sizes.calls} calls, ${step.instances} instance${step.instances === 1 ? '' : 's'} on Redis`,
      value: a.p99,
      unit: 'ms',
      limit: { value: ANSWER_WINDOW_MS, label: 'Graph answer window 15 s' },
      floor: { value: h.p99!, label: `GET /healthz p99 through the front at ${sizes.calls} concurrent` },
      ...(step.unanswered > 0 ? { note: `${step.unanswered} not answered in the window` } : {}),
    });
  });
  const floorBest = rateRow(floor).best;
  steps.forEach((step, i) => {
    const { best, last } = rateRow(step.rates);
    rows.push({
      id: `9${String.fromCharCode(99 + i)}`,
      name: `Webhook sustained rate (p99 < 1 s, every request 202), ${step.instances} instance${step.instances === 1 ? '' : 's'} on Redis`,
      value: best?.rate ?? 0,
      unit: 'req/s',
      better: 'higher',
      floor: { value: floorBest?.rate ?? 0, label: `a bare route behind the same front (offered ${floor.map((s) => s.rate).join(', ')})` },
      note:
        last && last === best
          ? `the top offered rate; achieved ${best.achievedRate} req/s`
          : last
            ? `at ${last.rate} req/s: p99 ${last.p99} ms, ${last.failed} not 202${best ? '' : ` (target p99 < ${ACK_TARGET_P99_MS} ms)`}`
            : 'not run',
    });
  });
  const after = summary(failover?.afterKill ?? []);
  const steady = summary(failover?.steady ?? []);
  rows.push({
    id: '9e',
    name: 'Failover: keepAlive lateness after kill -9 of one of 2 instances, max',
    value: after.max,
    unit: 'ms',
    limit: { value: failover?.intervalMs ?? 0, label: 'one keepAlive interval' },
    floor: { value: Math.max(1, steady.max ?? 1), label: 'the same jobs\' lateness before the kill, max' },
    note: `${failover?.afterKill.length ?? 0} keepAlives after the kill, ${failover?.calls ?? 0} calls`,
  });
  return {
    title: '9 Several instances',
    rows,
    details: {
      answers: steps.map((s) => ({ instances: s.instances, answer: summary(s.answers), unanswered: s.unanswered, healthz: summary(s.healthz) })),
      webhookRates: { payloads: ['call state', 'tone', `roster of ${RATE_ROSTER_SIZE}`], stepMs: sizes.stepMs, byInstances: steps.map((s) => ({ instances: s.instances, steps: s.rates })), floor },
      failover: failover && { intervalMs: failover.intervalMs, calls: failover.calls, steady, afterKill: after },
      setup: 'startLocalCluster: instances as child processes, a round-robin front, redis-server with AOF, the emulator in the bench process',
    },
    durationMs: performance.now() - started,
  };
}
