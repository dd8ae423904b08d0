// Open-loop HTTP load: `rate` POSTs a second for `durationMs`, bodies from templates (see payloads.ts), run on a
// worker thread. Bounded three ways: the request count (rate × duration), requests in flight (beyond it a request
// is shed and counted), and a per-request timeout. Stops by itself.
import { Worker } from 'node:worker_threads';

export interface OpenLoopJob {
  url: string;
  rate: number;
  durationMs: number;
  templates: string[];
  headers: Record<string, string>;
  /** First value of the templates' sequence marker (each request gets seqStart + its index). */
  seqStart: number;
  timeoutMs: number;
  maxInFlight: number;
  connections: number;
}

export interface OpenLoopOutcome {
  /** ms from each request's scheduled time to its answer (or failure). */
  latencies: number[];
  /** The same, per template (request i used template i % templates.length). */
  byTemplate: number[][];
  statuses: Record<string, number>;
  sent: number;
  /** Not sent: too many in flight already. */
  shed: number;
  timeouts: number;
  errors: number;
  elapsedMs: number;
}

export function runOpenLoop(job: Partial<OpenLoopJob> & Pick<OpenLoopJob, 'url' | 'rate' | 'durationMs' | 'templates' | 'seqStart'>): Promise<OpenLoopOutcome> {
  const full: OpenLoopJob = { headers: {}, timeoutMs: 15_000, maxInFlight: 1_000, connections: 128, ...job };
  const worker = new Worker(new URL('./open-loop-worker.js', import.meta.url), { workerData: full });
  return new Promise<OpenLoopOutcome>((resolve, reject) => {
    worker.once('message', (message: { ok: true; outcome: OpenLoopOutcome } | { ok: false; error: string }) => {
      if (message.ok) resolve(message.outcome);
      else reject(new Error(message.error));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load worker exited with ${code}`));
    });
  });
}
