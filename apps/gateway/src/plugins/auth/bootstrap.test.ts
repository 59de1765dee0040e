import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signIn, testAuthApp, type AuthTestApp } from '../../../test/app.js';

/** Builds an app while capturing what it writes to stdout (and keeping it off the terminal). */
async function startCapturing(
  env: Record<string, string>,
): Promise<{ t: AuthTestApp; stdout: string }> {
  const writes: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    const t = await testAuthApp(env);
    await t.app.ready();
    return { t, stdout: writes.join('') };
  } finally {
    spy.mockRestore();
  }
}

async function usersWithGroups(t: AuthTestApp): Promise<{ username: string; name: string }[]> {
  return t.app.db
    .selectFrom('users')
    .innerJoin('user_groups', 'user_groups.user_id', 'users.id')
    .innerJoin('groups', 'groups.id', 'user_groups.group_id')
    .select(['users.username', 'groups.name'])
    .execute();
}

describe('the first administrator', () => {
  let dir: string;
  const key = `test:${randomBytes(32).toString('base64')}`;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'binnacle-first-admin-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('takes the password from BINNACLE_ADMIN_PASSWORD and prints nothing', async () => {
    const { t, stdout } = await startCapturing({
      BINNACLE_ADMIN_USER: 'Root',
      BINNACLE_ADMIN_PASSWORD: 'from-the-environment-1',
    });
    try {
      expect(stdout).toBe('');
      expect(await usersWithGroups(t)).toEqual([{ username: 'root', name: 'binnacle-admins' }]);
      const { accessToken } = await signIn(t.app, 'root', 'from-the-environment-1');
      expect(accessToken).not.toBe('');
      const logs = t.logs.join('');
      expect(logs).toContain('"password":"from BINNACLE_ADMIN_PASSWORD"');
      expect(logs).not.toContain('from-the-environment-1');
    } finally {
      await t.close();
    }
  });

  it('generates a password, prints it once to stdout and never logs it', async () => {
    const env = {
      BINNACLE_ADMIN_PASSWORD: '',
      BINNACLE_DATA_DIR: dir,
      BINNACLE_KEYS: key,
    };
    const first = await startCapturing(env);
    let password: string;
    let accessToken: string;
    try {
      const match = /administrator "admin" with this password:\n\n {4}(\S+)\n/.exec(first.stdout);
      expect(match).not.toBeNull();
      password = match?.[1] ?? '';
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(first.stdout.split(password)).toHaveLength(2);
      expect(first.stdout).toContain('Sign in and change it now');
      expect(first.t.logs.join('')).not.toContain(password);
      expect(first.t.logs.join('')).toContain('"password":"generated"');
      ({ accessToken } = await signIn(first.t.app, 'admin', password));
    } finally {
      await first.t.close();
    }

    // The next start (or another replica) finds a user and creates nobody, prints nothing; the
    // password still works, and so does the access token: the signing key is shared.
    const second = await startCapturing(env);
    try {
      expect(second.stdout).toBe('');
      expect(second.t.logs.join('')).not.toContain('created the first administrator');
      expect(await usersWithGroups(second.t)).toEqual([
        { username: 'admin', name: 'binnacle-admins' },
      ]);
      await signIn(second.t.app, 'admin', password);
      const me = await second.t.app.inject({
        url: '/k8s-api/v1/me',
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(me.statusCode).toBe(200);
    } finally {
      await second.t.close();
    }
  });
});
