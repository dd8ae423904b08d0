// Metric labels that stay few: a Graph path becomes its operation ("POST /communications/calls/{id}/playPrompt"),
// an HTTP request its route template. Ids (call, user, meeting, subscription, operation ids, UPNs) never become labels.

/** At most this many distinct operation names are kept; any further one is counted as "other". */
export const MAX_OPERATIONS = 200;

// An id rather than a name: a digit, @ (a UPN), %, =, : or ' (a key), or longer than any Graph segment name.
const ID_LIKE = /[0-9@%=:'!$,;~]|^.{41,}$/;
const KEYED = /^([A-Za-z]+)\(.*\)$/; // onlineMeetings(joinWebUrl='…'), users('…')

/** "/communications/calls/4f1c…/participants/7a2b…/mute" → "/communications/calls/{id}/participants/{id}/mute" */
export function graphOperationPath(path: string): string {
  const q = path.indexOf('?');
  const bare = q === -1 ? path : path.slice(0, q);
  const segments = bare.split('/').filter((s) => s !== '');
  return `/${segments
    .map((segment) => {
      const keyed = KEYED.exec(segment);
      if (keyed) return `${keyed[1]}({key})`;
      return ID_LIKE.test(segment) ? '{id}' : segment;
    })
    .join('/')}`;
}

/** Remembers the operation names seen, up to a limit, so a path shape nobody foresaw cannot grow the label set. */
export class BoundedNames {
  private readonly seen = new Set<string>();
  constructor(private readonly limit = MAX_OPERATIONS) {}

  name(candidate: string): string {
    if (this.seen.has(candidate)) return candidate;
    if (this.seen.size >= this.limit) return 'other';
    this.seen.add(candidate);
    return candidate;
  }
}
