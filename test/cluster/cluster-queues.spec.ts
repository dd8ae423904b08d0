// A call queue on two instances behind the round-robin front, on one Redis: four callers and two agents. Every
// notification of every call lands on whichever instance the front picks, the queue's timers are BullMQ jobs, and the
// line, the agents and the offers change by compare-and-set in the shared store — so each caller is put through
// exactly once and no agent ever has two callers at a time.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCluster, type LocalCluster } from '../../server/cluster/local-cluster.js';
import { createLogger } from '../../server/logger.js';
import { FAST_EMULATOR } from '../support/local-switchboard.js';
import { clusterEmulator, eventually, type ClusterEmulator } from './cluster-support.js';
import { UPN, type PersonName } from '../e2e/people.js';

interface DirectCall {
  id: string;
  people: Array<{ id: string }>;
  since: string;
  endedAt: string | null;
}

describe('a call queue across instances (distributed mode)', function () {
  this.timeout(180_000);
  let cluster: LocalCluster;
  let emu: ClusterEmulator;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-cluster-queues-'));
    const desk = join(dir, 'desk.json');
    writeFileSync(desk, JSON.stringify({
      timezone: 'UTC',
      people: { priya: UPN.priya, jonas: UPN.jonas },
      default: { action: 'enqueue', queue: 'support' },
      queues: { support: { agents: ['priya', 'jonas'], routing: 'serial', alertSeconds: 10, wrapUpSeconds: 0, announcements: { everySeconds: 0 } } },
    }));
    cluster = await startLocalCluster({
      instances: 2, port: 0, emulatorPort: 0, dataDir: dir, logger: createLogger('silent'),
      // Agents' presence read every half second: an agent who hangs up is offered the next caller sooner.
      env: { LOG_LEVEL: 'info', FRONT_DESK_FILE: desk, QUEUE_PRESENCE_POLL_MS: '500' },
      emulatorOptions: { ...FAST_EMULATOR },
    });
    emu = clusterEmulator(cluster);
  });
  after(async () => {
    await cluster?.close();
    await emu?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('four callers, two agents: each caller is put through once, as agents free up, and no agent has two callers at once', async () => {
    const users = (await emu.json('GET', '/emulator/users')).value as Array<{ id: string; userPrincipalName: string }>;
    const id = (who: PersonName) => users.find((u) => u.userPrincipalName === UPN[who])!.id;
    for (const agent of ['priya', 'jonas'] as const) await emu.json('PUT', `/emulator/people/${UPN[agent]}/behavior`, { onCall: 'answer', answerDelayMs: 50 });
    const callers: PersonName[] = ['hana', 'elif', 'mateo', 'tomasz'];
    const directCalls = async () => (await emu.json('GET', '/emulator/direct-calls')).value as DirectCall[];
    const talking = async () => (await directCalls()).filter((c) => !c.endedAt);

    await emu.json('POST', '/emulator/callers', { people: callers.map((c) => UPN[c]) });
    await eventually(async () => (await talking()).length === 2, 'the first two callers talking to the two agents', 60_000);
    for (let n = 3; n <= callers.length; n += 1) {
      const [earliest] = (await talking()).sort((a, b) => a.since.localeCompare(b.since));
      // The agent talks a moment first: a queue frees an agent once their presence has been seen in the call and then
      // out of it (polled every 500 ms here); an agent never seen in it is held for the connect grace (30 s).
      const talked = Date.now() - Date.parse(earliest!.since);
      if (talked < 2_000) await new Promise((r) => setTimeout(r, 2_000 - talked));
      await emu.json('POST', `/emulator/direct-calls/${earliest!.id}/hangup`, {});
      await eventually(async () => (await directCalls()).length === n && (await talking()).length === 2, `caller ${n} put through as an agent frees up`, 60_000);
    }

    const all = await directCalls();
    const agentIds = new Set([id('priya'), id('jonas')]);
    const callerOf = (c: DirectCall) => c.people.map((p) => p.id).find((p) => !agentIds.has(p))!;
    const agentOf = (c: DirectCall) => c.people.map((p) => p.id).find((p) => agentIds.has(p))!;
    assert.deepEqual(all.map(callerOf).sort(), callers.map(id).sort(), 'every caller put through exactly once');
    for (const agent of agentIds) {
      const theirs = all.filter((c) => agentOf(c) === agent).sort((a, b) => a.since.localeCompare(b.since));
      for (let i = 1; i < theirs.length; i += 1) {
        assert.ok(theirs[i - 1]!.endedAt && theirs[i - 1]!.endedAt! <= theirs[i]!.since, 'an agent finished one caller before the next was put through');
      }
    }
  });
});
