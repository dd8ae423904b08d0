// The live roster of each meeting the bot is in: fed by its call's participant diffs and by Teams meeting events,
// repaired from Graph's participant list (after joining and periodically), re-attached after a restart. In
// distributed mode the instance that joined keeps it (see roster-ownership.ts).
import { z } from 'zod';
import { CALL_EVENTS, isLive, participantActions, type CallSession } from '../calls/index.js';
import type { CommsEvent } from '../store/index.js';
import { describeError, warnOnFailure } from '../runtime/errors.js';
import { isMeetingThreadId } from './join-link.js';
import { MEETING_EVENTS, type RosterDiff } from './meeting-events.js';
import { MeetingRoster, type MeetingEventInput, type RosterSnapshot } from './meeting-roster.js';
import type { MeetingRecord, MeetingRecords } from './meeting-records.js';
import type { RosterOwnership } from './roster-ownership.js';
import { invalid, type MeetingCore } from './meeting-core.js';

/** Graph's participant list stops at 100 entries without a next link (comms-samples #648). */
export const PARTICIPANT_LIST_CAP = 100;
const MAX_ROSTERS = 1_000;

const meetingEventSchema = z.object({
  kind: z.enum(['join', 'leave']),
  userId: z.string().min(1).max(128).regex(/^[A-Za-z0-9:._@-]+$/),
  displayName: z.string().max(256).optional(),
  role: z.string().max(64).optional(),
  inLobby: z.boolean().optional(),
});

export class RosterKeeper {
  private readonly rosters = new Map<string, MeetingRoster>();
  /** callId → meetingKey for the bot's live meeting calls. */
  private readonly callIndex = new Map<string, string>();
  private readonly repairing = new Set<string>();
  private repairTimer: unknown;

  constructor(
    private readonly core: MeetingCore,
    private readonly records: MeetingRecords,
    private readonly ownership: () => RosterOwnership | undefined,
  ) {}

  /** The roster this instance keeps for a meeting, if it keeps one. */
  get(meetingKey: string): MeetingRoster | undefined {
    return this.rosters.get(meetingKey);
  }

  /** Whether a call is one of the bot's live meeting calls kept here. */
  hasCall(callId: string): boolean {
    return this.callIndex.has(callId);
  }

  meetingOf(callId: string): string | undefined {
    return this.callIndex.get(callId);
  }

  /** The roster as this instance knows it, or (distributed mode) as its owner last stored it. */
  async snapshot(meetingKey: string): Promise<RosterSnapshot> {
    const roster = this.rosters.get(meetingKey);
    if (roster) return roster.snapshot();
    const stored = await this.ownership()?.storedSnapshot(meetingKey);
    return stored ?? { meetingKey, version: 0, count: 0, entries: [] };
  }

  /** A Teams meeting participant event (validated here); handed to the owner when another instance keeps the roster. */
  applyMeetingEvent(meetingKey: string, event: MeetingEventInput): RosterDiff | undefined {
    if (typeof meetingKey !== 'string' || (!isMeetingThreadId(meetingKey) && !/^joinMeetingId:\d{6,20}$/.test(meetingKey))) throw invalid('meetingKey must be the meeting chat thread id');
    const parsed = meetingEventSchema.safeParse(event);
    if (!parsed.success) throw invalid('a meeting event needs kind (join or leave) and the user id');
    if (!this.rosters.has(meetingKey) && this.ownership()?.handOver(meetingKey, parsed.data)) return undefined;
    return this.rosterFor(meetingKey).applyMeetingEvent(parsed.data);
  }

  /** Re-reads the participant list and reconciles the roster with it (a list at Graph's cap only adds). */
  async repair(meetingKey: string): Promise<boolean> {
    const key = (await this.records.find(meetingKey))?.meetingKey ?? meetingKey;
    const roster = this.rosters.get(key);
    const callId = this.callIdOf(key);
    if (!roster || !callId || this.repairing.has(key)) return false;
    this.repairing.add(key);
    try {
      const since = roster.version;
      // Calls.Initiate.All (checked at join) · call-list-participants — read only: the call's own roster stays as notified.
      const listed = await participantActions.listParticipants(this.core.graph, callId);
      if (this.callIdOf(key) !== callId) return false;
      roster.reconcile(listed, { since, additiveOnly: listed.length >= PARTICIPANT_LIST_CAP });
      return true;
    } catch (err) {
      this.core.logger.warn({ err: describeError(err), meetingKey: key, callId }, 'could not repair the meeting roster');
      return false;
    } finally {
      this.repairing.delete(key);
    }
  }

