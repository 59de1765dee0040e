// The OIDC plugin's own cookies, sealed with the keyring so that a browser can neither read nor
// forge them: the pending sign-in (minutes, sent only to the callback) and the ID token (kept for
// RP-initiated logout, sent only to the logout route). SameSite=Lax: the provider's redirect back
// is a cross-site top-level navigation, which a Strict cookie would miss.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Keyring } from '../keyring/index.js';
import type { PendingSignIn } from './oidc-client.js';

export const pendingCookie = 'binnacle_oidc_pending';
export const idTokenCookie = 'binnacle_oidc_id';
const pendingPath = '/k8s-api/v1/auth/oidc/callback';
const idTokenPath = '/k8s-api/v1/auth/oidc/logout';
const pendingAad = 'binnacle:oidc-pending';
const idTokenAad = 'binnacle:oidc-id-token';
export const pendingTtlSeconds = 600;

export interface SsoCookies {
  setPending(reply: FastifyReply, pending: PendingSignIn): void;
  /** The pending sign-in of this browser (cleared), or undefined when missing, altered or stale. */
  takePending(request: FastifyRequest, reply: FastifyReply): PendingSignIn | undefined;
  setIdToken(reply: FastifyReply, idToken: string): void;
  takeIdToken(request: FastifyRequest, reply: FastifyReply): string | undefined;
}

export function ssoCookies(
  app: FastifyInstance,
  options: { insecure: boolean; idTokenMaxAgeSeconds: number },
): SsoCookies {
  const keyring: Keyring = app.keyring;
  const base = { httpOnly: true, secure: !options.insecure, sameSite: 'lax' } as const;

  function open(sealed: string | undefined, aad: string): string | undefined {
    if (sealed === undefined || sealed === '') return undefined;
    try {
      return keyring.open(sealed, { aad }).toString('utf8');
    } catch {
      return undefined;
    }
  }

  return {
    setPending(reply, pending) {
      const value = JSON.stringify({
        ...pending,
        expiresAt: Date.now() + pendingTtlSeconds * 1000,
      });
      reply.setCookie(pendingCookie, keyring.seal(value, { aad: pendingAad }), {
        ...base,
        path: pendingPath,
        maxAge: pendingTtlSeconds,
      });
    },
    takePending(request, reply) {
      reply.clearCookie(pendingCookie, { ...base, path: pendingPath });
      const text = open(request.cookies[pendingCookie], pendingAad);
      if (text === undefined) return undefined;
      const parsed = JSON.parse(text) as PendingSignIn & { expiresAt: number };
      if (parsed.expiresAt <= Date.now()) return undefined;
      return {
        state: parsed.state,
        nonce: parsed.nonce,
        verifier: parsed.verifier,
        returnTo: parsed.returnTo,
      };
    },
    setIdToken(reply, idToken) {
      reply.setCookie(idTokenCookie, keyring.seal(idToken, { aad: idTokenAad }), {
        ...base,
        path: idTokenPath,
        maxAge: options.idTokenMaxAgeSeconds,
      });
    },
    takeIdToken(request, reply) {
      reply.clearCookie(idTokenCookie, { ...base, path: idTokenPath });
      return open(request.cookies[idTokenCookie], idTokenAad);
    },
  };
}
