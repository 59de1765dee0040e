// The stream routes' parameters; their queries and messages are the contract's (packages/contract).
import { Type, type Static } from 'typebox';

export { ExecQuerySchema, LogsQuerySchema } from '@binnacle/contract';

/** Cluster ids and namespaces are DNS labels. */
const label = Type.String({
  minLength: 1,
  maxLength: 63,
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
});

export const PodParamsSchema = Type.Object({
  cluster: label,
  namespace: label,
  /** Pod names are DNS subdomains. */
  name: Type.String({ minLength: 1, maxLength: 253, pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' }),
});
export type PodParams = Static<typeof PodParamsSchema>;
