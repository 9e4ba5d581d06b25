// The toolbar: the tools (each a large button with a word as well as an icon), the chosen
// tool's options (note colour, shape kind, pen colour and width), undo and redo, a place for
// features to add their own buttons, and the zoom controls. When the board is read-only the
// tools that change it are switched off and say why.

import { el, setText } from "../dom.js";
import { t } from "../i18n.js";
import { NOTE_COLOURS, SHAPE_KINDS } from "../protocol.js";
import { icon } from "./icons.js";
import { colourName } from "./items.js";
import { ZOOM_STEP } from "./viewport.js";

/**
 * What the toolbar uses of the board, and nothing else.
 * @typedef {object} ToolbarBoard
 * @property {Record<string, {key: string}>} tools the tools by name, each with its shortcut key
 * @property {import("./choices.js").Choices} choices the tool in hand and its options, changed here
 * @property {import("./viewport.js").Viewport} viewport zoomed by the zoom controls, whose level it shows
 * @property {import("./history.js").History} history whether there is anything to undo or redo
 * @property {() => boolean} canEdit whether this person may change the board now
 * @property {(name: string) => void} setTool choose a tool
 * @property {(x: number, y: number, options?: {free?: boolean}) => string | null} addNote adds a note centred there (or the nearest free spot), ready to type into
 * @property {() => void} commentHere comment on the selected object, or in the middle of the view
 * @property {() => void} undo undo this person's last change
 * @property {() => void} redo redo it
 * @property {() => void} zoomToFit show everything on the board
 */

/** Pen and shape colours: dark enough to read on white, each with a name. */
export const INKS = Object.freeze([
  ["black", "#1f2937"],
  ["red", "#b91c1c"],
  ["blue", "#1d4ed8"],
  ["green", "#15803d"],
  ["orange", "#c2410c"],
  ["purple", "#7e22ce"],
]);
export const WIDTHS = Object.freeze([
  ["thin", 2],
  ["medium", 4],
  ["thick", 8],
]);
const TOOLS = ["select", "note", "shape", "pen", "eraser", "text", "comment"];
const EDITING_TOOLS = new Set(["note", "shape", "pen", "eraser", "text", "comment"]);

/**
 * @param {ToolbarBoard} board @param {HTMLElement} bar @param {HTMLElement} zoomBar
 * @returns {{features: HTMLElement, update: () => void}}
 */
export function mountToolbar(board, bar, zoomBar) {
  const { group: tools, buttons } = toolButtons(board);
  const options = el("div", { class: "tool-options", role: "group", "aria-label": t("board.toolbar.options") });
  const history = el("div", { class: "tool-group", role: "group", "aria-label": t("board.toolbar.history") });
  const undo = smallButton("undo", t("board.toolbar.undo"), "Control+Z", () => board.undo());
  const redo = smallButton("redo", t("board.toolbar.redo"), "Control+Y", () => board.redo());
  history.append(undo, redo);
  const features = el("div", { class: "tool-group toolbar-features", role: "group", "aria-label": t("board.toolbar.more") });
  // On a phone the tools are one row of icons along the bottom and the rest (undo, redo and
  // what features add) is behind "More tools" (board.css); on a wider screen it is all in the
  // column, and the "More" button is not shown.
  const more = el("button", { type: "button", class: "tool more-button", id: "more-button", "aria-expanded": "false", "aria-controls": "toolbar-more", title: t("board.toolbar.more_tools") });
  more.append(icon("more"), el("span", { class: "tool-label" }, t("board.toolbar.more_tools")));
  const moreBox = el("div", { class: "toolbar-more", id: "toolbar-more" });
  moreBox.append(history, features);
  bar.append(tools, options, more, moreBox);
  mountMore(bar, more, moreBox);
  mountZoom(board, zoomBar);

  function update() {
    const editable = board.canEdit();
    for (const [name, button] of buttons) {
      button.setAttribute("aria-pressed", String(board.choices.tool === name));
      const off = EDITING_TOOLS.has(name) && !editable;
      button.disabled = off;
      button.title = off ? t("board.read_only_tool") : `${t(`board.tool.${name}`)} (${board.tools[name].key.toUpperCase()})`;
    }
    undo.disabled = !editable || board.history.done.length === 0;
    redo.disabled = !editable || board.history.undone.length === 0;
    showOptions(options, board.choices);
  }

  board.history.addEventListener("change", update);
  update();
  return { features, update };
}

/**
 * "More tools" opens and closes its box; choosing anything in it, Escape or a press anywhere
 * else closes it again. @param {HTMLElement} bar @param {HTMLElement} button @param {HTMLElement} box
 */
function mountMore(bar, button, box) {
  const show = (/** @type {boolean} */ open) => {
    button.setAttribute("aria-expanded", String(open));
    bar.toggleAttribute("data-more-open", open);
  };
  button.addEventListener("click", () => show(button.getAttribute("aria-expanded") !== "true"));
  box.addEventListener("click", (e) => {
    if (/** @type {Element} */ (e.target).closest("button")) show(false);
  });
  box.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
    show(false);
    button.focus();
    e.preventDefault();
    e.stopPropagation();
  });
  document.addEventListener("pointerdown", (e) => {
    if (!button.contains(/** @type {Node} */ (e.target)) && !box.contains(/** @type {Node} */ (e.target))) show(false);
  });
}

