// The personal tab's API: who am I, my recent calls (call-record summaries I took part in), one call with its
// audio quality over time, and my reminders. Authenticated like every tab route; a call the user was not in is
// simply not found.
import type { Request, Server } from 'restify';
import type { CallService } from '../../comms/calls/index.js';
import type { GraphClient } from '../../comms/graph/index.js';
import type { MeetingService } from '../../comms/meetings/index.js';
import { fetchCallRecord, type CallContext, type CallRecordSummary, type CallRecordsService } from '../../comms/records/index.js';
import type { ReminderService } from '../../comms/reminders/index.js';
import type { Store } from '../../comms/store/index.js';
import { apiHandler, authenticate, type ApiLogger } from './api-handler.js';
import { callDetail, callListItem, tookPart } from './call-history.js';
import { TAB_API } from './meeting-routes.js';
import { qualitySeries, type PersonSeries } from './quality-series.js';
import { remindersForUser } from './user-reminders.js';
import { TabError } from './tab-error.js';
import type { UserTokenValidator } from './user-token.js';

export interface HistoryRoutesDeps {
  validator: UserTokenValidator;
  records: CallRecordsService;
  reminders: ReminderService;
  store: Store;
  graph: GraphClient;
  /** What the app placed or answered each call for, and the meetings it knows: the calls' titles. */
  calls?: Pick<CallService, 'listCalls'>;
  meetings?: Pick<MeetingService, 'list'>;
  mode: 'local' | 'cloud';
  log: (req: Request) => ApiLogger;
}

const RECORD_ID = /^[A-Za-z0-9-]{1,64}$/;
const LIST_LIMIT = 50;
const SCAN_LIMIT = 1_000;

export function registerHistoryRoutes(server: Server, deps: HistoryRoutesDeps): void {
  const auth = authenticate(deps.validator);
  const route = (handler: Parameters<typeof apiHandler>[1]) => apiHandler(deps.log, handler);

  server.get(`${TAB_API}/me`, auth, route(async ({ user }) => ({
    body: { user: { id: user.userId, tenantId: user.tenantId, ...(user.name ? { displayName: user.name } : {}), ...(user.upn ? { upn: user.upn } : {}) }, mode: deps.mode },
  })));

  server.get(`${TAB_API}/calls`, auth, route(async ({ user }) => {
    const summaries = await deps.records.listSummaries({ limit: SCAN_LIMIT });
    const mine = summaries.filter((s) => tookPart(s, user.userId)).slice(0, LIST_LIMIT);
    const contextOf = await callContexts(deps, mine);
    return { body: { calls: mine.map((s) => callListItem(s, user.userId, contextOf(s))) } };
  }));

  server.get(`${TAB_API}/calls/:id`, auth, route(async ({ req, user }) => {
    const id = String(req.params.id);
    const summary = RECORD_ID.test(id) ? await deps.records.getSummary(id) : undefined;
    if (!summary || !tookPart(summary, user.userId)) throw new TabError('tab/not-found', 'There is no such call in your history.');
    let series: PersonSeries[] = [];
    let seriesError: string | undefined;
    try {
      // CallRecords.Read.All · callrecords-callrecord-get (sessions and segments: quality per segment).
      series = qualitySeries(await fetchCallRecord(deps.graph, id));
    } catch (err) {
      seriesError = (err as { code?: string }).code ?? 'unknown';
      deps.log(req).warn({ recordId: id, code: seriesError }, 'tab: the call record could not be read for its quality over time');
    }
    return { body: callDetail(summary, user.userId, series, seriesError, (await callContexts(deps, [summary]))(summary)) };
  }));

  /** Each record's purpose (by the call's chain id) and meeting subject (by join link), read once per request. */
  async function callContexts(d: HistoryRoutesDeps, summaries: CallRecordSummary[]): Promise<(s: CallRecordSummary) => CallContext> {
    const wanted = new Set(summaries.map((s) => s.id.toLowerCase()));
    const purposes = new Map<string, string>();
    for (const call of (await d.calls?.listCalls().catch(() => [])) ?? []) {
      const chain = call.callChainId?.toLowerCase();
      if (chain && call.purpose && wanted.has(chain) && !purposes.has(chain)) purposes.set(chain, call.purpose);
    }
    const subjects = new Map<string, string>();
    if (summaries.some((s) => s.joinWebUrl)) {
      for (const m of (await d.meetings?.list().catch(() => [])) ?? []) if (m.joinWebUrl && m.subject) subjects.set(m.joinWebUrl, m.subject);
    }
    return (s) => {
      const purpose = purposes.get(s.id.toLowerCase());
      const subject = s.joinWebUrl ? subjects.get(s.joinWebUrl) : undefined;
      return { ...(purpose ? { purpose } : {}), ...(subject ? { meetingSubject: subject } : {}) };
    };
  }

  server.get(`${TAB_API}/reminders`, auth, route(async ({ user }) => ({ body: { reminders: await remindersForUser(deps.reminders, deps.store, user.userId) } })));
}
