// The keyring: seals credentials before they are stored. It refuses to start without a key.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { KeyringConfig } from '../../config/keyring.js';
import { createKeyring, type Keyring } from './keyring.js';

export { KeyringError, type Keyring, type SealOptions } from './keyring.js';

declare module 'fastify' {
  interface FastifyInstance {
    keyring: Keyring;
  }
}

// The work runs in a promise so that a missing key rejects the registration: Fastify reports a
// plugin's synchronous throw as an uncaught exception instead.
function keyring(app: FastifyInstance, config: KeyringConfig): Promise<void> {
  return Promise.resolve().then(() => {
    const instance = createKeyring(config);
    app.decorate('keyring', instance);
    app.log.info(
      { activeKeyId: instance.activeKeyId, keyIds: config.keys.map((key) => key.id) },
      'keyring ready',
    );
  });
}

export default fp(keyring, { name: 'keyring', fastify: '5.x' });
