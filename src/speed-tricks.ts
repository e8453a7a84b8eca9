/**
 * The code that exists only for speed, by name. Each piece replaces a plain library behaviour,
 * and each can be switched back to it with `GATEWAY_SPEED_TRICKS_OFF=name,name`: that is how
 * `npm run bench` measures, in one run, what each one gains (README, Benchmark). A trick stays
 * only while it gains at least 5% CPU per request on some scenario and changes no answer.
 * Production leaves the variable unset.
 */
export const SPEED_TRICKS = {
  'compiled-execution': 'graphql-jit executes each document, compiled once, instead of graphql-js',
  'date-time-pass-through':
    "DateTime writes an instant already in its canonical form as it is, instead of graphql-scalars' parse and format",
  'zone-offset-cache':
    "NXLink local times read with the zone's offsets remembered per UTC hour, instead of asking the zone for each time",
  'body-limit-by-content-length':
    "the request body limited by its Content-Length before it is read, instead of Yoga's limit on the stream",
  'read-deduplication': 'identical upstream reads in flight at the same moment share one call and one parsed answer',
} as const;

export type SpeedTrick = keyof typeof SPEED_TRICKS;

const switchedOff = readSwitchedOff(process.env.GATEWAY_SPEED_TRICKS_OFF ?? '');

/** Whether a speed trick is on: always, unless GATEWAY_SPEED_TRICKS_OFF names it. */
export function speedTrickOn(name: SpeedTrick): boolean {
  return !switchedOff.has(name);
}

function readSwitchedOff(list: string): ReadonlySet<string> {
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const unknown = names.filter((name) => !Object.hasOwn(SPEED_TRICKS, name));
  if (unknown.length > 0) {
    throw new Error(
      `GATEWAY_SPEED_TRICKS_OFF names no speed trick: ${unknown.join(', ')}; known: ${Object.keys(SPEED_TRICKS).join(', ')}`,
    );
  }
  return new Set(names);
}
