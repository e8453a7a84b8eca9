import { z } from 'zod';
import type { Reply } from './http.ts';

export interface Fault {
  /** Answer with this HTTP status (Quentli: with its error body; NXLink: a plain 5xx). */
  status?: number;
  /** NXLink only: HTTP 200 with {"code": <n>, "message": "..."}. */
  nxlinkCode?: number;
  /** Delay before answering (alone, or before another fault). */
  latencyMs?: number;
  /** Destroy the socket without answering. */
  reset?: boolean;
  /** HTTP 200 with a body that is not valid JSON. */
  malformed?: boolean;
  /** With a status (429, 503): the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  /**
   * With a status (Quentli) or nxlinkCode: the upstream's own error message, for checking what
   * of an upstream's text reaches the gateway's clients.
   */
  message?: string;
  /** Apply to the next N matching requests only; default: until cleared. */
  times?: number;
  /** Only requests with these HTTP methods; default: all. */
  methods?: string[];
}

export interface FaultSwitch {
  set(fault: Fault): void;
  clear(): void;
}

/** How one upstream renders each kind of fault. */
export interface FaultReplies {
  status(status: number, retryAfterSeconds: number | undefined, message: string | undefined): Reply;
  malformed(): Reply;
  /** Only upstreams that answer failures as HTTP 200 with a code (NXLink). */
  code?: (code: number, message: string | undefined) => Reply;
}

const faultSchema = z.strictObject({
  status: z.number().int().min(400).max(599).optional(),
  nxlinkCode: z
    .number()
    .int()
    .refine((code) => code !== 0, 'must not be 0, which means success')
    .optional(),
  latencyMs: z.number().min(0).max(600_000).optional(),
  reset: z.boolean().optional(),
  malformed: z.boolean().optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
  message: z.string().min(1).max(1_000).optional(),
  times: z.number().int().min(1).optional(),
  methods: z.array(z.string().min(1)).min(1).optional(),
});

export class FaultError extends Error {
  override readonly name = 'FaultError';
}

/**
 * Checks a fault before it is armed, so a typo fails loudly instead of leaving the upstream
 * healthy. Answers undefined for a fault that does nothing (`{}`): that clears the switch.
 */
function parseFault(value: unknown, supportsCode: boolean): Fault | undefined {
  const parsed = faultSchema.safeParse(value);
  if (!parsed.success) throw new FaultError(`Invalid fault: ${z.prettifyError(parsed.error)}`);
  const fault: Fault = parsed.data;
  if (Object.keys(fault).length === 0) return undefined;
  const answers = [fault.status, fault.nxlinkCode, fault.reset || undefined, fault.malformed || undefined];
  if (answers.filter((answer) => answer !== undefined).length > 1) {
    throw new FaultError('Invalid fault: status, nxlinkCode, reset and malformed exclude one another');
  }
  if (answers.every((answer) => answer === undefined) && fault.latencyMs === undefined) {
    throw new FaultError('Invalid fault: give at least one of status, nxlinkCode, latencyMs, reset or malformed');
  }
  if (fault.nxlinkCode !== undefined && !supportsCode)
    throw new FaultError('Invalid fault: nxlinkCode applies to NXLink only');
  if (fault.message !== undefined && fault.status === undefined && fault.nxlinkCode === undefined) {
    throw new FaultError('Invalid fault: message needs a status or an nxlinkCode');
  }
  if (fault.retryAfterSeconds !== undefined && fault.status === undefined) {
    throw new FaultError('Invalid fault: retryAfterSeconds needs a status (429 or 503)');
  }
  return { ...fault, methods: fault.methods?.map((method) => method.toUpperCase()) };
}

/** The armed fault of one upstream. */
export class FaultState implements FaultSwitch {
  private active: { fault: Fault; remaining: number } | undefined;

  constructor(private readonly supportsCode: boolean) {}

  set(fault: Fault): void {
    this.arm(fault);
  }

  /** Like set, for a fault that arrives as untrusted JSON. */
  arm(value: unknown): void {
    const parsed = parseFault(value, this.supportsCode);
    this.active = parsed === undefined ? undefined : { fault: parsed, remaining: parsed.times ?? Infinity };
  }

  clear(): void {
    this.active = undefined;
  }

  current(): Fault | undefined {
    return this.active?.fault;
  }

  /** The fault that applies to this request, counting it against `times`. */
  take(method: string): Fault | undefined {
    const active = this.active;
    if (active === undefined) return undefined;
    if (active.fault.methods !== undefined && !active.fault.methods.includes(method.toUpperCase())) return undefined;
    active.remaining -= 1;
    if (active.remaining <= 0) this.active = undefined;
    return active.fault;
  }
}

/** The answer a fault imposes, or undefined when the request proceeds (after any latency). */
export function faultReply(fault: Fault, replies: FaultReplies): Reply | undefined {
  if (fault.malformed === true) return replies.malformed();
  if (fault.status !== undefined) return replies.status(fault.status, fault.retryAfterSeconds, fault.message);
  if (fault.nxlinkCode !== undefined && replies.code !== undefined)
    return replies.code(fault.nxlinkCode, fault.message);
  return undefined;
}
