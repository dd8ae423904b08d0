// Mute-all as a job in the store, so it outlives the instance running it. Who is muted is fixed when it starts
// (roster order); each mute is claimed in the store (putIfAbsent) before it is sent, so nobody is muted twice. With
// several instances a durable timer, moved after every mute, fires on another instance when the runner is gone: that
// instance claims the job (compare-and-set on its runner) and goes on from the claims — a claim without an outcome
// (its request may or may not have reached Graph) is settled by reading the participant from Graph. Without a
// cluster a job left by a stopped app is finished when it starts again. Wherever a job ends, its outcome is published
// as `meeting.mute-all`, carrying what the caller asked it to be reported to (the chat's card).
import { randomUUID } from 'node:crypto';
import type { InstanceRegistry, Scheduler } from '../runtime/index.js';
import { describeError } from '../runtime/errors.js';
import { MEETING_EVENTS, type RosterEntry } from './meeting-events.js';
import { errorCode, type MeetingCore } from './meeting-core.js';
import type { RosterKeeper } from './roster-keeper.js';

/** Mute-all pace: at most 5 mute requests a second. */
export const MIN_MUTE_PACING_MS = 200;
export const MUTE_ALL_JOBS_COLLECTION = 'meeting-mute-all';
export const MUTE_CLAIMS_COLLECTION = 'meeting-mute-claims';
const WATCH_JOB = 'meeting-mute-all';

export interface MuteAllResult {
  id: string;
  displayName: string;
  outcome: 'muted' | 'already-muted' | 'skipped' | 'failed';
  /** Error code when failed; why when skipped. */
  code?: string;
}

/** Who a mute-all's outcome is for (e.g. the chat card to update), kept with the job: plain strings. */
export type MuteAllReport = Record<string, string>;

interface PlannedMute {
  id: string;
  displayName: string;
  isMuted: boolean;
  /** Decided at the start: the person is not in the call's audio roster yet. */
  skipped?: string;
}

interface MuteAllJob {
  id: string;
  meetingKey: string;
  callId: string;
  pacingMs: number;
  plan: PlannedMute[];
  status: 'running' | 'done';
  /** The instance running it (cluster only). */
  runner?: string;
  report?: MuteAllReport;
  startedAt: string;
}

interface MuteClaim {
  by?: string;
  outcome?: MuteAllResult['outcome'];
  code?: string;
}

/** Why a roster entry cannot be muted by someone else: the bot itself, or a person not in the call's audio yet. */
export function whyNotMutable(entry: Pick<RosterEntry, 'id' | 'isBot'>): 'bot' | 'not-in-call-roster' | undefined {
  if (entry.isBot) return 'bot';
  if (entry.id.startsWith('user:')) return 'not-in-call-roster';
  return undefined;
}

export class MuteAllJobs {
  private readonly running = new Set<string>();

  constructor(
    private readonly core: MeetingCore,
    private readonly rosters: RosterKeeper,
    private readonly cluster?: InstanceRegistry,
    private readonly scheduler?: Scheduler,
  ) {
    if (cluster) scheduler?.define(WATCH_JOB, (job) => this.onWatch(job.id));
  }

  /** Starts a job for the meeting's call and runs it here; resolves with one result per person. */
  async start(input: { meetingKey: string; callId: string; entries: RosterEntry[]; except: Set<string>; pacingMs: number; report?: MuteAllReport }): Promise<MuteAllResult[]> {
    const plan = input.entries
      .filter((e) => !e.isBot && !input.except.has(e.id) && !(e.userId && input.except.has(e.userId)))
      .map((e) => {
        const skipped = whyNotMutable(e) === 'not-in-call-roster' ? 'not-in-call-roster' : undefined;
        return { id: e.id, displayName: e.displayName, isMuted: e.isMuted, ...(skipped ? { skipped } : {}) };
      });
    const job: MuteAllJob = {
      id: randomUUID(),
      meetingKey: input.meetingKey,
      callId: input.callId,
      pacingMs: Math.max(MIN_MUTE_PACING_MS, input.pacingMs),
      plan,
      status: 'running',
      ...(this.cluster ? { runner: this.cluster.instanceId } : {}),
      ...(input.report ? { report: input.report } : {}),
      startedAt: this.core.iso(),
    };
    await this.core.store.put(MUTE_ALL_JOBS_COLLECTION, job.id, job);
    return this.run(job, false);
  }

  /** Embedded mode, on start: finishes the jobs a stopped app left (a cluster's watch does this for a gone instance). */
  async resume(): Promise<void> {
    if (this.cluster) return;
    for (const { value: job } of await this.core.store.list<MuteAllJob>(MUTE_ALL_JOBS_COLLECTION)) {
      if (job.status !== 'running' || this.running.has(job.id)) continue;
      this.core.logger.info({ meetingKey: job.meetingKey, jobId: job.id }, 'finishing a mute-all the app was running when it stopped');
      void this.run(job, true).catch((err: unknown) => this.core.logger.warn({ err: describeError(err), jobId: job.id }, 'could not finish a mute-all'));
    }
  }

