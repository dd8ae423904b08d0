// The built-in tenant: eight invented people (names, ids and the switchboard.test domain are fictional;
// phone numbers are in the 555-01xx range reserved for fiction).

import type { EmulatedUser } from '../emulator-options.js';

export const DEFAULT_USERS: EmulatedUser[] = [
  {
    id: 'bff4498d-477a-4f74-90d4-d940c6663180', displayName: 'Amara Okafor', givenName: 'Amara', surname: 'Okafor',
    userPrincipalName: 'amara.okafor@switchboard.test', mail: 'amara.okafor@switchboard.test',
    jobTitle: 'Front Desk Lead', officeLocation: 'Lisbon HQ 1.04', businessPhones: ['+1 425 555 0101'],
    mobilePhone: '+1 425 555 0181', preferredLanguage: 'en-US',
  },
  {
    id: 'b6b18e27-b13c-4356-8d3b-e1b8e4ff07c2', displayName: 'Jonas Lindqvist', givenName: 'Jonas', surname: 'Lindqvist',
    userPrincipalName: 'jonas.lindqvist@switchboard.test', mail: 'jonas.lindqvist@switchboard.test',
    jobTitle: 'Sales Manager', officeLocation: 'Lisbon HQ 2.11', businessPhones: ['+1 425 555 0102'],
    mobilePhone: null, preferredLanguage: 'sv-SE',
  },
  {
    id: '1040f954-ed84-4781-8ae8-c5be0cff9a25', displayName: 'Priya Raman', givenName: 'Priya', surname: 'Raman',
    userPrincipalName: 'priya.raman@switchboard.test', mail: 'priya.raman@switchboard.test',
    jobTitle: 'Support Engineer', officeLocation: 'Remote', businessPhones: ['+1 425 555 0103'],
    mobilePhone: '+1 425 555 0183', preferredLanguage: 'en-GB',
  },
  {
    id: '457e9865-5f97-4d7f-b6f4-02eb8be04c66', displayName: 'Mateo Alvarez', givenName: 'Mateo', surname: 'Alvarez',
    userPrincipalName: 'mateo.alvarez@switchboard.test', mail: 'mateo.alvarez@switchboard.test',
    jobTitle: 'Chief Executive Officer', officeLocation: 'Lisbon HQ 3.01', businessPhones: ['+1 425 555 0104'],
    mobilePhone: '+1 425 555 0184', preferredLanguage: 'es-ES',
  },
  {
    id: 'eb3e07a3-5118-49e3-8cfb-9b53615bf41c', displayName: 'Hana Sato', givenName: 'Hana', surname: 'Sato',
    userPrincipalName: 'hana.sato@switchboard.test', mail: 'hana.sato@switchboard.test',
    jobTitle: 'Product Designer', officeLocation: 'Lisbon HQ 2.07', businessPhones: [],
    mobilePhone: null, preferredLanguage: 'ja-JP',
  },
  {
    id: '1747c62f-87e9-42f4-9aab-375118874913', displayName: 'Elif Demir', givenName: 'Elif', surname: 'Demir',
    userPrincipalName: 'elif.demir@switchboard.test', mail: 'elif.demir@switchboard.test',
    jobTitle: 'IT Administrator', officeLocation: 'Lisbon HQ 1.12', businessPhones: ['+1 425 555 0106'],
    mobilePhone: '+1 425 555 0186', preferredLanguage: 'tr-TR',
  },
  {
    id: 'ff980524-d396-4b6f-8347-3d6e5647b798', displayName: 'Tomasz Nowak', givenName: 'Tomasz', surname: 'Nowak',
    userPrincipalName: 'tomasz.nowak@switchboard.test', mail: 'tomasz.nowak@switchboard.test',
    jobTitle: 'Account Executive', officeLocation: 'Warsaw 4.02', businessPhones: ['+1 425 555 0107'],
    mobilePhone: null, preferredLanguage: 'pl-PL',
  },
  {
    id: '08346ca1-b1a2-4acc-98f0-8001af456346', displayName: 'Grace Whitfield', givenName: 'Grace', surname: 'Whitfield',
    userPrincipalName: 'grace.whitfield@switchboard.test', mail: 'grace.whitfield@switchboard.test',
    jobTitle: 'Office Manager', officeLocation: 'Lisbon HQ 1.01', businessPhones: ['+1 425 555 0108'],
    mobilePhone: '+1 425 555 0188', preferredLanguage: 'en-US',
  },
];
