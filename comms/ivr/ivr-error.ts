// Errors of the front desk and IVR: a bad rules file (with every problem's line and field), and menu run failures.

export interface FrontDeskProblem {
  /** 1-based line in the file, when the problem has a place. */
  line?: number;
  /** Dotted path of the field, e.g. rules[2].then.to */
  field: string;
  message: string;
}

export type IvrErrorCode = 'ivr/invalid-front-desk' | 'ivr/unreadable-front-desk' | 'ivr/unknown-person' | 'ivr/menu-failed';

export class IvrError extends Error {
  readonly code: IvrErrorCode;
  readonly problems: FrontDeskProblem[];

  constructor(code: IvrErrorCode, message: string, problems: FrontDeskProblem[] = [], cause?: unknown) {
    super(problems.length === 0 ? message : `${message}\n${problems.map(formatProblem).join('\n')}`, cause === undefined ? undefined : { cause });
    this.name = 'IvrError';
    this.code = code;
    this.problems = problems;
  }
}

export function formatProblem(p: FrontDeskProblem): string {
  return `  - ${p.line === undefined ? '' : `line ${p.line}, `}${p.field || '(file)'}: ${p.message}`;
}
