import type { CallOptions } from './call.ts';
import type { UpstreamPolicy } from './resilience.ts';
import type { QuentliEncoding } from './quentli/filter.ts';
import type { NxlinkPage, NxlinkQuery } from './nxlink/records.ts';
import type {
  QuentliCreateInput,
  QuentliCustomerRecord,
  QuentliListParams,
  QuentliUpdateInput,
} from './quentli/records.ts';

/** What the rest of the gateway sees of Quentli. Every failure is an UpstreamError. */
export interface QuentliClient {
  listCustomers(params: QuentliListParams, options?: CallOptions): Promise<QuentliCustomerRecord[]>;
  createCustomer(input: QuentliCreateInput, options?: CallOptions): Promise<QuentliCustomerRecord>;
  updateCustomer(id: string, input: QuentliUpdateInput, options?: CallOptions): Promise<QuentliCustomerRecord>;
  /** What this Quentli accepts beyond its documentation (lists inside filter, sort keys). */
  readonly encoding: QuentliEncoding;
  /** The retry and circuit-breaker policy every call goes through. */
  readonly policy: UpstreamPolicy;
  close(): Promise<void>;
}

/** What the rest of the gateway sees of NXLink. Every failure is an UpstreamError. */
export interface NxlinkClient {
  queryCustomers(query: NxlinkQuery, options?: CallOptions): Promise<NxlinkPage>;
  /** Pages one request may read for a filter the gateway applies itself (GATEWAY_SCAN_PAGES). */
  readonly scanPages: number;
  /** The retry and circuit-breaker policy every call goes through. */
  readonly policy: UpstreamPolicy;
  close(): Promise<void>;
}
