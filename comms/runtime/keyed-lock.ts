// One queue per key: work for the same key (a call id, a meeting id) runs one at a time in arrival order, work for
// different keys runs concurrently. A failing task never blocks the ones behind it. In-process only: across
// instances, state changes are made safe by the store's atomic update (compare-and-set), not by this lock.

export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running. */
  get size(): number {
    return this.tails.size;
  }
}
