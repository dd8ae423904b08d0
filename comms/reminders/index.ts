// comms/reminders: scheduled reminder calls that speak a message and take a confirmation.
export { ReminderService, ReminderError, REMINDER_EVENTS, REMINDERS_COLLECTION, MAX_REMINDER_MESSAGE, SNOOZE_MS, type ReminderServiceOptions, type ReminderErrorCode } from './reminder-service.js';
export { type Reminder, type ReminderPerson, type ReminderStatus, FINAL_STATUSES } from './reminder.js';
