import { IANAZone } from 'luxon';
import { speedTrickOn } from '../../speed-tricks.ts';

const HOUR_MS = 3_600_000;

/**
 * A zone's UTC offsets (in minutes), remembered per UTC hour: an hour whose first and last
 * millisecond have the same offset has it throughout, since offsets change at most once in an
 * hour. An hour with a change is asked of the zone each time. The memory is bounded: it starts
 * over after MAX_HOURS hours (about eleven years of them).
 *
 * NXLink times are local times in one zone, two per record: the gateway reads them
 * (nxlink/time.ts) and the sandbox writes them (sandbox/zone-clock.ts), both through this.
 */
export class ZoneOffsets {
  private static readonly MAX_HOURS = 100_000;
  private readonly byHour = new Map<number, number | null>();
  private readonly cached = speedTrickOn('zone-offset-cache');

  private constructor(private readonly zone: IANAZone) {}

  /** The offsets of an IANA zone; throws RangeError for an unknown zone. */
  static of(zone: string): ZoneOffsets {
    let offsets = zones.get(zone);
    if (offsets === undefined) {
      const iana = IANAZone.create(zone);
      if (!iana.isValid) throw new RangeError(`expected an IANA time zone, got ${zone}`);
      offsets = new ZoneOffsets(iana);
      zones.set(zone, offsets);
    }
    return offsets;
  }

  /** The zone's offset from UTC at the instant `utc` (ms since the epoch), in minutes. */
  at(utc: number): number {
    if (!this.cached) return this.zone.offset(utc);
    const hour = Math.floor(utc / HOUR_MS);
    let offset = this.byHour.get(hour);
    if (offset === undefined) {
      const first = this.zone.offset(hour * HOUR_MS);
      offset = first === this.zone.offset((hour + 1) * HOUR_MS - 1) ? first : null;
      if (this.byHour.size >= ZoneOffsets.MAX_HOURS) this.byHour.clear();
      this.byHour.set(hour, offset);
    }
    return offset ?? this.zone.offset(utc);
  }
}

const zones = new Map<string, ZoneOffsets>();
