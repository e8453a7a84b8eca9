import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/support/sequencer.ts';

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for the libraries (its package has no exports map);
    // Vite would pick its `module` build for our own files. One realm for both.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // dist/ compiled once for the specs that run it (shutdown, process output, the sandbox).
    globalSetup: ['test/support/build.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Spec files share their workers (no fresh module graph per file): each file starts its own
    // gateways and sandboxes and leaves no global state behind, and loading the gateway's modules
    // once per worker instead of once per file halves the suite's CPU time.
    isolate: false,
    // More workers than the 2 cores: much of the suite waits on sockets, child processes and
    // timers rather than computing. Timing assertions leave room for the contention this brings.
    maxWorkers: 3,
    sequence: { sequencer: SlowFirstSequencer },
  },
});
