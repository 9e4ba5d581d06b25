// The pen: freehand strokes in the chosen colour and width. While drawing, the line follows
// the pointer on a layer of its own; when the pointer lifts, the stroke is smoothed and
// simplified (never more than the server's point limit) and added to the board. The pen stays
// chosen for the next stroke.

import { svg } from "../../dom.js";
import { prepare, smoothPath } from "../ink.js";

/**
 * What the pen uses of the board, and nothing else.
 * @typedef {object} PenToolBoard
 * @property {import("../viewport.js").Viewport} viewport turns the pointer into places
 * @property {HTMLElement} overlay where the stroke is drawn while it is made
 * @property {import("../choices.js").Choices} choices the ink (pen colour and width)
 * @property {Record<string, number>} limits max_stroke_points
 * @property {import("../actions.js").Actions} actions creates the stroke
 * @property {(v: number) => number} clampCoord keeps a coordinate within the board's limit
 */

export const name = "pen";
export const key = "p";

const TOLERANCE_PX = 0.8;
/** Simplification tolerance, in screen pixels: finer than the eye can see at the zoom drawn. */

/** @param {PenToolBoard} board */
export function create(board) {
  const { viewport } = board;
  /** @type {number[]} */
  let points = [];
  /** @type {SVGElement | null} */
  let layer = null;
  /** @type {SVGPathElement | null} */
  let live = null;

  function redraw() {
    if (!live) return;
    const screen = [];
    for (let i = 0; i < points.length; i += 2) screen.push(...viewport.toScreen(points[i], points[i + 1]));
    live.setAttribute("d", smoothPath(screen));
  }

  return {
    name,
    /** @param {PointerEvent} e */
    down(e) {
      points = viewport.eventToWorld(e);
      layer = svg("svg", { class: "ghost ink" });
      live = /** @type {SVGPathElement} */ (
        svg("path", { stroke: board.choices.pen.color, "stroke-width": board.choices.pen.width * viewport.zoom, fill: "none", "stroke-linecap": "round", "stroke-linejoin": "round" })
      );
      layer.append(live);
      board.overlay.append(layer);
      redraw();
    },
    /** @param {PointerEvent} e */
    move(e) {
      // Coalesced events carry the samples the browser merged into this one: smoother lines.
      const samples = typeof e.getCoalescedEvents === "function" ? e.getCoalescedEvents() : [];
      for (const sample of samples.length ? samples : [e]) points.push(...viewport.eventToWorld(sample));
      redraw();
    },
    up() {
      layer?.remove();
      layer = live = null;
      if (points.length < 2) return;
      const ox = Math.round(points[0]);
      const oy = Math.round(points[1]);
      const relative = points.map((v, i) => v - (i % 2 === 0 ? ox : oy));
      const tolerance = TOLERANCE_PX / viewport.zoom;
      const simplified = prepare(relative, tolerance, board.limits.max_stroke_points);
      board.actions.create([
        { type: "stroke", x: board.clampCoord(ox), y: board.clampCoord(oy), points: simplified, color: board.choices.pen.color, width: board.choices.pen.width },
      ]);
      points = [];
    },
    cancel() {
      layer?.remove();
      layer = live = null;
      points = [];
    },
  };
}
