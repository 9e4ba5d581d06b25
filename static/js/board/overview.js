// The board from far away: below FAR_ZOOM every object is painted on one canvas the size of
// the screen instead of having an element of its own. Text is unreadable at that size, so a
// note is its coloured square and text is a grey bar; what matters is the shape of the board.
//
// Why: thousands of elements, even without text, make each frame of a pan or a zoom cost the
// browser style, paint and raster work for all of them (measured in bench/frames.py); a canvas
// repaint of 5,000 boxes takes a few milliseconds. Closer in, elements are worth it: real
// text, focus, editing in place, screen readers.

import { bounds } from "./geometry.js";
import { compare } from "./order.js";

/**
 * @typedef {import("../protocol.js").BoardObject} BoardObject
 * @typedef {import("./viewport.js").Viewport} Viewport
 */

export const FAR_ZOOM = 0.3;
/** Below this zoom the board is painted on the overview canvas. */

/** Fills matching board.css, by note colour. */
const NOTE_FILLS = {
  yellow: "#fef08a",
  orange: "#fed7aa",
  pink: "#fbcfe8",
  purple: "#e9d5ff",
  blue: "#bfdbfe",
  green: "#bbf7d0",
  grey: "#e5e7eb",
  white: "#ffffff",
};

export class Overview {
  /**
   * @param {HTMLCanvasElement} canvas @param {Viewport} viewport
   * @param {() => Iterable<BoardObject>} objects everything drawn, as drawn (with gesture previews)
   */
  constructor(canvas, viewport, objects) {
    this.canvas = canvas;
    this.viewport = viewport;
    this.objects = objects;
    this.context = canvas.getContext("2d");
    this.active = false;
    this.frame = 0;
    /** Objects in drawing order; resorted only when something changed. @type {BoardObject[]} */
    this.sorted = [];
    this.dirty = true;
  }

  /** Something on the board changed. */
  changed() {
    this.dirty = true;
    this.schedule();
  }

  /** @param {boolean} on */
  show(on) {
    if (this.active === on) return;
    this.active = on;
    this.canvas.hidden = !on;
    if (on) this.schedule();
  }

