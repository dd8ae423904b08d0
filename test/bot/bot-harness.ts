// A TeamsBot with every chat command, on stub services: an in-memory store, a directory of a few people answered
// by a stand-in Graph, and nothing else — enough for replies that do not place calls.
import { TestAdapter, type Activity } from 'botbuilder';
import type { LiveCards } from '../../bot/call-cards.js';
import { callCommand } from '../../bot/commands/call.js';
import { callsHistoryCommand } from '../../bot/commands/calls-history.js';
import type { BotServices, Command } from '../../bot/commands/command.js';
import { frontDeskCommand } from '../../bot/commands/front-desk.js';
import { hangUpCommand } from '../../bot/commands/hang-up.js';
import { inviteCommand, joinCommand, leaveCommand, meetingCommand, muteCommand, rosterCommand } from '../../bot/commands/meeting-commands.js';
import { presenceCommand } from '../../bot/commands/presence.js';
import { remindCommand } from '../../bot/commands/remind.js';
import { remindersCommand } from '../../bot/commands/reminders.js';
import { statusCommand } from '../../bot/commands/status.js';
import { TeamsBot } from '../../bot/teams-bot.js';
import { GraphError } from '../../comms/graph/index.js';
import { openSqliteStore, type Store } from '../../comms/store/index.js';

export interface Person {
  id: string;
  displayName: string;
  userPrincipalName: string;
}

export const PEOPLE: Person[] = [
  { id: 'bff4498d-477a-4f74-90d4-d940c6663180', displayName: 'Amara Okafor', userPrincipalName: 'amara.okafor@switchboard.test' },
  { id: 'b6b18e27-b13c-4356-8d3b-e1b8e4ff07c2', displayName: 'Jonas Lindqvist', userPrincipalName: 'jonas.lindqvist@switchboard.test' },
  { id: '1040f954-ed84-4781-8ae8-c5be0cff9a25', displayName: 'Priya Raman', userPrincipalName: 'priya.raman@switchboard.test' },
];

/** A Graph stand-in: GET /users/{id or upn} and GET /users?$filter=startswith(displayName,'…'). */
export function stubGraph(people: Person[] = PEOPLE): BotServices['graph'] {
  return {
    async get(path: string, options?: { query?: Record<string, unknown> }) {
      const one = /^\/users\/(.+)$/.exec(path);
      if (one) {
        const key = decodeURIComponent(one[1]!).toLowerCase();
        const found = people.find((p) => p.id.toLowerCase() === key || p.userPrincipalName.toLowerCase() === key);
        if (!found) throw new GraphError('graph/not-found', 'no such user', { status: 404 });
        return found;
      }
      if (path === '/users') {
        const prefix = /startswith\(displayName,'(.*)'\)/.exec(String(options?.query?.$filter ?? ''))?.[1]?.toLowerCase() ?? '';
        return { value: people.filter((p) => p.displayName.toLowerCase().startsWith(prefix)) };
      }
      throw new GraphError('graph/not-found', `not stubbed: ${path}`, { status: 404 });
    },
  } as unknown as BotServices['graph'];
}

export interface Harness {
  bot: TeamsBot;
  store: Store;
  services: BotServices;
  adapter(): TestAdapter;
  close(): void;
}

export function botHarness(overrides: Partial<BotServices> = {}): Harness {
  const store = openSqliteStore(':memory:');
  const cards = { linkCall: async () => undefined, linkReminder: async () => undefined } as unknown as LiveCards;
  const services = {
    graph: stubGraph(),
    calls: { listCalls: async () => [], getCall: async () => undefined },
    reminders: { list: async () => [] },
    frontDesk: { rules: undefined, path: undefined, handledSince: async () => [] },
    meetings: { getRecord: async () => undefined, roster: async () => ({ entries: [] }), create: async () => { throw new Error('not stubbed'); } },
    records: undefined,
    store,
    bus: { subscribe: () => () => undefined, publish: () => undefined },
    conversations: { remember: async (context: { activity: Partial<Activity> }) => context.activity.conversation?.id },
    tenantId: '6e1f2a0c-4b7d-4f0e-9c3a-2d5b8e7f1a90',
    enforceTenant: false,
    timeZone: 'UTC',
    now: () => new Date('2026-12-01T10:00:00Z'),
    ...overrides,
  } as unknown as BotServices;
  const commands: Command[] = [
    callCommand(cards), hangUpCommand(), remindCommand(cards), remindersCommand(), frontDeskCommand(), statusCommand(), joinCommand(), leaveCommand(),
    rosterCommand(), muteCommand(), inviteCommand(), meetingCommand(() => 'http://127.0.0.1:3978/tab/side-panel?meeting=x'), presenceCommand(), callsHistoryCommand(),
  ];
  const bot = new TeamsBot(services, commands);
  return { bot, store, services, adapter: () => new TestAdapter((context) => bot.run(context)), close: () => void store.close() };
}

/** Every activity the bot sends for one incoming activity. */
export async function repliesTo(harness: Harness, activity: Partial<Activity> | string): Promise<Partial<Activity>[]> {
  const adapter = harness.adapter();
  const replies: Partial<Activity>[] = [];
  const incoming = typeof activity === 'string' ? { type: 'message', text: activity } : activity;
  await adapter.processActivity({
    channelId: 'msteams',
    from: { id: 'user-1', name: 'Amara Okafor', aadObjectId: PEOPLE[0]!.id },
    recipient: { id: 'bot', name: 'Switchboard' },
    conversation: { id: 'chat-1', conversationType: 'personal' } as Activity['conversation'],
    ...incoming,
  } as Activity);
  while (adapter.activeQueue.length > 0) replies.push(adapter.activeQueue.shift()!);
  return replies.filter((r) => r.type === 'message');
}
