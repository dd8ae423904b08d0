// Generated meeting attendees for scripts that need more people than the directory has (1,000 in a town hall): names
// from fictional lists, ids and UPNs derived from the seed, so the same script seed gives the same people.

import type { EmulatedUser } from '../emulator-options.js';
import { stableGuid } from '../identity/stable-id.js';
import { SeededRandom } from '../support/seeded-random.js';

const GIVEN = [
  'Ada', 'Bram', 'Chidi', 'Dalia', 'Emeka', 'Freya', 'Goran', 'Hiro', 'Ines', 'Jalen', 'Kaia', 'Luca', 'Mirela', 'Nadia',
  'Omar', 'Pilar', 'Quinn', 'Rhea', 'Sami', 'Tove', 'Umar', 'Vera', 'Wren', 'Xiomara', 'Yusuf', 'Zofia', 'Anouk', 'Bilal',
  'Carmen', 'Dmitri', 'Esra', 'Farah', 'Gideon', 'Hana', 'Idris', 'Juno', 'Kenji', 'Leila', 'Mateus', 'Noor',
];
const FAMILY = [
  'Abara', 'Berg', 'Castell', 'Dimitrov', 'Eklund', 'Farouk', 'Grabowski', 'Haddad', 'Ibarra', 'Jovanovic', 'Kowalczyk',
  'Lindgren', 'Moreau', 'Nakamura', 'Okonkwo', 'Petrov', 'Quintero', 'Rossi', 'Sandoval', 'Takahashi', 'Ueda', 'Varga',
  'Weiss', 'Yilmaz', 'Zeller', 'Almeida', 'Brennan', 'Costa', 'Duarte', 'Esposito', 'Fischer', 'Gallo', 'Horvat',
];

export const SYNTHETIC_DOMAIN = 'guests.switchboard.test';

export function syntheticPeople(seed: string, count: number): EmulatedUser[] {
  const random = new SeededRandom('synthetic-people', seed);
  const people: EmulatedUser[] = [];
  for (let i = 0; i < count; i++) {
    const givenName = random.pick(GIVEN);
    const surname = random.pick(FAMILY);
    const upn = `${givenName}.${surname}.${i + 1}@${SYNTHETIC_DOMAIN}`.toLowerCase();
    people.push({
      id: stableGuid('synthetic-attendee', seed, String(i)),
      displayName: `${givenName} ${surname}`,
      givenName,
      surname,
      userPrincipalName: upn,
      mail: upn,
    });
  }
  return people;
}
