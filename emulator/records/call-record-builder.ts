// Builds a callRecord (microsoft.graph.callRecords) from a call that ended: type, modalities, organizer_v2,
// participants_v2, and sessions → segments → media with callerNetwork/calleeNetwork, devices and two streams whose
// jitter/round-trip (ISO-8601 durations) and packet-loss figures are plausible and fixed by the call's ids.

import type { Json } from '../calls/call-model.js';
import type { UserDirectory } from '../directory/user-directory.js';
import { stableGuid } from '../identity/stable-id.js';
import { SeededRandom } from '../support/seeded-random.js';
import type { EndedCall, TrackedParticipant } from './call-tracker.js';

export interface CallRecordParts {
  id: string;
  startDateTime: string;
  endDateTime: string;
  /** The record without its expandable relationships. */
  record: Json;
  sessions: Json[];
  participants: Json[];
  /** participants_v2 ids (for $filter=participants_v2/any(p:p/id eq '…')). */
  participantIds: string[];
}

export interface RecordContext {
  tenantId: string;
  directory: UserDirectory;
  /** The meeting's organizer and join link, when the call was a meeting the emulator knows. */
  meeting?: { organizerId: string; joinWebUrl: string };
}

const NS = '#microsoft.graph.callRecords';

export function buildCallRecord(call: EndedCall, ctx: RecordContext): CallRecordParts {
  const type = call.kind === 'peerToPeer' ? 'peerToPeer' : 'groupCall';
  // Bot legs that never joined (a call nobody answered) still name the app.
  const legBots: TrackedParticipant[] = call.legs.map((l) => ({ participantId: l.appId, kind: 'bot', appId: l.appId, displayName: l.appDisplayName, synthetic: false, joinedAt: call.startedAt }));
  const everyone = uniqueEndpoints([...call.participants, ...legBots]);
  const organizer = organizerOf(call, everyone, ctx);
  const participants = everyone.map((p) => ({ id: endpointId(p), identity: identitySet(p, ctx) }));
  const sessions = type === 'peerToPeer' ? p2pSessions(call, ctx) : groupSessions(call, ctx);
  const record: Json = {
    id: call.callChainId,
    version: 1,
    type,
    modalities: ['audio'],
    lastModifiedDateTime: call.endedAt,
    startDateTime: call.startedAt,
    endDateTime: call.endedAt,
    joinWebUrl: ctx.meeting?.joinWebUrl ?? null,
    organizer: organizer ? identitySet(organizer, ctx) : null,
    participants: everyone.map((p) => identitySet(p, ctx)),
    organizer_v2: organizer ? { id: endpointId(organizer), identity: identitySet(organizer, ctx) } : null,
  };
  return { id: call.callChainId, startDateTime: call.startedAt, endDateTime: call.endedAt, record, sessions, participants, participantIds: participants.map((p) => p.id) };
}

