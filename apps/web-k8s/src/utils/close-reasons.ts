// Close codes of the gateway's sockets that a view explains in words (keys under `errors.`),
// instead of showing a number or a bare "connection lost".
import { CloseCode } from '@binnacle/contract';

export type ClosedFor = 'idle' | 'revoked' | 'forbidden' | 'clusterChanged' | 'lifetime';

const byCode: ReadonlyMap<number, ClosedFor> = new Map([
  [CloseCode.idle, 'idle'],
  [CloseCode.revoked, 'revoked'],
  [CloseCode.forbidden, 'forbidden'],
  [CloseCode.clusterChanged, 'clusterChanged'],
  [CloseCode.lifetime, 'lifetime'],
]);

/** Why the gateway closed a socket, for the codes that say; undefined for the others. */
export function closedFor(code: number): ClosedFor | undefined {
  return byCode.get(code);
}
