// Times requests inside the app's own HTTP server (from the moment Node has the request's headers to the moment the
// answer is written), without touching the app: a listener on the underlying http.Server. Keeps only the requests
// `select` picks.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface TimedRequest {
  method: string;
  path: string;
  status: number;
  ms: number;
  /** When it arrived (Date.now()). */
  at: number;
  chainId?: string;
}

export class RequestTimer {
  readonly requests: TimedRequest[] = [];
  private readonly listener: (req: IncomingMessage, res: ServerResponse) => void;

  constructor(private readonly server: Server, select: (req: IncomingMessage) => boolean) {
    this.listener = (req, res) => {
      if (!select(req)) return;
      const started = performance.now();
      const at = Date.now();
      const chain = req.headers['x-microsoft-skype-chain-id'];
      res.once('finish', () => {
        this.requests.push({
          method: req.method ?? '',
          path: (req.url ?? '').split('?')[0]!,
          status: res.statusCode,
          ms: performance.now() - started,
          at,
          ...(typeof chain === 'string' ? { chainId: chain } : {}),
        });
      });
    };
    server.prependListener('request', this.listener);
  }

  stop(): void {
    this.server.removeListener('request', this.listener);
  }
}
