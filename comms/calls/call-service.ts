// The calls service everyone else uses: a front over its parts — the notification inbox and the early-notification
// buffer, the call store and what follows a change, the operation groups (call control, media, participants),
// placing calls, keepAlive and restart reconciliation. Each part is in its own file in comms/calls/.
import type { Context } from '@opentelemetry/api';
import type { CommsOperation, Participant, Tone } from './graph-shapes.js';
import type * as callActions from './call-actions.js';
import type { CallRecord, CallSession, JsonObject } from './call-session.js';
import type { CallTarget } from './call-targets.js';
import type * as media from './media-actions.js';
import type * as participantActions from './participant-actions.js';
import type { KeepAliveScheduler } from './keep-alive.js';
import { OperationTracker } from './operation-tracker.js';
import { CallWatchdog } from './call-watchdog.js';
import { CreateClaims } from './create-claims.js';
import { CallCore, notFound } from './call-core.js';
import { CallChanges } from './call-changes.js';
import { CALL_EVENTS } from './call-events.js';
import { CallStore } from './call-store.js';
import { CallControl } from './call-control.js';
import { CallOperations } from './call-operations.js';
import { CallPlacement } from './call-placement.js';
import { CallReconciliation } from './call-reconciliation.js';
import { createCallKeepAlive, sendKeepAlive } from './call-keep-alive.js';
import { MediaOperations } from './media-operations.js';
import { NotificationApplier } from './notification-applier.js';
import { NotificationInbox } from './notification-inbox.js';
import { OrphanBuffer } from './orphan-buffer.js';
import { ParticipantOperations } from './participant-operations.js';
import type { CallServiceOptions, OperationOptions, PlaceCallInput, RecordedResponse } from './call-options.js';

export class CallService {
  private readonly core: CallCore;
  private readonly tracker: OperationTracker;
  private readonly watchdog: CallWatchdog;
  private readonly keepAlive: KeepAliveScheduler;
  private readonly calls: CallStore;
  private readonly ops: CallOperations;
  private readonly inbox: NotificationInbox;
  private readonly applier: NotificationApplier;
  private readonly placement: CallPlacement;
  private readonly control: CallControl;
  private readonly media: MediaOperations;
  private readonly participants: ParticipantOperations;
  private readonly reconciliation: CallReconciliation;
  private readonly unsubscribes: Array<() => void> = [];

  constructor(options: CallServiceOptions) {
    const core = new CallCore(options);
    this.core = core;
    const claims = new CreateClaims(options.store);
    this.tracker = new OperationTracker({ store: options.store, timers: core.timers, now: core.now, defaultTimeoutMs: options.operationTimeoutMs, logger: options.logger });
    this.watchdog = new CallWatchdog({ timers: core.timers, checkMs: core.deadlines.stateCheckMs, check: (callId) => this.reconciliation.recheck(callId), logger: options.logger });
    this.keepAlive = createCallKeepAlive(core, () => this.calls);
    const changes = new CallChanges(core, { watchdog: this.watchdog, keepAlive: this.keepAlive, tracker: this.tracker });
    this.calls = new CallStore(core, { keepAlive: this.keepAlive, changes });
    this.ops = new CallOperations(core, { calls: this.calls, changes, tracker: this.tracker });
    const orphans = new OrphanBuffer(core, {
      isStored: async (callId) => (await this.calls.get(callId)) !== undefined,
      apply: (item) => this.applier.apply(item.notification, item.tenantId),
    });
    this.placement = new CallPlacement(core, { calls: this.calls, changes, ops: this.ops, claims, orphans, applier: () => this.applier, watchdog: this.watchdog, keepAlive: this.keepAlive });
    this.applier = new NotificationApplier(core, { calls: this.calls, changes, orphans, claims, tracker: this.tracker, resolveOrphan: (callId) => this.placement.resolveOrphan(callId) });
    this.inbox = new NotificationInbox(
      core,
      (notification, tenantId, receivedAt) => this.applier.apply(notification, tenantId, receivedAt),
      (rosters, tenantId, receivedAt) => this.applier.applyRosters(rosters, tenantId, receivedAt),
    );
    // Answers first (the inbox holds other notifications back while calls are being answered): which calls are —
    // those announced here, until their state changes here or on another instance of a cluster.
    this.unsubscribes.push(
      core.bus.on(CALL_EVENTS.incoming, (e) => this.inbox.answering(e.callId)),
      core.bus.on(
        CALL_EVENTS.state,
        (e) => {
          if (e.previous === 'incoming') this.inbox.answered(e.callId);
        },
        { scope: 'cluster' },
      ),
    );
    this.control = new CallControl(core, { ops: this.ops, calls: this.calls, watchdog: this.watchdog });
    this.media = new MediaOperations(core, this.ops);
    this.participants = new ParticipantOperations(core, this.ops, this.calls);
    this.reconciliation = new CallReconciliation(core, { calls: this.calls, inbox: this.inbox, orphans, claims, tracker: this.tracker, watchdog: this.watchdog, keepAlive: this.keepAlive });
  }

