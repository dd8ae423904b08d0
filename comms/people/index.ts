// comms/people: who is who in the tenant (directory look-ups), and whose chat a stored conversation is.
export { lookupUser, searchUsers, type DirectoryUser } from './directory.js';
export { CONVERSATIONS_COLLECTION, personalChatOwner } from './chat-references.js';
