/**
 * The change list of a state: every counter, register and status slot in the order of its last
 * change, a doubly linked list through the slots themselves. A change moves the slot to the
 * newest end (O(1), nothing allocated), so "what changed after version N" is a walk from the
 * newest end back to the first slot changed at or before N — it touches the changed slots only,
 * never the whole state. Each peer's link keeps the version it was sent up to; together they are
 * the per-peer dirty sets, without a set per peer.
 *
 * @module
 */

/** A slot of the change list: its local change number and its neighbours in change order. */
export class ChangeListNode {
  /** Local version of the slot's last change (0: never changed). */
  changed = 0;
  /** The slot changed just before this one (towards the oldest). */
  older: ChangeListNode | undefined = undefined;
  /** The slot changed just after this one (towards the newest). */
  newer: ChangeListNode | undefined = undefined;
  /** Whether the slot is in a list. */
  listed = false;
}

/** The slots of a state in the order of their last change. */
export class ChangeList {
  private newest: ChangeListNode | undefined = undefined;

  /** Records that `node` changed at version `stamp` (the newest version): it moves to the newest end. */
  touch(node: ChangeListNode, stamp: number): void {
    node.changed = stamp;
    if (node === this.newest) return;
    if (node.listed) {
      // Unlink (it is not the newest, so it has a newer neighbour).
      node.newer!.older = node.older;
      if (node.older !== undefined) node.older.newer = node.newer;
    }
    node.listed = true;
    node.older = this.newest;
    node.newer = undefined;
    if (this.newest !== undefined) this.newest.newer = node;
    this.newest = node;
  }

  /** The oldest slot changed after version `after`, or `undefined`; follow `newer` from it for the rest, in change order. */
  firstAfter(after: number): ChangeListNode | undefined {
    let first: ChangeListNode | undefined;
    for (let n = this.newest; n !== undefined && n.changed > after; n = n.older) first = n;
    return first;
  }
}
