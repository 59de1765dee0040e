import { describe, expect, it } from 'vitest';
import { builtinRoles } from './builtin.js';
import { checkRole, type Problem } from './validate.js';

const rule = {
  clusters: ['prod'],
  namespaces: ['web'],
  resources: ['apps/deployments'],
  verbs: ['get'],
  effect: 'allow',
};

describe('checkRole', () => {
  it('accepts a role and keeps only the rule fields', () => {
    expect(checkRole({ name: 'web-deployer', rules: [{ ...rule, note: 'x' }] })).toEqual({
      ok: true,
      value: { name: 'web-deployer', rules: [rule] },
    });
  });

  it.each(Object.entries(builtinRoles))('accepts the built-in role %s', (name, rules) => {
    expect(checkRole({ name, rules }).ok).toBe(true);
  });

  it.each<[string, unknown, Problem]>([
    [
      'a name with capitals',
      { name: 'Web', rules: [rule] },
      {
        field: '/name',
        problem:
          'must be 1 to 63 lowercase letters, digits, "-" or ".", starting and ending with a letter or digit',
      },
    ],
    [
      'no rules',
      { name: 'r', rules: [] },
      { field: '/rules', problem: 'must list 1 to 100 rules' },
    ],
    [
      'a rule that is not an object',
      { name: 'r', rules: ['x'] },
      { field: '/rules/0', problem: 'must be an object' },
    ],
    [
      'an unknown verb',
      { name: 'r', rules: [{ ...rule, verbs: ['get', 'gett'] }] },
      {
        field: '/rules/0/verbs/1',
        problem:
          '"gett" is not a verb: use one of get, list, watch, create, update, patch, delete, log, exec, node-shell, port-forward, or "*"',
      },
    ],
    [
      'an empty verb list',
      { name: 'r', rules: [{ ...rule, verbs: [] }] },
      { field: '/rules/0/verbs', problem: 'must list 1 to 100 entries (use "*" for all)' },
    ],
    [
      'a partial wildcard resource',
      { name: 'r', rules: [{ ...rule, resources: ['apps/deploy*'] }] },
      {
        field: '/rules/0/resources/0',
        problem:
          '"apps/deploy*" is not a resource: use "pods", "apps/deployments", "apps/*", "*/*" or "*"',
      },
    ],
    [
      'a resource with two slashes',
      { name: 'r', rules: [{ ...rule, resources: ['apps/v1/deployments'] }] },
      {
        field: '/rules/0/resources/0',
        problem:
          '"apps/v1/deployments" is not a resource: use "pods", "apps/deployments", "apps/*", "*/*" or "*"',
      },
    ],
    [
      'a namespace with capitals',
      { name: 'r', rules: [rule, { ...rule, namespaces: ['Web'] }] },
      {
        field: '/rules/1/namespaces/0',
        problem:
          '"Web" is not a namespace: use a namespace name, "*" for all, or "" for cluster-scoped resources',
      },
    ],
    [
      'a cluster pattern',
      { name: 'r', rules: [{ ...rule, clusters: ['prod-*'] }] },
      {
        field: '/rules/0/clusters/0',
        problem: `"prod-*" is not a cluster: use a cluster id, "*" for every cluster, or "" for the gateway's own resources`,
      },
    ],
    [
      'a missing effect',
      { name: 'r', rules: [{ ...rule, effect: undefined }] },
      { field: '/rules/0/effect', problem: 'must be "allow" or "deny"' },
    ],
    [
      'a number for a verb',
      { name: 'r', rules: [{ ...rule, verbs: [1] }] },
      { field: '/rules/0/verbs/0', problem: 'must be a string' },
    ],
  ])('refuses %s, naming the field', (_name, input, problem) => {
    const checked = checkRole(input);
    expect(checked.ok).toBe(false);
    expect(checked.ok ? [] : checked.problems).toEqual([problem]);
  });

  it('reports every problem, not just the first', () => {
    const checked = checkRole({ name: '', rules: [{ ...rule, verbs: ['x'], effect: 'maybe' }] });
    expect(checked.ok ? [] : checked.problems.map((p) => p.field)).toEqual([
      '/name',
      '/rules/0/verbs/0',
      '/rules/0/effect',
    ]);
  });
});
