// Scripted attendees: N people join a meeting spread over T seconds, some mute, some leave — a plan fixed by the seed
// (who, when, in which order), run on one timer at a time so a 1,000-person town hall costs nothing between steps.

import type { CallsEngine } from '../calls/calls-engine.js';
import type { Cancel } from '../calls/scheduler.js';
import { EmulatorError } from '../emulator-error.js';
import type { EmulatedUser } from '../emulator-options.js';
import { SeededRandom } from '../support/seeded-random.js';
import type { MeetingRef, MeetingRooms } from './meeting-rooms.js';
import { syntheticPeople } from './synthetic-people.js';

export interface ScriptRequest {
  count: number;
  overSeconds: number;
  muteFraction?: number | undefined;
  leaveFraction?: number | undefined;
  seed?: string | number | undefined;
  people?: 'directory' | 'synthetic' | undefined;
}

interface ScriptStep {
  atMs: number;
  kind: 'join' | 'mute' | 'leave';
  person: EmulatedUser;
}

const KIND_ORDER = { join: 0, mute: 1, leave: 2 } as const;

export class AttendeeScript {
  readonly seed: string;
  readonly people: 'directory' | 'synthetic';
  state: 'running' | 'done' | 'cancelled' = 'running';
  readonly startedAt = new Date().toISOString();
  finishedAt?: string;
  joined = 0;
  muted = 0;
  left = 0;
  skipped = 0;
  private readonly steps: ScriptStep[];
  private cursor = 0;
  private readonly started = Date.now();
  private timer?: Cancel;

  constructor(
    readonly id: string,
    readonly meetingId: string,
    private readonly ref: MeetingRef,
    private readonly request: ScriptRequest,
    private readonly engine: CallsEngine,
    private readonly rooms: MeetingRooms,
  ) {
    this.seed = String(request.seed ?? id);
    this.people = request.people ?? 'synthetic';
    this.steps = this.plan();
  }

  start(): void {
    this.engine.events.emit('script.started', { threadId: this.ref.threadId, scriptId: this.id, count: this.request.count, overSeconds: this.request.overSeconds });
    this.step();
  }

  cancel(): void {
    if (this.state !== 'running') return;
    this.timer?.();
    this.finish('cancelled');
  }

  view(): Record<string, unknown> {
    return {
      id: this.id,
      meetingId: this.meetingId,
      threadId: this.ref.threadId,
      state: this.state,
      count: this.request.count,
      overSeconds: this.request.overSeconds,
      muteFraction: this.request.muteFraction ?? 0,
      leaveFraction: this.request.leaveFraction ?? 0,
      seed: this.seed,
      people: this.people,
      joined: this.joined,
      muted: this.muted,
      left: this.left,
      skipped: this.skipped,
      stepsDone: this.cursor,
      stepsTotal: this.steps.length,
      /** Who the script leaves in the meeting when it is done (its joins minus its leaves, skipped ones aside). */
      remaining: this.joined - this.left,
      startedAt: this.startedAt,
      finishedAt: this.finishedAt ?? null,
    };
  }

  /** Join times stratified over the window; the muting and leaving people picked by the seed, each after their join. */
  private plan(): ScriptStep[] {
    const { count, overSeconds } = this.request;
    const random = new SeededRandom('attendee-script', this.seed);
    const windowMs = overSeconds * 1000;
    let people: EmulatedUser[];
    if (this.people === 'directory') {
      const directory = this.engine.deps.directory.list();
      if (count > directory.length) {
        throw new EmulatorError('emulator/invalid-body', `The directory has ${directory.length} people; ask for at most that many, or use people: "synthetic".`, 400);
      }
      people = random.shuffle(directory).slice(0, count);
    } else {
      people = syntheticPeople(this.seed, count);
    }
    const steps: ScriptStep[] = [];
    const joinAt = people.map((_, i) => Math.round(((i + random.next()) / count) * windowMs));
    const muting = new Set(random.shuffle(people.map((_, i) => i)).slice(0, Math.round(count * (this.request.muteFraction ?? 0))));
    const leaving = new Set(random.shuffle(people.map((_, i) => i)).slice(0, Math.round(count * (this.request.leaveFraction ?? 0))));
    people.forEach((person, i) => {
      const joined = joinAt[i]!;
      steps.push({ atMs: joined, kind: 'join', person });
      const leaveAt = leaving.has(i) ? Math.round(random.between(joined, windowMs)) : undefined;
      if (muting.has(i)) steps.push({ atMs: Math.round(random.between(joined, leaveAt ?? windowMs)), kind: 'mute', person });
      if (leaveAt !== undefined) steps.push({ atMs: leaveAt, kind: 'leave', person });
    });
    return steps.sort((a, b) => a.atMs - b.atMs || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  }

  private step(): void {
    if (this.state !== 'running') return;
    const elapsed = Date.now() - this.started;
    while (this.cursor < this.steps.length && this.steps[this.cursor]!.atMs <= elapsed) {
      this.apply(this.steps[this.cursor]!);
      this.cursor += 1;
    }
    if (this.cursor >= this.steps.length) {
      this.finish('done');
      return;
    }
    this.timer = this.engine.scheduler.after(this.steps[this.cursor]!.atMs - elapsed, () => this.step());
  }

  private apply(step: ScriptStep): void {
    try {
      if (step.kind === 'join') {
        this.rooms.join(this.ref, step.person, { synthetic: this.people === 'synthetic' });
        this.joined += 1;
      } else if (step.kind === 'mute') {
        this.rooms.setMuted(this.ref, step.person.id, true);
        this.muted += 1;
      } else {
        this.rooms.leave(this.ref, step.person.id);
        this.left += 1;
      }
    } catch (err) {
      // Already in (or no longer in) the meeting through someone else's action: the script carries on.
      if (!(err instanceof EmulatorError)) throw err;
      this.skipped += 1;
    }
  }

  private finish(state: 'done' | 'cancelled'): void {
    this.state = state;
    this.finishedAt = new Date().toISOString();
    this.engine.events.emit('script.finished', { threadId: this.ref.threadId, scriptId: this.id, state, joined: this.joined, left: this.left, muted: this.muted, skipped: this.skipped });
  }
}
