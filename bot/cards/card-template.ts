// One way to build every card: an Adaptive Card template (plain JSON with ${} bindings) expanded with data.
import * as ACData from 'adaptivecards-templating';
import { CardFactory, type Attachment } from 'botbuilder';
import { shownDeep } from './shown-text.js';

export type CardJson = Record<string, unknown>;

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const CARD_VERSION = '1.5';

/** Expands the template; every string in the data is made safe to show first (`<person>` would vanish in Teams). */
export function expandCard(template: CardJson, data: Record<string, unknown>): CardJson {
  return new ACData.Template({ type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: CARD_VERSION, ...template }).expand({ $root: shownDeep(data) }) as CardJson;
}

export function asAttachment(card: CardJson): Attachment {
  return CardFactory.adaptiveCard(card);
}

/** An Action.Execute button (Universal Actions): Teams sends an adaptiveCard/action invoke with this verb and data. */
export function executeAction(title: string, verb: string, data: Record<string, unknown>, style?: 'positive' | 'destructive'): CardJson {
  return { type: 'Action.Execute', title, verb, data, ...(style ? { style } : {}) };
}
