// Font size that fits a note's text in its box ("font shrinks to fit", issue 3).
//
// Measuring with the DOM would force a layout per note per try; on a board of thousands that
// is the stutter we must avoid. Instead every word is measured once with a canvas at a
// reference size (text width grows in proportion to font size), and wrapping at any size is
// then arithmetic. Results are cached by text and box.

export const NOTE_PADDING = 12;
export const LINE_HEIGHT = 1.25;
export const MIN_NOTE_FONT = 9;
/** Below this a note's text is not shrunk further; it is clipped (the full text is in its label). */
const REFERENCE = 100;
const FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** @type {CanvasRenderingContext2D | null} */
let context = null;
/** @type {Map<string, number>} */
const widths = new Map();
/** @type {Map<string, number>} */
const fitted = new Map();

function measure(/** @type {string} */ word) {
  let width = widths.get(word);
  if (width === undefined) {
    if (!context) {
      context = document.createElement("canvas").getContext("2d");
      if (context) context.font = `${REFERENCE}px ${FAMILY}`;
    }
    width = context ? context.measureText(word).width : word.length * REFERENCE * 0.55;
    if (widths.size > 20_000) widths.clear();
    widths.set(word, width);
  }
  return width;
}

/**
 * How many lines `text` takes at font `size` in a box `width` wide, wrapping at spaces and
 * breaking words longer than a line, as CSS `overflow-wrap: anywhere` does.
 * @param {string} text @param {number} size @param {number} width
 */
export function lineCount(text, size, width) {
  const scale = size / REFERENCE;
  const space = measure(" ") * scale;
  let lines = 0;
  for (const paragraph of text.split("\n")) {
    lines += 1;
    let used = 0;
    for (const word of paragraph.split(/ +/)) {
      if (!word) continue;
      const w = measure(word) * scale;
      if (used > 0 && used + space + w <= width) {
        used += space + w;
      } else if (w <= width) {
        if (used > 0) lines += 1;
        used = w;
      } else {
        if (used > 0) lines += 1;
        const extra = Math.ceil(w / width) - 1;
        lines += extra;
        used = w - extra * width;
      }
    }
  }
  return lines;
}

/** The largest size a note's text may have: big on a big note. @param {number} w @param {number} h */
export function maxFont(w, h) {
  return Math.max(14, Math.min(48, Math.min(w, h) / 7));
}

/**
 * The font size (px, in world units) at which `text` fits a note of `w` x `h`.
 * @param {string} text @param {number} w @param {number} h
 */
export function fitFont(text, w, h) {
  const top = maxFont(w, h);
  if (!text) return top;
  const key = `${w}|${h}|${text}`;
  const cached = fitted.get(key);
  if (cached !== undefined) return cached;
  const width = w - 2 * NOTE_PADDING;
  const height = h - 2 * NOTE_PADDING;
  const fits = (/** @type {number} */ size) => lineCount(text, size, width) * size * LINE_HEIGHT <= height;
  let size = top;
  if (!fits(size)) {
    let low = MIN_NOTE_FONT;
    let high = top;
    for (let i = 0; i < 8; i += 1) {
      const mid = (low + high) / 2;
      if (fits(mid)) low = mid;
      else high = mid;
    }
    size = Math.floor(low * 2) / 2;
  }
  if (fitted.size > 20_000) fitted.clear();
  fitted.set(key, size);
  return size;
}
