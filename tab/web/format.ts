// Dates, times and durations the way the person's browser writes them.
const dateTime = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });

function parse(iso: string | undefined): Date | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  return Number.isFinite(d.getTime()) ? d : undefined;
}

export function formatWhen(iso: string | undefined): string {
  const d = parse(iso);
  return d ? dateTime.format(d) : 'Unknown time';
}

export function formatClock(ms: number): string {
  return clock.format(new Date(ms));
}

/** "Tue 4 Mar, 14:00 – 14:30" (the end's date only when it differs). */
export function formatSpan(start: string | undefined, end: string | undefined): string | undefined {
  const s = parse(start);
  const e = parse(end);
  if (!s) return undefined;
  if (!e) return dateTime.format(s);
  const sameDay = s.toDateString() === e.toDateString();
  return `${dateTime.format(s)} – ${sameDay ? timeOnly.format(e) : dateTime.format(e)}`;
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return 'Unknown length';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes < 60) return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}
