// Compares a payload the emulator produced with an example printed on a Graph reference page, by shape: every field
// the example has must be there, nested the same way, with the same JSON type; `@odata.type` values must be equal,
// and so must the fields named in `sameValues` (enum values). Extra fields are allowed (the examples are often
// "shortened for readability"); an array is compared item by item against the example's first item.

import assert from 'node:assert/strict';

type JsonType = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean';

function typeOf(v: unknown): JsonType {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as JsonType);
}

export interface ShapeOptions {
  /** Dotted paths (array indexes left out) whose values must equal the example's, e.g. `resourceData.completionReason`. */
  sameValues?: string[];
  /** Dotted paths where the example prints null but a value is as documented (e.g. an id Graph fills in later). */
  nullable?: string[];
}

export function assertDocShape(actual: unknown, example: unknown, where: string, options: ShapeOptions = {}, path = ''): void {
  const at = path || '(root)';
  const expected = typeOf(example);
  const got = typeOf(actual);
  if (expected === 'null' && options.nullable?.includes(path)) return;
  assert.equal(got, expected, `${where}: ${at} should be ${expected} as in the doc example, is ${got} (${JSON.stringify(actual)})`);
  if (options.sameValues?.includes(path)) assert.deepEqual(actual, example, `${where}: ${at} should be ${JSON.stringify(example)} as in the doc example`);
  if (expected === 'array') {
    const first = (example as unknown[])[0];
    if (first === undefined) return;
    for (const [i, item] of (actual as unknown[]).entries()) assertDocShape(item, first, `${where}[${i}]`, options, path);
    return;
  }
  if (expected !== 'object') return;
  const a = actual as Record<string, unknown>;
  for (const [key, value] of Object.entries(example as Record<string, unknown>)) {
    const sub = path ? `${path}.${key}` : key;
    assert.ok(key in a, `${where}: ${sub} is missing (the doc example has ${JSON.stringify(value)})`);
    if (key === '@odata.type') {
      assert.equal(a[key], value, `${where}: ${sub} should be ${String(value)}`);
      continue;
    }
    assertDocShape(a[key], value, where, options, sub);
  }
}
