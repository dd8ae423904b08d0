// Runs an async function over a list with at most `limit` of them in flight at once (start-up re-reads, bulk sends):
// as fast as the other side allows, without opening one request per item at the same moment.

/** Calls `fn` for every item, at most `limit` at a time, in list order; resolves when all have settled. */
export async function forEachBounded<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
