import { IANAZone } from 'luxon';

const DAY_MS = 86_400_000;

/**
 * NXLink writes offset-less local times in one time zone. Asking luxon for the offset of every
 * one of thousands of timestamps is slow, so offsets are cached per UTC day: a day whose offset
 * is the same at both ends has no transition (zones change offset at most a few times a year),
 * and only transition days are resolved per instant.
 */
export class ZoneClock {
  private readonly zone: IANAZone;
  /** The day's offset in ms, or null on a day with a transition. */
  private readonly dayOffsets = new Map<number, number | null>();

  constructor(readonly timeZone: string) {
    if (!IANAZone.isValidZone(timeZone)) throw new RangeError(`Unknown IANA time zone "${timeZone}"`);
    this.zone = IANAZone.create(timeZone);
  }

  /** `2024-07-19T17:29:27`: the local time of an instant, to the second. */
  format(ms: number): string {
    return new Date(ms + this.offsetMs(ms)).toISOString().slice(0, 19);
  }

  private offsetMs(ms: number): number {
    const day = Math.floor(ms / DAY_MS);
    let offset = this.dayOffsets.get(day);
    if (offset === undefined) {
      const start = this.zone.offset(day * DAY_MS);
      offset = start === this.zone.offset((day + 1) * DAY_MS - 1) ? start * 60_000 : null;
      this.dayOffsets.set(day, offset);
    }
    return offset ?? this.zone.offset(ms) * 60_000;
  }
}
