// Listens and shuts down gracefully; everything else is in app.ts.
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await buildApp(config);

  const close = (signal: string): void => {
    app.log.info({ signal }, 'shutting down');
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
  if (err instanceof ConfigError) {
    console.error(`Binnacle cannot start: ${err.message}`);
  } else {
    console.error('Binnacle cannot start:', err);
  }
  process.exit(1);
});
