// What the side panel's controls do, on top of comms/: bring the bot in (with whatever the app knows of the meeting:
// its online meeting, its chat thread, or a join link) or take it out, mute one person or everyone (Graph cannot unmute
// others), invite people by UPN, and speak an announcement into the meeting. Each goes to the same comms/ functions the
// chat commands use, and follows comms/meetings' rules (how to join, whether the bot is in, who may be muted).
import type { CallService } from '../../comms/calls/index.js';
import type { GraphClient } from '../../comms/graph/index.js';
import { botCallIn, joinInputFor, whyNotMutable, type JoinResult, type MeetingRecord, type MeetingService, type MuteAllResult } from '../../comms/meetings/index.js';
import { lookupUser } from '../../comms/people/index.js';
import type { PromptService } from '../../comms/speech/index.js';
import type { MeetingFacts } from './meeting-facts.js';
import { TabError } from './tab-error.js';
import type { TabUser } from './user-token.js';

export interface MeetingControlsDeps {
  meetings: MeetingService;
  calls: CallService;
  prompts: PromptService;
  graph: GraphClient;
  logger: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
}

export interface InviteResult {
  invited: Array<{ upn: string; displayName: string }>;
  unknown: string[];
}

function notJoined(): TabError {
  return new TabError('meetings/not-joined', 'The bot is not in this meeting: bring it in with Join first.', 409);
}

/** The bot's live call in the meeting, or a 409. */
function liveCall(record: MeetingRecord | undefined): string {
  const callId = botCallIn(record);
  if (!callId) throw notJoined();
  return callId;
}

export class MeetingControls {
  constructor(private readonly deps: MeetingControlsDeps) {}

  /** Calls.JoinGroupCall.All · application-post-calls (through MeetingService.join). */
  async join(facts: MeetingFacts): Promise<JoinResult> {
    // How to join is comms/meetings' rule: from the bot's record, else a link from the online meeting or the chat.
    const input = joinInputFor({ ...(facts.record ? { record: facts.record } : {}), joinLinks: [facts.online?.joinWebUrl, facts.chat?.joinUrl] });
    if (!input) throw new TabError('tab/cannot-join', 'Switchboard does not know how to reach this meeting yet: use "join <meeting link>" in a chat with the bot.');
    return this.deps.meetings.join(input);
  }

  /** call-delete on the bot's own leg. */
  async leave(facts: MeetingFacts): Promise<MeetingRecord> {
    liveCall(facts.record);
    return this.deps.meetings.leave(facts.meetingKey);
  }

  /** participant-mute: someone in the call's roster (not the bot, not someone only known from meeting events). */
  async mute(facts: MeetingFacts, participantId: string): Promise<void> {
    liveCall(facts.record);
    const entry = facts.roster?.entries.find((e) => e.id === participantId);
    if (!entry) throw new TabError('tab/not-found', 'That person is not in the meeting any more.');
    const notMutable = whyNotMutable(entry);
    if (notMutable === 'bot') throw new TabError('tab/invalid-request', 'The bot cannot be muted from here.');
    if (notMutable === 'not-in-call-roster') throw new TabError('tab/invalid-request', `${entry.displayName} has not joined the meeting's audio yet.`);
    await this.deps.meetings.mute(facts.meetingKey, participantId);
  }

  /** participant-mute for everyone but the bots and the person asking, paced; one result per person. */
  async muteAll(facts: MeetingFacts, user: TabUser): Promise<MuteAllResult[]> {
    liveCall(facts.record);
    return this.deps.meetings.muteAll(facts.meetingKey, { except: [user.userId] });
  }

  /**
   * User.Read.All · user-get for each UPN, then participant-invite (Calls.InitiateGroupCall.All). The invitations ring
   * for up to a minute, so this answers once they are sent; people appear in the roster when they pick up.
   */
  async invite(facts: MeetingFacts, upns: string[]): Promise<InviteResult> {
    liveCall(facts.record);
    const result: InviteResult = { invited: [], unknown: [] };
    const targets: Array<{ kind: 'user'; id: string; displayName: string }> = [];
    for (const upn of [...new Set(upns.map((u) => u.trim().toLowerCase()))]) {
      const user = await lookupUser(this.deps.graph, upn);
      if (!user) {
        result.unknown.push(upn);
        continue;
      }
      targets.push({ kind: 'user', id: user.id, displayName: user.displayName ?? upn });
      result.invited.push({ upn, displayName: user.displayName ?? upn });
    }
    if (targets.length > 0) {
      const key = facts.meetingKey;
      this.deps.meetings.invite(key, targets).then(
        () => this.deps.logger.info({ meetingKey: key, count: targets.length }, 'tab: invitations completed'),
        (err: { code?: string }) => this.deps.logger.warn({ meetingKey: key, code: err.code }, 'tab: an invitation failed'),
      );
    }
    return result;
  }

  /** call-playprompt with the text spoken by comms/speech; resolves when it has played. */
  async announce(facts: MeetingFacts, text: string): Promise<{ fallback: boolean }> {
    const callId = liveCall(facts.record);
    const prompt = await this.deps.prompts.speak(text);
    await this.deps.calls.playPrompt(callId, [{ uri: prompt.uri, resourceId: prompt.resourceId }], { clientContext: 'tab:announcement' });
    return { fallback: prompt.fallback };
  }
}
