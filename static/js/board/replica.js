// The board as this person sees it: the server's state, applied in seq order, with this
// person's own unacknowledged ops (the outbox) laid on top, per property.
//
// Two layers, because the server decides:
//   confirmed  what the server committed, exactly as it told us (snapshot + ops frames);
//   view       confirmed, then every pending op replayed over it in order.
// When the server confirms or refuses one of our ops, the op leaves the outbox and the objects
// it touched are recomputed from `confirmed`: an accepted change stays (the server's copy now
// has it), a refused one disappears, which is the visible rollback. Someone else's change to
// a property we have a pending change to is overlaid by ours until the server has ordered both:
// last writer wins per property, never per object (docs/protocol.md promise 4).

import { normalise } from "../protocol.js";
import { changed, inLanguage } from "./translations.js";

/**
 * @typedef {import("../protocol.js").BoardObject} BoardObject
 * @typedef {import("../protocol.js").Op} Op
 * @typedef {import("../protocol.js").WireItem} WireItem
 * @typedef {import("./outbox.js").Outbox} Outbox
 * @typedef {{ids: Set<string>, reset?: boolean}} ObjectsDetail
 */

/** Board settings at their defaults (board/core/model.py, Settings). */
export const DEFAULT_SETTINGS = Object.freeze({
  title: "",
  locked: false,
  closed: false,
  private_mode: false,
  voting: false,
  votes_shown: false,
  vote_budget: 3,
  cursors: true,
  timer: null,
});

/** The object ids an op touches. @param {Op} op @returns {string[]} */
export function touched(op) {
  switch (op.kind) {
    case "create":
      return [op.obj.id];
    case "update":
    case "delete":
      return [op.id];
    case "batch":
      return op.ops.flatMap(touched);
    default:
      return [];
  }
}

/**
 * One pending op applied to one object (undefined: absent). A create over an object the server
 * already has is a resend the server will ack or refuse: the server's copy stands.
 * @param {BoardObject | undefined} obj @param {string} id @param {Op} op
 * @param {boolean} confirmed whether the server has this object
 * @returns {BoardObject | undefined}
 */
export function applyPending(obj, id, op, confirmed) {
  switch (op.kind) {
    case "create":
      if (op.obj.id !== id || confirmed) return obj;
      return obj ?? normalise({ ...op.obj });
    case "update":
      if (op.id !== id || !obj) return obj;
      return changed(obj, op.props);
    case "delete":
      return op.id === id ? undefined : obj;
    case "batch":
      return op.ops.reduce((current, sub) => applyPending(current, id, sub, confirmed), obj);
    default:
      return obj;
  }
}

export class Replica extends EventTarget {
  /**
   * @param {Outbox} outbox
   * @param {string} [lang] the reader's language: objects that carry their words in each
   *   language (a bilingual template's prompt and frames) show them in this one
   */
  constructor(outbox, lang = "en") {
    super();
    this.outbox = outbox;
    this.lang = lang;
    /** The last seq applied; -1 before the first snapshot. */
    this.seq = -1;
    /** @type {Map<string, BoardObject>} */
    this.confirmed = new Map();
    /** @type {Map<string, BoardObject>} */
    this.view = new Map();
    /** @type {Record<string, any>} */
    this.confirmedSettings = { ...DEFAULT_SETTINGS };
    /** @type {Record<string, any>} */
    this.settings = { ...DEFAULT_SETTINGS };
    /** Ids of objects this person made (from `welcome.mine`, then their own creates). */
    this.mine = new Set();
  }

  get ready() {
    return this.seq >= 0;
  }

  /** @param {string} id */
  get(id) {
    return this.view.get(id);
  }

  // -- from the server ---------------------------------------------------------------------

  /** A snapshot replaces everything we had confirmed. @param {{seq: number, settings: object, objects: BoardObject[]}} frame */
  snapshot(frame) {
    const before = new Set(this.view.keys());
    this.confirmed = new Map(frame.objects.map((obj) => [obj.id, normalise(obj)]));
    this.confirmedSettings = { ...DEFAULT_SETTINGS, ...frame.settings };
    this.seq = frame.seq;
    this.rebuild(before);
  }

  /**
   * This person's own private objects, sent after a shared (compressed) snapshot and the ops
   * bringing it to `seq`, which leave them out: each replaces any copy we have.
   * @param {{seq: number, objects: BoardObject[]}} frame
   */
  own(frame) {
    if (frame.seq !== this.seq) return; // only ever sent at the seq just reached
    const ids = new Set();
    for (const obj of frame.objects) {
      this.confirmed.set(obj.id, normalise(obj));
      ids.add(obj.id);
    }
    this.recompute(ids);
  }