/** One button per tool, each with its word, icon and key. @param {ToolbarBoard} board */
function toolButtons(board) {
  const group = el("div", { class: "tool-group", role: "group", "aria-label": t("board.toolbar.tools") });
  /** @type {Map<string, HTMLButtonElement>} */
  const buttons = new Map();
  for (const name of TOOLS) {
    const key = board.tools[name].key.toUpperCase();
    const button = /** @type {HTMLButtonElement} */ (
      el("button", { type: "button", class: "tool", "data-tool": name, "aria-pressed": "false", "aria-keyshortcuts": key, title: `${t(`board.tool.${name}`)} (${key})` })
    );
    button.append(icon(name), el("span", { class: "tool-label" }, t(`board.tool.${name}`)));
    button.addEventListener("click", (e) => {
      // From the keyboard (detail 0) "Note" adds a note at once: there is no pointer to place it with.
      // "Comment" likewise starts one at once: on the selected thing, else in the middle of the view.
      if (name === "note" && e.detail === 0 && board.canEdit()) board.addNote(board.viewport.x, board.viewport.y, { free: true });
      else if (name === "comment" && e.detail === 0 && board.canEdit()) board.commentHere();
      else board.setTool(name);
    });
    buttons.set(name, button);
    group.append(button);
  }
  return { group, buttons };
}

/** Zoom out, the level (back to 100 % when pressed), zoom in, fit. @param {ToolbarBoard} board @param {HTMLElement} zoomBar */
function mountZoom(board, zoomBar) {
  const { viewport } = board;
  const zoomOut = smallButton("zoom_out", t("board.zoom.out"), "-", () => viewport.zoomAt(1 / ZOOM_STEP));
  const zoomIn = smallButton("zoom_in", t("board.zoom.in"), "+", () => viewport.zoomAt(ZOOM_STEP));
  const level = el("button", { type: "button", class: "zoom-level", "aria-keyshortcuts": "0", title: t("board.zoom.reset") });
  level.addEventListener("click", () => viewport.goTo(viewport.x, viewport.y, 1, { user: true }));
  const fit = smallButton("fit", t("board.zoom.fit"), "F", () => board.zoomToFit());
  zoomBar.append(zoomOut, level, zoomIn, fit);
  viewport.addEventListener("change", () => {
    const percent = Math.round(viewport.zoom * 100);
    setText(level, `${percent}%`);
    level.setAttribute("aria-label", t("board.zoom.level", { percent }));
  });
  setText(level, "100%");
  level.setAttribute("aria-label", t("board.zoom.level", { percent: 100 }));
}

/**
 * The chosen tool's options: note colour, shape kind, ink, pen width.
 * @param {HTMLElement} options @param {import("./choices.js").Choices} chosen
 */
function showOptions(options, chosen) {
  options.replaceChildren();
  const tool = chosen.tool;
  if (tool === "note") {
    options.append(choices(t("board.toolbar.note_colour"), NOTE_COLOURS.map((c) => [c, colourName(c), c]), chosen.noteColor, (c) => (chosen.noteColor = c), "swatch"));
  }
  if (tool === "shape") {
    options.append(choices(t("board.toolbar.shape_kind"), SHAPE_KINDS.map((k) => [k, t(`board.shape.${k}`), null]), chosen.shapeKind, (k) => (chosen.shapeKind = k), "kind"));
  }
  if (tool === "pen" || tool === "shape") {
    options.append(choices(t("board.toolbar.ink"), INKS.map(([name, hex]) => [hex, t(`board.ink.${name}`), null]), chosen.pen.color, (c) => (chosen.pen.color = c), "ink"));
  }
  if (tool === "pen") {
    options.append(choices(t("board.toolbar.width"), WIDTHS.map(([name, w]) => [String(w), t(`board.width.${name}`), null]), String(chosen.pen.width), (w) => (chosen.pen.width = Number(w)), "width"));
  }
  options.hidden = options.childElementCount === 0;
}

/**
 * A row of mutually exclusive choices, each named in words.
 * @param {string} label @param {Array<[string, string, string | null]>} items value, name, colour
 * @param {string} current @param {(value: string) => void} choose @param {string} kind
 */
function choices(label, items, current, choose, kind) {
  const group = el("div", { class: `choices choices-${kind}`, role: "group", "aria-label": label });
  for (const [value, name, color] of items) {
    const button = el("button", { type: "button", class: `choice ${kind}`, "aria-pressed": String(value === current), "aria-label": name, title: name, "data-value": value });
    if (color) button.dataset.color = color;
    if (kind === "ink") button.style.setProperty("--ink", value);
    if (kind === "width") button.style.setProperty("--width", `${value}px`);
    if (kind === "kind") button.append(el("span", { class: "choice-word" }, name));
    button.addEventListener("click", () => {
      choose(value);
      for (const other of group.querySelectorAll("button")) other.setAttribute("aria-pressed", String(other === button));
    });
    group.append(button);
  }
  return group;
}

/** @param {string} name @param {string} label @param {string} keys @param {() => void} action */
function smallButton(name, label, keys, action) {
  const button = /** @type {HTMLButtonElement} */ (el("button", { type: "button", class: `tool small tool-${name}`, "aria-label": label, title: label, "aria-keyshortcuts": keys }));
  button.append(icon(name));
  button.addEventListener("click", action);
  return button;
}
