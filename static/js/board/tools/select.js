// The select tool, the one people use most: click or tap to select (Shift adds), drag an
// object to move it (with the rest of the selection), drag empty canvas to pan, Shift+drag
// empty canvas for a marquee, drag the corner handle to resize, double-click or double-tap to
// edit an object's text or to add a note on empty canvas.

import { el } from "../../dom.js";
import { bounds, contains, intersects, rectFrom } from "../geometry.js";

/**
 * What the select tool uses of the board, and nothing else.
 * @typedef {object} SelectToolBoard
 * @property {HTMLElement} canvas pointer positions on the screen are measured from it
 * @property {HTMLElement} overlay where the marquee is drawn
 * @property {Record<string, number>} limits max_extent
 * @property {import("../viewport.js").Viewport} viewport turns the pointer into places
 * @property {import("../selection.js").Selection} selection what is selected
 * @property {import("../render.js").Renderer} renderer what is drawn where
 * @property {import("../actions.js").Actions} actions moves and resizes
 * @property {() => boolean} canEdit whether this person may change the board now
 * @property {(active: boolean) => void} gesturing a drag started or ended (the menu steps aside)
 * @property {(id: string, field?: string, options?: {created?: boolean, removeIfEmpty?: boolean}) => boolean} edit opens an object's text for typing in place
 * @property {(x: number, y: number, options?: {free?: boolean}) => string | null} addNote adds a note centred there (or the nearest free spot), ready to type into
 * @property {(v: number) => number} clampCoord keeps a coordinate within the board's limit
 */
/** @typedef {import("../input.js").Hit} Hit */

export const name = "select";
export const key = "v";

const DRAG_PX = 4;
/** Pointer travel before a press becomes a drag (a tap that wobbles is still a tap). */
export const LIVE_MS = 120;
/** While dragging or resizing, others see the object move this often. */

/** Mins per type when resizing. @type {Record<string, number>} */
const MIN_SIZE = { note: 40, shape: 8, text: 40, frame: 40, definition: 80 };

/** @param {SelectToolBoard} board */
export function create(board) {
  return new SelectGesture(board);
}

/**
 * One press at a time: what it became (a tap, a drag of the selection, a pan, a marquee or a
 * resize), where it started and what the moving objects started from.
 */
class SelectGesture {
  /** @param {SelectToolBoard} board */
  constructor(board) {
    this.name = name;
    this.board = board;
    /** @type {null | "pending" | "drag" | "pan" | "marquee" | "resize"} */
    this.mode = null;
    this.startScreen = { x: 0, y: 0 };
    this.startWorld = [0, 0];
    this.lastScreen = { x: 0, y: 0 };
    /** Where each moving object started: its place, or its size when resizing. @type {Map<string, Record<string, any>>} */
    this.origins = new Map();
    this.lastLive = 0;
    /** @type {HTMLElement | null} */
    this.marquee = null;
  }

  /** @param {PointerEvent} e @param {Hit} hit */
  down(e, hit) {
    const { board } = this;
    const { selection, renderer } = board;
    this.startScreen = this.lastScreen = this.screenOf(e);
    this.startWorld = board.viewport.eventToWorld(e);
    this.lastLive = 0;
    if (hit.handle === "resize" && selection.size === 1 && board.canEdit()) {
      const [id] = selection.ids;
      const obj = renderer.object(id);
      if (!obj) return;
      this.origins = new Map([[id, obj.type === "text" ? { w: obj.w } : { w: obj.w, h: obj.h }]]);
      this.mode = "resize";
      board.gesturing(true);
    } else if (hit.id) {
      this.pressObject(e, hit.id);
    } else if (e.shiftKey) {
      this.mode = "marquee";
      this.marquee = el("div", { class: "marquee" });
      board.overlay.append(this.marquee);
    } else {
      this.mode = "pan";
    }
  }

  /** A press on an object: Shift, Ctrl or Cmd toggles it; otherwise it (with the rest of the selection) may be dragged. @param {PointerEvent} e @param {string} id */
  pressObject(e, id) {
    const { selection } = this.board;
    if (e.shiftKey || e.ctrlKey || e.metaKey) {
      selection.toggle(id);
      this.mode = null;
      return;
    }
    if (!selection.has(id)) selection.set([id]);
    this.origins = new Map();
    for (const obj of selection.objects()) if (typeof obj.x === "number") this.origins.set(obj.id, { x: obj.x, y: obj.y });
    this.mode = this.board.canEdit() ? "pending" : null;
  }

  /** @param {PointerEvent} e */
  move(e) {
    const point = this.screenOf(e);
    const { mode, startScreen } = this;
    if (mode === "pending" && Math.hypot(point.x - startScreen.x, point.y - startScreen.y) > DRAG_PX) {
      this.mode = "drag";
      this.board.gesturing(true);
    }
    if (this.mode === "drag" || this.mode === "resize") {
      this.show(e, false);
    } else if (this.mode === "pan") {
      this.board.viewport.panBy(point.x - this.lastScreen.x, point.y - this.lastScreen.y);
    } else if (this.mode === "marquee" && this.marquee) {
      const box = rectFrom(startScreen.x, startScreen.y, point.x, point.y);
      this.marquee.style.transform = `translate(${box.x}px, ${box.y}px)`;
      this.marquee.style.width = `${box.w}px`;
      this.marquee.style.height = `${box.h}px`;
    }
    this.lastScreen = point;
  }