/** One entry per person or bot app, however many times they joined. */
function uniqueEndpoints(participants: TrackedParticipant[]): TrackedParticipant[] {
  const seen = new Set<string>();
  return participants.filter((p) => {
    const key = endpointId(p).toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function endpointId(p: TrackedParticipant): string {
  return p.kind === 'bot' ? p.appId ?? p.participantId : p.personId ?? p.participantId;
}

function organizerOf(call: EndedCall, everyone: TrackedParticipant[], ctx: RecordContext): TrackedParticipant | undefined {
  if (ctx.meeting) {
    const organizer = ctx.directory.find(ctx.meeting.organizerId);
    return everyone.find((p) => p.personId?.toLowerCase() === ctx.meeting!.organizerId.toLowerCase())
      ?? (organizer ? { participantId: organizer.id, kind: 'person', personId: organizer.id, displayName: organizer.displayName, synthetic: false, joinedAt: call.startedAt } : undefined);
  }
  if (call.kind === 'peerToPeer') return callerAndCallee(call).caller;
  return everyone.find((p) => p.kind === 'bot') ?? everyone[0];
}

function identitySet(p: TrackedParticipant, ctx: RecordContext): Json {
  if (p.kind === 'bot') return { application: { id: p.appId ?? p.participantId, displayName: p.displayName, tenantId: ctx.tenantId } };
  const user = p.personId ? ctx.directory.find(p.personId) : undefined;
  return {
    user: {
      id: p.personId ?? p.participantId,
      displayName: user?.displayName ?? p.displayName,
      tenantId: ctx.tenantId,
      userPrincipalName: user?.userPrincipalName ?? null,
    },
  };
}

/** P2P: who called whom — the person dialled the bot (incoming leg), or the bot called the person. */
function callerAndCallee(call: EndedCall): { caller?: TrackedParticipant; callee?: TrackedParticipant } {
  const bot = call.participants.find((p) => p.kind === 'bot');
  const person = call.participants.find((p) => p.kind === 'person');
  const incoming = call.legs[0]?.direction === 'incoming';
  if (!bot) {
    // Nobody answered: the record still names the bot app the call was for.
    const leg = call.legs[0];
    const app = leg ? { participantId: leg.appId, kind: 'bot' as const, appId: leg.appId, displayName: leg.appDisplayName, synthetic: false, joinedAt: call.startedAt } : undefined;
    return incoming ? { caller: person, callee: app } : { caller: app, callee: person };
  }
  return incoming ? { caller: person, callee: bot } : { caller: bot, callee: person };
}

function p2pSessions(call: EndedCall, ctx: RecordContext): Json[] {
  const { caller, callee } = callerAndCallee(call);
  const answered = call.participants.some((p) => p.kind === 'bot') && call.participants.some((p) => p.kind === 'person');
  const start = caller?.joinedAt ?? call.startedAt;
  const session = sessionJson(call, `${call.callChainId}`, start, call.endedAt, endpointJson(caller, ctx, call), endpointJson(callee, ctx, call), answered);
  return [session];
}

/** Group calls and meetings: each participant's time in the call is a session between them and the conference. */
function groupSessions(call: EndedCall, ctx: RecordContext): Json[] {
  const conference: Json = {
    '@odata.type': `${NS}.serviceEndpoint`,
    userAgent: { '@odata.type': `${NS}.serviceUserAgent`, headerValue: 'Microsoft Teams conferencing', applicationVersion: null, role: 'skypeForBusinessAudioVideoMcu' },
  };
  return call.participants.map((p) => sessionJson(
    call,
    stableGuid('call-record-session', call.callChainId, p.participantId, p.joinedAt),
    p.joinedAt,
    p.leftAt ?? call.endedAt,
    endpointJson(p, ctx, call),
    conference,
    true,
  ));
}

function endpointJson(p: TrackedParticipant | undefined, ctx: RecordContext, call: EndedCall): Json {
  if (!p) return { '@odata.type': `${NS}.participantEndpoint`, userAgent: null, associatedIdentity: null, feedback: null };
  const random = new SeededRandom('endpoint', call.callChainId, p.participantId);
  if (p.kind === 'bot') {
    return {
      '@odata.type': `${NS}.serviceEndpoint`,
      userAgent: { '@odata.type': `${NS}.serviceUserAgent`, headerValue: `Microsoft Graph Communications (${p.displayName})`, applicationVersion: '1.2.0', role: 'customBot' },
    };
  }
  const identity = identitySet(p, ctx).user as Json;
  const platform = random.pick(['windows', 'macOS', 'web', 'iOS', 'android'] as const);
  return {
    '@odata.type': `${NS}.participantEndpoint`,
    name: `${p.displayName.split(' ')[0]}'s ${platform === 'web' ? 'browser' : 'device'}`,
    userAgent: {
      '@odata.type': `${NS}.clientUserAgent`,
      headerValue: `Teams/24.${random.int(1, 30)}.0 (${platform})`,
      applicationVersion: `24.${random.int(1, 30)}.${random.int(100, 999)}`,
      platform,
      productFamily: 'teams',
      azureADAppId: null,
      communicationServiceId: null,
    },
    associatedIdentity: { id: identity.id, displayName: identity.displayName, tenantId: ctx.tenantId, userPrincipalName: identity.userPrincipalName },
    feedback: null,
    cpuCoresCount: random.pick([4, 8, 12, 16]),
    cpuName: random.pick(['Intel(R) Core(TM) i7-1185G7', 'Apple M2', 'AMD Ryzen 7 5800U']),
    cpuProcessorSpeedInMhz: random.pick([2400, 3000, 3200]),
  };
}

function sessionJson(call: EndedCall, id: string, start: string, end: string, caller: Json, callee: Json, connected: boolean): Json {
  const random = new SeededRandom('session', call.callChainId, id);
  const segment: Json = {
    id,
    startDateTime: start,
    endDateTime: end,
    caller,
    callee,
    failureInfo: null,
    media: connected ? [mediaJson(random, start, end)] : [],
  };
  return {
    id,
    modalities: ['audio'],
    startDateTime: start,
    endDateTime: end,
    isTest: false,
    caller,
    callee,
    failureInfo: connected ? null : { stage: 'callSetup', reason: 'The call was not answered.' },
    segments: [connected ? segment : { ...segment, failureInfo: { stage: 'callSetup', reason: 'The call was not answered.' } }],
  };
}

function mediaJson(random: SeededRandom, start: string, end: string): Json {
  const wifi = random.next() < 0.4;
  return {
    label: 'main-audio',
    callerNetwork: networkJson(random, wifi),
    calleeNetwork: networkJson(random, false),
    callerDevice: deviceJson(random),
    calleeDevice: deviceJson(random),
    streams: [streamJson(random, 'callerToCallee', start, end), streamJson(random, 'calleeToCaller', start, end)],
  };
}

function networkJson(random: SeededRandom, wifi: boolean): Json {
  const octet = random.int(2, 250);
  return {
    ipAddress: `10.${random.int(0, 255)}.${octet}.${random.int(2, 250)}`,
    subnet: `10.${random.int(0, 255)}.${octet}.0`,
    linkSpeed: wifi ? random.pick([144_000_000, 300_000_000, 866_700_000]) : 1_000_000_000,
    connectionType: wifi ? 'wifi' : 'wired',
    port: random.int(50_000, 50_059),
    reflexiveIPAddress: `203.0.113.${random.int(1, 254)}`,
    relayIPAddress: null,
    relayPort: null,
    macAddress: null,
    dnsSuffix: null,
    networkTransportProtocol: 'udp',
    sentQualityEventRatio: round(random.between(0, 0.02), 4),
    receivedQualityEventRatio: round(random.between(0, 0.02), 4),
    delayEventRatio: round(random.between(0, 0.01), 4),
    bandwidthLowEventRatio: round(random.between(0, 0.01), 4),
    wifiBand: wifi ? 'frequency50GHz' : 'unknown',
    wifiChannel: wifi ? random.pick([36, 40, 44, 149]) : null,
    wifiSignalStrength: wifi ? random.int(60, 99) : null,
    wifiRadioType: wifi ? 'wifi80211ac' : 'unknown',
    wifiMicrosoftDriver: null,
    wifiMicrosoftDriverVersion: null,
    wifiVendorDriver: null,
    wifiVendorDriverVersion: null,
    wifiBatteryCharge: null,
    traceRouteHops: [],
    basicServiceSetIdentifier: null,
  };
}

function deviceJson(random: SeededRandom): Json {
  return {
    captureDeviceName: random.pick(['Microphone Array (Realtek Audio)', 'MacBook Pro Microphone', 'Jabra Evolve2 65']),
    captureDeviceDriver: 'Microsoft: 10.0.22621.1',
    renderDeviceName: random.pick(['Speakers (Realtek Audio)', 'MacBook Pro Speakers', 'Jabra Evolve2 65']),
    renderDeviceDriver: 'Microsoft: 10.0.22621.1',
    sentSignalLevel: random.int(-30, -15),
    receivedSignalLevel: random.int(-30, -15),
    sentNoiseLevel: random.int(-80, -60),
    receivedNoiseLevel: random.int(-80, -60),
    initialSignalLevelRootMeanSquare: round(random.between(50, 200), 2),
    cpuInsufficentEventRatio: 0,
    deviceClippingEventRatio: 0,
    deviceGlitchEventRatio: round(random.between(0, 0.01), 4),
    echoEventRatio: 0,
    howlingEventCount: 0,
    lowSpeechLevelEventRatio: round(random.between(0, 0.02), 4),
    lowSpeechToNoiseEventRatio: round(random.between(0, 0.02), 4),
    micGlitchRate: round(random.between(0, 5), 2),
    speakerGlitchRate: round(random.between(0, 5), 2),
    renderNotFunctioningEventRatio: 0,
    renderZeroVolumeEventRatio: 0,
    renderMuteEventRatio: 0,
    captureNotFunctioningEventRatio: 0,
  };
}

function streamJson(random: SeededRandom, direction: 'callerToCallee' | 'calleeToCaller', start: string, end: string): Json {
  const jitter = random.between(0.002, 0.03);
  const rtt = random.between(0.015, 0.12);
  const loss = random.between(0, 0.02);
  return {
    streamId: String(random.int(1_000_000_000, 2_147_483_647)),
    streamDirection: direction,
    startDateTime: start,
    endDateTime: end,
    averageJitter: duration(jitter),
    maxJitter: duration(jitter * random.between(1.5, 4)),
    averagePacketLossRate: round(loss, 4),
    maxPacketLossRate: round(Math.min(1, loss * random.between(2, 6)), 4),
    averageRoundTripTime: duration(rtt),
    maxRoundTripTime: duration(rtt * random.between(1.3, 3)),
    averageAudioNetworkJitter: duration(jitter * random.between(0.8, 1.5)),
    maxAudioNetworkJitter: duration(jitter * random.between(2, 5)),
    averageAudioDegradation: round(random.between(0, 0.6), 2),
    averageRatioOfConcealedSamples: round(random.between(0, 0.03), 4),
    maxRatioOfConcealedSamples: round(random.between(0.03, 0.1), 4),
    averageBandwidthEstimate: random.int(500_000, 20_000_000),
    packetUtilization: random.int(1_000, 200_000),
    postForwardErrorCorrectionPacketLossRate: round(loss / 4, 4),
    wasMediaBypassed: false,
    isAudioForwardErrorCorrectionUsed: true,
    audioCodec: random.pick(['satin', 'opus', 'silkWide']),
    videoCodec: null,
    averageVideoFrameLossPercentage: null,
    averageReceivedFrameRate: null,
    lowFrameRateRatio: null,
    averageVideoPacketLossRate: null,
    averageVideoFrameRate: null,
    lowVideoProcessingCapabilityRatio: null,
    rmsFreezeDuration: null,
    averageFreezeDuration: null,
  };
}

/** ISO-8601 duration in seconds, as call records print them ("PT0.016S"). */
export function duration(seconds: number): string {
  const text = seconds.toFixed(3).replace(/0+$/, '').replace(/\.$/, '.0');
  return `PT${text}S`;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
