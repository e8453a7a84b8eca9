import { IANAZone } from 'luxon';
import { ZoneOffsets } from '../upstream/nxlink/zone-offsets.ts';

/**
 * NXLink writes offset-less local times in one time zone. The zone's offsets come from the same
 * per-hour memory the gateway reads them with (ZoneOffsets): asking luxon for each of thousands
 * of timestamps is slow.
 */
export class ZoneClock {
  private readonly offsets: ZoneOffsets;

  constructor(readonly timeZone: string) {
    if (!IANAZone.isValidZone(timeZone)) throw new RangeError(`Unknown IANA time zone "${timeZone}"`);
    this.offsets = ZoneOffsets.of(timeZone);
  }

  /** `2024-07-19T17:29:27`: the local time of an instant, to the second. */
  format(ms: number): string {
    return new Date(ms + this.offsets.at(ms) * 60_000).toISOString().slice(0, 19);
  }
}
