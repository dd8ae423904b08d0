// Several instances, no sticky sessions (distributed mode): three app processes share one Redis and one emulator
// behind a round-robin front, so every notification, tone and timer of a call may land on a different instance.
// Asserted on the emulator's truth (its calls and request log): one answer, menus that follow keys, keepAlive that
// survives kill -9 of instances, a reminder placed once while an instance is dead.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Reminder } from '../../comms/reminders/index.js';
import { openRedisStore, type Store } from '../../comms/store/index.js';
import { startLocalCluster, type LocalCluster } from '../../server/cluster/local-cluster.js';
import { createLogger } from '../../server/logger.js';
import { FAST_EMULATOR } from '../support/local-switchboard.js';
import { clusterEmulator, eventually, type ClusterEmulator } from './cluster-support.js';
import { UPN } from '../e2e/people.js';

/** A one-attempt reminder falling due in `inMs`, written straight to the shared store (as the chat would schedule it). */
async function dueReminder(store: Store, person: Reminder['person'], message: string, inMs: number): Promise<Reminder> {
  const now = Date.now();
  const reminder: Reminder = {
    id: randomUUID(),
    person,
    message,
    dueAt: new Date(now + inMs).toISOString(),
    createdAt: new Date(now).toISOString(),
    confirm: false,
    status: 'scheduled',
    attempts: 0,
    maxAttempts: 1,
    updatedAt: new Date(now).toISOString(),
  };
  await store.put('reminders', reminder.id, reminder);
  return reminder;
}

