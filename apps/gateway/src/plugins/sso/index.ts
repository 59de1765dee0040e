// Single sign-on: OpenID Connect (authorization code + PKCE) and tokens from the host portal's SSO.
// Both end in a session of the auth plugin (`issueSessionFor`); users are created on first sign-in.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { SsoConfig } from '../../config/sso.js';
import { ssoRoutes } from './routes.js';

export const apiPrefix = '/k8s-api/v1';

async function sso(app: FastifyInstance, config: SsoConfig): Promise<void> {
  await app.register(
    (api) => {
      ssoRoutes(api, config);
      return Promise.resolve();
    },
    { prefix: apiPrefix },
  );
}

export default fp(sso, { name: 'sso', dependencies: ['db', 'auth'], fastify: '5.x' });
