import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, warnWhenSkipped } from '../support/chromium.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const ARTIFACTS = new URL('../artifacts/', import.meta.url);
warnWhenSkipped('the GraphiQL browser test');

describe.skipIf(!chromiumAvailable)('GraphiQL in headless Chromium (needs Debian chromium)', () => {
  let gateway: TestGateway;
  let browser: Browser;

  beforeAll(async () => {
    gateway = await startTestGateway();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('runs the default customers(first: 5) query and shows five names in the result pane', {
    timeout: 60_000,
  }, async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 2400 } });
    await page.goto(`${gateway.url}/graphql`);
    await page.locator('.graphiql-execute-button').click();
    const pane = page.locator('.graphiql-response');
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, line breaks and all
    await expect.poll(() => pane.innerText(), { timeout: 15_000 }).toContain('"edges"');

    // The pane is an editor, not plain JSON text: read the names as a person would see them.
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, line breaks and all
    const shown = (await pane.innerText()).replaceAll('\u00a0', ' ').normalize('NFC');
    const names = [...shown.matchAll(/"name":\s*(null|"(?:[^"\\]|\\.)*")/g)].map(
      (match) => JSON.parse(match[1]!) as string | null,
    );
    expect(names).toHaveLength(5);
    const expected = await gateway.graphql('{ customers(first: 5) { edges { node { name } } } }');
    expect(names).toEqual(
      expected.data.customers.edges.map((edge: { node: { name: string | null } }) => edge.node.name),
    );

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.screenshot({ path: new URL('graphiql.png', ARTIFACTS).pathname });
  });

  it('runs a @defer query from the URL and shows the first part and the deferred links, merged', {
    timeout: 60_000,
  }, async () => {
    const deferred = /* GraphQL */ `query Deferred {
  customers(first: 4) {
    edges {
      node {
        name
        ... on QuentliCustomer { ... @defer { nxlinkProfile { fullName } } }
        ... on NxlinkCustomer { ... @defer { quentliCustomer { name } } }
      }
    }
  }
}`;
    const page = await browser.newPage({ viewport: { width: 1400, height: 2400 } });
    const contentTypes: string[] = [];
    page.on('response', (response) => {
      if (response.request().method() === 'POST') contentTypes.push(response.headers()['content-type'] ?? '');
    });
    await page.goto(`${gateway.url}/graphql?query=${encodeURIComponent(deferred)}`);
    await page.locator('.graphiql-execute-button').click();
    const pane = page.locator('.graphiql-response');
    // Both kinds of deferred link are in the page, so the pane is complete once both show.
    await expect
      // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, line breaks and all
      .poll(() => pane.innerText(), { timeout: 15_000 })
      .toMatch(/"nxlinkProfile"[\s\S]*"quentliCustomer"|"quentliCustomer"[\s\S]*"nxlinkProfile"/);
    // The answer came in parts, over a streaming media type.
    expect(contentTypes.some((type) => /^(multipart\/mixed|text\/event-stream)/.test(type))).toBe(true);

    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, line breaks and all
    const shown = (await pane.innerText()).replaceAll('\u00a0', ' ').normalize('NFC');
    const names = [...shown.matchAll(/"(name|fullName)":\s*(null|"(?:[^"\\]|\\.)*")/g)].map((match) => [
      match[1],
      JSON.parse(match[2]!),
    ]);
    const expected = await gateway.graphql(deferred.replaceAll(/ @defer/g, ''));
    expect(expected.errors).toBeUndefined();
    const edges = expected.data.customers.edges as {
      node: {
        name: string | null;
        nxlinkProfile?: { fullName: string | null } | null;
        quentliCustomer?: { name: string | null } | null;
      };
    }[];
    // A link found, so that a deferred part that never showed would be missed.
    expect(edges.some(({ node }) => node.nxlinkProfile != null || node.quentliCustomer != null)).toBe(true);
    expect(names).toEqual(
      edges.flatMap(({ node }) => [
        ['name', node.name],
        ...(node.nxlinkProfile ? [['fullName', node.nxlinkProfile.fullName]] : []),
        ...(node.quentliCustomer ? [['name', node.quentliCustomer.name]] : []),
      ]),
    );
  });
});
