// Which free agents are offered the next caller: pure functions of the queue's agent order, who is free, who already
// missed this caller, and round-robin's last pick. The dispatcher claims the agents it returns (compare-and-set).
import type { RoutingMethod } from './queue-schema.js';

export interface Candidate {
  userId: string;
  /** When the agent last became free (ISO): longest-idle picks the oldest. */
  idleSince: string;
}

export interface RoutingInput {
  method: RoutingMethod;
  /** Every agent of the queue, in the configured order (serial and round-robin follow it). */
  order: string[];
  /** Agents who may be offered a call now (signed in, idle, presence allows), any order. */
  free: Candidate[];
  /** Agents who missed or declined this caller already. */
  skipped: string[];
  /** round-robin: the agent offered last in this queue. */
  lastAgent?: string;
}

export interface RoutingChoice {
  /** The agents to ring now (attendant: all of them at once; otherwise one). */
  agents: string[];
  /** Every free agent had already been tried for this caller: the skip list starts over. */
  restarted: boolean;
}

export function chooseAgents(input: RoutingInput): RoutingChoice {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const skipped = (id: string) => input.skipped.some((s) => same(s, id));
  let pool = input.free.filter((c) => !skipped(c.userId));
  let restarted = false;
  if (pool.length === 0 && input.free.length > 0) {
    pool = input.free;
    restarted = true;
  }
  if (pool.length === 0) return { agents: [], restarted };
  const rank = (id: string) => {
    const i = input.order.findIndex((o) => same(o, id));
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  const ordered = [...pool].sort((a, b) => rank(a.userId) - rank(b.userId));
  switch (input.method) {
    case 'attendant':
      return { agents: ordered.map((c) => c.userId), restarted };
    case 'serial':
      return { agents: [ordered[0]!.userId], restarted };
    case 'round-robin': {
      const last = input.lastAgent === undefined ? -1 : rank(input.lastAgent);
      const next = ordered.find((c) => rank(c.userId) > last) ?? ordered[0]!;
      return { agents: [next.userId], restarted };
    }
    case 'longest-idle': {
      const oldest = [...ordered].sort((a, b) => a.idleSince.localeCompare(b.idleSince) || rank(a.userId) - rank(b.userId))[0]!;
      return { agents: [oldest.userId], restarted };
    }
  }
}

/** Presence that lets a presence-based queue offer a call (Teams: Available only; idle-but-available counts too). */
export function presenceAllowsOffer(availability: string | undefined): boolean {
  return availability === 'Available' || availability === 'AvailableIdle';
}

/** Presence that says the person is in a call or meeting (how the end of a handed-over call is told). */
export function presenceInCall(presence: { availability: string; activity: string } | undefined): boolean {
  if (!presence) return false;
  return presence.activity === 'InACall' || presence.activity === 'InAConferenceCall' || presence.activity === 'Presenting' || presence.activity === 'InAMeeting';
}
