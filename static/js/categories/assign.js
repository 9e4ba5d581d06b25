// A note's category as the board can tell it, in the record's order (board/core/categorise.py):
// set explicitly > the category frame it sits in > a suggestion > none. The first two are
// worked out here from what this person sees, exactly as the server does; suggestions come
// from the server (suggestions.js: they need the taxonomy's examples and its matching).
// Pure: objects in, an answer out.

/**
 * @typedef {{key: string | null, source: "explicit" | "frame" | "suggested" | "none", matched?: string}} Assignment
 * @typedef {{category: string, matched?: string, confidence?: number}} Suggestion
 */

/** Half-open, like the server: a note on the line two columns share is in the right-hand one. */
function contains(/** @type {any} */ frame, /** @type {number} */ x, /** @type {number} */ y) {
  return frame.x <= x && x < frame.x + frame.w && frame.y <= y && y < frame.y + frame.h;
}

/**
 * The category frame a note sits in: among visible frames with a category of the taxonomy
 * that hold the note's centre, the innermost (smallest area), then the topmost by (z, id).
 * @param {any} note @param {Iterable<any>} frames @param {Record<string, string>} categories
 */
export function containingFrame(note, frames, categories) {
  const x = note.x + note.w / 2;
  const y = note.y + note.h / 2;
  let best = null;
  for (const frame of frames) {
    if (!frame.category || !(frame.category in categories) || frame.hidden || !contains(frame, x, y)) continue;
    if (!best) {
      best = frame;
      continue;
    }
    const area = frame.w * frame.h;
    const bestArea = best.w * best.h;
    if (area < bestArea || (area === bestArea && (frame.z > best.z || (frame.z === best.z && frame.id > best.id)))) best = frame;
  }
  return best;
}

/**
 * @param {any} note
 * @param {Iterable<any>} frames the board's frames
 * @param {Record<string, string>} categories the taxonomy's keys (to labels)
 * @param {Suggestion | undefined} suggestion the server's, if it has one for this note
 * @returns {Assignment}
 */
export function assignment(note, frames, categories, suggestion) {
  if (note.category && note.category in categories) return { key: note.category, source: "explicit" };
  const frame = containingFrame(note, frames, categories);
  if (frame) return { key: frame.category, source: "frame" };
  if (suggestion && suggestion.category in categories) return { key: suggestion.category, source: "suggested", matched: suggestion.matched };
  return { key: null, source: "none" };
}
