import { ConfigError, loadConfig } from '../src/config.ts';
import { formatReport, runDoctor, worksAsConfigured } from '../src/doctor/index.ts';

/**
 * `npm run doctor`: with the production environment (the real credentials), checks what the
 * gateway assumes of Quentli and NXLink, read-only, and prints one row per assumption. Exit
 * code 0 when the gateway will work as configured, 1 when it will not, 2 when it cannot check.
 */
async function main(): Promise<number> {
  // The doctor serves no client: gateway keys are not needed to run it.
  const config = loadConfig({ GATEWAY_ALLOW_ANONYMOUS: 'true', ...process.env });
  if (config.sandbox) {
    process.stderr.write(
      'npm run doctor checks the real APIs: set QUENTLI_API_KEY, the NXLINK_* credentials and NXLINK_TIME_ZONE as for npm start.\n',
    );
    return 2;
  }
  process.stdout.write(
    `Checking Quentli at ${config.quentli.baseUrl} and NXLink at ${config.nxlink.baseUrl} (read-only)...\n\n`,
  );
  const results = await runDoctor(config);
  process.stdout.write(`${formatReport(results)}\n\n`);
  const works = worksAsConfigured(results);
  process.stdout.write(
    works
      ? 'The gateway will work as configured. Rows marked DIFFERS name where the APIs differ from the documentation and how the gateway copes.\n'
      : 'The gateway will NOT work as configured: fix the rows marked FAILS (see their setting) and run npm run doctor again.\n',
  );
  return works ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `doctor failed: ${String(error)}`}\n`);
    process.exit(2);
  },
);
