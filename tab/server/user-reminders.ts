// The reminders the personal tab shows: calls scheduled for the user (they are the person called) and those they
// scheduled themselves (asked for in their personal chat with the bot: the chat's stored conversation reference
// names them by object id). Upcoming first, then the most recent finished ones.
import { FINAL_STATUSES, type Reminder, type ReminderService } from '../../comms/reminders/index.js';
import type { Store } from '../../comms/store/index.js';
import { personalChatOwner } from '../../comms/people/index.js';

export interface ReminderItem {
  id: string;
  message: string;
  dueAt: string;
  status: Reminder['status'];
  pending: boolean;
  person: { displayName?: string; isYou: boolean };
  scheduledByYou: boolean;
  attempts: number;
  outcome?: string;
}

const MAX_ITEMS = 100;

function same(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

export async function remindersForUser(reminders: ReminderService, store: Store, userId: string): Promise<ReminderItem[]> {
  const asker = new Map<string, boolean>();
  const askedByUser = async (key: string | undefined): Promise<boolean> => {
    if (!key) return false;
    if (!asker.has(key)) {
      asker.set(key, same(await personalChatOwner(store, key), userId));
    }
    return asker.get(key)!;
  };
  const items: ReminderItem[] = [];
  for (const r of await reminders.list()) {
    const forYou = same(r.person.userId, userId);
    const byYou = await askedByUser(r.requestedBy);
    if (!forYou && !byYou) continue;
    items.push({
      id: r.id,
      message: r.message,
      dueAt: r.dueAt,
      status: r.status,
      pending: !FINAL_STATUSES.has(r.status),
      person: { ...(r.person.displayName ? { displayName: r.person.displayName } : {}), isYou: forYou },
      scheduledByYou: byYou,
      attempts: r.attempts,
      ...(r.outcome ? { outcome: r.outcome } : {}),
    });
  }
  const pending = items.filter((i) => i.pending).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const done = items.filter((i) => !i.pending).sort((a, b) => b.dueAt.localeCompare(a.dueAt));
  return [...pending, ...done].slice(0, MAX_ITEMS);
}
