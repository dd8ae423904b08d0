// Makes creating a call idempotent in effect. Graph has no idempotency key for POST /communications/calls, puts no
// clientContext on the call resource (only operations carry one) and cannot list an app's calls (there is no
// GET /communications/calls), so a create whose answer was lost — a timeout, a reset, a crash mid-request — is found
// again through its callbackUri: the caller's correlation id rides in it as a query parameter. callbackUri is the one
// documented call property the app chooses that Graph keeps, returns on GET /communications/calls/{id} and posts every
// notification of that call to ("a per-call URI may embed routing info"), so it round-trips where nothing else does.
// A claim is stored before the POST; while a claim is uncertain, a notification for an unknown call is re-read and
// the call is adopted when its callbackUri carries that claim's id.
import type { Store } from '../store/index.js';
import type { CallSession } from './call-session.js';

export const CLAIMS_COLLECTION = 'call-create-claims';
export const CORRELATION_PARAM = 'switchboard-call';
/** Correlation ids: short, URL-safe (they travel in the callbackUri). */
export const CORRELATION_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

export interface CreateClaim {
  correlationId: string;
  createdAt: string;
  /** sending: this process awaits the POST's answer; uncertain: the answer was lost (or the process stopped meanwhile). */
  status: 'sending' | 'uncertain';
  /** What to store on the call when it is adopted (purpose, context, targets, tenant, subject). */
  session: Partial<CallSession>;
  /** Set once the call is known (placed or adopted). */
  callId?: string;
}

export function withCorrelation(callbackUri: string, correlationId: string): string {
  const url = new URL(callbackUri);
  url.searchParams.set(CORRELATION_PARAM, correlationId);
  return url.toString();
}

export function correlationOf(callbackUri: string | null | undefined): string | undefined {
  if (!callbackUri) return undefined;
  try {
    const value = new URL(callbackUri).searchParams.get(CORRELATION_PARAM);
    return value !== null && CORRELATION_PATTERN.test(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The durable claims, with an in-memory count of uncertain ones so unknown-call notifications cost nothing usually. */
export class CreateClaims {
  private uncertain = 0;

  constructor(private readonly store: Store) {}

  get anyUncertain(): boolean {
    return this.uncertain > 0;
  }

  /** At start: claims left `sending` by a stopped process are uncertain now; old settled ones are dropped. */
  async load(now: number, retentionMs: number): Promise<void> {
    this.uncertain = 0;
    for (const item of await this.store.list<CreateClaim>(CLAIMS_COLLECTION)) {
      const claim = item.value;
      if (now - Date.parse(claim.createdAt) > retentionMs) {
        await this.store.delete(CLAIMS_COLLECTION, item.key);
        continue;
      }
      if (claim.callId) continue;
      if (claim.status === 'sending') await this.store.put<CreateClaim>(CLAIMS_COLLECTION, item.key, { ...claim, status: 'uncertain' });
      this.uncertain += 1;
    }
  }

  get(correlationId: string): Promise<CreateClaim | undefined> {
    return this.store.get<CreateClaim>(CLAIMS_COLLECTION, correlationId);
  }

  async open(claim: CreateClaim): Promise<void> {
    await this.store.put<CreateClaim>(CLAIMS_COLLECTION, claim.correlationId, claim);
  }

  async markUncertain(correlationId: string): Promise<void> {
    const claim = await this.get(correlationId);
    if (!claim || claim.callId || claim.status === 'uncertain') return;
    await this.store.put<CreateClaim>(CLAIMS_COLLECTION, correlationId, { ...claim, status: 'uncertain' });
    this.uncertain += 1;
  }

  async settle(correlationId: string, callId: string): Promise<void> {
    const claim = await this.get(correlationId);
    if (!claim || claim.callId) return;
    if (claim.status === 'uncertain') this.uncertain = Math.max(0, this.uncertain - 1);
    await this.store.put<CreateClaim>(CLAIMS_COLLECTION, correlationId, { ...claim, callId });
  }

  /** The create definitely did not happen (or the caller gives up waiting for it). */
  async drop(correlationId: string): Promise<void> {
    const claim = await this.get(correlationId);
    if (!claim) return;
    if (claim.status === 'uncertain' && !claim.callId) this.uncertain = Math.max(0, this.uncertain - 1);
    await this.store.delete(CLAIMS_COLLECTION, correlationId);
  }
}
