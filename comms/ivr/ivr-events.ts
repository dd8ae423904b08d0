// The events comms/ivr publishes on the bus: the menu engine's steps and recordings, and the front desk's file
// loads and the incoming calls it handled.
import type { HandledCall } from './front-desk.js';
import type { Key, MenuAction } from './front-desk-schema.js';
import type { FrontDeskProblem } from './ivr-error.js';

export const IVR_EVENTS = {
  step: 'ivr.step',
  recording: 'ivr.recording',
} as const;

export const FRONT_DESK_EVENTS = {
  handled: 'frontdesk.handled',
  loaded: 'frontdesk.loaded',
  invalid: 'frontdesk.invalid',
} as const;

/** One step of a caller's walk through the menus (what was played, pressed, decided). */
export type IvrStepEvent = {
  type: 'ivr.step';
  callId: string;
  step: string;
  menu?: string;
  retry?: boolean;
  key?: Key;
  known?: boolean;
  to?: Extract<MenuAction, { action: 'transfer' }>['to'];
  why?: string;
  /** The menu listens for a spoken reply as well as keys. */
  listening?: boolean;
  /** A spoken reply's decision (step `spoken`): never the words. */
  routed?: SpokenDecision;
};

/** How a spoken reply was understood — what the call keeps, shows and logs instead of what was said. */
export interface SpokenDecision {
  outcome: 'intent' | 'upset' | 'not-understood';
  intent?: string;
  /** 0..1 */
  confidence: number;
  sentiment: 'negative' | 'neutral' | 'positive';
}

/** A message was recorded (its size only: the audio itself is never published). */
export type IvrRecordingEvent = { type: 'ivr.recording'; callId: string; menu: string; bytes: number; contentType: string };

export type FrontDeskHandledEvent = { type: 'frontdesk.handled' } & HandledCall;

export type FrontDeskLoadedEvent = { type: 'frontdesk.loaded'; path: string; rules: number; menus: number };

export type FrontDeskInvalidEvent = { type: 'frontdesk.invalid'; path: string; code: string; problems: FrontDeskProblem[] };

export type IvrEvent = IvrStepEvent | IvrRecordingEvent | FrontDeskHandledEvent | FrontDeskLoadedEvent | FrontDeskInvalidEvent;
