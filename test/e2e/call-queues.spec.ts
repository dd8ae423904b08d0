// Call queues end to end in local mode: real emulated callers wait in a queue with music and announcements, emulated
// agents are offered their calls by presence and routing, overflow and timeouts take their actions, and call-backs
// are placed once — also across a restart of the app.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QueueStatus } from '../../comms/queues/index.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { behave, directoryIds, truth, UPN, type PersonName } from './people.js';

function deskFile(dir: string, name: string, queue: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const desk = {
    timezone: 'UTC',
    people: { priya: UPN.priya, jonas: UPN.jonas, amara: UPN.amara },
    default: { action: 'enqueue', queue: 'support' },
    menus: { main: { prompt: { text: 'Press 1.' }, options: { '1': { action: 'enqueue', queue: 'support' } } } },
    queues: {
      support: { agents: ['priya', 'jonas'], routing: 'serial', alertSeconds: 2, wrapUpSeconds: 0, announcements: { everySeconds: 3 }, ...queue },
    },
    ...extra,
  };
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(desk, null, 2));
  return path;
}

const QUEUE_TIMING = { presencePollMs: 150, connectGraceMs: 3_000, promptTimeoutMs: 10_000 };

describe('call queues end to end (local mode)', function () {
  this.timeout(90_000);
  let app: LocalSwitchboard;
  let dir: string;
  let ids: Record<PersonName, string>;

  const status = async (): Promise<QueueStatus> => (await app.queues.statusOf('support'))!;
  const directCalls = async () => (await app.emulatorJson('GET', '/emulator/direct-calls')).body.value as Array<{ id: string; people: Array<{ id: string }>; endedAt: string | null }>;
  const talking = async (a: PersonName, b: PersonName) => (await directCalls()).find((c) => !c.endedAt && c.people.some((p) => p.id === ids[a]) && c.people.some((p) => p.id === ids[b]));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-queues-'));
    app = await startLocalSwitchboard({ env: { FRONT_DESK_FILE: deskFile(dir, 'desk.json', {}) }, queues: QUEUE_TIMING });
    ids = await directoryIds(app);
  });
  after(async () => app?.stop());

  it('connects a caller to a free agent by a consultative transfer', async () => {
    await behave(app, 'priya', 'answer');
    await behave(app, 'jonas', 'answer');
    const res = await app.emulatorJson('POST', '/emulator/callers', { people: [UPN.hana] });
    assert.equal(res.status, 201);
    const [callId] = res.body.callIds as string[];
    const call = await eventually(talking.bind(null, 'hana', 'priya'), 'hana talking to priya', 20_000);
    assert.ok(call);
    const t = await truth(app, callId!);
    assert.equal(t.terminationReason, 'AppTransferred');
    const s = await eventually(async () => { const st = await status(); return st.agents.find((a) => a.userId === ids.priya)?.state === 'connected' && st; }, 'priya connected');
    assert.equal(s.waiting.length, 0);
    assert.equal(s.today.answered, 1);
  });
});
