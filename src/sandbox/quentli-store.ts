import type { PeopleFactory } from './people.ts';
import { fnv1a } from './random.ts';
import { liveCuid, quentliCustomer, type QuentliCustomer } from './quentli-record.ts';
import { iso, type SeededQuentliCustomer } from './quentli-seed.ts';

/** A stored customer with the values that filters and sorts need, computed once. */
export interface QuentliEntry {
  readonly customer: QuentliCustomer;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly archivedAtMs: number | null;
  readonly noPayments: boolean;
  /**
   * Orders ties that the requested orderBy leaves open. It is deliberately not id order, so a
   * client that pages on a non-unique key without adding `id` sees the consequence here.
   */
  readonly tieBreak: number;
}

export type QuentliCondition = (entry: QuentliEntry) => boolean | null;
export type QuentliComparator = (a: QuentliEntry, b: QuentliEntry) => number;

/** A compiled orderBy; `key` names it canonically (e.g. "name:asc,id:desc") for caching. */
export interface QuentliOrder {
  key: string;
  compare: QuentliComparator;
}

export interface QuentliListQuery {
  /** Three-valued, as in SQL: only `true` selects. */
  where?: QuentliCondition;
  /** Absent: the default order (createdAt desc, id desc), which the store keeps. */
  orderBy?: QuentliOrder;
  offset: number;
  limit: number;
  /**
   * Set when the filter selects by exact phone numbers (`phoneNumber: { in: [...] }` or
   * `{ equals }`): only customers with one of them can match, and the store finds them by index.
   */
  phoneNumbers?: readonly string[];
  /** Set when the filter selects by email equalities: the store finds them by index too. */
  emails?: readonly string[];
  /** Set when the filter selects one createdAt instant (ms): by index as well. */
  createdAtMs?: number;
}

const MAX_CACHED_ORDERS = 16;

/** Another customer already has this unique value. */
export class QuentliConflictError extends Error {
  override readonly name = 'QuentliConflictError';
  constructor(readonly field: 'email' | 'username') {
    super(`${field} is already taken by another customer`);
  }
}

export class QuentliStore {
  /** Always in the default order, so unordered list requests never sort. */
  private readonly entries: QuentliEntry[] = [];
  private readonly byId = new Map<string, QuentliEntry>();
  /**
   * Entries by phone number: the gateway looks up a page's customers by phone (and by email,
   * through `emails` below), and a scan of every customer per look-up made the sandbox, not
   * the gateway, the slowest part of a page.
   */
  private readonly byPhone = new Map<string, Set<QuentliEntry>>();
  private readonly byCreatedAt = new Map<number, Set<QuentliEntry>>();
  private readonly emails = new Map<string, string>();
  private readonly usernames = new Map<string, string>();
  /** Other orders, sorted once and kept until the next write: paging re-sends the same order. */
  private readonly sortedBy = new Map<string, QuentliEntry[]>();