  // ---- notifications --------------------------------------------------------------------------------------------

  /**
   * Records a notification batch idempotently and returns at once; processing follows (answer 202 first).
   * Throws CallError('calls/invalid-notification') for a batch that is not valid. `bodyBytes`: the request body as
   * it came (decoded), which full rosters are recorded as when the service has a roster log.
   */
  receive(body: unknown, tenantIdFromToken: string, bodyBytes?: Uint8Array): Promise<{ recorded: number; duplicates: number }> {
    return this.inbox.receive(body, tenantIdFromToken, bodyBytes);
  }

  /**
   * The calling webhook tells the inbox a request has started; the returned function says it was answered. Applying
   * waits for the answers (acknowledgements first), never longer than ackFirstMaxLagMs.
   */
  receiving(): () => void {
    return this.inbox.receiving();
  }

  /** Applies every recorded notification not processed yet, in arrival order. */
  processInbox(): Promise<void> {
    return this.inbox.process();
  }

  /** Resolves once nothing recorded is waiting to be applied (tests, shutdown). */
  idle(): Promise<void> {
    return this.inbox.idle();
  }

  // ---- reads ------------------------------------------------------------------------------------------------------

  /** The trace context a span about this call belongs under, when its trace is known on this instance. */
  traceOf(callId: string): Context | undefined {
    return this.core.traces.parentOf(callId);
  }

  getCall(callId: string): Promise<CallSession | undefined> {
    return this.calls.get(callId);
  }

  /**
   * The call without its roster: what a feature reacting to the call's events needs (its purpose, context, state).
   * A meeting's roster is a document of its own (~600 KB at 1,000 people), never read here.
   */
  getCallRecord(callId: string): Promise<CallRecord | undefined> {
    return this.calls.getRecord(callId);
  }

  listCalls(filter: { live?: boolean } = {}): Promise<CallSession[]> {
    return this.calls.list(filter);
  }

  /** Calls without their rosters, oldest first: for a feature that looks through calls by purpose or context. */
  listCallRecords(filter: { live?: boolean } = {}): Promise<CallRecord[]> {
    return this.calls.listRecords(filter);
  }

  /** Lets a feature keep its data on the call (merged shallowly into `context`). */
  async updateContext(callId: string, patch: { purpose?: string; context?: JsonObject }): Promise<CallRecord> {
    const updated = await this.calls.update(callId, (s) => ({
      ...s,
      ...(patch.purpose !== undefined ? { purpose: patch.purpose } : {}),
      context: { ...s.context, ...(patch.context ?? {}) },
    }));
    if (!updated) throw notFound(callId);
    return updated;
  }

