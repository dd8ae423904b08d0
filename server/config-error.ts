// Start-up configuration problems: one entry per wrong or missing variable, each naming the variable and the fix.

export interface ConfigProblem {
  variable: string;
  code: string;
  message: string;
}

export class ConfigError extends Error {
  readonly code = 'config/invalid';
  readonly problems: ConfigProblem[];
  /** Why this mode was chosen, when that explains the problems (e.g. which variable switched to cloud mode). */
  readonly modeReason?: string;

  constructor(problems: ConfigProblem[], modeReason?: string) {
    super(
      `Switchboard cannot start: ${problems.length} configuration problem${problems.length === 1 ? '' : 's'}\n` +
        (modeReason ? `  ${modeReason}\n` : '') +
        problems.map((p) => `  - ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
    this.modeReason = modeReason;
  }
}
