// The emulated phone network: telephone numbers outside the tenant (PSTN) that ring, answer, decline and press keys
// like people do, and the tenant's application instances (resource accounts) that give a bot a phone number
// (cloud-communications-phone-number.md). Numbers are in the 555-01xx range reserved for fiction.

import type { EmulatedApplicationInstance, EmulatedPhone, EmulatedUser } from '../emulator-options.js';

/** E.164 as Graph takes it in `identity.phone.id`: a plus, then 7 to 15 digits. */
export const E164 = /^\+[1-9]\d{6,14}$/;

/** The local app's resource account (well-known, like the development app id: the server's local mode uses it too). */
export const DEV_APPLICATION_INSTANCE_ID = '5c0e7d2a-91b4-4f3e-8a6d-0b7c2e9f4a11';
export const DEV_APPLICATION_INSTANCE_NUMBER = '+14255550100';

export const DEFAULT_PHONES: EmulatedPhone[] = [
  { number: '+14255550142', displayName: 'Dana Whitaker (mobile)' },
  { number: '+14255550143' },
  { number: '+442079460958' },
];

export function defaultApplicationInstance(applicationId: string): EmulatedApplicationInstance {
  return {
    id: DEV_APPLICATION_INSTANCE_ID,
    displayName: 'Switchboard Front Desk',
    userPrincipalName: 'frontdesk-ra@switchboard.test',
    phoneNumber: DEV_APPLICATION_INSTANCE_NUMBER,
    applicationId,
  };
}

/** "+1 425 555 0142", "+1-425-555-0142" → "+14255550142"; undefined when it is not a phone number. */
export function normalizeNumber(value: string): string | undefined {
  const compact = value.replace(/[\s().-]/g, '');
  return E164.test(compact) ? compact : undefined;
}

/**
 * A phone as the calling service's people machinery sees it (ringing, behaviours, key presses): its id is the number.
 * It is never a directory user: /users does not list it.
 */
export function phoneAsPerson(phone: EmulatedPhone): EmulatedUser {
  return { id: phone.number, displayName: phone.displayName ?? phone.number, givenName: '', surname: '', userPrincipalName: phone.number, mail: '' };
}

/** True for the people the phone network holds (their id is an E.164 number). */
export function isPhonePerson(user: { id: string }): boolean {
  return E164.test(user.id);
}
