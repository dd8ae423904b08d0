// Participants keyed by id (or, while Graph still reports `id: null` for an invitee, by identity), and the
// joined / left / updated difference between two rosters.
import type { Participant } from './graph-shapes.js';

export interface RosterDiff {
  joined: Participant[];
  left: Participant[];
  updated: Participant[];
}

export function participantKey(p: Participant): string {
  if (p.id) return `id:${p.id}`;
  const identity = p.info?.identity;
  if (identity && typeof identity === 'object') {
    for (const [kind, value] of Object.entries(identity)) {
      if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') {
        return `${kind}:${(value as { id: string }).id}`;
      }
    }
  }
  return `json:${JSON.stringify(p)}`;
}

export function diffRoster(before: Participant[], after: Participant[]): RosterDiff {
  const prev = new Map(before.map((p) => [participantKey(p), p]));
  const next = new Map(after.map((p) => [participantKey(p), p]));
  const diff: RosterDiff = { joined: [], left: [], updated: [] };
  for (const [key, p] of next) {
    const old = prev.get(key);
    if (!old) diff.joined.push(p);
    else if (JSON.stringify(old) !== JSON.stringify(p)) diff.updated.push(p);
  }
  for (const [key, p] of prev) if (!next.has(key)) diff.left.push(p);
  return diff;
}

export function isEmptyDiff(diff: RosterDiff): boolean {
  return diff.joined.length === 0 && diff.left.length === 0 && diff.updated.length === 0;
}
