// Shared by the cluster tests: polling with a cluster's patience, JSON calls to a local cluster's emulator (trusting
// its certificate) and its request log, chat through the front, a meeting with the bot in it, side-panel tokens.
import { Agent, request } from 'undici';
import type { LocalCluster } from '../../server/cluster/local-cluster.js';
import type { FakeConnector } from '../support/fake-connector.js';
import { eventually as poll } from '../support/local-switchboard.js';

/** Polls like the other suites, with room for a cluster's slower moments (a lease running out, a process start). */
export function eventually<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  return poll(probe, what, timeoutMs);
}

export interface ClusterEmulator {
  json(method: string, path: string, body?: unknown): Promise<any>;
  /** Requests the emulator received whose path contains `pathPart`. */
  requests(pathPart: string, method?: string): Promise<Array<{ method: string; path: string; time: string }>>;
  close(): Promise<void>;
}

export function clusterEmulator(cluster: LocalCluster): ClusterEmulator {
  const agent = new Agent({ connect: { ca: cluster.emulator.caCertPem } });
  const json = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await request(cluster.emulator.url + path, {
      method: method as 'GET',
      dispatcher: agent,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    json,
    async requests(pathPart, method = 'POST') {
      const log = (await json('GET', '/emulator/requests?limit=5000')).value as Array<{ method: string; path: string; time: string }>;
      return log.filter((r) => r.method === method && r.path.includes(pathPart));
    },
    close: () => agent.close(),
  };
}

/** Chat with the bot through the cluster's front, as one personal chat; resolves with the bot's replies. */
export function clusterChat(cluster: LocalCluster, connector: FakeConnector, conversationId = 'cluster-chat'): { say(text: string, aadObjectId: string): Promise<any[]> } {
  let seq = 0;
  return {
    async say(text, aadObjectId) {
      const before = connector.sent.length;
      const activity = {
        type: 'message',
        id: `m-${conversationId}-${++seq}`,
        text,
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        from: { id: `user-${aadObjectId}`, name: 'Mateo Alvarez', aadObjectId },
        recipient: { id: 'bot', name: 'Switchboard' },
        conversation: { id: conversationId, conversationType: 'personal', tenantId: cluster.emulator.tenantId },
      };
      const res = await request(`${cluster.front.url}/api/messages`, { method: 'POST', body: JSON.stringify(activity), headers: { 'content-type': 'application/json' } });
      await res.body.text();
      if (res.statusCode >= 300) throw new Error(`"${text}": status ${res.statusCode}`);
      await eventually(() => connector.sent.length > before, `a reply to "${text}"`);
      return connector.sent.slice(before).map((s) => s.activity);
    },
  };
}

/** Creates a meeting through chat (Mateo organizes it) and has the bot join it; resolves with its thread id. */
export async function meetingWithBot(chat: ReturnType<typeof clusterChat>, emu: ClusterEmulator, organizerId: string, subject: string): Promise<string> {
  const created = await chat.say(`meeting ${subject} with Priya Raman, Jonas Lindqvist`, organizerId);
  const link = /https:\/\/teams\.microsoft\.com\/l\/meetup-join\/[^"\s\\]+/.exec(JSON.stringify(created))?.[0];
  if (!link) throw new Error(`no join link in ${JSON.stringify(created).slice(0, 400)}`);
  await chat.say(`join ${link}`, organizerId);
  const meeting = await eventually(async () => {
    const all = (await emu.json('GET', '/emulator/meetings')).value as Array<{ threadId?: string; subject?: string; botCallIds?: string[] }>;
    return all.find((m) => m.threadId && m.subject === subject && (m.botCallIds?.length ?? 0) > 0);
  }, `the bot in "${subject}"`);
  return meeting.threadId!;
}

/** A side-panel token for `upn` from an instance (local mode's dev token route). */
export async function tabToken(base: string, upn: string): Promise<string> {
  const res = await request(`${base}/api/tab/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: upn }) });
  const body = (await res.body.json()) as { accessToken: string };
  if (res.statusCode !== 200) throw new Error(`dev token: ${res.statusCode}`);
  return body.accessToken;
}
