// Call records keep arriving after a restart under `npm start` (issue 12, item 8): the embedded emulator starts with
// fresh state and has forgotten the app's subscription while the app's store still holds it. The app verifies the
// stored subscription on start (GET → 404), creates a new one, and the next call's record reaches it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommsEventOf } from '../../../comms/store/index.js';
import { act, dial } from '../../e2e/people.js';
import { eventually, freePort, startLocalSwitchboard, type LocalSwitchboard } from '../../support/local-switchboard.js';

describe('call records after a restart with a forgetful Graph (end to end)', function () {
  this.timeout(90_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-records-restart-'));
  let app: LocalSwitchboard | undefined;
  after(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // persistState false: this Graph forgets (the embedded emulator keeps its state by default, as Microsoft's cloud does).
  const start = async (port: number) => startLocalSwitchboard({ port, dataDir, emulatorOptions: { callRecordDelayMs: 200, persistState: false } });

  /** Hana calls the bot, the front desk answers, she hangs up: resolves with the record summary the app received. */
  async function callAndAwaitRecord(running: LocalSwitchboard): Promise<{ recordId: string; names: string[] }> {
    const callId = await dial(running, 'hana');
    await eventually(async () => (await running.calls.getCall(callId))?.state === 'established', 'the call established');
    const chainId = (await running.emulatorJson('GET', `/emulator/calls/${callId}`)).body.callChainId as string;
    await act(running, callId, 'hangup', { person: 'hana.sato@switchboard.test' });
    const ready = await running.waitForEvent<CommsEventOf<'record.ready'>>((e) => e.type === 'record.ready' && e.recordId === chainId, "the call's record", 20_000);
    const summary = await running.records.getSummary(ready.recordId);
    return { recordId: ready.recordId, names: (summary?.participants ?? []).map((p) => p.displayName ?? '') };
  }

  it('verifies the stored subscription on start, re-creates the one the fresh emulator forgot, and the next record arrives', async () => {
    const port = await freePort();
    app = await start(port);
    const before = app.records.subscriptions!.subscription;
    assert.ok(before, 'subscribed on first start');
    assert.ok((await callAndAwaitRecord(app)).names.includes('Hana Sato'), 'records arrive before the restart');
    await app.stop();
    app = undefined;

    // Same data folder and port (the stored subscription still matches), but Microsoft's side starts from scratch.
    app = await start(port);
    const list = (await app.emulatorJson('GET', '/emulator/subscriptions')).body.value as Array<{ id: string; resource: string; state: string }>;
    const live = list.filter((s) => s.resource.includes('callRecords') && s.state === 'active');
    assert.equal(live.length, 1, `one live callRecords subscription at the fresh emulator (${JSON.stringify(list)})`);
    const after = app.records.subscriptions!.subscription!;
    assert.equal(after.id, live[0]!.id, 'the app holds the subscription the emulator knows');
    const gets = (await app.emulatorJson('GET', `/emulator/requests?path=${encodeURIComponent(`/v1.0/subscriptions/${before.id}`)}`)).body.value as Array<{ method: string; status: number }>;
    assert.ok(gets.some((r) => r.method === 'GET' && r.status === 404), 'the stored one was checked with GET and Graph answered 404');
    const record = await callAndAwaitRecord(app);
    assert.ok(record.names.includes('Hana Sato'), `the record after the restart names the caller (${record.names.join(', ')})`);
  });

  it('a subscription deleted at Graph while the app runs is re-created by the next check', async () => {
    assert.ok(app, 'the app from the previous test');
    const running = app;
    const current = running.records.subscriptions!.subscription!;
    // Someone (an admin, Graph itself) deletes it; the app is not told.
    await running.graph.delete(`/subscriptions/${encodeURIComponent(current.id)}`);
    await running.records.subscriptions!.recheck(); // what the hourly check does
    const replaced = running.records.subscriptions!.subscription!;
    assert.notEqual(replaced.id, current.id);
    assert.ok((await callAndAwaitRecord(running)).names.includes('Hana Sato'), 'records arrive through the new subscription');
  });
});
