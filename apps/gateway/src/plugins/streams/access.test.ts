// Who may open a stream: the sockets guard on the real stream routes refuses before the upgrade.
import { streamPaths } from '@binnacle/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  query,
  RefusedUpgrade,
  StreamClient,
  streamsTestApp,
  userWithRole,
  type StreamsTestApp,
} from '../../../test/streams-app.js';

let t: StreamsTestApp;
let viewer: { authorization: string };

beforeAll(async () => {
  t = await streamsTestApp();
  viewer = await userWithRole(t, { username: 'vera', role: 'viewer' });
}, 120_000);
afterAll(() => t.close());

const execPath = () => streamPaths.exec(t.cluster, 'demo', 'hello');
const logsPath = () => streamPaths.logs(t.cluster, 'demo', 'hello');

async function refused(url: string, origin?: string): Promise<RefusedUpgrade> {
  const err = await StreamClient.open(url, origin ? { origin } : {}).then(
    (client) => {
      client.socket.close();
      return new Error('the upgrade was accepted');
    },
    (e: unknown) => e,
  );
  if (!(err instanceof RefusedUpgrade)) throw err;
  return err;
}

describe('opening a stream', () => {
  it('refuses another site’s page with 403', async () => {
    const url = `${t.origin}${execPath()}?${query({ ticket: await t.ticket(), command: ['true'] })}`;
    const err = await refused(url, 'https://evil.example');
    expect(err.status).toBe(403);
    expect(JSON.parse(err.body)).toMatchObject({ code: 'OriginNotAllowed' });
  });

  it('refuses a missing or spent ticket with 401', async () => {
    expect((await refused(`${t.origin}${logsPath()}`)).status).toBe(401);
    const ticket = await t.ticket();
    const first = await StreamClient.open(
      `${t.origin}${logsPath()}?${query({ ticket, tailLines: 1 })}`,
    );
    await first.closed;
    expect(first.messages[0]).toEqual({ type: 'started', container: 'hello' });
    const again = await refused(`${t.origin}${logsPath()}?${query({ ticket, tailLines: 1 })}`);
    expect(again.status).toBe(401);
  });

  it('refuses exec to a viewer with 403, and records the refusal', async () => {
    const ticket = await t.ticket(viewer);
    const err = await refused(`${t.origin}${execPath()}?${query({ ticket, command: ['true'] })}`);
    expect(err.status).toBe(403);
    expect(JSON.parse(err.body)).toEqual({
      code: 'Forbidden',
      message: `You may not exec pods in ${t.cluster}/demo.`,
    });
    await t.app.audit.flush();
    const denied = await t.app.db
      .selectFrom('audit_events')
      .selectAll()
      .where('actor', '=', 'vera')
      .where('result', '=', 'denied')
      .execute();
    expect(denied).toContainEqual(
      expect.objectContaining({ verb: 'exec', kind: 'pods', namespace: 'demo' }),
    );
  });

  it('lets an editor in', async () => {
    const editor = await userWithRole(t, { username: 'eddie', role: 'editor' });
    const ticket = await t.ticket(editor);
    const client = await StreamClient.open(
      `${t.origin}${execPath()}?${query({ ticket, command: ['echo', 'editor-was-here'] })}`,
    );
    await client.closed;
    expect(client.text('stdout')).toBe('editor-was-here\n');
  });
});
