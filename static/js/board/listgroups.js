// The board's notes as a list (listview.js), grouped and in reading order. Pure: objects in,
// groups out, so the same board always lists the same way for everyone.
//
// By frame: each note goes with the innermost frame holding its centre (frames in reading
// order: top to bottom, then left to right, the way columns and rows of a workshop board are
// read), and notes in no frame come last. By category: a note's category as the record has it,
// set on the note or given by the category frame it sits in (categories/assign.js), in the
// taxonomy's order, and notes with none come last. Within a group, notes read in rows: top to
// bottom, left to right, a row being notes whose tops are within half a note of each other.

import { assignment } from "../categories/assign.js";

/**
 * @typedef {{key: string, kind: "frame" | "category" | "loose" | "unsorted" | "all", title: string, category: string | null, notes: any[]}} Group
 */

const ROW = 100;
/** World units: notes whose tops differ by less than this read as one row. */

/** Whether (x, y) lies in a frame (half-open, like the server). @param {any} frame @param {number} x @param {number} y */
function holds(frame, x, y) {
  return frame.x <= x && x < frame.x + frame.w && frame.y <= y && y < frame.y + frame.h;
}

/** The innermost frame holding a note's centre, or null. @param {any} note @param {any[]} frames */
export function frameOf(note, frames) {
  const x = note.x + note.w / 2;
  const y = note.y + note.h / 2;
  let best = null;
  for (const frame of frames) {
    if (frame.hidden || !holds(frame, x, y)) continue;
    if (!best || frame.w * frame.h < best.w * best.h) best = frame;
  }
  return best;
}

/** Reading order: rows from the top, left to right in a row, then by id. @param {any} a @param {any} b */
export function readingOrder(a, b) {
  const row = Math.floor(a.y / ROW) - Math.floor(b.y / ROW);
  return row || a.x - b.x || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Notes grouped by the frame they sit in.
 * @param {Iterable<any>} objects @param {(frame: any) => string} title a frame's title in words
 * @param {Record<string, string>} categories
 * @returns {Group[]}
 */
export function byFrame(objects, title, categories) {
  const all = [...objects];
  const frames = all.filter((obj) => obj.type === "frame").sort(readingOrder);
  const notes = all.filter((obj) => obj.type === "note").sort(readingOrder);
  /** @type {Map<string, Group>} */
  const groups = new Map(
    frames.map((frame) => [frame.id, { key: `frame:${frame.id}`, kind: "frame", title: title(frame), category: frame.category && categories[frame.category] ? categories[frame.category] : null, notes: [] }]),
  );
  /** @type {Group} */
  const loose = { key: "loose", kind: frames.length ? "loose" : "all", title: "", category: null, notes: [] };
  for (const note of notes) {
    const frame = frameOf(note, frames);
    (frame ? /** @type {Group} */ (groups.get(frame.id)) : loose).notes.push(note);
  }
  return [...groups.values(), loose].filter((group) => group.notes.length || group.kind === "frame");
}

/**
 * Notes grouped by category, in the taxonomy's order.
 * @param {Iterable<any>} objects @param {Record<string, string>} categories key -> label, in order
 * @returns {Group[]}
 */
export function byCategory(objects, categories) {
  const all = [...objects];
  const frames = all.filter((obj) => obj.type === "frame");
  const notes = all.filter((obj) => obj.type === "note").sort(readingOrder);
  /** @type {Map<string, Group>} */
  const groups = new Map(Object.entries(categories).map(([key, label]) => [key, { key: `category:${key}`, kind: "category", title: label, category: label, notes: [] }]));
  /** @type {Group} */
  const unsorted = { key: "unsorted", kind: "unsorted", title: "", category: null, notes: [] };
  for (const note of notes) {
    const { key } = assignment(note, frames, categories, undefined);
    (key && groups.has(key) ? /** @type {Group} */ (groups.get(key)) : unsorted).notes.push(note);
  }
  return [...groups.values(), unsorted].filter((group) => group.notes.length);
}
