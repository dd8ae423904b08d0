// The embedded store's compare-and-set update: read and write in one transaction, nothing written when the change
// returns undefined, nothing written (and the error passed on) when it throws, and one prepared transaction reused.
import assert from 'node:assert/strict';
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
});
