// Figure 10 — call queues: with `waiting` callers in line and `agents` agents in the queue (most of them on calls),
// an agent frees up (signs in: the same dispatch an agent leaving wrap-up gets) and the time until the next caller is
// offered to them (the bot's call to the agent created, queue.offer `ringing`) is measured. The pass reads the line and
// every caller's place, the agents and their presence (getPresencesByUserId), claims the agent and the caller
// (compare-and-set) and places the call. Floor: the Graph work any offer needs, done directly in the same run — one
// presence read for the queue's agents and one create call to an agent.
// The figure runs its own in-process emulator, whose directory has the extra people (callers and agents) it needs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getPresences } from '../../comms/presence/index.js';
import type { QueueOfferEvent } from '../../comms/queues/index.js';
import { DEFAULT_USERS } from '../../emulator/directory/default-users.js';
import type { EmulatedUser } from '../../emulator/emulator-options.js';
import type { BenchContext } from '../bench-context.js';
import { NEEDS_IN_PROCESS } from '../bench-context.js';
import type { FigureResult } from '../figure-row.js';
import { startBenchApp, type BenchApp } from '../support/bench-app.js';
import { startBenchEmulator } from '../support/bench-emulator.js';
import { percentile, round, sleep, summary } from '../support/stats.js';

function person(kind: 'caller' | 'agent', n: number): EmulatedUser {
  const id = `${kind === 'caller' ? 'c' : 'a'}0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const name = `${kind === 'caller' ? 'Caller' : 'Agent'} ${n}`;
  return { id, displayName: name, givenName: name, surname: String(n), userPrincipalName: `bench.${kind}.${n}@switchboard.test`, mail: `bench.${kind}.${n}@switchboard.test` };
}

async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export async function callQueuesFigure(ctx: BenchContext): Promise<FigureResult> {
  const started = performance.now();
  const title = '10 Call queues';
  const { waiting, agents: agentCount, samples } = ctx.sizes.queues;
  const name = `Queue: agent frees up → next caller offered (${waiting} waiting, ${agentCount} agents)`;
  if (!ctx.startApp) return { title, rows: [{ id: '10a', name, unit: 'ms', skipped: NEEDS_IN_PROCESS }], details: {}, durationMs: 0 };

  const busy = agentCount - samples;
  const callers = Array.from({ length: waiting + busy }, (_, i) => person('caller', i + 1));
  const agents = Array.from({ length: agentCount }, (_, i) => person('agent', i + 1));
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-queues-'));
  const emulator = await startBenchEmulator('in-process', dir, { users: [...DEFAULT_USERS, ...callers, ...agents] });
  let bench: BenchApp | undefined;
  try {
    const desk = join(dir, 'desk.json');
    writeFileSync(desk, JSON.stringify({
      default: { action: 'enqueue', queue: 'bench' },
      queues: {
        // Announcements off: a hundred distinct position texts would measure speech synthesis, not the queue.
        bench: { agents: agents.map((a) => a.userPrincipalName), routing: 'longest-idle', alertSeconds: 180, wrapUpSeconds: 0, maxCallers: 200, maxWaitSeconds: 2700, announcements: { everySeconds: 0 } },
      },
    }));
    bench = await startBenchApp(emulator, { env: { FRONT_DESK_FILE: desk }, dataDir: join(dir, 'app') });
    const app = bench.app;
    const offers: Array<{ agentId: string; at: number; state: string }> = [];
    const off = app.bus.on('queue.offer', (e: QueueOfferEvent) => offers.push({ agentId: e.agentId, at: performance.now(), state: e.state }));

    // Every agent out first; `busy` of them then take a caller each and stay on the call.
    for (const a of agents) await app.queues.signOut('bench', a.id);
    for (const a of agents) await emulator.control.ok('PUT', `/emulator/people/${a.id}/behavior`, { onCall: 'answer', answerDelayMs: 20 });
    ctx.log(`  call queues: ${callers.length} callers dial, ${busy} agents take one each`);
    for (let i = 0; i < callers.length; i += 50) await emulator.control.ok('POST', '/emulator/callers', { people: callers.slice(i, i + 50).map((c) => c.id) });
    await until(async () => ((await app.queues.statusOf('bench'))!.waiting.length === callers.length), `${callers.length} callers in line`);
    for (const a of agents.slice(0, busy)) await app.queues.signIn('bench', a.id);
    await until(async () => (await app.queues.statusOf('bench'))!.agents.filter((a) => a.state === 'connected').length === busy, `${busy} agents on calls`);
    for (const a of agents.slice(busy)) await emulator.control.ok('PUT', `/emulator/people/${a.id}/behavior`, { onCall: 'manual' });
    const line = (await app.queues.statusOf('bench'))!.waiting.length;

    const measured: number[] = [];
    for (const a of agents.slice(busy)) {
      const t0 = performance.now();
      void app.queues.signIn('bench', a.id);
      const hit = await until(() => offers.find((o) => o.agentId === a.id && o.state === 'ringing'), `an offer to ${a.displayName}`, 30_000);
      measured.push(hit.at - t0);
    }
    off();

    // Floor: the Graph requests an offer cannot do without, from the same process to the same emulator.
    const floor: number[] = [];
    for (let i = 0; i < samples; i += 1) {
      const t0 = performance.now();
      await getPresences(app.graph, agents.map((a) => a.id));
      const call = await app.calls.placeCall({ target: { kind: 'user', id: agents[i]!.id }, subject: 'floor' });
      floor.push(performance.now() - t0);
      await app.calls.hangUp(call.id).catch(() => undefined);
    }
    const p50 = percentile(measured, 50);
    const floorP50 = percentile(floor, 50)!;
    return {
      title,
      rows: [
        { id: '10a', name, value: round(p50), unit: 'ms', floor: { value: round(floorP50)!, label: 'one presence read + one create call, direct' }, note: `median of ${measured.length}; ${line} waiting when measured` },
        { id: '10b', name: `${name}, slowest`, value: round(Math.max(...measured)), unit: 'ms', floor: { value: round(Math.max(...floor))!, label: 'the same, slowest' } },
      ],
      details: { waiting: line, agents: agentCount, busy, offers: summary(measured), floor: summary(floor) },
      durationMs: performance.now() - started,
    };
  } finally {
    await bench?.stop().catch(() => undefined);
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
