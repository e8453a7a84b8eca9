import type { GatewayConfig } from '../config.ts';
import type { CheckResult } from './check.ts';
import { checkNxlink } from './nxlink.ts';
import { checkQuentli } from './quentli.ts';

export type { CheckResult } from './check.ts';
export { formatReport, worksAsConfigured } from './report.ts';

/** `npm run doctor`: every assumption about both upstreams, checked live, read-only. */
export async function runDoctor(config: GatewayConfig, now?: () => number): Promise<CheckResult[]> {
  const [quentli, nxlink] = await Promise.all([checkQuentli(config.quentli), checkNxlink(config.nxlink, now)]);
  return [...quentli, ...nxlink];
}
