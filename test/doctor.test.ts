import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { runDoctor, worksAsConfigured, type CheckResult } from '../src/doctor/index.ts';
import { startSandbox, type Sandbox, type SandboxQuirk } from '../src/sandbox/index.ts';
import { NXLINK, QUENTLI_KEY, upstreamEnvironment } from './sandbox/helpers.ts';

const sandboxes: Sandbox[] = [];

afterAll(async () => {
  await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
});

async function sandboxWith(quirks: SandboxQuirk[], timeZone = 'America/Mexico_City'): Promise<Sandbox> {
  const sandbox = await startSandbox({
    quentliApiKey: QUENTLI_KEY,
    nxlink: { ...NXLINK, timeZone },
    customersPerSource: 60,
    quirks,
  });
  // A customer created now: a zone read wrongly shows in the newest time.
  sandbox.nxlink.store.insert({});
  sandboxes.push(sandbox);
  return sandbox;
}

function environment(sandbox: Sandbox, extra: Record<string, string> = {}): Record<string, string> {
  return { ...upstreamEnvironment(sandbox, 'America/Mexico_City'), ...extra };
}

async function doctor(sandbox: Sandbox, extra: Record<string, string> = {}): Promise<CheckResult[]> {
  return runDoctor(loadConfig({ GATEWAY_ALLOW_ANONYMOUS: 'true', ...environment(sandbox, extra) }));
}

/** The checks that did not pass, as `outcome: assumption (setting)`. */
function notOk(results: CheckResult[]): string[] {
  return results
    .filter((result) => result.outcome !== 'ok')
    .map((result) => `${result.outcome}: ${result.source} ${result.assumption} (${result.setting ?? '-'})`);
}

describe('npm run doctor', () => {
  it('passes every check against the documented sandbox', async () => {
    const results = await doctor(await sandboxWith([]));
    expect(notOk(results)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(17);
  });

  it('names qs defaults (a list of 21 is not a list), and fails when QUENTLI_MAX_LIST_ITEMS counts on more', async () => {
    const sandbox = await sandboxWith(['qs-defaults']);
    const results = await doctor(sandbox);
    expect(notOk(results)).toEqual([
      'differs: QUENTLI a list of 21 items inside filter (id[in]) (QUENTLI_MAX_LIST_ITEMS must stay at most 20)',
    ]);
    expect(worksAsConfigured(results)).toBe(true);
    expect(worksAsConfigured(await doctor(sandbox, { QUENTLI_MAX_LIST_ITEMS: '100' }))).toBe(false);
  });

  it('names a Quentli that takes one sort key, and fails when QUENTLI_TIE_BREAK_SORT counts on two', async () => {
    const sandbox = await sandboxWith(['one-sort-key']);
    const results = await doctor(sandbox);
    expect(notOk(results)).toEqual([
      'differs: QUENTLI a second sort key (undocumented: orderBy[0][createdAt]=asc&orderBy[1][id]=desc) (QUENTLI_TIE_BREAK_SORT must stay false)',
    ]);
    expect(worksAsConfigured(results)).toBe(true);
    expect(worksAsConfigured(await doctor(sandbox, { QUENTLI_TIE_BREAK_SORT: 'true' }))).toBe(false);
  });

  it('names timestamps written with offsets, which the gateway reads', async () => {
    const results = await doctor(await sandboxWith(['offset-timestamps']));
    expect(notOk(results)).toEqual([
      'differs: QUENTLI timestamps are ISO 8601 in UTC with Z (-)',
      'differs: NXLINK times are offset-less local times (2024-07-19T17:29:27) (NXLINK_TIME_ZONE)',
    ]);
    expect(worksAsConfigured(results)).toBe(true);
  });

  it('names records that depart from the documented shape: values it cannot read, other types, unknown keys', async () => {
    const results = await doctor(await sandboxWith(['odd-records']));
    expect(notOk(results)).toEqual([
      'differs: QUENTLI records carry the documented fields and types (-)',
      'differs: NXLINK records carry the documented fields and types (-)',
    ]);
    expect(results.find((result) => result.outcome === 'differs' && result.source === 'NXLINK')?.seen).toMatch(
      /unreadable fields: status; .*other JSON types in gender, source_type, status, weight; undocumented keys lead_score/,
    );
  });

  it('fails when NXLINK_TIME_ZONE is not the tenant zone (times land in the future), and passes with it', async () => {
    const sandbox = await sandboxWith([], 'Asia/Shanghai');
    const wrong = await doctor(sandbox, { NXLINK_TIME_ZONE: 'UTC' });
    expect(notOk(wrong)).toEqual(['fails: NXLINK times read in UTC are not in the future (NXLINK_TIME_ZONE)']);
    expect(wrong.find((result) => result.outcome === 'fails')?.seen).toMatch(/8 h in the future/);
    expect(notOk(await doctor(sandbox, { NXLINK_TIME_ZONE: 'Asia/Shanghai' }))).toEqual([]);
  });

  it('fails on refused credentials, naming the setting', async () => {
    const results = await doctor(await sandboxWith([]), {
      QUENTLI_API_KEY: 'sk_wrong',
      NXLINK_ACCESS_SECRET: 'wrong-secret',
    });
    expect(notOk(results)).toEqual([
      'fails: QUENTLI the API key is accepted (QUENTLI_API_KEY)',
      'fails: NXLINK the access key and signature are accepted (NXLINK_ACCESS_KEY, NXLINK_ACCESS_SECRET)',
    ]);
  });

  it('prints the table and exits 0 when the gateway will work, 1 when not, with no secret in its output', async () => {
    const sandbox = await sandboxWith(['qs-defaults']);
    const good = await run(environment(sandbox));
    expect(good.code).toBe(0);
    expect(good.output).toContain('| DIFFERS |');
    expect(good.output).toContain('The gateway will work as configured');
    const bad = await run(environment(sandbox, { QUENTLI_MAX_LIST_ITEMS: '21' }));
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('| FAILS |');
    for (const secret of [QUENTLI_KEY, NXLINK.accessKey, NXLINK.accessSecret, NXLINK.appKey]) {
      expect(good.output + bad.output).not.toContain(secret);
    }
  }, 60_000);
});

function run(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/doctor.ts'], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
