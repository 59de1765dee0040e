// Checks role input (and rules read back from the store) beyond their JSON shape, naming the field
// of each problem the way schema errors do (`body/rules/0/verbs/1`).
import { verbs, type Rule } from './policy.js';

export interface Problem {
  /** A JSON pointer into the input, like schema errors' `instancePath`. */
  field: string;
  problem: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

const maxItems = 100;
const knownVerbs: ReadonlySet<string> = new Set([...verbs, '*']);
const roleName = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const clusterId = /^[^\s*/]+$/;

export function checkRole(input: unknown): Checked<{ name: string; rules: Rule[] }> {
  const problems: Problem[] = [];
  const body = isRecord(input) ? input : {};
  if (!isRecord(input)) problems.push({ field: '', problem: 'must be an object' });
  const name = body.name;
  if (typeof name !== 'string' || name.length > 63 || !roleName.test(name)) {
    problems.push({
      field: '/name',
      problem:
        'must be 1 to 63 lowercase letters, digits, "-" or ".", starting and ending with a letter or digit',
    });
  }
  const rules = checkRules(body.rules, '/rules');
  if (!rules.ok) problems.push(...rules.problems);
  if (problems.length > 0 || !rules.ok || typeof name !== 'string') return { ok: false, problems };
  return { ok: true, value: { name, rules: rules.value } };
}

export function checkRules(input: unknown, field: string): Checked<Rule[]> {
  if (!Array.isArray(input) || input.length === 0 || input.length > maxItems) {
    return {
      ok: false,
      problems: [{ field, problem: `must list 1 to ${maxItems} rules` }],
    };
  }
  const problems: Problem[] = [];
  const rules: Rule[] = [];
  input.forEach((item: unknown, index) => {
    const checked = checkRule(item, `${field}/${index}`);
    if (checked.ok) rules.push(checked.value);
    else problems.push(...checked.problems);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: rules };
}

function checkRule(input: unknown, field: string): Checked<Rule> {
  if (!isRecord(input)) return { ok: false, problems: [{ field, problem: 'must be an object' }] };
  const problems: Problem[] = [];
  const list = (key: string, check: (item: string) => string | undefined): string[] => {
    const value = input[key];
    if (!Array.isArray(value) || value.length === 0 || value.length > maxItems) {
      problems.push({
        field: `${field}/${key}`,
        problem: `must list 1 to ${maxItems} entries (use "*" for all)`,
      });
      return [];
    }
    return value.map((item: unknown, index) => {
      const text = typeof item === 'string' ? item : undefined;
      const problem = text === undefined ? 'must be a string' : check(text);
      if (problem !== undefined) problems.push({ field: `${field}/${key}/${index}`, problem });
      return text ?? '';
    });
  };
  const clusters = list('clusters', checkCluster);
  const namespaces = list('namespaces', checkNamespace);
  const resources = list('resources', checkResource);
  const verbList = list('verbs', checkVerb);
  const effect = input.effect;
  if (effect !== 'allow' && effect !== 'deny') {
    problems.push({ field: `${field}/effect`, problem: 'must be "allow" or "deny"' });
  }
  if (problems.length > 0 || (effect !== 'allow' && effect !== 'deny')) {
    return { ok: false, problems };
  }
  return { ok: true, value: { clusters, namespaces, resources, verbs: verbList, effect } };
}

function checkCluster(value: string): string | undefined {
  if (value === '*' || value === '') return undefined;
  if (value.length <= 253 && clusterId.test(value)) return undefined;
  return `"${value}" is not a cluster: use a cluster id, "*" for every cluster, or "" for the gateway's own resources`;
}

function checkNamespace(value: string): string | undefined {
  if (value === '*' || value === '') return undefined;
  if (value.length <= 63 && dnsLabel.test(value)) return undefined;
  return `"${value}" is not a namespace: use a namespace name, "*" for all, or "" for cluster-scoped resources`;
}

function checkResource(value: string): string | undefined {
  if (value === '*') return undefined;
  const parts = value.split('/');
  const [group, plural] = parts;
  const fits =
    parts.length === 1
      ? dnsLabel.test(value)
      : parts.length === 2 &&
        group !== undefined &&
        plural !== undefined &&
        (group === '*' || (group.length <= 253 && dnsSubdomain.test(group))) &&
        (plural === '*' || dnsLabel.test(plural));
  if (fits) return undefined;
  return `"${value}" is not a resource: use "pods", "apps/deployments", "apps/*", "*/*" or "*"`;
}

function checkVerb(value: string): string | undefined {
  if (knownVerbs.has(value)) return undefined;
  return `"${value}" is not a verb: use one of ${verbs.join(', ')}, or "*"`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