  /**
   * Apply an `ops` frame. Returns "gap" when it does not follow on from our seq: the caller
   * reconnects with `since`, which repairs it (docs/protocol.md, "Server -> client").
   * @param {{from: number, to: number, ops: Array<{seq: number, changes: WireItem[]}>}} frame
   * @returns {"ok" | "gap" | "stale"}
   */
  applyOps(frame) {
    if (frame.to <= this.seq) return "stale";
    if (frame.from > this.seq + 1) return "gap";
    const ids = new Set();
    let settingsChanged = false;
    for (const entry of frame.ops) {
      if (entry.seq <= this.seq) continue;
      for (const change of entry.changes) {
        if (change.op === "settings") {
          this.confirmedSettings = { ...this.confirmedSettings, ...change.props };
          settingsChanged = true;
        } else if (change.op === "put") {
          this.confirmed.set(change.obj.id, normalise(change.obj));
          ids.add(change.obj.id);
        } else if (change.op === "patch") {
          const current = this.confirmed.get(change.id);
          if (current) this.confirmed.set(change.id, { ...current, ...change.props });
          ids.add(change.id);
        } else if (change.op === "del") {
          this.confirmed.delete(change.id);
          ids.add(change.id);
        }
      }
    }
    this.seq = frame.to;
    this.recompute(ids);
    if (settingsChanged) this.recomputeSettings();
    return "ok";
  }

  /** The server committed these ops of ours. @param {Record<string, number>} acks */
  ack(acks) {
    const ids = new Set();
    let settingsChanged = false;
    for (const opId of Object.keys(acks)) {
      const entry = this.outbox.remove(opId);
      if (!entry) continue;
      for (const id of touched(entry.op)) ids.add(id);
      settingsChanged ||= entry.op.kind === "settings";
    }
    this.recompute(ids);
    if (settingsChanged) this.recomputeSettings();
  }

  /**
   * The server refused one of our ops: drop it and show the board without it.
   * @param {string} opId @returns {Op | undefined} the op refused
   */
  refuse(opId) {
    const entry = this.outbox.remove(opId);
    if (!entry) return undefined;
    this.recompute(new Set(touched(entry.op)));
    if (entry.op.kind === "settings") this.recomputeSettings();
    return entry.op;
  }

  /** @param {string[]} ids */
  welcome(ids) {
    this.mine = new Set(ids);
    for (const entry of this.outbox.entries) {
      if (entry.op.kind === "create") this.mine.add(entry.op.obj.id);
      if (entry.op.kind === "batch") {
        for (const sub of entry.op.ops) if (sub.kind === "create") this.mine.add(sub.obj.id);
      }
    }
  }

  // -- from this person --------------------------------------------------------------------

  /**
   * Apply an op at once and queue it for the server.
   * @param {string} opId @param {Op} op @param {{merge?: boolean}} [options]
   * @returns {string} the outbox entry's id
   */
  submit(opId, op, options = {}) {
    const held = this.outbox.add(opId, op, options);
    if (op.kind === "create") this.mine.add(op.obj.id);
    if (op.kind === "batch") for (const sub of op.ops) if (sub.kind === "create") this.mine.add(sub.obj.id);
    this.recompute(new Set(touched(op)));
    if (op.kind === "settings") this.recomputeSettings();
    return held;
  }

  // -- the view ----------------------------------------------------------------------------

  /** Recompute everything (after a snapshot, or when the outbox was loaded). @param {Set<string>} [also] */
  rebuild(also = new Set()) {
    const ids = new Set([...also, ...this.confirmed.keys()]);
    for (const entry of this.outbox.entries) for (const id of touched(entry.op)) ids.add(id);
    this.view = new Map();
    this.recompute(ids, true);
    this.recomputeSettings();
  }

  /** @param {Set<string>} ids @param {boolean} [reset] */
  recompute(ids, reset = false) {
    if (ids.size === 0 && !reset) return;
    const pending = this.outbox.entries.filter((entry) => touched(entry.op).some((id) => ids.has(id)));
    for (const id of ids) {
      const confirmed = this.confirmed.get(id);
      let obj = confirmed;
      for (const entry of pending) obj = applyPending(obj, id, entry.op, confirmed !== undefined);
      if (obj) this.view.set(id, inLanguage(obj, this.lang));
      else this.view.delete(id);
    }
    this.dispatchEvent(new CustomEvent("objects", { detail: { ids, reset } }));
  }

  recomputeSettings() {
    let settings = this.confirmedSettings;
    for (const entry of this.outbox.entries) {
      if (entry.op.kind === "settings") settings = { ...settings, ...entry.op.props };
    }
    this.settings = settings;
    this.dispatchEvent(new CustomEvent("settings", { detail: settings }));
  }
}
