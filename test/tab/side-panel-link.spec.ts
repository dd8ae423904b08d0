// The meeting card's "Open side panel" link: local mode points the browser at the panel for the meeting's chat thread
// (read from the join link); cloud mode has none (the panel opens inside the Teams meeting); a link that is not a Teams
// meeting link gives none.
import assert from 'node:assert/strict';
import { sidePanelLink } from '../../tab/server/side-panel-link.js';

const THREAD = '19:meeting_NzA3ZjQ5MmQtMzA0Ny00NjVmLWI0ZDctOWNkYmI2OTgyMWE4@thread.v2';
const JOIN = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(THREAD)}/0?context=${encodeURIComponent('{"Tid":"6e1f2a0c-4b7d-4f0e-9c3a-2d5b8e7f1a90","Oid":"457e9865-5f97-4d7f-b6f4-02eb8be04c66"}')}`;

describe('tab/server side panel link', () => {
  it('local mode: the panel URL for the meeting thread', () => {
    assert.equal(sidePanelLink('local', 'http://127.0.0.1:3978', JOIN), `http://127.0.0.1:3978/tab/side-panel?meeting=${encodeURIComponent(THREAD)}`);
  });
  it('cloud mode: none', () => {
    assert.equal(sidePanelLink('cloud', 'https://switchboard.example.com', JOIN), undefined);
  });
  it('not a meeting link: none', () => {
    for (const bad of ['https://evil.example/l/meetup-join/x', 'not a link', 'https://teams.microsoft.com/meet/1234567890?p=abc']) {
      assert.equal(sidePanelLink('local', 'http://127.0.0.1:3978', bad), undefined, bad);
    }
  });
});