  /** @param {PointerEvent} e */
  up(e) {
    const point = this.screenOf(e);
    const still = Math.hypot(point.x - this.startScreen.x, point.y - this.startScreen.y) <= DRAG_PX;
    if (this.mode === "drag" || this.mode === "resize") {
      this.show(e, true);
      this.board.gesturing(false);
    } else if (this.mode === "marquee") {
      this.marquee?.remove();
      this.marquee = null;
      this.endMarquee(e);
    } else if (this.mode === "pan" && still) {
      this.board.selection.clear();
    }
    this.mode = null;
  }

  cancel() {
    const { renderer, actions } = this.board;
    if (this.mode === "drag" || this.mode === "resize") {
      for (const id of this.origins.keys()) renderer.preview(id, null);
      // Put back what others were shown while it moved.
      actions.change([...this.origins.entries()], { record: false });
      this.board.gesturing(false);
    }
    this.marquee?.remove();
    this.marquee = null;
    this.mode = null;
  }

  /** @param {PointerEvent} e @param {Hit} hit */
  double(e, hit) {
    const { board } = this;
    if (hit.id) {
      board.selection.set([hit.id]);
      board.edit(hit.id, fieldAt(e.target));
      return;
    }
    if (!hit.handle && board.canEdit()) {
      const [x, y] = board.viewport.eventToWorld(e);
      board.addNote(x, y);
    }
  }

  /** @param {PointerEvent} e */
  screenOf(e) {
    const box = this.board.canvas.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  }

  /** Where every moving object goes for a pointer at `e`. @param {PointerEvent} e */
  positions(e) {
    const { board } = this;
    const [wx, wy] = board.viewport.eventToWorld(e);
    const dx = wx - this.startWorld[0];
    const dy = wy - this.startWorld[1];
    /** @type {Array<[string, Record<string, any>]>} */
    const out = [];
    for (const [id, origin] of this.origins) {
      if (this.mode === "resize") out.push([id, resized(board.renderer.object(id), origin, dx, dy, board.limits.max_extent)]);
      else out.push([id, { x: board.clampCoord(origin.x + dx), y: board.clampCoord(origin.y + dy) }]);
    }
    return out;
  }

  /** Show the gesture at once; let others see it every LIVE_MS. @param {PointerEvent} e @param {boolean} final */
  show(e, final) {
    const { renderer, actions } = this.board;
    const changes = this.positions(e);
    for (const [id, props] of changes) renderer.preview(id, props);
    const now = performance.now();
    if (final) {
      for (const [id] of changes) renderer.preview(id, null);
      actions.change(changes, { before: this.origins });
    } else if (now - this.lastLive > LIVE_MS) {
      this.lastLive = now;
      actions.change(changes, { record: false, merge: true });
    }
  }

  /** Select what the marquee covers (Shift adds it to the selection). @param {PointerEvent} e */
  endMarquee(e) {
    const { viewport, renderer, selection } = this.board;
    const [x1, y1] = this.startWorld;
    const [x2, y2] = viewport.eventToWorld(e);
    const area = rectFrom(x1, y1, x2, y2);
    const picked = [];
    for (const obj of renderer.replica.view.values()) {
      const box = bounds(obj);
      if (!box || obj.type === "comment") continue;
      // A frame is a background: it joins only when wholly inside, never by being touched.
      if (obj.type === "frame" ? contains(area, box) : intersects(area, box)) picked.push(obj.id);
    }
    selection.set(e.shiftKey ? [...selection.ids, ...picked] : picked);
  }
}

/**
 * An object's size dragged by (dx, dy) from `origin`, within its type's minimum and the
 * board's largest extent (a line's may go negative: it points the other way).
 * @param {any} obj @param {Record<string, any>} origin @param {number} dx @param {number} dy @param {number} max
 */
function resized(obj, origin, dx, dy, max) {
  const type = obj?.type ?? "note";
  const line = type === "shape" && (obj?.kind === "line" || obj?.kind === "arrow");
  const min = MIN_SIZE[type] ?? 8;
  const clampSize = (/** @type {number} */ v) => Math.round(Math.max(line ? -max : min, Math.min(max, v)));
  if (type === "text") return { w: clampSize(origin.w + dx) };
  return { w: clampSize(origin.w + dx), h: clampSize(origin.h + dy) };
}

/** Which text of an object was double-clicked (a definition card has three). @param {EventTarget | null} target */
function fieldAt(target) {
  const element = target instanceof Element ? target : null;
  for (const field of ["why", "excellent", "definition"]) if (element?.closest(`.definition-${field}`)) return field;
  if (element?.closest(".frame-title")) return "title";
  return undefined;
}
