// Who else is here: a count of people on the board, and their live cursors, each labelled
// with its anonymous name ("Teal Heron"), never a person's own. The facilitator can switch
// participants' view of cursors off (the `cursors` setting); ours is sent about 20 times a
// second at most and never stored by the server.

import { el, setText, svg } from "../dom.js";
import { tn } from "../i18n.js";
import { displayName } from "../names.js";
import { cursorMessage } from "../protocol.js";

/**
 * What presence uses of the board, and nothing else.
 * @typedef {object} PresenceBoard
 * @property {string} role facilitators always see cursors
 * @property {Record<string, number>} limits max_coordinate, for the cursor sent
 * @property {import("./sync.js").Connection} connection who is here, their cursors; ours is sent on it
 * @property {import("./replica.js").Replica} replica its settings may hide cursors
 * @property {import("./viewport.js").Viewport} viewport places the cursors on the screen
 * @property {import("./input.js").Input} input where this person's pointer is
 */

export const CURSOR_MS = 50;
/** Our cursor is sent at most this often (the server relays every 50 ms). */
const HUES = ["#b91c1c", "#1d4ed8", "#047857", "#7c3aed", "#c2410c", "#0e7490", "#be185d", "#4d7c0f"];

/** A colour for a cursor id, the same on every screen. @param {string} cid */
function hue(cid) {
  let hash = 0;
  for (const ch of cid) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  return HUES[Math.abs(hash) % HUES.length];
}

export class Presence {
  /** @param {PresenceBoard} board @param {HTMLElement} layer @param {HTMLElement} counter */
  constructor(board, layer, counter) {
    this.board = board;
    this.layer = layer;
    this.counter = counter;
    /** @type {Map<string, string>} cid -> name */
    this.people = new Map();
    /** @type {Map<string, {x: number, y: number, node: HTMLElement}>} */
    this.cursors = new Map();
    this.me = "";
    this.count = 0;
    /** @type {[number, number] | null} */
    this.pending = null;
    this.lastSent = 0;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
    const { connection, viewport, input } = board;
    connection.addEventListener("welcome", (event) => {
      const welcome = /** @type {CustomEvent} */ (event).detail;
      this.me = welcome.you.cid;
      this.people = new Map(welcome.people.map((/** @type {{cid: string, name: string}} */ p) => [p.cid, p.name]));
      this.clearCursors();
      this.setCount(this.people.size);
    });
    connection.addEventListener("presence", (event) => {
      const { count, joined, left } = /** @type {CustomEvent} */ (event).detail;
      for (const person of joined) {
        // A cid we know, joined again: the person chose a name, or went back to theirs.
        this.people.set(person.cid, person.name);
        const label = this.cursors.get(person.cid)?.node.querySelector(".cursor-name");
        if (label) setText(label, displayName(person.name));
      }
      for (const cid of left) {
        this.people.delete(cid);
        this.removeCursor(cid);
      }
      this.setCount(count);
    });
    connection.addEventListener("cursors", (event) => this.moved(/** @type {CustomEvent} */ (event).detail));
    connection.addEventListener("status", (event) => {
      if (/** @type {CustomEvent} */ (event).detail.state !== "online") this.clearCursors();
    });
    board.replica.addEventListener("settings", () => {
      if (!this.visible()) this.clearCursors();
    });
    viewport.addEventListener("frame", () => this.draw());
    input.addEventListener("pointer", (event) => this.track(/** @type {CustomEvent} */ (event).detail));
  }

  /** Whether this person may see others' cursors now. */
  visible() {
    return this.board.role === "facilitator" || this.board.replica.settings.cursors !== false;
  }

  /** @param {number} count */
  setCount(count) {
    this.count = count;
    setText(this.counter, tn("board.people", count));
    this.counter.dataset.count = String(count);
  }

  /** @param {{moved: Array<[string, number, number]>, gone: string[]}} frame */
  moved({ moved, gone }) {
    for (const cid of gone) this.removeCursor(cid);
    if (!this.visible()) return;
    for (const [cid, x, y] of moved) {
      if (cid === this.me) continue;
      let cursor = this.cursors.get(cid);
      if (!cursor) {
        const node = el("div", { class: "cursor", "data-cid": cid, "aria-hidden": "true" });
        node.style.setProperty("--cursor-colour", hue(cid));
        const arrow = svg("svg", { class: "cursor-arrow", viewBox: "0 0 18 20" });
        arrow.append(svg("path", { d: "M1 1l15 8-6.5 1.8L7 18z" }));
        node.append(arrow, el("span", { class: "cursor-name" }, displayName(this.people.get(cid) ?? "")));
        this.layer.append(node);
        cursor = { x, y, node };
        this.cursors.set(cid, cursor);
      }
      cursor.x = x;
      cursor.y = y;
      this.place(cursor);
    }
  }

  /** @param {{x: number, y: number, node: HTMLElement}} cursor */
  place(cursor) {
    const [sx, sy] = this.board.viewport.toScreen(cursor.x, cursor.y);
    cursor.node.style.transform = `translate(${Math.round(sx)}px, ${Math.round(sy)}px)`;
  }

  draw() {
    for (const cursor of this.cursors.values()) this.place(cursor);
  }

  /** @param {string} cid */
  removeCursor(cid) {
    this.cursors.get(cid)?.node.remove();
    this.cursors.delete(cid);
  }

  clearCursors() {
    for (const cid of [...this.cursors.keys()]) this.removeCursor(cid);
  }

  /** Our pointer moved (world point) or left the canvas (null). @param {[number, number] | null} point */
  track(point) {
    this.pending = point;
    const wait = CURSOR_MS - (performance.now() - this.lastSent);
    if (wait <= 0) this.send();
    else if (!this.timer) this.timer = setTimeout(() => this.send(), wait);
  }

  send() {
    this.timer = null;
    this.lastSent = performance.now();
    const point = this.pending;
    const limit = this.board.limits.max_coordinate;
    const clamp = (/** @type {number} */ v) => Math.max(-limit, Math.min(limit, Math.round(v)));
    this.board.connection.sendVolatile(point ? cursorMessage(clamp(point[0]), clamp(point[1])) : cursorMessage(null, null));
  }
}
