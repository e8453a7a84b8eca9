import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './support/gateway.ts';

const run = promisify(execFile);
let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

describe('the typed example client', () => {
  it('lists every customer of both sources, page by page', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'examples/list-customers.ts', gateway.url, '100'],
      {
        cwd: new URL('..', import.meta.url).pathname,
      },
    );
    const lines = stdout.trim().split('\n');
    const total = gateway.sandbox.quentli.store.size + gateway.sandbox.nxlink.store.size;
    expect(lines.at(-1)).toBe(`${total} customers`);
    expect(lines).toHaveLength(total + 1);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z\t(QUENTLI|NXLINK)\t\S+\t/);
  });
});
