// Editing text in place: a plain textarea laid exactly over the text it edits, inside the
// object, so it zooms and moves with it. Others see the words as they are typed (a change
// every LIVE_MS), and the whole edit is one step of undo. Escape, Ctrl+Enter or moving on
// (clicking elsewhere, Tab) finishes; nothing typed is ever thrown away.

import { el } from "../dom.js";
import { t } from "../i18n.js";
import { create as createOp, textLimit, update } from "../protocol.js";
import { fitFont } from "./fit.js";

/**
 * What the editor uses of the board, and nothing else.
 * @typedef {object} EditorBoard
 * @property {Record<string, number>} limits the text limits
 * @property {import("./replica.js").Replica} replica the object edited
 * @property {import("./render.js").Renderer} renderer its element, kept still while typed into
 * @property {import("./actions.js").Actions} actions sends the words
 * @property {import("./history.js").History} history one edit is one step of undo
 * @property {() => boolean} canEdit whether this person may change the board now
 * @property {(id: string) => void} revealObject brings the object into view
 * @property {(text: string, kind?: "info" | "error") => void} notify says when the object went away
 */

export const LIVE_MS = 500;

/** The element showing each editable field. @type {Record<string, string>} */
const SHOWN_BY = {
  "note.text": ".note-text",
  "shape.text": ".shape-label",
  "text.text": ".text-body",
  "frame.title": ".frame-title",
  "definition.definition": ".definition-definition",
  "definition.why": ".definition-why",
  "definition.excellent": ".definition-excellent",
};

/** The field edited when none is named. @param {string} type */
export function defaultField(type) {
  if (type === "frame") return "title";
  if (type === "definition") return "definition";
  return "text";
}

export class Editor {
  /** @param {EditorBoard} board */
  constructor(board) {
    this.board = board;
    /** @type {null | {id: string, field: string, area: HTMLTextAreaElement, shown: HTMLElement, start: string, sent: string, created: boolean, removeIfEmpty: boolean, timer: ReturnType<typeof setTimeout> | null}} */
    this.active = null;
    board.renderer.addEventListener("drawn", () => {
      if (this.active && !board.replica.get(this.active.id)) {
        this.close();
        board.notify(t("error.not_found"), "error");
      }
    });
  }

  /** @param {string} id */
  editing(id) {
    return this.active?.id === id;
  }

  /**
   * @param {string} id @param {string} [field]
   * @param {{created?: boolean, removeIfEmpty?: boolean}} [options]
   * @returns {boolean} whether editing began
   */
  open(id, field, { created = false, removeIfEmpty = false } = {}) {
    const { board } = this;
    if (this.active) this.commit(false);
    const obj = board.replica.get(id);
    if (!obj || !board.canEdit()) return false;
    field ??= defaultField(obj.type);
    const selector = SHOWN_BY[`${obj.type}.${field}`];
    if (!selector) return false;
    board.renderer.frozen.add(id);
    board.revealObject(id);
    const node = board.renderer.element(id);
    const shown = /** @type {HTMLElement | null} */ (node?.querySelector(selector) ?? null);
    if (!node || !shown) {
      board.renderer.frozen.delete(id);
      return false;
    }
    const start = String(obj[field] ?? "");
    const area = /** @type {HTMLTextAreaElement} */ (
      el("textarea", {
        class: `editor editor-${obj.type} editor-${field}`,
        "data-ui": "editor",
        "aria-label": t(`board.edit.${obj.type}`),
        maxlength: String(textLimit(board.limits, obj.type, field)),
        spellcheck: "true",
      })
    );
    area.value = start;
    area.style.fontSize = getComputedStyle(shown).fontSize;
    shown.classList.add("is-editing");
    node.classList.add("editing");
    shown.after(area);
    this.active = { id, field, area, shown, start, sent: start, created, removeIfEmpty, timer: null };
    area.addEventListener("input", () => this.typed());
    area.addEventListener("keydown", (e) => {
      e.stopPropagation();
      const single = field === "title";
      if (e.key === "Escape" || (e.key === "Enter" && (e.ctrlKey || e.metaKey || single))) {
        e.preventDefault();
        this.commit(true);
      }
    });
    area.addEventListener("blur", () => this.commit(false));
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
    return true;
  }

  typed() {
    const active = this.active;
    if (!active) return;
    const obj = this.board.replica.get(active.id);
    if (obj?.type === "note") active.area.style.fontSize = `${fitFont(active.area.value, obj.w, obj.h)}px`;
    if (!active.timer) {
      active.timer = setTimeout(() => {
        if (this.active !== active) return;
        active.timer = null;
        this.sendLive();
      }, LIVE_MS);
    }
  }

  sendLive() {
    const active = this.active;
    if (!active || active.area.value === active.sent) return;
    active.sent = active.area.value;
    this.board.actions.change([[active.id, { [active.field]: active.sent }]], { record: false, merge: true });
  }

  /** Finish editing and keep what was typed. @param {boolean} refocus put focus back on the object */
  commit(refocus) {
    const active = this.active;
    if (!active) return;
    this.active = null;
    if (active.timer) clearTimeout(active.timer);
    const { board } = this;
    const { id, field, start, created } = active;
    const value = active.area.value;
    const obj = board.replica.get(id);
    this.teardown(active);
    if (!obj) return;
    const last = board.history.last();
    const fresh = created && last && last.ids.length === 1 && last.ids[0] === id && last.redo[0]?.kind === "create";
    if (active.removeIfEmpty && !value.trim()) {
      board.actions.remove([id], { record: false });
      if (fresh) board.history.dropLast();
      return;
    }
    if (fresh && last) {
      // Typing into something just made is part of making it: one step of undo.
      const made = /** @type {any} */ (last.redo[0]).obj;
      last.redo = [createOp({ ...made, [field]: value })];
      if (value !== active.sent) board.actions.change([[id, { [field]: value }]], { record: false, merge: true });
    } else if (value !== start) {
      const before = new Map([[id, { [field]: start }]]);
      if (value !== active.sent) {
        board.actions.change([[id, { [field]: value }]], { merge: true, before });
      } else {
        // Already sent while typing: only the undo step is left to record.
        board.history.push({ undo: [update(id, { [field]: start })], redo: [update(id, { [field]: value })], ids: [id] });
      }
    }
    if (refocus) board.renderer.element(id)?.focus();
  }

  /** Stop editing without sending anything more (the object went away). */
  close() {
    const active = this.active;
    if (!active) return;
    this.active = null;
    if (active.timer) clearTimeout(active.timer);
    this.teardown(active);
  }

  /** @param {NonNullable<Editor["active"]>} active */
  teardown(active) {
    const { board } = this;
    board.renderer.frozen.delete(active.id);
    active.shown.classList.remove("is-editing");
    active.shown.closest(".item")?.classList.remove("editing");
    active.area.remove();
    board.renderer.refresh({ ids: new Set([active.id]) });
  }
}
