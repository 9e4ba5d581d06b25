// Where this person is looking: the world point at the centre of the canvas and the zoom.
// The whole board is one layer moved by a single CSS transform, so panning and zooming
// change one style property and never touch the objects themselves.
//
// The centre (not a corner) is the reference because screens differ: a facilitator's
// "summon" puts the same point in the middle of every screen, whatever its size.

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 4;
/** 10 % to 400 % (issue 3). */
export const ZOOM_STEP = 1.25;
/** One keyboard or button zoom step. */
const GRID = 24;
/** Spacing of the dots on the canvas at 100 %; they move and scale with the board, so even
 * an empty board shows that it moved. */
const ANIMATION_MS = 280;

/** @typedef {{x: number, y: number, zoom: number}} View */
/** @typedef {{x: number, y: number, w: number, h: number}} Rect */

export const reducedMotion = () => matchMedia("(prefers-reduced-motion: reduce)").matches;

export class Viewport extends EventTarget {
  /**
   * @param {HTMLElement} canvas the element people look through @param {HTMLElement} world the layer moved
   * @param {number} [limit] largest coordinate @param {HTMLElement | null} [grid] the dots behind the board
   */
  constructor(canvas, world, limit = 10_000_000, grid = null) {
    super();
    this.canvas = canvas;
    this.world = world;
    this.grid = grid;
    this.spacing = 0;
    this.limit = limit;
    this.x = 0;
    this.y = 0;
    this.zoom = 1;
    this.width = canvas.clientWidth || 1;
    this.height = canvas.clientHeight || 1;
    /** @type {number | null} */
    this.frame = null;
    /** @type {number | null} */
    this.animation = null;
    new ResizeObserver(() => {
      this.width = canvas.clientWidth || 1;
      this.height = canvas.clientHeight || 1;
      this.changed(false);
    }).observe(canvas);
  }

  /** @returns {View} */
  get view() {
    return { x: this.x, y: this.y, zoom: this.zoom };
  }

  /** Canvas-relative screen point of a world point. @param {number} wx @param {number} wy */
  toScreen(wx, wy) {
    return [(wx - this.x) * this.zoom + this.width / 2, (wy - this.y) * this.zoom + this.height / 2];
  }

  /** World point under a canvas-relative screen point. @param {number} sx @param {number} sy */
  toWorld(sx, sy) {
    return [(sx - this.width / 2) / this.zoom + this.x, (sy - this.height / 2) / this.zoom + this.y];
  }

  /** World point under a pointer event. @param {{clientX: number, clientY: number}} event */
  eventToWorld(event) {
    const box = this.canvas.getBoundingClientRect();
    return this.toWorld(event.clientX - box.left, event.clientY - box.top);
  }

  /** The world rectangle on screen, grown by `margin` screens on every side. @returns {Rect} */
  visible(margin = 0) {
    const w = this.width / this.zoom;
    const h = this.height / this.zoom;
    return { x: this.x - w / 2 - w * margin, y: this.y - h / 2 - h * margin, w: w * (1 + 2 * margin), h: h * (1 + 2 * margin) };
  }

  /**
   * Look at (x, y) at `zoom`. `user`: the person did it (ends following a facilitator).
   * @param {number} x @param {number} y @param {number} zoom @param {boolean} [user]
   */
  set(x, y, zoom, user = true) {
    this.stopAnimation();
    this.place(x, y, zoom);
    this.changed(user);
  }

