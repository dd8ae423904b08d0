// call-transfer: the bot hands its peer (or, from a group call, the named transferee) to a Teams user.
// transferring → the target rings → transferAccepted → `deleted` 0/7015 GracefulTransferCompleted; a target that does
// not take the call puts the bot back to established with 500/7000. replacesCallId makes it consultative. Either way
// the two people then talk without the bot, in a direct call (direct-calls.ts).

import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { GraphError } from '../graph/graph-error.js';
import type { EmulatedCall } from './call-model.js';
import { requireState } from './call-checks.js';
import type { CallsEngine } from './calls-engine.js';
import { requireInstanceForPhone } from './pstn.js';
import type { transferSchema } from './graph-request-schemas.js';
import { CONSULTATIVE_TRANSFER_FAILED, RESULTS } from './result-codes.js';

export function transfer(engine: CallsEngine, call: EmulatedCall, body: z.infer<typeof transferSchema>): void {
  requireState(call, 'established', 'transfer the call');
  const targetId = body.transferTarget.identity.user?.id ?? body.transferTarget.identity.phone?.id ?? body.transferTarget.identity.application?.id;
  if (!targetId) throw new GraphError(400, 'BadRequest', 'transferTarget.identity needs a user (or phone) identity with an id.');
  requireInstanceForPhone(engine, call, [body.transferTarget.identity], 'Transfer');
  let transfereeId = call.peerPersonId;
  if (call.kind !== 'peerToPeer') {
    const id = body.transferee?.identity.user?.id;
    if (!id) throw new GraphError(400, 'BadRequest', 'transferee is required when transferring from a group call.');
    if (!engine.personIn(call.conversation, id)) throw new GraphError(400, 'BadRequest', `transferee '${id}' is not a participant of this call.`);
    transfereeId = id;
  }
  const replacesCallId = body.transferTarget.replacesCallId ?? undefined;

  call.state = 'transferring';
  engine.notifyState(call);
  engine.events.emit('call.transferring', { callId: call.id, target: targetId, transferee: transfereeId, consultative: replacesCallId !== undefined });

  if (replacesCallId) {
    const consult = engine.calls.get(replacesCallId.toLowerCase());
    const valid = consult && consult.appId === call.appId && consult.state === 'established' && consult.kind === 'peerToPeer'
      && consult.peerPersonId?.toLowerCase() === body.transferTarget.identity.user?.id?.toLowerCase();
    engine.scheduler.after(engine.options.notificationDelayMs, () => {
      if (call.state !== 'transferring') return;
      if (!valid) {
        call.state = 'established';
        call.transfer = { target: targetId, outcome: 'failed: the call to replace is not an established call with the target' };
        // call-transfer, Example 2's failure notification carries replacesContext (undescribed, and in neither the v1.0
        // nor the beta metadata); the PSTN consultative failure (Example 4) does not. An opaque string here (chosen).
        const phoneTarget = !body.transferTarget.identity.user && body.transferTarget.identity.phone;
        engine.notifyTransferFailed(call, CONSULTATIVE_TRANSFER_FAILED, phoneTarget ? {} : { replacesContext: replacesContext(replacesCallId) });
        return;
      }
      call.state = 'transferAccepted';
      engine.notifyState(call);
      call.transfer = { target: targetId, outcome: 'completed (consultative)' };
      // The transferee and the target now talk without the bot (started first, so neither looks free in between).
      engine.directCalls.start(transfereeId, consult!.peerPersonId, { callId: call.id, consultative: true });
      engine.endCall(call, { reason: 'transferred (consultative)', terminationReason: 'AppTransferred' });
      engine.endCall(consult, { reason: 'replaced by a consultative transfer', terminationReason: 'AppTransferred' });
    });
    return;
  }

  engine.ring(body.transferTarget.identity.user?.id ?? body.transferTarget.identity.phone?.id ?? undefined, call.id, 'transfer', (outcome, user) => {
    if (call.state !== 'transferring' || outcome === 'cancelled') return;
    if (outcome === 'answered' && user) {
      call.state = 'transferAccepted';
      engine.notifyState(call);
      call.transfer = { target: user.id, outcome: 'completed' };
      engine.directCalls.start(transfereeId, user.id, { callId: call.id, consultative: false });
      engine.endCall(call, { reason: 'transfer completed', result: RESULTS.transferCompleted, transferCompletion: true });
      return;
    }
    call.state = 'established';
    call.transfer = { target: targetId, outcome: `failed: target ${outcome}` };
    engine.events.emit('call.transfer-failed', { callId: call.id, target: targetId, outcome });
    engine.notifyTransferFailed(call, RESULTS.transferFailed);
  });
}

/** An opaque token standing for the call the transfer should have replaced (Graph does not say what it holds). */
function replacesContext(replacesCallId: string): string {
  return createHash('sha256').update(`replaces:${replacesCallId.toLowerCase()}`).digest('base64url');
}
