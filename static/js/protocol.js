// The wire, as the browser speaks it: message builders, frozen name tables and the client-side
// checks that mirror board/core/protocol.py and board/core/model.py. The bounds themselves come
// from the page's config block (board/core/limits.py), never from numbers written here.

/**
 * @typedef {{type: string, id: string, x?: number, y?: number, z?: string, [key: string]: any}} BoardObject
 * @typedef {{kind: "create", obj: BoardObject}} CreateOp
 * @typedef {{kind: "update", id: string, props: Record<string, any>}} UpdateOp
 * @typedef {{kind: "delete", id: string}} DeleteOp
 * @typedef {{kind: "batch", ops: Array<CreateOp | UpdateOp | DeleteOp>}} BatchOp
 * @typedef {{kind: "settings", props: Record<string, any>}} SettingsOp
 * @typedef {CreateOp | UpdateOp | DeleteOp | BatchOp | SettingsOp} Op
 * @typedef {{op: "put", obj: BoardObject} | {op: "patch", id: string, props: Record<string, any>}
 *   | {op: "del", id: string} | {op: "settings", props: Record<string, any>}} WireItem
 * @typedef {Record<string, number>} Limits
 */

/** Client -> server message types. */
export const CLIENT = Object.freeze({ HELLO: "hello", OP: "op", CURSOR: "cursor", SIGNAL: "signal" });

/** Server -> client message types. */
export const SERVER = Object.freeze({
  WELCOME: "welcome",
  SNAPSHOT: "snapshot",
  OWN: "own",
  OPS: "ops",
  ACK: "ack",
  ERROR: "error",
  PRESENCE: "presence",
  CURSORS: "cursors",
  SIGNAL: "signal",
});

/** Close codes the client treats specially (docs/protocol.md, "Close codes"). */
export const CLOSE = Object.freeze({
  NORMAL: 1000,
  POLICY: 1008,
  TOO_BIG: 1009,
  RESTARTING: 1012,
  WORKSHOP_DELETED: 4410,
});

/** Error codes after which reconnecting cannot help. */
export const FATAL_ERRORS = Object.freeze(new Set(["unauthorized", "protocol_version"]));

export const NOTE_COLOURS = Object.freeze(["yellow", "orange", "pink", "purple", "blue", "green", "grey", "white"]);
export const SHAPE_KINDS = Object.freeze(["rect", "ellipse", "diamond", "line", "arrow"]);
export const LINE_KINDS = Object.freeze(new Set(["line", "arrow"]));
export const PLACED_TYPES = Object.freeze(new Set(["note", "shape", "stroke", "text", "frame", "definition"]));

/** What the server leaves out of an object when it is at its default (model.py, omit_defaults). */
export const DEFAULTS = Object.freeze({
  note: Object.freeze({ z: "a0", w: 200, h: 200, text: "", color: "yellow", category: null, groups: [] }),
  shape: Object.freeze({ z: "a0", kind: "rect", w: 160, h: 100, fill: null, stroke: "#1f2937", text: "" }),
  stroke: Object.freeze({ z: "a0", width: 3, color: "#1f2937" }),
  text: Object.freeze({ z: "a0", text: "", texts: null, w: 240, size: 20, color: "#111827" }),
  frame: Object.freeze({ z: "a0", w: 800, h: 600, title: "", titles: null, category: null }),
  definition: Object.freeze({ z: "a0", w: 360, h: 320, definition: "", why: "", excellent: "" }),
  comment: Object.freeze({ target: null, parent: null, x: null, y: null, resolved: false }),
  vote: Object.freeze({}),
});
const COMMON = Object.freeze({ private: false, hidden: false, created: 0 });

/** Fields only the server sets: never sent in a create (undo of a delete strips them). */
export const SERVER_FIELDS = Object.freeze(["created", "private", "hidden", "groups"]);

/**
 * An object with every default filled in, so rendering and undo never guess.
 * @param {BoardObject} obj
 * @returns {BoardObject}
 */
export function normalise(obj) {
  const defaults = /** @type {Record<string, any>} */ (DEFAULTS)[obj.type] ?? {};
  return { ...COMMON, ...defaults, ...obj };
}

