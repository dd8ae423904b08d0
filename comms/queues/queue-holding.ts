// What a waiting caller hears. The caller is alone with the bot in a peer-to-peer call, so hold music is a loop of
// playPrompt (call-playprompt), not participant-startholdmusic: that operation applies to a participant of a group
// call, and a peer-to-peer call has no roster to name the caller's participant by (list participants is not supported
// for P2P calls). Each hold cycle is one Scheduler job per caller: it stops what plays (call-cancelmediaprocessing),
// then queues the greeting (first cycle only), the position / estimated-wait announcement (every `everySeconds`, with
// the call-back offer once it applies) and enough music to reach the next cycle. Prompts are sent one after another
// as each completes, so what the caller hears is known (`hearing`); the music itself is never awaited.
import { CallError } from '../calls/index.js';
import { SORRY_PROMPT } from '../ivr/menu-engine.js';
import { warnOnFailure } from '../runtime/errors.js';
import { callbackTaken, estimatedWaitSeconds, positionAnnouncement } from './announcements.js';
import { holdMusicWav, wavSeconds } from './hold-music.js';
import { JOBS, type CompiledQueue, type QueueCore } from './queue-core.js';
import type { QueueStats } from './queue-stats.js';
import { WAITING_STATES as HOLDING, type QueueEntry } from './queue-store.js';
import type { CallerHearing } from './queue-status.js';
import type { PromptRef } from '../speech/index.js';

/** Prompts per playPrompt request: Graph takes at most 20. */
const MAX_PROMPTS = 20;
/** When a hold cycle fails part-way (a prompt that cannot be made, a store hiccup), the next one comes this soon. */
const RETRY_CYCLE_MS = 5_000;

interface Part {
  hearing: CallerHearing;
  prompts: PromptRef[];
  seconds: number;
}

export class QueueHolding {
  /** Stored once (concurrent stores of the same new prompt would race on its file). */
  private music?: Promise<{ ref: PromptRef; seconds: number }>;
  /** The cycle each caller is in on this instance: an older chain of prompts stops when a newer cycle starts. */
  private readonly cycles = new Map<string, number>();

  constructor(
    private readonly core: QueueCore,
    private readonly stats: QueueStats,
  ) {}

  private async musicFor(q: CompiledQueue, language: string): Promise<{ ref: PromptRef; seconds: number }> {
    if (q.config.music && 'file' in q.config.music) {
      const ref = await this.core.options.promptAudio(q.config.music, language);
      const wav = await this.core.options.prompts.cache.get(ref.resourceId).catch(() => undefined);
      return { ref, seconds: wav ? wavSeconds(wav) : 30 };
    }
    if (!this.music) {
      const wav = holdMusicWav();
      this.music = this.core.options.prompts.file(wav).then((ref) => ({ ref, seconds: wavSeconds(wav) }));
      this.music.catch(() => (this.music = undefined));
    }
    return this.music;
  }

  /** Starts (or restarts) the caller's hold cycle now. */
  start(entryId: string): Promise<void> {
    return this.core.schedule(JOBS.hold, entryId, this.core.now());
  }

  async stop(entryId: string): Promise<void> {
    this.cycles.delete(entryId);
    await this.core.cancel(JOBS.hold, entryId);
  }

