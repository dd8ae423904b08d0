// The manifest's `${{VAR}}` placeholders: filled from the variables (environment and .env files) inside parsed JSON
// strings — never by text substitution, so a value cannot break the JSON — and every placeholder left unfilled is
// reported with the field that holds it. Shared by the packager and the doctor.

export interface Unfilled {
  /** Field path in the manifest, e.g. `bots[0].botId`. */
  path: string;
  variable: string;
}

export interface Filled<T> {
  value: T;
  unfilled: Unfilled[];
}

/** Variables the manifest may use that are worked out from others rather than set by hand. */
export const DERIVED_VARIABLES: Record<string, { from: string; describe: string }> = {
  PUBLIC_HOSTNAME: { from: 'PUBLIC_BASE_URL', describe: 'the host of PUBLIC_BASE_URL' },
};

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The variables as the manifest sees them: PUBLIC_BASE_URL without a trailing slash, PUBLIC_HOSTNAME from it. */
export function manifestVariables(variables: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(variables)) out[name] = value?.trim() === '' ? undefined : value?.trim();
  const base = out.PUBLIC_BASE_URL;
  out.PUBLIC_HOSTNAME = undefined;
  if (base) {
    out.PUBLIC_BASE_URL = base.replace(/\/+$/, '');
    try {
      out.PUBLIC_HOSTNAME = new URL(base).host || undefined;
    } catch {
      // not a URL: PUBLIC_HOSTNAME stays unfilled and is reported with the field that needs it
    }
  }
  return out;
}

export function fillPlaceholders<T>(json: T, variables: Record<string, string | undefined>): Filled<T> {
  const unfilled: Unfilled[] = [];
  const visit = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') {
      return value.replace(PLACEHOLDER, (whole, name: string) => {
        const filled = variables[name];
        if (filled === undefined) {
          unfilled.push({ path: path || '(root)', variable: name });
          return whole;
        }
        return filled;
      });
    }
    if (Array.isArray(value)) return value.map((item, i) => visit(item, `${path}[${i}]`));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = visit(item, path ? `${path}.${key}` : key);
      return out;
    }
    return value;
  };
  return { value: visit(json, '') as T, unfilled };
}

/** "PUBLIC_HOSTNAME (the host of PUBLIC_BASE_URL)" for derived variables, the name itself otherwise. */
export function variableToSet(variable: string): string {
  return DERIVED_VARIABLES[variable]?.from ?? variable;
}
