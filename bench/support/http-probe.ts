// Round trips to the app for floors: `concurrency` GETs at once, `rounds` times, each timed from send to the end of
// its answer.
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

export async function timedGets(url: string, concurrency: number, rounds: number, agent?: Agent): Promise<{ latencies: number[]; statuses: Record<string, number> }> {
  const dispatcher = agent ?? new Agent({ connections: Math.max(1, concurrency) });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  try {
    for (let r = 0; r < rounds; r++) {
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          const t = performance.now();
          try {
            const res = await request(url, { dispatcher, signal: AbortSignal.timeout(15_000) });
            await res.body.dump();
            statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          } catch {
            statuses.error = (statuses.error ?? 0) + 1;
          }
          latencies.push(performance.now() - t);
        }),
      );
    }
  } finally {
    if (!agent) await dispatcher.close();
  }
  return { latencies, statuses };
}
