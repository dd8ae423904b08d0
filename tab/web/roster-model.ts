// The side panel's copy of a meeting roster: loaded once, then kept current by applying the server's diffs in version
// order (a diff at or below the version held is already included; one that skips a version means something was
// missed: reload). Also how the panel shows it — grouped, sorted, searched — and a one-line summary of each change for
// screen readers.
import type { RosterEntry } from '../../comms/meetings/meeting-events.js';

export type { RosterEntry };

export interface RosterDiff {
  joined: RosterEntry[];
  left: Array<{ id: string; userId?: string; displayName: string }>;
  changed: Array<{ id: string; fields: Partial<Record<keyof RosterEntry, unknown>> }>;
  count: number;
  version: number;
}

export type ApplyOutcome = 'applied' | 'stale' | 'gap';

const NO_ROLES: Record<string, string> = Object.freeze({}) as Record<string, string>;

export class RosterModel {
  readonly entries = new Map<string, RosterEntry>();
  private currentVersion: number;
  /** The people as last shown (grouped and sorted for one query and one set of roles), and who changed since. */
  private shown: { query: string; roles: Record<string, string>; groups: Record<RosterGroup, RosterEntry[]> } | undefined;
  private touched = new Set<string>();
  /** How many times the whole roster was grouped and sorted (a diff only moves the people it names). */
  sorts = 0;

  constructor(snapshot: { version: number; entries: RosterEntry[] }) {
    this.currentVersion = snapshot.version;
    for (const e of snapshot.entries) this.entries.set(e.id, { ...e });
  }

  get version(): number {
    return this.currentVersion;
  }

  apply(diff: RosterDiff): ApplyOutcome {
    if (diff.version <= this.currentVersion) return 'stale';
    if (diff.version !== this.currentVersion + 1) return 'gap';
    for (const left of diff.left) {
      this.entries.delete(left.id);
      this.touched.add(left.id);
    }
    for (const joined of diff.joined) {
      this.entries.set(joined.id, { ...joined });
      this.touched.add(joined.id);
    }
    for (const { id, fields } of diff.changed) {
      const entry = this.entries.get(id);
      if (!entry) continue;
      this.touched.add(id);
      const next: Record<string, unknown> = { ...entry };
      for (const [key, value] of Object.entries(fields)) {
        if (value === null) delete next[key];
        else next[key] = value;
      }
      this.entries.set(id, next as unknown as RosterEntry);
    }
    this.currentVersion = diff.version;
    return 'applied';
  }

  /**
   * rosterItems(entries, query, roles), kept sorted between diffs: only the people a diff named are taken out and put
   * back in their place (a binary search), so one mute in a 10,000-person roster does not sort 10,000 names again.
   */
  items(query: string, roles: Record<string, string> = NO_ROLES): RosterItem[] {
    const shown = this.shown;
    if (!shown || shown.query !== query || shown.roles !== roles || this.touched.size > Math.max(64, this.entries.size / 4)) {
      this.sorts += 1;
      this.shown = { query, roles, groups: groupedPeople(this.entries.values(), query, roles) };
    } else {
      const q = fold(query.trim());
      for (const id of this.touched) {
        for (const list of Object.values(shown.groups)) {
          const at = list.findIndex((e) => e.id === id);
          if (at >= 0) {
            list.splice(at, 1);
            break;
          }
        }
        const raw = this.entries.get(id);
        const entry = raw && shownEntry(raw, q, roles);
        if (entry) {
          const list = shown.groups[groupOf(entry)];
          list.splice(insertionPoint(list, entry), 0, entry);
        }
      }
    }
    this.touched.clear();
    return flatten(this.shown!.groups);
  }
}

export type RosterGroup = 'leaders' | 'attendees' | 'lobby';

export const GROUP_LABELS: Record<RosterGroup, string> = {
  leaders: 'Organizers and presenters',
  attendees: 'Attendees',
  lobby: 'In the lobby',
};

export type RosterItem = { kind: 'header'; group: RosterGroup; label: string; count: number } | { kind: 'person'; entry: RosterEntry; group: RosterGroup };

export function groupOf(entry: RosterEntry): RosterGroup {
  if (entry.inLobby) return 'lobby';
  if (entry.role && /^(organizer|presenter|coorganizer|producer)$/i.test(entry.role)) return 'leaders';
  return 'attendees';
}

