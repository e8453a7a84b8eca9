import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, warnWhenSkipped } from '../support/chromium.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

warnWhenSkipped('the cross-site test');

const CREATE = 'mutation { createCustomer(input: { name: "Mallory Cross-Site" }) { customer { id } } }';

/**
 * What a hostile web page can make a visitor's browser send to an anonymous gateway in the
 * visitor's network: plain forms (sent without a CORS preflight) and a JSON fetch (preflighted).
 * The page is served from another origin (another port) than the gateway. Each form posts into
 * a frame of its own: a submission into a frame still finishing the previous one's navigation
 * was sometimes dropped by Chromium.
 */
function attackerPage(gatewayUrl: string): string {
  const target = `${gatewayUrl}/graphql`;
  const json = JSON.stringify({ query: CREATE });
  return `<!doctype html><html><body>
<iframe name="sink-urlencoded"></iframe><iframe name="sink-multipart"></iframe><iframe name="sink-plain"></iframe>
<form id="urlencoded" method="POST" action="${target}" target="sink-urlencoded"><input name="query" value='${CREATE}'></form>
<form id="multipart" method="POST" action="${target}" enctype="multipart/form-data" target="sink-multipart"><input name="query" value='${CREATE}'></form>
<form id="plain" method="POST" action="${target}" enctype="text/plain" target="sink-plain"><input name='${json.slice(0, -2)}' value='"}'></form>
<script>
  window.results = {};
  fetch(${JSON.stringify(target)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(json)} })
    .then((response) => (window.results.fetch = response.status), (error) => (window.results.fetch = 'blocked: ' + error.name));
</script>
</body></html>`;
}

describe.skipIf(!chromiumAvailable)(
  'cross-site requests from a browser, in anonymous mode (needs Debian chromium)',
  () => {
    let gateway: TestGateway;
    let attacker: Server;
    let attackerUrl: string;
    let browser: Browser;

    beforeAll(async () => {
      gateway = await startTestGateway();
      attacker = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end(attackerPage(gateway.url));
      });
      await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
      attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}/`;
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => attacker?.close(resolve));
      await gateway?.close();
    });

    it('writes nothing for a form posted from another site, nor for a JSON fetch from it', {
      timeout: 60_000,
    }, async () => {
      gateway.resetRequests();
      const page = await browser.newPage();
      await page.goto(attackerUrl);
      for (const form of ['urlencoded', 'multipart', 'plain']) {
        const answered = page.waitForResponse(
          (response) =>
            response.url().startsWith(`${gateway.url}/graphql`) && response.frame().name() === `sink-${form}`,
        );
        await page.evaluate((id) => (document.getElementById(id) as HTMLFormElement).submit(), form);
        expect((await answered).status()).toBe(415);
      }
      await expect
        .poll(() => page.evaluate(() => (window as unknown as { results: { fetch?: unknown } }).results.fetch))
        .toMatch(/^blocked/);
      const writes = gateway.sandbox.quentli.requests.filter((request) => request.method === 'POST');
      expect(writes).toEqual([]);
      const created = await gateway.graphql(
        '{ quentliCustomers(first: 5, filter: { name: { contains: "Mallory" } }) { edges { node { id } } } }',
      );
      expect(created.data.quentliCustomers.edges).toEqual([]);
    });
  },
);
