import { startSandbox, type Sandbox, type SandboxQuirk } from '../../src/sandbox/index.ts';
import { NXLINK, QUENTLI_KEY, upstreamEnvironment } from '../sandbox/helpers.ts';
import { startTestGateway, type TestGateway } from './gateway.ts';

/**
 * Sandboxes that read the documentation the other plausible way (src/sandbox/quirks.ts), each
 * with a gateway configured as for a production upstream.
 */
export interface Variant {
  name: string;
  quirks: SandboxQuirk[];
  timeZone: string;
}

export const DOCUMENTED: Variant = { name: 'documented', quirks: [], timeZone: 'America/Mexico_City' };
export const VARIANTS: Variant[] = [
  { name: 'qs defaults (lists of at most 20)', quirks: ['qs-defaults'], timeZone: 'America/Mexico_City' },
  { name: 'one sort key only', quirks: ['one-sort-key'], timeZone: 'America/Mexico_City' },
  { name: 'timestamps with offsets', quirks: ['offset-timestamps'], timeZone: 'America/Mexico_City' },
  { name: 'odd records', quirks: ['odd-records'], timeZone: 'America/Mexico_City' },
  { name: 'a tenant in Asia/Shanghai', quirks: [], timeZone: 'Asia/Shanghai' },
  {
    name: 'every quirk at once',
    quirks: ['qs-defaults', 'one-sort-key', 'offset-timestamps', 'odd-records'],
    timeZone: 'Asia/Shanghai',
  },
];

const TIE_INSTANT = '2024-03-01T12:00:00.000Z';
/** Twenty-five Quentli customers created at the same instant: a tie longer than a page. */
export const TIES = Array.from({ length: 25 }, (_, index) => {
  const n = String(index).padStart(2, '0');
  return {
    id: `cltie${n}00000000000000000`.slice(0, 25),
    createdAt: TIE_INSTANT,
    name: `Tie Customer ${n}`,
    username: `tie_customer_${n}`,
    email: `tie${n}@example.com`,
    phoneNumber: `+5215550000${n}`,
  };
});

export async function startVariant(variant: Variant): Promise<{ sandbox: Sandbox; gateway: TestGateway }> {
  const sandbox = await startSandbox({
    quentliApiKey: QUENTLI_KEY,
    nxlink: { ...NXLINK, timeZone: variant.timeZone },
    customersPerSource: 120,
    quirks: variant.quirks,
  });
  for (const tie of TIES) sandbox.quentli.store.insert(tie);
  const gateway = await startTestGateway(
    { HOST: '127.0.0.1', GATEWAY_ALLOW_ANONYMOUS: 'true', ...upstreamEnvironment(sandbox, variant.timeZone) },
    { sandbox },
  );
  return { sandbox, gateway };
}
