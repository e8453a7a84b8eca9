import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
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

/**
 * Pages rendered in this process, by their options: a process that runs several gateways (the
 * specs do) renders each kind of page once. A failed render is dropped, so the next load tries again.
 */
const rendered = new Map<string, Promise<PageVariants>>();

export function createGraphiQLPage(options: { anonymous: boolean; endpoint: string }): GraphiQLPage {
  const renderOptions = {
    title: 'Customer gateway',
    endpoint: options.endpoint,
    defaultQuery: DEFAULT_QUERY,
    headers: JSON.stringify(options.anonymous ? {} : { Authorization: 'Bearer <your gateway key>' }),
  };
  const key = JSON.stringify(renderOptions);
  const page = (): Promise<PageVariants> => {
    let bodies = rendered.get(key);
    if (bodies === undefined) {
      bodies = renderInWorker(renderOptions);
      rendered.set(key, bodies);
      bodies.catch(() => rendered.delete(key));
    }
    return bodies;
  };
  return {
    isPageRequest: (request, url) =>
      request.method === 'GET' &&
      url.pathname === options.endpoint &&
      new Negotiator({ headers: { accept: request.headers.get('accept') ?? '*/*' } }).mediaType(MEDIA_TYPES) === 'text/html',
    respond: async (request, fetchAPI) => {
      const variants = await page();
      const encoding =
        new Negotiator({ headers: { 'accept-encoding': request.headers.get('accept-encoding') ?? 'identity' } }).encoding(ENCODINGS) ??
        'identity';
      const body = variants[encoding as keyof PageVariants] ?? variants.identity;
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


type PageVariants = Record<'identity' | 'gzip' | 'br', Buffer<ArrayBuffer>>;

/**
 * Renders and compresses the page in a worker thread that exits afterwards: the renderer's
 * module holds the whole page source (tens of MB of heap once loaded) and compression needs
 * large working buffers, none of which the gateway should keep for the rest of its life. Only
 * the three finished bodies come back, moved rather than copied. The worker is plain
 * JavaScript, so it runs the same from the sources and from dist/.
 */
function renderInWorker(options: Record<string, string>): Promise<PageVariants> {
  const worker = new Worker(RENDER_WORKER, {
    eval: true,
    workerData: { module: createRequire(import.meta.url).resolve('@graphql-yoga/render-graphiql'), options },
  });
  return new Promise<PageVariants>((resolve, reject) => {
    worker.once('message', (bodies: Record<keyof PageVariants, Uint8Array<ArrayBuffer>>) => {
      const view = (body: Uint8Array<ArrayBuffer>) => Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      resolve({ identity: view(bodies.identity), gzip: view(bodies.gzip), br: view(bodies.br) });
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the GraphiQL renderer exited with ${code} before answering`)));
  });
}

const RENDER_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
const { renderGraphiQL } = require(workerData.module);
const html = Buffer.from(renderGraphiQL(workerData.options));
const own = (buffer) => new Uint8Array(buffer);
const bodies = {
  identity: own(html),
  gzip: own(zlib.gzipSync(html)),
  br: own(zlib.brotliCompressSync(html, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } })),
};
parentPort.postMessage(bodies, Object.values(bodies).map((body) => body.buffer));
`;
