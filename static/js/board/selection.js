// What this person has selected, and the marks drawn around it: an outline per object, a box
// around a group, and a resize handle when one resizable object is selected. Marks live in a
// screen-space layer over the board, so they stay the same thickness at every zoom.

import { el } from "../dom.js";
import { t } from "../i18n.js";
import { bounds, union } from "./geometry.js";

/**
 * @typedef {import("./render.js").Renderer} Renderer
 * @typedef {import("./viewport.js").Viewport} Viewport
 * @typedef {import("../protocol.js").BoardObject} BoardObject
 */

export const RESIZABLE = new Set(["note", "shape", "text", "frame", "definition"]);
const MAX_OUTLINES = 150;
/** Past this many selected objects only the group's box is drawn. */

export class Selection extends EventTarget {
  /** @param {{layer: HTMLElement, renderer: Renderer, viewport: Viewport}} options */
  constructor({ layer, renderer, viewport }) {
    super();
    /** @type {Set<string>} */
    this.ids = new Set();
    this.layer = layer;
    this.renderer = renderer;
    this.viewport = viewport;
    this.handle = el("div", { class: "resize-handle", "data-handle": "resize", "aria-hidden": "true", hidden: true });
    this.handle.append(el("span", { class: "resize-grip" }));
    this.group = el("div", { class: "selection-group", hidden: true });
    layer.append(this.group, this.handle);
    /** @type {HTMLElement[]} */
    this.outlines = [];
    this.allowResize = true;
    this.frame = 0;
    renderer.decorators.push((node, obj) => node.classList.toggle("selected", this.ids.has(obj.id)));
    renderer.addEventListener("drawn", (event) => {
      /** @type {Set<string> | undefined} */
      const ids = /** @type {CustomEvent} */ (event).detail.ids;
      if (ids) {
        const gone = [...ids].filter((id) => this.ids.has(id) && !renderer.replica.get(id));
        if (gone.length) {
          this.set([...this.ids].filter((id) => !gone.includes(id)));
          return;
        }
        if (![...ids].some((id) => this.ids.has(id))) return;
      } else {
        const gone = [...this.ids].filter((id) => !renderer.replica.get(id));
        if (gone.length) {
          this.set([...this.ids].filter((id) => !gone.includes(id)));
          return;
        }
      }
      this.schedule();
    });
    viewport.addEventListener("frame", () => this.draw());
  }

  /** @param {string} id */
  has(id) {
    return this.ids.has(id);
  }

  get size() {
    return this.ids.size;
  }

  /** The selected objects as drawn. */
  objects() {
    return [...this.ids].map((id) => this.renderer.object(id)).filter((obj) => obj !== undefined);
  }

  /** @param {Iterable<string>} ids */
  set(ids) {
    const next = new Set(ids);
    if (next.size === this.ids.size && [...next].every((id) => this.ids.has(id))) return;
    const changed = new Set([...this.ids, ...next]);
    this.ids = next;
    for (const id of changed) {
      const node = this.renderer.element(id);
      if (node) node.classList.toggle("selected", this.ids.has(id));
    }
    this.schedule();
    this.dispatchEvent(new CustomEvent("change", { detail: { ids: [...this.ids] } }));
  }

  /** @param {string} id */
  toggle(id) {
    const next = new Set(this.ids);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.set(next);
  }

  clear() {
    this.set([]);
  }

  schedule() {
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.draw();
      });
    }
  }

  /** Screen box of a world box. @param {import("./viewport.js").Rect} box */
  screenBox(box) {
    const [x, y] = this.viewport.toScreen(box.x, box.y);
    return { x, y, w: box.w * this.viewport.zoom, h: box.h * this.viewport.zoom };
  }

  /** The selection's box on screen, or null. */
  box() {
    const world = union(this.objects().map(bounds));
    return world ? this.screenBox(world) : null;
  }

  draw() {
    const objects = this.objects();
    const boxes = objects.length <= MAX_OUTLINES ? objects.map((obj) => bounds(obj)).filter(Boolean) : [];
    while (this.outlines.length < boxes.length) {
      const outline = el("div", { class: "selection-outline" });
      this.layer.prepend(outline);
      this.outlines.push(outline);
    }
    this.outlines.forEach((outline, i) => {
      const box = boxes[i];
      outline.hidden = !box;
      if (box) place(outline, this.screenBox(/** @type {any} */ (box)));
    });
    const whole = this.box();
    this.group.hidden = !whole || objects.length < 2;
    if (whole && objects.length > 1) place(this.group, whole);
    const single = objects.length === 1 ? objects[0] : null;
    const resizable = single && RESIZABLE.has(single.type) && this.allowResize;
    this.handle.hidden = !resizable;
    if (resizable && single) {
      const box = /** @type {any} */ (bounds(single));
      const line = single.type === "shape" && (single.kind === "line" || single.kind === "arrow");
      const [hx, hy] = line ? this.viewport.toScreen(single.x + single.w, single.y + single.h) : this.viewport.toScreen(box.x + box.w, box.y + box.h);
      this.handle.style.transform = `translate(${hx}px, ${hy}px)`;
      this.handle.title = t("board.resize");
    }
    this.dispatchEvent(new CustomEvent("drawn", { detail: { box: whole } }));
  }
}

/** @param {HTMLElement} node @param {{x: number, y: number, w: number, h: number}} box */
function place(node, box) {
  node.style.transform = `translate(${box.x}px, ${box.y}px)`;
  node.style.width = `${Math.max(1, box.w)}px`;
  node.style.height = `${Math.max(1, box.h)}px`;
}
