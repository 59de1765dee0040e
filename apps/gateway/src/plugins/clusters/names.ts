// Cluster names and ids: DNS labels, so they are safe in URLs, paths and queries as they are.

import { clusterNamePattern } from '@binnacle/contract';

export const namePattern = clusterNamePattern;
const nameRegExp = new RegExp(namePattern);

export const nameRule =
  'a cluster name is 1 to 63 lowercase letters, digits and "-", starting and ending with a letter or digit';

export function isClusterName(value: string): boolean {
  return nameRegExp.test(value);
}

/** Ids are UUIDs, which fit the same pattern; anything else is no id of ours. */
export const isClusterId = isClusterName;

/**
 * The name a kubeconfig context gets when none is given: lower-cased, other characters replaced with
 * "-", without "-" at either end, at most 63 characters. Undefined when nothing is left.
 */
export function nameFromContext(context: string): string | undefined {
  const name = context
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
  return isClusterName(name) ? name : undefined;
}
