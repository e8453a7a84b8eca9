import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
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
const MEDIA_TYPES = [
  'application/graphql-response+json',
  'application/json',
  'multipart/mixed',
  'text/event-stream',
  'text/html',
];
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
      bodies = renderInChild(renderOptions);
      rendered.set(key, bodies);
      bodies.catch(() => rendered.delete(key));
    }
    return bodies;
  };
  return {
    isPageRequest: (request, url) =>
      request.method === 'GET' &&
      url.pathname === options.endpoint &&
      new Negotiator({ headers: { accept: request.headers.get('accept') ?? '*/*' } }).mediaType(MEDIA_TYPES) ===
        'text/html',
    respond: async (request, fetchAPI) => {
      const variants = await page();
      const encoding =
        new Negotiator({
          headers: { 'accept-encoding': request.headers.get('accept-encoding') ?? 'identity' },
        }).encoding(ENCODINGS) ?? 'identity';
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
 * Renders and compresses the page in a child process that exits afterwards: the renderer's
 * module holds the whole page source (tens of MB of heap once loaded) and compression needs
 * large working buffers, none of which the gateway should keep for the rest of its life (a
 * worker thread's heap went back to the allocator but not to the system: 70 MB of RSS that
 * stayed). Only the three finished bodies come back, on the child's stdout: their three lengths,
 * then the bodies one after the other. The script is plain JavaScript, so it runs the same from
 * the sources and from dist/.
 */
function renderInChild(options: Record<string, string>): Promise<PageVariants> {
  const input = JSON.stringify({
    module: createRequire(import.meta.url).resolve('@graphql-yoga/render-graphiql'),
    options,
  });
  return new Promise<PageVariants>((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', RENDER_SCRIPT, input],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, env: {}, windowsHide: true },
      (error, stdout: Buffer<ArrayBuffer>) => {
        if (error) return reject(new Error(`the GraphiQL renderer failed: ${error.message}`));
        const lengths = [0, 1, 2].map((index) => stdout.readUInt32BE(index * 4));
        const [identity = 0, gzip = 0] = lengths;
        const body = (start: number, length: number) => stdout.subarray(start, start + length);
        resolve({
          identity: body(12, identity),
          gzip: body(12 + identity, gzip),
          br: body(12 + identity + gzip, lengths[2] ?? 0),
        });
      },
    );
  });
}

const RENDER_SCRIPT = `
const zlib = require('node:zlib');
const { module, options } = JSON.parse(process.argv[1]);
const html = Buffer.from(require(module).renderGraphiQL(options));
const bodies = [
  html,
  zlib.gzipSync(html),
  zlib.brotliCompressSync(html, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }),
];
const lengths = Buffer.alloc(12);
bodies.forEach((body, index) => lengths.writeUInt32BE(body.length, index * 4));
process.stdout.write(Buffer.concat([lengths, ...bodies]));
`;
