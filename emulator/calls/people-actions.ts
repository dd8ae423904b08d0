// What emulated people do in calls, driven by the control API: answer or decline when rung, press keys, speak (for a
// while, or a sentence in words), hold and resume, hang up, join and leave group calls and meetings, mute themselves,
// share their screen.

import { EmulatorError } from '../emulator-error.js';
import type { EmulatedUser } from '../emulator-options.js';
import type { EmulatedCall, Participant } from './call-model.js';
import { isConnected, type CallsEngine } from './calls-engine.js';
import { checkSpokenText, DEFAULT_LANGUAGE } from './emulated-voice.js';
import { RESULTS } from './result-codes.js';
import { parseKeys } from './tones.js';

export function answerRing(engine: CallsEngine, call: EmulatedCall, user: EmulatedUser): void {
  const ring = engine.ringing.find(call.id, user.id);
  if (!ring) throw notRinging(call, user);
  engine.events.emit('person.answered', { callId: call.id, person: user.id, reason: ring.reason });
  ring.settle('answered');
}

export function declineRing(engine: CallsEngine, call: EmulatedCall, user: EmulatedUser, reason: 'decline' | 'busy' = 'decline'): void {
  const ring = engine.ringing.find(call.id, user.id);
  if (!ring) throw notRinging(call, user);
  engine.events.emit('person.declined', { callId: call.id, person: user.id, reason: ring.reason, as: reason });
  ring.settle(reason === 'busy' ? 'busy' : 'declined');
}

export function pressKeys(engine: CallsEngine, call: EmulatedCall, personId: string | undefined, keys: string): { tones: string[]; notified: boolean } {
  const participant = activeParticipant(engine, call, personId);
  if (participant.onHold) throw new EmulatorError('emulator/on-hold', `${participant.displayName} has the call on hold: POST .../resume first.`, 409);
  const parsed = parseKeys(keys);
  if ('invalid' in parsed) throw new EmulatorError('emulator/invalid-body', `'${parsed.invalid}' is not a dial-pad key: use 0-9, *, #, A-D.`, 400);
  for (const tone of parsed.tones) {
    const record = { ...(participant.personId ? { person: participant.personId } : {}), tone, time: new Date().toISOString(), notified: call.toneSubscribed };
    if (call.toneSubscribed) {
      call.toneSequence += 1;
      call.tones.push({ ...record, sequenceId: call.toneSequence });
      engine.notifyTone(call, call.toneSequence, tone);
    } else {
      call.tones.push(record);
    }
    const stopped = engine.mediaFor(call).tone(tone);
    engine.events.emit('person.tone', { callId: call.id, person: participant.personId, tone, notified: call.toneSubscribed, stoppedRecording: stopped || undefined });
  }
  return { tones: parsed.tones, notified: call.toneSubscribed };
}

export function speak(engine: CallsEngine, call: EmulatedCall, personId: string | undefined, seconds: number): { heardByRecording: boolean } {
  const participant = speakingParticipant(engine, call, personId);
  const heard = engine.mediaFor(call).speak(seconds);
  engine.events.emit('person.spoke', { callId: call.id, person: participant.personId, seconds, heardByRecording: heard });
  return { heardByRecording: heard };
}

export interface SayRequest {
  text: string;
  language?: string;
  mumble?: boolean;
}

/**
 * A person says a sentence to the running recordResponse: synthesized in the emulator's own voice, it is what the
 * recording holds. 503 without a voice, 400 for a language it has no voice for, 409 when nothing is listening.
 */
