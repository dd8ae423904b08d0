// Whose clock a card shows times on: the person's own time zone and locale when Teams tells us (the activity's
// localTimezone and locale), else the server's TIME_ZONE in British English. Hostile values fall back, never throw.
import type { Activity } from 'botbuilder';

export interface ViewerClock {
  timeZone: string;
  locale: string;
}

export const DEFAULT_LOCALE = 'en-GB';

export function viewerClock(activity: Partial<Pick<Activity, 'localTimezone' | 'locale'>> | undefined, fallbackTimeZone: string): ViewerClock {
  const zone = typeof activity?.localTimezone === 'string' && isTimeZone(activity.localTimezone) ? activity.localTimezone : fallbackTimeZone;
  const locale = typeof activity?.locale === 'string' && isLocale(activity.locale) ? activity.locale : DEFAULT_LOCALE;
  return { timeZone: zone, locale };
}

/** A clock from a bare time zone (older callers pass only TIME_ZONE). */
export function asClock(clock: ViewerClock | string | undefined): ViewerClock {
  if (clock === undefined) return { timeZone: 'UTC', locale: DEFAULT_LOCALE };
  return typeof clock === 'string' ? { timeZone: clock, locale: DEFAULT_LOCALE } : clock;
}

/** "1 Dec 2026, 18:38" in the viewer's zone and locale. */
export function formatWhen(iso: string | Date, clock: ViewerClock): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toLocaleString(clock.locale, { timeZone: clock.timeZone, dateStyle: 'medium', timeStyle: 'short' });
}

/** "18:38" in the viewer's zone and locale. */
export function formatTime(iso: string | Date, clock: ViewerClock): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toLocaleTimeString(clock.locale, { timeZone: clock.timeZone, hour: '2-digit', minute: '2-digit' });
}

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

/** Replaces ISO instants inside free text ("trying again at 2026-12-01T18:38:08.136Z") with the viewer's time. */
export function localizeInstants(text: string, clock: ViewerClock): string {
  return text.replace(ISO_INSTANT, (instant) => formatWhen(instant, clock));
}

/** The zone's short name for the viewer ("GMT", "CET", "UTC+1"), shown beside times. */
export function zoneLabel(clock: ViewerClock, at: Date = new Date()): string {
  try {
    const part = new Intl.DateTimeFormat(clock.locale, { timeZone: clock.timeZone, timeZoneName: 'short' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
    return part?.value ?? clock.timeZone;
  } catch {
    return clock.timeZone;
  }
}

function isTimeZone(zone: string): boolean {
  if (zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isLocale(locale: string): boolean {
  if (locale.length > 35) return false;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
  } catch {
    return false;
  }
}
