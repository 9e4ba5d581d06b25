// Where a board opens (issue 18). A board that fits the screen at a readable zoom is shown
// whole, as before. A bigger one (a template's board on a phone would open at a tenth of its
// size, painted as one picture) opens at a readable zoom on what the person needs first: their
// own notes, else the board's prompt, else the top left of everything, never zoomed so far out
// that text is too small to read.

import { bounds, contains, union } from "./geometry.js";

/** A note's text is readable from this zoom (its words about 12 px high and up). */
export const READABLE_ZOOM = 0.75;
/** Text on screen at least this high (px): a large prompt is readable further out than a note.
 * 14 px lets a 360 px phone show a template's prompt (board/core/plan.py, PROMPT_WIDTH) with
 * its lines whole, so nobody pans sideways to read each one. */
const READABLE_TEXT = 14;
/** The template's prompt (board/core/plan.py, PROMPT_ID). */
const PROMPT_ID = "tpl-prompt";
/** Room around what is shown (screen pixels): a whole board as "fit" shows it, or a part. */
const FIT_PAD = 48;
const PAD = 16;

/**
 * @typedef {{x: number, y: number, w: number, h: number}} Rect
 * @typedef {{x: number, y: number, zoom: number}} View
 */

/**
 * The view to open on, or null to stay at the start (everything is in view already).
 * @param {Map<string, any>} objects what this person sees, by id
 * @param {Set<string>} mine the ids of what this person made
 * @param {{width: number, height: number, visible: (margin?: number) => Rect}} viewport
 * @returns {View | null}
 */
export function openingView(objects, mine, viewport) {
  const placed = [...objects.values()].filter((obj) => obj.type !== "comment" && obj.type !== "vote" && obj.type !== "pollword");
  const all = union(placed.map(bounds));
  if (!all || contains(viewport.visible(0), all)) return null;
  const whole = fitting(all, viewport, FIT_PAD);
  if (whole >= READABLE_ZOOM) return { x: all.x + all.w / 2, y: all.y + all.h / 2, zoom: Math.min(whole, 1.5) };
  const own = union(placed.filter((obj) => mine.has(obj.id)).map(bounds));
  const prompt = objects.get(PROMPT_ID);
  if (own) return focusOn(own, READABLE_ZOOM, viewport);
  if (prompt) return focusOn(bounds(prompt), Math.min(READABLE_ZOOM, READABLE_TEXT / (prompt.size || READABLE_TEXT)), viewport);
  return focusOn(all, READABLE_ZOOM, viewport);
}

/**
 * `box` from its top at a readable zoom (`least`), centred across when it fits, else from its left.
 * @param {Rect} box @param {number} least @param {{width: number, height: number}} viewport @returns {View}
 */
function focusOn(box, least, viewport) {
  const zoom = Math.max(least, Math.min(fitting(box, viewport), 1));
  const half = (/** @type {number} */ size) => (size / 2 - PAD) / zoom;
  const x = box.w * zoom <= viewport.width - PAD * 2 ? box.x + box.w / 2 : box.x + half(viewport.width);
  const y = box.y + half(viewport.height); // from its top: what follows a prompt is below it
  return { x, y, zoom };
}

/**
 * The zoom that shows `box` whole with `pad` around it.
 * @param {Rect} box @param {{width: number, height: number}} viewport @param {number} [pad]
 */
function fitting(box, viewport, pad = PAD) {
  return Math.min((viewport.width - pad * 2) / Math.max(box.w, 1), (viewport.height - pad * 2) / Math.max(box.h, 1));
}