/** @param {number} v @param {string} board @param {number | null} since */
export function hello(v, board, since) {
  /** @type {Record<string, any>} */
  const message = { type: CLIENT.HELLO, v, board };
  if (since !== null && since >= 0) message.since = since;
  if (CAN_INFLATE) message.compressed = true;
  return message;
}

/** The browser can inflate a compressed snapshot (docs/protocol.md, "Compressed snapshots"). */
const CAN_INFLATE = typeof DecompressionStream === "function";

/**
 * A server message from a websocket frame: text is JSON; the one binary frame the server
 * sends is a compressed snapshot, inflated here (asynchronously, hence the promise).
 * @param {string | ArrayBuffer} data
 * @returns {any | Promise<any>} the message, or a promise of it; undefined if unreadable
 */
function readFrame(data) {
  if (typeof data === "string") {
    try {
      return JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  const inflated = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Response(inflated)
    .text()
    .then((text) => JSON.parse(text))
    .catch(() => undefined);
}

/**
 * A socket's reader: `receive` gets each server message in the order the frames came, though a
 * compressed snapshot inflates asynchronously (the frames after it wait their turn behind it).
 * One reader per socket.
 * @param {(message: any) => void} receive
 * @returns {(data: string | ArrayBuffer) => void}
 */
export function frameReader(receive) {
  /** @type {Promise<void> | null} */
  let inflating = null;
  return (data) => {
    const read = readFrame(data);
    if (inflating === null && !(read instanceof Promise)) {
      if (read !== undefined) receive(read);
      return;
    }
    const turn = (inflating ?? Promise.resolve())
      .then(() => read)
      .then((message) => {
        if (message !== undefined) receive(message);
      })
      .catch((error) => console.error(error));
    inflating = turn;
    turn.finally(() => {
      if (inflating === turn) inflating = null;
    });
  };
}

/** @param {string} id @param {Op} op */
export function opMessage(id, op) {
  return { type: CLIENT.OP, id, op };
}

/** @param {number | null} x @param {number | null} y */
export function cursorMessage(x, y) {
  return { type: CLIENT.CURSOR, x, y };
}

/** @param {BoardObject} obj @returns {CreateOp} */
export const create = (obj) => ({ kind: "create", obj });
/** @param {string} id @param {Record<string, any>} props @returns {UpdateOp} */
export const update = (id, props) => ({ kind: "update", id, props });
/** @param {string} id @returns {DeleteOp} */
export const remove = (id) => ({ kind: "delete", id });
/** @param {Array<CreateOp | UpdateOp | DeleteOp>} ops @returns {Op} */
export const batch = (ops) => (ops.length === 1 ? ops[0] : { kind: "batch", ops });

/** A fresh id for an object or an op: unique per participant across reloads. */
export function newId() {
  return crypto.randomUUID();
}

/** Text is counted in Unicode code points on the server (Python len). */
export function textLength(/** @type {string} */ text) {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** The bound on an object's text field, by type and field. */
export function textLimit(/** @type {Limits} */ limits, /** @type {string} */ type, field = "text") {
  if (type === "note" || type === "definition") return limits.max_note_text;
  if (type === "shape") return limits.max_label_text;
  if (type === "comment") return limits.max_comment_text;
  if (type === "frame" || field === "title") return limits.max_title_text;
  return limits.max_text_text;
}

/** Keep a coordinate inside the board's finite range. */
export function clampCoord(/** @type {Limits} */ limits, /** @type {number} */ value) {
  const max = limits.max_coordinate;
  return Math.max(-max, Math.min(max, Math.round(value * 100) / 100));
}

/**
 * Why a message would be refused before it leaves, or null: the same rules the server applies
 * to size and batch length, so a person hears about it at once rather than after a round trip.
 * @param {Limits} limits
 * @param {Record<string, any>} message
 * @returns {string | null} an i18n key
 */
export function checkMessage(limits, message) {
  const bytes = new TextEncoder().encode(JSON.stringify(message)).length;
  if (bytes > limits.max_frame_bytes) return "error.too_large";
  const op = message.op;
  if (op && op.kind === "batch" && op.ops.length > limits.max_batch_ops) return "error.too_many";
  return null;
}
