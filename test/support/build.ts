import { execFileSync } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;

/**
 * Vitest's global setup: compiles src/ to dist/ once, before any spec runs, for the specs that
 * start the gateway or the sandbox as production does (node on dist/).
 */
export default function build(): void {
  const tsc = new URL('node_modules/typescript/bin/tsc', `file://${root}`).pathname;
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
