// Drawing the board: only what is on screen, or nearly.
//
// Objects whose box meets the *area* (the visible world grown by a margin on each side) have
// an element; nothing else does. While panning inside the area the renderer does nothing at
// all (the viewport moves one composited layer); crossing its edge re-culls once, with a scan
// of plain boxes and DOM work only for what came in or went out. Elements stay in drawing
// order, (z, id), so tab order is also stacking order: usually the order things were added in.
// Far out (below FAR_ZOOM), there are no elements at all: the overview canvas paints the
// whole board (overview.js), because thousands of elements cannot be panned smoothly.

import { build, DRAWN, setVotes, update } from "./items.js";
import { bounds, contains, intersects } from "./geometry.js";
import { compare, insertionIndex } from "./order.js";
import { FAR_ZOOM, Overview } from "./overview.js";

/**
 * @typedef {import("../protocol.js").BoardObject} BoardObject
 * @typedef {import("./viewport.js").Viewport} Viewport
 * @typedef {import("./replica.js").Replica} Replica
 * @typedef {import("./items.js").Env} Env
 * @typedef {{node: HTMLElement, obj: BoardObject}} Item
 */

const MARGIN = 0.5;
/** Screens of world drawn beyond each edge of the visible one... */
const NEAR_FAR_MARGIN = 0.25;
/** ...and a smaller margin when zoomed out (below 60 %), where each screen holds many objects. */
const BUILD_PER_FRAME = 120;
/** Elements built in one frame at most; measured: about a tenth of a millisecond each. */

export class Renderer extends EventTarget {
  /** @param {{world: HTMLElement, overview: HTMLCanvasElement, viewport: Viewport, replica: Replica, env: Env}} options */
  constructor({ world, overview, viewport, replica, env }) {
    super();
    this.world = world;
    this.viewport = viewport;
    this.replica = replica;
    this.env = env;
    this.overview = new Overview(overview, viewport, () => this.drawable());
    /** Whether the board is seen from far away (painted on the overview, no elements). */
    this.far = false;
    this.cullFrame = 0;
    /** @type {Map<string, Item>} */
    this.items = new Map();
    /** Drawn objects in drawing order. @type {BoardObject[]} */
    this.sorted = [];
    /** @type {import("./viewport.js").Rect} */
    this.area = { x: 0, y: 0, w: 0, h: 0 };
    this.areaZoom = 0;
    /** Properties shown ahead of the replica while a gesture is under way (a drag). @type {Map<string, Record<string, any>>} */
    this.overrides = new Map();
    /** Called with every element built or updated (selection marks, for one). @type {Array<(node: HTMLElement, obj: BoardObject) => void>} */
    this.decorators = [];
    /** Objects being edited in place: left alone by updates until the editor lets go. @type {Set<string>} */
    this.frozen = new Set();
    /** vote id -> target, and target -> count. */
    this.voteTargets = new Map();
    this.voteCounts = new Map();
    replica.addEventListener("objects", (event) => this.refresh(/** @type {CustomEvent} */ (event).detail));
    viewport.addEventListener("frame", () => this.moved());
  }

  /** The object as drawn: the replica's, with any gesture override. @param {string} id */
  object(id) {
    const obj = this.replica.get(id);
    const override = this.overrides.get(id);
    return obj && override ? { ...obj, ...override } : obj;
  }

  /** @param {string} id */
  element(id) {
    return this.items.get(id)?.node ?? null;
  }

  /** Show `props` for `id` ahead of the replica (null: stop). @param {string} id @param {Record<string, any> | null} props */
  preview(id, props) {
    if (props) this.overrides.set(id, props);
    else this.overrides.delete(id);
    this.refresh({ ids: new Set([id]) });
  }

  // -- culling ------------------------------------------------------------------------------

  /** Every object as drawn (gesture previews included), for the overview. */
  *drawable() {
    for (const id of this.replica.view.keys()) {
      const obj = this.object(id);
      if (obj && DRAWN.has(obj.type)) yield obj;
    }
  }

