// The object menu: a row of large buttons by the selection (edit, colour, comment, duplicate,
// front, back, delete), plus whatever features register (facilitation adds "hide", "vote").
// It follows the selection on screen and steps aside while something is being dragged.

import { el } from "../dom.js";
import { t } from "../i18n.js";
import { NOTE_COLOURS } from "../protocol.js";
import { colourName } from "./items.js";
import { mayRemove } from "./ownership.js";

/**
 * What the selection's menu uses of the board, and nothing else.
 * @typedef {object} MenuBoard
 * @property {string} role facilitators may remove anyone's objects (ownership.js)
 * @property {HTMLElement} canvas the menu key (M, Shift+F10) is read on it, the menu placed within it, focus given back to it
 * @property {import("./replica.js").Replica} replica changes to what is selected rebuild the menu
 * @property {import("./selection.js").Selection} selection what the menu acts on
 * @property {import("./render.js").Renderer} renderer the selected object's element
 * @property {import("./actions.js").Actions} actions colour, order
 * @property {import("./clipboard.js").Clipboard} clipboard duplicate
 * @property {import("./comments.js").Comments} comments comment on the selected object
 * @property {import("./choices.js").Choices} choices a colour chosen here is the next note's colour too
 * @property {() => boolean} canEdit whether this person may change the board now
 * @property {import("./viewport.js").Viewport} viewport moved, once, when the menu has no room beside the selection
 * @property {() => void} removeSelection delete
 * @property {(id: string, field?: string) => boolean} edit opens an object's text for typing in place
 */

/**
 * @typedef {import("../protocol.js").BoardObject} BoardObject
 * @typedef {{add: (label: string, action: () => void, options?: {pressed?: boolean, danger?: boolean, name?: string}) => HTMLButtonElement, objects: BoardObject[]}} Menu
 * @typedef {(obj: BoardObject, menu: Menu) => void} Register
 */

const EDITABLE = new Set(["note", "shape", "text", "frame", "definition"]);

