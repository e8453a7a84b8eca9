import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, which `.ci/run` installs; the browser specs are skipped (and say so) without it. */
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);

/** Warns that `spec` is skipped, when Chromium is missing. */
export function warnWhenSkipped(spec: string): void {
  if (!chromiumAvailable) {
    console.warn(
      `SKIPPED: ${spec} needs Debian's chromium at ${CHROMIUM} (apt-get install chromium); .ci/run installs it.`,
    );
  }
}

/** Headless Chromium with flags for a closed network: no background connections, no updates, no first-run work. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