  moved() {
    const zoom = this.viewport.zoom;
    const far = zoom < FAR_ZOOM;
    if (far !== this.far) {
      this.far = far;
      this.overview.show(far);
      this.cull();
      this.dispatchEvent(new CustomEvent("distance", { detail: { far } }));
      return;
    }
    if (far) {
      this.overview.schedule();
      return;
    }
    const visible = this.viewport.visible(0);
    if (!contains(this.area, visible) || zoom > this.areaZoom * 2) this.cull();
  }

  /** Decide again what is drawn, from scratch (timed as "board-cull" for bench/frames.py). */
  cull() {
    const started = performance.now();
    this.area = this.far ? { x: 0, y: 0, w: 0, h: 0 } : this.viewport.visible(this.viewport.zoom < 0.6 ? NEAR_FAR_MARGIN : MARGIN);
    this.areaZoom = this.viewport.zoom;
    if (this.far) this.overview.changed();
    /** @type {BoardObject[]} */
    const wanted = [];
    for (const id of this.replica.view.keys()) {
      const obj = this.object(id);
      if (!obj || !DRAWN.has(obj.type)) continue;
      const box = bounds(obj);
      if (this.frozen.has(id) || (!this.far && box && intersects(box, this.area))) wanted.push(obj);
    }
    wanted.sort(compare);
    const keep = new Set(wanted.map((obj) => obj.id));
    for (const [id, item] of this.items) {
      if (!keep.has(id)) {
        item.node.remove();
        this.items.delete(id);
      }
    }
    // Walk the wanted order against the layer's children, inserting or moving only what is
    // out of place: already-drawn elements in the right order are not touched.
    let cursor = this.firstItem();
    let built = 0;
    for (const obj of wanted) {
      let item = this.items.get(obj.id);
      if (!item) {
        // Build a frame's worth now and the rest on the next frames, so coming in from far
        // away never freezes the page for one long frame (objects appear over a few frames).
        if (built >= BUILD_PER_FRAME) {
          this.scheduleCull();
          continue;
        }
        built += 1;
        item = this.make(obj);
        if (!item) continue;
      } else if (item.obj !== obj) {
        this.draw(item, obj);
      }
      if (item.node === cursor) {
        cursor = nextItem(cursor);
      } else {
        this.world.insertBefore(item.node, cursor);
      }
    }
    this.sorted = wanted.filter((obj) => this.items.has(obj.id));
    this.dispatchEvent(new CustomEvent("drawn", { detail: { count: this.items.size } }));
    performance.measure("board-cull", { start: started, detail: { built } });
  }

  scheduleCull() {
    if (this.cullFrame) return;
    this.cullFrame = requestAnimationFrame(() => {
      this.cullFrame = 0;
      if (!this.far) this.cull();
    });
  }

  firstItem() {
    return nextItem(this.world.firstElementChild, true);
  }

  // -- changes --------------------------------------------------------------------------------

  /** @param {{ids: Set<string>, reset?: boolean}} detail */
  refresh({ ids, reset = false }) {
    this.countVotes(ids, reset);
    if (reset) {
      this.cull();
      return;
    }
    if (this.far) this.overview.changed();
    for (const id of ids) {
      const obj = this.object(id);
      const item = this.items.get(id);
      const box = obj && DRAWN.has(obj.type) ? bounds(obj) : null;
      if (!obj || !box || !(this.frozen.has(id) || (!this.far && intersects(box, this.area)))) {
        if (item) this.forget(item);
        continue;
      }
      if (!item) {
        const made = this.make(obj);
        if (made) this.place(made);
      } else if (item.obj !== obj) {
        const reorder = compare(item.obj, obj) !== 0;
        if (reorder) this.unplace(item);
        this.draw(item, obj);
        if (reorder) this.place(item);
      }
    }
    this.dispatchEvent(new CustomEvent("drawn", { detail: { count: this.items.size, ids } }));
  }

