// Where the chat's meeting card sends people to see a meeting's side panel. Local mode: the panel in a browser, the
// meeting named by its chat thread (from the join link). In Teams the panel opens inside the meeting, so there is no
// link to give (undefined).
import { parseJoinLink } from '../../comms/meetings/index.js';

export function sidePanelLink(mode: 'local' | 'cloud', publicBaseUrl: string, joinWebUrl: string): string | undefined {
  if (mode !== 'local') return undefined;
  try {
    const link = parseJoinLink(joinWebUrl);
    if (link.kind !== 'meetup-join') return undefined;
    return `${publicBaseUrl}/tab/side-panel?meeting=${encodeURIComponent(link.threadId)}`;
  } catch {
    return undefined;
  }
}
