// The font size at which a note's text fits its box ("font shrinks to fit", issues 3 and 18).
//
// Measuring with the DOM would force a layout per note per try; on a board of thousands that
// is the stutter we must avoid. Instead every word piece is measured once with a canvas at a
// reference size (text width grows in proportion to font size), and wrapping at any size is
// then arithmetic that follows the browser's: greedy lines, breaking at spaces and, when the
// text carries soft hyphens, at them (with a hyphen drawn). Results are cached.
//
// The order of preference: the largest size at which every word fits whole on its lines;
// else, when that is much smaller, the largest at which words break only at hyphenation
// points; never smaller than MIN_NOTE_FONT. A text that does not fit even then is drawn at
// MIN_NOTE_FONT and marked `more` (the note shows that it holds more, and the full text is
// one key or tap away: reader.js). Only a run of letters with no hyphenation point that is
// wider than the note at MIN_NOTE_FONT (a web address, say) is broken between letters.

import { SOFT_HYPHEN } from "./hyphenate.js";

export const NOTE_PADDING = 12;
export const LINE_HEIGHT = 1.25;
/** The smallest a note's text is drawn, in board pixels (at 100 % zoom, CSS pixels). */
export const MIN_NOTE_FONT = 11;
/** Whole words are preferred over hyphenated ones unless that costs more than this share of the size. */
const WHOLE_WORDS_SHARE = 0.8;
/** The share of a line the arithmetic fills, so canvas and DOM rounding never disagree. */
const SAFE_WIDTH = 0.96;
const REFERENCE = 100;
const FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** @typedef {{size: number, hyphenate: boolean, more: boolean}} Fit */

/** @type {CanvasRenderingContext2D | null} */
let context = null;
/** @type {Map<string, number>} */
const widths = new Map();
/** @type {Map<string, Fit>} */
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
 * How `text` wraps at font `size` in a box `width` wide: its number of lines, and whether a
 * piece of it (a word, or the part of one between soft hyphens) is wider than a line and so
 * has to be broken between letters.
 * @param {string} text @param {number} size @param {number} width
 * @returns {{lines: number, broken: boolean}}
 */
export function wrap(text, size, width) {
  const scale = size / REFERENCE;
  const space = measure(" ") * scale;
  const hyphen = measure("-") * scale;
  let lines = 0;
  let broken = false;
  for (const paragraph of text.split("\n")) {
    lines += 1;
    let used = 0;
    for (const word of paragraph.split(/ +/)) {
      if (!word) continue;
      const pieces = word.split(SOFT_HYPHEN).map((piece) => measure(piece) * scale);
      const whole = pieces.reduce((sum, w) => sum + w, 0);
      if (used > 0 && used + space + whole <= width) {
        used += space + whole;
        continue;
      }
      let start = used > 0 ? used + space : 0;
      let i = 0;
      while (i < pieces.length) {
        // As many pieces as fit on this line, with a hyphen after them unless they end the word.
        let run = 0;
        let j = i;
        while (j < pieces.length && start + run + pieces[j] + (j + 1 < pieces.length ? hyphen : 0) <= width) {
          run += pieces[j];
          j += 1;
        }
        if (j === i) {
          if (start > 0) {
            lines += 1;
            start = 0;
            continue;
          }
          // One piece wider than a whole line: broken between letters.
          broken = true;
          const extra = Math.ceil(pieces[i] / width) - 1;
          lines += extra;
          run = pieces[i] - extra * width;
          j = i + 1;
        }
        i = j;
        start += run;
        if (i < pieces.length) {
          lines += 1;
          start = 0;
        }
      }
      used = start;
    }
  }
  return { lines, broken };
}

/** How many lines `text` takes (see `wrap`). @param {string} text @param {number} size @param {number} width */
export function lineCount(text, size, width) {
  return wrap(text, size, width).lines;
}

/** The largest size a note's text may have: big on a big note. @param {number} w @param {number} h */
export function maxFont(w, h) {
  return Math.max(14, Math.min(48, Math.min(w, h) / 7));
}

/**
 * The largest size from `top` down to MIN_NOTE_FONT at which `text` fits, or null.
 * @param {string} text @param {number} top @param {number} width @param {number} height
 */
function largest(text, top, width, height) {
  const fits = (/** @type {number} */ size) => {
    const { lines, broken } = wrap(text, size, width);
    return !broken && lines * size * LINE_HEIGHT <= height;
  };
  if (fits(top)) return top;
  if (!fits(MIN_NOTE_FONT)) return null;
  let low = MIN_NOTE_FONT;
  let high = top;
  for (let i = 0; i < 8; i += 1) {
    const mid = (low + high) / 2;
    if (fits(mid)) low = mid;
    else high = mid;
  }
  return Math.floor(low * 2) / 2;
}

/**
 * How a note's text is drawn in a text box of `width` x `height` (inside its padding):
 * its size, whether with `hyphenated` (the text with soft hyphens, or null while its
 * language's patterns load), and whether it holds more than it shows.
 * @param {string} text @param {string | null} hyphenated @param {number} width @param {number} height @param {number} top
 * @returns {Fit}
 */
export function fitText(text, hyphenated, width, height, top) {
  if (!text) return { size: top, hyphenate: false, more: false };
  const key = `${width}|${height}|${top}|${hyphenated !== null}|${text}`;
  const cached = fitted.get(key);
  if (cached) return cached;
  const line = Math.max(1, width * SAFE_WIDTH);
  const whole = largest(text, top, line, height);
  const broken = hyphenated !== null && hyphenated !== text ? largest(hyphenated, top, line, height) : null;
  /** @type {Fit} */
  let fit;
  if (whole !== null && (broken === null || whole >= broken * WHOLE_WORDS_SHARE)) fit = { size: whole, hyphenate: false, more: false };
  else if (broken !== null) fit = { size: broken, hyphenate: true, more: false };
  else {
    const { lines } = wrap(hyphenated ?? text, MIN_NOTE_FONT, line);
    fit = { size: MIN_NOTE_FONT, hyphenate: hyphenated !== null, more: lines * MIN_NOTE_FONT * LINE_HEIGHT > height };
  }
  if (fitted.size > 20_000) fitted.clear();
  fitted.set(key, fit);
  return fit;
}

/**
 * The font size (px, in world units) at which `text` fits a whole note of `w` x `h` (words
 * whole or broken between letters as a last resort): for places that draw a note's text
 * without its chips, such as the overview.
 * @param {string} text @param {number} w @param {number} h
 */
export function fitFont(text, w, h) {
  return fitText(text, null, w - 2 * NOTE_PADDING, h - 2 * NOTE_PADDING, maxFont(w, h)).size;
}