describe('several instances behind a round-robin front (distributed mode, Redis)', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  let dir: string;
  let emu: ClusterEmulator;
  const emulator = (method: string, path: string, body?: unknown) => emu.json(method, path, body);
  const requests = (pathPart: string, method = 'POST') => emu.requests(pathPart, method);
  const truth = (callId: string) => emulator('GET', `/emulator/calls/${callId}`);
  const playedPrompts = async (callId: string) => (await truth(callId)).prompts.length as number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-cluster-'));
    const desk = join(dir, 'desk.json');
    writeFileSync(
      desk,
      JSON.stringify({
        timezone: 'UTC',
        people: { reception: UPN.amara, agent: UPN.priya },
        default: { action: 'answer', menu: 'main' },
        menus: {
          main: { prompt: { text: 'Main menu. Press 3 for more.' }, options: { '3': { action: 'menu', menu: 'more' }, '9': { action: 'repeat' } }, timeoutSeconds: 30, maxRetries: 1, fallback: { action: 'hangup' } },
          more: { prompt: { text: 'More options. Press star to go back.' }, options: { '*': { action: 'back' } }, timeoutSeconds: 30, maxRetries: 1, fallback: { action: 'back' } },
        },
      }),
    );
    cluster = await startLocalCluster({
      instances: 3,
      port: 0,
      emulatorPort: 0,
      dataDir: dir,
      logger: createLogger('silent'),
      env: { LOG_LEVEL: process.env.CLUSTER_LOG_LEVEL ?? 'info', KEEP_ALIVE_INTERVAL_MS: '1500', FRONT_DESK_FILE: desk },
      emulatorOptions: FAST_EMULATOR,
    });
    emu = clusterEmulator(cluster);
  });
  after(async () => {
    await cluster?.close();
    await emu?.close();
    if (dir && !process.env.KEEP_CLUSTER_DIR) rmSync(dir, { recursive: true, force: true });
  });

  it('answers an incoming call exactly once and its menu follows keys, whichever instance gets each notification', async () => {
    const { callId } = await emulator('POST', `/emulator/people/${UPN.hana}/dial`, {});
    await eventually(async () => (await truth(callId)).state === 'established', 'the call to be established');
    const before = await eventually(async () => (await playedPrompts(callId)) >= 1 && playedPrompts(callId), 'the main menu prompt');
    await emulator('POST', `/emulator/calls/${callId}/tones`, { tones: '3' });
    await eventually(async () => (await playedPrompts(callId)) > before, 'the "more" menu prompt after 3');
    const afterThree = await playedPrompts(callId);
    await emulator('POST', `/emulator/calls/${callId}/tones`, { tones: '*' });
    await eventually(async () => (await playedPrompts(callId)) > afterThree, 'the main menu again after *');
    assert.equal((await requests(`/communications/calls/${callId}/answer`)).length, 1, 'answered once');
    assert.equal((await requests('/v1.0/subscriptions')).filter((r) => r.path === '/v1.0/subscriptions').length, 1, 'one callRecords subscription for the whole cluster');
    const served = Object.values(cluster.front.counts()).filter((n) => n > 0).length;
    assert.ok(served >= 2, `requests reached ${served} instance(s): ${JSON.stringify(cluster.front.counts())}`);
    await emulator('POST', `/emulator/calls/${callId}/hangup`, {}).catch(() => undefined);
  });

  it('kill -9 of two instances in the middle of a call: the menu still answers the next key and keepAlive goes on', async () => {
    const { callId } = await emulator('POST', `/emulator/people/${UPN.elif}/dial`, {});
    await eventually(async () => (await truth(callId)).state === 'established', 'the call to be established');
    await eventually(async () => (await playedPrompts(callId)) >= 1, 'the main menu prompt');
    await cluster.instances[0]!.kill();
    await cluster.instances[1]!.kill();
    try {
      const killedAt = new Date().toISOString();
      const before = await playedPrompts(callId);
      await emulator('POST', `/emulator/calls/${callId}/tones`, { tones: '3' });
      await eventually(async () => (await playedPrompts(callId)) > before, 'the "more" prompt after the kills');
      await eventually(async () => (await requests(`/communications/calls/${callId}/keepAlive`)).some((r) => r.time > killedAt), 'a keepAlive after the kills', 15_000);
      assert.equal((await truth(callId)).state, 'established');
    } finally {
      await Promise.all([cluster.instances[0]!.start(), cluster.instances[1]!.start()]);
    }
  });

  it('kill -9 of the instance ringing a reminder: another takes the call over when it is answered, speaks the reminder, records it once', async () => {
    const redis = new Redis(cluster.redisUrl, { maxRetriesPerRequest: 1 });
    try {
      const store = openRedisStore(redis);
      const users = (await emulator('GET', '/emulator/users')).value as Array<{ id: string; userPrincipalName: string }>;
      const jonas = users.find((u) => u.userPrincipalName === UPN.jonas)!;
      await emulator('PUT', `/emulator/people/${UPN.jonas}/behavior`, { onCall: 'manual' });
      const reminder = await dueReminder(store, { userId: jonas.id, displayName: 'Jonas Lindqvist' }, 'The build is green', 300);
      const placed = await eventually(async () => {
        const r = await store.get<Reminder>('reminders', reminder.id);
        return r?.callId && r.owner ? r : undefined;
      }, 'the reminder call to be placed');
      const owner = cluster.instances.find((i) => placed.owner!.startsWith(`instance-${i.index + 1}-`))!;
      await eventually(async () => ((await truth(placed.callId!)).ringing?.length ?? 0) > 0, 'Jonas ringing');
      await owner.kill();
      try {
        await emulator('POST', `/emulator/calls/${placed.callId}/answer`, { person: UPN.jonas });
        const done = await eventually(async () => {
          const r = await store.get<Reminder>('reminders', reminder.id);
          return r && r.status !== 'calling' ? r : undefined;
        }, 'the reminder\'s outcome after the takeover', 40_000);
        assert.equal(done.status, 'delivered', JSON.stringify(done));
        assert.notEqual(done.owner, placed.owner, 'another instance finished it');
        assert.ok(((await truth(placed.callId!)).prompts as unknown[]).length >= 1, 'the reminder was spoken');
      } finally {
        await owner.start();
      }
    } finally {
      redis.disconnect();
    }
  });

  it('a reminder that falls due while an instance is dead is placed once by the others, spoken, and its outcome recorded once', async () => {
    const redis = new Redis(cluster.redisUrl, { maxRetriesPerRequest: 1 });
    try {
      const store = openRedisStore(redis);
      const users = (await emulator('GET', '/emulator/users')).value as Array<{ id: string; userPrincipalName: string }>;
      const grace = users.find((u) => u.userPrincipalName === UPN.grace)!;
      await emulator('PUT', `/emulator/people/${UPN.grace}/behavior`, { onCall: 'answer', answerDelayMs: 50 });
      await cluster.instances[2]!.kill();
      const reminder = await dueReminder(store, { userId: grace.id, displayName: 'Grace Whitfield' }, 'Stand-up in five minutes', 500);
      const placed = await eventually(async () => {
        const r = await store.get<Reminder>('reminders', reminder.id);
        return r?.callId ? r : undefined;
      }, 'the reminder call to be placed');
      await new Promise((r) => setTimeout(r, 2000)); // time for a second instance to (wrongly) place it again
      // Every create request the emulator received that targets Grace (the request log keeps the bodies).
      const log = (await emulator('GET', '/emulator/requests?limit=5000')).value as Array<{ method: string; path: string; status: number; requestBody?: unknown }>;
      const creates = log.filter((r) => r.method === 'POST' && r.path === '/v1.0/communications/calls' && JSON.stringify(r.requestBody ?? '').includes(grace.id));
      assert.equal(creates.length, 1, `create requests for Grace: ${creates.length}`);
      // The reminder is spoken and its outcome recorded once, whichever instances its call's notifications reach.
      const done = await eventually(async () => {
        const r = await store.get<Reminder>('reminders', reminder.id);
        return r && r.status !== 'calling' && r.status !== 'scheduled' ? r : undefined;
      }, 'the reminder\'s outcome');
      assert.equal(done.status, 'delivered', JSON.stringify(done));
      assert.equal(done.attempts, 1);
      const played = (await truth(placed.callId!)).prompts as Array<{ status: string }>;
      assert.ok(played.length >= 1, 'the reminder was spoken');
    } finally {
      await cluster.instances[2]!.start();
      redis.disconnect();
    }
  });
});
