// Reads "remind <person> in 10 minutes to stretch" / "… at 14:30 …" / "… tomorrow at 9:00 …" into who, when, what.

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

/** Undefined when the text does not say who, when and what. Times of day are in `timeZone`. */
export function parseReminder(text: string, now: Date, timeZone: string): ParsedReminder | undefined {
  const relative = /^(.+?)\s+in\s+(\d{1,5})\s*([a-z]+)\s+(?:to\s+|that\s+|about\s+)?(.+)$/i.exec(text.trim());
  if (relative) {
    const [, person, amount, unit, message] = relative;
    const ms = UNITS[unit!.toLowerCase()];
    if (!ms) return undefined;
    return { person: person!.trim(), at: new Date(now.getTime() + Number(amount) * ms), message: message!.trim() };
  }
  const absolute = /^(.+?)\s+(tomorrow\s+)?at\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\s+(?:to\s+|that\s+|about\s+)?(.+)$/i.exec(text.trim());
  if (absolute) {
    const [, person, tomorrow, hourText, minuteText, meridiem, message] = absolute;
    let hour = Number(hourText);
    const minute = Number(minuteText ?? 0);
    if (meridiem) {
      if (hour < 1 || hour > 12) return undefined;
      hour = (hour % 12) + (meridiem.toLowerCase() === 'pm' ? 12 : 0);
    }
    if (hour > 23 || minute > 59) return undefined;
    let at = zonedTime(now, hour, minute, timeZone, tomorrow ? 1 : 0);
    if (!tomorrow && at.getTime() <= now.getTime()) at = zonedTime(now, hour, minute, timeZone, 1);
    return { person: person!.trim(), at, message: message!.trim() };
  }
  return undefined;
}

/** The instant when the clock in `timeZone` shows hour:minute on today's date (+ addDays). */
function zonedTime(now: Date, hour: number, minute: number, timeZone: string, addDays: number): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const wallNow = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  const offset = wallNow - Math.floor(now.getTime() / 60_000) * 60_000; // zone offset at this moment
  const wallTarget = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day) + addDays, hour, minute);
  return new Date(wallTarget - offset);
}
