import { z } from 'zod';
import { compareMerged, pageCustomers, type MergedPage, type MergeEntry, type MergeSources } from './merge.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { MAX_PAGE_SIZE, type Page, type PageRequest } from './page-request.ts';

/**
 * A person as the walk sees it: its records and the oldest of them (see people/person.ts). The
 * walk needs no more, so it stays a pure function of its callbacks.
 */
export interface WalkPerson {
  records: readonly MergeEntry[];
}

export interface PeopleWalk<P extends WalkPerson> {
  /** The merged customers walk's sources, already filtered by what the upstreams can filter. */
  sources: MergeSources;
  /** The person of each record, in order (one batch: called once per round). */
  personsOf: (entries: readonly MergeEntry[]) => Promise<P[]>;
  /** Whether a record matches the filter (the records a look-up found were not filtered). */
  matches: (entry: MergeEntry) => boolean;
  /** Whether the person is listed at all (presence). */
  keep: (person: P) => boolean;
  /** Rounds of reading at most, each a page of the customers walk and one batch of look-ups. */
  maxRounds: number;
}

export interface PeoplePage<P> {
  page: Page<P>;
  failures: MergedPage['failures'];
}

const CURSOR_KIND = 'Person';
/** A people cursor holds the customers walk's cursor of the record it stands at. */
const cursorSchema = z.string().min(1);

/**
 * People, newest first by the place of each one's oldest (matching) record in the merged
 * customers order. The walk reads that order record by record and lists a person at exactly one
 * record: the oldest of its records that match the filter (all of them without a filter). At
 * any other record of the person it moves on without listing anyone. So:
 *
 * - each person is listed once in a walk from start to end, in either direction, since the
 *   customers walk meets each record once;
 * - customers created during the walk are the newest records: they never become a person's
 *   oldest record, so an existing person neither moves nor appears twice, and a new person
 *   stands before where a forward walk began;
 * - a person's cursor is the customers cursor of its listing record, so paging on is paging the
 *   customers walk on.
 *
 * A round reads a few more records than people are missing (at most a page of 100), and looks
 * up their people in one batch; `maxRounds` bounds the rounds, so a page among many skipped records may come back short,
 * with its end (start, backward) cursor where reading stopped; so does a page whose bounded NXLink
 * scan stopped early (GATEWAY_SCAN_PAGES, see merge.ts).
 */
export async function pagePeople<P extends WalkPerson>(
  request: PageRequest,
  walk: PeopleWalk<P>,
): Promise<PeoplePage<P>> {
  const forward = request.direction === 'forward';
  const incoming =
    request.cursor === undefined
      ? undefined
      : decodeCursor(CURSOR_KIND, request.cursor, cursorSchema, forward ? 'after' : 'before');
  const listed: { node: P; cursor: string }[] = [];
  let position = incoming;
  let more = false;
  let stoppedAt: string | undefined;

  for (let round = 0; round < walk.maxRounds; round++) {
    // A quarter more records than people are missing, doubling each round: the records met
    // before were mostly of people already listed.
    const missing = request.size - listed.length;
    const size = Math.min(MAX_PAGE_SIZE, Math.ceil(missing * 1.25 * 2 ** round));
    const { page, failures } = await pageCustomers(
      { direction: request.direction, size, cursor: position },
      walk.sources,
    );
    if (failures.length > 0) return { page: { items: [], hasNextPage: false, hasPreviousPage: false }, failures };
    const items = forward ? page.items : [...page.items].reverse();
    const persons = await walk.personsOf(items.map((item) => item.node));
    let cut = false;
    for (const [index, item] of items.entries()) {
      if (listed.length === request.size) {
        cut = true;
        break;
      }
      const person = persons[index];
      stoppedAt = item.cursor;
      if (person !== undefined && walk.keep(person) && listsAt(person, item.node, walk.matches)) {
        listed.push({ node: person, cursor: encodeCursor(CURSOR_KIND, item.cursor) });
      }
    }
    // A bounded scan that stopped early spent the request's scan pages: the page ends there.
    const scanEnd = forward ? page.endCursor : page.startCursor;
    if (!cut && scanEnd !== undefined) stoppedAt = scanEnd;
    more = cut || (forward ? page.hasNextPage : page.hasPreviousPage);
    if (!more || listed.length >= request.size || stoppedAt === undefined || scanEnd !== undefined) break;
    position = stoppedAt;
  }

  if (!forward) listed.reverse();
  const lastListed = forward ? listed.at(-1)?.cursor : listed[0]?.cursor;
  const edgeCursor = stoppedAt === undefined ? undefined : encodeCursor(CURSOR_KIND, stoppedAt);
  const edge = edgeCursor !== undefined && edgeCursor !== lastListed ? edgeCursor : undefined;
  return {
    page: {
      items: listed,
      hasNextPage: forward ? more : incoming !== undefined,
      hasPreviousPage: forward ? incoming !== undefined : more,
      ...(edge === undefined ? {} : forward ? { endCursor: edge } : { startCursor: edge }),
    },
    failures: [],
  };
}

/**
 * Whether the walk lists the person at `entry`: it is the oldest of the person's records that
 * match the filter. `entry` itself matched (the walk read it through the filter), also when the
 * gateway's own test of it would say otherwise.
 */
function listsAt(person: WalkPerson, entry: MergeEntry, matches: (entry: MergeEntry) => boolean): boolean {
  const same = (other: MergeEntry) => other.source === entry.source && other.record.id === entry.record.id;
  return person.records.every((other) => same(other) || !matches(other) || compareMerged(other, entry) < 0);
}
