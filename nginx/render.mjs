#!/usr/bin/env node
// Renders nginx/binnacle.conf into a complete nginx configuration. The Content-Security-Policy of
// each page comes from the gateway's own code (apps/gateway/dist/plugins/web/csp.js) applied to the
// built pages, so nginx and the gateway (BINNACLE_WEB_DIR) send the same policies.
//
//   node nginx/render.mjs --web-dir DIR --gateway HOST:PORT --listen PORT --prefix DIR [--out FILE]
//
// DIR holds host/ (apps/web-host/dist) and k8s/ (apps/web-k8s/dist). Build the gateway first.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const gatewayDist = join(here, '..', 'apps', 'gateway', 'dist');

// The headers helmet sends from the gateway, besides the CSP.
const securityHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'SAMEORIGIN',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-site',
  'Origin-Agent-Cluster': '?1',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
};

export async function render(options) {
  const { pagePolicy, serializePolicy } = await import(join(gatewayDist, 'plugins/web/csp.js'));
  const { contentSecurityPolicy } = await import(join(gatewayDist, 'plugins/security/index.js'));
  const webDir = resolve(options.webDir);
  const page = (app) => readFileSync(join(webDir, app, 'index.html'), 'utf8');
  const values = {
    MIME_TYPES: options.mimeTypes ?? '/etc/nginx/mime.types',
    PREFIX: resolve(options.prefix),
    GATEWAY: options.gateway,
    LISTEN: String(options.listen),
    WEB_DIR: webDir,
    BASE_CSP: serializePolicy(contentSecurityPolicy),
    HOST_PAGE_CSP: pagePolicy({ html: page('host'), microFrontendHost: true }),
    K8S_PAGE_CSP: pagePolicy({ html: page('k8s'), microFrontendHost: false }),
    SECURITY_HEADERS: Object.entries(securityHeaders)
      .map(([name, value]) => `add_header ${name} "${value}" always;`)
      .join('\n      '),
  };
  const template = readFileSync(join(here, 'binnacle.conf'), 'utf8');
  return template.replace(/@([A-Z0-9_]+)@/g, (whole, name) => {
    if (!(name in values)) throw new Error(`binnacle.conf: unknown placeholder ${whole}`);
    return values[name];
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      'web-dir': { type: 'string' },
      gateway: { type: 'string', default: '127.0.0.1:8080' },
      listen: { type: 'string', default: '8081' },
      prefix: { type: 'string' },
      'mime-types': { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (values['web-dir'] === undefined || values.prefix === undefined) {
    console.error(
      'usage: node nginx/render.mjs --web-dir DIR --prefix DIR [--gateway HOST:PORT] [--listen PORT] [--out FILE]',
    );
    process.exit(2);
  }
  const text = await render({
    webDir: values['web-dir'],
    gateway: values.gateway,
    listen: values.listen,
    prefix: values.prefix,
    mimeTypes: values['mime-types'],
  });
  if (values.out === undefined) process.stdout.write(text);
  else writeFileSync(values.out, text);
}
