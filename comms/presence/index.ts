// comms/presence: presence reads, one user or many (batched ≤ 650 per request), and live presence through delegated
// subscriptions with encrypted resource data.
export {
  getPresence,
  getPresences,
  unknownPresence,
  PRESENCE_UNKNOWN,
  MAX_PRESENCE_IDS_PER_REQUEST,
  MAX_PRESENCE_IDS,
  AVAILABILITY_VALUES,
  ACTIVITY_VALUES,
  type Presence,
} from './presence.js';
export { PresenceError, type PresenceErrorCode } from './presence-error.js';
export { PresenceSubscriptions, PRESENCE_SCOPE, PRESENCE_SUBSCRIPTION_MINUTES, MAX_PRESENCE_SUBSCRIPTION_IDS, type PresenceSubscriptionsOptions, type StoredPresenceSubscription, type ReceiveOutcome } from './presence-subscriptions.js';
export { createValidationTokenVerifier, decryptResource, openRichBatch, CHANGE_TRACKING_APP_ID, type OpenedBatch, type RichNotificationItem, type NotificationKeyring, type ValidationTokenVerifier, type ValidationTokenOptions, type RefusalReason } from './rich-notifications.js';
export { CertificateKeyring, loadOrCreateNotificationCertificate, notificationCertificateFromPem, type NotificationCertificate } from './notification-certificate.js';
export { PRESENCE_EVENTS, type PresenceEvent, type PresenceChangedEvent } from './presence-events.js';
