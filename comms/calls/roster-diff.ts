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
  const prev = new RosterIndex(before);
  const next = new RosterIndex(after);
  const diff: RosterDiff = { joined: [], left: [], updated: [] };
  // An invitee Graph first listed with `id: null` (participant-invite examples) and now lists with its id is the
  // same person: updated, not left and joined again.
  const named = new Set<Participant>();
  for (const p of after) {
    if (next.find(p) !== p) continue; // listed twice: the last one counts
    let old = prev.find(p);
    if (!old && p.id) {
      old = prev.findUnnamed(p);
      if (old) named.add(old);
    }
    if (!old) diff.joined.push(p);
    else if (old !== p && !sameJson(old, p)) diff.updated.push(p);
  }
  for (const p of before) if (prev.find(p) === p && !next.find(p) && !named.has(p)) diff.left.push(p);
  return diff;
}

/** Participants by participantKey, without building a key string for the usual participant (one with an id). */
export class RosterIndex {
  private readonly byId = new Map<string, Participant>();
  private readonly byKey = new Map<string, Participant>();

  constructor(participants: Participant[]) {
    // The last one of a key wins, as in a Map built from the list.
    for (const p of participants) {
      if (p.id) this.byId.set(p.id, p);
      else this.byKey.set(participantKey(p), p);
    }
  }

  find(p: Participant): Participant | undefined {
    return p.id ? this.byId.get(p.id) : this.byKey.get(participantKey(p));
  }

  /** The participant listed without an id (an invitee Graph has not named yet) with p's identity, if any. */
  findUnnamed(p: Participant): Participant | undefined {
    if (this.byKey.size === 0) return undefined;
    return this.byKey.get(participantKey({ ...p, id: null }));
  }
}

export function isEmptyDiff(diff: RosterDiff): boolean {
  return diff.joined.length === 0 && diff.left.length === 0 && diff.updated.length === 0;
}

/**
 * Whether two JSON values are equal as JSON (what JSON.stringify would say, but without building either string and
 * stopping at the first difference; the order of an object's keys does not matter, undefined members do not count).
 * The roster diff compares every participant of every roster notification with this: most are unchanged.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // NaN and ±Infinity are null in JSON.
    return typeof a === 'number' && typeof b === 'number' && !Number.isFinite(a) && !Number.isFinite(b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  let exact = keys.length === Object.keys(y).length;
  for (const key of keys) {
    const value = x[key];
    if (value === undefined || typeof value === 'function') {
      exact = false; // a member JSON leaves out: count what is left on both sides instead
      continue;
    }
    if (!sameJson(value, y[key])) return false;
  }
  // Same number of keys and every one of x's found equal in y: y has no other key.
  return exact || definedCount(x) === definedCount(y);
}

function definedCount(o: Record<string, unknown>): number {
  let n = 0;
  for (const key of Object.keys(o)) if (o[key] !== undefined && typeof o[key] !== 'function') n += 1;
  return n;
}
