// Copy, cut, paste and duplicate. Copies go to the system clipboard twice over: as plain text
// (the notes' words, for pasting into an email) and in our own format (the objects, for
// pasting onto this or another board). Pasting plain text makes notes: one per paragraph.
// A duplicate, or a paste onto the board it was copied from, names what it copies (`origin`);
// pasted onto another board of the same workshop, a copy names the object on the board it came
// from (`origin: {id, board}`, the board's number). The server checks either and resolves it to
// the original, and the record counts the two as one contribution (docs/categories.md). Pasted
// into another workshop, a copy is a note of its own.

import { t, tn } from "../i18n.js";
import { PLACED_TYPES, newId, textLength } from "../protocol.js";
import { bounds, intersects, union } from "./geometry.js";
import { creatable } from "./history.js";

/**
 * What copy, cut, paste and duplicate use of the board, and nothing else.
 * @typedef {object} ClipboardBoard
 * @property {{board: string, number?: number, workshop?: {id: string}}} config this board's id and
 *   number and its workshop's id: where a copy came from, and whether a paste is from here or
 *   from another board of the same workshop
 * @property {Record<string, number>} limits max_note_text
 * @property {import("./replica.js").Replica} replica whether a copy's original is still on the board (the copy names it)
 * @property {import("./selection.js").Selection} selection what is copied; what was pasted
 * @property {import("./viewport.js").Viewport} viewport pasted text lands in the middle of the view
 * @property {import("./actions.js").Actions} actions creates the copies
 * @property {import("./choices.js").Choices} choices the colour of notes made from pasted text
 * @property {() => boolean} canEdit whether this person may change the board now
 * @property {() => void} removeSelection cut removes what was copied
 * @property {(text: string, kind?: "info" | "error") => void} notify says what was copied or pasted
 * @property {(v: number) => number} clampCoord keeps a coordinate within the board's limit
 */

/**
 * @typedef {import("../protocol.js").BoardObject} BoardObject
 */

export const FORMAT = "application/x-workshop-board";
const DUPLICATE_OFFSET = 24;
export const MAX_PASTED_NOTES = 50;
/** Paragraphs of pasted text turned into notes at once; the rest is left out, and we say so. */

export class Clipboard {
  /** @param {ClipboardBoard} board */
  constructor(board) {
    this.board = board;
    /** What was copied last, kept here too in case the system clipboard is not ours to read. @type {BoardObject[]} */
    this.copied = [];
    this.pastes = 0;
    this.pastedKey = "";
    document.addEventListener("copy", (e) => this.onCopy(e, false));
    document.addEventListener("cut", (e) => this.onCopy(e, true));
    document.addEventListener("paste", (e) => this.onPaste(e));
  }

  /** The selected objects that can be copied. */
  chosen() {
    return this.board.selection.objects().filter((obj) => PLACED_TYPES.has(obj.type)).map(creatable);
  }

  /** @param {ClipboardEvent} e @param {boolean} cut */
  onCopy(e, cut) {
    if (!this.owns(e)) return;
    const objects = this.chosen();
    if (!objects.length) return;
    e.preventDefault();
    this.copied = objects;
    const words = objects.map((obj) => obj.text ?? obj.title ?? "").filter(Boolean).join("\n\n");
    e.clipboardData?.setData("text/plain", words);
    const { config } = this.board;
    const from = this.sources(cut);
    e.clipboardData?.setData(
      FORMAT,
      JSON.stringify({ v: 1, board: config.board, workshop: config.workshop?.id, number: config.number, objects, from }),
    );
    this.board.notify(tn("board.clipboard.copied", objects.length));
    if (cut && this.board.canEdit()) this.board.removeSelection();
  }

  /** @param {ClipboardEvent} e */
  onPaste(e) {
    if (!this.owns(e) || !this.board.canEdit()) return;
    const data = e.clipboardData;
    const ours = data?.getData(FORMAT);
    e.preventDefault();
    if (ours) {
      try {
        const parsed = JSON.parse(ours);
        if (Array.isArray(parsed.objects)) {
          const objects = parsed.objects.filter((/** @type {any} */ obj) => obj && PLACED_TYPES.has(obj.type));
          const { config } = this.board;
          const here = parsed.board === config.board;
          const sameWorkshop = Boolean(config.workshop?.id) && parsed.workshop === config.workshop.id;
          this.place(objects, here, !here && sameWorkshop ? acrossFrom(parsed.from) : null);
          return;
        }
      } catch {
        // not ours after all: fall through to the text
      }
    }
    const text = data?.getData("text/plain") ?? "";
    if (text.trim()) this.pasteText(text);
    else if (this.copied.length) this.place(this.copied, true);
  }

  /** Whether a clipboard event is the board's (not a text field's). @param {ClipboardEvent} e */
  owns(e) {
    const target = /** @type {HTMLElement} */ (e.target);
    if (target.closest?.("textarea, input, [contenteditable]")) return false;
    return Boolean(target.closest?.(".board-main")) || target === document.body;
  }

