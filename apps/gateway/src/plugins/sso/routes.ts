// The SSO routes: which sign-in methods exist, OIDC sign-in and logout, and host-portal tokens.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SsoConfig } from '../../config/sso.js';
import { authEventName, type AuthEvent } from '../auth/index.js';
import { sessionGrant } from '../auth/schemas.js';
import { createSessionStore, refreshCookie, refreshCookiePath } from '../auth/sessions.js';
import { findUser } from '../auth/users.js';
import { HttpError } from '../errors/index.js';
import { ssoCookies } from './cookies.js';
import { hostTokenVerifier } from './host.js';
import { displayNameFrom, groupsFrom, upsertSsoUser, usernameFrom } from './identity.js';
import { createOidcClient, newPendingSignIn } from './oidc-client.js';
import { safeReturnTo } from './return-to.js';
import { authMethods, callbackQuery, hostBody, loginQuery } from './schemas.js';
import { RedirectSchema } from '@binnacle/contract';

const open = { rbac: { public: true }, audit: false } as const;

export function ssoRoutes(instance: FastifyInstance, config: SsoConfig): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const oidc = config.oidc && {
    config: config.oidc,
    client: createOidcClient(config.oidc, instance.log),
  };
  const verifyHostToken = config.host && hostTokenVerifier(config.host);
  const cookies = ssoCookies(instance, {
    insecure: config.insecureCookies,
    idTokenMaxAgeSeconds: config.sessionMaxDays * 86_400,
  });
  // Only `end` is used, and it does not read the limits.
  const sessions = createSessionStore(instance.db, { idleMs: 0, maxMs: 0 });

  function requireOidc(): NonNullable<typeof oidc> {
    if (oidc === undefined) {
      throw HttpError.notFound('OIDC sign-in is not configured.');
    }
    return oidc;
  }

  app.get('/auth/config', { config: open, schema: { response: { 200: authMethods } } }, () => ({
    local: true as const,
    oidc: {
      enabled: oidc !== undefined,
      ...(oidc?.config.displayName === undefined ? {} : { name: oidc.config.displayName }),
    },
    host: { enabled: verifyHostToken !== undefined },
  }));

  app.get(
    '/auth/oidc/login',
    { config: open, schema: { querystring: loginQuery, response: { 302: RedirectSchema } } },
    async (request, reply) => {
      const { client } = requireOidc();
      const pending = newPendingSignIn(safeReturnTo(request.query.returnTo));
      const target = await client.authorizationUrl(pending);
      cookies.setPending(reply, pending);
      void reply.header('cache-control', 'no-store');
      return reply.redirect(target.href, 302);
    },
  );

  app.get(
    '/auth/oidc/callback',
    {
      config: open,
      schema: { querystring: callbackQuery, response: { 302: RedirectSchema } },
      onError: failedSignIn('oidc'),
    },
    async (request, reply) => {
      const { config: oidcConfig, client } = requireOidc();
      const pending = cookies.takePending(request, reply);
      if (pending === undefined) {
        throw HttpError.badRequest(
          'This sign-in was not started here, or took too long; start it again.',
        );
      }
      if (request.query.state !== pending.state) {
        throw HttpError.badRequest(
          'The answer of the sign-in provider does not match the sign-in started here; start it again.',
        );
      }
      const callbackUrl = new URL(oidcConfig.redirectUri);
      callbackUrl.search = new URL(request.url, callbackUrl).search;
      const { claims, idToken } = await client.complete(callbackUrl, pending);

      // An e-mail address names a person only once the provider has verified it.
      if (
        usernameFrom(claims, ['preferred_username']) === undefined &&
        typeof claims.email === 'string' &&
        claims.email_verified !== true
      ) {
        throw HttpError.forbidden(
          'The sign-in provider has not verified your e-mail address, and gave no other username (preferred_username); verify the address with the provider, or ask an administrator.',
        );
      }
      const username = usernameFrom(claims, ['preferred_username', 'email', 'sub']);
      if (username === undefined) {
        throw HttpError.forbidden(
          'The sign-in provider gave no usable username (preferred_username, email or sub).',
        );
      }
      const user = await upsertSsoUser(instance.db, 'oidc', {
        username,
        displayName: displayNameFrom(claims, username),
        groups: groupsFrom(claims[oidcConfig.groupsClaim]),
      });
      // The access token stays out of the URL: the web app refreshes with the cookie after landing.
      await instance.issueSessionFor(reply, user);
      if (idToken !== undefined) cookies.setIdToken(reply, idToken);
      return reply.redirect(safeReturnTo(pending.returnTo), 302);
    },
  );

  app.get(
    '/auth/oidc/logout',
    { config: open, schema: { response: { 302: RedirectSchema } } },
    async (request, reply) => {
      const { client, config: oidcConfig } = requireOidc();
      await endSession(request, reply);
      const idToken = cookies.takeIdToken(request, reply);
      void reply.header('cache-control', 'no-store');
      let target: URL | undefined;
      try {
        target = await client.endSessionUrl(idToken);
      } catch (err) {
        // Signed out here all the same; the provider's session ends when it expires.
        request.log.warn({ err }, 'could not build the OIDC end-session URL');
      }
      return reply.redirect((target ?? oidcConfig.postLogoutRedirectUri).href, 302);
    },
  );

  app.post(
    '/auth/host',
    {
      config: open,
      schema: { body: hostBody, response: { 200: sessionGrant } },
      onError: failedSignIn('host'),
    },
    async (request, reply) => {
      if (verifyHostToken === undefined) {
        throw HttpError.notFound('Host sign-in is not configured.');
      }
      const claims = await verifyHostToken(request.body.token);
      const username = usernameFrom(claims, ['preferred_username', 'sub']);
      if (username === undefined) {
        throw HttpError.unauthorized(
          'The host sign-in token names no usable user (preferred_username or sub).',
        );
      }
      const user = await upsertSsoUser(instance.db, 'host', {
        username,
        displayName: displayNameFrom(claims, username),
        groups: groupsFrom(claims.groups),
      });
      return instance.issueSessionFor(reply, user);
    },
  );

  /** A failed SSO sign-in (refused answer, claims or account) leaves an audit row. */
  function failedSignIn(
    method: 'oidc' | 'host',
  ): (request: FastifyRequest, reply: FastifyReply, error: Error, done: () => void) => void {
    return (request, _reply, _error, done) => {
      const event: AuthEvent = {
        type: 'login-failed',
        username: 'anonymous',
        ip: request.ip,
        requestId: request.id,
        method,
        reason: 'sso-refused',
      };
      request.log.info({ authEvent: event }, 'SSO sign-in refused');
      try {
        instance.authEvents.emit(authEventName, event);
      } catch (err) {
        request.log.error({ err }, 'an auth event subscriber failed');
      }
      done();
    };
  }

  async function endSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = request.cookies[refreshCookie];
    if (token !== undefined && token !== '') {
      const userId = await sessions.end(token, Date.now());
      if (userId !== undefined) {
        const username = (await findUser(instance.db, userId))?.username ?? '';
        const event: AuthEvent = { type: 'logout', username, userId, ip: request.ip };
        request.log.info({ authEvent: event }, 'signed out');
        instance.authEvents.emit(authEventName, event);
      }
    }
    reply.clearCookie(refreshCookie, {
      path: refreshCookiePath,
      httpOnly: true,
      secure: !config.insecureCookies,
      sameSite: 'strict',
    });
  }
}
