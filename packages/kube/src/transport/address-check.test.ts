// The address policy against the test cluster: literals and resolved names are checked on every
// connection, for requests (undici) and for exec / port-forward WebSockets (ws), so a name that
// resolves elsewhere the second time is refused then.
import type { LookupAddress } from 'node:dns';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { KubeClient } from '../client.ts';
import type { ClusterConnection } from '../connection.ts';
import { core } from '../resource.ts';
import { exec } from '../streams/exec.ts';
import { portForward } from '../streams/port-forward.ts';
import { connectionFromFile, rejection } from '../testing.ts';
import type { AddressPolicy, AddressTarget } from './address-check.ts';

const clients: KubeClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

function client(conn: ClusterConnection, addressPolicy: AddressPolicy): KubeClient {
  const made = new KubeClient(conn, { addressPolicy });
  clients.push(made);
  return made;
}

const literal = (): ClusterConnection => connectionFromFile(inject('kubeconfig'));

/** The test cluster under the name `localhost` (its certificate names it). */
function byName(): ClusterConnection {
  const conn = literal();
  const url = new URL(conn.server);
  url.hostname = 'localhost';
  return { ...conn, server: url.origin };
}

/** Refuses every address but `allowed`; remembers what it was asked. */
function only(allowed: string, resolve?: AddressPolicy['resolve']) {
  const seen: AddressTarget[] = [];
  const policy: AddressPolicy = {
    check: (target) => {
      seen.push(target);
      return target.address === allowed ? undefined : `${target.address} is not ${allowed}`;
    },
    ...(resolve ? { resolve } : {}),
  };
  return { policy, seen };
}

/** A resolver that answers `answers[i]` the i-th time (the last one after that). */
function rebinding(...answers: string[]): AddressPolicy['resolve'] {
  let calls = 0;
  return (): Promise<LookupAddress[]> => {
    const address = answers[Math.min(calls, answers.length - 1)] ?? '';
    calls += 1;
    return Promise.resolve([{ address, family: address.includes(':') ? 6 : 4 }]);
  };
}

describe('address policy', () => {
  it('refuses an IP literal before connecting, and allows one the check allows', async () => {
    const refused = only('192.0.2.1');
    const err = await rejection(client(literal(), refused.policy).list(core.namespaces));
    expect(err.reason).toBe('AddressRefused');
    expect(err.message).toBe('connecting to 127.0.0.1 is refused: 127.0.0.1 is not 192.0.2.1');
    expect(refused.seen).toEqual([
      { address: '127.0.0.1', family: 4, hostname: '127.0.0.1', protocol: 'https:' },
    ]);

    const allowed = only('127.0.0.1');
    const list = await client(literal(), allowed.policy).list(core.namespaces);
    expect(list.items.map((n) => n.metadata.name)).toContain('default');
  });

  it('checks every address a name resolves to', async () => {
    const both = (): Promise<LookupAddress[]> =>
      Promise.resolve([
        { address: '127.0.0.1', family: 4 },
        { address: '::ffff:7f00:1', family: 6 },
      ]);
    const { policy, seen } = only('127.0.0.1', both);
    const err = await rejection(client(byName(), policy).list(core.namespaces));
    expect(err.reason).toBe('AddressRefused');
    expect(err.message).toBe('connecting to localhost is refused: ::ffff:7f00:1 is not 127.0.0.1');
    expect(seen.map((t) => t.address)).toEqual(['127.0.0.1', '::ffff:7f00:1']);
  });

  it('uses the system resolver for names by default', async () => {
    const { policy, seen } = only('no address at all');
    const err = await rejection(client(byName(), policy).list(core.namespaces));
    expect(err.reason).toBe('AddressRefused');
    expect(seen[0]?.hostname).toBe('localhost');
  });

  it('refuses a name that resolves elsewhere on the next connection (DNS rebinding)', async () => {
    const { policy } = only('127.0.0.1', rebinding('127.0.0.1', '127.0.0.2'));
    const first = client(byName(), policy);
    const list = await first.list(core.namespaces);
    expect(list.items.map((n) => n.metadata.name)).toContain('default');
    // a new pool connects again, and resolves again
    const second = client(byName(), policy);
    const err = await rejection(second.list(core.namespaces));
    expect(err.reason).toBe('AddressRefused');
    expect(err.message).toBe('connecting to localhost is refused: 127.0.0.2 is not 127.0.0.1');
  });

  it('checks the WebSocket of exec and port-forward too, at connect time', async () => {
    // the first lookup (the request) is allowed, the WebSockets' are not
    const { policy } = only('127.0.0.1', rebinding('127.0.0.1', '127.0.0.2'));
    const kube = client(byName(), policy);
    await kube.list(core.namespaces);
    const target = { namespace: 'default', pod: 'no-such-pod' };
    const execErr = await rejection(exec(kube, { ...target, command: ['true'] }));
    expect(execErr.reason).toBe('AddressRefused');
    expect(execErr.message).toContain('127.0.0.2 is not 127.0.0.1');
    const forwardErr = await rejection(portForward(kube, { ...target, port: 80 }));
    expect(forwardErr.reason).toBe('AddressRefused');

    // allowed, the same exec reaches the API server, which answers that the pod does not exist
    const allowed = client(byName(), only('127.0.0.1', rebinding('127.0.0.1')).policy);
    const notFound = await rejection(exec(allowed, { ...target, command: ['true'] }));
    expect(notFound.reason).toBe('NotFound');
  });

  it('checks an IP literal WebSocket before connecting', async () => {
    const kube = client(literal(), only('192.0.2.1').policy);
    const err = await rejection(exec(kube, { namespace: 'default', pod: 'x', command: ['true'] }));
    expect(err.reason).toBe('AddressRefused');
  });
});
