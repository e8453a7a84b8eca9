import type { Reply } from './http.ts';

export interface QuentliErrorDetail {
  path: string[];
  message: string;
}

const CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'VALIDATION_ERROR',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_SERVER_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** A refusal with Quentli's error body; handlers throw it and the server renders it. */
export class QuentliError extends Error {
  override readonly name = 'QuentliError';
  constructor(
    readonly status: number,
    message: string,
    readonly details: QuentliErrorDetail[] = [],
  ) {
    super(message);
  }
}

export function badRequest(message: string): QuentliError {
  return new QuentliError(400, message);
}

/** `{"error": {"code", "message", "details"?}}`, the one error shape Quentli uses. */
export function quentliErrorReply(
  status: number,
  message: string,
  details: readonly QuentliErrorDetail[] = [],
  headers: Record<string, string> = {},
): Reply {
  const code = CODES[status] ?? (status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST');
  const error = details.length > 0 ? { code, message, details } : { code, message };
  return { status, headers, body: JSON.stringify({ error }) };
}
