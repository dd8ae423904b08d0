// Looking people up in the tenant's directory (Graph users), by UPN or user id.
import { GraphError, type GraphClient } from '../graph/index.js';

export interface DirectoryUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail?: string | null;
}

/** User.Read.All · user-get. Undefined when there is no such user. */
export async function lookupUser(graph: GraphClient, upnOrId: string): Promise<DirectoryUser | undefined> {
  try {
    return await graph.get<DirectoryUser>(`/users/${encodeURIComponent(upnOrId)}`, { query: { $select: 'id,displayName,userPrincipalName,mail' } });
  } catch (err) {
    if (err instanceof GraphError && err.code === 'graph/not-found') return undefined;
    throw err;
  }
}
