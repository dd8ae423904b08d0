// The embedded store's compare-and-set update: read and write in one transaction, nothing written when the change
// returns undefined, nothing written (and the error passed on) when it throws, and one prepared transaction reused;
// the writes of one turn of the event loop committed together (group commit).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../comms/store/sqlite-store.js';

describe('comms/store: SQLite update', () => {
  it('reads the current value, writes what the change returns, and says what it did', async () => {
    const store = openSqliteStore(':memory:');
    try {
      const created = await store.update<{ n: number }>('c', 'k', (current) => ({ n: (current?.n ?? 0) + 1 }));
      assert.deepEqual(created, { previous: undefined, value: { n: 1 }, written: true });
      const next = await store.update<{ n: number }>('c', 'k', (current) => ({ n: current!.n + 1 }));
      assert.deepEqual(next, { previous: { n: 1 }, value: { n: 2 }, written: true });
      assert.deepEqual(await store.get('c', 'k'), { n: 2 });
      const other = await store.update<{ n: number }>('c', 'other', (current) => current);
      assert.deepEqual(other, { previous: undefined, value: undefined, written: false }, 'undefined writes nothing');
      assert.equal(await store.get('c', 'other'), undefined);
    } finally {
      await store.close();
    }
  });

  it('writes nothing when the change declines or throws', async () => {
    const store = openSqliteStore(':memory:');
    try {
      await store.put('c', 'k', { n: 5 });
      const declined = await store.update<{ n: number }>('c', 'k', () => undefined);
      assert.deepEqual(declined, { previous: { n: 5 }, value: { n: 5 }, written: false });
      await assert.rejects(store.update<{ n: number }>('c', 'k', () => {
        throw new Error('no');
      }), /no/);
      assert.deepEqual(await store.get('c', 'k'), { n: 5 });
      // The transaction is usable again after a throw, for any collection and key.
      await store.update<{ n: number }>('d', 'k2', () => ({ n: 7 }));
      assert.deepEqual(await store.get('d', 'k2'), { n: 7 });
    } finally {
      await store.close();
    }
  });

  it('moves the items of a store file made with a WITHOUT ROWID table to a rowid table, once, losing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-store-'));
    const file = join(dir, 'switchboard.db');
    try {
      const old = new Database(file);
      old.exec('CREATE TABLE items (collection TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (collection, key)) WITHOUT ROWID');
      old.prepare('INSERT INTO items VALUES (?, ?, ?)').run('calls', 'a', JSON.stringify({ id: 'a', state: 'established' }));
      old.prepare('INSERT INTO items VALUES (?, ?, ?)').run('call-rosters', 'a', JSON.stringify({ participants: [{ id: 'p1' }] }));
      old.close();

      const store = openSqliteStore(file);
      assert.deepEqual(await store.get('calls', 'a'), { id: 'a', state: 'established' });
      assert.deepEqual(await store.list('call-rosters'), [{ key: 'a', value: { participants: [{ id: 'p1' }] } }]);
      assert.equal(await store.putIfAbsent('calls', 'a', { id: 'again' }), false, 'the primary key still holds');
      await store.put('calls', 'b', { id: 'b' });
      await store.close();

      const check = new Database(file, { readonly: true });
      const sql = check.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'items'").get()!.sql;
      check.close();
      assert.doesNotMatch(sql, /WITHOUT ROWID/i);
      const again = openSqliteStore(file);
      assert.deepEqual((await again.list('calls')).map((i) => i.key), ['a', 'b']);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('commits the writes of one turn together: readable at once here, on disk for others when each promise resolves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-store-'));
    const file = join(dir, 'switchboard.db');
    const store = openSqliteStore(file);
    const other = new Database(file, { readonly: true });
    const onDisk = (key: string) => other.prepare<[string], { value: string }>("SELECT value FROM items WHERE collection = 'c' AND key = ?").get(key)?.value;
    try {
      const writes = [store.put('c', 'a', { n: 1 }), store.putIfAbsent('c', 'b', { n: 2 }), store.update<{ n: number }>('c', 'a', (v) => ({ n: v!.n + 10 }))];
      const unwritable = store.put('c', 'bad', { n: 10n }); // JSON.stringify throws: only this write fails
      assert.deepEqual(await store.get('c', 'a'), { n: 11 }, 'this connection reads the pending writes');
      assert.equal(onDisk('a'), undefined, 'not committed before the turn ends');
      await assert.rejects(unwritable, /BigInt/);
      await Promise.all(writes);
      assert.deepEqual(JSON.parse(onDisk('a')!), { n: 11 });
      assert.deepEqual(JSON.parse(onDisk('b')!), { n: 2 });
      assert.equal(onDisk('bad'), undefined);
      // A write left pending when the store closes is committed by the close.
      const last = store.put('c', 'z', { n: 26 });
      await store.close();
      await last;
      assert.deepEqual(JSON.parse(onDisk('z')!), { n: 26 });
      await assert.rejects(store.put('c', 'y', {}), /closed/);
    } finally {
      other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
