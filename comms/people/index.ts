// comms/people: who is who in the tenant (directory look-ups).
export { lookupUser, searchUsers, type DirectoryUser } from './directory.js';