  /** @param {number} x @param {number} y @param {number} zoom */
  place(x, y, zoom) {
    const clamp = (v) => Math.max(-this.limit, Math.min(this.limit, v));
    this.zoom = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, zoom));
    this.x = clamp(x);
    this.y = clamp(y);
  }

  /** @param {number} dx @param {number} dy screen pixels */
  panBy(dx, dy, user = true) {
    this.set(this.x - dx / this.zoom, this.y - dy / this.zoom, this.zoom, user);
  }

  /**
   * Zoom by `factor`, keeping the world point under (sx, sy) where it is on screen.
   * @param {number} factor @param {number} [sx] @param {number} [sy]
   */
  zoomAt(factor, sx = this.width / 2, sy = this.height / 2, user = true) {
    const [wx, wy] = this.toWorld(sx, sy);
    const zoom = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, this.zoom * factor));
    // Solve for the centre that keeps (wx, wy) under (sx, sy) at the new zoom.
    const x = wx - (sx - this.width / 2) / zoom;
    const y = wy - (sy - this.height / 2) / zoom;
    this.set(x, y, zoom, user);
  }

  /**
   * Go to a point, gliding there unless the person prefers reduced motion.
   * @param {number} x @param {number} y @param {number} zoom @param {{user?: boolean, animate?: boolean}} [options]
   */
  goTo(x, y, zoom, { user = false, animate = true } = {}) {
    this.stopAnimation();
    if (!animate || reducedMotion()) {
      this.set(x, y, zoom, user);
      return;
    }
    const from = this.view;
    const start = performance.now();
    const step = (/** @type {number} */ now) => {
      const t = Math.min(1, (now - start) / ANIMATION_MS);
      const ease = 1 - (1 - t) ** 3;
      this.place(from.x + (x - from.x) * ease, from.y + (y - from.y) * ease, from.zoom * (zoom / from.zoom) ** ease);
      this.changed(user);
      this.animation = t < 1 ? requestAnimationFrame(step) : null;
    };
    this.animation = requestAnimationFrame(step);
  }

  stopAnimation() {
    if (this.animation !== null) cancelAnimationFrame(this.animation);
    this.animation = null;
  }

  /** Fit a world rectangle on screen, with room around it. @param {Rect | null} rect */
  fit(rect, user = true) {
    if (!rect) {
      this.goTo(0, 0, 1, { user });
      return;
    }
    const pad = 48;
    const zoom = Math.min((this.width - pad * 2) / Math.max(rect.w, 1), (this.height - pad * 2) / Math.max(rect.h, 1), 1.5);
    this.goTo(rect.x + rect.w / 2, rect.y + rect.h / 2, zoom, { user });
  }

  /** @param {boolean} user */
  changed(user) {
    if (this.frame === null) this.frame = requestAnimationFrame(() => this.apply());
    this.dispatchEvent(new CustomEvent("change", { detail: { ...this.view, user } }));
  }

  /** Write the transform once per frame: the layer is composited (board.css), so a pan or a
   * zoom moves it without redrawing what is on it. */
  apply() {
    this.frame = null;
    const tx = this.width / 2 - this.x * this.zoom;
    const ty = this.height / 2 - this.y * this.zoom;
    this.world.style.transform = `translate(${tx}px, ${ty}px) scale(${this.zoom})`;
    if (this.grid) {
      // The dots are a composited layer of their own, a little larger than the canvas: a pan
      // only shifts it (by less than one spacing), a zoom repaints it at the new spacing.
      let spacing = GRID * this.zoom;
      while (spacing < 12) spacing *= 2; // far out, every other dot, so they never blur into grey
      while (spacing > 48) spacing /= 2; // close in, dots in between
      if (spacing !== this.spacing) {
        this.spacing = spacing;
        this.grid.style.backgroundSize = `${spacing}px ${spacing}px`;
      }
      const mod = (/** @type {number} */ v) => ((v % spacing) + spacing) % spacing;
      this.grid.style.transform = `translate(${mod(tx) - spacing}px, ${mod(ty) - spacing}px)`;
    }
    this.dispatchEvent(new CustomEvent("frame", { detail: this.view }));
  }
}

/**
 * A place on the board as the end of a link: "#@x,y,zoom" (zoom in %). The page keeps its own
 * address pointing at where the person is looking, so a reload comes back to the same place
 * and a copied link opens there.
 * @param {View} view
 */
export function placeToHash({ x, y, zoom }) {
  return `#@${Math.round(x)},${Math.round(y)},${Math.round(zoom * 100)}`;
}

/** The place in a link, or null. @param {string} hash @returns {View | null} */
export function hashToPlace(hash) {
  const match = /^#@(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d+(?:\.\d+)?)$/.exec(hash);
  if (!match) return null;
  const [x, y, percent] = match.slice(1).map(Number);
  if (![x, y, percent].every(Number.isFinite)) return null;
  return { x, y, zoom: Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, percent / 100)) };
}
