// The shared store of distributed mode: each item a Redis hash { v: version, d: JSON } under
// `<prefix>:item:<collection>:<key>`, each collection's keys in a set for listing. Every write is one Lua script, so
// it is atomic; `update` is compare-and-set on the version, retried when another instance wrote in between.
import type { Redis } from 'ioredis';
import { KeyedLock } from '../runtime/keyed-lock.js';
import { StoreError, type Store, type StoredItem, type StoreUpdate } from './store.js';

const PUT = `redis.call('HSET', KEYS[1], 'd', ARGV[1]); redis.call('HINCRBY', KEYS[1], 'v', 1); redis.call('SADD', KEYS[2], ARGV[2]); return 1`;
const PUT_IF_ABSENT = `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'd', ARGV[1], 'v', 1); redis.call('SADD', KEYS[2], ARGV[2]); return 1`;
const COMPARE_AND_SET = `local v = redis.call('HGET', KEYS[1], 'v') or '0'
if v ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'd', ARGV[1], 'v', tonumber(v) + 1); redis.call('SADD', KEYS[2], ARGV[3]); return 1`;
const DELETE = `local n = redis.call('DEL', KEYS[1]); redis.call('SREM', KEYS[2], ARGV[1]); return n`;
const MAX_ATTEMPTS = 100;

export function openRedisStore(redis: Redis, options: { prefix?: string } = {}): Store {
  const prefix = options.prefix ?? 'sb';
  const itemKey = (collection: string, key: string) => `${prefix}:item:${collection}:${key}`;
  const keysKey = (collection: string) => `${prefix}:keys:${collection}`;
  // Updates of one item from this instance queue up here, so compare-and-set only races other instances.
  const local = new KeyedLock();

  const parse = <T>(collection: string, key: string, text: string): T => {
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new StoreError('store/corrupt', `Stored item ${collection}/${key} is not valid JSON`, err);
    }
  };
  const unavailable = (err: unknown): never => {
    if (err instanceof StoreError) throw err;
    throw new StoreError('store/unavailable', `The shared store (Redis) did not answer: ${(err as Error).message}`, err);
  };

  const compareAndSet = async <T>(collection: string, key: string, change: (current: T | undefined) => T | undefined): Promise<StoreUpdate<T>> => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const [version, text] = await redis.hmget(itemKey(collection, key), 'v', 'd').catch(unavailable);
      const previous = text === null || text === undefined ? undefined : parse<T>(collection, key, text);
      const value = change(previous);
      if (value === undefined) return { previous, value: previous, written: false };
      const wrote = await redis
        .eval(COMPARE_AND_SET, 2, itemKey(collection, key), keysKey(collection), JSON.stringify(value), version ?? '0', key)
        .catch(unavailable);
      if (wrote === 1) return { previous, value, written: true };
      // Another instance wrote in between: read again after a short random pause.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
    }
    throw new StoreError('store/unavailable', `Item ${collection}/${key} kept changing under ${MAX_ATTEMPTS} attempts to update it`);
  };

  return {
    async get<T>(collection: string, key: string) {
      const text = await redis.hget(itemKey(collection, key), 'd').catch(unavailable);
      return text === null ? undefined : parse<T>(collection, key, text);
    },
    async put<T>(collection: string, key: string, value: T) {
      await redis.eval(PUT, 2, itemKey(collection, key), keysKey(collection), JSON.stringify(value), key).catch(unavailable);
    },
    async putIfAbsent<T>(collection: string, key: string, value: T) {
      const wrote = await redis.eval(PUT_IF_ABSENT, 2, itemKey(collection, key), keysKey(collection), JSON.stringify(value), key).catch(unavailable);
      return wrote === 1;
    },
    update<T>(collection: string, key: string, change: (current: T | undefined) => T | undefined): Promise<StoreUpdate<T>> {
      return local.run(`${collection}\u0000${key}`, () => compareAndSet(collection, key, change));
    },
    async delete(collection: string, key: string) {
      const n = await redis.eval(DELETE, 2, itemKey(collection, key), keysKey(collection), key).catch(unavailable);
      return n === 1;
    },
    async list<T>(collection: string) {
      const keys = (await redis.smembers(keysKey(collection)).catch(unavailable)).sort();
      if (keys.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.hget(itemKey(collection, key), 'd');
      const results = (await pipeline.exec().catch(unavailable)) ?? [];
      const items: Array<StoredItem<T>> = [];
      keys.forEach((key, i) => {
        const [err, text] = results[i] ?? [];
        if (err) unavailable(err);
        if (typeof text === 'string') items.push({ key, value: parse<T>(collection, key, text) });
      });
      return items;
    },
    async ping() {
      // A real write and read-back: readiness means the store can be written, not only reached.
      const probe = `${Date.now()}`;
      await redis.set(`${prefix}:ping`, probe, 'PX', 60_000).catch(unavailable);
      if ((await redis.get(`${prefix}:ping`).catch(unavailable)) === null) throw new StoreError('store/unavailable', 'The shared store lost a write');
    },
    async close() {
      // The connection belongs to the distributed runtime, which closes it.
    },
  };
}
