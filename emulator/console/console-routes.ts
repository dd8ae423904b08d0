// GET /emulator/console: the web console where a person acts as an emulated user. Static files only, served with a
// Content-Security-Policy that allows nothing but this origin (and prompt audio from the app's origin).

import type { HttpReply } from '../http/http-types.js';
import { CONTROL_PREFIX, type ControlRoute } from '../control/control-area.js';
import { loadConsoleAssets, type ConsoleAsset } from './console-assets.js';

export const CONSOLE_PATH = `${CONTROL_PREFIX}/console`;

/** Prompts are WAV files on the app's origin (http://127.0.0.1:<port> locally, https in the cloud). */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  'media-src *',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function consoleRoutes(): ControlRoute[] {
  const assets = loadConsoleAssets();
  const serve = (name: string) => (): HttpReply => reply(assets.get(name)!);
  return [
    {
      method: 'GET',
      path: CONSOLE_PATH,
      description: 'The web console (HTML): act as an emulated person — call the bot, answer its calls, press keys, hear its prompts, watch the live log.',
      handle: serve('console.html'),
    },
    { method: 'GET', path: `${CONSOLE_PATH}/console.js`, description: 'The console\'s script.', handle: serve('console.js') },
    { method: 'GET', path: `${CONSOLE_PATH}/console.css`, description: 'The console\'s style sheet.', handle: serve('console.css') },
  ];
}

function reply(asset: ConsoleAsset): HttpReply {
  return {
    status: 200,
    body: asset.body,
    headers: {
      'content-type': asset.contentType,
      'content-security-policy': CONSOLE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    },
  };
}
