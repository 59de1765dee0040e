// Debian's Chromium through playwright-core, with a fresh profile. The page's console errors and
// uncaught exceptions go to the test output as they happen, and are kept for assertions.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { screenshotsDir } from './paths.ts';
import { chromiumPath } from './tools.ts';

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions of every page so far. */
  problems: string[];
  /** Saves `e2e/screenshots/NN-name.png` of the page. */
  screenshot: (name: string, page?: Page) => Promise<void>;
  /** Watches another page of the same context the same way. */
  watch: (page: Page) => void;
  close: () => Promise<void>;
}

export async function launchBrowser(options: { baseURL: string }): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // A new context is a fresh profile: no cookies, no storage.
  const context = await browser.newContext({
    baseURL: options.baseURL,
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
    colorScheme: 'light',
  });
  const problems: string[] = [];
  const watch = (page: Page): void => {
    page.on('console', (message) => {
      if (message.type() !== 'error' && message.type() !== 'warning') return;
      const line = `[browser ${message.type()}] ${message.text()}`;
      console.log(line);
      if (message.type() === 'error') problems.push(line);
    });
    page.on('pageerror', (error) => {
      const line = `[browser exception] ${error.message}`;
      console.log(line);
      problems.push(line);
    });
  };
  const page = await context.newPage();
  watch(page);

  await mkdir(screenshotsDir, { recursive: true });
  let shots = 0;
  const screenshot = async (name: string, target: Page = page): Promise<void> => {
    shots += 1;
    const file = `${String(shots).padStart(2, '0')}-${name}.png`;
    await target.screenshot({ path: join(screenshotsDir, file), fullPage: true });
  };

  return {
    browser,
    context,
    page,
    problems,
    screenshot,
    watch,
    close: async () => {
      await context.close();
      await browser.close();
    },
  };
}
