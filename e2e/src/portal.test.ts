// A person's path through Binnacle in a real browser: the Acme portal signs them in, mounts the
// Kubernetes sub-app with qiankun (through nginx, against the gateway and the test cluster), and
// signing out at the portal signs the sub-app out too.
import { randomBytes } from 'node:crypto';
import { kubectl, stateOfKubeconfig } from '@binnacle/testcluster';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import './harness/context.ts';
import { startStack, type Stack } from './harness/stack.ts';

const timeout = { timeout: 30_000 };
// A deployment of this run's own in demo, so scaling it disturbs nothing else there.
const deployment = `e2e-${randomBytes(3).toString('hex')}`;

function deploymentManifest(replicas: number): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: deployment, namespace: 'demo', labels: { app: deployment } },
    spec: {
      replicas,
      selector: { matchLabels: { app: deployment } },
      template: {
        metadata: { labels: { app: deployment } },
        spec: {
          // kwok's fake nodes, like the demo workloads
          nodeSelector: { type: 'kwok' },
          tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
          containers: [{ name: 'app', image: 'nginx:1.27' }],
        },
      },
    },
  });
}

const rowsOf = (page: Page, prefix: string): Locator =>
  page.locator(`[data-testid="resource-row"][data-name^="${prefix}"]`);

/** Picks a namespace in the sub-app's selector, once the namespace list has it. */
async function chooseNamespace(page: Page, name: string): Promise<void> {
  await page.getByTestId('namespace-select').click();
  await page.keyboard.type(name);
  // Enter before the list has loaded would be lost: click the option once it is there.
  await page
    .locator('.bnk-select-item-option')
    .filter({ hasText: new RegExp(`^${name}$`) })
    .click(timeout);
}

