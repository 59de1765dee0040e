// Serves the built portal at / and web-k8s at /k8s/ when BINNACLE_WEB_DIR is set (make start);
// behind nginx, nginx serves them and this plugin stays off.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { WebConfig } from '../../config/web.js';
import { pagePolicy } from './csp.js';
import { listFiles } from './files.js';
import { webRoutes, type ServedApp } from './routes.js';

function served(root: string, microFrontendHost: boolean): ServedApp {
  const html = readFileSync(join(root, 'index.html'), 'utf8');
  return { root, files: listFiles(root), policy: pagePolicy({ html, microFrontendHost }) };
}

async function web(app: FastifyInstance, config: WebConfig): Promise<void> {
  if (config.dir === undefined) return;
  const host = served(join(config.dir, 'host'), true);
  const k8s = served(join(config.dir, 'k8s'), false);
  // reply.sendFile only: the routes decide what is served.
  await app.register(fastifyStatic, { root: [host.root, k8s.root], serve: false });
  webRoutes(app, { host, k8s });
  app.log.info({ dir: config.dir }, 'serving the web apps');
}

export default fp(web, { name: 'web', dependencies: ['security'], fastify: '5.x' });
