// Waiting for a fresh informer's first list, bounded: past the wait the request fails with 504.
import { HttpError } from '../errors/index.js';
import type { InformerView } from './shared.js';

export async function synced(informer: InformerView, timeoutMs: number): Promise<void> {
  if (informer.isSynced()) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(
        HttpError.gatewayTimeout(
          `The cluster did not send the list within ${String(Math.round(timeoutMs / 1000))} s.`,
        ),
      );
    }, timeoutMs);
  });
  try {
    await Promise.race([informer.synced, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
