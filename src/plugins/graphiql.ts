import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import Negotiator from 'negotiator';

export const DEFAULT_QUERY = /* GraphQL */ `# Customers of Quentli and NXLink in one list, newest first,
# each with its record in the other system.
query Customers {
  customers(first: 5) {
    edges {
      node {
        name
        source
        phoneNumber
        createdAt
        ... on QuentliCustomer {
          username
          nxlinkProfile { fullName whatsappPhone }
        }
        ... on NxlinkCustomer {
          tags { tagName }
          quentliCustomer { username email }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/** What a GraphQL client may ask for; the page is served only where HTML is preferred to all. */
const MEDIA_TYPES = ['application/graphql-response+json', 'application/json', 'multipart/mixed', 'text/event-stream', 'text/html'];
const ENCODINGS = ['br', 'gzip', 'identity'];

/**
 * The GraphiQL page: a static HTML shell (its assets inline, so it works where browsers cannot
 * reach a CDN) that holds no data; every query it sends is an ordinary request, with the key
 * from its Headers tab. Rendered and compressed once, on the first load, then served from memory:
 * the page weighs about 9 MB, and rendering it per request made parallel loads cost hundreds of MB.
 */
export interface GraphiQLPage {
  /** A `GET /graphql` whose Accept header prefers HTML to every GraphQL response type. */
  isPageRequest(request: Request, url: URL): boolean;
  respond(request: Request, fetchAPI: { Response: typeof Response }): Promise<Response>;
}

export function createGraphiQLPage(options: { anonymous: boolean; endpoint: string }): GraphiQLPage {
  let bodies: Promise<Record<string, Buffer<ArrayBuffer>>> | undefined;
  const render = async (): Promise<Record<string, Buffer<ArrayBuffer>>> => {
    const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
    const html = Buffer.from(
      renderGraphiQL({
        title: 'Customer gateway',
        endpoint: options.endpoint,
        defaultQuery: DEFAULT_QUERY,
        headers: JSON.stringify(options.anonymous ? {} : { Authorization: 'Bearer <your gateway key>' }),
      }),
    );
    return {
      identity: html,
      gzip: gzipSync(html),
      br: brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }),
    };
  };
  return {
    isPageRequest: (request, url) =>
      request.method === 'GET' &&
      url.pathname === options.endpoint &&
      new Negotiator({ headers: { accept: request.headers.get('accept') ?? '*/*' } }).mediaType(MEDIA_TYPES) === 'text/html',
    respond: async (request, fetchAPI) => {
      // A failed render is not remembered: the next load tries again.
      const variants = await (bodies ??= render().catch((error: unknown) => {
        bodies = undefined;
        throw error;
      }));
      const encoding =
        new Negotiator({ headers: { 'accept-encoding': request.headers.get('accept-encoding') ?? 'identity' } }).encoding(ENCODINGS) ??
        'identity';
      const body = variants[encoding] ?? variants.identity;
      return new fetchAPI.Response(body, {
        status: 200,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          vary: 'accept, accept-encoding',
          ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }),
        },
      });
    },
  };
}
