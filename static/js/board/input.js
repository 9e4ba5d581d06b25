// Pointers on the canvas: who gets them. Two fingers always pan and zoom (whatever tool is
// chosen), space+drag and the middle button always pan, the wheel zooms around the pointer;
// everything else goes to the chosen tool, with what was hit (an object, a handle).
// Double taps are recognised here, the same for a mouse and a finger.

/**
 * @typedef {{id: string | null, node: HTMLElement | null, handle: string | null}} Hit
 * @typedef {{
 *   down: (e: PointerEvent, hit: Hit) => void,
 *   move: (e: PointerEvent) => void,
 *   up: (e: PointerEvent) => void,
 *   cancel: () => void,
 *   double?: (e: PointerEvent, hit: Hit) => void,
 *   hover?: (e: PointerEvent, hit: Hit) => void,
 * }} ToolHandlers
 */

const DOUBLE_MS = 400;
const DOUBLE_PX = 12;
const WHEEL_ZOOM = 0.0015;
/** Zoom factor per pixel of wheel travel: one notch of a mouse wheel (100 px) is about 16 %. */

/** What a pointer event landed on. @param {EventTarget | null} target @returns {Hit} */
export function hitOf(target) {
  const element = target instanceof Element ? target : null;
  const handle = element?.closest("[data-handle]");
  if (handle) return { id: null, node: null, handle: handle.getAttribute("data-handle") };
  const node = /** @type {HTMLElement | null} */ (element?.closest(".item") ?? null);
  return { id: node?.dataset.id ?? null, node, handle: null };
}

export class Input extends EventTarget {
  /**
   * @param {{canvas: HTMLElement, viewport: import("./viewport.js").Viewport, tool: () => ToolHandlers,
   *   pick?: (e: PointerEvent) => string | null}} options
   */
  constructor({ canvas, viewport, tool, pick }) {
    super();
    this.canvas = canvas;
    this.viewport = viewport;
    this.tool = tool;
    this.pick = pick ?? (() => null);
    /** @type {Map<number, {x: number, y: number, touch: boolean}>} */
    this.pointers = new Map();
    /** @type {"tool" | "pan" | "pinch" | null} */
    this.gesture = null;
    this.space = false;
    this.lastDown = { time: 0, x: 0, y: 0 };
    /** @type {{distance: number, x: number, y: number} | null} */
    this.pinch = null;
    canvas.addEventListener("pointerdown", (e) => this.down(e));
    canvas.addEventListener("pointermove", (e) => this.move(e));
    canvas.addEventListener("pointerup", (e) => this.up(e));
    canvas.addEventListener("pointercancel", (e) => this.up(e, true));
    canvas.addEventListener("pointerleave", (e) => {
      if (e.pointerType !== "touch") this.emit("pointer", null);
    });
    canvas.addEventListener("wheel", (e) => this.wheel(e), { passive: false });
    canvas.addEventListener("contextmenu", (e) => {
      if (!(/** @type {Element} */ (e.target).closest("[data-ui], textarea, input"))) e.preventDefault();
    });
    addEventListener("keydown", (e) => {
      document.documentElement.dataset.input = "keyboard";
      if (e.code === "Space" && !typing(e.target) && !(/** @type {Element} */ (e.target).closest?.("button, a, [data-ui]"))) {
        if (!this.space) canvas.classList.add("space-pan");
        this.space = true;
        e.preventDefault();
      }
    });
    addEventListener("keyup", (e) => {
      if (e.code === "Space") {
        this.space = false;
        canvas.classList.remove("space-pan");
      }
    });
    addEventListener("blur", () => {
      this.space = false;
      canvas.classList.remove("space-pan");
    });
  }

  /** @param {string} type @param {any} detail */
  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** @param {PointerEvent} e */
  local(e) {
    const box = this.canvas.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  }

