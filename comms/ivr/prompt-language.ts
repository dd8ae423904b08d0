// Which language a call's menus speak, and which of a prompt's texts that means. A rule can name the language, the
// caller's Teams client can (participantInfo.languageId), and the front desk has a default. Texts are matched by
// exact tag first, then by primary language (a caller on de-AT hears the `de` text), then the front desk's language.
import type { FrontDesk, Prompt } from './front-desk-schema.js';

/** `de-AT` → `de`. */
export function primaryLanguage(tag: string): string {
  return tag.split('-')[0]!.toLowerCase();
}

/** The language for a call: the rule's, else the caller's (when the front desk has texts in it), else the front desk's. */
export function callLanguage(desk: FrontDesk, ruleLanguage: string | undefined, callerLanguage: string | undefined): string {
  if (ruleLanguage) return ruleLanguage;
  if (callerLanguage && /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(callerLanguage)) {
    const spoken = deskLanguages(desk);
    const wanted = primaryLanguage(callerLanguage);
    if ([...spoken].some((l) => primaryLanguage(l) === wanted)) return callerLanguage;
  }
  return desk.language;
}

/** The text of a prompt in `language` and the language it is really in (for the voice). */
export function promptText(text: Extract<Prompt, { text: unknown }>['text'], language: string, fallbackLanguage: string): { text: string; language: string } {
  if (typeof text === 'string') return { text, language };
  for (const wanted of [language, fallbackLanguage]) {
    const found = pick(text, wanted);
    if (found) return found;
  }
  const [first, value] = Object.entries(text)[0]!;
  return { text: value, language: first };
}

function pick(texts: Record<string, string>, wanted: string): { text: string; language: string } | undefined {
  const entries = Object.entries(texts);
  const exact = entries.find(([tag]) => tag.toLowerCase() === wanted.toLowerCase());
  if (exact) return { text: exact[1], language: wanted };
  const primary = primaryLanguage(wanted);
  const bare = entries.find(([tag]) => tag.toLowerCase() === primary);
  if (bare) return { text: bare[1], language: wanted };
  const sibling = entries.find(([tag]) => primaryLanguage(tag) === primary);
  return sibling ? { text: sibling[1], language: sibling[0] } : undefined;
}

/** Every language the front desk speaks: its default, the rules' and the keys of per-language texts. */
export function deskLanguages(desk: FrontDesk): Set<string> {
  const languages = new Set<string>([desk.language]);
  for (const rule of desk.rules) if (rule.then.action === 'answer' && rule.then.language) languages.add(rule.then.language);
  if (desk.default.action === 'answer' && desk.default.language) languages.add(desk.default.language);
  for (const { prompt } of menuPrompts(desk)) if ('text' in prompt && typeof prompt.text !== 'string') Object.keys(prompt.text).forEach((l) => languages.add(l));
  return languages;
}

/** Every prompt in the menus, with the path of its field in the file. */
export function* menuPrompts(desk: FrontDesk): Generator<{ prompt: Prompt; path: Array<string | number> }> {
  for (const [id, menu] of Object.entries(desk.menus)) {
    yield { prompt: menu.prompt, path: ['menus', id, 'prompt'] };
    if (menu.retryPrompt) yield { prompt: menu.retryPrompt, path: ['menus', id, 'retryPrompt'] };
    const speech = typeof menu.speech === 'object' ? menu.speech : undefined;
    if (speech?.notUnderstoodPrompt) yield { prompt: speech.notUnderstoodPrompt, path: ['menus', id, 'speech', 'notUnderstoodPrompt'] };
    if (speech?.keysPrompt) yield { prompt: speech.keysPrompt, path: ['menus', id, 'speech', 'keysPrompt'] };
    const actions: Array<[Array<string | number>, unknown]> = [
      ...Object.entries(menu.options).map(([key, action]) => [['menus', id, 'options', key], action] as [Array<string | number>, unknown]),
      [['menus', id, 'fallback'], menu.fallback],
      ...(speech?.onNegative ? [[['menus', id, 'speech', 'onNegative'], speech.onNegative] as [Array<string | number>, unknown]] : []),
      ...Object.entries(menu.intents).filter(([, intent]) => intent.then).map(([name, intent]) => [['menus', id, 'intents', name, 'then'], intent.then] as [Array<string | number>, unknown]),
    ];
    for (const [path, action] of actions) yield* actionPrompts(action, path);
  }
}

function* actionPrompts(action: unknown, path: Array<string | number>): Generator<{ prompt: Prompt; path: Array<string | number> }> {
  if (!action || typeof action !== 'object') return;
  const a = action as { prompt?: Prompt; then?: unknown };
  if (a.prompt) yield { prompt: a.prompt, path: [...path, 'prompt'] };
  if (a.then) yield* actionPrompts(a.then, [...path, 'then']);
}
