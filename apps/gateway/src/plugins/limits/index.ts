// Request rate limits (@fastify/rate-limit, in memory and so per replica): per signed-in person,
// whatever session or token they use, and per client address for requests without a credential.
// Only the API (/k8s-api/…) is limited; static pages and the health checks are not. Past a limit
// the answer is a 429 `RateLimited` that names the limit and says when to try again.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { LimitsConfig } from '../../config/limits.js';
import { HttpError } from '../errors/index.js';

/** Keys kept in memory per replica; the least recently used go first beyond this. */
const trackedKeys = 100_000;

function limited(request: FastifyRequest): boolean {
  return request.url.startsWith('/k8s-api/');
}

async function limits(app: FastifyInstance, config: LimitsConfig): Promise<void> {
  const window = config.rateLimitWindowSeconds;
  await app.register(rateLimit, {
    global: false,
    cache: trackedKeys,
    timeWindow: window * 1000,
  });
  const check = app.rateLimit({
    keyGenerator: (request) =>
      request.user === undefined ? `address:${request.ip}` : `person:${request.user.id}`,
    max: (request) =>
      request.user === undefined ? config.rateLimitAnonymous : config.rateLimitPerPerson,
    errorResponseBuilder: (request, context) => {
      const retry = Math.max(1, Math.ceil(context.ttl / 1000));
      const who =
        request.user === undefined
          ? `requests without sign-in from one address (BINNACLE_RATE_LIMIT_ANONYMOUS, ${String(context.max)} per ${String(window)} s)`
          : `requests per person (BINNACLE_RATE_LIMIT_PER_PERSON, ${String(context.max)} per ${String(window)} s)`;
      return HttpError.tooManyRequests(
        `Too many requests: the limit of ${who} is reached; try again in ${String(retry)} s.`,
        {
          code: 'RateLimited',
          details: {
            limit: request.user === undefined ? 'anonymous' : 'person',
            max: context.max,
            window,
          },
        },
      );
    },
  });
  // After authentication (onRequest), so the person is known; before the permission check and
  // the body (preParsing), so that neither costs anything past the limit.
  app.addHook('preParsing', async (request, reply) => {
    if (limited(request)) await check.call(app, request, reply);
  });
}

export default fp(limits, { name: 'limits', dependencies: ['errors'], fastify: '5.x' });
