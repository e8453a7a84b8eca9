import type { CheckResult } from './check.ts';

const MARK: Record<CheckResult['outcome'], string> = {
  ok: 'ok',
  differs: 'DIFFERS',
  fails: 'FAILS',
  skipped: 'skipped',
};

/** The results as a plain-text table, one row per check, wrapped to a terminal's width. */
export function formatReport(results: readonly CheckResult[]): string {
  const rows = results.map((result) => [
    `${result.source === 'QUENTLI' ? 'Quentli' : 'NXLink'}: ${result.assumption}`,
    MARK[result.outcome],
    result.seen,
    result.gateway,
    result.setting ?? '-',
  ]);
  const header = ['assumption', 'result', 'seen', 'what the gateway does', 'setting'];
  const lines = [header, ...rows].map((row) => row.join(' | '));
  const rule = '-'.repeat(Math.min(120, Math.max(...lines.map((line) => line.length))));
  return [lines[0], rule, ...lines.slice(1)].join('\n');
}

/** The gateway works as configured when no check fails. */
export function worksAsConfigured(results: readonly CheckResult[]): boolean {
  return results.every((result) => result.outcome !== 'fails');
}
