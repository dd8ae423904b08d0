// One way to build every card: an Adaptive Card template (plain JSON with ${} bindings) expanded with data.
import * as ACData from 'adaptivecards-templating';
import { CardFactory, type Attachment } from 'botbuilder';

export type CardJson = Record<string, unknown>;

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const CARD_VERSION = '1.5';

export function expandCard(template: CardJson, data: Record<string, unknown>): CardJson {
  return new ACData.Template({ type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: CARD_VERSION, ...template }).expand({ $root: data }) as CardJson;
}

export function asAttachment(card: CardJson): Attachment {
  return CardFactory.adaptiveCard(card);
}

/** An Action.Execute button (Universal Actions): Teams sends an adaptiveCard/action invoke with this verb and data. */
export function executeAction(title: string, verb: string, data: Record<string, unknown>, style?: 'positive' | 'destructive'): CardJson {
  return { type: 'Action.Execute', title, verb, data, ...(style ? { style } : {}) };
}
