// The front-desk file: the sample is valid, and every kind of mistake is reported with its field and line.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IvrError, loadFrontDeskFile, parseFrontDesk } from '../../../comms/ivr/index.js';
import { encodeWav, toneSequence } from '../../../comms/speech/index.js';
import { SAMPLE_FRONT_DESK } from '../../../server/config.js';

const MINIMAL = {
  default: { action: 'answer', menu: 'main' },
  menus: { main: { prompt: { text: 'Hello' }, options: { '9': { action: 'repeat' } } } },
};

function problemsOf(text: string): Array<{ line?: number; field: string }> {
  try {
    parseFrontDesk(text);
  } catch (err) {
    assert.ok(err instanceof IvrError);
    assert.equal(err.code, 'ivr/invalid-front-desk');
    return err.problems.map(({ line, field }) => ({ line, field }));
  }
  assert.fail('expected the front desk to be refused');
}

const withChange = (change: (d: any) => void): string => {
  const desk = structuredClone(MINIMAL) as any;
  change(desk);
  return JSON.stringify(desk, null, 2);
};

describe('comms/ivr front-desk file', () => {
  it('accepts the sample front desk that ships as the default', async () => {
    const loaded = await loadFrontDeskFile(SAMPLE_FRONT_DESK);
    assert.deepEqual(Object.keys(loaded.desk.menus), ['main', 'hours']);
    assert.equal(loaded.desk.default.action, 'answer');
  });

  it('accepts per-language prompts and a speech menu; a region falls back to its language', () => {
    const desk = parseFrontDesk(withChange((d) => {
      d.language = 'en-GB';
      d.rules = [{ name: 'de', when: { caller: ['a@x.test'] }, then: { action: 'answer', menu: 'main', language: 'de-AT' } }];
      d.menus.main.prompt = { text: { en: 'Hello', de: 'Hallo' } };
      d.menus.main.speech = { onNegative: { action: 'hangup' } };
      d.menus.main.intents = { again: { option: '9', phrases: ['again', 'repeat that'] } };
    }));
    assert.equal(desk.language, 'en-GB');
    assert.deepEqual(desk.menus.main!.speech, { maxSeconds: 10, onNegative: { action: 'hangup' } });
    assert.deepEqual(desk.menus.main!.intents.again, { option: '9', phrases: ['again', 'repeat that'] });
  });

  it('fills the documented defaults', () => {
    const desk = parseFrontDesk(JSON.stringify(MINIMAL));
    assert.equal(desk.timezone, 'UTC');
    assert.deepEqual(desk.menus.main!.fallback, { action: 'hangup' });
    assert.equal(desk.menus.main!.timeoutSeconds, 8);
    assert.equal(desk.menus.main!.maxRetries, 2);
  });

  it('reports a JSON syntax error with its line', () => {
    const lines = problemsOf('{\n  "default": {\n    "action": "answer",,\n  }\n}').map((p) => p.line);
    assert.ok(lines.length > 0 && lines.every((line) => line === 3), `lines: ${lines}`);
  });

  const broken: Array<[string, (d: any) => void, string]> = [
    ['an unknown action', (d) => (d.default = { action: 'ring' }), 'default.action'],
    ['a reject reason that does not exist', (d) => (d.default = { action: 'reject', reason: 'maybe' }), 'default.reason'],
    ['a redirect with 26 targets', (d) => (d.default = { action: 'redirect', to: Array.from({ length: 26 }, (_, i) => `u${i}@x.test`) }), 'default.to'],
    ['a redirect timeout under 15 s', (d) => (d.default = { action: 'redirect', to: 'a@x.test', timeoutSeconds: 5 }), 'default.timeoutSeconds'],
    ['an answer into a menu that does not exist', (d) => (d.default.menu = 'nope'), 'default.menu'],
    ['a submenu that does not exist', (d) => (d.menus.main.options['3'] = { action: 'menu', menu: 'gone' }), 'menus.main.options.3.menu'],
    ['a key that is not a phone key', (d) => (d.menus.main.options.x = { action: 'repeat' }), 'menus.main.options'],
    ['a menu with no options', (d) => (d.menus.main.options = {}), 'menus.main.options'],
    ['a retry limit of 9', (d) => (d.menus.main.maxRetries = 9), 'menus.main.maxRetries'],
    ['a record longer than 2 minutes', (d) => (d.menus.main.options['2'] = { action: 'record', prompt: { text: 'x' }, maxSeconds: 121 }), 'menus.main.options.2.maxSeconds'],
    ['a prompt with no text', (d) => (d.menus.main.prompt = { text: '' }), 'menus.main.prompt.text'],
    ['an unknown time zone', (d) => (d.timezone = 'Mars/Olympus'), 'timezone'],
    ['business hours that end before they start', (d) => (d.hours = [{ days: ['mon'], from: '18:00', to: '09:00' }]), 'hours[0]'],
    ['a time that is not HH:MM', (d) => (d.hours = [{ days: ['mon'], from: '9am', to: '17:00' }]), 'hours[0].from'],
    ['a rule on a group that does not exist', (d) => (d.rules = [{ name: 'r', when: { callerIn: 'ghosts' }, then: { action: 'reject' } }]), 'rules[0].when.callerIn'],
    ['a rule with no condition', (d) => (d.rules = [{ name: 'r', when: {}, then: { action: 'reject' } }]), 'rules[0].when'],
    ['a rule on hours when no hours are set', (d) => (d.rules = [{ name: 'r', when: { hours: 'closed' }, then: { action: 'reject' } }]), 'rules[0].when.hours'],
    ['a person who is neither UPN, id, phone nor alias', (d) => (d.menus.main.options['1'] = { action: 'transfer', to: 'bob' }), 'menus.main.options.1.to'],
    ['an alias that is not a person', (d) => (d.people = { boss: 'the boss' }), 'people.boss'],
    ['an unknown top-level field', (d) => (d.extra = true), ''],
    ['a language that is not a language tag', (d) => (d.language = 'German'), 'language'],
    ['a menu that listens with no intents', (d) => (d.menus.main.speech = true), 'menus.main.speech'],
    ['intents in a menu that does not listen', (d) => (d.menus.main.intents = { billing: { option: '9', phrases: ['billing'] } }), 'menus.main.intents'],
    ['an intent with no phrases', (d) => ((d.menus.main.speech = true), (d.menus.main.intents = { billing: { option: '9', phrases: [] } })), 'menus.main.intents.billing.phrases'],
    ['an intent for a key the menu does not have', (d) => ((d.menus.main.speech = true), (d.menus.main.intents = { billing: { option: '2', phrases: ['bill'] } })), 'menus.main.intents.billing.option'],
    ['an intent with both a key and an action', (d) => ((d.menus.main.speech = true), (d.menus.main.intents = { billing: { option: '9', then: { action: 'hangup' }, phrases: ['bill'] } })), 'menus.main.intents.billing'],
    ['an upset-caller action to nobody', (d) => ((d.menus.main.speech = { onNegative: { action: 'transfer', to: 'nobody' } }), (d.menus.main.intents = { billing: { option: '9', phrases: ['bill'] } })), 'menus.main.speech.onNegative.to'],
    ['a spoken reply longer than Azure hears (60 s)', (d) => ((d.menus.main.speech = { maxSeconds: 90 }), (d.menus.main.intents = { billing: { option: '9', phrases: ['bill'] } })), 'menus.main.speech.maxSeconds'],
    ['a per-language prompt missing the front desk\'s language', (d) => ((d.language = 'en-US'), (d.menus.main.prompt = { text: { de: 'Hallo' } })), 'menus.main.prompt.text'],
    ['a rule\'s language with no text in a per-language prompt', (d) => ((d.rules = [{ name: 'fr', when: { caller: ['a@x.test'] }, then: { action: 'answer', menu: 'main', language: 'fr-FR' } }]), (d.menus.main.prompt = { text: { en: 'Hello', de: 'Hallo' } })), 'menus.main.prompt.text'],
  ];
  for (const [name, change, field] of broken) {
    it(`refuses ${name}, naming ${field || 'the file'} and its line`, () => {
      const problems = problemsOf(withChange(change));
      assert.ok(problems.some((p) => p.field === field), `fields reported: ${JSON.stringify(problems)}`);
      assert.ok(problems.every((p) => typeof p.line === 'number' && p.line >= 1), 'every problem has a line');
    });
  }

  it('loads WAV prompt files relative to the front-desk file and refuses ones Graph cannot play', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-desk-'));
    writeFileSync(join(dir, 'hello.wav'), encodeWav(toneSequence([[440, 100]])));
    writeFileSync(join(dir, 'cd-quality.wav'), encodeWav(toneSequence([[440, 100]], 44100), 44100));
    const desk = (file: string) => JSON.stringify({ ...MINIMAL, menus: { main: { ...MINIMAL.menus.main, prompt: { file } } } });
    writeFileSync(join(dir, 'good.jsonc'), desk('hello.wav'));
    writeFileSync(join(dir, 'bad.jsonc'), desk('cd-quality.wav'));
    writeFileSync(join(dir, 'missing.jsonc'), desk('nope.wav'));
    const loaded = await loadFrontDeskFile(join(dir, 'good.jsonc'));
    assert.equal(loaded.promptFiles.get('hello.wav')?.length, readFileSync(join(dir, 'hello.wav')).length);
    for (const name of ['bad.jsonc', 'missing.jsonc']) {
      await assert.rejects(loadFrontDeskFile(join(dir, name)), (err: IvrError) => err.code === 'ivr/invalid-front-desk' && err.problems[0]!.field === 'menus.main.prompt');
    }
  });

  it('reports an unreadable file with its own code', async () => {
    await assert.rejects(loadFrontDeskFile('/no/such/front-desk.jsonc'), (err: IvrError) => err.code === 'ivr/unreadable-front-desk');
  });
});
