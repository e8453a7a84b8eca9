import { ConfigError, loadSandboxConfig } from '../config.ts';
import { listenFailure } from '../startup-failure.ts';
import { isSandboxQuirk, SANDBOX_QUIRKS, startSandbox, type Sandbox } from './index.ts';

/** `npm run sandbox`: both upstreams on fixed ports, with what to export to use them. */
async function main(): Promise<void> {
  const config = loadSandboxConfig();
  const unknown = config.quirks.filter((quirk) => !isSandboxQuirk(quirk));
  if (unknown.length > 0) throw new ConfigError([`SANDBOX_QUIRKS must name quirks among ${SANDBOX_QUIRKS.join(', ')}`]);
  const sandbox = await startSandbox({ ...config, quirks: config.quirks.filter(isSandboxQuirk), seed: 1 });
  const fromEnvironment = new Set(config.credentialsFromEnvironment);
  // Listening before the banner: whoever reads it may signal at once.
  // Repeats are ignored: Ctrl-C in a terminal signals node and npm alike, and npm passes its own on.
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`\n${signal}: closing the sandbox upstreams\n`);
      sandbox.close().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`Could not close cleanly: ${String(error)}\n`);
          process.exit(1);
        },
      );
    });
  }
  process.stdout.write(banner(sandbox, config, fromEnvironment));
}

/** Credentials that may come from the environment: shown by name only, never by value. */
const SECRETS = new Set(['QUENTLI_API_KEY', 'NXLINK_ACCESS_KEY', 'NXLINK_ACCESS_SECRET', 'NXLINK_APP_KEY']);

function banner(
  sandbox: Sandbox,
  config: ReturnType<typeof loadSandboxConfig>,
  fromEnvironment: ReadonlySet<string>,
): string {
  const env: [string, string][] = [
    ['QUENTLI_BASE_URL', sandbox.quentli.url],
    ['QUENTLI_API_KEY', config.quentliApiKey],
    ['NXLINK_BASE_URL', sandbox.nxlink.url],
    ['NXLINK_ACCESS_KEY', config.nxlink.accessKey],
    ['NXLINK_ACCESS_SECRET', config.nxlink.accessSecret],
    ['NXLINK_TENANT_ID', config.nxlink.tenantId],
    ['NXLINK_APP_KEY', config.nxlink.appKey],
    ['NXLINK_TIME_ZONE', config.nxlink.timeZone],
    ['GATEWAY_ALLOW_ANONYMOUS', 'true'],
  ];
  return [
    'Sandbox upstreams are listening (development credentials, sandbox data only):',
    `  Quentli  ${sandbox.quentli.url}  ${sandbox.quentli.store.size} customers`,
    `  NXLink   ${sandbox.nxlink.url}  ${sandbox.nxlink.store.size} customers (times in ${config.nxlink.timeZone})`,
    `  Quirks   ${config.quirks.length === 0 ? 'none: both behave as docs/upstream-assumptions.md assumes' : config.quirks.join(', ')}`,
    '',
    'Point the gateway at them with:',
    ...env.map(([name, value]) =>
      SECRETS.has(name) && fromEnvironment.has(name)
        ? `  # ${name}: as set in this environment (not printed)`
        : `  export ${name}=${shellQuote(value)}`,
    ),
    '',
    'Check them as you would the real APIs, with the variables above: npm run doctor',
    '',
    'Fault switch and request log, on either upstream (no auth):',
    `  curl -X PUT ${sandbox.quentli.url}/__sandbox/faults -d '{"status":503,"times":3}'   ({} clears)`,
    `  curl ${sandbox.nxlink.url}/__sandbox/requests      curl -X DELETE ${sandbox.nxlink.url}/__sandbox/requests`,
    '',
    'Ctrl-C stops.',
    '',
  ].join('\n');
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

main().catch((error: unknown) => {
  const line =
    error instanceof ConfigError
      ? error.message
      : (listenFailure(error, 'The sandbox', 'SANDBOX_QUENTLI_PORT or SANDBOX_NXLINK_PORT') ??
        `Sandbox failed to start: ${String(error)}`);
  process.stderr.write(`${line}\n`);
  process.exit(1);
});
