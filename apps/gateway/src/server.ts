// Listens and shuts down gracefully; everything else is in app.ts.
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config/index.js';
import { DbError } from './plugins/db/connect.js';
import { KeyringError } from './plugins/keyring/keyring.js';
import { RouteRbacError } from './plugins/rbac/index.js';

/** In-flight work gets this long after SIGTERM before the process exits anyway. */
const shutdownDeadlineMs = 20_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await buildApp(config);

  let closing = false;
  const close = (signal: string): void => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: no new connections, finishing in-flight work');
    const deadline = setTimeout(() => {
      app.log.error('shutdown deadline passed; exiting with work still in flight');
      process.exit(1);
    }, shutdownDeadlineMs);
    deadline.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);

  const address = await app.listen({ host: config.host, port: config.port });
  console.log(`Binnacle gateway listening on ${address}`);
}

main().catch((err: unknown) => {
  // Errors written for people are printed as they are; anything else is a bug worth its stack.
  if (
    err instanceof ConfigError ||
    err instanceof DbError ||
    err instanceof KeyringError ||
    err instanceof RouteRbacError
  ) {
    console.error(`Binnacle cannot start: ${err.message}`);
  } else {
    console.error('Binnacle cannot start:', err);
  }
  process.exit(1);
});
