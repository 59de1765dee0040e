// A real PostgreSQL for tests. `TEST_DATABASE_URL` when set; otherwise a throwaway server from
// Debian's binaries (installed with apt-get when missing and running as root), on a free loopback
// port, with its data and socket in a temporary directory that `stop()` removes.
//
// As a vitest globalSetup (the default export) it starts one server for the run and provides its URL
// as `postgresUrl`; `createTestDatabase()` then gives each test file a database of its own on it, or
// starts a server for that file when no global setup did.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { inject } from 'vitest';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the global setup: a server on which tests may create databases. */
    postgresUrl?: string;
  }
}

export interface PostgresServer {
  /** A URL whose user may create databases. */
  url: string;
  stop: () => Promise<void>;
}

const run = promisify(execFile);
const debianRoot = '/usr/lib/postgresql';

export async function startPostgres(): Promise<PostgresServer> {
  const given = process.env.TEST_DATABASE_URL;
  if (given !== undefined && given !== '') return { url: given, stop: () => Promise.resolve() };

  const bin = await postgresBinaries();
  const owner = process.getuid?.() === 0 ? await postgresUser() : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'binnacle-pg-'));
  // initdb refuses to run as root: as root, the server runs as the postgres user.
  const as = (command: string, args: string[]): Promise<unknown> =>
    owner
      ? run('runuser', ['-u', 'postgres', '--', command, ...args], { cwd: dir })
      : run(command, args, { cwd: dir });
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const password = randomBytes(18).toString('base64url');
  let started = false;
  const stop = async (): Promise<void> => {
    try {
      if (started) await as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  try {
    await writeFile(join(dir, 'password'), password, { mode: 0o600 });
    if (owner) {
      await chown(dir, owner.uid, owner.gid);
      await chown(join(dir, 'password'), owner.uid, owner.gid);
    }
    await as(join(bin, 'initdb'), [
      ...['-D', data, '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'],
      ...['--auth=scram-sha-256', `--pwfile=${join(dir, 'password')}`],
    ]);
    let port = 0;
    for (let attempt = 1; !started; attempt++) {
      port = await freePort();
      const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
      try {
        await as(join(bin, 'pg_ctl'), [
          '-D',
          data,
          '-l',
          log,
          '-w',
          '-t',
          '60',
          '-o',
          settings,
          'start',
        ]);
        started = true;
      } catch (err) {
        // Another process may have taken the port between our probe and the server's bind.
        if (attempt === 3) throw err;
      }
    }
    const admin = `postgres://postgres:${password}@127.0.0.1:${port}`;
    await query(`${admin}/postgres`, 'create database binnacle');
    return { url: `${admin}/binnacle`, stop };
  } catch (err) {
    const serverLog = await readFile(log, 'utf8').catch(() => '');
    await stop().catch(() => undefined);
    throw new Error(
      `cannot start a test PostgreSQL: ${errorText(err)}\n${serverLog.slice(-2000)}`,
      {
        cause: err,
      },
    );
  }
}

/** A fresh, empty database on the server at `serverUrl`; `drop()` removes it. */
export async function createDatabase(
  serverUrl: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `binnacle_test_${randomBytes(6).toString('hex')}`;
  await query(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: () => query(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

/**
 * A database of this test file's own: on the global setup's server when there is one, else on a
 * server started for the file. Call it in `beforeAll` (allow a minute: a first run may install
 * PostgreSQL) and `stop()` in `afterAll`.
 */
export async function createTestDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  const shared = inject('postgresUrl');
  const server = shared === undefined ? await startPostgres() : undefined;
  const database = await createDatabase(shared ?? (server as PostgresServer).url);
  return {
    url: database.url,
    stop: async () => {
      try {
        await database.drop();
      } finally {
        await server?.stop();
      }
    },
  };
}

/** vitest globalSetup: one server for the whole run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  return server.stop;
}

async function postgresBinaries(): Promise<string> {
  const found = await newestBinaries();
  if (found !== undefined) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `no PostgreSQL under ${debianRoot}: install the postgresql package, or set TEST_DATABASE_URL`,
    );
  }
  await run('sh', ['-c', 'apt-get update && apt-get install -y postgresql'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const installed = await newestBinaries();
  if (installed === undefined)
    throw new Error(`apt-get installed no PostgreSQL under ${debianRoot}`);
  return installed;
}

async function newestBinaries(): Promise<string | undefined> {
  const versions = await readdir(debianRoot).catch(() => []);
  return versions
    .filter((version) => existsSync(join(debianRoot, version, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(debianRoot, version, 'bin'))[0];
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

async function query(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error && 'stderr' in err && typeof err.stderr === 'string' && err.stderr) {
    return `${err.message}\n${err.stderr}`;
  }
  return err instanceof Error ? err.message : String(err);
}
