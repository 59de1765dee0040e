import { describe, expect, it } from 'vitest';
import { isClusterName, nameFromContext } from './names.js';

describe('nameFromContext', () => {
  it.each([
    ['kind-kind', 'kind-kind'],
    ['Prod_EU', 'prod-eu'],
    ['admin@prod', 'admin-prod'],
    [
      'arn:aws:eks:eu-west-1:123456789012:cluster/prod',
      'arn-aws-eks-eu-west-1-123456789012-cluster-prod',
    ],
    ['gke_my-project_europe-west1_prod', 'gke-my-project-europe-west1-prod'],
    ['../etc', 'etc'],
    ['Ünïcode', 'n-code'],
    ['x'.repeat(70), 'x'.repeat(63)],
    [`${'a'.repeat(62)}.b`, 'a'.repeat(62)],
    ['___', undefined],
    ['', undefined],
  ])('%j becomes %j', (context, name) => {
    expect(nameFromContext(context)).toBe(name);
  });
});

describe('isClusterName', () => {
  it.each([
    ['prod', true],
    ['a', true],
    ['0', true],
    ['eu-west-1', true],
    ['3f0c2b7e-8a1d-4c5e-9f6a-0b1c2d3e4f50', true],
    ['x'.repeat(63), true],
    ['x'.repeat(64), false],
    ['', false],
    ['-a', false],
    ['a-', false],
    ['Prod', false],
    ['a.b', false],
    ['a/b', false],
    ['../x', false],
    ['..', false],
    ['a%2Fb', false],
    ['a b', false],
    ['a\nb', false],
  ])('%j: %s', (name, valid) => {
    expect(isClusterName(name)).toBe(valid);
  });
});