describe('the Acme portal with Binnacle inside', () => {
  let stack: Stack;
  let page: Page;
  let run: ReturnType<typeof kubectl>;

  beforeAll(async () => {
    const kubeconfig = inject('kubeconfig');
    const state = await stateOfKubeconfig(kubeconfig);
    if (state === undefined) throw new Error(`no test-cluster state next to ${kubeconfig}`);
    run = kubectl(state);
    await run(['apply', '-f', '-'], { input: deploymentManifest(1) });
    stack = await startStack({ kubeconfig, front: 'nginx' });
    page = stack.browser.page;
  });

  afterAll(async () => {
    await run([
      'delete',
      'deployment',
      deployment,
      '-n',
      'demo',
      '--ignore-not-found',
      '--wait=false',
    ]);
    await stack.stop();
  });

  async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
    try {
      const result = await body();
      await stack.browser.screenshot(name);
      return result;
    } catch (err) {
      await stack.browser.screenshot(`${name}-failed`).catch(() => undefined);
      console.log(await stack.logs());
      throw err;
    }
  }

  it('signs in at the portal', async () => {
    await step('host-sign-in', async () => {
      await page.goto('/');
      await page.getByTestId('host-login').waitFor(timeout);
      expect(new URL(page.url()).pathname).toBe('/login');
      await page.getByTestId('host-username').fill(stack.gateway.admin.username);
      await page.getByTestId('host-password').fill(stack.gateway.admin.password);
      await page.getByTestId('host-submit').click();
      await expect
        .poll(() => page.getByTestId('host-user').textContent(), timeout)
        .toContain('Administrator');
      expect(new URL(page.url()).pathname).toBe('/');
    });
  });

  it('opens Kubernetes from the portal menu without a second sign-in', async () => {
    await step('k8s-mounted', async () => {
      await page.getByTestId('nav-k8s').click();
      const root = page.getByTestId('subapp').getByTestId('k8s-root');
      await root.waitFor(timeout);
      await page.getByTestId('k8s-menu').waitFor(timeout);
      expect(await page.getByTestId('k8s-login').count()).toBe(0);
      // the sub-app opens the only cluster on its pods
      await expect
        .poll(() => new URL(page.url()).pathname, timeout)
        .toBe(`/k8s/c/${stack.cluster.id}/pods`);
    });
  });

  it('shows the pods of demo', async () => {
    await step('demo-pods', async () => {
      await chooseNamespace(page, 'demo');
      await expect
        .poll(() => new URL(page.url()).searchParams.get('namespace'), timeout)
        .toBe('demo');
      await rowsOf(page, 'web-').first().waitFor(timeout);
      expect(await rowsOf(page, 'hello').count()).toBe(1);
    });
  });

  it('resumes the session on a direct visit to /k8s, without a second sign-in', async () => {
    const other = await stack.browser.context.newPage();
    stack.browser.watch(other);
    try {
      await other.goto(`/k8s/c/${stack.cluster.id}/pods?namespace=demo`);
      await other.getByTestId('resource-table').waitFor(timeout);
      await rowsOf(other, 'web-').first().waitFor(timeout);
      expect(await other.getByTestId('k8s-login').count()).toBe(0);
      await stack.browser.screenshot('k8s-standalone', other);
    } finally {
      await other.close();
    }
  });

  it('shows new pods without a reload when a deployment is scaled', async () => {
    await step('pods-after-scale', async () => {
      await rowsOf(page, deployment).first().waitFor(timeout);
      expect(await rowsOf(page, deployment).count()).toBe(1);
      // A reload would lose this mark.
      await page.evaluate(() => {
        Object.assign(globalThis, { e2eNoReload: true });
      });
      await run(['scale', 'deployment', deployment, '-n', 'demo', '--replicas=3']);
      await expect.poll(() => rowsOf(page, deployment).count(), timeout).toBe(3);
      expect(await page.evaluate(() => 'e2eNoReload' in globalThis)).toBe(true);
    });
  });

  it("opens a pod's logs and sees lines", async () => {
    await step('pod-logs', async () => {
      await rowsOf(page, 'web-').first().getByRole('link').first().click();
      await page.getByTestId('tab-logs').click();
      const logs = page.getByTestId('log-view');
      await expect
        .poll(async () => ((await logs.textContent()) ?? '').trim(), timeout)
        .not.toBe('');
    });
  });

  it('runs a command in the terminal', async () => {
    await step('terminal', async () => {
      await page.getByTestId('tab-terminal').click();
      const terminal = page.getByTestId('terminal');
      await terminal.locator('.xterm').waitFor(timeout);
      await expect
        .poll(() => page.getByTestId('terminal-status').textContent(), timeout)
        .toMatch(/connected|已连接/i);
      await terminal.click();
      await page.keyboard.type('echo hello-from-binnacle');
      await page.keyboard.press('Enter');
      // the output line itself, not only the echoed command
      await expect
        .poll(async () => {
          const rows = await terminal.locator('.xterm-rows > div').allTextContents();
          return rows.some((row) => row.trim() === 'hello-from-binnacle');
        }, timeout)
        .toBe(true);
    });
  });

  it('switches the sub-app to Simplified Chinese from the portal', async () => {
    await step('locale-zh-CN', async () => {
      const pods = page.getByTestId('menu-pods');
      await expect.poll(() => pods.textContent(), timeout).toContain('Pods');
      await page.getByTestId('host-locale-zh-CN').click();
      await expect.poll(() => pods.textContent(), timeout).toContain('容器组');
      expect(await page.getByTestId('nav-home').textContent()).toContain('首页');
    });
  });

  it('switches the sub-app to the dark theme from the portal', async () => {
    await step('theme-dark', async () => {
      const root = page.getByTestId('k8s-root');
      expect(await root.getAttribute('class')).toContain('bnk-root--light');
      await page.getByTestId('host-theme').click();
      await expect.poll(() => root.getAttribute('class'), timeout).toContain('bnk-root--dark');
    });
  });

  it('shows a list page in the dark theme', async () => {
    await step('theme-dark-pods', async () => {
      await page.getByTestId('menu-pods').click();
      await chooseNamespace(page, 'demo');
      await expect
        .poll(() => new URL(page.url()).searchParams.get('namespace'), timeout)
        .toBe('demo');
      await rowsOf(page, 'web-').first().waitFor(timeout);
      expect(await page.getByTestId('k8s-root').getAttribute('class')).toContain('bnk-root--dark');
    });
  });

  it('scales a deployment from the UI', async () => {
    await step('scale-from-ui', async () => {
      await page.getByTestId('menu-deployments.apps').click();
      const row = rowsOf(page, deployment);
      await row.first().waitFor(timeout);
      await row.getByTestId('scale-button').click();
      const input = page.getByTestId('scale-input');
      await input.fill('2');
      await page.getByTestId('scale-confirm').click();
      await expect
        .poll(
          () =>
            run(['get', 'deployment', deployment, '-n', 'demo', '-o', 'jsonpath={.spec.replicas}']),
          timeout,
        )
        .toBe('2');
    });
  });

  it('leaves Kubernetes for the portal home and comes back with the browser history', async () => {
    await step('home-and-back', async () => {
      const inK8s = new URL(page.url()).pathname;
      expect(inK8s).toBe(`/k8s/c/${stack.cluster.id}/deployments.apps`);
      await page.getByTestId('nav-home').click();
      await page.getByTestId('home-welcome').waitFor(timeout);
      // the sub-app's history entries must keep their /k8s paths
      expect(new URL(page.url()).pathname).toBe('/');
      expect(await page.getByTestId('k8s-root').count()).toBe(0);
      await page.goBack();
      await expect.poll(() => new URL(page.url()).pathname, timeout).toBe(inK8s);
      await rowsOf(page, deployment).first().waitFor(timeout);
    });
  });

  it('signs the sub-app out with the portal', async () => {
    await step('signed-out', async () => {
      await page.getByTestId('host-logout').click();
      await page.getByTestId('host-login').waitFor(timeout);
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await page.getByTestId('k8s-root').count()).toBe(0);
    });
    await step('k8s-after-sign-out', async () => {
      // A direct visit finds no session: the sub-app asks to sign in and shows no cluster.
      await page.goto('/k8s');
      await page.getByTestId('k8s-login').waitFor(timeout);
      expect(await page.getByTestId('resource-table').count()).toBe(0);
    });
  });

  it('ran without Content-Security-Policy violations', () => {
    const violations = stack.browser.problems.filter((p) => /Content Security Policy/i.test(p));
    expect(violations).toEqual([]);
  });
});
