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
  const { viewport, selection, renderer, actions } = board;
  /** @type {null | "pending" | "drag" | "pan" | "marquee" | "resize"} */
  let mode = null;
  let startScreen = { x: 0, y: 0 };
  let startWorld = [0, 0];
  let lastScreen = { x: 0, y: 0 };
  /** @type {Map<string, Record<string, any>>} */
  let origins = new Map();
  let lastLive = 0;
  /** @type {HTMLElement | null} */
  let marquee = null;
  let wasSelected = false;

  const screenOf = (/** @type {PointerEvent} */ e) => {
    const box = board.canvas.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  };

  /** Where every moving object goes for a pointer at `e`. @param {PointerEvent} e */
  function positions(e) {
    const [wx, wy] = viewport.eventToWorld(e);
    const dx = wx - startWorld[0];
    const dy = wy - startWorld[1];
    /** @type {Array<[string, Record<string, any>]>} */
    const out = [];
    for (const [id, origin] of origins) {
      if (mode === "resize") out.push([id, resized(id, origin, dx, dy)]);
      else out.push([id, { x: board.clampCoord(origin.x + dx), y: board.clampCoord(origin.y + dy) }]);
    }
    return out;
  }

  /** @param {string} id @param {Record<string, any>} origin @param {number} dx @param {number} dy */
  function resized(id, origin, dx, dy) {
    const obj = renderer.object(id);
    const type = obj?.type ?? "note";
    const line = type === "shape" && (obj?.kind === "line" || obj?.kind === "arrow");
    const min = MIN_SIZE[type] ?? 8;
    const max = board.limits.max_extent;
    const clampSize = (/** @type {number} */ v) => Math.round(Math.max(line ? -max : min, Math.min(max, v)));
    if (type === "text") return { w: clampSize(origin.w + dx) };
    return { w: clampSize(origin.w + dx), h: clampSize(origin.h + dy) };
  }

  /** Show the gesture at once; let others see it every LIVE_MS. @param {PointerEvent} e @param {boolean} final */
  function show(e, final) {
    const changes = positions(e);
    for (const [id, props] of changes) renderer.preview(id, props);
    const now = performance.now();
    if (final) {
      for (const [id] of changes) renderer.preview(id, null);
      actions.change(changes, { before: origins });
    } else if (now - lastLive > LIVE_MS) {
      lastLive = now;
      actions.change(changes, { record: false, merge: true });
    }
  }

  function endMarquee(/** @type {PointerEvent} */ e) {
    const [x1, y1] = startWorld;
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

  return {
    name,
    /** @param {PointerEvent} e @param {Hit} hit */
    down(e, hit) {
      startScreen = lastScreen = screenOf(e);
      startWorld = viewport.eventToWorld(e);
      lastLive = 0;
      if (hit.handle === "resize" && selection.size === 1 && board.canEdit()) {
        const [id] = selection.ids;
        const obj = renderer.object(id);
        if (!obj) return;
        origins = new Map([[id, obj.type === "text" ? { w: obj.w } : { w: obj.w, h: obj.h }]]);
        mode = "resize";
        board.gesturing(true);
        return;
      }
      if (hit.id) {
        wasSelected = selection.has(hit.id);
        if (e.shiftKey || e.ctrlKey || e.metaKey) {
          selection.toggle(hit.id);
          mode = null;
          return;
        }
        if (!wasSelected) selection.set([hit.id]);
        origins = new Map();
        for (const obj of selection.objects()) if (typeof obj.x === "number") origins.set(obj.id, { x: obj.x, y: obj.y });
        mode = board.canEdit() ? "pending" : null;
        return;
      }
      if (e.shiftKey) {
        mode = "marquee";
        marquee = el("div", { class: "marquee" });
        board.overlay.append(marquee);
        return;
      }
      mode = "pan";
    },
    /** @param {PointerEvent} e */
    move(e) {
      const point = screenOf(e);
      if (mode === "pending" && Math.hypot(point.x - startScreen.x, point.y - startScreen.y) > DRAG_PX) {
        mode = "drag";
        board.gesturing(true);
      }
      if (mode === "drag" || mode === "resize") {
        show(e, false);
      } else if (mode === "pan") {
        viewport.panBy(point.x - lastScreen.x, point.y - lastScreen.y);
      } else if (mode === "marquee" && marquee) {
        const box = rectFrom(startScreen.x, startScreen.y, point.x, point.y);
        marquee.style.transform = `translate(${box.x}px, ${box.y}px)`;
        marquee.style.width = `${box.w}px`;
        marquee.style.height = `${box.h}px`;
      }
      lastScreen = point;
    },
    /** @param {PointerEvent} e */
    up(e) {
      const point = screenOf(e);
      const still = Math.hypot(point.x - startScreen.x, point.y - startScreen.y) <= DRAG_PX;
      if (mode === "drag" || mode === "resize") {
        show(e, true);
        board.gesturing(false);
      } else if (mode === "marquee") {
        marquee?.remove();
        marquee = null;
        endMarquee(e);
      } else if (mode === "pan" && still) {
        selection.clear();
      }
      mode = null;
    },
    cancel() {
      if (mode === "drag" || mode === "resize") {
        for (const id of origins.keys()) renderer.preview(id, null);
        // Put back what others were shown while it moved.
        actions.change([...origins.entries()], { record: false });
        board.gesturing(false);
      }
      marquee?.remove();
      marquee = null;
      mode = null;
    },
    /** @param {PointerEvent} e @param {Hit} hit */
    double(e, hit) {
      if (hit.id) {
        selection.set([hit.id]);
        board.edit(hit.id, fieldAt(e.target));
        return;
      }
      if (!hit.handle && board.canEdit()) {
        const [x, y] = viewport.eventToWorld(e);
        board.addNote(x, y);
      }
    },
  };
}

/** Which text of an object was double-clicked (a definition card has three). @param {EventTarget | null} target */
function fieldAt(target) {
  const element = target instanceof Element ? target : null;
  for (const field of ["why", "excellent", "definition"]) if (element?.closest(`.definition-${field}`)) return field;
  if (element?.closest(".frame-title")) return "title";
  return undefined;
}