export async function say(engine: CallsEngine, call: EmulatedCall, personId: string | undefined, request: SayRequest): Promise<{ heardByRecording: true; seconds: number; language: string; mumbled: boolean }> {
  const text = checkSpokenText(request.text);
  const participant = speakingParticipant(engine, call, personId);
  const voice = await engine.voice();
  if (!voice) {
    throw new EmulatorError('emulator/voice-unavailable', 'Emulated people cannot say words here: the optional espeak-ng package is not installed (or the emulator was started with speechSynthesis: false). { "seconds": n } still speaks without words.', 503);
  }
  const language = request.language ?? DEFAULT_LANGUAGE;
  if (!voice.voiceFor(language)) throw new EmulatorError('emulator/unknown-language', `The emulated people have no voice for language '${language}': use a tag such as en-us, en-gb, de or fr.`, 400);
  speakingParticipant(engine, call, personId); // again: the call may have ended while the voice loaded
  const runner = engine.mediaFor(call);
  if (!runner.listeningOperationId) {
    throw new EmulatorError('emulator/not-listening', `Nobody is listening on call ${call.id}: words are heard only by a running recordResponse, once its prompt has played (GET /emulator/calls/${call.id} shows listeningOperationId).`, 409);
  }
  const audio = voice.say(text, { language, mumble: request.mumble ?? false });
  runner.say(audio);
  const spoken = await audio;
  const seconds = Math.round(spoken.seconds * 100) / 100;
  // The words stay out of the event stream (and so out of the console's log): only their length.
  engine.events.emit('person.spoke', { callId: call.id, person: participant.personId, seconds, heardByRecording: true, words: true, mumbled: request.mumble || undefined });
  return { heardByRecording: true, seconds, language: spoken.voice, mumbled: request.mumble ?? false };
}

/** Hold/resume: a roster update in group calls and meetings; in a P2P call the bot sees mediaState inactive/active. */
export function setHold(engine: CallsEngine, call: EmulatedCall, personId: string, onHold: boolean): void {
  const participant = activeParticipant(engine, call, personId);
  if (participant.onHold === onHold) return;
  participant.onHold = onHold;
  engine.events.emit(onHold ? 'person.hold' : 'person.resume', { callId: call.id, person: participant.personId });
  if (call.kind === 'peerToPeer') {
    call.mediaState = onHold ? 'inactive' : 'active';
    engine.notifyState(call, { mediaState: { '@odata.type': '#microsoft.graph.callMediaState', audio: call.mediaState } });
  } else {
    engine.notifyRoster(call.conversation);
  }
}

export function hangUpPerson(engine: CallsEngine, call: EmulatedCall, personId: string | undefined): string {
  const ringing = personId ? engine.ringing.find(call.id, engine.requirePerson(personId).id) : undefined;
  if (ringing) {
    ringing.settle('declined');
    return 'declined-while-ringing';
  }
  if (call.state === 'terminated') throw new EmulatorError('emulator/call-ended', `Call ${call.id} has already ended.`, 409);
  if (call.state === 'incoming') {
    const caller = call.peerPersonId;
    if (personId && caller && engine.requirePerson(personId).id.toLowerCase() !== caller.toLowerCase()) throw notInCall(call, personId);
    engine.events.emit('person.hung-up', { callId: call.id, person: caller, before: 'answer' });
    engine.endCall(call, { reason: 'the caller hung up before the call was answered', result: RESULTS.callerCancelled });
    return 'cancelled-before-answer';
  }
  const participant = activeParticipant(engine, call, personId);
  engine.events.emit('person.hung-up', { callId: call.id, person: participant.personId });
  if (call.kind === 'peerToPeer') {
    engine.endCall(call, { reason: `${participant.displayName} hung up`, result: RESULTS.endedByPeerP2P });
    return 'call-ended';
  }
  leave(engine, call, participant);
  return 'left';
}

