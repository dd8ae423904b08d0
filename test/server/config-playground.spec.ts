// The Agents Playground configuration Switchboard ships is the one generated from the emulator's people (no drift),
// and it is what the Playground's schema (0.1.1) demands: you plus exactly five others, each an emulated person with
// a real object id, in the emulated tenant.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_USERS } from '../../emulator/directory/default-users.js';
import { LOCAL_APP } from '../../server/config.js';
import { PLAYGROUND_CONFIG_FILE, playgroundConfig } from '../../server/playground/playground-config.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function generated(currentUser?: string): string {
  return playgroundConfig(DEFAULT_USERS, { tenantId: LOCAL_APP.tenantId, botAppId: LOCAL_APP.id, botName: 'Switchboard (local)', currentUser });
}

describe('server/playground: the Agents Playground configuration', () => {
  it('the shipped .m365agentsplayground.yml is exactly what npm run playground generates', () => {
    assert.equal(readFileSync(`${ROOT}${PLAYGROUND_CONFIG_FILE}`, 'utf8'), generated());
  });

  it('signs you in as an emulated person, with five other emulated people, all with their object ids', () => {
    const text = generated();
    const objectIds = [...text.matchAll(/aadObjectId: "([^"]+)"/g)].map((m) => m[1]!);
    assert.equal(objectIds.length, 6, 'currentUser and exactly five users (the schema\'s minItems and maxItems)');
    for (const id of objectIds) {
      assert.match(id, GUID);
      assert.ok(DEFAULT_USERS.some((u) => u.id === id), `${id} is an emulated person`);
    }
    assert.match(text, /currentUser:\n {2}id: "29:bff4498d-477a-4f74-90d4-d940c6663180"\n {2}name: "Amara Okafor"/);
    assert.match(text, new RegExp(`tenantId: "${LOCAL_APP.tenantId}"`));
    assert.match(text, /^version: "0\.1\.1"$/m);
  });

  it('can sign you in as someone else, and refuses a person who does not exist', () => {
    assert.match(generated('grace.whitfield@switchboard.test'), /currentUser:\n {2}id: "29:[^"]+"\n {2}name: "Grace Whitfield"/);
    assert.throws(() => generated('nobody@switchboard.test'), /not one of the emulated people/);
  });
});