  /** @param {PointerEvent} e */
  down(e) {
    document.documentElement.dataset.input = "pointer";
    if (/** @type {Element} */ (e.target).closest("[data-ui]")) return;
    const point = this.local(e);
    this.pointers.set(e.pointerId, { ...point, touch: e.pointerType === "touch" });
    try {
      this.canvas.setPointerCapture(e.pointerId);
    } catch {
      // the pointer is already gone
    }
    if (this.pointers.size === 2) {
      // A second finger: whatever the first one started becomes a pinch (and was no tap).
      this.lastDown = { time: 0, x: 0, y: 0 };
      if (this.gesture === "tool") this.tool().cancel();
      this.startPinch();
      return;
    }
    if (this.pointers.size > 2) return;
    this.emit("gesture", { active: true });
    if (this.space || e.button === 1) {
      e.preventDefault();
      this.gesture = "pan";
      return;
    }
    if (e.button !== 0 && e.pointerType === "mouse") return;
    let hit = hitOf(e.target);
    if (!hit.id && !hit.handle) {
      const picked = this.pick(e);
      if (picked) hit = { id: picked, node: null, handle: null };
    }
    // We move focus ourselves, before the tool runs: the browser's own focusing (after this
    // event) would take focus back from an editor a tool has just opened.
    e.preventDefault();
    const focusable = hit.node && hit.node.tabIndex >= 0 ? hit.node : this.canvas;
    focusable.focus({ preventScroll: true });
    const now = performance.now();
    const double = now - this.lastDown.time < DOUBLE_MS && Math.hypot(point.x - this.lastDown.x, point.y - this.lastDown.y) < DOUBLE_PX;
    this.lastDown = double ? { time: 0, x: 0, y: 0 } : { time: now, ...point };
    const tool = this.tool();
    if (double && tool.double) {
      this.gesture = null;
      tool.double(e, hit);
      return;
    }
    this.gesture = "tool";
    tool.down(e, hit);
  }

  /** @param {PointerEvent} e */
  move(e) {
    const point = this.local(e);
    if (e.pointerType !== "touch") this.emit("pointer", this.viewport.toWorld(point.x, point.y));
    const known = this.pointers.get(e.pointerId);
    if (!known) {
      this.tool().hover?.(e, hitOf(e.target));
      return;
    }
    if (this.gesture === "pinch") {
      known.x = point.x;
      known.y = point.y;
      this.movePinch();
    } else if (this.gesture === "pan") {
      this.viewport.panBy(point.x - known.x, point.y - known.y);
      known.x = point.x;
      known.y = point.y;
    } else if (this.gesture === "tool") {
      known.x = point.x;
      known.y = point.y;
      this.tool().move(e);
    }
    if (Math.hypot(point.x - this.lastDown.x, point.y - this.lastDown.y) > DOUBLE_PX) this.lastDown.time = 0;
  }

  /** @param {PointerEvent} e @param {boolean} [cancelled] */
  up(e, cancelled = false) {
    if (!this.pointers.has(e.pointerId)) return;
    this.pointers.delete(e.pointerId);
    if (this.gesture === "pinch") {
      if (this.pointers.size < 2) {
        this.pinch = null;
        // The finger left on the glass keeps panning, as on a map.
        this.gesture = this.pointers.size === 1 ? "pan" : null;
      }
    } else if (this.gesture === "tool") {
      if (cancelled) this.tool().cancel();
      else this.tool().up(e);
      this.gesture = null;
    } else {
      this.gesture = null;
    }
    if (this.pointers.size === 0) {
      this.gesture = null;
      this.emit("gesture", { active: false });
    }
  }

  startPinch() {
    this.gesture = "pinch";
    const [a, b] = [...this.pointers.values()];
    this.pinch = { distance: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)), x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    this.emit("gesture", { active: true });
  }

  movePinch() {
    if (!this.pinch) return;
    const [a, b] = [...this.pointers.values()];
    const distance = Math.max(1, Math.hypot(a.x - b.x, a.y - b.y));
    const x = (a.x + b.x) / 2;
    const y = (a.y + b.y) / 2;
    // Pan by how far the midpoint moved, then zoom around it by how far the fingers spread.
    this.viewport.panBy(x - this.pinch.x, y - this.pinch.y);
    this.viewport.zoomAt(distance / this.pinch.distance, x, y);
    this.pinch = { distance, x, y };
  }

  /** @param {WheelEvent} e */
  wheel(e) {
    if (/** @type {Element} */ (e.target).closest("[data-ui], textarea")) return;
    e.preventDefault();
    const point = this.local(/** @type {any} */ (e));
    const scale = e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? 400 : 1;
    if (e.shiftKey && !e.ctrlKey) {
      this.viewport.panBy(-(e.deltaX || e.deltaY) * scale, 0);
      return;
    }
    // A trackpad pinch arrives as a wheel with ctrlKey; a mouse wheel without. Both zoom.
    const delta = Math.max(-300, Math.min(300, e.deltaY * scale * (e.ctrlKey ? 4 : 1)));
    this.viewport.zoomAt(Math.exp(-delta * WHEEL_ZOOM), point.x, point.y);
  }
}

/** Whether a key press belongs to a text field rather than to the board. @param {EventTarget | null} target */
export function typing(target) {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && !["button", "checkbox", "radio"].includes(/** @type {HTMLInputElement} */ (target).type));
}
