// Every auth route, under the API prefix.
import type { FastifyInstance } from 'fastify';
import type { AuthContext } from './context.js';
import { accountRoutes } from './routes-account.js';
import { sessionRoutes } from './routes-session.js';
import { userRoutes } from './routes-users.js';

export const apiPrefix = '/k8s-api/v1';

export default function routes(app: FastifyInstance, context: AuthContext): Promise<void> {
  sessionRoutes(app, context);
  accountRoutes(app, context);
  userRoutes(app, context);
  return Promise.resolve();
}
