import type { NxlinkPage, NxlinkQuery } from './nxlink/records.ts';
import type {
  QuentliCreateInput,
  QuentliCustomerRecord,
  QuentliListParams,
  QuentliUpdateInput,
} from './quentli/records.ts';

/** What the rest of the gateway sees of Quentli. Every failure is an UpstreamError. */
export interface QuentliClient {
  listCustomers(params: QuentliListParams, signal?: AbortSignal): Promise<QuentliCustomerRecord[]>;
  createCustomer(input: QuentliCreateInput, signal?: AbortSignal): Promise<QuentliCustomerRecord>;
  updateCustomer(
    id: string,
    input: QuentliUpdateInput,
    signal?: AbortSignal,
  ): Promise<QuentliCustomerRecord>;
  close(): Promise<void>;
}

/** What the rest of the gateway sees of NXLink. Every failure is an UpstreamError. */
export interface NxlinkClient {
  queryCustomers(query: NxlinkQuery, signal?: AbortSignal): Promise<NxlinkPage>;
  close(): Promise<void>;
}