export function join(engine: CallsEngine, call: EmulatedCall, user: EmulatedUser): Participant {
  if (call.kind === 'peerToPeer') throw new EmulatorError('emulator/wrong-call-kind', `Call ${call.id} is a peer-to-peer call: people join group calls and meetings only.`, 409);
  if (!isConnected(call)) throw new EmulatorError('emulator/call-not-established', `Call ${call.id} is ${call.state}: people can join once it is established.`, 409);
  const ring = engine.ringing.find(call.id, user.id);
  if (ring) {
    ring.settle('answered');
    return engine.personIn(call.conversation, user.id)!;
  }
  if (engine.personIn(call.conversation, user.id)) throw new EmulatorError('emulator/already-in-call', `${user.displayName} is already in call ${call.id}.`, 409);
  const participant = engine.addPerson(call.conversation, user);
  engine.events.emit('person.joined', { callId: call.id, person: user.id, participantId: participant.id });
  engine.notifyRoster(call.conversation);
  return participant;
}

export function leavePerson(engine: CallsEngine, call: EmulatedCall, personId: string): void {
  if (call.kind === 'peerToPeer') {
    hangUpPerson(engine, call, personId);
    return;
  }
  leave(engine, call, activeParticipant(engine, call, personId));
}

export function selfMute(engine: CallsEngine, call: EmulatedCall, personId: string, muted: boolean): void {
  const participant = activeParticipant(engine, call, personId);
  if (participant.isMuted === muted) return;
  participant.isMuted = muted;
  engine.events.emit(muted ? 'person.muted' : 'person.unmuted', { callId: call.id, person: participant.personId });
  engine.notifyRoster(call.conversation);
}

/**
 * A person starts or stops sharing their screen (P2P calls too: application-post-calls Example 1 is a P2P call): the
 * call's contentSharingSession notifications, and in group calls and meetings a roster update (screen-sharing stream).
 */
export function setSharing(engine: CallsEngine, call: EmulatedCall, personId: string, sharing: boolean): void {
  if (!isConnected(call)) throw new EmulatorError('emulator/call-not-established', `Call ${call.id} is ${call.state}: people share once it is established.`, 409);
  const participant = activeParticipant(engine, call, personId);
  if (!engine.contentSharing.share(call.conversation, participant, sharing)) return;
  engine.events.emit(sharing ? 'person.sharing-started' : 'person.sharing-stopped', { callId: call.id, person: participant.personId });
  if (call.kind !== 'peerToPeer') engine.notifyRoster(call.conversation);
}

function leave(engine: CallsEngine, call: EmulatedCall, participant: Participant): void {
  call.conversation.participants.delete(participant.id);
  engine.events.emit('person.left', { callId: call.id, person: participant.personId, participantId: participant.id });
  engine.notifyRoster(call.conversation);
}

function speakingParticipant(engine: CallsEngine, call: EmulatedCall, personId: string | undefined): Participant {
  const participant = activeParticipant(engine, call, personId);
  if (participant.onHold) throw new EmulatorError('emulator/on-hold', `${participant.displayName} has the call on hold: POST .../resume first.`, 409);
  return participant;
}

/** The person (or, when none is named, the only person) in the call. */
function activeParticipant(engine: CallsEngine, call: EmulatedCall, personId: string | undefined): Participant {
  if (call.state === 'terminated') throw new EmulatorError('emulator/call-ended', `Call ${call.id} has already ended.`, 409);
  if (personId) {
    const user = engine.requirePerson(personId);
    const p = engine.personIn(call.conversation, user.id);
    if (!p) throw notInCall(call, user.displayName);
    return p;
  }
  const people = engine.people(call.conversation);
  if (people.length === 1) return people[0]!;
  throw new EmulatorError('emulator/person-required', people.length === 0 ? `Nobody is in call ${call.id} yet.` : `Call ${call.id} has ${people.length} people: name one with "person".`, people.length === 0 ? 409 : 400);
}

function notRinging(call: EmulatedCall, user: EmulatedUser): EmulatorError {
  return new EmulatorError('emulator/not-ringing', `${user.displayName} is not being rung for call ${call.id}: GET /emulator/calls/${call.id} shows who is.`, 409);
}

function notInCall(call: EmulatedCall, who: string): EmulatorError {
  return new EmulatorError('emulator/person-not-in-call', `${who} is not in call ${call.id}.`, 409);
}
