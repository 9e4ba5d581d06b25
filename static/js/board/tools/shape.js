// The shape tool: drag out a rectangle, ellipse or diamond, or draw a line or an arrow from
// where the press starts to where it ends. A tap makes one of the default size. The shape is
// selected afterwards, and Enter or a double tap gives it a label.

import { svg } from "../../dom.js";

/**
 * What the shape tool uses of the board, and nothing else.
 * @typedef {object} ShapeToolBoard
 * @property {import("../viewport.js").Viewport} viewport turns the pointer into places
 * @property {HTMLElement} overlay where the shape is drawn while it is dragged out
 * @property {import("../choices.js").Choices} choices the kind of shape and its ink
 * @property {Record<string, number>} limits max_extent
 * @property {import("../actions.js").Actions} actions creates the shape
 * @property {import("../selection.js").Selection} selection the new shape is selected
 * @property {(name: string) => void} setTool back to select after one shape
 * @property {(v: number) => number} clampCoord keeps a coordinate within the board's limit
 */

export const name = "shape";
export const key = "s";

const TAP_PX = 8;
const DEFAULT = { w: 160, h: 100 };

/** @param {ShapeToolBoard} board */
export function create(board) {
  const { viewport } = board;
  /** @type {SVGElement | null} */
  let ghost = null;
  let start = [0, 0];

  return {
    name,
    /** @param {PointerEvent} e */
    down(e) {
      start = viewport.eventToWorld(e);
      ghost = svg("svg", { class: "ghost" });
      board.overlay.append(ghost);
    },
    /** @param {PointerEvent} e */
    move(e) {
      if (!ghost) return;
      const [sx, sy] = viewport.toScreen(start[0], start[1]);
      const end = viewport.eventToWorld(e);
      const [ex, ey] = viewport.toScreen(end[0], end[1]);
      ghost.replaceChildren(outline(board.choices.shapeKind, sx, sy, ex, ey));
    },
    /** @param {PointerEvent} e */
    up(e) {
      ghost?.remove();
      ghost = null;
      const end = viewport.eventToWorld(e);
      const kind = board.choices.shapeKind;
      const tap = Math.hypot(end[0] - start[0], end[1] - start[1]) * viewport.zoom < TAP_PX;
      const shape = tap ? tapped(kind, start) : dragged(kind, start, end, board.limits.max_extent);
      board.setTool("select");
      const [id] = board.actions.create([
        { type: "shape", kind, ...shape, x: board.clampCoord(shape.x), y: board.clampCoord(shape.y), stroke: board.choices.pen.color },
      ]);
      if (id) board.selection.set([id]);
    },
    cancel() {
      ghost?.remove();
      ghost = null;
    },
  };
}

/** The shape being dragged out, in screen pixels from (sx, sy) to (ex, ey). @param {string} kind @param {number} sx @param {number} sy @param {number} ex @param {number} ey */
function outline(kind, sx, sy, ex, ey) {
  if (kind === "line" || kind === "arrow") return svg("line", { x1: sx, y1: sy, x2: ex, y2: ey });
  if (kind === "ellipse") return svg("ellipse", { cx: (sx + ex) / 2, cy: (sy + ey) / 2, rx: Math.abs(ex - sx) / 2, ry: Math.abs(ey - sy) / 2 });
  if (kind === "diamond") {
    return svg("polygon", { points: `${(sx + ex) / 2},${Math.min(sy, ey)} ${Math.max(sx, ex)},${(sy + ey) / 2} ${(sx + ex) / 2},${Math.max(sy, ey)} ${Math.min(sx, ex)},${(sy + ey) / 2}` });
  }
  return svg("rect", { x: Math.min(sx, ex), y: Math.min(sy, ey), width: Math.abs(ex - sx), height: Math.abs(ey - sy) });
}

/** A tap: a shape of the default size centred there (a line across it). @param {string} kind @param {number[]} start */
function tapped(kind, start) {
  if (kind === "line" || kind === "arrow") return { x: start[0] - DEFAULT.w / 2, y: start[1], w: DEFAULT.w, h: 0 };
  return { x: start[0] - DEFAULT.w / 2, y: start[1] - DEFAULT.h / 2, ...DEFAULT };
}

/**
 * A drag from `start` to `end` in board units, no larger than the board's largest extent: a
 * line keeps its direction, other shapes span the box between the two points.
 * @param {string} kind @param {number[]} start @param {number[]} end @param {number} max
 */
function dragged(kind, start, end, max) {
  const clamp = (/** @type {number} */ v) => Math.round(Math.max(-max, Math.min(max, v)));
  if (kind === "line" || kind === "arrow") return { x: start[0], y: start[1], w: clamp(end[0] - start[0]), h: clamp(end[1] - start[1]) };
  return {
    x: Math.min(start[0], end[0]),
    y: Math.min(start[1], end[1]),
    w: Math.max(1, clamp(Math.abs(end[0] - start[0]))),
    h: Math.max(1, clamp(Math.abs(end[1] - start[1]))),
  };
}
