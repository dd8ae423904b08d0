// The replay tool (npm run replay): captured commsNotifications batches reach a real local Switchboard signed as
// the emulator signs them, the app answers 202 and records the call, the tool reports what the app then asked Graph
// (read from the emulator's request log: the sample's call exists only in the capture, so answering it is a 404),
// and bad captures are reported.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tenantOf } from '../../emulator/replay/replay-captures.js';
import { eventually, freePort, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REPLAY = join(ROOT, 'dist/emulator/replay.js');
const SAMPLES = join(ROOT, 'emulator/replay-samples');
const SAMPLE_CALL_ID = '421f3700-4d4b-4a55-8f7c-1b7a9e6d2c31';

function replay(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [REPLAY, ...args], { cwd: ROOT, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('replay tool (npm run replay)', function () {
  this.timeout(60_000);
  let app: LocalSwitchboard;
  let dir: string;
  let webhook: string;
  let dataDir: string;

  before(async () => {
    app = await startLocalSwitchboard();
    dir = mkdtempSync(join(tmpdir(), 'switchboard-replay-'));
    webhook = `${app.url}/api/calling`;
    dataDir = join(app.dataDir, 'emulator');
  });
  after(async () => {
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('posts the sample folder in name order, signed so the app accepts it, and the app records the call', async () => {
    const run = await replay([SAMPLES, '--to', webhook, '--data-dir', dataDir, '--emulator', app.emulator!.url]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const lines = run.stdout.split('\n');
    const first = lines.findIndex((l) => l.startsWith('01-incoming-call.json: 202'));
    const second = lines.findIndex((l) => l.startsWith('02-call-established.json: 202'));
    assert.ok(first >= 0 && second > first, run.stdout);
    assert.match(run.stdout, /2 accepted, 0 failed, 0 skipped/);
    // Honest about what a 202 means: the app took the batch, then could not answer a call Graph does not know.
    assert.match(lines[first]!, /202 Accepted — the webhook took the batch \(it answers before processing\)/);
    assert.match(run.stdout, new RegExp(`then the app: POST /v1\\.0/communications/calls/${SAMPLE_CALL_ID}/answer → 404 \\(Graph does not know this call: it exists only in the capture\\)`));
    assert.match(run.stdout, /Afterwards the app made \d+ Graph request\(s\) about the replayed calls: 0 succeeded, \d+ failed\./);
    const session = await eventually(() => app.calls.getCall(SAMPLE_CALL_ID), 'the app to record the replayed call');
    assert.equal(session.id, SAMPLE_CALL_ID);
    assert.equal(session.direction, 'incoming');
    assert.doesNotMatch(run.stdout + run.stderr, /eyJ[\w-]+\.eyJ/, 'the bearer token is never printed');
  });

  it('replays a single file', async () => {
    const run = await replay([join(SAMPLES, '02-call-established.json'), '--to', webhook, '--data-dir', dataDir]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^02-call-established\.json: 202/m);
  });

  it('reports the app\'s 400 for a malformed batch, skips a file that is not JSON, and exits 1', async () => {
    const folder = join(dir, 'bad');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '1-not-json.json'), '{ "value": [ this is not json');
    writeFileSync(join(folder, '2-malformed.json'), JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value: 'not an array' }));
    writeFileSync(join(folder, 'notes.txt'), 'ignored: not a .json file');
    const run = await replay([folder, '--to', webhook, '--data-dir', dataDir]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^1-not-json\.json: skipped, not JSON/m);
    assert.match(run.stdout, /^2-malformed\.json: 400 /m);
    assert.match(run.stdout, /calls\/invalid-notification/);
    assert.doesNotMatch(run.stdout, /notes\.txt/);
    assert.match(run.stdout, /0 accepted, 1 failed, 1 skipped/);
  });

  it('is refused by the app when signed for another app id (the token audience is the app id)', async () => {
    const run = await replay([join(SAMPLES, '01-incoming-call.json'), '--to', webhook, '--data-dir', dataDir, '--app-id', '00000000-0000-4000-8000-000000000000']);
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, /^01-incoming-call\.json: 40[13] /m);
  });

  it('fails clearly when the data dir holds no calling signing key, or the webhook does not answer', async () => {
    const noKey = await replay([SAMPLES, '--to', webhook, '--data-dir', join(dir, 'empty')]);
    assert.equal(noKey.code, 1);
    assert.match(noKey.stderr, /no calling signing key at .*calling-signing-key\.json/);

    const closed = `http://127.0.0.1:${await freePort()}/api/calling`;
    const nobody = await replay([join(SAMPLES, '01-incoming-call.json'), '--to', closed, '--data-dir', dataDir]);
    assert.equal(nobody.code, 1);
    assert.ok(nobody.stdout.includes(`POST ${closed} failed: ECONNREFUSED`), nobody.stdout);

    const usage = await replay([]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /Usage: npm run replay --/);
  });

  describe('tenantOf (the token tenant taken from a capture)', () => {
    const cases: Array<[string, unknown, string | undefined]> = [
      ['top-level tenantId', { tenantId: 't-top', value: [{ resourceData: { tenantId: 't-data' } }] }, 't-top'],
      ['the first resourceData tenantId', { value: [{ resourceData: [{ id: 'p' }] }, { resourceData: { tenantId: 't-2' } }] }, 't-2'],
      ['none', { value: [{ resourceData: { state: 'established' } }] }, undefined],
      ['not a batch', ['a'], undefined],
      ['null', null, undefined],
      ['empty tenantId', { tenantId: '', value: [] }, undefined],
    ];
    for (const [name, batch, expected] of cases) it(name, () => assert.equal(tenantOf(batch), expected));
  });
});
