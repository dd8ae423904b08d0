// The front desk at a glance: the rules in force, in order, and what it did with today's calls.
import type { CompiledFrontDesk, HandledCall } from '../../comms/ivr/index.js';
import { basename } from 'node:path';
import { expandCard, type CardJson } from './card-template.js';
import { asClock, formatTime, type ViewerClock } from './viewer-clock.js';

const template: CardJson = {
  body: [
    { type: 'TextBlock', text: 'Front desk', weight: 'Bolder', size: 'Medium' },
    { type: 'TextBlock', text: '${source}', isSubtle: true, size: 'Small', wrap: true },
    { type: 'TextBlock', text: 'Rules, in order', weight: 'Bolder', spacing: 'Medium' },
    { type: 'FactSet', facts: [{ $data: '${rules}', title: '${name}', value: '${action}' }] },
    { type: 'TextBlock', text: "Today's calls (${handledCount})", weight: 'Bolder', spacing: 'Medium' },
    { type: 'TextBlock', $when: '${handledCount == 0}', text: 'No calls yet today.', isSubtle: true },
    { type: 'FactSet', $when: '${handledCount > 0}', facts: [{ $data: '${handled}', title: '${time} ${caller}', value: '${outcome}' }] },
  ],
};

/** The rules file is named, never its server path (the chat has no business knowing the server's folders). */
export function frontDeskCard(rules: CompiledFrontDesk | undefined, path: string | undefined, handled: HandledCall[], viewer: ViewerClock | string): CardJson {
  const clock = asClock(viewer);
  const desk = rules?.desk;
  const describe = (a: { action: string; reason?: string; to?: string | string[]; voicemail?: boolean; menu?: string; queue?: string }) =>
    a.action === 'reject' ? `reject (${a.reason})` : a.action === 'redirect' ? `redirect to ${[a.to].flat().join(', ')}${a.voicemail ? ' (voicemail)' : ''}` : a.action === 'enqueue' ? `answer into the ${a.queue} queue` : `answer into menu "${a.menu}"`;
  return expandCard(template, {
    source: desk ? `From ${path ? basename(path) : 'the front-desk file'}` : 'No valid front-desk file is loaded: incoming calls are declined. Check the server log for the problems.',
    rules: desk ? [...desk.rules.map((r) => ({ name: r.name, action: describe(r.then) })), { name: 'Everyone else', action: describe(desk.default) }] : [],
    handledCount: handled.length,
    handled: handled.slice(0, 15).map((h) => ({
      time: formatTime(h.at, clock),
      caller: h.caller.displayName ?? h.caller.phone ?? 'unknown caller',
      outcome: `${h.action}${h.detail ? ` · ${h.detail}` : ''}${h.error ? ` · failed (${h.error})` : ''} — ${h.rule}${h.routed ? ` · ${h.routed}` : ''}`,
    })),
  });
}
