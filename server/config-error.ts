// Start-up configuration problems: one entry per wrong or missing variable, each naming the variable and the fix.

export interface ConfigProblem {
  variable: string;
  code: string;
  message: string;
}

export class ConfigError extends Error {
  readonly code = 'config/invalid';
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(
      `Switchboard cannot start: ${problems.length} configuration problem${problems.length === 1 ? '' : 's'}\n` +
        problems.map((p) => `  - ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
