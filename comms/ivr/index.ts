// comms/ivr: the front desk (rules as data) and the IVR menus it answers calls into.
export { FrontDesk, FRONT_DESK_LOG, type FrontDeskOptions, type HandledCall } from './front-desk.js';
export { IVR_EVENTS, FRONT_DESK_EVENTS, type IvrEvent, type IvrStepEvent, type IvrRecordingEvent, type FrontDeskHandledEvent, type FrontDeskLoadedEvent, type FrontDeskInvalidEvent } from './ivr-events.js';
export { MenuEngine, SORRY_PROMPT, END_OF_REPLY_SECONDS, toCallTarget, type IvrPosition, type IvrDeadlines } from './menu-engine.js';
export { loadFrontDeskFile, parseFrontDesk, isDirectPerson, type LoadedFrontDesk } from './front-desk-file.js';
export { compileFrontDesk, decideIncoming, isOpen, personFor, type CompiledFrontDesk, type Decision, type PersonIdentity, type PersonResolver } from './front-desk-rules.js';
export { frontDeskSchema, type FrontDesk as FrontDeskRules, type Menu, type MenuAction, type Prompt, type Rule } from './front-desk-schema.js';
export { IvrError, type FrontDeskProblem } from './ivr-error.js';
export { spokenReplyListener, type SpokenReplyListener } from './spoken-reply.js';
export { describeRouting } from './front-desk.js';
export type { SpokenDecision } from './ivr-events.js';
