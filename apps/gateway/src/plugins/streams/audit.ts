// The audit record of a stream session: one row when it starts (or fails to), one when it ends,
// with its duration (and the exit code of a command). Never what was typed into it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditResult } from '../audit/index.js';
import type { PodParams } from './schemas.js';

export type StreamKind = 'logs' | 'exec';

export interface SessionAudit {
  started: (detail: Record<string, unknown>) => void;
  /**
   * Records the end once, whatever ends it; `failure` when it failed. A session that never
   * started gets this one row, as a failed start.
   */
  ended: (result: AuditResult, detail: Record<string, unknown>) => void;
}

const verbs = { logs: 'log', exec: 'exec' } as const;

export function sessionAudit(options: {
  app: FastifyInstance;
  request: FastifyRequest;
  kind: StreamKind;
  params: PodParams;
}): SessionAudit {
  const { app, request, kind, params } = options;
  const since = Date.now();
  let started = false;
  let ended = false;
  const record = (result: AuditResult, detail: Record<string, unknown>): void => {
    app.audit
      .record({
        actor: request.user?.username ?? 'anonymous',
        action: `stream.${kind}`,
        cluster: params.cluster,
        namespace: params.namespace,
        kind: 'pods',
        name: params.name,
        verb: verbs[kind],
        result,
        detail,
        ip: request.ip,
      })
      .catch((err: unknown) => {
        app.log.error({ err }, 'a stream session was not recorded in the audit');
      });
  };
  return {
    started: (detail) => {
      started = true;
      record('success', { phase: 'start', ...detail });
    },
    ended: (result, detail) => {
      if (ended) return;
      ended = true;
      record(result, {
        phase: started ? 'end' : 'start',
        durationMs: Date.now() - since,
        ...detail,
      });
    },
  };
}
