/** One assumption the gateway makes about an upstream, checked live against it. */
export interface CheckResult {
  source: 'QUENTLI' | 'NXLINK';
  assumption: string;
  /** `ok`: as assumed; `differs`: not as assumed, and the gateway copes; `fails`: the gateway will not work as configured; `skipped`: could not be checked. */
  outcome: 'ok' | 'differs' | 'fails' | 'skipped';
  /** What was seen; never a secret, never customer data beyond counts and formats. */
  seen: string;
  /** What the gateway does about it. */
  gateway: string;
  /** The setting that changes it, if any. */
  setting?: string;
}

/** A check that threw (a refused connection, a timeout) fails with what went wrong. */
export async function checked(
  source: CheckResult['source'],
  assumption: string,
  run: () => Promise<Omit<CheckResult, 'source' | 'assumption'>>,
): Promise<CheckResult> {
  try {
    return { source, assumption, ...(await run()) };
  } catch (error) {
    return {
      source,
      assumption,
      outcome: 'fails',
      seen: error instanceof Error ? error.message : String(error),
      gateway: 'cannot check: see the first failed check of this upstream',
    };
  }
}
