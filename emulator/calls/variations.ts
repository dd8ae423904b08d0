// Microsoft's documented real-world shape variations, reproduced deterministically when `variations` is on, so the
// app is exercised on them in every run. Each rule names where it applies and the doc page or capture it copies.

import type { ResultInfoStyle } from './graph-shapes.js';
import type { WireChangeType } from '../../graph-models/index.js';

export const VARIATION_RULES = [
  { name: 'invite-status-pascal-case', where: 'the 200 response of POST participants/invite', what: 'status "Running"', source: 'participant-invite examples' },
  { name: 'call-end-codes-as-strings', where: 'every `deleted` call notification that carries a resultInfo (state terminated), except a completed transfer', what: 'resultInfo.code/subcode as strings ("200", "5001")', source: 'call-delete notification example' },
  { name: 'transfer-failed-subCode', where: 'the `updated` notification back to established after a failed transfer', what: 'resultInfo key `subCode` instead of `subcode`', source: 'call-transfer failure examples' },
  { name: 'legacy-resource', where: 'roster (`/participants`) notifications and invite operation completions', what: '`resource: "/app/calls/..."` next to resourceUrl', source: 'participant-invite examples' },
  { name: 'changeType-capitalised', where: 'tone (toneInfo) notifications', what: 'changeType "Updated"', source: 'real traffic in MicrosoftDocs/msteams-docs#9170' },
] as const;

export class Variations {
  constructor(readonly enabled: boolean) {}

  inviteStatus<S extends 'notStarted' | 'running' | 'completed' | 'failed'>(status: S): S | Capitalize<S> {
    return this.enabled ? (status.charAt(0).toUpperCase() + status.slice(1)) as Capitalize<S> : status;
  }

  callEndStyle(isTransferCompletion = false): ResultInfoStyle {
    return { strings: this.enabled && !isTransferCompletion };
  }

  transferFailedStyle(): ResultInfoStyle {
    return { subCodeKey: this.enabled };
  }

  /** The legacy `/app/calls/...` resource for a resourceUrl, when this notification kind carries one. */
  legacyResource(resourceUrl: string, kind: 'roster' | 'invite-operation' | 'other'): string | undefined {
    if (!this.enabled || kind === 'other') return undefined;
    return resourceUrl.replace(/^\/communications\/calls\//, '/app/calls/');
  }

  toneChangeType(): WireChangeType {
    return this.enabled ? 'Updated' : 'updated';
  }
}
