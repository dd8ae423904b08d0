// /readyz is honest about the store: it writes and reads back, so a store whose file was deleted or replaced under
// the running app, a store another writer holds, or a closed store, answers 503 with the reason — and the failure is logged.
import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { send } from './edge-harness.js';
import { startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';

describe('readiness probes a real store write', function () {
  this.timeout(60_000);
  let app: LocalSwitchboard;

  beforeEach(async () => {
    app = await startLocalSwitchboard();
  });
  afterEach(async () => {
    await app?.stop();
  });

  const ready = async () => {
    const res = await send(`${app.url}/readyz`, { method: 'GET' });
    return { status: res.status, checks: res.json.checks as Record<string, string> };
  };
  const notReadyLogged = () => app.logs.some((line) => line.includes('"msg":"not ready"') && line.includes('store/unavailable'));

  it('answers 503 naming the store when its file was deleted while running, and logs it', async () => {
    assert.equal((await ready()).status, 200);
    const file = join(app.dataDir, 'switchboard.db');
    renameSync(file, `${file}.gone`);
    const gone = await ready();
    assert.equal(gone.status, 503);
    assert.match(gone.checks.store!, /^store\/unavailable: /);
    assert.equal(gone.checks.token, 'ok');
    assert.ok(notReadyLogged(), 'the failure is in the log');
    renameSync(`${file}.gone`, file);
    assert.equal((await ready()).status, 200, 'ready again once the file is back');
  });

  it('answers 503 when the store was closed under the app', async () => {
    await app.store.close();
    const closed = await ready();
    assert.equal(closed.status, 503);
    assert.match(closed.checks.store!, /^store\/unavailable: /);
  });

  it('answers 503 when the store can be read but not written (another writer holds it), and never touches the items', async () => {
    const before = await app.store.list('calls');
    const holder = new Database(join(app.dataDir, 'switchboard.db'));
    try {
      holder.exec('BEGIN EXCLUSIVE');
      const busy = await ready();
      assert.equal(busy.status, 503);
      assert.match(busy.checks.store!, /^store\/unavailable: The store cannot be written \(SQLITE_BUSY\)$/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    assert.equal((await ready()).status, 200);
    assert.deepEqual(await app.store.list('calls'), before);
  });
});