  /**
   * What each selected object's copy names when pasted onto another board of the workshop, by
   * id: the object itself on this board; once cut (it is about to go), the original it copies
   * when that is not going with it, else nothing (the pasted note stands for itself).
   * @param {boolean} cut @returns {Record<string, {id: string, board: number}>}
   */
  sources(cut) {
    const number = this.board.config.number;
    /** @type {Record<string, {id: string, board: number}>} */
    const from = {};
    if (typeof number !== "number") return from;
    const chosen = this.board.selection.objects().filter((obj) => PLACED_TYPES.has(obj.type));
    const going = new Set(chosen.map((obj) => obj.id));
    for (const obj of chosen) {
      if (!cut) {
        from[obj.id] = { id: obj.id, board: number };
        continue;
      }
      const root = obj.origin;
      if (!root) continue;
      const board = typeof root.board === "number" ? root.board : number;
      if (board === number && going.has(root.id)) continue;
      from[obj.id] = { id: root.id, board };
    }
    return from;
  }

  /**
   * Paste copies beside their originals when those are in view (each paste a step further, so
   * repeated pastes fan out), otherwise in the middle of the view.
   * @param {BoardObject[]} objects @param {boolean} here copied from this board
   * @param {Map<string, {id: string, board: number}> | null} [across] what each copies on the
   *   other board of this workshop it was copied from
   */
  place(objects, here, across = null) {
    const box = union(objects.map(bounds));
    if (!box) return;
    const key = JSON.stringify(objects.map((obj) => obj.id));
    this.pastes = key === this.pastedKey ? this.pastes + 1 : 1;
    this.pastedKey = key;
    const { viewport } = this.board;
    if (intersects(box, viewport.visible(0))) {
      const step = DUPLICATE_OFFSET * this.pastes;
      this.copy(objects, step, step, here, across);
    } else {
      this.copy(objects, viewport.x - (box.x + box.w / 2), viewport.y - (box.y + box.h / 2), here, across);
    }
  }

  /** Copies of the selection, a little down and to the right. */
  duplicate() {
    if (!this.board.canEdit()) return;
    const objects = this.chosen();
    if (objects.length) this.copy(objects, DUPLICATE_OFFSET, DUPLICATE_OFFSET, true);
  }

  /**
   * Copies placed dx, dy from the originals; `here` when those are on this board, so each copy
   * names the one it copies (the server finds the original from there); `across` names them
   * on another board of this workshop.
   * @param {BoardObject[]} objects @param {number} dx @param {number} dy @param {boolean} here
   * @param {Map<string, {id: string, board: number}> | null} [across]
   */
  copy(objects, dx, dy, here, across = null) {
    const { board } = this;
    const sorted = [...objects].sort((a, b) => ((a.z ?? "") < (b.z ?? "") ? -1 : 1));
    const made = sorted.map((obj) => {
      const copy = { ...obj, id: newId(), x: board.clampCoord(obj.x + dx), y: board.clampCoord(obj.y + dy) };
      delete copy.z;
      delete copy.origin;
      const origin = here ? this.originOf(obj) : (across?.get(obj.id) ?? null);
      if (origin) copy.origin = origin;
      return copy;
    });
    const ids = board.actions.create(made);
    board.selection.set(ids);
  }

  /**
   * What a copy of `obj` names as its original: `obj` while it is on the board, else (it was cut)
   * the original it copied when that is here; otherwise nothing, and the copy stands for itself.
   * @param {BoardObject} obj @returns {{id: string} | null}
   */
  originOf(obj) {
    const { replica } = this.board;
    if (replica.get(obj.id)) return { id: obj.id };
    const root = obj.origin;
    if (root && (root.board === undefined || root.board === null) && replica.get(root.id)) return { id: root.id };
    return null;
  }

  /** One note per paragraph of pasted text, in a grid in the middle of the view. @param {string} text */
  pasteText(text) {
    const { board } = this;
    const limit = board.limits.max_note_text;
    const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
    if (paragraphs.some((p) => textLength(p) > limit)) {
      board.notify(t("error.too_long"), "error");
      return;
    }
    const taken = paragraphs.slice(0, MAX_PASTED_NOTES);
    if (taken.length < paragraphs.length) board.notify(t("board.clipboard.too_many", { count: MAX_PASTED_NOTES }), "error");
    const columns = Math.ceil(Math.sqrt(taken.length));
    const size = 200;
    const gap = 20;
    const width = columns * (size + gap) - gap;
    const rows = Math.ceil(taken.length / columns);
    const left = board.viewport.x - width / 2;
    const top = board.viewport.y - (rows * (size + gap) - gap) / 2;
    const notes = taken.map((words, i) => ({
      type: "note",
      id: newId(),
      x: board.clampCoord(left + (i % columns) * (size + gap)),
      y: board.clampCoord(top + Math.floor(i / columns) * (size + gap)),
      text: words,
      color: board.choices.noteColor,
    }));
    board.selection.set(board.actions.create(notes));
  }
}

/**
 * The clipboard's `from`, kept only where it is well formed: anything else pastes as a note of
 * its own rather than send the server an origin it will refuse.
 * @param {unknown} from @returns {Map<string, {id: string, board: number}>}
 */
function acrossFrom(from) {
  /** @type {Map<string, {id: string, board: number}>} */
  const found = new Map();
  if (!from || typeof from !== "object") return found;
  for (const [id, ref] of Object.entries(from)) {
    if (ref && typeof ref.id === "string" && Number.isInteger(ref.board)) found.set(id, { id: ref.id, board: ref.board });
  }
  return found;
}
