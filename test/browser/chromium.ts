/**
 * Launching the system's headless Chromium for browser tests (the page test here, and the cross-runtime
 * matrix later). playwright-core ships no browser, so this uses Debian's `/usr/bin/chromium` (or
 * `CHROMIUM_PATH`). A missing browser is a failure with instructions, never a skipped test.
 */
import { accessSync, constants } from 'node:fs';
import { type Browser, chromium, type LaunchOptions } from 'playwright-core';

/** Where the browser is looked for: `CHROMIUM_PATH`, else Debian's package. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for a quiet, self-contained headless run: no sandbox (containers run as root), no GPU, and no
 * background traffic (updates, sync, QUIC probes), so a test talks to loopback only.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Throw a clear error when the browser binary is missing or not executable.
 *
 * @example
 * ```ts
 * assertChromiumInstalled();
 * ```
 */
export function assertChromiumInstalled(path: string = CHROMIUM_PATH): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium is not installed at ${path}. The browser tests need a real headless Chromium: ` +
        'install it (Debian/Ubuntu: `apt-get install chromium`) or point CHROMIUM_PATH at a Chromium ' +
        'or Chrome binary.',
    );
  }
}

/**
 * Launch headless Chromium with {@link CHROMIUM_ARGS}. Close it in an `afterAll`.
 *
 * @example
 * ```ts
 * const browser = await launchChromium();
 * const page = await browser.newPage();
 * await page.goto(sandbox.url);
 * await browser.close();
 * ```
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  assertChromiumInstalled(options.executablePath ?? CHROMIUM_PATH);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    timeout: 30_000,
    ...options,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}
