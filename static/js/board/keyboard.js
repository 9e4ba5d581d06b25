// Keyboard shortcuts on the board (listed in the help panel, templates/board.html). They act
// only when focus is on the board itself, never while typing in a field, so single letters
// cannot surprise someone filling in a comment or using a screen reader's own keys elsewhere.

import { typing } from "./input.js";
import { ZOOM_STEP } from "./viewport.js";

/**
 * What the keyboard shortcuts use of the board, and nothing else.
 * @typedef {object} KeyboardBoard
 * @property {HTMLElement} world the objects' layer: focus inside it names an object
 * @property {import("./replica.js").Replica} replica everything, for Ctrl+A
 * @property {import("./selection.js").Selection} selection what the keys act on
 * @property {import("./actions.js").Actions} actions nudge and reorder
 * @property {import("./viewport.js").Viewport} viewport panned and zoomed by keys
 * @property {import("./clipboard.js").Clipboard} clipboard Ctrl+D duplicates
 * @property {import("./choices.js").Choices} choices the tool in hand
 * @property {() => boolean} canEdit whether this person may change the board now
 * @property {(name: string) => void} setTool choose a tool
 * @property {(key: string) => string | null} toolForKey the tool a letter chooses, if any
 * @property {(id: string, field?: string) => boolean} edit opens an object's text for typing in place
 * @property {(x: number, y: number, options?: {free?: boolean}) => string | null} addNote adds a note centred there (or the nearest free spot), ready to type into
 * @property {() => void} commentHere comment on the selected object, or in the middle of the view
 * @property {() => void} removeSelection Delete and Backspace
 * @property {() => void} undo Ctrl+Z
 * @property {() => void} redo Ctrl+Y, Ctrl+Shift+Z
 * @property {() => void} zoomToFit F
 * @property {(v: number) => number} clampCoord keeps a coordinate within the board's limit
 */

export const NUDGE = 10;
export const NUDGE_FAR = 50;
/** World units an arrow key moves the selection (with Shift: further). */
const PAN_PX = 80;

/** @param {KeyboardBoard} board @param {{open: () => void, isOpen: boolean}} help */
export function mountKeyboard(board, help) {
  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || typing(e.target) || help.isOpen) return;
    const target = /** @type {Element} */ (e.target);
    if (target.closest?.("dialog, .panel, [data-ui='menu'], .toolbar, .topbar") && !["?"].includes(e.key)) {
      if (!(e.ctrlKey || e.metaKey) || !["z", "y"].includes(e.key.toLowerCase())) return;
    }
    if (handle(board, e, help)) e.preventDefault();
  });
}

/** @param {KeyboardBoard} board @param {KeyboardEvent} e @param {{open: () => void}} help @returns {boolean} handled */
function handle(board, e, help) {
  const key = e.key.toLowerCase();
  if (e.ctrlKey || e.metaKey) return commandKey(board, key, e.shiftKey);
  if (e.altKey) return false;
  const handled = namedKey(board, e, help) ?? viewKey(board, e.key);
  if (handled !== null) return handled;
  if (e.shiftKey) return false;
  return letterKey(board, key);
}

/** Ctrl (or Cmd) with a letter: undo, redo, duplicate, select all. @param {KeyboardBoard} board @param {string} key @param {boolean} shift */
function commandKey(board, key, shift) {
  if (key === "z" && !shift) return board.undo(), true;
  if (key === "y" || (key === "z" && shift)) return board.redo(), true;
  if (key === "d") return board.clipboard.duplicate(), true;
  if (key === "a") {
    board.selection.set([...board.replica.view.values()].filter((obj) => typeof obj.x === "number" && obj.type !== "comment").map((obj) => obj.id));
    return true;
  }
  return false; // copy, cut and paste arrive as clipboard events (clipboard.js)
}

/**
 * Keys with names that act on the selection (or open help): null when the key is not one.
 * @param {KeyboardBoard} board @param {KeyboardEvent} e @param {{open: () => void}} help @returns {boolean | null}
 */
function namedKey(board, e, help) {
  const { selection, actions } = board;
  switch (e.key) {
    case "?":
      help.open();
      return true;
    case "Escape":
      if (board.choices.tool !== "select") board.setTool("select");
      else selection.clear();
      return true;
    case "Enter": {
      if (board.choices.tool === "comment") return board.commentHere(), true;
      const id = focusedId(board) ?? (selection.size === 1 ? [...selection.ids][0] : null);
      if (!id) return false;
      selection.set([id]);
      board.edit(id);
      return true;
    }
    case "Delete":
    case "Backspace":
      if (!selection.size) return false;
      board.removeSelection();
      return true;
    case "ArrowUp":
    case "ArrowDown":
    case "ArrowLeft":
    case "ArrowRight":
      nudgeOrPan(board, e.key, e.shiftKey);
      return true;
    case "]":
      if (selection.size && board.canEdit()) actions.reorder([...selection.ids], "front");
      return true;
    case "[":
      if (selection.size && board.canEdit()) actions.reorder([...selection.ids], "back");
      return true;
  }
  return null;
}

/** An arrow moves the selection, or the view when nothing is selected. @param {KeyboardBoard} board @param {string} arrow @param {boolean} far */
function nudgeOrPan(board, arrow, far) {
  const { selection } = board;
  const [dx, dy] = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] }[arrow];
  if (selection.size && board.canEdit()) {
    const step = far ? NUDGE_FAR : NUDGE;
    board.actions.change(
      selection.objects().filter((obj) => typeof obj.x === "number").map((obj) => [obj.id, { x: board.clampCoord(obj.x + dx * step), y: board.clampCoord(obj.y + dy * step) }]),
    );
  } else {
    board.viewport.panBy(-dx * PAN_PX, -dy * PAN_PX);
  }
}

/** Zoom keys: in, out, 100 %, fit. null when the key is not one. @param {KeyboardBoard} board @param {string} key @returns {boolean | null} */
function viewKey(board, key) {
  const { viewport } = board;
  switch (key) {
    case "+":
    case "=":
      viewport.zoomAt(ZOOM_STEP);
      return true;
    case "-":
    case "_":
      viewport.zoomAt(1 / ZOOM_STEP);
      return true;
    case "0":
      viewport.goTo(viewport.x, viewport.y, 1, { user: true });
      return true;
    case "!":
      board.zoomToFit();
      return true;
  }
  return null;
}

/** Single letters: fit, a new note, or a tool. @param {KeyboardBoard} board @param {string} key */
function letterKey(board, key) {
  if (key === "f") return board.zoomToFit(), true;
  if (key === "n" && board.canEdit()) {
    const { x, y } = board.viewport;
    board.addNote(x, y, { free: true });
    return true;
  }
  const tool = board.toolForKey(key);
  if (tool) {
    board.setTool(tool);
    return true;
  }
  return false;
}

/** The object that has keyboard focus, if any. @param {KeyboardBoard} board */
function focusedId(board) {
  const active = document.activeElement;
  const item = active instanceof HTMLElement ? active.closest(".item") : null;
  return item instanceof HTMLElement && board.world.contains(item) ? item.dataset.id ?? null : null;
}
