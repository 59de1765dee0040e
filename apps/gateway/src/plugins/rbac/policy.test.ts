import { describe, expect, it } from 'vitest';
import { builtinRoles } from './builtin.js';
import { decide, evaluate, type AccessRequest, type Decision, type Rule } from './policy.js';

const allow = (rule: Partial<Rule>): Rule => ({
  clusters: ['*'],
  namespaces: ['*'],
  resources: ['*'],
  verbs: ['*'],
  effect: 'allow',
  ...rule,
});
const deny = (rule: Partial<Rule>): Rule => allow({ ...rule, effect: 'deny' });

const req = (
  resource: string,
  verb: string,
  cluster = 'prod',
  namespace = 'web',
): AccessRequest => ({ cluster, namespace, resource, verb });

const { admin, editor, viewer } = builtinRoles;
const teamWeb = [
  allow({ clusters: ['prod'], namespaces: ['web'], verbs: ['get', 'list', 'watch', 'update'] }),
];

describe('evaluate', () => {
  it.each<[string, Rule[], AccessRequest, Decision]>([
    // No rules, no access.
    ['nothing is allowed without a rule', [], req('pods', 'get'), 'none'],
    // Wildcards.
    [
      '"*" allows every verb on every resource',
      [allow({})],
      req('apps/deployments', 'delete'),
      'allow',
    ],
    ['"*" verbs include node-shell', [allow({})], req('nodes', 'node-shell', 'prod', ''), 'allow'],
    ['a listed verb only', [allow({ verbs: ['get'] })], req('pods', 'list'), 'none'],
    ['exact core resource', [allow({ resources: ['pods'] })], req('pods', 'get'), 'allow'],
    [
      'a core name does not match a grouped resource',
      [allow({ resources: ['deployments'] })],
      req('apps/deployments', 'get'),
      'none',
    ],
    [
      'group/resource exact',
      [allow({ resources: ['apps/deployments'] })],
      req('apps/deployments', 'get'),
      'allow',
    ],
    [
      'group/resource does not match the core resource',
      [allow({ resources: ['apps/pods'] })],
      req('pods', 'get'),
      'none',
    ],
    [
      '"apps/*" matches a resource of the group',
      [allow({ resources: ['apps/*'] })],
      req('apps/statefulsets', 'get'),
      'allow',
    ],
    [
      '"apps/*" does not match another group',
      [allow({ resources: ['apps/*'] })],
      req('batch/jobs', 'get'),
      'none',
    ],
    [
      '"apps/*" does not match a group with the same prefix',
      [allow({ resources: ['apps/*'] })],
      req('apps.example.com/widgets', 'get'),
      'none',
    ],
    [
      '"*/*" matches a CRD',
      [allow({ resources: ['*/*'] })],
      req('cert-manager.io/certificates', 'get'),
      'allow',
    ],
    [
      '"*/*" does not match a core resource',
      [allow({ resources: ['*/*'] })],
      req('secrets', 'get'),
      'none',
    ],
    [
      '"*/ingresses" matches any group',
      [allow({ resources: ['*/ingresses'] })],
      req('networking.k8s.io/ingresses', 'list'),
      'allow',
    ],
    // Deny wins.
    [
      'deny wins over allow',
      [allow({}), deny({ resources: ['secrets'], verbs: ['get'] })],
      req('secrets', 'get'),
      'deny',
    ],
    [
      'deny wins whatever the order',
      [deny({ resources: ['secrets'] }), allow({})],
      req('secrets', 'get'),
      'deny',
    ],
    [
      'a deny elsewhere leaves the allow',
      [allow({}), deny({ resources: ['secrets'] })],
      req('configmaps', 'get'),
      'allow',
    ],
    ['a deny alone is a deny', [deny({ verbs: ['exec'] })], req('pods', 'exec'), 'deny'],
    [
      'a deny in another namespace does not apply',
      [allow({}), deny({ namespaces: ['kube-system'] })],
      req('pods', 'delete'),
      'allow',
    ],
    // Subresource verbs.
    ['exec needs exec', [allow({ verbs: ['get', 'list', 'log'] })], req('pods', 'exec'), 'none'],
    [
      'log is its own verb',
      [allow({ resources: ['pods'], verbs: ['log'] })],
      req('pods', 'log'),
      'allow',
    ],
    [
      'port-forward',
      [allow({ resources: ['pods'], verbs: ['port-forward'] })],
      req('pods', 'port-forward'),
      'allow',
    ],
    // Clusters and namespaces.
    ['another cluster', teamWeb, req('pods', 'get', 'staging', 'web'), 'none'],
    ['another namespace', teamWeb, req('pods', 'get', 'prod', 'api'), 'none'],
    ['its own cluster and namespace', teamWeb, req('pods', 'update', 'prod', 'web'), 'allow'],
    [
      'a namespace rule does not reach cluster scope',
      teamWeb,
      req('nodes', 'get', 'prod', ''),
      'none',
    ],
    [
      'a namespace rule does not reach all namespaces',
      teamWeb,
      req('pods', 'list', 'prod', '*'),
      'none',
    ],
    [
      'namespaces "*" reaches cluster scope',
      [allow({ resources: ['nodes'] })],
      req('nodes', 'get', 'prod', ''),
      'allow',
    ],
    [
      'namespaces "*" reaches all namespaces',
      [allow({ verbs: ['list'] })],
      req('pods', 'list', 'prod', '*'),
      'allow',
    ],
    [
      'namespaces "" is cluster scope only',
      [allow({ namespaces: [''] })],
      req('nodes', 'get', 'prod', ''),
      'allow',
    ],
    [
      'namespaces "" is not a namespace',
      [allow({ namespaces: [''] })],
      req('pods', 'get', 'prod', 'web'),
      'none',
    ],
    [
      'namespaces "" is not all namespaces',
      [allow({ namespaces: [''] })],
      req('pods', 'list', 'prod', '*'),
      'none',
    ],
    // The gateway itself (cluster '').
    ['clusters "*" does not reach the gateway', [allow({})], req('users', 'list', '', ''), 'none'],
    [
      'clusters "" is the gateway',
      [allow({ clusters: [''], resources: ['users'] })],
      req('users', 'create', '', ''),
      'allow',
    ],
    ['clusters "" is no cluster', [allow({ clusters: [''] })], req('pods', 'get'), 'none'],
    // The built-in roles.
    ['admin: anything in a cluster', admin, req('nodes', 'node-shell', 'prod', ''), 'allow'],
    ['admin: the gateway', admin, req('roles', 'delete', '', ''), 'allow'],
    ['editor: deletes a deployment', editor, req('apps/deployments', 'delete'), 'allow'],
    ['editor: exec', editor, req('pods', 'exec'), 'allow'],
    ['editor: no node shell', editor, req('nodes', 'node-shell', 'prod', ''), 'none'],
    ['editor: no users', editor, req('users', 'list', '', ''), 'none'],
    ['viewer: lists pods in every namespace', viewer, req('pods', 'list', 'prod', '*'), 'allow'],
    ['viewer: reads a CRD object', viewer, req('cert-manager.io/certificates', 'get'), 'allow'],
    ['viewer: lists secrets', viewer, req('secrets', 'list'), 'allow'],
    ['viewer: no secret data', viewer, req('secrets', 'get'), 'none'],
    ['viewer: no exec', viewer, req('pods', 'exec'), 'none'],
    ['viewer: no logs', viewer, req('pods', 'log'), 'none'],
    ['viewer: no changes', viewer, req('configmaps', 'update'), 'none'],
    ['viewer: no audit', viewer, req('audit', 'list', '', ''), 'none'],
    // A request's literal "*" needs a "*" pattern.
    [
      'a request for every cluster needs clusters "*"',
      teamWeb,
      req('pods', 'get', '*', 'web'),
      'none',
    ],
  ])('%s', (_name, rules, request, expected) => {
    expect(evaluate(rules, request)).toBe(expected);
  });

  it('names the rule that decided', () => {
    const rules = [
      { ...allow({ verbs: ['get'] }), role: 'reader' },
      { ...deny({ resources: ['secrets'] }), role: 'no-secrets' },
    ];
    expect(decide(rules, req('pods', 'get')).rule?.role).toBe('reader');
    expect(decide(rules, req('secrets', 'get')).rule?.role).toBe('no-secrets');
    expect(decide(rules, req('pods', 'delete')).rule).toBeUndefined();
  });

  it('decides quickly on a large rule set', () => {
    const rules = Array.from({ length: 200 }, (_, i) =>
      allow({ clusters: [`c${i}`], namespaces: [`ns${i}`], resources: ['apps/*', 'pods'] }),
    );
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) evaluate(rules, req('pods', 'get', 'c199', 'ns199'));
    // 2 million rule checks; a loose bound that only a pathological implementation would miss.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
