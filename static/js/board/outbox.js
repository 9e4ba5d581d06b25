// The outbox: every op this person made that the server has not acknowledged yet, in the order
// they were made. It is the replica's "pending" layer and what the connection (re)sends.
//
// Why it is persisted: an op lives here until its `ack` (which the server sends only after the
// op is committed, docs/protocol.md promise 2). Keeping the list in localStorage, per board,
// means a reload, a crash or a closed laptop lid loses nothing: the next page load resends the
// same ops with the same ids, and the server acks ones it already committed without applying
// them twice. Exactly once, by op id.

/**
 * @typedef {import("../protocol.js").Op} Op
 * @typedef {{id: string, op: Op, sent: number}} Entry
 *   `sent`: the connection generation it was last sent on (0: never sent on this page).
 */

export const MAX_OUTBOX_OPS = 2000;
/** Ops waiting at once. Offline typing and dragging coalesce (see `add`), so reaching this
 * takes hours of offline work; past it new edits are refused rather than silently dropped. */

const KEY_PREFIX = "board-outbox:";

export class Outbox {
  /** @param {string} board @param {Storage | null} [storage] */
  constructor(board, storage = safeStorage()) {
    this.key = KEY_PREFIX + board;
    this.storage = storage;
    /** @type {Entry[]} */
    this.entries = [];
    /** Whether the last save reached the device's storage (false: only in this tab's memory). */
    this.persisted = true;
    this.load();
  }

  load() {
    if (!this.storage) return;
    try {
      const raw = this.storage.getItem(this.key);
      const saved = raw ? JSON.parse(raw) : [];
      // Sent by an earlier page, maybe committed: never merged into, always resent.
      this.entries = Array.isArray(saved) ? saved.map((e) => ({ id: e.id, op: e.op, sent: -1 })) : [];
    } catch {
      this.entries = [];
    }
  }

  save() {
    if (!this.storage) {
      this.persisted = false;
      return;
    }
    try {
      if (this.entries.length === 0) this.storage.removeItem(this.key);
      else this.storage.setItem(this.key, JSON.stringify(this.entries.map(({ id, op }) => ({ id, op }))));
      this.persisted = true;
    } catch {
      this.persisted = false; // quota or privacy mode: keep going in memory, the status says so
    }
  }

  get size() {
    return this.entries.length;
  }

  get full() {
    return this.entries.length >= MAX_OUTBOX_OPS;
  }

  /**
   * Queue an op. With `merge`, an update of the same object as the last entry, if that entry
   * never left this page, is folded into it: a drag or a typing burst made offline becomes one
   * op. Only the last entry is ever merged into, so the order of effects is kept.
   * @param {string} id @param {Op} op @param {{merge?: boolean}} [options]
   * @returns {string} the id of the entry now holding the op
   */
  add(id, op, { merge = false } = {}) {
    const last = this.entries[this.entries.length - 1];
    if (merge && last && last.sent === 0 && op.kind === "update") {
      if (last.op.kind === "update" && last.op.id === op.id) {
        last.op = { ...last.op, props: { ...last.op.props, ...op.props } };
        this.save();
        return last.id;
      }
      if (last.op.kind === "create" && last.op.obj.id === op.id) {
        last.op = { ...last.op, obj: { ...last.op.obj, ...op.props } };
        this.save();
        return last.id;
      }
    }
    this.entries.push({ id, op, sent: 0 });
    this.save();
    return id;
  }

  /** @param {string} id @returns {Entry | undefined} the entry removed */
  remove(id) {
    const index = this.entries.findIndex((entry) => entry.id === id);
    if (index < 0) return undefined;
    const [entry] = this.entries.splice(index, 1);
    this.save();
    return entry;
  }

  /** @param {string} id */
  has(id) {
    return this.entries.some((entry) => entry.id === id);
  }

  /** Entries not yet sent on connection `generation`, oldest first. @param {number} generation */
  unsent(generation) {
    return this.entries.filter((entry) => entry.sent !== generation);
  }
}

/** localStorage when the browser lets us use it (it may throw in privacy modes). */
function safeStorage() {
  try {
    const storage = globalThis.localStorage;
    const probe = "board-probe";
    storage.setItem(probe, "1");
    storage.removeItem(probe);
    return storage;
  } catch {
    return null;
  }
}
