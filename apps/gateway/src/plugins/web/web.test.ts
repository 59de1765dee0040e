import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.js';
import { ConfigError, loadConfig } from '../../config/index.js';
import { inlineScriptHashes, pagePolicy } from './csp.js';

// What vite-plugin-qiankun leaves in web-k8s's index.html: inline bootstrap scripts.
const bootstrap = "import('/k8s/assets/index-abc.js').finally(() => {})";
const helper = "window.qiankunName = 'k8s';";
const k8sHtml = `<!doctype html><html><head><link rel="stylesheet" href="/k8s/assets/index-abc.css"></head>
<body><div id="app"></div><script>${bootstrap}</script><script>${helper}</script></body></html>`;
const hostHtml = `<!doctype html><html><head><script type="module" crossorigin src="/assets/index-def.js"></script></head>
<body><div id="app"></div></body></html>`;

const sha = (text: string): string =>
  `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

async function webDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'binnacle-web-'));
  await mkdir(join(dir, 'host', 'assets'), { recursive: true });
  await mkdir(join(dir, 'k8s', 'assets'), { recursive: true });
  await writeFile(join(dir, 'host', 'index.html'), hostHtml);
  await writeFile(join(dir, 'host', 'assets', 'index-def.js'), 'console.log("host")');
  await writeFile(join(dir, 'host', 'favicon.svg'), '<svg/>');
  await writeFile(join(dir, 'k8s', 'index.html'), k8sHtml);
  await writeFile(join(dir, 'k8s', 'assets', 'index-abc.js'), 'console.log("k8s")');
  await writeFile(join(dir, 'secret.txt'), 'not for the web');
  return dir;
}

describe('the web plugin', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = await webDir();
    t = await testApp({ BINNACLE_WEB_DIR: dir });
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['/', '/index.html', '/settings/profile', '/k8s-apis'])(
    'serves the portal page for %s, never cached, under the portal policy',
    async (url) => {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toBe(hostHtml);
      expect(res.headers['cache-control']).toBe('no-cache');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self' 'unsafe-eval'");
      expect(csp).toContain("object-src 'none'");
    },
  );

  it.each(['/k8s', '/k8s/', '/k8s/c/local/pods', '/k8s/c/local/configmaps/demo/kube-root-ca.crt'])(
    'serves the web-k8s page for %s with the hashes of its inline scripts only',
    async (url) => {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(k8sHtml);
      expect(res.headers['cache-control']).toBe('no-cache');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain(`script-src 'self' ${sha(bootstrap)} ${sha(helper)};`);
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
    },
  );

  it('caches hashed assets for good and other files until revalidated', async () => {
    const asset = await t.app.inject({ url: '/assets/index-def.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log("host")');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const k8sAsset = await t.app.inject({ url: '/k8s/assets/index-abc.js' });
    expect(k8sAsset.body).toBe('console.log("k8s")');
    expect(k8sAsset.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const icon = await t.app.inject({ url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
    expect(icon.headers.etag).toBeDefined();
  });

  it('answers HEAD like GET', async () => {
    const res = await t.app.inject({ method: 'HEAD', url: '/k8s/c/local/pods' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
  });

  it('gives a 404, not a page, for a missing asset', async () => {
    for (const url of ['/assets/gone-123.js', '/k8s/assets/gone-456.js']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json<{ code: string }>().code).toBe('NotFound');
    }
  });

  it('serves nothing outside the builds', async () => {
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/k8s/..%2f..%2fsecret.txt']) {
      const res = await t.app.inject({ url });
      expect(res.body, url).not.toContain('not for the web');
    }
  });

  it('keeps the page routes out of the OpenAPI document', async () => {
    const res = await t.app.inject({ url: '/k8s-api/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths.length).toBeGreaterThan(0);
    expect(
      paths.filter(
        (path) => !path.startsWith('/k8s-api/') && !/^\/(healthz|readyz|metrics)$/.test(path),
      ),
    ).toEqual([]);
  });

  it('leaves the API alone: unknown API paths keep their JSON 404, health stays JSON', async () => {
    const unknown = await t.app.inject({ url: '/k8s-api/v1/no-such-thing' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ code: string }>().code).toBe('NotFound');
    const health = await t.app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.headers['content-type']).toMatch(/json/);
  });
});

describe('the web plugin switched off', () => {
  it('serves no page without BINNACLE_WEB_DIR', async () => {
    const t = await testApp();
    try {
      const res = await t.app.inject({ url: '/' });
      expect(res.statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('refuses a BINNACLE_WEB_DIR without both builds, naming what is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'binnacle-web-'));
    try {
      await mkdir(join(dir, 'host'));
      await writeFile(join(dir, 'host', 'index.html'), hostHtml);
      expect(() => loadConfig({ BINNACLE_WEB_DIR: dir })).toThrow(ConfigError);
      expect(() => loadConfig({ BINNACLE_WEB_DIR: dir })).toThrow(/no k8s\/index\.html/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('page policies', () => {
  it('hashes inline scripts and skips scripts with src', () => {
    expect(inlineScriptHashes(k8sHtml)).toEqual([sha(bootstrap), sha(helper)]);
    expect(inlineScriptHashes(hostHtml)).toEqual([]);
  });

  it('keeps the rest of the gateway policy', () => {
    const policy = pagePolicy({ html: hostHtml, microFrontendHost: true });
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("style-src 'self' 'unsafe-inline'");
    expect(policy).toContain("frame-ancestors 'self'");
  });
});
