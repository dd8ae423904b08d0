// Offering callers to agents with two "instances" (two dispatchers, each with its own connection to one store):
// however their passes interleave, an agent is offered one caller at a time and each offer call is placed once.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallService } from '../../../comms/calls/index.js';
import { compileFrontDesk, parseFrontDesk } from '../../../comms/ivr/index.js';
import { AgentTracker } from '../../../comms/queues/agent-tracker.js';
import { QueueCore } from '../../../comms/queues/queue-core.js';
import { QueueDispatcher } from '../../../comms/queues/queue-dispatcher.js';
import { QueueStats } from '../../../comms/queues/queue-stats.js';
import type { QueueEntry } from '../../../comms/queues/queue-store.js';
import { EmbeddedScheduler, silentLogger } from '../../../comms/runtime/index.js';
import { EventBus, openSqliteStore, type Store } from '../../../comms/store/index.js';

const AGENTS = ['a@x.test', 'b@x.test', 'c@x.test'];
const ID = (upn: string) => `0000000${AGENTS.indexOf(upn) + 1}-0000-4000-8000-000000000000`;

async function instance(store: Store, routing: string, placed: string[]) {
  const desk = parseFrontDesk(JSON.stringify({
    default: { action: 'enqueue', queue: 'q' },
    queues: { q: { agents: AGENTS, routing, presenceBased: false, alertSeconds: 30 } },
  }));
  const compiled = await compileFrontDesk(desk, async (ref) => ({ userId: ID(ref), displayName: ref }));
  const calls = {
    placeCall: async (input: { target: { id: string } }) => {
      placed.push(input.target.id);
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      return { id: `offer-${placed.length}-${Math.random().toString(36).slice(2)}`, state: 'establishing' };
    },
    hangUp: async () => ({}),
  } as unknown as CallService;
  const scheduler = new EmbeddedScheduler();
  const core = new QueueCore({
    calls, bus: new EventBus(), store, graph: undefined as never, prompts: undefined as never, scheduler,
    frontDesk: () => compiled, promptAudio: undefined as never, logger: silentLogger,
  });
  const agents = new AgentTracker(core, new QueueStats(core));
  return { core, dispatcher: new QueueDispatcher(core, agents), scheduler };
}

function entry(id: string, i: number): QueueEntry {
  const at = new Date(Date.UTC(2026, 11, 1, 10, 0, i)).toISOString();
  return { id, queue: 'q', callId: id, caller: { userId: `caller-${i}` }, joinedAt: at, state: 'waiting', hearing: 'music', greeted: true, callbackOffered: false, offers: {}, skipped: [], hops: 0, updatedAt: at };
}

describe('comms/queues dispatcher', () => {
  for (const routing of ['serial', 'attendant', 'round-robin', 'longest-idle']) {
    it(`never offers an agent two callers, however two instances' passes interleave (${routing})`, async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'switchboard-queue-claims-')), 'store.db');
      const stores = [openSqliteStore(file), openSqliteStore(file)];
      const placed: string[] = [];
      const [one, two] = [await instance(stores[0]!, routing, placed), await instance(stores[1]!, routing, placed)];
      try {
        const ids = Array.from({ length: 10 }, (_, i) => `call-${i}`);
        for (const [i, id] of ids.entries()) await one.core.store.putEntry(entry(id, i));
        await one.core.store.updateLine('q', (l) => ({ ...l, entries: ids }));
        await Promise.all([one.dispatcher.dispatch('q'), two.dispatcher.dispatch('q'), one.dispatcher.dispatch('q'), two.dispatcher.dispatch('q')]);
        await Promise.all([one.dispatcher.idle(), two.dispatcher.idle()]);

        const entries = await one.core.store.entries();
        const offered = entries.flatMap((e) => Object.keys(e.offers).map((agent) => [agent, e.id] as const));
        const agents = offered.map(([agent]) => agent);
        assert.equal(new Set(agents).size, agents.length, `an agent is in two offers: ${JSON.stringify(offered)}`);
        assert.deepEqual([...placed].sort(), [...agents].sort(), 'one offer call per offer, none twice');
        assert.equal(agents.length, 3, 'every agent is offered someone');
        const records = await one.core.store.agents();
        for (const [agent, entryId] of offered) assert.equal(records.find((r) => r.userId === agent)?.busyWith?.entryId, entryId);
        // Offers go to the head of the line: one caller for attendant (all three agents), else the first three.
        const heads = [...new Set(offered.map(([, id]) => id))].sort();
        assert.deepEqual(heads, routing === 'attendant' ? ['call-0'] : ['call-0', 'call-1', 'call-2']);
      } finally {
        await Promise.all([one.scheduler.stop(), two.scheduler.stop()]);
        for (const s of stores) await s.close();
      }
    });
  }
});
