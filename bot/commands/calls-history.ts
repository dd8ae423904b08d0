// "calls": the asker's own recent calls from call records — who or what each was, when, how long, missed or not, and
// how their audio was. "calls all" lists everyone's, for the people named in HISTORY_ADMINS only.
import { lookupUser } from '../../comms/people/index.js';
import { adminsNeedUpn, isHistoryAdmin, personalCall, tookPart, type CallRecordSummary, type PersonalCall } from '../../comms/records/index.js';
import { formatWhen, viewerClock, type ViewerClock } from '../cards/viewer-clock.js';
import { formatDuration } from '../cards/call-card.js';
import type { BotServices, Command } from './command.js';
import { sendText } from './reply.js';

const SHOWN = 10;
/** How many of the newest records are looked through for the asker's own. */
const SCAN = 500;

export function callsHistoryCommand(): Command {
  return {
    name: 'calls',
    aliases: ['history'],
    usage: 'calls  ·  calls all (HISTORY_ADMINS only)',
    summary: 'Your recent calls and meetings from call records: who, when, how long, missed or not, and your audio quality.',
    async run({ context, args, services }) {
      if (!services.records) {
        await context.sendActivity('Call records are not available.');
        return;
      }
      const userId = context.activity.from?.aadObjectId;
      if (!userId) {
        await context.sendActivity('I could not tell who you are (Teams sent no user id), so I cannot show your calls.');
        return;
      }
      const everyone = /^all$/i.test(args.trim());
      if (everyone && !(await mayListAll(services, userId))) {
        await context.sendActivity('Only the people named in HISTORY_ADMINS can list everyone\'s calls. **calls** shows yours.');
        return;
      }
      const summaries = (await services.records.listSummaries({ limit: everyone ? SHOWN : SCAN }))
        .filter((s) => everyone || tookPart(s, userId))
        .slice(0, SHOWN);
      if (summaries.length === 0) {
        await context.sendActivity(everyone
          ? 'No call records yet. Graph publishes a record a little after each call or meeting ends.'
          : 'No calls of yours yet: calls you make, take or join show here. Graph publishes a record a little after each call or meeting ends.');
        return;
      }
      const clock = viewerClock(context.activity, services.timeZone);
      const purposes = await purposesByChain(services, summaries);
      const subjects = summaries.some((s) => s.joinWebUrl) ? await meetingSubjects(services) : new Map<string, string>();
      const lines = summaries.map((s) => {
        const subject = s.joinWebUrl ? subjects.get(s.joinWebUrl) : undefined;
        const purpose = purposes.get(s.id.toLowerCase());
        return line(personalCall(s, userId, { ...(purpose ? { purpose } : {}), ...(subject ? { meetingSubject: subject } : {}) }), clock);
      });
      await sendText(context, `${everyone ? 'Everyone\'s recent calls' : 'Your recent calls'}:\n\n${lines.join('\n\n')}`);
    },
  };
}

function line(call: PersonalCall, clock: ViewerClock): string {
  const when = call.start ? formatWhen(call.start, clock) : 'unknown time';
  const length = call.durationSeconds === undefined ? undefined : formatDuration(call.durationSeconds * 1000);
  let how: string;
  if (call.outcome === 'missed') how = `✗ missed${length ? ` (rang ${length})` : ''}`;
  else if (call.outcome === 'not-answered') how = `✗ not answered${length ? ` (rang ${length})` : ''}`;
  else how = [length, audio(call)].filter(Boolean).join(' · ');
  return `**${when}** · ${call.title}${how ? ` · ${how}` : ''}`;
}

function audio(call: PersonalCall): string | undefined {
  if (call.quality === 'unknown') return undefined;
  if (call.quality === 'good') return 'good audio';
  const a = call.audio;
  const figures = a ? [a.jitterMs !== undefined ? `jitter ${a.jitterMs} ms` : '', a.packetLossPercent !== undefined ? `packet loss ${a.packetLossPercent} %` : '', a.roundTripMs !== undefined ? `round trip ${a.roundTripMs} ms` : ''].filter(Boolean) : [];
  return `⚠ poor audio${figures.length ? ` (${figures.join(', ')})` : ''}`;
}

async function mayListAll(services: BotServices, userId: string): Promise<boolean> {
  const admins = services.historyAdmins ?? [];
  if (admins.length === 0) return false;
  let upn: string | undefined;
  if (adminsNeedUpn(admins) && !isHistoryAdmin(admins, { userId })) upn = (await lookupUser(services.graph, userId).catch(() => undefined))?.userPrincipalName;
  return isHistoryAdmin(admins, { userId, upn });
}

/** What the app placed or answered each call for (front desk, reminder…), by the record's id (the call's chain id). */
async function purposesByChain(services: BotServices, summaries: CallRecordSummary[]): Promise<Map<string, string>> {
  const wanted = new Set(summaries.map((s) => s.id.toLowerCase()));
  const out = new Map<string, string>();
  for (const call of await services.calls.listCalls().catch(() => [])) {
    const chain = call.callChainId?.toLowerCase();
    if (chain && call.purpose && wanted.has(chain) && !out.has(chain)) out.set(chain, call.purpose);
  }
  return out;
}

/** The subjects of the meetings the bot knows, by join link. */
async function meetingSubjects(services: BotServices): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const record of (await services.meetings?.list().catch(() => [])) ?? []) if (record.joinWebUrl && record.subject) out.set(record.joinWebUrl, record.subject);
  return out;
}
