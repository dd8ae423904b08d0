// comms/reminders: scheduled reminder calls that speak a message and take a confirmation.
export { REMINDER_EVENTS, type ReminderEvent, type ReminderUpdatedEvent } from './reminder-events.js';
export { ReminderService, ReminderError, REMINDERS_COLLECTION, MAX_REMINDER_MESSAGE, SNOOZE_MS, type ReminderServiceOptions, type ReminderErrorCode } from './reminder-service.js';
export { type Reminder, type ReminderPerson, type ReminderStatus, FINAL_STATUSES } from './reminder.js';
