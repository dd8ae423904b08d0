// The ids Teams uses in Bot Framework activities: users are "29:1…" (opaque, stable per Entra object id here), the bot
// is "28:{appId}", personal chats are "a:1…"; activity ids are millisecond timestamps, as Teams' message ids are.

import { createHash } from 'node:crypto';

const MAX_REMEMBERED = 50_000;
const aadByTeamsId = new Map<string, string>();

export function teamsUserId(aadObjectId: string): string {
  const id = `29:1${createHash('sha256').update(`teams-user\u0000${aadObjectId.toLowerCase()}`).digest('base64url').slice(0, 42)}`;
  if (!aadByTeamsId.has(id)) {
    if (aadByTeamsId.size >= MAX_REMEMBERED) aadByTeamsId.delete(aadByTeamsId.keys().next().value!);
    aadByTeamsId.set(id, aadObjectId);
  }
  return id;
}

/** The Entra object id behind a "29:" id this emulator handed out (or the id itself when it is not one). */
export function aadObjectIdOf(id: string): string | undefined {
  return id.startsWith('29:') ? aadByTeamsId.get(id) : id;
}

export function botAccountId(appId: string): string {
  return `28:${appId}`;
}

export function personalConversationId(aadObjectId: string, appId: string): string {
  return `a:1${createHash('sha256').update(`personal-chat\u0000${aadObjectId.toLowerCase()}\u0000${appId.toLowerCase()}`).digest('base64url').slice(0, 60)}`;
}

/** Unique, increasing activity ids that look like Teams' (epoch milliseconds). */
export class ActivityIds {
  private last = 0;

  next(): string {
    this.last = Math.max(this.last + 1, Date.now());
    return String(this.last);
  }
}
