// JSON text from outside (a webhook body, or one read back from where it was recorded): one pass that measures its
// nesting and tells whether it may spell a prototype key, and a parse that keeps no prototype keys. The body reader
// (server/body-reader.ts) and the inbox's read-back (comms/calls/notification-inbox.ts) share it.

/**
 * One pass over the text: the deepest nesting of objects and arrays (stopping as soon as it passes `stopAbove`), and
 * whether a string may spell a prototype key — `__proto__`, `constructor` or `prototype` literally, or any short
 * string with an escape in it (it might spell one through `\u…`). Strings are skipped with indexOf, not a character
 * at a time: most of a Graph notification is strings, and the character loop with four `includes` after it was a
 * tenth of the webhook's CPU at its sustained rate (a 250-person roster is ~40 KB of text).
 */
export function scanJsonText(text: string, stopAbove: number): { depth: number; mayHavePrototypeKeys: boolean } {
  let depth = 0;
  let deepest = 0;
  let suspicious = false;
  let nextBackslash = -2; // not looked for yet
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const start = i + 1;
      let end = text.indexOf('"', start);
      // A quote preceded by an odd number of backslashes is part of the string.
      while (end !== -1) {
        let b = end - 1;
        while (b >= start && text.charCodeAt(b) === 0x5c) b--;
        if ((end - 1 - b) % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (end === -1) break; // unterminated: JSON.parse refuses it
      if (nextBackslash !== -1 && nextBackslash < start) nextBackslash = text.indexOf('\\', start);
      const escaped = nextBackslash !== -1 && nextBackslash < end;
      const length = end - start;
      if (escaped ? length <= 66 : (length === 9 && (text.startsWith('__proto__', start) || text.startsWith('prototype', start))) || (length === 11 && text.startsWith('constructor', start))) {
        suspicious = true;
      }
      i = end + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return { depth: deepest, mayHavePrototypeKeys: suspicious };
      }
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
    i++;
  }
  return { depth: deepest, mayHavePrototypeKeys: suspicious };
}

/** JSON.parse reviver: drops `__proto__`, `constructor` and `prototype` keys. */
export function dropPrototypeKeys(key: string, value: unknown): unknown {
  return key === '__proto__' || key === 'constructor' || key === 'prototype' ? undefined : value;
}

/** Parses JSON text keeping no prototype keys (the reviver only runs when the text may spell one). Throws as JSON.parse. */
export function parseJsonText(text: string): unknown {
  return scanJsonText(text, Infinity).mayHavePrototypeKeys ? JSON.parse(text, dropPrototypeKeys) : JSON.parse(text);
}
