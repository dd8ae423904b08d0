// Builders for calling-webhook bodies in the documented shapes (commsNotifications batches).
export function batch(...value: unknown[]): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.commsNotifications', value };
}

export function callNote(callId: string, changeType: string, resourceData: Record<string, unknown>): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.commsNotification',
    changeType,
    resourceUrl: `/communications/calls/${callId}`,
    resourceData: { '@odata.type': '#microsoft.graph.call', ...resourceData },
  };
}

export function incoming(callId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return callNote(callId, 'created', {
    state: 'incoming',
    direction: 'incoming',
    callbackUri: 'https://bot.contoso.com/api/calls',
    source: {
      '@odata.type': '#microsoft.graph.participantInfo',
      identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: '8d1e6ab6-26c5-4e22-a1bc-06ea7343958e' } },
      region: 'amer',
    },
    targets: [
      {
        '@odata.type': '#microsoft.graph.participantInfo',
        identity: { '@odata.type': '#microsoft.graph.identitySet', application: { '@odata.type': '#microsoft.graph.identity', displayName: 'test bot', id: 'app-1' } },
      },
    ],
    myParticipantId: 'c339cede-4bd6-4f20-ab9f-3a13e65f6d00',
    id: callId,
    ...extra,
  });
}

export function state(callId: string, value: string, extra: Record<string, unknown> = {}, changeType = 'updated'): Record<string, unknown> {
  return callNote(callId, changeType, { state: value, ...extra });
}

export function terminated(callId: string, resultInfo: Record<string, unknown> = { code: 200, subcode: 5001, message: 'The conversation has ended.' }): Record<string, unknown> {
  return callNote(callId, 'deleted', { state: 'terminated', resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', ...resultInfo } });
}

export function tone(callId: string, sequenceId: number, value: string): Record<string, unknown> {
  return callNote(callId, 'updated', { state: 'established', toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId, tone: value } });
}

export function roster(callId: string, participants: unknown[]): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.commsNotification',
    changeType: 'updated',
    resourceUrl: `/communications/calls/${callId}/participants`,
    resourceData: participants,
  };
}

export function operationDone(callId: string, opId: string, resourceData: Record<string, unknown>): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.commsNotification',
    changeType: 'deleted',
    resourceUrl: `/communications/calls/${callId}/operations/${opId}`,
    resourceData: { id: opId, ...resourceData },
  };
}
