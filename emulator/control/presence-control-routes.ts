// Control routes for presence: read a person's presence, set one that holds (PascalCase values as on the wire), or
// clear it so it follows calls and meetings again.

import { z } from 'zod';
import type { UserDirectory } from '../directory/user-directory.js';
import { EmulatorError } from '../emulator-error.js';
import { jsonReply, parseJsonBody, parseWith } from '../http/emulator-reply.js';
import { ACTIVITY, AVAILABILITY, type PresenceBook } from '../presence/presence-book.js';
import { CONTROL_PREFIX, type ControlRoute } from './control-area.js';

const presenceSchema = z.strictObject({ availability: z.enum(AVAILABILITY), activity: z.enum(ACTIVITY) });

export function presenceControlRoutes(book: PresenceBook, directory: UserDirectory): ControlRoute[] {
  const known = (idOrUpn: string) => {
    const user = directory.find(idOrUpn);
    if (user) return user.id;
    if (book.get(idOrUpn)) return idOrUpn;
    throw new EmulatorError('emulator/unknown-person', `There is no emulated person '${idOrUpn}': GET /emulator/people lists them.`, 404);
  };
  const view = (id: string) => book.get(id)!;
  return [
    {
      method: 'GET',
      path: `${CONTROL_PREFIX}/people/:person/presence`,
      description: 'A person\'s presence: { id, availability, activity, overridden }.',
      handle: (_r, p) => jsonReply(200, view(known(p.person!))),
    },
    {
      method: 'PUT',
      path: `${CONTROL_PREFIX}/people/:person/presence`,
      description: 'Set a presence that holds until cleared: { availability, activity } (PascalCase, e.g. "Away", "BeRightBack") → the presence.',
      handle: (request, p) => {
        const body = parseWith(presenceSchema, parseJsonBody(request) ?? {});
        const id = known(p.person!);
        book.set(id, body);
        return jsonReply(200, view(id));
      },
    },
    {
      method: 'DELETE',
      path: `${CONTROL_PREFIX}/people/:person/presence`,
      description: 'Clear a set presence: it follows calls and meetings again → the presence.',
      handle: (_r, p) => {
        const id = known(p.person!);
        book.clear(id);
        return jsonReply(200, view(id));
      },
    },
  ];
}
