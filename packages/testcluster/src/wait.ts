import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CertPaths } from './pki.ts';

export interface TlsClient {
  ca: string;
  client: CertPaths;
}

/** GET a URL and resolve with the status code (0 when unreachable). */
export function probe(url: string, tls?: TlsClient): Promise<number> {
  return new Promise((resolve) => {
    const options = tls
      ? {
          ca: readFileSync(tls.ca),
          cert: readFileSync(tls.client.cert),
          key: readFileSync(tls.client.key),
          timeout: 5_000,
        }
      : { timeout: 5_000 };
    const req = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, options, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => {
      resolve(0);
    });
    req.end();
  });
}

export interface WaitOptions {
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Called when waiting stops early, e.g. a process that died; returns a reason or undefined. */
  failed?: () => string | undefined;
}

export async function waitFor(check: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return;
    const reason = options.failed?.();
    if (reason) throw new Error(`${options.what}: ${reason}`);
    if (Date.now() > deadline) {
      throw new Error(`${options.what}: not ready after ${Math.round(options.timeoutMs / 1000)} s`);
    }
    await sleep(options.intervalMs ?? 250);
  }
}
