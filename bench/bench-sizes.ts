// How big each figure's run is: `full` (npm run bench), `quick` (--quick: shorter phases, same figures) and `smoke`
// (the test suite's run: a handful of everything, only to prove every figure still produces a number).

export type SizeName = 'full' | 'quick' | 'smoke';

export interface BenchSizes {
  name: SizeName;
  ack: { rates: number[]; stepMs: number; rosterSize: number };
  /** townHall: the same for a 10,000-attendee meeting (rows 2d, 2e), fewer notifications (each is ~6.5 MB). */
  rosterIngest: { iterations: number; rosterSize: number; townHall: { iterations: number; rosterSize: number } };
  /**
   * singleRepeats: how many times the one-call step runs; burstRepeats: how many times each step of several calls at
   * once does (its p50/p99 are over every answer of every burst, its floor over as many rounds of GETs).
   */
  answer: { concurrency: number[]; singleRepeats: number; burstRepeats: number };
  meeting: { attendees: number; overSeconds: number; burst: { attendees: number; overSeconds: number }; rosterBatchMs: number };
  calls: { counts: number[]; keepAliveIntervalMs: number; windowMs: number; placeConcurrency: number; timeBoxMs: number };
  /** townHall: the second meeting the panel is measured on (rows 6c, 6d), its crowd joining all at once. */
  sidePanel: { attendees: number; townHall: number };
  prompts: { synthRuns: number; serveRequests: number };
  /** rates/stepMs: the sustained webhook rate through the front (rising open-loop steps, as figure 1). */
  cluster: { calls: number; failoverCalls: number; keepAliveIntervalMs: number; rates: number[]; stepMs: number };
  /** Figure 10: callers waiting, agents in the queue, and how many of them free up one by one (the samples). */
  queues: { waiting: number; agents: number; samples: number };
  speech: { runs: number };
}

export const SIZES: Record<SizeName, BenchSizes> = {
  full: {
    name: 'full',
    // Steps between the doublings from 100 up: with 200, 400, 800 alone a sustained rate could only be ¼, ½ or 1 of the floor's.
    ack: { rates: [25, 50, 75, 100, 150, 200, 300, 400, 600, 800], stepMs: 3_000, rosterSize: 1000 },
    rosterIngest: { iterations: 100, rosterSize: 1000, townHall: { iterations: 15, rosterSize: 10_000 } },
    answer: { concurrency: [1, 10, 100], singleRepeats: 5, burstRepeats: 3 },
    meeting: { attendees: 1000, overSeconds: 60, burst: { attendees: 500, overSeconds: 5 }, rosterBatchMs: 5 },
    calls: { counts: [100, 1000], keepAliveIntervalMs: 10_000, windowMs: 12_000, placeConcurrency: 25, timeBoxMs: 120_000 },
    sidePanel: { attendees: 1000, townHall: 10_000 },
    prompts: { synthRuns: 5, serveRequests: 50 },
    cluster: { calls: 50, failoverCalls: 20, keepAliveIntervalMs: 2_000, rates: [25, 50, 100, 200, 400, 800], stepMs: 2_000 },
    queues: { waiting: 100, agents: 20, samples: 5 },
    speech: { runs: 5 },
  },
  quick: {
    name: 'quick',
    ack: { rates: [25, 50, 100, 200, 400], stepMs: 1_000, rosterSize: 1000 },
    rosterIngest: { iterations: 50, rosterSize: 1000, townHall: { iterations: 8, rosterSize: 10_000 } },
    answer: { concurrency: [1, 10, 100], singleRepeats: 3, burstRepeats: 2 },
    meeting: { attendees: 1000, overSeconds: 15, burst: { attendees: 200, overSeconds: 2 }, rosterBatchMs: 5 },
    calls: { counts: [100, 300], keepAliveIntervalMs: 5_000, windowMs: 6_000, placeConcurrency: 25, timeBoxMs: 60_000 },
    sidePanel: { attendees: 1000, townHall: 10_000 },
    prompts: { synthRuns: 3, serveRequests: 20 },
    cluster: { calls: 20, failoverCalls: 10, keepAliveIntervalMs: 2_000, rates: [25, 50, 100, 200, 400], stepMs: 1_000 },
    queues: { waiting: 100, agents: 20, samples: 3 },
    speech: { runs: 3 },
  },
  smoke: {
    name: 'smoke',
    ack: { rates: [20], stepMs: 250, rosterSize: 1000 },
    rosterIngest: { iterations: 3, rosterSize: 1000, townHall: { iterations: 2, rosterSize: 200 } },
    answer: { concurrency: [1, 3], singleRepeats: 1, burstRepeats: 1 },
    meeting: { attendees: 20, overSeconds: 1, burst: { attendees: 10, overSeconds: 0.5 }, rosterBatchMs: 5 },
    calls: { counts: [3], keepAliveIntervalMs: 1_000, windowMs: 1_200, placeConcurrency: 3, timeBoxMs: 15_000 },
    sidePanel: { attendees: 20, townHall: 40 },
    prompts: { synthRuns: 1, serveRequests: 3 },
    cluster: { calls: 2, failoverCalls: 2, keepAliveIntervalMs: 1_000, rates: [20], stepMs: 250 },
    queues: { waiting: 4, agents: 3, samples: 1 },
    speech: { runs: 1 },
  },
};