export class ObjectMenu {
  /** @param {MenuBoard} board @param {HTMLElement} layer */
  constructor(board, layer) {
    this.board = board;
    this.node = el("div", { class: "object-menu", role: "toolbar", "aria-label": t("board.menu.label"), "data-ui": "menu", hidden: true });
    layer.append(this.node);
    /** @type {Register[]} */
    this.registered = [];
    this.busy = false;
    /** Whether the note colours are showing (a second row, opened by "Colour"). */
    this.paletteOpen = false;
    /** The selection the board was last moved for, to make room for the menu. */
    this.moved = "";
    board.selection.addEventListener("change", () => this.build());
    /** Where the selection was last drawn (canvas pixels), to place the menu again by. */
    this.box = null;
    board.selection.addEventListener("drawn", (event) => this.place((this.box = /** @type {CustomEvent} */ (event).detail.box)));
    // A panel opening or closing (the exit poll opens by itself) moves the menu out of its way.
    const panels = document.getElementById("panels");
    if (panels && typeof ResizeObserver === "function") new ResizeObserver(() => this.place(this.box)).observe(panels);
    board.replica.addEventListener("settings", () => this.build());
    board.replica.addEventListener("objects", (event) => {
      const { ids } = /** @type {CustomEvent} */ (event).detail;
      if ([...board.selection.ids].some((id) => ids.has(id))) this.build();
    });
    // From the keyboard: M (or the Menu key, or Shift+F10) on the board moves into the
    // selection's menu; inside it, arrows go from button to button and Escape goes back to
    // the object, so commenting or voting never needs a pointer.
    board.canvas.addEventListener("keydown", (e) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || this.node.contains(/** @type {Node} */ (e.target))) return;
      if (/** @type {Element} */ (e.target).closest?.("textarea, input, [data-ui='pin']")) return;
      const wanted = e.key === "ContextMenu" || (e.key === "F10" && e.shiftKey) || ((e.key === "m" || e.key === "M") && !e.shiftKey);
      if (!wanted) return;
      const item = /** @type {Element} */ (e.target).closest?.(".item");
      const id = item instanceof HTMLElement ? item.dataset.id : undefined;
      if (id && !board.selection.has(id)) board.selection.set([id]);
      if (this.focus()) e.preventDefault();
    });
    this.node.addEventListener("keydown", (e) => this.key(e));
  }

  /** Move keyboard focus to the menu's first button; false when there is no menu. */
  focus() {
    if (this.node.hidden) this.build();
    const first = /** @type {HTMLElement | null} */ (this.node.querySelector("button:not(:disabled)"));
    if (this.node.hidden || !first) return false;
    this.board.selection.schedule();
    first.focus();
    return true;
  }

  /** Keys inside the menu. @param {KeyboardEvent} e */
  key(e) {
    const buttons = /** @type {HTMLElement[]} */ ([...this.node.querySelectorAll("button:not(:disabled)")]);
    const at = buttons.indexOf(/** @type {HTMLElement} */ (e.target));
    let next = null;
    if (e.key === "ArrowRight" || e.key === "ArrowDown") next = buttons[(at + 1) % buttons.length];
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp") next = buttons[(at - 1 + buttons.length) % buttons.length];
    else if (e.key === "Home") next = buttons[0];
    else if (e.key === "End") next = buttons[buttons.length - 1];
    else if (e.key === "Escape") {
      const [id] = this.board.selection.ids;
      const node = id ? this.board.renderer.element(id) : null;
      if (node) node.focus();
      else this.board.canvas.focus();
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    if (next) {
      next.focus();
      e.preventDefault();
    }
  }

  /** @param {Register} register */
  register(register) {
    this.registered.push(register);
    this.build();
  }

  /** @param {boolean} busy */
  gesturing(busy) {
    this.busy = busy;
    this.node.classList.toggle("is-busy", busy);
  }

  build() {
    const { board } = this;
    const objects = board.selection.objects();
    // Keep keyboard focus on the same button across a rebuild.
    const focused = /** @type {HTMLElement | null} */ (this.node.contains(document.activeElement) ? document.activeElement : null);
    const again = focused ? focused.dataset.action ?? (focused.dataset.color ? `color:${focused.dataset.color}` : null) : null;
    this.node.replaceChildren();
    if (!objects.length) {
      this.node.hidden = true;
      return;
    }
    /** @type {Menu} */
    const menu = {
      objects,
      add: (label, action, { pressed, danger, name } = {}) => {
        const button = /** @type {HTMLButtonElement} */ (
          el("button", { type: "button", class: danger ? "danger" : "", "data-action": name ?? null, "aria-pressed": pressed === undefined ? null : String(pressed) }, label)
        );
        button.addEventListener("click", () => {
          action();
          this.build();
        });
        this.node.append(button);
        return button;
      },
    };
    const editable = board.canEdit();
    const single = objects.length === 1 ? objects[0] : null;
    const ids = objects.map((obj) => obj.id);
    if (editable) {
      if (single && EDITABLE.has(single.type)) menu.add(t("board.menu.edit"), () => board.edit(single.id), { name: "edit" });
      if (objects.every((obj) => obj.type === "note")) {
        menu.add(t("board.menu.colour"), () => (this.paletteOpen = !this.paletteOpen), { pressed: this.paletteOpen, name: "colour" });
        if (this.paletteOpen) this.palette(objects);
      }
      if (single && typeof single.x === "number") menu.add(t("board.menu.comment"), () => board.comments.start({ target: single.id }), { name: "comment" });
      menu.add(t("board.menu.duplicate"), () => board.clipboard.duplicate(), { name: "duplicate" });
      menu.add(t("board.menu.front"), () => board.actions.reorder(ids, "front"), { name: "front" });
      menu.add(t("board.menu.back"), () => board.actions.reorder(ids, "back"), { name: "back" });
      if (objects.every((obj) => mayRemove(board, obj))) menu.add(t("board.menu.delete"), () => board.removeSelection(), { danger: true, name: "delete" });
    }
    for (const register of this.registered) {
      try {
        register(objects[0], menu);
      } catch (error) {
        console.error(error);
      }
    }
    this.node.hidden = this.node.childElementCount === 0;
    if (again) {
      const selector = again.startsWith("color:") ? `[data-color="${again.slice(6)}"]` : `[data-action="${again}"]`;
      /** @type {HTMLElement | null} */ (this.node.querySelector(selector))?.focus();
    }
    board.selection.schedule();
  }

  /** Colour buttons for notes: each named, the current one marked by more than its colour. @param {BoardObject[]} notes */
  palette(notes) {
    const { board } = this;
    const group = el("div", { class: "palette", role: "group", "aria-label": t("board.menu.colours") });
    const current = new Set(notes.map((obj) => obj.color));
    for (const color of NOTE_COLOURS) {
      const pressed = current.size === 1 && current.has(color);
      const button = el("button", {
        type: "button",
        class: "swatch",
        "data-color": color,
        "aria-label": colourName(color),
        title: colourName(color),
        "aria-pressed": String(pressed),
      });
      button.addEventListener("click", () => {
        board.choices.noteColor = color;
        board.actions.change(notes.map((obj) => [obj.id, { color }]));
      });
      group.append(button);
    }
    this.node.append(group);
  }

  /**
   * Below the selection (comment pins sit on its top edge), else above it; never over it, nor
   * under the zoom controls, an open panel (the exit poll, a facilitator's panel) or the tool
   * options. When neither side has room (a phone, a note close up) the board moves the
   * selection up once, so the menu fits under it (issue 18).
   * @param {{x: number, y: number, w: number, h: number} | null} box
   */
  place(box) {
    if (!box || this.node.hidden) return;
    const canvas = this.board.canvas;
    const width = this.node.offsetWidth;
    const height = this.node.offsetHeight;
    const gap = 12;
    const x = Math.max(8, Math.min(canvas.clientWidth - width - 8, box.x + box.w / 2 - width / 2));
    const blocked = this.obstacles();
    const free = (/** @type {number} */ y) =>
      y >= 8 && y + height <= canvas.clientHeight - 8 && !blocked.some((r) => overlaps({ x, y, w: width, h: height }, r));
    const below = box.y + box.h + gap + 12;
    const above = box.y - height - gap - 28;
    let y = [below, above].find(free);
    const key = [...this.board.selection.ids].join(" ");
    // Only on a phone's narrow screen, where there is no other room; never while the view
    // glides somewhere (a link, "follow me"): moving it would stop it there.
    const narrow = matchMedia("(max-width: 640px)").matches;
    if (y === undefined && narrow && this.moved !== key && this.board.viewport.animation === null) {
      this.moved = key; // once for this selection: a menu that cannot fit never makes the board chase it
      const top = Math.max(8, ...blocked.filter((r) => r.y < canvas.clientHeight / 3).map((r) => r.y + r.h + 8)) + 28;
      if (Math.abs(top - box.y) > 1) {
        this.board.viewport.panBy(0, top - box.y);
        return; // placed again when the selection is drawn where it moved to
      }
    }
    if (y === undefined) y = Math.max(8, Math.min(this.floor(blocked) - height, below));
    this.node.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
  }

  /** What the menu must not cover, in canvas pixels: the zoom controls, open panels and notices. */
  obstacles() {
    const home = this.board.canvas.getBoundingClientRect();
    const nodes = document.querySelectorAll("#zoom-controls, #panels > :not([hidden]), #following:not([hidden]), #far-notice:not([hidden]), .tool-options:not([hidden]), #toolbar-more");
    return [...nodes]
      .map((node) => node.getBoundingClientRect())
      .filter((rect) => rect.width > 0 && rect.height > 0)
      .map((rect) => ({ x: rect.left - home.left, y: rect.top - home.top, w: rect.width, h: rect.height }));
  }

  /** The lowest the menu may reach: above whatever stands in the lower part of the board. @param {Array<{x: number, y: number, w: number, h: number}>} blocked */
  floor(blocked) {
    const height = this.board.canvas.clientHeight;
    return Math.min(height - 8, ...blocked.filter((r) => r.y > height / 3).map((r) => r.y - 8));
  }
}

/** Whether two rectangles share any area. @param {{x: number, y: number, w: number, h: number}} a @param {{x: number, y: number, w: number, h: number}} b */
function overlaps(a, b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