  /** One hold cycle (the `queue.hold` job). */
  async cycle(entryId: string): Promise<void> {
    const entry = await this.core.store.entry(entryId);
    if (!entry || !HOLDING.has(entry.state)) return;
    const q = this.core.queue(entry.queue);
    if (!q) return this.queueGone(entry);
    const now = this.core.now();
    // A safety net first: if this cycle fails part-way, the caller still gets the next one.
    await this.core.schedule(JOBS.hold, entryId, now + RETRY_CYCLE_MS);
    const language = this.core.languageOf(entry);
    const first = !entry.greeted;
    const every = q.config.announcements.everySeconds;
    const announceDue = every > 0 && (first || !entry.lastAnnouncedAt || now - Date.parse(entry.lastAnnouncedAt) >= every * 1000 - 500);
    const waitedMs = now - Date.parse(entry.joinedAt);
    const callback = q.config.callback;
    const callbackDue = !!callback && waitedMs >= callback.afterSeconds * 1000 - 500;
    const offerCallback = callbackDue && (!entry.callbackOffered || announceDue);

    const parts: Part[] = [];
    if (first && q.config.greeting) parts.push({ hearing: 'greeting', prompts: [await this.core.options.promptAudio(q.config.greeting, language)], seconds: 0 });
    if (announceDue || offerCallback) {
      const line = await this.core.store.line(entry.queue);
      const position = Math.max(1, (line?.entries.indexOf(entry.id) ?? 0) + 1);
      const agents = await this.signedInCount(q);
      const wait = estimatedWaitSeconds({ position, agents, averageHandleSeconds: await this.stats.averageHandleSeconds(entry.queue) });
      const spoken = positionAnnouncement(language, {
        ...(announceDue && q.config.announcements.position ? { position } : {}),
        ...(announceDue && q.config.announcements.estimatedWait && wait !== undefined ? { waitSeconds: wait } : {}),
        ...(offerCallback ? { callbackKey: callback!.key } : {}),
      });
      if (spoken) parts.push({ hearing: offerCallback && !announceDue ? 'callback-offer' : 'announcement', prompts: [await this.core.options.prompts.speak(spoken.text, 'menu', spoken.language)], seconds: 0 });
    }
    // Music until the next cycle: the next announcement, the call-back offer, or the music running out.
    const music = await this.musicFor(q, language);
    const untilOffer = callback && !callbackDue ? callback.afterSeconds * 1000 - waitedMs : Infinity;
    const untilAnnouncement = every > 0 ? every * 1000 : Infinity;
    const loops = Math.min(MAX_PROMPTS, Math.max(1, Math.ceil(Math.min(untilAnnouncement, untilOffer, MAX_PROMPTS * music.seconds * 1000) / (music.seconds * 1000)) + 1));
    parts.push({ hearing: 'music', prompts: Array.from({ length: loops }, () => music.ref), seconds: loops * music.seconds });
    const next = now + Math.max(1000, Math.min(untilAnnouncement, untilOffer, (loops - 0.5) * music.seconds * 1000));

    const res = await this.core.store.updateEntry(entryId, (e) =>
      HOLDING.has(e.state)
        ? {
            ...e,
            greeted: true,
            state: e.state === 'greeting' ? 'waiting' : e.state,
            ...(announceDue ? { lastAnnouncedAt: this.core.iso(now) } : {}),
            callbackOffered: e.callbackOffered || offerCallback,
            updatedAt: this.core.iso(),
          }
        : undefined,
    );
    if (!res.written) return;
    await this.core.schedule(JOBS.hold, entryId, next);
    const cycle = (this.cycles.get(entryId) ?? 0) + 1;
    this.cycles.set(entryId, cycle);
    if (first && callback) await this.core.calls.subscribeToTone(entry.callId, { clientContext: 'queue' }).catch((err: { code?: string }) => this.core.logger.warn({ entryId, code: err?.code }, 'the call-back key cannot be heard on this call'));
    // call-cancelmediaprocessing: what plays now (the previous cycle's music) stops; the first cycle has nothing to stop.
    if (!first) await this.core.calls.cancelMediaProcessing(entry.callId, { clientContext: 'queue:next' }).catch(() => undefined);
    // Not awaited (the music plays on past this job): a prompt's failure is handled in play(), a store failure here.
    void this.play(res.value!, parts, cycle).catch(warnOnFailure(this.core.logger, 'a hold cycle stopped part-way; the next one is scheduled', { entryId }));
  }

  /**
   * The queue is no longer in the front desk (an edit took it out): its callers are told and the bot hangs up, rather
   * than holding them with nobody to offer them to. With no front desk loaded at all nothing is decided yet.
   */
  private async queueGone(entry: QueueEntry): Promise<void> {
    if (!this.core.options.frontDesk()) {
      await this.core.schedule(JOBS.hold, entry.id, this.core.now() + RETRY_CYCLE_MS);
      return;
    }
    const res = await this.core.store.updateEntry(entry.id, (e) => (HOLDING.has(e.state) ? { ...e, state: 'done', outcome: 'hung-up', hearing: 'nothing', doneAt: this.core.iso(), updatedAt: this.core.iso() } : undefined));
    if (!res.written) return;
    this.core.logger.warn({ entryId: entry.id, queue: entry.queue }, 'the queue is no longer in the front desk: its caller is told and hung up');
    await this.core.store.updateLine(entry.queue, (l) => (l.entries.includes(entry.id) ? { ...l, entries: l.entries.filter((id) => id !== entry.id) } : undefined));
    await this.core.cancel(JOBS.timeout, entry.id);
    await this.core.calls.cancelMediaProcessing(entry.callId, { clientContext: 'queue:gone' }).catch(() => undefined);
    const sorry = await this.core.options.promptAudio(SORRY_PROMPT, entry.language).catch(() => undefined);
    if (sorry) await this.core.calls.playPrompt(entry.callId, [{ uri: sorry.uri, resourceId: sorry.resourceId }], { clientContext: 'queue:gone', timeoutMs: this.core.promptTimeoutMs }).catch(() => undefined);
    await this.core.calls.hangUp(entry.callId).catch(() => undefined);
  }

