// The chats Switchboard can write to later (proactive messages): stored by the bot under the chat's conversation id,
// read by anyone who needs to know whose chat it is (the personal tab: "reminders you asked for").
import type { Store } from '../store/index.js';

export const CONVERSATIONS_COLLECTION = 'conversations';

interface StoredReference {
  user?: { aadObjectId?: string };
  conversation?: { conversationType?: string };
}

/** The object id of the person whose personal chat this is; undefined for group chats, channels and unknown keys. */
export async function personalChatOwner(store: Store, conversationKey: string): Promise<string | undefined> {
  const ref = await store.get<StoredReference>(CONVERSATIONS_COLLECTION, conversationKey);
  return ref?.conversation?.conversationType === 'personal' ? ref.user?.aadObjectId : undefined;
}
