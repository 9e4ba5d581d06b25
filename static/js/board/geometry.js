// Where objects are: bounding boxes in world coordinates and the tests built on them. Pure
// functions of plain objects, so culling, marquee selection and fitting agree.

/** @typedef {import("./viewport.js").Rect} Rect */
/** @typedef {import("../protocol.js").BoardObject} BoardObject */

/** @type {WeakMap<object, Rect>} */
const strokeBoxes = new WeakMap();

/** A stroke's points relative to its (x, y), as a box. Cached per object (objects are replaced, never mutated). */
function strokeBox(/** @type {BoardObject} */ obj) {
  let box = strokeBoxes.get(obj);
  if (!box) {
    const points = obj.points ?? [];
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i + 1 < points.length; i += 2) {
      minX = Math.min(minX, points[i]);
      maxX = Math.max(maxX, points[i]);
      minY = Math.min(minY, points[i + 1]);
      maxY = Math.max(maxY, points[i + 1]);
    }
    if (minX === Infinity) minX = minY = maxX = maxY = 0;
    const pad = (obj.width ?? 3) / 2;
    box = { x: minX - pad, y: minY - pad, w: maxX - minX + 2 * pad, h: maxY - minY + 2 * pad };
    strokeBoxes.set(obj, box);
  }
  return box;
}

/** Rough height of a text object, whose height follows its text. */
export function textHeight(/** @type {BoardObject} */ obj) {
  const size = obj.size ?? 20;
  const perLine = Math.max(1, Math.floor((obj.w ?? 240) / (size * 0.55)));
  let lines = 0;
  for (const line of String(obj.text ?? "").split("\n")) lines += Math.max(1, Math.ceil(line.length / perLine));
  return Math.max(1, lines) * size * 1.3 + 8;
}

/**
 * The world box of a placed object, or null for objects with no place of their own.
 * @param {BoardObject} obj @returns {Rect | null}
 */
export function bounds(obj) {
  if (typeof obj.x !== "number" || typeof obj.y !== "number") return null;
  switch (obj.type) {
    case "stroke": {
      const box = strokeBox(obj);
      return { x: obj.x + box.x, y: obj.y + box.y, w: box.w, h: box.h };
    }
    case "shape": {
      const x = Math.min(obj.x, obj.x + obj.w);
      const y = Math.min(obj.y, obj.y + obj.h);
      return { x, y, w: Math.max(1, Math.abs(obj.w)), h: Math.max(1, Math.abs(obj.h)) };
    }
    case "text":
      return { x: obj.x, y: obj.y, w: obj.w, h: textHeight(obj) };
    case "note":
    case "frame":
    case "definition":
      return { x: obj.x, y: obj.y, w: obj.w, h: obj.h };
    case "comment":
      return { x: obj.x, y: obj.y, w: 1, h: 1 };
    default:
      return typeof obj.w === "number" && typeof obj.h === "number"
        ? { x: obj.x, y: obj.y, w: obj.w, h: obj.h }
        : { x: obj.x, y: obj.y, w: 1, h: 1 };
  }
}

/** @param {Rect} a @param {Rect} b */
export function intersects(a, b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** @param {Rect} outer @param {Rect} inner */
export function contains(outer, inner) {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
}

/** The box around several boxes, or null. @param {Iterable<Rect | null>} boxes @returns {Rect | null} */
export function union(boxes) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const box of boxes) {
    if (!box) continue;
    minX = Math.min(minX, box.x);
    minY = Math.min(minY, box.y);
    maxX = Math.max(maxX, box.x + box.w);
    maxY = Math.max(maxY, box.y + box.h);
  }
  return minX === Infinity ? null : { x: minX, y: minY, w: maxX - minX, h: maxY - minY };
}

/** A rectangle from two corners in any order. */
export function rectFrom(/** @type {number} */ x1, /** @type {number} */ y1, /** @type {number} */ x2, /** @type {number} */ y2) {
  return { x: Math.min(x1, x2), y: Math.min(y1, y2), w: Math.abs(x2 - x1), h: Math.abs(y2 - y1) };
}

/** Distance from point p to the segment a-b. */
export function segmentDistance(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const length = dx * dx + dy * dy;
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Whether a stroke passes within `radius` of a world point. @param {BoardObject} obj */
export function strokeNear(obj, wx, wy, radius) {
  const points = obj.points ?? [];
  const reach = radius + (obj.width ?? 3) / 2;
  const x = wx - obj.x;
  const y = wy - obj.y;
  if (points.length === 2) return Math.hypot(x - points[0], y - points[1]) <= reach;
  for (let i = 0; i + 3 < points.length; i += 2) {
    if (segmentDistance(x, y, points[i], points[i + 1], points[i + 2], points[i + 3]) <= reach) return true;
  }
  return false;
}