  constructor(
    seeded: readonly SeededQuentliCustomer[],
    readonly organizationId: string,
    private readonly people: PeopleFactory,
  ) {
    for (const { customer, noPayments } of seeded) {
      const entry = entryOf(customer, noPayments);
      this.index(entry);
      this.entries.push(entry);
    }
    this.entries.sort(defaultOrder);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Every customer in the default order, as served (copies: changing them changes nothing). */
  all(): QuentliCustomer[] {
    return this.entries.map((entry) => structuredClone(entry.customer));
  }

  get(id: string): QuentliCustomer | undefined {
    const entry = this.byId.get(id);
    return entry === undefined ? undefined : structuredClone(entry.customer);
  }

  /**
   * Adds a customer directly (tests use it between page requests). Unset fields get a fresh
   * person's data; `createdAt` defaults to now.
   */
  insert(partial: Partial<QuentliCustomer> = {}): QuentliCustomer {
    let person = this.people.person();
    // A client may have taken the factory's next username or email through POST.
    while (this.usernames.has(person.username.toLowerCase()) || this.emails.has(person.email.toLowerCase())) {
      person = this.people.person();
    }
    return this.create({
      name: `${person.firstName} ${person.lastName}`,
      username: person.username,
      email: person.email,
      phoneNumber: `+${person.phone}`,
      ...partial,
    });
  }

  /** Stores a new customer; throws QuentliConflictError when its email or username is taken. */
  create(fields: Partial<QuentliCustomer>, noPayments = true): QuentliCustomer {
    const createdAt = fields.createdAt ?? iso(Date.now());
    let id = fields.id ?? liveCuid(Date.parse(createdAt));
    while (this.byId.has(id) && fields.id === undefined) id = liveCuid(Date.parse(createdAt));
    if (this.byId.has(id)) throw new Error(`A Quentli customer with id ${id} already exists`);
    const customer = quentliCustomer({ organizationId: this.organizationId, ...fields, id, createdAt });
    this.assertUnique(customer);
    const entry = entryOf(customer, noPayments);
    this.index(entry);
    this.entries.splice(this.insertionPoint(entry), 0, entry);
    this.sortedBy.clear();
    return structuredClone(customer);
  }

  /** Applies changes (an explicit null clears); undefined when no customer has this id. */
  update(id: string, changes: Partial<QuentliCustomer>): QuentliCustomer | undefined {
    const previous = this.byId.get(id);
    if (previous === undefined) return undefined;
    const customer: QuentliCustomer = {
      ...previous.customer,
      ...changes,
      id,
      createdAt: previous.customer.createdAt,
      updatedAt: changes.updatedAt ?? iso(Date.now()),
    };
    this.assertUnique(customer);
    this.unindex(previous);
    const entry = entryOf(customer, previous.noPayments);
    this.index(entry);
    // createdAt and id are unchanged, so the default position is too.
    this.entries[this.entries.indexOf(previous)] = entry;
    this.sortedBy.clear();
    return structuredClone(customer);
  }

  list(query: QuentliListQuery): QuentliCustomer[] {
    const { where, offset, limit } = query;
    // Walk a sorted list and stop as soon as the page is full.
    const page: QuentliCustomer[] = [];
    let skipped = 0;
    for (const entry of this.candidates(query)) {
      if (where !== undefined && where(entry) !== true) continue;
      if (skipped < offset) skipped += 1;
      else if (page.push(entry.customer) >= limit) break;
    }
    return page;
  }

  /** The entries a query can select, in its order. */
  private candidates(query: QuentliListQuery): readonly QuentliEntry[] {
    const found = this.indexed(query);
    if (found === undefined) return query.orderBy === undefined ? this.entries : this.sorted(query.orderBy);
    // In the default order first, as the full list is before another order sorts it (stably).
    const candidates = [...found].sort(defaultOrder);
    return query.orderBy === undefined ? candidates : candidates.sort(query.orderBy.compare);
  }

  /** Every entry the filter can select, found by index; undefined when no index applies. */
  private indexed({ phoneNumbers, emails, createdAtMs }: QuentliListQuery): Set<QuentliEntry> | undefined {
    const found = new Set<QuentliEntry>();
    if (phoneNumbers !== undefined) {
      for (const phone of phoneNumbers) for (const entry of this.byPhone.get(phone) ?? []) found.add(entry);
    } else if (emails !== undefined) {
      for (const email of emails) {
        const entry = this.byId.get(this.emails.get(email.toLowerCase()) ?? '');
        if (entry !== undefined) found.add(entry);
      }
    } else if (createdAtMs !== undefined) {
      for (const entry of this.byCreatedAt.get(createdAtMs) ?? []) found.add(entry);
    } else {
      return undefined;
    }
    return found;
  }

  private sorted(order: QuentliOrder): QuentliEntry[] {
    let sorted = this.sortedBy.get(order.key);
    if (sorted === undefined) {
      // Clients page with a handful of orders; a client inventing endless ones must not grow memory.
      if (this.sortedBy.size >= MAX_CACHED_ORDERS) this.sortedBy.clear();
      sorted = [...this.entries].sort(order.compare);
      this.sortedBy.set(order.key, sorted);
    }
    return sorted;
  }

  private assertUnique(customer: QuentliCustomer): void {
    if (takenByOther(this.emails, customer.email, customer.id)) throw new QuentliConflictError('email');
    if (takenByOther(this.usernames, customer.username, customer.id)) throw new QuentliConflictError('username');
  }

  private index(entry: QuentliEntry): void {
    const { id, email, username, phoneNumber } = entry.customer;
    this.byId.set(id, entry);
    if (phoneNumber !== null) addTo(this.byPhone, phoneNumber, entry);
    addTo(this.byCreatedAt, entry.createdAtMs, entry);
    if (email !== null) this.emails.set(email.toLowerCase(), id);
    if (username !== null) this.usernames.set(username.toLowerCase(), id);
  }

  private unindex(entry: QuentliEntry): void {
    const { id, email, username, phoneNumber } = entry.customer;
    this.byId.delete(id);
    if (phoneNumber !== null) this.byPhone.get(phoneNumber)?.delete(entry);
    this.byCreatedAt.get(entry.createdAtMs)?.delete(entry);
    if (email !== null && this.emails.get(email.toLowerCase()) === id) this.emails.delete(email.toLowerCase());
    if (username !== null && this.usernames.get(username.toLowerCase()) === id) {
      this.usernames.delete(username.toLowerCase());
    }
  }

  private insertionPoint(entry: QuentliEntry): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const current = this.entries[middle];
      if (current !== undefined && defaultOrder(current, entry) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

function addTo<K>(index: Map<K, Set<QuentliEntry>>, key: K, entry: QuentliEntry): void {
  let entries = index.get(key);
  if (entries === undefined) index.set(key, (entries = new Set()));
  entries.add(entry);
}

/** Emails and usernames are unique regardless of letter case. */
function takenByOther(index: ReadonlyMap<string, string>, value: string | null, id: string): boolean {
  if (value === null) return false;
  const owner = index.get(value.toLowerCase());
  return owner !== undefined && owner !== id;
}

function entryOf(customer: QuentliCustomer, noPayments: boolean): QuentliEntry {
  return {
    customer,
    createdAtMs: Date.parse(customer.createdAt),
    updatedAtMs: Date.parse(customer.updatedAt),
    archivedAtMs: customer.archivedAt === null ? null : Date.parse(customer.archivedAt),
    noPayments,
    tieBreak: fnv1a(customer.id),
  };
}

/** createdAt descending, then id descending. */
function defaultOrder(a: QuentliEntry, b: QuentliEntry): number {
  return b.createdAtMs - a.createdAtMs || compareText(b.customer.id, a.customer.id);
}

/** Code-unit order (a "C" collation): simple, stable, and the same for sorting and lt/gt. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
