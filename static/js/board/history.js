// Undo and redo of this person's own actions, as inverse ops.
//
// Each entry holds the ops that undo it and the ops that redo it, worked out when the action
// was made (the values before and after). Undoing sends the inverse as an ordinary op, so
// everyone sees it, and it is subject to the same rules: if someone else has since deleted
// the object, that part is skipped rather than resurrecting it.

import { SERVER_FIELDS } from "../protocol.js";

/**
 * @typedef {import("../protocol.js").Op} Op
 * @typedef {import("../protocol.js").BoardObject} BoardObject
 * @typedef {{undo: Op[], redo: Op[], ids: string[]}} Entry
 */

export const MAX_HISTORY = 200;
/** Steps kept; older ones fall off the bottom. */

/** An object as a client may create it: without the fields only the server sets. @param {BoardObject} obj */
export function creatable(obj) {
  const copy = { ...obj };
  for (const field of SERVER_FIELDS) delete copy[field];
  // A copy keeps what it copies, also on another board (a pulled note): the server checks it
  // there, so a pulled note deleted and brought back by undo is still one contribution.
  return copy;
}

/**
 * Only the parts of `ops` that still make sense on the board as it is now.
 * @param {Op[]} ops @param {(id: string) => boolean} exists @returns {Op[]}
 */
export function stillApplicable(ops, exists) {
  /** @type {Op[]} */
  const out = [];
  const present = new Map();
  const has = (/** @type {string} */ id) => (present.has(id) ? present.get(id) : exists(id));
  for (const op of ops) {
    if (op.kind === "create") {
      if (has(op.obj.id)) continue;
      present.set(op.obj.id, true);
    } else if (op.kind === "update") {
      if (!has(op.id)) continue;
    } else if (op.kind === "delete") {
      if (!has(op.id)) continue;
      present.set(op.id, false);
    }
    out.push(op);
  }
  return out;
}

export class History extends EventTarget {
  constructor() {
    super();
    /** @type {Entry[]} */
    this.done = [];
    /** @type {Entry[]} */
    this.undone = [];
  }

  /** @param {Entry} entry */
  push(entry) {
    this.done.push(entry);
    if (this.done.length > MAX_HISTORY) this.done.shift();
    this.undone = [];
    this.changed();
  }

  /** The last entry, to fold a follow-up into (typing into a note just created). */
  last() {
    return this.done[this.done.length - 1];
  }

  /** Forget the last entry (an empty text box that was removed again). */
  dropLast() {
    this.done.pop();
    this.changed();
  }

  /**
   * Undo the last step that can still be undone; returns its ops, or null.
   * @param {(id: string) => boolean} exists @returns {{ops: Op[], ids: string[]} | null}
   */
  undo(exists) {
    while (this.done.length) {
      const entry = /** @type {Entry} */ (this.done.pop());
      const ops = stillApplicable(entry.undo, exists);
      if (ops.length) {
        this.undone.push(entry);
        this.changed();
        return { ops, ids: entry.ids };
      }
    }
    this.changed();
    return null;
  }

  /** @param {(id: string) => boolean} exists @returns {{ops: Op[], ids: string[]} | null} */
  redo(exists) {
    while (this.undone.length) {
      const entry = /** @type {Entry} */ (this.undone.pop());
      const ops = stillApplicable(entry.redo, exists);
      if (ops.length) {
        this.done.push(entry);
        this.changed();
        return { ops, ids: entry.ids };
      }
    }
    this.changed();
    return null;
  }

  changed() {
    this.dispatchEvent(new CustomEvent("change", { detail: { undo: this.done.length, redo: this.undone.length } }));
  }
}
