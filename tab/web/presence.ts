// Graph presence → Fluent's presence badge status and the words a screen reader says.
import type { PresenceBadgeStatus } from '@fluentui/react-components';

export interface PresenceView {
  availability: string;
  activity: string;
}

const STATUS: Record<string, PresenceBadgeStatus> = {
  Available: 'available',
  AvailableIdle: 'available',
  Away: 'away',
  BeRightBack: 'away',
  Busy: 'busy',
  BusyIdle: 'busy',
  DoNotDisturb: 'do-not-disturb',
  Offline: 'offline',
};

export function presenceStatus(p: PresenceView | undefined): PresenceBadgeStatus {
  return (p && STATUS[p.availability]) ?? 'unknown';
}

export function presenceLabel(p: PresenceView | undefined): string {
  if (!p || p.availability === 'PresenceUnknown') return 'presence unknown';
  const words = p.availability.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
