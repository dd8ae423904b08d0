// comms/presence: presence reads, one user or many (batched ≤ 650 per request).
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
