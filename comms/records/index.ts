// comms/records: call history — the callRecords change-notification subscription (create, renew, reauthorize,
// recreate), the webhook intake (validation handshake, clientState check, idempotent queue), record fetch and summary,
// and one person's view of their calls (call-history.ts).
export { CallRecordsService, CALL_RECORDS_COLLECTION, RECORD_INBOX_COLLECTION, RECORD_RETENTION_MS, type CallRecordsServiceOptions, type IntakeResult } from './call-records-service.js';
export {
  CallRecordSubscriptions,
  SUBSCRIPTIONS_COLLECTION,
  CALL_RECORDS_RESOURCE,
  MAX_CALL_RECORD_SUBSCRIPTION_MINUTES,
  DEFAULT_SUBSCRIPTION_MINUTES,
  MIN_SUBSCRIPTION_MINUTES,
  RENEW_AT_FRACTION,
  DEFAULT_SUBSCRIPTION_VERIFY_MS,
  type CallRecordSubscriptionsOptions,
  type StoredSubscription,
} from './subscription-manager.js';
export { validationResponse, parseChangeNotifications, clientStateMatches, MAX_VALIDATION_TOKEN_LENGTH, type ChangeNotificationItem, type LifecycleEvent } from './change-notifications.js';
export { fetchCallRecord, listCallRecordIds, graphPathOfLink, type CallRecordData, type SessionData } from './call-record-fetch.js';
export { summarizeCallRecord, personFromIdentitySet, POOR_STREAM_THRESHOLDS, type CallRecordSummary, type ParticipantQuality, type RecordPerson, type StreamQuality } from './call-record-summary.js';
export { parseIsoDuration } from './iso-duration.js';
export { RecordsError, type RecordsErrorCode } from './records-error.js';
export { RECORD_EVENTS, type RecordEvent, type RecordReadyEvent } from './records-events.js';
export { personalCall, tookPart, isHistoryAdmin, adminsNeedUpn, nameOf, type PersonalCall, type CallContext, type CallOutcome, type CallKind } from './call-history.js';
