// Stacking order: objects are drawn sorted by (z, id), z being a fractional key
// (board/core/ordering.py). Bringing something to the front gives it a key after the largest,
// so only that object changes and two people reordering at once never rewrite each other.

import { generateKeyBetween, generateNKeysBetween } from "../vendor/fractional-indexing.js";

/** @typedef {import("../protocol.js").BoardObject} BoardObject */

/** Drawing order, the same on every client. @param {BoardObject} a @param {BoardObject} b */
export function compare(a, b) {
  const za = a.z ?? "a0";
  const zb = b.z ?? "a0";
  if (za !== zb) return za < zb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The lowest and highest keys in use. @param {Iterable<BoardObject>} objects */
export function extremes(objects) {
  /** @type {string | null} */
  let low = null;
  /** @type {string | null} */
  let high = null;
  for (const obj of objects) {
    if (typeof obj.z !== "string") continue;
    if (low === null || obj.z < low) low = obj.z;
    if (high === null || obj.z > high) high = obj.z;
  }
  return { low, high };
}

/** A key above everything: new objects land on top. @param {Iterable<BoardObject>} objects */
export function topKey(objects) {
  return generateKeyBetween(extremes(objects).high, null);
}

/**
 * New keys for `count` objects brought to the front (or sent to the back), keeping their order
 * among themselves.
 * @param {Iterable<BoardObject>} objects everything on the board @param {number} count
 * @param {"front" | "back"} where
 */
export function keysAt(objects, count, where) {
  const { low, high } = extremes(objects);
  return where === "front" ? generateNKeysBetween(high, null, count) : generateNKeysBetween(null, low, count);
}

/**
 * Index at which `obj` belongs in `sorted` (ascending by `compare`).
 * @param {BoardObject[]} sorted @param {BoardObject} obj
 */
export function insertionIndex(sorted, obj) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (compare(sorted[mid], obj) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
