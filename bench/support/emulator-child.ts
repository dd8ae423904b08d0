// Child-process entry for the bench's emulator: Microsoft's side runs in its own process, so the app's figures
// (latency, event-loop delay, memory per call) are not charged for the emulator's work. Takes the emulator's options
// as JSON in argv, reports where it listens over IPC, signs calling tokens on request, and exits when told to or
// when the parent goes away.
import { startEmulator, type EmulatorOptions } from '../../emulator/index.js';

export type ChildRequest =
  | { id: number; type: 'sign'; claims: { audience: string; tenantId?: string; issuer?: string; expiresInSeconds?: number } }
  | { id: number; type: 'calling-webhook'; clientId: string; url: string }
  | { id: number; type: 'messaging-endpoint'; clientId?: string; url: string }
  | { id: number; type: 'close' };

export type ChildReply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: string };

export interface ChildReady {
  type: 'ready';
  url: string;
  port: number;
  tenantId: string;
  caCertPem: string;
  caCertPath: string;
  authorityUrl: string;
  graphUrl: string;
  callingOpenIdMetadataUrl: string;
  connectorUrl: string;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
  const emulator = await startEmulator(options);
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= emulator.close().catch(() => undefined));
  process.on('disconnect', () => void close().then(() => process.exit(0)));
  process.on('message', (message: ChildRequest) => {
    void (async () => {
      try {
        let value: unknown;
        switch (message.type) {
          case 'sign':
            value = await emulator.signCallingToken(message.claims);
            break;
          case 'calling-webhook':
            emulator.setCallingWebhook(message.clientId, message.url);
            break;
          case 'messaging-endpoint':
            emulator.setMessagingEndpoint(message.url, message.clientId);
            break;
          case 'close':
            await close();
            process.send?.({ id: message.id, ok: true } satisfies ChildReply, () => process.exit(0));
            return;
        }
        process.send?.({ id: message.id, ok: true, value } satisfies ChildReply);
      } catch (err) {
        process.send?.({ id: message.id, ok: false, error: (err as Error).message } satisfies ChildReply);
      }
    })();
  });
  const ready: ChildReady = {
    type: 'ready',
    url: emulator.url,
    port: emulator.port,
    tenantId: emulator.tenantId,
    caCertPem: emulator.caCertPem,
    caCertPath: emulator.caCertPath,
    authorityUrl: emulator.authorityUrl,
    graphUrl: emulator.graphUrl,
    callingOpenIdMetadataUrl: emulator.callingOpenIdMetadataUrl,
    connectorUrl: emulator.connectorUrl,
  };
  process.send?.(ready);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench emulator could not start: ${(err as Error).message}\n`);
  process.exit(1);
});
