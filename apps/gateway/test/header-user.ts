// Test support: a stand-in for the auth plugin that takes the person from test headers, so a
// plugin's tests can build a small app without sign-in.
import type { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AuthUser } from '../src/plugins/auth/types.js';

export function testUser(username: string, groups: string[] = []): AuthUser {
  return {
    id: `id-${username}`,
    username,
    displayName: username,
    groups,
    source: 'local',
    via: 'session',
  };
}

/** Headers that make a request come from `username` in `groups`. */
export function as(username: string, groups: string[] = []): Record<string, string> {
  return { 'x-test-user': username, 'x-test-groups': groups.join(',') };
}

export const headerUser = fp(
  (app: FastifyInstance, options: { authEvents?: EventEmitter | undefined }) => {
    app.decorateRequest('user', undefined);
    if (options.authEvents !== undefined) app.decorate('authEvents', options.authEvents);
    app.addHook('onRequest', (request, _reply, done) => {
      const username = request.headers['x-test-user'];
      const groups = request.headers['x-test-groups'];
      if (typeof username === 'string') {
        const names = typeof groups === 'string' ? groups.split(',').filter(Boolean) : [];
        request.user = testUser(username, names);
      }
      done();
    });
    return Promise.resolve();
  },
  { name: 'test-auth' },
);