  private async play(entry: QueueEntry, parts: Part[], cycle: number): Promise<void> {
    for (const part of parts) {
      if (this.cycles.get(entry.id) !== cycle) return;
      await this.setHearing(entry.id, part.hearing);
      // Calls.AccessMedia.All · call-playprompt (≤ 20 prompts per request).
      const playing = this.core.calls.playPrompt(entry.callId, part.prompts.map((p) => ({ uri: p.uri, resourceId: p.resourceId })), {
        clientContext: `queue:${part.hearing}`,
        timeoutMs: part.seconds * 1000 + this.core.promptTimeoutMs,
        onAmbiguous: 'repeat',
      });
      if (part.hearing === 'music') {
        playing.catch((err: unknown) => this.quietly(entry.id, err));
        return;
      }
      try {
        await playing;
      } catch (err) {
        this.quietly(entry.id, err);
        return;
      }
    }
  }

  /** A cancelled prompt (the next cycle, an agent answering, the caller leaving) is how holding ends: not an error. */
  private quietly(entryId: string, err: unknown): void {
    const e = err as CallError;
    if (e instanceof CallError && (e.code === 'calls/call-ended' || e.code === 'calls/not-found' || (e.code === 'calls/operation-failed' && Number(e.resultInfo?.subcode) === 8508))) return;
    this.core.logger.warn({ entryId, code: e?.code, message: e?.message }, 'a hold prompt failed');
  }

  async setHearing(entryId: string, hearing: CallerHearing): Promise<void> {
    const res = await this.core.store.updateEntry(entryId, (e) => (e.hearing === hearing ? undefined : { ...e, hearing, updatedAt: this.core.iso() }));
    if (res.written) this.core.changed(res.value!.queue, 'hearing', { entryId });
  }

  private async signedInCount(q: CompiledQueue): Promise<number> {
    const membership = await this.core.store.membership(q.name);
    const out = new Set(membership.signedOut.map((s) => s.toLowerCase()));
    return q.agents.filter((a) => !out.has(a.userId.toLowerCase())).length;
  }

  /**
   * The caller pressed the call-back key (once it was offered): they keep their place, hear the confirmation and the
   * bot hangs up. Their place is then offered like any other; the agent who takes it is rung first.
   */
  async requestCallback(entry: QueueEntry): Promise<boolean> {
    const res = await this.core.store.updateEntry(entry.id, (e) =>
      (e.state === 'waiting' || e.state === 'greeting') && e.callbackOffered && !e.callback
        ? { ...e, state: 'callback-waiting', hearing: 'nothing', callback: { requestedAt: this.core.iso(), attempts: 0 }, updatedAt: this.core.iso() }
        : undefined,
    );
    if (!res.written) return false;
    await this.core.store.updateLine(entry.queue, (l) => (l.callbacks?.includes(entry.id) ? undefined : { ...l, callbacks: [...(l.callbacks ?? []), entry.id] }));
    await this.stop(entry.id);
    await this.core.cancel(JOBS.timeout, entry.id);
    await this.stats.record(entry.queue, { kind: 'callback-requested' });
    this.core.changed(entry.queue, 'callback-requested', { entryId: entry.id });
    await this.core.calls.cancelMediaProcessing(entry.callId, { clientContext: 'queue:callback' }).catch(() => undefined);
    const spoken = callbackTaken(this.core.languageOf(entry));
    const prompt = await this.core.options.prompts.speak(spoken.text, 'goodbye', spoken.language);
    await this.core.calls.playPrompt(entry.callId, [{ uri: prompt.uri, resourceId: prompt.resourceId }], { clientContext: 'queue:callback-taken', timeoutMs: this.core.promptTimeoutMs }).catch(() => undefined);
    await this.core.calls.hangUp(entry.callId).catch(() => undefined);
    return true;
  }
}
