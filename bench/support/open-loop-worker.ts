// Worker thread of the open-loop load generator: sends POSTs on a fixed schedule whatever the answers do (so a slow
// server shows up as latency, not as a lower offered rate), and measures each from its scheduled time to the end of
// its answer. Runs on its own thread so the app's event loop cannot delay the schedule.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';
import type { OpenLoopJob, OpenLoopOutcome } from './open-loop.js';
import { fill } from './payloads.js';

async function run(job: OpenLoopJob): Promise<OpenLoopOutcome> {
  const target = new URL(job.url);
  const pool = new Pool(target.origin, { connections: job.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const total = Math.max(1, Math.round((job.rate * job.durationMs) / 1000));
  const interval = 1000 / job.rate;
  const latencies: number[] = [];
  const byTemplate: number[][] = job.templates.map(() => []);
  const statuses: Record<string, number> = {};
  let inFlight = 0;
  let shed = 0;
  let timeouts = 0;
  let errors = 0;
  let sent = 0;
  let lastAnswerAt = 0;
  const started = performance.now();
  const pending = new Set<Promise<void>>();

  const send = (i: number) => {
    const scheduled = started + i * interval;
    if (inFlight >= job.maxInFlight) {
      shed += 1;
      return;
    }
    inFlight += 1;
    sent += 1;
    const template = job.templates[i % job.templates.length]!;
    const body = fill(template, job.seqStart + i);
    const p = pool
      .request({
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...job.headers },
        body,
        signal: AbortSignal.timeout(job.timeoutMs),
      })
      .then(
        async (res) => {
          await res.body.dump();
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        },
        (err: Error) => {
          if (err.name === 'TimeoutError' || err.name === 'AbortError') timeouts += 1;
          else errors += 1;
        },
      )
      .finally(() => {
        const now = performance.now();
        latencies.push(now - scheduled);
        byTemplate[i % job.templates.length]!.push(now - scheduled);
        lastAnswerAt = now;
        inFlight -= 1;
        pending.delete(p);
      });
    pending.add(p);
  };

  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - started) / interval) + 1);
      while (next < due) send(next++);
      if (next >= total) resolve();
      else setTimeout(tick, Math.max(1, Math.min(5, interval / 2)));
    };
    tick();
  });
  await Promise.all([...pending]);
  await pool.close();
  const elapsedMs = (lastAnswerAt || performance.now()) - started;
  return { latencies, byTemplate, statuses, sent, shed, timeouts, errors, elapsedMs };
}

run(workerData as OpenLoopJob).then(
  (outcome) => parentPort!.postMessage({ ok: true, outcome }),
  (err: Error) => parentPort!.postMessage({ ok: false, error: err.message }),
);
