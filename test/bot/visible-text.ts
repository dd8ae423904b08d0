// How Teams shows what the bot writes, for the specs that check nothing vanishes (a module of its own: a spec that
// imported another spec file would register that file's tests a second time in whichever worker loaded it first).

/** What Teams shows for markdown text: HTML-like tags removed (its sanitizer), markdown emphasis dropped. */
export function teamsRender(text: string): string {
  return text.replace(/<\/?[a-z][^<>]*>/gi, '').replace(/\*\*/g, '');
}

/** Every string a person reads on a card: TextBlocks, facts, button titles. */
export function visibleTexts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) visibleTexts(item, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
    if (typeof o.title === 'string') out.push(o.title);
    if (typeof o.value === 'string' && !('type' in o)) out.push(o.value);
    for (const [key, value] of Object.entries(o)) if (key !== 'data') visibleTexts(value, out);
  }
  return out;
}
