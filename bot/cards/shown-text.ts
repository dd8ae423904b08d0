// Text as Teams will show it. Teams (and the Agents Playground) treat `<word>` in a message or a card's markdown as an
// HTML tag and drop it, so "call <person>" would read "call ". Angle brackets become ‹ › before anything is sent.

/** `<person>` → `‹person›`; everything else unchanged. */
export function shown(text: string): string {
  return text.replace(/</g, '‹').replace(/>/g, '›');
}

/** shown() applied to every string inside a value (card data: arrays and objects are walked). */
export function shownDeep<T>(value: T): T {
  if (typeof value === 'string') return shown(value) as T;
  if (Array.isArray(value)) return value.map((item) => shownDeep(item)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, shownDeep(item)])) as T;
  }
  return value;
}
