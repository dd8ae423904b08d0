// The doctor's printout: one ✔ / ✖ / ! line per finding, its details and fix indented under it, then a summary.
import { CHECK_TITLES, type DoctorReport, type Finding } from './finding.js';

const MARKS: Record<Finding['status'], string> = { pass: '✔', fail: '✖', warn: '!', skip: '!' };

export function formatReport(report: DoctorReport): string {
  const lines = ['', `Switchboard doctor${report.mode ? ` (${report.mode} mode)` : ''}`, ''];
  for (const finding of report.findings) {
    lines.push(`${MARKS[finding.status]} ${CHECK_TITLES[finding.check]}: ${finding.title}`);
    for (const detail of finding.details ?? []) lines.push(`    ${detail}`);
    if (finding.fix) {
      const [first, ...rest] = finding.fix.split('\n');
      lines.push(`    fix: ${first}`, ...rest.map((line) => `         ${line}`));
    }
  }
  const count = (status: Finding['status']) => report.findings.filter((f) => f.status === status).length;
  const failed = count('fail');
  lines.push(
    '',
    `${count('pass')} passed, ${failed} failed, ${count('warn')} warning${count('warn') === 1 ? '' : 's'}, ${count('skip')} skipped` +
      (failed > 0 ? ' — fix the ✖ lines and run npm run doctor again.' : ' — Switchboard is set up.'),
    '',
  );
  return lines.join('\n');
}
