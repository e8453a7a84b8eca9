import type { UnreadableReporter } from '../upstream/lenient.ts';
import type { Logger } from './logger.ts';
import type { GatewayMetrics } from './metrics.ts';

/**
 * One warning per record with unreadable fields (source, record id, field names: never the
 * values, which may be personal data) and one count per field, so an operator sees an upstream
 * that changed its format before clients complain about null fields.
 */
export function reportUnreadable(logger: Logger, metrics: GatewayMetrics): UnreadableReporter {
  return ({ source, recordId, fields }) => {
    for (const field of fields) metrics.unreadableFields.inc({ source, field });
    logger.warn({ source, recordId, fields }, `${source} record has fields the gateway cannot read; served as null`);
  };
}
