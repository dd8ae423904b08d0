// Looking people up in the tenant's directory (Graph users), by UPN, user id or the start of a name.
import { GraphError, type GraphClient } from '../graph/index.js';

export interface DirectoryUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail?: string | null;
}

const SELECT = 'id,displayName,userPrincipalName,mail';

/** User.Read.All · user-get. Undefined when there is no such user. */
export async function lookupUser(graph: GraphClient, upnOrId: string): Promise<DirectoryUser | undefined> {
  try {
    return await graph.get<DirectoryUser>(`/users/${encodeURIComponent(upnOrId)}`, { query: { $select: SELECT } });
  } catch (err) {
    if (err instanceof GraphError && err.code === 'graph/not-found') return undefined;
    throw err;
  }
}

/** User.Read.All · user-list with $filter=startswith(displayName,…) — first name or full name, at most `top`. */
export async function searchUsers(graph: GraphClient, name: string, top = 10): Promise<DirectoryUser[]> {
  const escaped = name.replace(/'/g, "''").slice(0, 100);
  const found = await graph.get<{ value: DirectoryUser[] }>('/users', { query: { $filter: `startswith(displayName,'${escaped}')`, $select: SELECT, $top: top } });
  return found.value;
}
