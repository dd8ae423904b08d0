// The media service's download URL space (/media/recordings/{id}): a recordResponse recording is served as
// application/octet-stream only to `Authorization: Bearer <recordingAccessToken>`; gone once its call has ended.

import { timingSafeEqual, createHash } from 'node:crypto';
import { EmulatorError } from '../emulator-error.js';
import { emulatorErrorReply, emulatorStatusError } from '../http/emulator-reply.js';
import { headerValue, type HttpReply } from '../http/http-types.js';
import type { Area } from '../http/request-pipeline.js';
import { RouteTable } from '../http/route-table.js';
import type { CallsEngine } from './calls-engine.js';

export const RECORDINGS_PREFIX = '/media/recordings';

export function createRecordingsArea(engine: CallsEngine): Area {
  const routes = new RouteTable<true>().add('GET', `${RECORDINGS_PREFIX}/:id`, true);
  return {
    name: 'media',
    observed: true,
    owns: (path) => path.toLowerCase().startsWith('/media/'),
    headers: () => ({ 'content-type': 'application/json; charset=utf-8' }),
    statusReply: (_request, status) => emulatorErrorReply(emulatorStatusError(status)),
    async handle(request): Promise<HttpReply> {
      const match = routes.resolve(request.method, request.path);
      if (match.kind !== 'found') {
        return emulatorErrorReply(match.kind === 'method-not-allowed'
          ? new EmulatorError('emulator/method-not-allowed', `${request.method} is not allowed on ${request.path}.`, 405)
          : new EmulatorError('emulator/not-found', `No emulator route for ${request.method} ${request.path}.`, 404));
      }
      const recording = engine.recordings.get(match.params.id!);
      const token = /^Bearer\s+(\S+)\s*$/i.exec(headerValue(request, 'authorization') ?? '')?.[1];
      if (!token || (recording && !sameToken(token, recording.token))) {
        return { ...emulatorErrorReply(new EmulatorError('media/unauthorized', 'A recording is downloaded with Authorization: Bearer <recordingAccessToken> from the completed recordResponse notification.', 401)), headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer' } };
      }
      if (!recording) return emulatorErrorReply(new EmulatorError('media/recording-not-found', 'The recording does not exist or was discarded when its call ended.', 404));
      engine.events.emit('recording.downloaded', { callId: recording.callId, recordingId: recording.id });
      return { status: 200, headers: { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' }, body: recording.wav };
    },
  };
}

function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}
