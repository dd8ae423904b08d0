// Why an app package was not built: one error with a stable code and one problem per field, each naming the field
// (and the variable, for a placeholder) and what to do.

export type PackageErrorCode =
  | 'package/invalid-env-name'
  | 'package/manifest-unreadable'
  | 'package/unfilled-placeholder'
  | 'package/invalid-variable'
  | 'package/schema-unavailable'
  | 'package/schema-invalid'
  | 'package/icon-invalid';

export interface PackageProblem {
  /** Manifest field path (`bots[0].botId`), or the file concerned. */
  path: string;
  variable?: string;
  message: string;
}

export class PackageError extends Error {
  readonly code: PackageErrorCode;
  readonly problems: PackageProblem[];

  constructor(code: PackageErrorCode, problems: PackageProblem[]) {
    super(`The app package was not built: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map((p) => `  - ${p.message}`).join('\n')}`);
    this.name = 'PackageError';
    this.code = code;
    this.problems = problems;
  }
}
