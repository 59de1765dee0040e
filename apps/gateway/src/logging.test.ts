import { describe, expect, it } from 'vitest';
import { redactedUrl } from './logging.js';

describe('redactedUrl', () => {
  it.each([
    ['/k8s-api/v1/live?ticket=abc', '/k8s-api/v1/live?ticket=[redacted]'],
    [
      '/k8s-api/v1/clusters/c/namespaces/n/pods/p/exec?container=web&ticket=abc&cols=80',
      '/k8s-api/v1/clusters/c/namespaces/n/pods/p/exec?container=web&ticket=[redacted]&cols=80',
    ],
    [
      '/k8s-api/v1/auth/oidc/callback?code=xyz&state=s1',
      '/k8s-api/v1/auth/oidc/callback?code=[redacted]&state=[redacted]',
    ],
    ['/x?%74icket=abc', '/x?%74icket=[redacted]'],
    ['/k8s-api/v1/clusters', '/k8s-api/v1/clusters'],
    ['/x?follow=true&ticket', '/x?follow=true&ticket'],
  ])('%s', (url, expected) => {
    expect(redactedUrl(url)).toBe(expected);
  });
});
