// Call queues as data: the `queues` section of the front-desk file and the `enqueue` action that puts a caller in one.
// front-desk-schema.ts builds the section with its own prompt schema (queueSectionSchema), so prompts here take the
// same forms as every other prompt (a text, texts per language, or a WAV file). Defaults follow Teams call queues
// (New-CsCallQueue) where Teams has the setting; the names of Asterisk's app_queue where it does not.
import { z } from 'zod';

export const ROUTING_METHODS = ['attendant', 'serial', 'round-robin', 'longest-idle'] as const;
export const CALLBACK_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const;

const name = z.string().trim().min(1).max(100);
/** A person: a UPN, an Entra user id, or an alias from the front desk's `people`. */
const person = z.string().trim().min(1).max(256);

/** `{ "action": "enqueue", "queue": "support" }`: in a menu option, a menu fallback, or an incoming rule. */
export const enqueueActionSchema = z.object({ action: z.literal('enqueue'), queue: name }).strict();

/**
 * The queue section, built on the front desk's prompt schema. `agents` are people (or `group`, a front-desk group);
 * every time is in seconds.
 */
export function queueSectionSchema<P extends z.ZodType>(prompt: P) {
  const transfer = z.object({ action: z.literal('transfer'), to: person, prompt: prompt.optional() }).strict();
  const hangup = z.object({ action: z.literal('hangup'), prompt: prompt.optional() }).strict();
  /** Redirect to a person's voicemail: Graph redirects only calls not answered yet (an incoming `enqueue`). */
  const voicemail = z.object({ action: z.literal('voicemail'), to: person }).strict();
  const otherQueue = z.object({ action: z.literal('queue'), queue: name }).strict();
  /** Keep the caller's place, hang up, and call them back when an agent is free (needs `callback`). */
  const callback = z.object({ action: z.literal('callback'), prompt: prompt.optional() }).strict();
  const action = z.discriminatedUnion('action', [transfer, hangup, voicemail, otherQueue, callback]);

  const queue = z
    .object({
      /** Agents: people, in the order `serial` rings them. */
      agents: z.array(person).max(200).default([]),
      /** …and/or every member of a front-desk group. */
      group: name.optional(),
      /** attendant rings every free agent at once (Teams' default); serial in order; round-robin; longest-idle. */
      routing: z.enum(ROUTING_METHODS).default('attendant'),
      /** How long an agent is rung before the offer moves on (Teams: 15–180, default 30). */
      alertSeconds: z.number().int().min(1).max(180).default(30),
      /** Offer calls only to agents whose presence is Available (Teams' default). */
      presenceBased: z.boolean().default(true),
      /** After a call, seconds before the agent is offered the next one. */
      wrapUpSeconds: z.number().int().min(0).max(600).default(10),
      /** Played once when the caller enters the queue. */
      greeting: prompt.optional(),
      /** The hold music (a WAV file); Switchboard's own soft melody when absent. */
      music: prompt.optional(),
      announcements: z
        .object({
          /** How often the music is interrupted by the caller's position and estimated wait (0 = never). */
          everySeconds: z.number().int().min(0).max(600).default(60),
          position: z.boolean().default(true),
          estimatedWait: z.boolean().default(true),
        })
        .strict()
        .default({ everySeconds: 60, position: true, estimatedWait: true }),
      /** The language announcements are spoken in (default: the language of the call, else the front desk's). */
      language: z.string().trim().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'use a language tag such as en, en-US or de-DE').optional(),
      /** More callers than this: the overflow action (Teams: 0–200, default 50; 0 = overflow at once). */
      maxCallers: z.number().int().min(0).max(200).default(50),
      overflow: action.default({ action: 'hangup' }),
      /** Waited longer than this: the timeout action (Teams: 0–2700, default 1200). */
      maxWaitSeconds: z.number().int().min(1).max(2700).default(1200),
      timeout: action.default({ action: 'hangup' }),
      /**
       * Nobody is signed in when a caller arrives (Teams' NoAgentAction, for new calls): this action instead of
       * waiting. Absent: the caller waits, as in Teams' default (Queue), until an agent signs in or the timeout.
       */
      noAgents: action.optional(),
      /** Answered within this many seconds counts toward the service level. */
      serviceLevelSeconds: z.number().int().min(1).max(3600).default(30),
      /** Offer a call-back instead of waiting. */
      callback: z
        .object({
          /** Offered once the caller has waited this long (announced with the position). */
          afterSeconds: z.number().int().min(0).max(2700).default(60),
          /** The key that asks for it. */
          key: z.enum(CALLBACK_KEYS).default('1'),
          /** Customer call attempts before the call-back is given up. */
          attempts: z.number().int().min(1).max(5).default(3),
          retrySeconds: z.number().int().min(1).max(3600).default(120),
        })
        .strict()
        .optional(),
    })
    .strict();

  return { queue, action, section: z.record(name, queue).default({}) };
}

/** The parsed shapes, with the prompt type of the front desk. */
export type QueueConfigOf<P> = {
  agents: string[];
  group?: string;
  routing: (typeof ROUTING_METHODS)[number];
  alertSeconds: number;
  presenceBased: boolean;
  wrapUpSeconds: number;
  greeting?: P;
  music?: P;
  announcements: { everySeconds: number; position: boolean; estimatedWait: boolean };
  language?: string;
  maxCallers: number;
  overflow: QueueActionOf<P>;
  maxWaitSeconds: number;
  timeout: QueueActionOf<P>;
  noAgents?: QueueActionOf<P>;
  serviceLevelSeconds: number;
  callback?: { afterSeconds: number; key: (typeof CALLBACK_KEYS)[number]; attempts: number; retrySeconds: number };
};

export type QueueActionOf<P> =
  | { action: 'transfer'; to: string; prompt?: P }
  | { action: 'hangup'; prompt?: P }
  | { action: 'voicemail'; to: string }
  | { action: 'queue'; queue: string }
  | { action: 'callback'; prompt?: P };

export type RoutingMethod = (typeof ROUTING_METHODS)[number];
export type EnqueueAction = z.infer<typeof enqueueActionSchema>;
