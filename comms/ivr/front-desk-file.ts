// Reads a front-desk file (JSON with comments), validates it, checks every cross-reference and prompt file, and
// reports each problem with its line and field. Returns nothing half-valid: all problems, or a usable front desk.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { isGraphPromptFormat, readWavFormat } from '../speech/index.js';
import { IvrError, type FrontDeskProblem } from './ivr-error.js';
import { enqueueProblems, queuePrompts, queueReferenceProblems } from '../queues/queue-checks.js';
import { frontDeskSchema, type FrontDesk, type MenuAction, type Prompt } from './front-desk-schema.js';
import { deskLanguages, menuPrompts, primaryLanguage } from './prompt-language.js';

export interface LoadedFrontDesk {
  desk: FrontDesk;
  path: string;
  /** WAV bytes of every `{ file }` prompt, by the path as written in the file. */
  promptFiles: Map<string, Buffer>;
}

const MAX_FILE_BYTES = 512 * 1024;

export async function loadFrontDeskFile(path: string): Promise<LoadedFrontDesk> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES / 1024} KB`);
    text = bytes.toString('utf8');
  } catch (err) {
    throw new IvrError('ivr/unreadable-front-desk', `The front-desk file ${path} cannot be read: ${(err as Error).message}.`, [], err);
  }
  const desk = parseFrontDesk(text, path);
  const promptFiles = await readPromptFiles(desk, dirname(path));
  return { desk, path, promptFiles };
}

/** Parses and validates front-desk text; throws IvrError listing every problem with its line. */
export function parseFrontDesk(text: string, label = 'front desk'): FrontDesk {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !tree) {
    const problems = errors.map((e) => ({ line: lineOf(text, e.offset), field: '', message: `JSON syntax: ${printParseErrorCode(e.error)}` }));
    throw new IvrError('ivr/invalid-front-desk', `The front desk in ${label} is not valid JSON.`, problems.length ? problems : [{ field: '', message: 'empty file' }]);
  }
  const parsed = frontDeskSchema.safeParse(getNodeValue(tree));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => problemAt(text, tree, issue.path as Array<string | number>, issue.message));
    throw new IvrError('ivr/invalid-front-desk', `The front desk in ${label} has ${problems.length} problem${problems.length === 1 ? '' : 's'}.`, problems);
  }
  const problems = crossReferenceProblems(parsed.data).map((p) => problemAt(text, tree, p.path, p.message));
  if (problems.length > 0) {
    throw new IvrError('ivr/invalid-front-desk', `The front desk in ${label} has ${problems.length} problem${problems.length === 1 ? '' : 's'}.`, problems);
  }
  return parsed.data;
}

function crossReferenceProblems(desk: FrontDesk): Array<{ path: Array<string | number>; message: string }> {
  const found: Array<{ path: Array<string | number>; message: string }> = [];
  const menus = new Set(Object.keys(desk.menus));
  const groups = new Set(Object.keys(desk.groups));
  const checkPerson = (ref: string, path: Array<string | number>) => {
    if (!isDirectPerson(ref) && !(ref in desk.people)) found.push({ path, message: `"${ref}" is not a UPN, user id or +phone number, nor an alias under people` });
  };
  const checkMenuAction = (action: MenuAction, path: Array<string | number>) => {
    if (action.action === 'menu' && !menus.has(action.menu)) found.push({ path: [...path, 'menu'], message: `there is no menu "${action.menu}"` });
    if (action.action === 'transfer') checkPerson(action.to, [...path, 'to']);
    if (action.action === 'enqueue') found.push(...enqueueProblems(desk, action.queue, [...path, 'queue'], true));
    if (action.action === 'record') checkMenuAction(action.then, [...path, 'then']);
  };
  const checkIncoming = (action: FrontDesk['default'], path: Array<string | number>) => {
    if (action.action === 'answer' && !menus.has(action.menu)) found.push({ path: [...path, 'menu'], message: `there is no menu "${action.menu}"` });
    if (action.action === 'enqueue') found.push(...enqueueProblems(desk, action.queue, [...path, 'queue'], false));
    if (action.action === 'redirect') {
      const targets = Array.isArray(action.to) ? action.to : [action.to];
      targets.forEach((t, i) => checkPerson(t, Array.isArray(action.to) ? [...path, 'to', i] : [...path, 'to']));
    }
  };
  for (const [alias, ref] of Object.entries(desk.people)) {
    if (!isDirectPerson(ref)) found.push({ path: ['people', alias], message: `"${ref}" must be a UPN, user id or +phone number` });
  }
  for (const [group, members] of Object.entries(desk.groups)) members.forEach((m, i) => checkPerson(m, ['groups', group, i]));
  desk.rules.forEach((rule, i) => {
    const callerIn = rule.when.callerIn === undefined ? [] : Array.isArray(rule.when.callerIn) ? rule.when.callerIn : [rule.when.callerIn];
    for (const group of callerIn) if (!groups.has(group)) found.push({ path: ['rules', i, 'when', 'callerIn'], message: `there is no group "${group}"` });
    rule.when.caller?.forEach((c, j) => checkPerson(c, ['rules', i, 'when', 'caller', j]));
    if (rule.when.hours !== undefined && desk.hours.length === 0) found.push({ path: ['rules', i, 'when', 'hours'], message: 'the rule depends on business hours, but no hours are set' });
    checkIncoming(rule.then, ['rules', i, 'then']);
  });
  checkIncoming(desk.default, ['default']);
  for (const [id, menu] of Object.entries(desk.menus)) {
    for (const [key, action] of Object.entries(menu.options)) if (action) checkMenuAction(action, ['menus', id, 'options', key]);
    checkMenuAction(menu.fallback, ['menus', id, 'fallback']);
    const intents = Object.entries(menu.intents);
    if (menu.speech !== false && intents.length === 0) found.push({ path: ['menus', id, 'speech'], message: 'a menu that listens for spoken replies needs "intents": what callers may say, and where each leads' });
    if (menu.speech === false && intents.length > 0) found.push({ path: ['menus', id, 'intents'], message: 'intents are only heard when the menu listens: add "speech": true' });
    for (const [intent, def] of intents) {
      if (def.option !== undefined && !menu.options[def.option]) found.push({ path: ['menus', id, 'intents', intent, 'option'], message: `this menu has no option "${def.option}"` });
      if (def.then) checkMenuAction(def.then, ['menus', id, 'intents', intent, 'then']);
    }
    if (typeof menu.speech === 'object' && menu.speech.onNegative) checkMenuAction(menu.speech.onNegative, ['menus', id, 'speech', 'onNegative']);
  }
  // A text given per language must be there in every language the front desk speaks.
  const languages = deskLanguages(desk);
  for (const { prompt, path } of menuPrompts(desk)) {
    if (!('text' in prompt) || typeof prompt.text === 'string') continue;
    const texts = prompt.text;
    const missing = [...languages].filter((l) => !Object.keys(texts).some((t) => t.toLowerCase() === l.toLowerCase() || primaryLanguage(t) === primaryLanguage(l)));
    if (missing.length > 0) found.push({ path: [...path, 'text'], message: `no text in ${missing.join(', ')} (the front desk speaks ${[...languages].join(', ')})` });
  }
  found.push(...queueReferenceProblems(desk, (ref) => isDirectPerson(ref) || ref in desk.people));
  return found;
}

/** A UPN, a GUID user id, or an E.164 phone number. */
export function isDirectPerson(ref: string): boolean {
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(ref) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref) || /^\+[1-9]\d{6,14}$/.test(ref);
}

async function readPromptFiles(desk: FrontDesk, baseDir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const problems: FrontDeskProblem[] = [];
  for (const { prompt, field } of allPrompts(desk)) {
    if (!('file' in prompt) || files.has(prompt.file)) continue;
    const full = isAbsolute(prompt.file) ? prompt.file : resolve(baseDir, prompt.file);
    try {
      const wav = await readFile(full);
      if (!isGraphPromptFormat(readWavFormat(wav))) problems.push({ field, message: `${prompt.file} is not a 16 kHz mono 16-bit PCM WAV (what Graph plays)` });
      else files.set(prompt.file, wav);
    } catch {
      problems.push({ field, message: `${prompt.file} cannot be read (paths are relative to the front-desk file)` });
    }
  }
  if (problems.length > 0) throw new IvrError('ivr/invalid-front-desk', 'The front desk names prompt files that cannot be used.', problems);
  return files;
}

function* allPrompts(desk: FrontDesk): Generator<{ prompt: Prompt; field: string }> {
  for (const { prompt, path } of queuePrompts(desk.queues)) yield { prompt, field: fieldName(path) };
  for (const { prompt, path } of menuPrompts(desk)) yield { prompt, field: fieldName(path) };
}

function problemAt(text: string, tree: Node, path: Array<string | number>, message: string): FrontDeskProblem {
  // Walk up the path until a node exists (a missing field is reported at its parent).
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = findNodeAtLocation(tree, path.slice(0, depth));
    if (node) return { line: lineOf(text, node.offset), field: fieldName(path), message };
  }
  return { field: fieldName(path), message };
}

function fieldName(path: Array<string | number>): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}
