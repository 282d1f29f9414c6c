/**
 * The change list of a state: a log of (slot, version) pairs — every counter, register and
 * status slot appended when it changes, versions increasing. A slot's entry counts only at its
 * latest change (the version its state reports for it); older entries of it are skipped and,
 * once they make up half the log, compacted away (amortised O(1) per change). So "what changed
 * after version N" is a binary search for N and a walk to the end that touches the changed
 * slots only, never the whole state; and a change appends to two flat arrays without touching
 * any other slot. Each peer's link keeps the version it was sent up to: together they are the
 * per-peer dirty sets, without a set per peer.
 *
 * Slots are numbers chosen by the state (a counter's index, a register's…), so the log holds no
 * objects and reading a slot's version reads the state's own arrays.
 *
 * @module
 */

/** A register or status slot of the change list: its local change number. */
export class ChangeListNode {
  /** Local version of the slot's last change (0: never changed). */
  changed = 0;
}

/** The slots of a state in the order of their changes. */
export class ChangeList {
  private slots = new Float64Array(1024);
  private versions = new Float64Array(1024);
  private length = 0;
  /** Distinct slots logged. */
  private distinct = 0;

  /** A log whose slots' latest versions `changedOf` reads. */
  constructor(private readonly changedOf: (slot: number) => number) {}

  /** Records that `slot` changed at version `stamp` (the newest version); `fresh`: its first change. */
  touch(slot: number, stamp: number, fresh: boolean): void {
    if (fresh) this.distinct++;
    if (this.length === this.slots.length) {
      if (this.length > 2 * this.distinct + 1024) this.compact();
      if (this.length === this.slots.length) {
        const slots = new Float64Array(this.length * 2);
        slots.set(this.slots);
        this.slots = slots;
        const versions = new Float64Array(this.length * 2);
        versions.set(this.versions);
        this.versions = versions;
      }
    }
    this.slots[this.length] = slot;
    this.versions[this.length++] = stamp;
  }

  /** Drops the entries of slots that changed again later. */
  private compact(): void {
    const slots = this.slots;
    const versions = this.versions;
    let kept = 0;
    for (let i = 0; i < this.length; i++)
      if (this.changedOf(slots[i]!) === versions[i]) {
        slots[kept] = slots[i]!;
        versions[kept] = versions[i]!;
        kept++;
      }
    this.length = kept;
  }

  /** One past the last position of the log. */
  get end(): number {
    return this.length;
  }

  /** The first position whose version is after `after` (binary search; {@link ChangeList.end} if none). */
  firstAfter(after: number): number {
    const versions = this.versions;
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (versions[mid]! > after) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** The slot at position `i` if this is its latest change, else −1 (it changed again later). */
  at(i: number): number {
    const slot = this.slots[i]!;
    return this.changedOf(slot) === this.versions[i] ? slot : -1;
  }
}
