// 1,000 notification deliveries for 40 calls, shuffled, duplicated and spread over three instances sharing one Redis
// (two batches of one call may be applied at the same moment on two instances), end in the same calls as the clean
// in-order stream applied by one embedded instance. Per-call compare-and-set plus the order-tolerant state machine
// is what makes this hold.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import type { CallSession } from '../../comms/calls/index.js';
import { REQUIRED_APP_ROLES } from '../../comms/graph/index.js';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { LOCAL_APP } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { batch, incoming, state, terminated, tone } from '../comms/calls/support/notifications.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const TONES = ['tone1', 'tone2', 'tone3', 'star', 'pound'];

/** The clean stream of one call: incoming, answered, holds, tones, then the end. About 25 notifications. */
function streamOf(callId: string, rnd: () => number): Array<Record<string, unknown>> {
  const out = [incoming(callId), state(callId, 'establishing'), state(callId, 'established')];
  let seq = 0;
  const middles = 5 + Math.floor(rnd() * 8);
  for (let i = 0; i < middles; i++) {
    if (rnd() < 0.3) out.push(state(callId, 'hold'), state(callId, 'established'));
    else for (let t = 0; t < 1 + Math.floor(rnd() * 3); t++) out.push(tone(callId, ++seq, TONES[Math.floor(rnd() * TONES.length)]!));
  }
  out.push(state(callId, 'terminating'), terminated(callId, { code: 200, subcode: 5000 + Math.floor(rnd() * 10), message: 'ended' }));
  return out;
}

/** What must agree: the call as the state machine leaves it (not timestamps or this run's bookkeeping). */
function essence(s: CallSession | undefined): unknown {
  if (!s) return undefined;
  return { state: s.state, resultInfo: s.resultInfo, terminationReason: s.terminationReason, direction: s.direction, tones: (s as unknown as { tones?: unknown }).tones, myParticipantId: s.myParticipantId };
}

describe('1,000 shuffled notification deliveries over three instances (distributed mode)', function () {
  this.timeout(120_000);
  let redis: TestRedis;
  let emulator: RunningEmulator;
  let emulatorDir: string;
  const cluster: LocalSwitchboard[] = [];
  let reference: LocalSwitchboard;
  // No front desk file: incoming calls are declined by rule, which touches no call state here.
  const env = { FRONT_DESK_FILE: '/nonexistent/front-desk.json', LOG_LEVEL: 'warn' };

  before(async () => {
    redis = await startTestRedis();
    emulatorDir = mkdtempSync(join(tmpdir(), 'switchboard-shuffle-emulator-'));
    emulator = await startEmulator({
      port: 0,
      dataDir: emulatorDir,
      tenantId: LOCAL_APP.tenantId,
      apps: [{ clientId: LOCAL_APP.id, clientSecret: LOCAL_APP.secret, displayName: 'Switchboard (local)', roles: REQUIRED_APP_ROLES }],
      logger: createLogger('silent'),
    });
    for (let i = 0; i < 3; i++) cluster.push(await startLocalSwitchboard({ emulator, env: { ...env, REDIS_URL: redis.url } }));
    reference = await startLocalSwitchboard({ emulator, env });
  });
  after(async () => {
    for (const app of [...cluster, reference]) await app?.stop();
    await emulator?.close();
    await redis?.stop();
    if (emulatorDir) rmSync(emulatorDir, { recursive: true, force: true });
  });

  const post = async (app: LocalSwitchboard, items: unknown[]) => {
    const token = await emulator.signCallingToken({ audience: LOCAL_APP.id });
    const res = await request(`${app.url}/api/calling`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(batch(...items)) });
    await res.body.text();
    assert.equal(res.statusCode, 202);
  };

  it('ends every call exactly as the clean stream does on one instance', async () => {
    const rnd = random(20261201);
    const calls = Array.from({ length: 40 }, () => randomUUID());
    const streams = new Map(calls.map((id) => [id, streamOf(id, rnd)]));

    // Reference: each call's stream in order, one notification per batch, to one embedded instance.
    for (const [, stream] of streams) for (const item of stream) await post(reference, [item]);

    // Cluster: every notification, plus duplicates, shuffled into batches of 1-3 and sent to a random instance,
    // several batches in flight at once.
    const deliveries: unknown[] = [];
    for (const stream of streams.values()) deliveries.push(...stream);
    const total = deliveries.length;
    while (deliveries.length < 1000) deliveries.push(deliveries[Math.floor(rnd() * total)]!);
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
    }
    const batches: unknown[][] = [];
    for (let i = 0; i < deliveries.length; ) {
      const size = 1 + Math.floor(rnd() * 3);
      batches.push(deliveries.slice(i, i + size));
      i += size;
    }
    const inFlight = 8;
    for (let i = 0; i < batches.length; i += inFlight) {
      await Promise.all(batches.slice(i, i + inFlight).map((b) => post(cluster[Math.floor(rnd() * cluster.length)]!, b)));
    }
    assert.ok(deliveries.length >= 1000);

    for (const app of [...cluster, reference]) await app.calls.idle();
    await eventually(async () => {
      for (const id of calls) {
        const expected = JSON.stringify(essence(await reference.calls.getCall(id)));
        const actual = JSON.stringify(essence(await cluster[0]!.calls.getCall(id)));
        if (expected !== actual) return false;
      }
      return true;
    }, 'every call in the shared store to match the reference', 20_000).catch(async (err: Error) => {
      for (const id of calls) {
        const expected = essence(await reference.calls.getCall(id));
        const actual = essence(await cluster[0]!.calls.getCall(id));
        assert.deepEqual(actual, expected, `call ${id}`);
      }
      throw err;
    });
    // And each instance reads the same shared calls.
    for (const id of calls) assert.deepEqual(essence(await cluster[1]!.calls.getCall(id)), essence(await cluster[2]!.calls.getCall(id)));
  });
});