  /**
   * A compare-and-set on the call's context: `change` gets the stored context and returns the new one, or undefined
   * to leave it. Of two instances claiming the same thing at once exactly one gets the call back; the other (and a
   * change that declined) gets undefined.
   */
  async claimContext(callId: string, change: (context: JsonObject, session: CallRecord) => JsonObject | undefined): Promise<CallRecord | undefined> {
    let claimed = false;
    const updated = await this.calls.update(callId, (s) => {
      const context = change(s.context, s);
      claimed = context !== undefined;
      return context === undefined ? s : { ...s, context };
    });
    return claimed ? updated : undefined;
  }

  // ---- placing calls ----------------------------------------------------------------------------------------------

  /** Calls.Initiate.All · application-post-calls — a peer-to-peer call to one user or phone number. */
  placeCall(input: PlaceCallInput & { target: CallTarget }): Promise<CallSession> {
    return this.placement.placeCall(input);
  }

  /** Calls.InitiateGroupCall.All · application-post-calls — a group call with up to 5 users. */
  placeGroupCall(input: PlaceCallInput & { targets: CallTarget[] }): Promise<CallSession> {
    return this.placement.placeGroupCall(input);
  }

  /** Calls.JoinGroupCall.All · application-post-calls — the bot joins a scheduled meeting. */
  joinMeeting(input: PlaceCallInput & { meeting: callActions.MeetingToJoin }): Promise<CallSession> {
    return this.placement.joinMeeting(input);
  }

  /** The caller stops waiting for a create whose outcome was unknown: a call turning up later is no longer adopted. */
  abandonCreate(correlationId: string): Promise<void> {
    return this.placement.abandonCreate(correlationId);
  }

  /** The call placed or adopted for a correlation id, if any. */
  callFor(correlationId: string): Promise<CallSession | undefined> {
    return this.placement.callFor(correlationId);
  }

  // ---- call control -----------------------------------------------------------------------------------------------

  /** Calls.JoinGroupCall.All · call-answer — the call moves to establishing. */
  answer(callId: string, options: { acceptedModalities?: callActions.AnswerInput['acceptedModalities']; preFetchMedia?: callActions.MediaInfoInput[]; callbackUri?: string } = {}): Promise<CallRecord> {
    return this.control.answer(callId, options);
  }

  /** call-reject — Graph then ends the call (a deleted notification). */
  reject(callId: string, reason: callActions.RejectReason = 'none'): Promise<void> {
    return this.control.reject(callId, reason);
  }

  /** Calls.Initiate.All · call-redirect — forward an unanswered incoming call (or send it to voicemail). */
  redirect(callId: string, input: Omit<callActions.RedirectInput, 'callbackUri'>): Promise<void> {
    return this.control.redirect(callId, input);
  }

  /** Calls.Initiate.All · call-transfer — blind, or consultative with replacesCallId. Outcome arrives as call.state. */
  transfer(callId: string, input: callActions.TransferInput): Promise<void> {
    return this.control.transfer(callId, input);
  }

  /** Calls.Initiate.All · call-delete — the call moves to terminating (terminated when Graph confirms). */
  hangUp(callId: string): Promise<CallRecord> {
    return this.control.hangUp(callId);
  }

  /** call-keepalive, on demand (the scheduler does it every interval anyway). */
  sendKeepAlive(callId: string): Promise<void> {
    return sendKeepAlive(this.core, { ops: this.ops, calls: this.calls, keepAlive: this.keepAlive }, callId);
  }

  // ---- media ------------------------------------------------------------------------------------------------------

  /** Calls.Initiate.All, Calls.AccessMedia.All · call-playprompt — resolves when the prompts finished playing. */
  playPrompt(callId: string, prompts: media.PromptInput[], options: OperationOptions = {}): Promise<CommsOperation> {
    return this.media.playPrompt(callId, prompts, options);
  }

  /** Calls.AccessMedia.All · call-record — resolves with the recording, downloaded into memory only. */
  recordResponse(callId: string, input: media.RecordResponseInput & { timeoutMs?: number; onAmbiguous?: 'repeat' | 'fail' } = {}): Promise<RecordedResponse> {
    return this.media.recordResponse(callId, input);
  }

