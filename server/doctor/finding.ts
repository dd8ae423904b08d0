// What the doctor reports: one finding per check (or per configuration problem), each with a stable code when it is
// not a pass and the fix a person should apply.

export type CheckId =
  | 'config'
  | 'issuer'
  | 'clock'
  | 'token'
  | 'permissions'
  | 'access-policy'
  | 'webhook'
  | 'manifest-calling'
  | 'manifest-bot-id'
  | 'manifest-domains'
  | 'speech'
  | 'readiness';

export type FindingStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface Finding {
  check: CheckId;
  status: FindingStatus;
  /** Stable for anything that is not a pass, e.g. `doctor/roles-missing`; tests switch on it. */
  code?: string;
  /** One line: what was found. */
  title: string;
  /** Further lines (a list of missing permissions, the URL probed…). */
  details?: string[];
  /** What to do about it. */
  fix?: string;
}

export interface DoctorReport {
  mode?: 'local' | 'cloud';
  findings: Finding[];
}

export const CHECK_TITLES: Record<CheckId, string> = {
  config: 'Configuration',
  issuer: 'Identity issuer',
  clock: 'Clock',
  token: 'App token',
  permissions: 'Application permissions',
  'access-policy': 'Online meetings access policy',
  webhook: 'Calling webhook',
  'manifest-calling': 'Manifest: calling',
  'manifest-bot-id': 'Manifest: bot id',
  'manifest-domains': 'Manifest: domains',
  speech: 'Spoken replies',
  readiness: 'Running instance',
};

export const pass = (check: CheckId, title: string, details?: string[]): Finding => ({ check, status: 'pass', title, details });
export const fail = (check: CheckId, code: string, title: string, fix: string, details?: string[]): Finding => ({ check, status: 'fail', code, title, fix, details });
export const warn = (check: CheckId, code: string, title: string, fix?: string, details?: string[]): Finding => ({ check, status: 'warn', code, title, fix, details });
export const skip = (check: CheckId, why: string): Finding => ({ check, status: 'skip', code: 'doctor/skipped', title: `skipped: ${why}` });

export function hasFailures(report: DoctorReport): boolean {
  return report.findings.some((f) => f.status === 'fail');
}