  private async run(job: MuteAllJob, takenOver: boolean): Promise<MuteAllResult[]> {
    this.running.add(job.id);
    this.watch(job.id);
    try {
      const results: MuteAllResult[] = [];
      let sent = 0;
      let stopCode: string | undefined;
      for (const planned of job.plan) {
        const base = { id: planned.id, displayName: planned.displayName };
        if (planned.skipped) {
          results.push({ ...base, outcome: 'skipped', code: planned.skipped });
          continue;
        }
        if (stopCode) {
          results.push({ ...base, outcome: 'failed', code: stopCode });
          continue;
        }
        const key = `${job.id}.${planned.id}`;
        let mine = await this.core.store.putIfAbsent<MuteClaim>(MUTE_CLAIMS_COLLECTION, key, this.cluster ? { by: this.cluster.instanceId } : {});
        if (!mine) {
          const claim = await this.core.store.get<MuteClaim>(MUTE_CLAIMS_COLLECTION, key);
          if (claim?.outcome) {
            results.push({ ...base, outcome: claim.outcome, ...(claim.code ? { code: claim.code } : {}) });
            continue;
          }
          // Claimed by a runner that is gone, outcome unknown: Graph says whether its mute arrived.
          if (await this.mutedAtGraph(job.callId, planned.id)) {
            await this.record(key, { outcome: 'muted' }, results, base);
            continue;
          }
          mine = true; // that request never took effect: this is the one mute sent for this person
        }
        // The live roster where this instance keeps it (someone may have left meanwhile); else the plan's entry.
        const roster = this.rosters.get(job.meetingKey);
        const current = roster ? roster.get(planned.id) : planned;
        if (!current) {
          await this.record(key, { outcome: 'skipped', code: 'left' }, results, base);
          continue;
        }
        if (current.isMuted) {
          await this.record(key, { outcome: 'already-muted' }, results, base);
          continue;
        }
        if (sent > 0) await this.core.sleep(job.pacingMs);
        sent += 1;
        try {
          await this.core.calls.muteParticipant(job.callId, planned.id);
          await this.record(key, { outcome: 'muted' }, results, base);
        } catch (err) {
          const code = errorCode(err);
          await this.record(key, { outcome: 'failed', code }, results, base);
          if (code === 'calls/call-ended' || code === 'calls/not-found') stopCode = code;
        }
        this.watch(job.id);
      }
      await this.finish(job, results, takenOver);
      return results;
    } finally {
      this.running.delete(job.id);
    }
  }

  private async record(key: string, claim: MuteClaim, results: MuteAllResult[], base: { id: string; displayName: string }): Promise<void> {
    await this.core.store.put<MuteClaim>(MUTE_CLAIMS_COLLECTION, key, { ...(this.cluster ? { by: this.cluster.instanceId } : {}), ...claim });
    results.push({ ...base, outcome: claim.outcome!, ...(claim.code ? { code: claim.code } : {}) });
  }

  private async mutedAtGraph(callId: string, participantId: string): Promise<boolean> {
    try {
      return (await this.core.calls.getParticipant(callId, participantId)).isMuted === true;
    } catch {
      return false; // gone or unreadable: the mute is tried and its outcome recorded
    }
  }

  private async finish(job: MuteAllJob, results: MuteAllResult[], takenOver: boolean): Promise<void> {
    await this.core.store.put<MuteAllJob>(MUTE_ALL_JOBS_COLLECTION, job.id, { ...job, status: 'done' });
    this.core.publish({ type: MEETING_EVENTS.muteAll, meetingKey: job.meetingKey, jobId: job.id, results, takenOver, ...(job.report ? { report: job.report } : {}) });
    await this.scheduler?.cancel(WATCH_JOB, job.id).catch(() => undefined);
    for (const planned of job.plan) await this.core.store.delete(MUTE_CLAIMS_COLLECTION, `${job.id}.${planned.id}`);
    await this.core.store.delete(MUTE_ALL_JOBS_COLLECTION, job.id);
  }

  /** Cluster: moves the job's watch one lease (and a second) ahead; it fires only when the runner stops moving it. */
  private watch(jobId: string): void {
    if (!this.cluster || !this.scheduler) return;
    this.scheduler.schedule(WATCH_JOB, jobId, this.core.now() + this.cluster.leaseMs + 1_000, {}).catch((err: unknown) => this.core.logger.warn({ err: describeError(err), jobId }, 'could not move the watch of a mute-all'));
  }

  /** Cluster: a job's watch fired. A live runner is left alone; a gone one's job is claimed and finished here. */
  private async onWatch(jobId: string): Promise<void> {
    const cluster = this.cluster!;
    const job = await this.core.store.get<MuteAllJob>(MUTE_ALL_JOBS_COLLECTION, jobId);
    if (!job || job.status !== 'running') return;
    if (this.running.has(jobId) || (job.runner && job.runner !== cluster.instanceId && (await cluster.isAlive(job.runner)))) return this.watch(jobId);
    const gone = job.runner;
    const claimed = await this.core.store.update<MuteAllJob>(MUTE_ALL_JOBS_COLLECTION, jobId, (j) => (j && j.status === 'running' && j.runner === gone ? { ...j, runner: cluster.instanceId } : undefined));
    if (!claimed.written || !claimed.value) return;
    this.core.logger.info({ meetingKey: job.meetingKey, jobId, from: gone }, 'took over a mute-all whose instance is gone');
    void this.run(claimed.value, true).catch((err: unknown) => this.core.logger.warn({ err: describeError(err), jobId }, 'could not finish a mute-all'));
  }
}