  schedule() {
    if (!this.active || this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw() {
    const ctx = this.context;
    if (!ctx || !this.active) return;
    const { viewport } = this;
    const ratio = devicePixelRatio || 1;
    const width = Math.round(viewport.width * ratio);
    const height = Math.round(viewport.height * ratio);
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    if (this.dirty) {
      this.sorted = [...this.objects()].filter((obj) => typeof obj.x === "number" && obj.type !== "comment").sort(compare);
      this.dirty = false;
    }
    const zoom = viewport.zoom;
    const left = viewport.x - viewport.width / 2 / zoom;
    const top = viewport.y - viewport.height / 2 / zoom;
    const right = left + viewport.width / zoom;
    const bottom = top + viewport.height / zoom;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, viewport.width, viewport.height);
    const sx = (/** @type {number} */ wx) => (wx - left) * zoom;
    const sy = (/** @type {number} */ wy) => (wy - top) * zoom;
    for (const obj of this.sorted) {
      const box = bounds(obj);
      if (!box || box.x > right || box.y > bottom || box.x + box.w < left || box.y + box.h < top) continue;
      this.drawObject(ctx, obj, box, sx, sy, zoom);
    }
  }

  /**
   * One object, in outline: notes as their colour, text as a grey bar, frames with their title.
   * @param {CanvasRenderingContext2D} ctx @param {BoardObject} obj @param {{x: number, y: number, w: number, h: number}} box
   * @param {(v: number) => number} sx @param {(v: number) => number} sy @param {number} zoom
   */
  drawObject(ctx, obj, box, sx, sy, zoom) {
    const x = sx(box.x);
    const y = sy(box.y);
    const w = Math.max(1, box.w * zoom);
    const h = Math.max(1, box.h * zoom);
    switch (obj.type) {
      case "note":
        ctx.fillStyle = NOTE_FILLS[/** @type {keyof typeof NOTE_FILLS} */ (obj.color)] ?? NOTE_FILLS.yellow;
        ctx.fillRect(x, y, w, h);
        ctx.strokeStyle = "rgba(15, 23, 42, .25)";
        ctx.lineWidth = 1;
        ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
        if (obj.text && h > 6) {
          ctx.fillStyle = "rgba(17, 24, 39, .35)";
          ctx.fillRect(x + w * 0.12, y + h * 0.2, w * 0.7, Math.max(1, h * 0.08));
        }
        break;
      case "shape":
        this.shape(obj, sx, sy, zoom);
        break;
      case "stroke":
        this.stroke(obj, sx, sy, zoom);
        break;
      case "text":
        ctx.fillStyle = "rgba(17, 24, 39, .45)";
        ctx.fillRect(x, y + h * 0.25, w * 0.8, Math.max(1, h * 0.35));
        break;
      case "frame":
        ctx.strokeStyle = "#64748b";
        ctx.lineWidth = 1.5;
        ctx.strokeRect(x, y, w, h);
        if (obj.title) {
          ctx.fillStyle = "#1e293b";
          ctx.font = `600 ${Math.max(11, 22 * zoom)}px system-ui, sans-serif`;
          ctx.fillText(obj.title, x, y - 4, Math.max(w, 40));
        }
        break;
      default:
        ctx.fillStyle = "#ffffff";
        ctx.fillRect(x, y, w, h);
        ctx.strokeStyle = "#334155";
        ctx.lineWidth = 1;
        ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
    }
  }

  /** @param {BoardObject} obj @param {(v: number) => number} sx @param {(v: number) => number} sy @param {number} zoom */
  shape(obj, sx, sy, zoom) {
    const ctx = /** @type {CanvasRenderingContext2D} */ (this.context);
    ctx.strokeStyle = obj.stroke ?? "#1f2937";
    ctx.lineWidth = 1;
    ctx.beginPath();
    const x1 = sx(obj.x);
    const y1 = sy(obj.y);
    const x2 = sx(obj.x + obj.w);
    const y2 = sy(obj.y + obj.h);
    if (obj.kind === "line" || obj.kind === "arrow") {
      ctx.moveTo(x1, y1);
      ctx.lineTo(x2, y2);
    } else if (obj.kind === "ellipse") {
      ctx.ellipse((x1 + x2) / 2, (y1 + y2) / 2, Math.abs(x2 - x1) / 2, Math.abs(y2 - y1) / 2, 0, 0, Math.PI * 2);
    } else if (obj.kind === "diamond") {
      ctx.moveTo((x1 + x2) / 2, y1);
      ctx.lineTo(x2, (y1 + y2) / 2);
      ctx.lineTo((x1 + x2) / 2, y2);
      ctx.lineTo(x1, (y1 + y2) / 2);
      ctx.closePath();
    } else {
      ctx.rect(x1, y1, x2 - x1, y2 - y1);
    }
    if (obj.fill) {
      ctx.fillStyle = obj.fill;
      ctx.fill();
    }
    ctx.stroke();
    void zoom;
  }

  /** @param {BoardObject} obj @param {(v: number) => number} sx @param {(v: number) => number} sy @param {number} zoom */
  stroke(obj, sx, sy, zoom) {
    const ctx = /** @type {CanvasRenderingContext2D} */ (this.context);
    const points = obj.points ?? [];
    if (points.length < 2) return;
    ctx.strokeStyle = obj.color ?? "#1f2937";
    ctx.lineWidth = Math.max(1, (obj.width ?? 3) * zoom);
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    ctx.moveTo(sx(obj.x + points[0]), sy(obj.y + points[1]));
    for (let i = 2; i + 1 < points.length; i += 2) ctx.lineTo(sx(obj.x + points[i]), sy(obj.y + points[i + 1]));
    ctx.stroke();
  }

  /**
   * The topmost object at a world point (for pressing on the overview, where no element is):
   * frames only by their title strip, as on the elements.
   * @param {number} wx @param {number} wy @returns {string | null}
   */
  hit(wx, wy) {
    if (this.dirty) {
      this.sorted = [...this.objects()].filter((obj) => typeof obj.x === "number" && obj.type !== "comment").sort(compare);
      this.dirty = false;
    }
    const slack = 4 / this.viewport.zoom;
    for (let i = this.sorted.length - 1; i >= 0; i -= 1) {
      const obj = this.sorted[i];
      const box = bounds(obj);
      if (!box) continue;
      if (obj.type === "frame") {
        const titleHeight = Math.max(11, 22 * this.viewport.zoom) / this.viewport.zoom;
        if (wx >= box.x && wx <= box.x + box.w && wy >= box.y - titleHeight - slack && wy <= box.y) return obj.id;
        continue;
      }
      if (wx >= box.x - slack && wx <= box.x + box.w + slack && wy >= box.y - slack && wy <= box.y + box.h + slack) return obj.id;
    }
    return null;
  }
}
