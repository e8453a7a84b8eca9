import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { listen } from '../listen.ts';
import { CONTROL_PREFIX, controlReply } from './control.ts';
import { faultReply, FaultState, type FaultReplies } from './faults.ts';
import {
  BodyTooLargeError,
  closeServer,
  origin,
  readBody,
  recordOf,
  writeReply,
  type RecordedRequest,
  type Reply,
} from './http.ts';

const MAX_BODY_BYTES = 1024 * 1024;

/** What makes one upstream: its routes and how it renders faults. */
export interface UpstreamBehaviour {
  handle(request: RecordedRequest): Reply;
  replies: FaultReplies;
}

/**
 * One sandbox upstream on loopback: logs every request, applies the armed fault, then lets the
 * upstream's behaviour answer. Shared by Quentli and NXLink so both fail the same ways.
 */
export class UpstreamServer {
  readonly faults: FaultState;
  url = '';
  private log: RecordedRequest[] = [];
  private readonly server: Server;
  /** Aborts pending latency faults on close, so close never waits for them. */
  private readonly lifetime = new AbortController();

  constructor(
    private readonly behaviour: UpstreamBehaviour,
    supportsCodeFaults: boolean,
  ) {
    this.faults = new FaultState(supportsCodeFaults);
    this.server = createServer((req, res) => {
      this.serve(req, res).catch(() => res.destroy());
    });
  }

  /** Every request received except control routes, in order of arrival of their body. */
  get requests(): readonly RecordedRequest[] {
    return this.log;
  }

  resetRequests(): void {
    this.log = [];
  }

  async start(host: string, port: number): Promise<string> {
    this.url = origin(host, await listen(this.server, host, port));
    return this.url;
  }

  async close(): Promise<void> {
    this.lifetime.abort();
    await closeServer(this.server);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: string;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      this.log.push(recordOf(req, ''));
      const reply = this.behaviour.replies.status(413, undefined, undefined);
      writeReply(res, { ...reply, headers: { ...reply.headers, connection: 'close' } });
      return;
    }
    const request = recordOf(req, body);
    if (request.path.startsWith(CONTROL_PREFIX)) {
      writeReply(res, controlReply(request, this));
      return;
    }
    this.log.push(request);
    const fault = this.faults.take(request.method);
    if (fault?.latencyMs !== undefined && fault.latencyMs > 0) {
      await delay(fault.latencyMs, undefined, { signal: this.lifetime.signal });
    }
    if (fault?.reset === true) {
      req.socket.resetAndDestroy();
      return;
    }
    writeReply(res, (fault && faultReply(fault, this.behaviour.replies)) ?? this.answer(request));
  }

  private answer(request: RecordedRequest): Reply {
    try {
      return this.behaviour.handle(request);
    } catch (error) {
      // A sandbox bug: answer like an outage, but say so where its operator will see it.
      process.stderr.write(`sandbox: unexpected error answering ${request.method} ${request.path}: ${String(error)}\n`);
      return this.behaviour.replies.status(500, undefined, undefined);
    }
  }
}
