// What others change on the board, said to screen readers (issue 8): a polite live region
// that sums up remote changes at most every ANNOUNCE_MS ("2 notes added, 1 note changed"),
// never each keystroke of someone typing. This person's own changes are not announced (they
// know), nor is anything while the board is being loaded or reloaded from a snapshot.
//
// A change is someone else's when the object changed with none of this person's ops waiting
// on it: our own edits are applied with their op still in the outbox, and when the server
// later confirms them the object does not change again.

import { el } from "../dom.js";
import { t, tn } from "../i18n.js";
import { touched } from "./replica.js";

/**
 * What the announcer uses of the board, and nothing else.
 * @typedef {object} AnnouncerBoard
 * @property {HTMLElement} canvas the live region goes after it
 * @property {import("./replica.js").Replica} replica whose changes are announced
 */

export const ANNOUNCE_MS = 4000;
/** The shortest time between two announcements, and how long changes are gathered. */
const QUIET = new Set(["vote"]);
/** Kinds of object whose comings and goings are not announced (votes are secret until shown). */

/**
 * The objects changed by others since the last announcement, by what happened to them.
 * @typedef {{notesAdded: Set<string>, notesChanged: Set<string>, notesRemoved: Set<string>, commentsAdded: Set<string>, others: Set<string>}} Counts
 */

/**
 * @param {AnnouncerBoard} board
 * @returns {HTMLElement} the live region (visually hidden: the canvas shows the same changes)
 */
export function mountAnnouncer(board) {
  const { replica } = board;
  const region = el("p", { id: "announcer", class: "visually-hidden", role: "status", "aria-live": "polite", "aria-atomic": "true" });
  board.canvas.after(region);
  /** What each object looked like when last seen, to tell a real change from a re-send. */
  const seen = new Map();
  /** @type {Counts} */
  const counts = { notesAdded: new Set(), notesChanged: new Set(), notesRemoved: new Set(), commentsAdded: new Set(), others: new Set() };
  let timer = 0;
  let lastSaid = 0;

  const remember = () => {
    seen.clear();
    for (const [id, obj] of replica.view) seen.set(id, signature(obj));
  };

  replica.addEventListener("objects", (event) => {
    const { ids, reset } = /** @type {CustomEvent} */ (event).detail;
    if (reset) {
      remember();
      return;
    }
    const pending = new Set(replica.outbox.entries.flatMap((entry) => touched(entry.op)));
    let any = false;
    for (const id of ids) {
      const before = seen.get(id);
      const obj = replica.view.get(id);
      const now = obj ? signature(obj) : undefined;
      if (now === undefined) seen.delete(id);
      else seen.set(id, now);
      if (before === now || pending.has(id)) continue;
      const kind = obj?.type ?? before?.split("\u0000", 1)[0];
      if (!kind || QUIET.has(kind)) continue;
      any = true;
      tally(counts, id, kind, before, now);
    }
    if (any && !timer) timer = window.setTimeout(say, Math.max(ANNOUNCE_MS - (performance.now() - lastSaid), 1000));
  });

  function say() {
    timer = 0;
    const parts = summary(counts);
    if (!parts.length) return;
    lastSaid = performance.now();
    region.textContent = t("access.changes", { changes: parts.join(", ") });
  }

  remember();
  return region;
}

/**
 * Count one object someone else changed: a note added, changed or removed, a comment added,
 * or something else. `before` and `now` are its signatures (undefined when it was not there).
 * @param {Counts} counts @param {string} id @param {string} kind @param {string | undefined} before @param {string | undefined} now
 */
function tally(counts, id, kind, before, now) {
  if (kind === "note") {
    if (before === undefined) counts.notesAdded.add(id);
    else if (now === undefined) counts.notesRemoved.add(id);
    else counts.notesChanged.add(id);
  } else if (kind === "comment" && before === undefined) {
    counts.commentsAdded.add(id);
  } else {
    counts.others.add(id);
  }
}

/**
 * What to say for the counts gathered ("2 notes added", …), emptying them.
 * @param {Counts} counts @returns {string[]}
 */
function summary(counts) {
  // A note added and then changed or removed before we spoke counts once, as what it is now.
  for (const id of counts.notesAdded) {
    counts.notesChanged.delete(id);
    if (counts.notesRemoved.delete(id)) counts.notesAdded.delete(id);
  }
  for (const id of counts.notesRemoved) counts.notesChanged.delete(id);
  const parts = [];
  if (counts.notesAdded.size) parts.push(tn("access.notes_added", counts.notesAdded.size));
  if (counts.notesChanged.size) parts.push(tn("access.notes_changed", counts.notesChanged.size));
  if (counts.notesRemoved.size) parts.push(tn("access.notes_removed", counts.notesRemoved.size));
  if (counts.commentsAdded.size) parts.push(tn("access.comments_added", counts.commentsAdded.size));
  if (counts.others.size) parts.push(tn("access.others_changed", counts.others.size));
  for (const set of Object.values(counts)) set.clear();
  return parts;
}

/**
 * Saying one thing now through the announcer's region (a facilitator's message): emptied
 * first, so the same words said twice are heard twice.
 * @param {HTMLElement} region the announcer's live region
 * @returns {(text: string) => void}
 */
export function announcing(region) {
  return (text) => {
    region.textContent = "";
    requestAnimationFrame(() => {
      region.textContent = text;
    });
  };
}

const SHOWN = ["text", "color", "title", "kind", "category", "x", "y", "w", "h", "hidden", "private", "resolved", "fill", "stroke"];
/** What people see of an object, as one string: a change to it is a change to this. @param {any} obj */
function signature(obj) {
  return `${obj.type}\u0000${JSON.stringify(SHOWN.map((key) => obj[key]))}\u0000${obj.points?.length ?? ""}`;
}