  /** Calls.AccessMedia.All · call-subscribetotone — key presses then arrive as call.tone events. */
  subscribeToTone(callId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    return this.media.subscribeToTone(callId, options);
  }

  /** call-senddtmftones — resolves when the tones were sent; rejects (calls/operation-failed with its completionReason) when they were cancelled. */
  sendDtmfTones(callId: string, tones: Tone[], options: OperationOptions & { delayBetweenTonesMs?: number } = {}): Promise<CommsOperation> {
    return this.media.sendDtmfTones(callId, tones, options);
  }

  /** call-cancelmediaprocessing — running and queued prompts/recordings fail with 400/8508. */
  cancelMediaProcessing(callId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    return this.media.cancelMediaProcessing(callId, options);
  }

  /** call-mute — the bot mutes itself (group calls). */
  mute(callId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    return this.media.mute(callId, options);
  }

  /** call-unmute — the bot unmutes itself (group calls). */
  unmute(callId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    return this.media.unmute(callId, options);
  }

  /** call-updaterecordingstatus */
  updateRecordingStatus(callId: string, status: media.RecordingStatus, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    return this.media.updateRecordingStatus(callId, status, options);
  }

  /** call-changescreensharingrole */
  changeScreenSharingRole(callId: string, role: 'viewer' | 'sharer'): Promise<void> {
    return this.media.changeScreenSharingRole(callId, role);
  }

  // ---- participants -----------------------------------------------------------------------------------------------

  /** call-list-participants — also refreshes the stored roster (and publishes the difference). */
  listParticipants(callId: string): Promise<Participant[]> {
    return this.participants.listParticipants(callId);
  }

  /** participant-get */
  getParticipant(callId: string, participantId: string): Promise<Participant> {
    return this.participants.getParticipant(callId, participantId);
  }

  /** Calls.InitiateGroupCall.All · participant-invite — resolves when the invitation completed. */
  invite(callId: string, invitees: participantActions.Invitee[], options: OperationOptions = {}): Promise<CommsOperation> {
    return this.participants.invite(callId, invitees, options);
  }

  /** participant-mute */
  muteParticipant(callId: string, participantId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    return this.participants.muteParticipant(callId, participantId, options);
  }

  /** participant-delete */
  removeParticipant(callId: string, participantId: string): Promise<void> {
    return this.participants.removeParticipant(callId, participantId);
  }

  /** participant-startholdmusic — resolves when the hold music operation completed. */
  startHoldMusic(callId: string, participantId: string, options: OperationOptions & { customPrompt?: media.PromptInput } = {}): Promise<CommsOperation> {
    return this.participants.startHoldMusic(callId, participantId, options);
  }

  /** participant-stopholdmusic */
  stopHoldMusic(callId: string, participantId: string, options: OperationOptions = {}): Promise<CommsOperation> {
    return this.participants.stopHoldMusic(callId, participantId, options);
  }

  // ---- lifecycle --------------------------------------------------------------------------------------------------

  /**
   * Applies the inbox left by a previous run and finds the stored live calls. Call `reconcile()` after it: that
   * schedules their keepAlive and re-reads them from Graph (in the background: the service works meanwhile, with
   * what the store says).
   */
  async start(): Promise<void> {
    this.core.stopped = false;
    this.watchdog.start();
    await this.reconciliation.start();
  }

  /**
   * Schedules the keepAlive of every live call start() found, re-reads each from Graph (a few at a time) and applies
   * what moved while the app was down; resolves when all have been re-read, or the service stopped. Never rejects;
   * the same promise until the next start().
   */
  reconcile(): Promise<void> {
    return this.reconciliation.reconcile();
  }

  /** Reconciliation's progress: live calls found at start, how many re-read so far, and whether it has ended. */
  reconciliationStatus(): { total: number; reread: number; done: boolean } {
    return this.reconciliation.status();
  }

  stop(): void {
    this.core.stopped = true;
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.reconciliation.stop();
    this.watchdog.stop();
    this.keepAlive.stop();
    this.tracker.stop();
  }
}