export function roleLabel(entry: RosterEntry): string {
  if (entry.role) {
    const role = entry.role.toLowerCase();
    if (role === 'coorganizer') return 'Co-organizer';
    return role.charAt(0).toUpperCase() + role.slice(1);
  }
  if (entry.viaPhone) return 'By phone';
  return entry.id.startsWith('user:') ? 'Joining' : entry.userId ? 'Attendee' : 'Guest';
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/**
 * People only (bots are shown in the header), grouped leaders → attendees → lobby, each sorted by name. `roles` (from
 * the invitation, by user id) fills in a role the roster entry does not carry.
 */
export function rosterItems(entries: Iterable<RosterEntry>, query: string, roles: Record<string, string> = {}): RosterItem[] {
  return flatten(groupedPeople(entries, query, roles));
}

const byName = (a: RosterEntry, b: RosterEntry) => collator.compare(a.displayName, b.displayName) || a.id.localeCompare(b.id);

/** The entry as shown (an invitation's role filled in), or undefined when it is not shown (a bot, not matching). */
function shownEntry(raw: RosterEntry, q: string, roles: Record<string, string>): RosterEntry | undefined {
  if (raw.isBot) return undefined;
  const invited = !raw.role && raw.userId ? roles[raw.userId] : undefined;
  const entry = invited ? { ...raw, role: invited } : raw;
  if (q && !fold(entry.displayName).includes(q)) return undefined;
  return entry;
}

function groupedPeople(entries: Iterable<RosterEntry>, query: string, roles: Record<string, string>): Record<RosterGroup, RosterEntry[]> {
  const q = fold(query.trim());
  const groups: Record<RosterGroup, RosterEntry[]> = { leaders: [], attendees: [], lobby: [] };
  for (const raw of entries) {
    const entry = shownEntry(raw, q, roles);
    if (entry) groups[groupOf(entry)].push(entry);
  }
  for (const list of Object.values(groups)) list.sort(byName);
  return groups;
}

function insertionPoint(list: RosterEntry[], entry: RosterEntry): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byName(list[mid]!, entry) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function flatten(groups: Record<RosterGroup, RosterEntry[]>): RosterItem[] {
  const items: RosterItem[] = [];
  for (const group of ['leaders', 'attendees', 'lobby'] as const) {
    const list = groups[group];
    if (list.length === 0) continue;
    items.push({ kind: 'header', group, label: GROUP_LABELS[group], count: list.length });
    for (const entry of list) items.push({ kind: 'person', entry, group });
  }
  return items;
}

export interface RosterCounts {
  people: number;
  muted: number;
  lobby: number;
  sharing: number;
}

export function rosterCounts(entries: Iterable<RosterEntry>): RosterCounts {
  const c: RosterCounts = { people: 0, muted: 0, lobby: 0, sharing: 0 };
  for (const e of entries) {
    if (e.isBot) continue;
    c.people += 1;
    if (e.isMuted) c.muted += 1;
    if (e.inLobby) c.lobby += 1;
    if (e.screenSharing) c.sharing += 1;
  }
  return c;
}

function names(list: string[], verb: string, one: string): string | undefined {
  if (list.length === 0) return undefined;
  if (list.length <= 3) return `${list.join(', ')} ${verb}.`;
  return `${list.length} ${one} ${verb}.`;
}

/** "Priya Raman joined. Jonas Lindqvist muted." — `before` is the roster before the diff was applied. */
export function describeDiff(diff: RosterDiff, before: Map<string, RosterEntry>): string {
  const people = (list: Array<{ displayName: string; isBot?: boolean }>) => list.filter((p) => !p.isBot).map((p) => p.displayName);
  const muted: string[] = [];
  const unmuted: string[] = [];
  const sharing: string[] = [];
  for (const { id, fields } of diff.changed) {
    const who = before.get(id);
    if (!who || who.isBot) continue;
    if (fields.isMuted === true) muted.push(who.displayName);
    if (fields.isMuted === false) unmuted.push(who.displayName);
    if (fields.screenSharing === true) sharing.push(who.displayName);
  }
  const leftPeople = diff.left.filter((l) => !before.get(l.id)?.isBot).map((l) => l.displayName);
  return [
    names(people(diff.joined), 'joined', 'people'),
    names(leftPeople, 'left', 'people'),
    names(muted, 'muted', 'people'),
    names(unmuted, 'unmuted', 'people'),
    names(sharing, 'started sharing', 'people'),
  ]
    .filter(Boolean)
    .join(' ');
}
