// `make start` serves the apps from the gateway itself (BINNACLE_WEB_DIR), without nginx: the same
// path in short, under the gateway's own page policies.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import './harness/context.ts';
import { startStack, type Stack } from './harness/stack.ts';

const timeout = { timeout: 30_000 };

describe('the portal served by the gateway alone', () => {
  let stack: Stack;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack({ kubeconfig: inject('kubeconfig'), front: 'gateway' });
    page = stack.browser.page;
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('signs in, mounts Kubernetes and lists the pods of demo', async () => {
    await page.goto('/');
    await page.getByTestId('host-username').fill(stack.gateway.admin.username);
    await page.getByTestId('host-password').fill(stack.gateway.admin.password);
    await page.getByTestId('host-submit').click();
    await page.getByTestId('host-user').waitFor(timeout);
    await page.getByTestId('nav-k8s').click();
    await page.getByTestId('subapp').getByTestId('k8s-root').waitFor(timeout);
    await page.goto(`/k8s/c/${stack.cluster.id}/pods?namespace=demo`);
    await page.locator('[data-testid="resource-row"][data-name="hello"]').waitFor(timeout);
    expect(await page.getByTestId('k8s-login').count()).toBe(0);
    await stack.browser.screenshot('gateway-served-pods');
  });

  it('ran without Content-Security-Policy violations', () => {
    const violations = stack.browser.problems.filter((p) => /Content Security Policy/i.test(p));
    expect(violations).toEqual([]);
  });
});
