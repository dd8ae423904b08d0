// A change-notification subscription as the emulator keeps it (the subscription resource plus what the emulator
// tracks: its state, whether it awaits reauthorization, and the outcome of every delivery).

export type SubscriptionKind = 'callRecords' | 'presence' | 'meetingCallEvents';
export type SubscriptionState = 'active' | 'expired' | 'deleted' | 'removed';

export interface DeliveryRecord {
  seq: number;
  time: string;
  kind: 'change' | 'lifecycle';
  changeType?: string;
  lifecycleEvent?: string;
  resource?: string;
  /** The URL without its query. */
  url: string;
  status: 'queued' | 'delivered' | 'retrying' | 'refused' | 'failed' | 'lost';
  attempts: number;
  httpStatus?: number;
  error?: string;
  deliveredAt?: string;
}

export interface SubscriptionRecord {
  id: string;
  appId: string;
  creatorId: string;
  tenantId: string;
  kind: SubscriptionKind;
  /** The resource as the app gave it. */
  resource: string;
  /** presence: the user ids it covers (lower case). */
  presenceIds?: string[];
  /** meetingCallEvents: the meeting's chat thread id, and the call (callChainId) the subscription follows once one starts after it. */
  meetingThreadId?: string;
  followedCallChainId?: string;
  changeType: string;
  changeTypes: string[];
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  clientState?: string;
  expirationDateTime: string;
  latestSupportedTlsVersion: string;
  /** Rich notifications: the resource travels encrypted with this certificate (base64 DER) in each item. */
  includeResourceData?: boolean;
  encryptionCertificate?: string;
  encryptionCertificateId?: string;
  state: SubscriptionState;
  /** A reauthorizationRequired lifecycle event was sent and not yet answered: change notifications are lost meanwhile. */
  awaitingReauthorization: boolean;
  createdAt: string;
  endedAt?: string;
  deliveries: DeliveryRecord[];
}
