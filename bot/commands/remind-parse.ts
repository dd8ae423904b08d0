// Reads times people type — "in 10 minutes", "at 14:30", "tomorrow at 9am" — and "remind <person> <when> <what>".

export interface ParsedReminder {
  person: string;
  at: Date;
  message: string;
}

const UNITS: Record<string, number> = {
  s: 1_000, sec: 1_000, secs: 1_000, second: 1_000, seconds: 1_000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
};

const RELATIVE = String.raw`in\s+(\d{1,5})\s*([a-z]+)`;
const ABSOLUTE = String.raw`(tomorrow\s+)?at\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?`;
const WHEN = `(?:${RELATIVE}|${ABSOLUTE})`;

/** Undefined when the text does not say who, when and what. Times of day are in `timeZone`. */
export function parseReminder(text: string, now: Date, timeZone: string): ParsedReminder | undefined {
  const match = new RegExp(`^(.+?)\\s+${WHEN}\\s+(?:to\\s+|that\\s+|about\\s+)?(.+)$`, 'i').exec(text.trim());
  if (!match) return undefined;
  const at = timeFrom(match.slice(2, 8), now, timeZone);
  return at && { person: match[1]!.trim(), at, message: match[8]!.trim() };
}

/** "Design review in 30 minutes" → the subject and the time; no time phrase → undefined. */
export function splitTrailingTime(text: string, now: Date, timeZone: string): { rest: string; at: Date } | undefined {
  const match = new RegExp(`^(.+?)\\s+${WHEN}$`, 'i').exec(text.trim());
  if (!match) return undefined;
  const at = timeFrom(match.slice(2, 8), now, timeZone);
  return at && { rest: match[1]!.trim(), at };
}

function timeFrom([amount, unit, tomorrow, hourText, minuteText, meridiem]: Array<string | undefined>, now: Date, timeZone: string): Date | undefined {
  if (amount !== undefined) {
    const ms = UNITS[unit!.toLowerCase()];
    return ms ? new Date(now.getTime() + Number(amount) * ms) : undefined;
  }
  let hour = Number(hourText);
  const minute = Number(minuteText ?? 0);
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem.toLowerCase() === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return undefined;
  let at = zonedTime(now, hour, minute, timeZone, tomorrow ? 1 : 0);
  if (!tomorrow && at.getTime() <= now.getTime()) at = zonedTime(now, hour, minute, timeZone, 1);
  return at;
}

/** The instant when the clock in `timeZone` shows hour:minute on today's date (+ addDays). */
function zonedTime(now: Date, hour: number, minute: number, timeZone: string, addDays: number): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const wallNow = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  const offset = wallNow - Math.floor(now.getTime() / 60_000) * 60_000; // the zone's offset at this moment
  const wallTarget = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day) + addDays, hour, minute);
  return new Date(wallTarget - offset);
}
