// Access tokens: ES256 JWTs signed with a key pair that the first replica generates and stores
// sealed in `settings`, so every replica signs and verifies with the same key.
import {
  calculateJwkThumbprint,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
} from 'jose';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { KeyringError, type Keyring } from '../keyring/keyring.js';
import type { AuthSource, AuthUser } from './types.js';

export const signingKeySetting = 'auth.signing-key';
const issuer = 'binnacle';
const audience = 'binnacle';
const algorithm = 'ES256';
/** RFC 9068's type for access tokens, so no other JWT the key might sign passes as one. */
const tokenType = 'at+jwt';
const sources: readonly AuthSource[] = ['local', 'oidc', 'host'];

interface StoredKey {
  alg: typeof algorithm;
  kid: string;
  /** The private JWK, sealed with the settings key as associated data. */
  sealed: string;
}

/** Why an access token was refused. */
export class AccessTokenError extends Error {
  override name = 'AccessTokenError';
  readonly expired: boolean;

  constructor(message: string, expired = false) {
    super(message);
    this.expired = expired;
  }
}

export interface AccessClaims {
  user: AuthUser;
  /** The session family the token belongs to; revoking it ends the token too. */
  sessionId: string;
  /** The person's token generation at issue (see `users.token_generation`). */
  generation: number;
}

export interface AccessTokens {
  readonly kid: string;
  sign(user: AuthUser, session: { sessionId: string; generation: number }): Promise<string>;
  /** Throws AccessTokenError unless the token is ours, intact and current. */
  verify(token: string): Promise<AccessClaims>;
}

export async function loadAccessTokens(options: {
  db: Kysely<Database>;
  keyring: Keyring;
  ttlSeconds: number;
}): Promise<AccessTokens> {
  const { kid, privateKey, publicKey } = await loadSigningKey(options.db, options.keyring);
  return {
    kid,
    sign: (user, { sessionId, generation }) =>
      new SignJWT({
        preferred_username: user.username,
        name: user.displayName,
        groups: user.groups,
        src: user.source,
        sid: sessionId,
        gen: generation,
      })
        .setProtectedHeader({ alg: algorithm, kid, typ: tokenType })
        .setSubject(user.id)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(`${options.ttlSeconds}s`)
        .sign(privateKey),

    async verify(token) {
      let payload;
      try {
        ({ payload } = await jwtVerify(
          token,
          (header) => {
            // Pinned: our one algorithm and our one key; no key from the token itself.
            if (header.alg !== algorithm || header.kid !== kid) {
              throw new AccessTokenError('unknown signing key');
            }
            return publicKey;
          },
          {
            algorithms: [algorithm],
            issuer,
            audience,
            typ: tokenType,
            requiredClaims: ['sub', 'iat', 'exp'],
          },
        ));
      } catch (err) {
        throw new AccessTokenError(
          err instanceof Error ? err.message : 'invalid',
          err instanceof errors.JWTExpired,
        );
      }
      const { sub, preferred_username: username, name, groups, src, sid, gen } = payload;
      const source = sources.find((s) => s === src);
      if (
        typeof sub !== 'string' ||
        typeof username !== 'string' ||
        typeof name !== 'string' ||
        typeof sid !== 'string' ||
        !(Number.isSafeInteger(gen) && typeof gen === 'number' && gen >= 0) ||
        source === undefined ||
        !Array.isArray(groups) ||
        !groups.every((g): g is string => typeof g === 'string')
      ) {
        throw new AccessTokenError('claims of the wrong shape');
      }
      return {
        user: { id: sub, username, displayName: name, groups, source, via: 'session' },
        sessionId: sid,
        generation: gen,
      };
    },
  };
}

async function loadSigningKey(
  db: Kysely<Database>,
  keyring: Keyring,
): Promise<{ kid: string; privateKey: CryptoKey; publicKey: CryptoKey }> {
  let row = await readSetting(db);
  if (row === undefined) {
    // Replicas starting together may both get here; the first insert wins and all use its key.
    await db
      .insertInto('settings')
      .values({ key: signingKeySetting, value: JSON.stringify(await generateKey(keyring)) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    row = await readSetting(db);
    if (row === undefined) throw new Error(`setting ${signingKeySetting} vanished after insert`);
  }
  const stored = parseStored(row);
  let jwk: JWK;
  try {
    jwk = JSON.parse(
      keyring.open(stored.sealed, { aad: signingKeySetting }).toString('utf8'),
    ) as JWK;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new KeyringError(
      `the token signing key in setting ${signingKeySetting} cannot be opened (${reason}); configure ` +
        `the key it was sealed with, or delete that setting to make a new one (everyone signs in again)`,
      { cause: err },
    );
  }
  // rotate-keys re-seals credentials; this value is re-sealed here, at the first start after it.
  if (keyring.needsReseal(stored.sealed)) {
    const resealed: StoredKey = {
      ...stored,
      sealed: keyring.seal(JSON.stringify(jwk), { aad: signingKeySetting }),
    };
    await db
      .updateTable('settings')
      .set({ value: JSON.stringify(resealed) })
      .where('key', '=', signingKeySetting)
      .where('value', '=', row)
      .execute();
  }
  const publicJwk = publicPart(jwk);
  return {
    kid: stored.kid,
    privateKey: (await importJWK(jwk, algorithm)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, algorithm)) as CryptoKey,
  };
}

async function readSetting(db: Kysely<Database>): Promise<string | undefined> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', signingKeySetting)
    .executeTakeFirst();
  return row?.value;
}

async function generateKey(keyring: Keyring): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(algorithm, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const publicJwk = publicPart(jwk);
  return {
    alg: algorithm,
    kid: await calculateJwkThumbprint(publicJwk),
    sealed: keyring.seal(JSON.stringify(jwk), { aad: signingKeySetting }),
  };
}

/** The public members of an EC key. */
function publicPart(jwk: JWK): JWK {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
}

function parseStored(value: string): StoredKey {
  const parsed: unknown = JSON.parse(value);
  if (
    typeof parsed === 'object' &&
    parsed !== null &&
    'alg' in parsed &&
    parsed.alg === algorithm &&
    'kid' in parsed &&
    typeof parsed.kid === 'string' &&
    'sealed' in parsed &&
    typeof parsed.sealed === 'string'
  ) {
    return { alg: algorithm, kid: parsed.kid, sealed: parsed.sealed };
  }
  throw new KeyringError(`setting ${signingKeySetting} is not a signing key record`);
}
