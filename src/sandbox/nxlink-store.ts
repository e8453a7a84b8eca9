import type { PeopleFactory } from './people.ts';
import { cutPage, type CursorRequest, type Paging } from './nxlink-paging.ts';
import type { NxlinkCustomer } from './nxlink-record.ts';
import { buildNxlinkCustomer, snowflake, tagOf, type NxlinkContext } from './nxlink-seed.ts';

/** A stored customer with the values that filters need, computed once. */
export interface NxlinkEntry {
  readonly id: bigint;
  readonly customer: NxlinkCustomer;
  /**
   * created_at as `YYYY-MM-DD HH:mm:ss`: time filters compare local times as text, as a
   * DATETIME column does, so the zone's DST folds need no special case.
   */
  readonly createdAt: string;
  readonly fullName: string | null;
  readonly email: string | null;
  readonly tagIds: ReadonlySet<bigint>;
}

export type NxlinkCondition = (entry: NxlinkEntry) => boolean;

/** The phone fields NXLink filters on by exact match. */
export const PHONE_FIELDS = ['whatsApp_phone', 'sms_phone', 'viber_phone'] as const;

/** One exact phone a query asks for. */
export interface NxlinkPhone {
  field: (typeof PHONE_FIELDS)[number];
  digits: string;
}

/** Fields a test may set on an inserted customer; id, created_at and tenant are the store's. */
export type NxlinkInsert = Partial<Omit<NxlinkCustomer, 'id' | 'created_at' | 'tenant_id' | 'tags'>> & {
  tags?: readonly { id: bigint; tag_name: string }[];
};

export class NxlinkStore {
  /** Newest first (id descending), the only order NXLink serves. */
  private readonly entries: NxlinkEntry[];
  /**
   * Entries by `field:digits`, newest first like `entries`: the gateway looks up a page's
   * phones one query each, and a scan of every customer per look-up made the sandbox, not the
   * gateway, the slowest part of a page with links.
   */
  private readonly byPhone = new Map<string, NxlinkEntry[]>();

  /**
   * @param latestCreatedAtMs the newest customer's creation instant: inserted customers are
   *   created no earlier, so ids keep growing with created_at even if the clock lags the seed.
   */
  constructor(
    customers: readonly NxlinkCustomer[],
    private latestCreatedAtMs: number,
    private readonly context: NxlinkContext,
    private readonly people: PeopleFactory,
  ) {
    this.entries = customers.map(entryOf);
    for (const entry of this.entries) this.indexPhones(entry, 'push');
  }

  get size(): number {
    return this.entries.length;
  }

  get tenantId(): bigint {
    return this.context.tenantId;
  }

  /** Every customer, newest first, as served (copies: changing them changes nothing). */
  all(): NxlinkCustomer[] {
    return this.entries.map((entry) => structuredClone(entry.customer));
  }

  get(id: bigint): NxlinkCustomer | undefined {
    const entry = this.entries.find((candidate) => candidate.id === id);
    return entry === undefined ? undefined : structuredClone(entry.customer);
  }

  /**
   * Adds a customer newer than all others: created_at is now and the id exceeds every id,
   * as a new NXLink customer would. Unset fields get a fresh person's data.
   */
  insert(partial: NxlinkInsert = {}): NxlinkCustomer {
    const newest = this.entries[0];
    const createdAtMs = Math.max(Math.floor(Date.now() / 1000) * 1000, this.latestCreatedAtMs);
    this.latestCreatedAtMs = createdAtMs;
    const derived = snowflake(createdAtMs, this.context.random.int(0, 4095));
    const id = newest !== undefined && newest.id >= derived ? newest.id + 1n : derived;
    const person = this.people.person();
    const identity = { ...person };
    const base = buildNxlinkCustomer(
      { identity, createdAtMs, updatedAtMs: createdAtMs, shared: false, smsOnly: false },
      id,
      this.context,
    );
    const { tags, ...fields } = partial;
    const customer: NxlinkCustomer = {
      ...base,
      ...fields,
      id,
      created_at: base.created_at,
      tenant_id: this.context.tenantId,
      tags:
        tags === undefined ? base.tags : tags.map((tag) => tagOf(tag, id, this.context.tenantId, this.context.clock)),
    };
    const entry = entryOf(customer);
    this.entries.unshift(entry);
    this.indexPhones(entry, 'unshift');
    return structuredClone(customer);
  }

  query(
    where: NxlinkCondition | undefined,
    cursor: CursorRequest,
    phone?: NxlinkPhone,
  ): { customers: NxlinkCustomer[]; paging: Paging } {
    const candidates = phone === undefined ? this.entries : (this.byPhone.get(`${phone.field}:${phone.digits}`) ?? []);
    const matching = where === undefined ? candidates : candidates.filter(where);
    const { items, paging } = cutPage(matching, cursor);
    return { customers: items.map((entry) => entry.customer), paging };
  }

  /** Inserted customers are the newest: they go first, as in `entries`. */
  private indexPhones(entry: NxlinkEntry, where: 'push' | 'unshift'): void {
    for (const field of PHONE_FIELDS) {
      const digits = entry.customer[field];
      if (digits === null || digits === undefined || digits === '') continue;
      const key = `${field}:${digits}`;
      let list = this.byPhone.get(key);
      if (list === undefined) this.byPhone.set(key, (list = []));
      list[where](entry);
    }
  }
}

function entryOf(customer: NxlinkCustomer): NxlinkEntry {
  return {
    id: customer.id,
    customer,
    createdAt: customer.created_at.replace('T', ' '),
    fullName: customer.full_name?.toLowerCase() ?? null,
    email: customer.email?.toLowerCase() ?? null,
    tagIds: new Set(customer.tags.map((tag) => tag.id)),
  };
}
