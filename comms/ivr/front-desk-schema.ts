// The front desk as data: who gets rejected, redirected or answered into which IVR menu, business hours, and the
// menus themselves. Parsed with zod from a JSON-with-comments file (front-desk-file.ts).
import { z } from 'zod';
import { enqueueActionSchema, queueSectionSchema } from '../queues/queue-schema.js';

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const;

const name = z.string().trim().min(1).max(100);
/** A person: a UPN, an Entra user id, an E.164 phone number, or an alias from `people`. */
const person = z.string().trim().min(1).max(256);
const time = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'use HH:MM, e.g. 09:00 (24:00 for midnight at the end of a day)');

/** A BCP-47 language tag as Teams and Azure Speech write them: `en`, `en-US`, `de-DE`. */
export const languageTagSchema = z.string().trim().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'use a language tag such as en, en-US or de-DE');
const promptLine = z.string().trim().min(1).max(1000);
/** One text for every caller, or a text per language (`{ "en": "…", "de": "…" }`). */
const promptText = z.union([
  promptLine,
  z.record(languageTagSchema, promptLine).refine((texts) => Object.keys(texts).length > 0, 'give the text in at least one language'),
]);

export const promptSchema = z.union([
  z.object({ text: promptText }).strict(),
  z.object({ file: z.string().trim().min(1).max(500) }).strict(),
]);

const hangup = z.object({ action: z.literal('hangup'), prompt: promptSchema.optional() }).strict();
const transfer = z.object({ action: z.literal('transfer'), to: person, prompt: promptSchema.optional() }).strict();
const submenu = z.object({ action: z.literal('menu'), menu: name }).strict();
const repeat = z.object({ action: z.literal('repeat') }).strict();
const back = z.object({ action: z.literal('back') }).strict();

const terminalMenuAction = z.discriminatedUnion('action', [hangup, transfer, submenu, repeat, back]);

const record = z
  .object({
    action: z.literal('record'),
    prompt: promptSchema,
    maxSeconds: z.number().int().min(1).max(120).default(30),
    then: terminalMenuAction.default({ action: 'hangup' }),
  })
  .strict();

export const menuActionSchema = z.discriminatedUnion('action', [hangup, transfer, submenu, repeat, back, record, enqueueActionSchema]);

/** What a caller may say for one choice: the words and short phrases that mean it, and where it leads. */
export const intentSchema = z
  .object({
    phrases: z.array(z.string().trim().min(1).max(100)).min(1, 'an intent needs at least one phrase callers would say').max(100),
    /** The keypad option this intent stands for (a key of the same menu)… */
    option: z.enum(KEYS).optional(),
    /** …or an action of its own. */
    then: menuActionSchema.optional(),
  })
  .strict()
  .refine((i) => (i.option === undefined) !== (i.then === undefined), 'give the intent either "option" (a key of this menu) or "then" (an action), not both');

/** How a menu listens for spoken replies (`"speech": true` takes these defaults). */
export const speechSettingsSchema = z
  .object({
    /** The longest reply recorded (Azure's short-audio recognition takes at most 60 s). */
    maxSeconds: z.number().int().min(2).max(60).default(10),
    /** Played when a reply was heard but not understood: name the choices. Defaults to retryPrompt. */
    notUnderstoodPrompt: promptSchema.optional(),
    /** Played instead of the prompt when the menu cannot listen (no recogniser for the caller's language): keys only. */
    keysPrompt: promptSchema.optional(),
    /** What happens to an upset caller, whatever they asked for (e.g. a transfer to a person). */
    onNegative: menuActionSchema.optional(),
  })
  .strict();

export const menuSchema = z
  .object({
    prompt: promptSchema,
    options: z.partialRecord(z.enum(KEYS), menuActionSchema).refine((o) => Object.keys(o).length > 0, 'a menu needs at least one option'),
    timeoutSeconds: z.number().int().min(1).max(60).default(8),
    maxRetries: z.number().int().min(0).max(5).default(2),
    retryPrompt: promptSchema.optional(),
    fallback: menuActionSchema.default({ action: 'hangup' }),
    /** Also listen for a spoken reply (keys keep working): true, or settings. Needs `intents`. */
    speech: z.union([z.boolean(), speechSettingsSchema]).default(false),
    /** The spoken choices, by name (the name is what the call card and the tab show). */
    intents: z.record(name, intentSchema).default({}),
  })
  .strict();

const reject = z.object({ action: z.literal('reject'), reason: z.enum(['none', 'busy', 'forbidden']).default('none') }).strict();
const redirect = z
  .object({
    action: z.literal('redirect'),
    to: z.union([person, z.array(person).min(1).max(25)]),
    voicemail: z.boolean().default(false),
    timeoutSeconds: z.number().int().min(15).max(90).optional(),
  })
  .strict();
const answer = z
  .object({
    action: z.literal('answer'),
    menu: name,
    /** The language the menus speak (and listen in) for these callers; otherwise the caller's own, else the front desk's. */
    language: languageTagSchema.optional(),
  })
  .strict();

export const incomingActionSchema = z.discriminatedUnion('action', [reject, redirect, answer, enqueueActionSchema]);

export const ruleSchema = z
  .object({
    name,
    when: z
      .object({
        callerIn: z.union([name, z.array(name).min(1)]).optional(),
        caller: z.array(person).min(1).optional(),
        hours: z.enum(['open', 'closed']).optional(),
      })
      .strict()
      .refine((w) => Object.keys(w).length > 0, 'say when the rule applies: callerIn, caller or hours'),
    then: incomingActionSchema,
  })
  .strict();

/** Call queues (comms/queues), with the front desk's prompts. */
const queueSection = queueSectionSchema(promptSchema);

export const frontDeskSchema = z
  .object({
    timezone: z.string().refine(isTimeZone, 'use an IANA time zone such as Europe/London or America/New_York').default('UTC'),
    /** The language menus speak when neither the rule nor the caller says otherwise. */
    language: languageTagSchema.default('en-US'),
    hours: z
      .array(z.object({ days: z.array(z.enum(DAYS)).min(1), from: time, to: time }).strict().refine((h) => h.from < h.to, 'from must be before to'))
      .default([]),
    people: z.record(name, person).default({}),
    groups: z.record(name, z.array(person)).default({}),
    rules: z.array(ruleSchema).default([]),
    default: incomingActionSchema,
    menus: z.record(name, menuSchema).default({}),
    queues: queueSection.section,
  })
  .strict();

export type Prompt = z.infer<typeof promptSchema>;
export type MenuAction = z.infer<typeof menuActionSchema>;
export type Menu = z.infer<typeof menuSchema>;
export type Intent = z.infer<typeof intentSchema>;
export type SpeechSettings = z.infer<typeof speechSettingsSchema>;
export type IncomingAction = z.infer<typeof incomingActionSchema>;
export type Rule = z.infer<typeof ruleSchema>;
export type FrontDesk = z.infer<typeof frontDeskSchema>;
export type QueueConfig = z.infer<typeof queueSection.queue>;
export type QueueAction = z.infer<typeof queueSection.action>;
export type Day = (typeof DAYS)[number];
export type Key = (typeof KEYS)[number];

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
