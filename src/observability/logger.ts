import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs, to standard output by default. Lines are written asynchronously
 * (several lines of a busy moment in one write); pino flushes what is pending when the process
 * exits. Secrets must never reach a log line: the redact paths are a second
 * line of defence for any object that carries credentials or headers by mistake.
 */
export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      redact: {
        paths: [
          'apiKey',
          'accessKey',
          'accessSecret',
          'appKey',
          '*.apiKey',
          '*.accessKey',
          '*.accessSecret',
          '*.appKey',
          'headers.authorization',
          'headers.sign',
          'headers.accesskey',
          '*.headers.authorization',
        ],
        censor: '[redacted]',
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
