// Binnacle on its own at /k8s: its own sign-in page, and adding clusters from a kubeconfig, where a
// context the import policy refuses says why and the others are imported.
import { kubectl, stateOfKubeconfig } from '@binnacle/testcluster';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import './harness/context.ts';
import { startStack, type Stack } from './harness/stack.ts';

const timeout = { timeout: 30_000 };

interface Kubeconfig {
  clusters: { name: string }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context': string;
}

/** The test cluster's kubeconfig plus a context whose user runs an exec plugin. */
async function mixedKubeconfig(file: string): Promise<{ text: string; good: string }> {
  const state = await stateOfKubeconfig(file);
  if (state === undefined) throw new Error(`no test-cluster state next to ${file}`);
  const config = JSON.parse(
    await kubectl(state)(['config', 'view', '--raw', '--flatten', '-o', 'json']),
  ) as Kubeconfig;
  const cluster = config.clusters[0]?.name ?? '';
  config.users.push({
    name: 'plugin-user',
    user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'get-token' } },
  });
  config.contexts.push({ name: 'with-plugin', context: { cluster, user: 'plugin-user' } });
  return { text: JSON.stringify(config, null, 2), good: config['current-context'] };
}

describe('Binnacle standalone at /k8s', () => {
  let stack: Stack;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack({ kubeconfig: inject('kubeconfig'), front: 'gateway' });
    page = stack.browser.page;
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('asks for a sign-in of its own and then shows the cluster', async () => {
    await page.goto('/k8s/');
    await page.getByTestId('k8s-login').waitFor(timeout);
    await page.getByTestId('login-username').fill(stack.gateway.admin.username);
    await page.getByTestId('login-password').fill(stack.gateway.admin.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('k8s-menu').waitFor(timeout);
    expect(await page.getByTestId('k8s-login').count()).toBe(0);
    await stack.browser.screenshot('standalone-signed-in');
  });

  it('adds a cluster from a kubeconfig, explaining the context it refuses', async () => {
    const { text, good } = await mixedKubeconfig(inject('kubeconfig'));
    await page.goto('/k8s/clusters');
    await page.getByTestId('add-cluster').click();
    await page.getByTestId('kubeconfig-input').fill(text);
    await page.getByTestId('import-preview').click();
    const refused = page.locator('[data-testid="import-context"][data-name="with-plugin"]');
    await refused.waitFor(timeout);
    await expect.poll(() => refused.textContent(), timeout).toMatch(/exec/i);
    await stack.browser.screenshot('import-preview');
    await page.getByTestId('import-submit').click();
    // the new cluster joins the one the harness registered
    const rows = page.getByTestId('clusters-page').locator('tbody tr');
    await expect.poll(() => rows.count(), timeout).toBe(2);
    expect(await page.getByTestId('clusters-page').textContent()).toContain(good);
    await stack.browser.screenshot('cluster-imported');
  });
});
