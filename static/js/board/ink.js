// Pen strokes: smoothing what the hand drew, simplifying it under the server's point limit,
// and drawing it as a smooth curve. Pure functions of flat number arrays (x0, y0, x1, y1, ...),
// the wire format of a stroke's `points`.

/**
 * Exponential smoothing of raw pointer samples: takes the jitter of a mouse or a finger out
 * without lagging far behind the pointer. `amount` 0 keeps the input, 1 would never move.
 * @param {number[]} points @param {number} [amount]
 */
export function smooth(points, amount = 0.45) {
  if (points.length <= 4) return points.slice();
  const out = [points[0], points[1]];
  let x = points[0];
  let y = points[1];
  for (let i = 2; i < points.length; i += 2) {
    x = x * amount + points[i] * (1 - amount);
    y = y * amount + points[i + 1] * (1 - amount);
    out.push(x, y);
  }
  // End where the pointer ended.
  out.push(points[points.length - 2], points[points.length - 1]);
  return out;
}

/**
 * Ramer-Douglas-Peucker: drop points closer than `tolerance` to the line through their
 * neighbours. Iterative, so a long stroke cannot overflow the stack.
 * @param {number[]} points @param {number} tolerance
 */
export function simplify(points, tolerance) {
  const count = points.length / 2;
  if (count <= 2) return points.slice();
  const keep = new Uint8Array(count);
  keep[0] = keep[count - 1] = 1;
  const stack = [[0, count - 1]];
  while (stack.length) {
    const [first, last] = /** @type {[number, number]} */ (stack.pop());
    const ax = points[first * 2];
    const ay = points[first * 2 + 1];
    const bx = points[last * 2];
    const by = points[last * 2 + 1];
    const dx = bx - ax;
    const dy = by - ay;
    const length = Math.hypot(dx, dy);
    let worst = -1;
    let index = -1;
    for (let i = first + 1; i < last; i += 1) {
      const px = points[i * 2];
      const py = points[i * 2 + 1];
      const distance = length === 0 ? Math.hypot(px - ax, py - ay) : Math.abs(dy * px - dx * py + bx * ay - by * ax) / length;
      if (distance > worst) {
        worst = distance;
        index = i;
      }
    }
    if (worst > tolerance && index > 0) {
      keep[index] = 1;
      stack.push([first, index], [index, last]);
    }
  }
  const out = [];
  for (let i = 0; i < count; i += 1) if (keep[i]) out.push(points[i * 2], points[i * 2 + 1]);
  return out;
}

/**
 * A stroke ready to send: smoothed, simplified at `tolerance` (world units; about one screen
 * pixel), then simplified harder until it has at most `maxPoints` points, and rounded to
 * hundredths (the wire needs no more).
 * @param {number[]} raw @param {number} tolerance @param {number} maxPoints
 */
export function prepare(raw, tolerance, maxPoints) {
  let points = simplify(smooth(raw), tolerance);
  let factor = tolerance;
  while (points.length / 2 > maxPoints) {
    factor *= 1.6;
    points = simplify(points, factor);
  }
  if (points.length === 2) points = [points[0], points[1], points[0], points[1]]; // a dot
  return points.map((v) => Math.round(v * 100) / 100);
}

/**
 * An SVG path through the points as a smooth curve: quadratic segments between midpoints,
 * each point a control point. `dx`, `dy` shift every point.
 * @param {number[]} points @param {number} [dx] @param {number} [dy]
 */
export function smoothPath(points, dx = 0, dy = 0) {
  const n = points.length / 2;
  if (n === 0) return "";
  const x = (/** @type {number} */ i) => (points[i * 2] + dx).toFixed(2);
  const y = (/** @type {number} */ i) => (points[i * 2 + 1] + dy).toFixed(2);
  if (n === 1) return `M${x(0)} ${y(0)}l0.01 0`;
  if (n === 2) return `M${x(0)} ${y(0)}L${x(1)} ${y(1)}`;
  let d = `M${x(0)} ${y(0)}`;
  for (let i = 1; i < n - 1; i += 1) {
    const mx = ((points[i * 2] + points[i * 2 + 2]) / 2 + dx).toFixed(2);
    const my = ((points[i * 2 + 1] + points[i * 2 + 3]) / 2 + dy).toFixed(2);
    d += `Q${x(i)} ${y(i)} ${mx} ${my}`;
  }
  return `${d}L${x(n - 1)} ${y(n - 1)}`;
}
