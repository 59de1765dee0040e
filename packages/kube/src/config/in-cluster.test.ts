import {
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterConnection } from '../connection.ts';
import { inClusterConnection, serviceAccountDir } from './in-cluster.ts';

const env = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };

async function tokenOf(connection: ClusterConnection): Promise<string | undefined> {
  const { token } = connection;
  return typeof token === 'function' ? await token() : token;
}

let root = '';
let sa = '';
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'binnacle-in-cluster-'));
  sa = join(root, serviceAccountDir);
  mkdirSync(sa, { recursive: true });
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function mount(files: { 'ca.crt'?: string; token?: string; namespace?: string }): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(sa, name), text);
}

describe('inClusterConnection', () => {
  it('reads the service address and the mounted service account', async () => {
    mount({ 'ca.crt': 'CA PEM\n', token: 'token-a\n', namespace: 'binnacle\n' });
    const { connection, namespace } = inClusterConnection({ env, root });
    expect(namespace).toBe('binnacle');
    expect(connection.server).toBe('https://10.96.0.1:443');
    expect(connection.ca).toBe('CA PEM\n');
    expect(await tokenOf(connection)).toBe('token-a');
  });

  it('brackets an IPv6 service host', () => {
    mount({ 'ca.crt': 'CA', token: 't', namespace: 'ns' });
    const ipv6 = { KUBERNETES_SERVICE_HOST: 'fd00:10:96::1', KUBERNETES_SERVICE_PORT: '6443' };
    expect(inClusterConnection({ env: ipv6, root }).connection.server).toBe(
      'https://[fd00:10:96::1]:6443',
    );
  });

  it.each([
    {
      name: 'everything missing',
      env: {},
      files: {},
      message: [
        'KUBERNETES_SERVICE_HOST is not set (not running in a pod?)',
        'KUBERNETES_SERVICE_PORT is not set (not running in a pod?)',
        'cannot read the service account CA certificate from "<sa>/ca.crt" (ENOENT)',
        'cannot read the service account token from "<sa>/token" (ENOENT)',
        'cannot read the service account namespace from "<sa>/namespace" (ENOENT)',
      ].join('; '),
    },
    {
      name: 'the port',
      env: { KUBERNETES_SERVICE_HOST: '10.96.0.1' },
      files: { 'ca.crt': 'CA', token: 't', namespace: 'ns' },
      message: 'KUBERNETES_SERVICE_PORT is not set (not running in a pod?)',
    },
    {
      name: 'a port that is not a number',
      env: { ...env, KUBERNETES_SERVICE_PORT: 'https' },
      files: { 'ca.crt': 'CA', token: 't', namespace: 'ns' },
      message: 'KUBERNETES_SERVICE_PORT must be a port number',
    },
    {
      name: 'the token',
      env,
      files: { 'ca.crt': 'CA', namespace: 'ns' },
      message: 'cannot read the service account token from "<sa>/token" (ENOENT)',
    },
    {
      name: 'an empty token',
      env,
      files: { 'ca.crt': 'CA', token: '\n', namespace: 'ns' },
      message: 'the service account token "<sa>/token" is empty',
    },
    {
      name: 'the namespace',
      env,
      files: { 'ca.crt': 'CA', token: 't' },
      message: 'cannot read the service account namespace from "<sa>/namespace" (ENOENT)',
    },
  ])('names what is missing: $name', ({ env, files, message }) => {
    mount(files);
    expect(() => inClusterConnection({ env, root })).toThrow(
      expect.objectContaining({
        reason: 'InvalidConfig',
        code: 0,
        message: message.replaceAll('<sa>', sa),
      }),
    );
  });

  it('reads the token again only when the file changes', async () => {
    mount({ 'ca.crt': 'CA', token: 'token-a', namespace: 'ns' });
    const tokenPath = join(sa, 'token');
    // whole seconds, so utimes can put back exactly the mtime the connection saw
    const before = new Date('2030-01-01T00:00:00Z');
    utimesSync(tokenPath, before, before);
    const { connection } = inClusterConnection({ env, root });

    // same size, same inode, same mtime: the cached token is served
    writeFileSync(tokenPath, 'token-b');
    utimesSync(tokenPath, before, before);
    expect(await tokenOf(connection)).toBe('token-a');

    const later = new Date(before.getTime() + 60_000);
    utimesSync(tokenPath, later, later);
    expect(await tokenOf(connection)).toBe('token-b');
  });

  it("follows the kubelet's atomic symlink swap", async () => {
    // the kubelet's layout: token -> ..data/token, ..data -> ..<timestamp>/
    mkdirSync(join(sa, '..one'));
    writeFileSync(join(sa, '..one', 'token'), 'token-one');
    symlinkSync('..one', join(sa, '..data'));
    symlinkSync(join('..data', 'token'), join(sa, 'token'));
    mount({ 'ca.crt': 'CA', namespace: 'ns' });
    const { connection } = inClusterConnection({ env, root });
    expect(await tokenOf(connection)).toBe('token-one');

    mkdirSync(join(sa, '..two'));
    writeFileSync(join(sa, '..two', 'token'), 'token-two');
    symlinkSync('..two', join(sa, '..data_tmp'));
    renameSync(join(sa, '..data_tmp'), join(sa, '..data'));
    expect(await tokenOf(connection)).toBe('token-two');
  });

  it('keeps the last token while the file is briefly missing', async () => {
    mount({ 'ca.crt': 'CA', token: 'token-a', namespace: 'ns' });
    const { connection } = inClusterConnection({ env, root });
    rmSync(join(sa, 'token'));
    expect(await tokenOf(connection)).toBe('token-a');
  });
});
