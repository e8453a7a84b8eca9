import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../artifacts/', import.meta.url);
const available = existsSync(CHROMIUM);

if (!available) {
  console.warn(
    `SKIPPED: the GraphiQL browser test needs Debian's chromium at ${CHROMIUM} (apt-get install chromium); .ci/run installs it.`,
  );
}

describe.skipIf(!available)('GraphiQL in headless Chromium (needs Debian chromium)', () => {
  let gateway: TestGateway;
  let browser: Browser;

  beforeAll(async () => {
    gateway = await startTestGateway();
    // Flags for a closed network: no background connections, no updates, no first-run work.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('runs the default customers(first: 5) query and shows five names in the result pane', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 2400 } });
    await page.goto(`${gateway.url}/graphql`);
    await page.locator('.graphiql-execute-button').click();
    const pane = page.locator('.graphiql-response');
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, line breaks and all
    await expect.poll(() => pane.innerText(), { timeout: 15_000 }).toContain('"edges"');

    // The pane is an editor, not plain JSON text: read the names as a person would see them.
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, line breaks and all
    const shown = (await pane.innerText()).replaceAll('\u00a0', ' ').normalize('NFC');
    const names = [...shown.matchAll(/"name":\s*(null|"(?:[^"\\]|\\.)*")/g)].map((match) => JSON.parse(match[1]!) as string | null);
    expect(names).toHaveLength(5);
    const expected = await gateway.graphql('{ customers(first: 5) { edges { node { name } } } }');
    expect(names).toEqual(expected.data.customers.edges.map((edge: { node: { name: string | null } }) => edge.node.name));

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.screenshot({ path: new URL('graphiql.png', ARTIFACTS).pathname });
  });
});
