import { randomUUID } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import { createNxlinkLoaders, type NxlinkLoaders } from './loaders/nxlink.ts';
import { createQuentliLoaders, type QuentliLoaders } from './loaders/quentli.ts';
import type { NxlinkClient, QuentliClient } from './upstream/clients.ts';

export interface Upstreams {
  quentli: QuentliClient;
  nxlink: NxlinkClient;
}

export interface GatewayContext {
  requestId: string;
  /** Aborted when the client goes away: upstream calls of this request stop with it. */
  signal: AbortSignal;
  upstreams: Upstreams;
  loaders: { quentli: QuentliLoaders; nxlink: NxlinkLoaders };
  /**
   * Errors that accompany data rather than replace it: a source that failed while the field
   * still answers with what the other source returned. Added to the response's `errors`.
   */
  partialErrors: GraphQLError[];
}

export function createContext(upstreams: Upstreams, request: Request): GatewayContext {
  const signal = request.signal;
  return {
    requestId: request.headers.get('x-request-id') ?? randomUUID(),
    signal,
    upstreams,
    loaders: {
      quentli: createQuentliLoaders(upstreams.quentli, signal),
      nxlink: createNxlinkLoaders(upstreams.nxlink, signal),
    },
    partialErrors: [],
  };
}
