// The event comms/reminders publishes on the bus: a reminder changed (its status, attempts, outcome).
import type { Reminder } from './reminder.js';

export const REMINDER_EVENTS = { updated: 'reminder.updated' } as const;

export type ReminderUpdatedEvent = { type: 'reminder.updated'; reminder: Reminder };

export type ReminderEvent = ReminderUpdatedEvent;
