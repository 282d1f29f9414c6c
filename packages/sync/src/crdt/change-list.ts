/**
 * The change list of a state: a log of (slot, version) pairs — every counter, register and
 * status slot appended when it changes, versions increasing. A slot's entry counts only at its
 * latest change (`slot.changed`); older entries of it are skipped and, once they make up half
 * the log, compacted away (amortised O(1) per change). So "what changed after version N" is a
 * binary search for N and a walk to the end that touches the changed slots only, never the
 * whole state; and a change appends to two flat arrays without touching any other slot. Each
 * peer's link keeps the version it was sent up to: together they are the per-peer dirty sets,
 * without a set per peer.
 *
 * @module
 */

/** A slot of the change list: its local change number. */
export class ChangeListNode {
  /** Local version of the slot's last change (0: never changed). */
  changed = 0;
  /** Whether the slot was ever logged. */
  listed = false;
}

/** The slots of a state in the order of their changes. */
export class ChangeList {
  private slots: ChangeListNode[] = [];
  private versions: number[] = [];
  /** Distinct slots logged. */
  private distinct = 0;

  /** Records that `node` changed at version `stamp` (the newest version). */
  touch(node: ChangeListNode, stamp: number): void {
    node.changed = stamp;
    if (!node.listed) {
      node.listed = true;
      this.distinct++;
    }
    this.slots.push(node);
    this.versions.push(stamp);
    if (this.slots.length > 2 * this.distinct + 1024) this.compact();
  }

  /** Drops the entries of slots that changed again later. */
  private compact(): void {
    const slots = this.slots;
    const versions = this.versions;
    let kept = 0;
    for (let i = 0; i < slots.length; i++)
      if (slots[i]!.changed === versions[i]) {
        slots[kept] = slots[i]!;
        versions[kept] = versions[i]!;
        kept++;
      }
    slots.length = kept;
    versions.length = kept;
  }

  /** One past the last position of the log. */
  get end(): number {
    return this.slots.length;
  }

  /** The first position whose version is after `after` (binary search; {@link ChangeList.end} if none). */
  firstAfter(after: number): number {
    const versions = this.versions;
    let lo = 0;
    let hi = versions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (versions[mid]! > after) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** The slot at position `i` if this is its latest change, else `undefined` (it changed again later). */
  at(i: number): ChangeListNode | undefined {
    const slot = this.slots[i]!;
    return slot.changed === this.versions[i] ? slot : undefined;
  }
}