  /** Starts keeping a meeting's roster from its call: diffs from now on, a re-read for what came before. */
  async attach(record: MeetingRecord, session: CallSession): Promise<void> {
    const roster = this.rosterFor(record.meetingKey);
    roster.setBotParticipantId(session.myParticipantId);
    this.callIndex.set(session.id, record.meetingKey);
    // From here on every call.participants diff reaches the roster; the re-read covers what came before.
    const since = roster.version;
    const fresh = await this.core.calls.getCall(session.id);
    if (fresh) {
      roster.setBotParticipantId(fresh.myParticipantId);
      roster.reconcile(fresh.participants, { since });
      // Not awaited: this may run under the meeting's lock (join), which markLeft and setState take too.
      if (!isLive(fresh)) this.unawaited(this.onCallEnded(fresh.id), record.meetingKey);
      else if (fresh.state === 'established') this.unawaited(this.joined(record.meetingKey), record.meetingKey);
    }
  }

  private async joined(meetingKey: string): Promise<void> {
    await this.records.setState(meetingKey, 'joined', ['joining']);
    await this.repair(meetingKey);
  }

  /** Work started from an event or under a lock, awaited by nobody: a store failure in it is logged, not left unhandled. */
  private unawaited(work: Promise<unknown>, meetingKey: string): void {
    work.catch(warnOnFailure(this.core.logger, 'could not follow a meeting call\'s state', { meetingKey }));
  }

  async onCallEnded(callId: string): Promise<void> {
    const meetingKey = this.callIndex.get(callId);
    if (!meetingKey) return;
    this.callIndex.delete(callId);
    this.rosters.get(meetingKey)?.clear();
    await this.records.markLeft(meetingKey, callId);
  }

  /** A call event: its roster diff reaches the meeting's roster, its state moves the meeting's record. */
  onBusEvent(event: CommsEvent): void {
    if (event.type !== CALL_EVENTS.participants && event.type !== CALL_EVENTS.state) return;
    const { callId } = event;
    const meetingKey = this.callIndex.get(callId);
    if (!meetingKey) return;
    if (event.type === CALL_EVENTS.participants) {
      this.rosters.get(meetingKey)?.applyCallDiff(event);
      return;
    }
    if (event.state === 'established') {
      this.unawaited(this.joined(meetingKey), meetingKey);
    } else if (event.state === 'terminated') {
      this.unawaited(this.onCallEnded(callId), meetingKey);
    }
  }

  /** Re-attaches the meetings the bot was in before a restart (in a cluster, those no live instance keeps). */
  async reattach(): Promise<void> {
    const ownership = this.ownership();
    for (const record of await this.records.list({ live: true })) {
      if (ownership && (await ownership.keptElsewhere(record))) continue;
      const session = record.callId ? await this.core.calls.getCall(record.callId) : undefined;
      if (!session || !isLive(session)) {
        await this.records.markLeft(record.meetingKey);
        continue;
      }
      await this.attach(ownership ? await ownership.take(record) : record, session);
    }
  }

  scheduleRepair(): void {
    if (this.core.stopped) return;
    this.repairTimer = this.core.timers.setTimeout(() => {
      void (async () => {
        try {
          for (const key of new Set(this.callIndex.values())) await this.repair(key);
        } catch (err) {
          // The store did not answer finding a meeting: logged, and the periodic repair goes on.
          this.core.logger.warn({ err: describeError(err) }, 'could not repair the meeting rosters');
        }
        this.scheduleRepair();
      })();
    }, this.core.repairIntervalMs);
  }

  stopRepair(): void {
    if (this.repairTimer !== undefined) this.core.timers.clearTimeout(this.repairTimer);
    this.repairTimer = undefined;
  }

  private callIdOf(meetingKey: string): string | undefined {
    for (const [callId, key] of this.callIndex) if (key === meetingKey) return callId;
    return undefined;
  }

  private rosterFor(meetingKey: string): MeetingRoster {
    let roster = this.rosters.get(meetingKey);
    if (roster) return roster;
    if (this.rosters.size >= MAX_ROSTERS) {
      const live = new Set(this.callIndex.values());
      for (const key of this.rosters.keys()) {
        if (!live.has(key)) {
          this.rosters.delete(key);
          break;
        }
      }
    }
    roster = new MeetingRoster(meetingKey, {
      now: this.core.now,
      publish: (diff) => {
        this.core.publish({ type: MEETING_EVENTS.roster, ...diff });
        this.ownership()?.persistSnapshot(meetingKey);
      },
    });
    this.rosters.set(meetingKey, roster);
    return roster;
  }
}
