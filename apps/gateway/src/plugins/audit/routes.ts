// GET /k8s-api/v1/audit: the record, newest first, for those who may list `audit` (administrators).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { parseTime, queryAudit } from './query.js';
import { auditPage, auditQuery } from './schemas.js';

export default function routes(app: FastifyInstance): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/k8s-api/v1/audit',
    {
      config: { rbac: { resource: 'audit', verb: 'list' } },
      schema: { querystring: auditQuery, response: { 200: auditPage } },
    },
    async (request) => {
      const { since, until, limit = 100, cursor, ...filter } = request.query;
      const range = { since: parseTime(since, 'since'), until: parseTime(until, 'until') };
      // What this replica has queued is part of the answer.
      await app.audit.flush();
      return queryAudit(app.db, { filter: { ...filter, ...range }, limit, cursor });
    },
  );
}
