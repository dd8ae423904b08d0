// What a chat command is — a name, how to use it, what it does — and what it gets to work with.
import type { TurnContext } from 'botbuilder';
import type { CallService } from '../../comms/calls/index.js';
import type { GraphClient } from '../../comms/graph/index.js';
import type { FrontDesk } from '../../comms/ivr/index.js';
import type { MeetingService } from '../../comms/meetings/index.js';
import type { CallRecordsService } from '../../comms/records/index.js';
import type { ReminderService } from '../../comms/reminders/index.js';
import type { QueueService } from '../../comms/queues/index.js';
import type { EventBus, Store } from '../../comms/store/index.js';
import type { Conversations } from '../conversations.js';

export interface BotServices {
  graph: GraphClient;
  calls: CallService;
  reminders: ReminderService;
  frontDesk: FrontDesk;
  /** Call queues (absent in tests that do not need them). */
  queues?: QueueService;
  meetings?: MeetingService;
  records?: CallRecordsService;
  store: Store;
  bus: EventBus;
  conversations: Conversations;
  /** The app's tenant: calling and reminders are only for people in it. */
  tenantId: string;
  /** Refuse requests from other tenants (cloud); local tools send made-up tenants. */
  enforceTenant: boolean;
  timeZone: string;
  now: () => Date;
  /** Who may list everyone's calls (`calls all`): object ids or UPNs (HISTORY_ADMINS). */
  historyAdmins?: readonly string[];
  /** The application instance (resource account with a phone number) calls to phone numbers go out through; absent: none configured. */
  pstn?: { applicationInstanceId: string };
  /** Local mode: a note for the ringing card when someone rung answers by hand in the emulator console. */
  ringHint?: (people: Array<{ id: string; displayName: string }>) => Promise<string | undefined>;
}

export interface CommandTurn {
  context: TurnContext;
  args: string;
  services: BotServices;
  /** Where results that arrive later are posted (undefined when the conversation cannot be messaged later). */
  conversationKey?: string;
}

export interface Command {
  name: string;
  /** Other words that run the same command. */
  aliases?: string[];
  usage: string;
  summary: string;
  example?: string;
  run(turn: CommandTurn): Promise<void>;
}
