// The Content-Security-Policy of each web app's page. Both start from the gateway's policy
// (plugins/security); each page adds only what its own code needs:
// - the portal: 'unsafe-eval', because qiankun (import-html-entry) runs the sub-app's inline
//   bootstrap scripts with indirect eval, whatever the sandbox setting;
// - web-k8s on its own: the sha256 of each inline script of its index.html (vite-plugin-qiankun
//   writes its lifecycle bootstrap inline), and nothing else.
import { createHash } from 'node:crypto';
import { contentSecurityPolicy } from '../security/index.js';

export type Directives = Readonly<Record<string, readonly string[]>>;

/** `default-src 'self'; script-src …` in the order the directives are given. */
export function serializePolicy(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}

const inlineScript = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;

/** The CSP source of each inline script (no `src`) of an HTML page, in page order. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(inlineScript)) {
    const [, attributes = '', body = ''] = match;
    if (/\bsrc\s*=/i.test(attributes) || body.trim() === '') continue;
    hashes.push(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  }
  return hashes;
}

/** The policy of one app page: the gateway's, with that page's script sources added. */
export function pagePolicy(options: { html: string; microFrontendHost: boolean }): string {
  const scriptSrc = [
    ...contentSecurityPolicy['script-src'],
    ...(options.microFrontendHost ? ["'unsafe-eval'"] : []),
    ...inlineScriptHashes(options.html),
  ];
  return serializePolicy({ ...contentSecurityPolicy, 'script-src': scriptSrc });
}
