// Logs a person can read: on a terminal one short line per event (time, level, component, message, key fields, an
// error's code and advice); JSON lines when stdout is not a terminal or LOG_FORMAT=json; access logs only at debug;
// credentials redacted either way.
import assert from 'node:assert/strict';
import { chooseLogFormat, createLogger, releaseStartupLogs } from '../../server/logger.js';
import { formatLogLine, prettyStream } from '../../server/pretty-log.js';

function terminal(isTTY: boolean): { isTTY: boolean; text: string; write(t: string): boolean } {
  return { isTTY, text: '', write(t: string) { this.text += t; return true; } };
}

describe('server/logger', () => {
  it('chooses pretty on a terminal, JSON on a pipe, and obeys LOG_FORMAT', () => {
    assert.equal(chooseLogFormat({ stdout: { write: () => true, isTTY: true } }), 'pretty');
    assert.equal(chooseLogFormat({ stdout: { write: () => true, isTTY: false } }), 'json');
    assert.equal(chooseLogFormat({ stdout: { write: () => true, isTTY: true }, format: 'json' }), 'json');
    assert.equal(chooseLogFormat({ stdout: { write: () => true, isTTY: false }, format: 'pretty' }), 'pretty');
  });

  it('writes readable lines to a terminal: level, component, message and fields, no JSON', () => {
    const out = terminal(true);
    const logger = createLogger('info', undefined, { stdout: out, env: { NO_COLOR: '1' }, holdStartup: false });
    logger.child({ component: 'calls' }).info({ callId: 'c-1', state: 'established' }, 'call established');
    assert.match(out.text, /^\d\d:\d\d:\d\d INFO  calls\s+call established  callId=c-1 state=established\n$/);
    assert.doesNotMatch(out.text, /[{}]/);
  });

  it('shows an error with its code and its advice on the lines below', () => {
    const out = terminal(true);
    const logger = createLogger('info', undefined, { stdout: out, env: { NO_COLOR: '1' }, holdStartup: false });
    const err = Object.assign(new Error('the token was refused'), { code: 'graph/token-failed', advice: 'create a new client secret' });
    logger.child({ component: 'graph' }).error({ err }, 'Graph sign-in failed');
    assert.match(out.text, /ERROR graph\s+Graph sign-in failed/);
    assert.match(out.text, /Error \[graph\/token-failed\]: the token was refused/);
    assert.match(out.text, /what to do: create a new client secret/);
  });

  it('keeps redacting credentials in readable lines', () => {
    const out = terminal(true);
    createLogger('info', undefined, { stdout: out, env: { NO_COLOR: '1' }, holdStartup: false }).info({ client_secret: 's3cret', nested: { token: 'eyJabc' } }, 'signing in');
    assert.doesNotMatch(out.text, /s3cret|eyJabc/);
    assert.match(out.text, /\[redacted\]/);
  });

  it('writes JSON lines when stdout is not a terminal', () => {
    const out = terminal(false);
    createLogger('info', undefined, { stdout: out, env: {} }).info({ callId: 'c-1' }, 'call established');
    const line = JSON.parse(out.text.trim()) as { msg: string; callId: string; level: number };
    assert.equal(line.msg, 'call established');
    assert.equal(line.level, 30);
  });

  it('writes access-log lines at debug only (the app\'s "request" and the emulator\'s "emulator request")', () => {
    const atInfo = terminal(false);
    const info = createLogger('info', undefined, { stdout: atInfo, env: {} });
    info.info({ method: 'GET', path: '/healthz', status: 200, ms: 1 }, 'request');
    info.child({ component: 'emulator' }).info({ method: 'GET', path: '/v1.0/users', status: 200 }, 'emulator request');
    info.info('something that matters');
    assert.deepEqual(atInfo.text.trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg), ['something that matters']);
    const atDebug = terminal(false);
    createLogger('debug', undefined, { stdout: atDebug, env: {} }).info({ method: 'GET', path: '/healthz', status: 200 }, 'request');
    assert.equal((JSON.parse(atDebug.text) as { level: number }).level, 20);
  });

  it('on a terminal holds start-up info lines until the banner is out, but never a warning', () => {
    const out = terminal(true);
    const logger = createLogger('info', undefined, { stdout: out, env: { NO_COLOR: '1' } });
    logger.info('emulator listening');
    logger.warn('front desk file has a problem');
    assert.doesNotMatch(out.text, /emulator listening/, 'held');
    assert.match(out.text, /WARN .*front desk file has a problem/, 'a warning is shown at once');
    out.text += 'BANNER\n';
    releaseStartupLogs();
    logger.info('call placed');
    assert.match(out.text, /BANNER\n.*emulator listening\n.*call placed\n$/s, 'held lines follow the banner, in order');
  });

  it('passes through text that is not a log line, and joins lines split across writes', () => {
    const out = terminal(true);
    const stream = prettyStream(out, { colors: false });
    stream.write('not json\n{"level":30,"time":0,"msg":"he');
    stream.write('llo","component":"bot"}\n');
    assert.match(out.text, /^not json\n/);
    assert.match(out.text, /INFO  bot\s+hello\n$/);
    assert.equal(formatLogLine('[1,2]', { colors: false }), undefined);
  });
});
