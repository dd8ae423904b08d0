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

export class RosterModel {
  readonly entries = new Map<string, RosterEntry>();
  private currentVersion: number;

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
    for (const left of diff.left) this.entries.delete(left.id);
    for (const joined of diff.joined) this.entries.set(joined.id, { ...joined });
    for (const { id, fields } of diff.changed) {
      const entry = this.entries.get(id);
      if (!entry) continue;
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
  const q = fold(query.trim());
  const groups: Record<RosterGroup, RosterEntry[]> = { leaders: [], attendees: [], lobby: [] };
  for (const raw of entries) {
    if (raw.isBot) continue;
    const invited = !raw.role && raw.userId ? roles[raw.userId] : undefined;
    const entry = invited ? { ...raw, role: invited } : raw;
    if (q && !fold(entry.displayName).includes(q)) continue;
    groups[groupOf(entry)].push(entry);
  }
  const items: RosterItem[] = [];
  for (const group of ['leaders', 'attendees', 'lobby'] as const) {
    const list = groups[group];
    if (list.length === 0) continue;
    list.sort((a, b) => collator.compare(a.displayName, b.displayName) || a.id.localeCompare(b.id));
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
