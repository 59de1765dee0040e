// Security headers with a CSP the web apps run under, and CORS only for configured origins.
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { SecurityConfig } from '../../config/security.js';

/**
 * The apps load only their own scripts. Styles allow 'unsafe-inline' because ant-design-vue (and
 * xterm) write their styles at run time; workers may come from blob: URLs (the YAML editor's).
 * The pages of the two apps add only what their own code needs (plugins/web/csp.ts); nginx sends
 * the same policies (nginx/render.mjs).
 */
export const contentSecurityPolicy = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'self'"],
};

async function security(app: FastifyInstance, config: SecurityConfig): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy },
    // The sub-app's assets are fetched by the host portal, which may live on another origin.
    crossOriginResourcePolicy: { policy: 'same-site' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  });
  const allowed = new Set(config.allowedOrigins);
  await app.register(cors, {
    origin: (origin, callback) => {
      // No Origin: not a cross-origin browser request. Otherwise only the configured ones.
      callback(null, origin === undefined || allowed.has(origin));
    },
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    maxAge: 600,
  });
}

export default fp(security, { name: 'security', fastify: '5.x' });
