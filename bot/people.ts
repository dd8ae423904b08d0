// Who the chat means: people named by @mention, UPN or display name, resolved against the tenant's directory.
// Several matches for a name → the caller shows a choice card; none → it says so.
import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { GraphClient } from '../comms/graph/index.js';
import { lookupUser, searchUsers, type DirectoryUser } from '../comms/people/index.js';

export type PersonLookup =
  | { kind: 'found'; user: DirectoryUser }
  | { kind: 'ambiguous'; name: string; matches: DirectoryUser[] }
  | { kind: 'unknown'; name: string };

/** Splits "Ana, Ben and cy@x.test" into names; mentions come from the activity itself. */
export function splitNames(text: string): string[] {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .split(/,|\band\b|;/i)
    .map((s) => s.trim())
    .filter(Boolean);
}

export async function resolvePeople(context: TurnContext, graph: GraphClient, text: string): Promise<PersonLookup[]> {
  const results: PersonLookup[] = [];
  const botId = context.activity.recipient?.id;
  for (const entity of context.activity.entities ?? []) {
    if (entity.type !== 'mention') continue;
    const mentioned = entity.mentioned as { id?: string; name?: string } | undefined;
    if (!mentioned?.id || mentioned.id === botId) continue;
    results.push(await fromMention(context, graph, mentioned.id, mentioned.name ?? 'them'));
  }
  for (const name of splitNames(text)) results.push(await fromName(graph, name));
  return results;
}

async function fromMention(context: TurnContext, graph: GraphClient, memberId: string, name: string): Promise<PersonLookup> {
  try {
    const member = await TeamsInfo.getMember(context, memberId);
    const user = member.aadObjectId ? await lookupUser(graph, member.aadObjectId) : undefined;
    return user ? { kind: 'found', user } : { kind: 'unknown', name };
  } catch {
    return { kind: 'unknown', name };
  }
}

export async function fromName(graph: GraphClient, name: string): Promise<PersonLookup> {
  const clean = name.replace(/^@/, '').trim();
  if (clean.includes('@') || /^[0-9a-f-]{36}$/i.test(clean)) {
    const user = await lookupUser(graph, clean);
    return user ? { kind: 'found', user } : { kind: 'unknown', name: clean };
  }
  const matches = await searchUsers(graph, clean);
  const exact = matches.filter((u) => u.displayName.toLowerCase() === clean.toLowerCase());
  if (exact.length === 1) return { kind: 'found', user: exact[0]! };
  // One match counts only for a whole name ("Jonas", "Jonas Lindqvist"); "call a" asks before it rings Amara.
  if (matches.length === 1 && namesWholeWords(matches[0]!.displayName, clean)) return { kind: 'found', user: matches[0]! };
  if (matches.length === 0) return { kind: 'unknown', name: clean };
  return { kind: 'ambiguous', name: clean, matches };
}

/** True when `typed` is the start of `displayName` ending on a word boundary ("Jonas", not "Jon"). */
function namesWholeWords(displayName: string, typed: string): boolean {
  const name = displayName.toLowerCase();
  const start = typed.toLowerCase().replace(/\s+/g, ' ');
  return name.startsWith(start) && (name.length === start.length || name[start.length] === ' ');
}