  /** @param {BoardObject} obj @returns {Item | null} */
  make(obj) {
    const node = build(obj, this.env);
    if (!node) return null;
    /** @type {Item} */
    const item = { node, obj };
    this.items.set(obj.id, item);
    update(node, obj, undefined, this.env);
    this.finish(node, obj);
    return item;
  }

  /** @param {Item} item @param {BoardObject} obj */
  draw(item, obj) {
    if (this.frozen.has(obj.id)) {
      // Being typed into: move and resize it, keep the editor's text.
      update(item.node, { ...obj, text: item.obj.text }, item.obj, this.env);
      item.obj = { ...obj, text: item.obj.text };
    } else {
      update(item.node, obj, item.obj, this.env);
      item.obj = obj;
    }
    this.finish(item.node, obj);
  }

  /** @param {HTMLElement} node @param {BoardObject} obj */
  finish(node, obj) {
    setVotes(node, this.voteCounts.get(obj.id) ?? 0);
    for (const decorate of this.decorators) decorate(node, obj);
  }

  /** Insert an item at its place in drawing order. @param {Item} item */
  place(item) {
    const index = insertionIndex(this.sorted, item.obj);
    const next = this.sorted[index];
    this.sorted.splice(index, 0, item.obj);
    this.world.insertBefore(item.node, next ? this.items.get(next.id)?.node ?? null : this.afterItems());
  }

  /** @param {Item} item */
  unplace(item) {
    const index = this.sorted.findIndex((obj) => obj.id === item.obj.id);
    if (index >= 0) this.sorted.splice(index, 1);
  }

  /** @param {Item} item */
  forget(item) {
    this.unplace(item);
    item.node.remove();
    this.items.delete(item.obj.id);
  }

  /** The first non-item child of the layer (cursors, pins...), before which items end. */
  afterItems() {
    let node = this.world.lastElementChild;
    /** @type {Element | null} */
    let after = null;
    while (node && !node.classList.contains("item")) {
      after = node;
      node = node.previousElementSibling;
    }
    return after;
  }

  /** Keep vote counts per target (votes are not drawn, their targets carry a count). */
  countVotes(/** @type {Set<string>} */ ids, /** @type {boolean} */ reset) {
    const touchedTargets = new Set();
    if (reset) {
      for (const target of this.voteTargets.values()) touchedTargets.add(target);
      this.voteTargets.clear();
      this.voteCounts.clear();
      for (const obj of this.replica.view.values()) {
        if (obj.type !== "vote") continue;
        this.voteTargets.set(obj.id, obj.target);
        this.voteCounts.set(obj.target, (this.voteCounts.get(obj.target) ?? 0) + 1);
        touchedTargets.add(obj.target);
      }
    } else {
      for (const id of ids) {
        const obj = this.replica.get(id);
        const had = this.voteTargets.get(id);
        const has = obj?.type === "vote" ? obj.target : undefined;
        if (had === has) continue;
        if (had !== undefined) {
          this.voteCounts.set(had, (this.voteCounts.get(had) ?? 1) - 1);
          this.voteTargets.delete(id);
          touchedTargets.add(had);
        }
        if (has !== undefined) {
          this.voteCounts.set(has, (this.voteCounts.get(has) ?? 0) + 1);
          this.voteTargets.set(id, has);
          touchedTargets.add(has);
        }
      }
    }
    for (const target of touchedTargets) {
      const node = this.element(target);
      if (node) setVotes(node, this.voteCounts.get(target) ?? 0);
    }
  }
}

/** The next item element from `node` (itself included when `self`). @param {Element | null} node */
function nextItem(node, self = false) {
  let current = self ? node : node?.nextElementSibling ?? null;
  while (current && !current.classList.contains("item")) current = current.nextElementSibling;
  return current;
}
