// The two forms of the list of notes (listview.js): changing a note's words in place, and
// adding a note with its words. Plain labelled text boxes: Ctrl+Enter saves, Escape puts the
// words back as they were. Length is checked here as on the board; the server decides.

import { el } from "../dom.js";
import { t } from "../i18n.js";
import { textLength, textLimit } from "../protocol.js";

/**
 * What the list's forms use of the board, and nothing else.
 * @typedef {object} ListEditBoard
 * @property {import("./replica.js").Replica} replica the note's text now
 * @property {Record<string, number>} limits max_note_text
 * @property {import("./actions.js").Actions} actions changes and creates notes
 * @property {import("./viewport.js").Viewport} viewport a new note goes near the middle of the view
 * @property {import("./choices.js").Choices} choices the colour new notes get
 * @property {(text: string, kind?: "info" | "error") => void} notify says what was saved, or why not
 * @property {(v: number) => number} clampCoord keeps a coordinate within the board's limit
 */

const NOTE_SIZE = 200;

/**
 * A form to change a note's words; `done` is called once it is finished (saved or not).
 * @param {ListEditBoard} board @param {string} id @param {() => void} done
 * @returns {HTMLFormElement | null} null when the note is gone
 */
export function editForm(board, id, done) {
  const note = board.replica.get(id);
  if (!note) return null;
  const area = /** @type {HTMLTextAreaElement} */ (el("textarea", { id: `le-${id}`, rows: "4", maxlength: String(textLimit(board.limits, "note")) }));
  area.value = note.text;
  const save = el("button", { type: "submit" }, t("common.save"));
  const cancel = el("button", { type: "button", class: "secondary" }, t("common.cancel"));
  const form = /** @type {HTMLFormElement} */ (el("form", { class: "list-edit stack" }));
  const row = el("div", { class: "row" });
  row.append(save, cancel);
  form.append(el("label", { for: `le-${id}` }, t("listview.edit_label")), area, row);
  const finish = (/** @type {boolean} */ keep) => {
    if (keep && area.value !== (board.replica.get(id)?.text ?? "")) {
      if (textLength(area.value) > board.limits.max_note_text) {
        board.notify(t("error.too_long"), "error");
        return;
      }
      board.actions.change([[id, { text: area.value }]]);
      board.notify(t("listview.saved"));
    }
    done();
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    finish(true);
  });
  cancel.addEventListener("click", () => finish(false));
  area.addEventListener("keydown", (e) => {
    if (e.key === "Escape") finish(false);
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) form.requestSubmit();
  });
  area.addEventListener("focus", () => area.setSelectionRange(area.value.length, area.value.length), { once: true });
  return form;
}

/**
 * The box at the top of the list to add a note with its words, placed near the middle of the
 * view beside the notes already there.
 * @param {ListEditBoard} board @param {(x: number, y: number) => [number, number]} place a free spot near a point
 */
export function addForm(board, place) {
  const form = /** @type {HTMLFormElement} */ (el("form", { class: "list-add stack" }));
  const area = /** @type {HTMLTextAreaElement} */ (el("textarea", { id: "list-new", rows: "3", maxlength: String(textLimit(board.limits, "note")) }));
  form.append(el("label", { for: "list-new" }, t("listview.add_label")), area, el("button", { type: "submit" }, t("listview.add")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = area.value.trim();
    if (!text) {
      board.notify(t("error.too_short"), "error");
      area.focus();
      return;
    }
    if (textLength(text) > board.limits.max_note_text) {
      board.notify(t("error.too_long"), "error");
      return;
    }
    const [x, y] = place(board.viewport.x, board.viewport.y);
    const [id] = board.actions.create([{ type: "note", x: board.clampCoord(x), y: board.clampCoord(y), w: NOTE_SIZE, h: NOTE_SIZE, text, color: board.choices.noteColor }]);
    if (!id) return;
    area.value = "";
    board.notify(t("listview.added"));
    area.focus();
  });
  area.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) form.requestSubmit();
  });
  return form;
}
