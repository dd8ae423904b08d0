// Embedded mode (no REDIS_URL) runs keepAlive on the runtime's durable-timers seam, the code path distributed mode
// runs on BullMQ: each live call is one in-memory job that moves after each keepAlive and goes when the call ends.
import assert from 'node:assert/strict';
import { EmbeddedScheduler } from '../../comms/runtime/index.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { behave, directoryIds } from '../e2e/people.js';

describe('embedded mode: keepAlive on the runtime scheduler', function () {
  this.timeout(60_000);
  let app: LocalSwitchboard;
  before(async () => {
    app = await startLocalSwitchboard({ keepAliveIntervalMs: 1000 });
  });
  after(async () => app?.stop());

  it('a live call is one keepAlive job on the runtime\'s scheduler, moved after each keepAlive, removed when the call ends', async () => {
    assert.equal(app.runtime.kind, 'embedded');
    const scheduler = app.scheduler;
    assert.ok(scheduler instanceof EmbeddedScheduler);
    const jobFor = (callId: string) => scheduler.scheduled('call-keepalive').find((j) => j.id === callId);
    const ids = await directoryIds(app);
    await behave(app, 'jonas', 'answer');
    const call = await app.calls.placeCall({ target: { kind: 'user', id: ids.jonas } });
    await eventually(async () => (await app.calls.getCall(call.id))?.state === 'established', 'the call established');
    const first = await eventually(() => jobFor(call.id), 'the call\'s keepAlive job');
    const keepAlives = async () => (await app.emulatorJson('GET', `/emulator/requests?path=${encodeURIComponent(`/v1.0/communications/calls/${call.id}/keepAlive`)}`)).body.value.filter((r: { status: number }) => r.status === 200).length as number;
    await eventually(async () => (await keepAlives()) >= 1, 'a keepAlive sent by the job');
    await eventually(() => (jobFor(call.id)?.dueAt ?? 0) > first.dueAt, 'the job moved to the next interval');
    assert.equal((await app.calls.getCall(call.id))?.nextKeepAliveAt !== undefined, true);
    await app.calls.hangUp(call.id);
    await eventually(async () => (await app.calls.getCall(call.id))?.state === 'terminated', 'the call ended');
    await eventually(() => jobFor(call.id) === undefined, 'the job removed with the call');
  });
});
