import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to.js';

describe('safeReturnTo', () => {
  it.each([
    [undefined, '/k8s/'],
    ['/k8s/clusters/prod', '/k8s/clusters/prod'],
    ['/k8s/pods?ns=default#logs', '/k8s/pods?ns=default#logs'],
    ['//evil.example', '/k8s/'],
    ['//evil.example/k8s/', '/k8s/'],
    ['/\\evil.example', '/k8s/'],
    ['https://evil.example/', '/k8s/'],
    ['javascript:alert(1)', '/k8s/'],
    ['k8s/relative', '/k8s/'],
    ['/k8s/\n//evil.example', '/k8s/'],
    ['/k8s/\\..\\evil', '/k8s/'],
    ['', '/k8s/'],
  ])('%j → %j', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });
});
