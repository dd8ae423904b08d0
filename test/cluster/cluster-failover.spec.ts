// kill -9 at the worst moment (distributed mode, 3 instances behind the round-robin front): the instance running an
// IVR transfer dies before its request, with the request taken by Graph, or with the request lost — the call is
// transferred through another instance, the request retried at most once. Asserted on the emulator's request log and
// calls, and on the shared store.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { CallSession } from '../../comms/calls/index.js';
import type { IvrPosition } from '../../comms/ivr/index.js';
import { openRedisStore, type Store } from '../../comms/store/index.js';
import { startLocalCluster, type ClusterInstance, type LocalCluster } from '../../server/cluster/local-cluster.js';
import { createLogger } from '../../server/logger.js';
import { FAST_EMULATOR } from '../support/local-switchboard.js';
import { clusterEmulator, eventually, type ClusterEmulator } from './cluster-support.js';
import { UPN } from '../e2e/people.js';

const TRANSFER_PATH = (callId: string) => `/v1.0/communications/calls/${callId}/transfer`;

describe('kill -9 at the worst moment (distributed mode)', function () {
  this.timeout(180_000);
  let cluster: LocalCluster;
  let dir: string;
  let emu: ClusterEmulator;
  let redis: Redis;
  let store: Store;
  const emulator = (method: string, path: string, body?: unknown) => emu.json(method, path, body);
  const truth = (callId: string) => emulator('GET', `/emulator/calls/${callId}`);
  const position = async (callId: string) => (await store.get<CallSession>('calls', callId))?.context.ivr as IvrPosition | undefined;
  const instanceNamed = (instanceId: string): ClusterInstance => cluster.instances.find((i) => instanceId.startsWith(`instance-${i.index + 1}-`))!;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-failover-'));
    const desk = join(dir, 'desk.json');
    writeFileSync(
      desk,
      JSON.stringify({
        timezone: 'UTC',
        people: { agent: UPN.priya },
        default: { action: 'answer', menu: 'main' },
        menus: {
          main: {
            prompt: { text: 'Main menu. Press 2 or 5 for an agent.' },
            options: {
              '2': { action: 'transfer', to: 'agent', prompt: { text: 'Putting you through to an agent now.' } },
              '5': { action: 'transfer', to: 'agent' },
            },
            timeoutSeconds: 60,
            maxRetries: 1,
            fallback: { action: 'hangup' },
          },
        },
      }),
    );
    cluster = await startLocalCluster({
      instances: 3,
      port: 0,
      emulatorPort: 0,
      dataDir: dir,
      logger: createLogger('silent'),
      env: { LOG_LEVEL: process.env.CLUSTER_LOG_LEVEL ?? 'info', FRONT_DESK_FILE: desk },
      emulatorOptions: FAST_EMULATOR,
    });
    emu = clusterEmulator(cluster);
    redis = new Redis(cluster.redisUrl, { maxRetriesPerRequest: 1 });
    store = openRedisStore(redis);
    await emulator('PUT', `/emulator/people/${UPN.priya}/behavior`, { onCall: 'answer', answerDelayMs: 50 });
  });
  afterEach(async () => {
    await emulator('DELETE', '/emulator/faults');
    await Promise.all(cluster.instances.filter((i) => !i.alive).map((i) => i.start()));
  });
  after(async () => {
    redis?.disconnect();
    await cluster?.close();
    await emu?.close();
    if (dir && !process.env.KEEP_CLUSTER_DIR) rmSync(dir, { recursive: true, force: true });
  });

  /** A caller in the main menu, its prompt played; resolves with the call id. */
  async function inMainMenu(caller: string): Promise<string> {
    const { callId } = await emulator('POST', `/emulator/people/${caller}/dial`, {});
    await eventually(async () => (await truth(callId)).state === 'established', 'the call to be established');
    await eventually(async () => ((await truth(callId)).prompts as Array<{ status: string }>).some((p) => p.status === 'played'), 'the main menu played');
    await eventually(async () => (await position(callId))?.phase === 'waiting', 'the menu waiting for a key');
    return callId;
  }

  /** The call was handed to Priya: Graph reports the transfer completed and the bot's call ended. */
  async function transferred(callId: string): Promise<void> {
    const call = await eventually(async () => {
      const t = await truth(callId);
      return t.state === 'terminated' && t;
    }, 'the bot\'s call to end with the transfer', 40_000);
    assert.equal(call.transfer?.outcome, 'completed', JSON.stringify(call.transfer));
    await eventually(async () => (await store.get<CallSession>('calls', callId))?.state === 'terminated', 'the shared store to have the call ended');
  }

  const transferRequests = async (callId: string) => (await emu.requests(TRANSFER_PATH(callId))).filter((r) => r.path === TRANSFER_PATH(callId));

  it('killed after choosing a transfer, while its goodbye prompt plays (no request yet): another instance transfers the call, once', async () => {
    const callId = await inMainMenu(UPN.hana);
    // The goodbye prompt's request is held: the owner is killed while it waits for it, before any transfer request.
    await emulator('POST', '/emulator/faults', { match: { method: 'POST', path: '/v1.0/communications/calls/*/playPrompt' }, count: 1, delayMs: 4_000 });
    await emulator('POST', `/emulator/calls/${callId}/tones`, { tones: '2' });
    const done = await eventually(async () => {
      const p = await position(callId);
      return p?.phase === 'done' && p;
    }, 'the menu to decide the transfer');
    await instanceNamed(done.owner!).kill();
    await transferred(callId);
    assert.equal((await transferRequests(callId)).length, 1, 'one transfer request');
  });

  it('killed with its transfer request taken by Graph (the answer never came back): nothing is sent again', async () => {
    const callId = await inMainMenu(UPN.elif);
    await emulator('POST', '/emulator/faults', { match: { method: 'POST', path: '/v1.0/communications/calls/*/transfer' }, count: 1, delayMs: 10_000, afterProcessing: true });
    await emulator('POST', `/emulator/calls/${callId}/tones`, { tones: '5' });
    await eventually(async () => (await truth(callId)).state !== 'established', 'Graph to take the transfer');
    const owner = (await position(callId))!.owner!;
    await instanceNamed(owner).kill();
    await transferred(callId);
    await new Promise((r) => setTimeout(r, 12_000)); // past the lease and the held answer: time for a wrong second request
    assert.equal((await transferRequests(callId)).length, 1, 'one transfer request');
  });

  it('killed with its transfer request lost on the way: another instance retries it once, and the call is transferred', async () => {
    const callId = await inMainMenu(UPN.tomasz);
    // The request is held before Graph acts on it, for longer than the lease: the retry gets there first.
    await emulator('POST', '/emulator/faults', { match: { method: 'POST', path: '/v1.0/communications/calls/*/transfer' }, count: 1, delayMs: 20_000 });
    await emulator('POST', `/emulator/calls/${callId}/tones`, { tones: '5' });
    const sent = await eventually(async () => {
      const p = await position(callId);
      return p?.phase === 'done' && (p.finishing?.attempts ?? 0) >= 1 && p;
    }, 'the transfer request under way');
    await new Promise((r) => setTimeout(r, 300)); // the request is on the wire
    await instanceNamed(sent.owner!).kill();
    await transferred(callId);
    const retried = await position(callId);
    assert.equal(retried?.finishing?.attempts, 2, JSON.stringify(retried));
    assert.notEqual(retried?.owner, sent.owner, 'another instance retried it');
    // The held first request reaches Graph after the call was transferred: it is refused, and nothing else is sent.
    await eventually(async () => (await transferRequests(callId)).length === 2, 'the held request answered', 30_000);
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal((await transferRequests(callId)).length, 2, 'the lost request and one retry, never a third');
  });
});
