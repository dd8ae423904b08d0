// Shared by the cluster tests: polling with a cluster's patience, JSON calls to a local cluster's emulator (trusting
// its certificate) and its request log.
import { Agent, request } from 'undici';
import type { LocalCluster } from '../../server/cluster/local-cluster.js';
import { eventually as poll } from '../support/local-switchboard.js';

/** Polls like the other suites, with room for a cluster's slower moments (a lease running out, a process start). */
export function eventually<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  return poll(probe, what, timeoutMs);
}

export interface ClusterEmulator {
  json(method: string, path: string, body?: unknown): Promise<any>;
  /** Requests the emulator received whose path contains `pathPart`. */
  requests(pathPart: string, method?: string): Promise<Array<{ method: string; path: string; time: string }>>;
  close(): Promise<void>;
}

export function clusterEmulator(cluster: LocalCluster): ClusterEmulator {
  const agent = new Agent({ connect: { ca: cluster.emulator.caCertPem } });
  const json = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await request(cluster.emulator.url + path, {
      method: method as 'GET',
      dispatcher: agent,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    json,
    async requests(pathPart, method = 'POST') {
      const log = (await json('GET', '/emulator/requests?limit=5000')).value as Array<{ method: string; path: string; time: string }>;
      return log.filter((r) => r.method === method && r.path.includes(pathPart));
    },
    close: () => agent.close(),
  };
}
