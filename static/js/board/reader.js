// Reading a whole note (issue 18): a note whose text does not fit even at the smallest size
// shows "Read more" (items.js), and its text opens here, in a dialog at a size anyone can
// read, in the note's language and hyphenated by the browser's own rules for the dialog's
// width. A tap on "Read more", or R on a focused or selected note, opens it; Escape or
// "Close" shuts it and focus goes back to the note.

import { el } from "../dom.js";
import { t } from "../i18n.js";
import { typing } from "./input.js";

/**
 * What the reader uses of the board.
 * @typedef {object} ReaderBoard
 * @property {HTMLElement} world the objects' layer: notes and their "Read more" buttons
 * @property {import("./replica.js").Replica} replica the notes' text
 * @property {import("./selection.js").Selection} selection R reads the one selected note
 */

/** @param {ReaderBoard} board @param {Document} doc */
export function mountReader(board, doc) {
  const title = el("h2", { id: "note-reader-title" }, t("board.note.reader"));
  const close = el("button", { type: "button", class: "panel-close", "aria-label": t("common.close") }, "×");
  const body = el("p", { class: "note-reader-text" });
  const dialog = /** @type {HTMLDialogElement} */ (el("dialog", { class: "note-reader", "aria-labelledby": "note-reader-title" }));
  const head = el("div", { class: "panel-head" });
  head.append(title, close);
  dialog.append(head, body);
  doc.body.append(dialog);
  /** @type {HTMLElement | null} */
  let from = null;

  /** @param {string} id */
  const open = (id) => {
    const obj = board.replica.get(id);
    if (obj?.type !== "note" || !obj.text) return false;
    from = /** @type {HTMLElement | null} */ (board.world.querySelector(`.item[data-id="${CSS.escape(id)}"]`));
    body.textContent = obj.text;
    body.lang = from?.querySelector(".note-text")?.getAttribute("lang") ?? doc.documentElement.lang;
    dialog.dataset.id = id;
    if (!dialog.open) dialog.showModal();
    return true;
  };
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (e) => {
    if (e.target === dialog) dialog.close(); // a click on the backdrop
  });
  dialog.addEventListener("close", () => {
    if (from?.isConnected) from.focus({ preventScroll: true });
    from = null;
  });
  board.world.addEventListener("click", (e) => {
    const more = /** @type {Element} */ (e.target).closest?.(".note-more");
    const id = /** @type {HTMLElement | null} */ (more?.closest(".item") ?? null)?.dataset.id;
    if (id && open(id)) e.stopPropagation();
  });
  doc.addEventListener("keydown", (e) => {
    if (e.key.toLowerCase() !== "r" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || typing(e.target) || dialog.open) return;
    const target = /** @type {Element} */ (e.target);
    if (target.closest?.("dialog, .panel, [data-ui='menu'], .toolbar")) return;
    const focused = /** @type {HTMLElement | null} */ (target.closest?.(".item") ?? null);
    const selected = board.selection.size === 1 ? [...board.selection.ids][0] : null;
    const id = focused && board.world.contains(focused) ? focused.dataset.id : selected;
    if (id && open(id)) e.preventDefault();
  });
  return { open, close: () => dialog.close(), get isOpen() { return dialog.open; } };
}
