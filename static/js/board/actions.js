// The verbs of the board: create, change, remove, reorder. Every tool and shortcut goes
// through here, which turns an intention into ops (optimistic, outboxed), and records in the
// history how to take it back.

import { PLACED_TYPES, batch, create, newId, remove, update } from "../protocol.js";
import { creatable } from "./history.js";
import { keysAt, topKey } from "./order.js";

/**
 * @typedef {import("../protocol.js").Op} Op
 * @typedef {import("../protocol.js").BoardObject} BoardObject
 * @typedef {import("./replica.js").Replica} Replica
 * @typedef {import("./history.js").History} History
 * @typedef {(op: Op, options?: {merge?: boolean}) => string | null} Send
 */

export class Actions {
  /** @param {{send: Send, replica: Replica, history: History, maxBatch: number}} options */
  constructor({ send, replica, history, maxBatch }) {
    this.send = send;
    this.replica = replica;
    this.history = history;
    this.maxBatch = maxBatch;
  }

  /** Send simple ops as batches no larger than the server takes. @param {Op[]} ops @param {{merge?: boolean}} [options] */
  submit(ops, options = {}) {
    let ok = true;
    for (let i = 0; i < ops.length; i += this.maxBatch) {
      ok = this.send(batch(/** @type {any} */ (ops.slice(i, i + this.maxBatch))), options) !== null && ok;
    }
    return ok;
  }

  /**
   * Add objects (on top of everything, unless they say where).
   * @param {BoardObject[]} objects @param {{record?: boolean}} [options] @returns {string[]} their ids
   */
  create(objects, { record = true } = {}) {
    if (!objects.length) return [];
    const keys = keysAt(this.replica.view.values(), objects.length, "front");
    const made = objects.map((obj, i) => ({
      ...obj,
      id: obj.id ?? newId(),
      ...(PLACED_TYPES.has(obj.type) && !obj.z ? { z: keys[i] } : {}),
    }));
    const ops = made.map((obj) => create(obj));
    if (!this.submit(ops)) return [];
    if (record) {
      this.history.push({ undo: made.map((obj) => remove(obj.id)).reverse(), redo: ops, ids: made.map((o) => o.id) });
    }
    return made.map((obj) => obj.id);
  }

  /**
   * Change properties of objects. `before` may give the values to undo to (a drag knows where
   * things started; by the time it ends the view already shows where they are).
   * @param {Array<[string, Record<string, any>]>} changes
   * @param {{record?: boolean, merge?: boolean, before?: Map<string, Record<string, any>>}} [options]
   */
  change(changes, { record = true, merge = false, before } = {}) {
    /** @type {Op[]} */
    const undo = [];
    /** @type {Op[]} */
    const redo = [];
    for (const [id, props] of changes) {
      const current = this.replica.get(id);
      if (!current) continue;
      const earlier = before?.get(id) ?? Object.fromEntries(Object.keys(props).map((key) => [key, current[key]]));
      redo.push(update(id, props));
      undo.push(update(id, earlier));
    }
    if (!redo.length) return false;
    if (!this.submit(redo, { merge })) return false;
    if (record) this.history.push({ undo, redo, ids: changes.map(([id]) => id) });
    return true;
  }

  /**
   * Remove objects. Undo puts them back with the same ids, with this person's own comments
   * on them (others' comments went with them, and are not ours to recreate).
   * @param {string[]} ids @param {{record?: boolean}} [options]
   */
  remove(ids, { record = true } = {}) {
    const present = ids.filter((id) => this.replica.get(id));
    if (!present.length) return false;
    const gone = new Set(present);
    /** @type {BoardObject[]} */
    // Originals before their copies: a restored copy names its original, which must be back first.
    const restore = present
      .map((id) => creatable(/** @type {BoardObject} */ (this.replica.get(id))))
      .sort((a, b) => Number(Boolean(a.origin)) - Number(Boolean(b.origin)));
    for (const obj of this.replica.view.values()) {
      const mine = this.replica.mine.has(obj.id);
      if (obj.type === "comment" && mine && gone.has(obj.target) && !gone.has(obj.id)) restore.push(creatable(obj));
    }
    for (const obj of this.replica.view.values()) {
      const mine = this.replica.mine.has(obj.id);
      if (obj.type === "comment" && mine && restore.some((r) => r.id === obj.parent)) restore.push(creatable(obj));
    }
    const ops = present.map((id) => remove(id));
    if (!this.submit(ops)) return false;
    if (record) this.history.push({ undo: restore.map((obj) => create(obj)), redo: ops, ids: present });
    return true;
  }

  /** Bring to the front or send to the back, keeping their order among themselves. @param {string[]} ids @param {"front" | "back"} where */
  reorder(ids, where) {
    const placed = ids.map((id) => this.replica.get(id)).filter((obj) => obj && typeof obj.z === "string");
    placed.sort((a, b) => (a.z < b.z ? -1 : a.z > b.z ? 1 : 0));
    const keys = keysAt(this.replica.view.values(), placed.length, where);
    return this.change(placed.map((obj, i) => [obj.id, { z: keys[i] }]));
  }

  /** Undo the last step. @returns {string[] | null} the ids it touched */
  undo() {
    const step = this.history.undo((id) => this.replica.view.has(id));
    if (!step) return null;
    this.submit(step.ops);
    return step.ids;
  }

  /** @returns {string[] | null} */
  redo() {
    const step = this.history.redo((id) => this.replica.view.has(id));
    if (!step) return null;
    this.submit(step.ops);
    return step.ids;
  }

  /** A key above everything, for an object made outside `create`. */
  top() {
    return topKey(this.replica.view.values());
  }
}
