// "Raised in N of M groups" on merged notes. N is the note's own `groups` (the board numbers
// the merge found the point on); M is the workshop's (boards with a note, and boards merged
// from: the record's `summary.groups`), asked of the server (GET .../groups) when a merged
// note is shown and again when a new merge arrives, since it grows as boards fill.
// One tracker per board page (per ctx), shared by the note labels and the gallery.
import { t, tn } from "../i18n.js";

/** @type {WeakMap<object, Groups>} */
const trackers = new WeakMap();

/** The tracker for this board page. @param {any} ctx */
export function groupsOf(ctx) {
  let tracker = trackers.get(ctx);
  if (!tracker) {
    tracker = new Groups(ctx);
    trackers.set(ctx, tracker);
  }
  return tracker;
}

/** Whether a note came out of a merge across groups (the record says so from two on). @param {any} note */
export const merged = (note) => note?.type === "note" && Array.isArray(note.groups) && note.groups.length > 1;

/**
 * The words under a merged note: "Raised in 2 of 3 groups", or, until M is known, "Raised by
 * 2 groups". @param {any} note @param {number | null} total
 */
export function raisedText(note, total) {
  const raised = note.groups.length;
  if (total === null) return tn("categories.raised_by", raised);
  return tn("categories.raised_in", Math.max(total, raised), { raised });
}

class Groups extends EventTarget {
  /** @param {any} ctx */
  constructor(ctx) {
    super();
    this.ctx = ctx;
    /** @type {number | null} */
    this.value = null;
    this.asking = false;
    this.again = false;
    /** The merges seen ("board numbers" of each merged note), to ask again when a new one comes. */
    this.seen = new Set();
    ctx.events.addEventListener("objects", (/** @type {CustomEvent} */ event) => {
      const objects = ctx.objects();
      for (const id of event.detail.ids) this.notice(objects.get(id));
    });
    for (const obj of ctx.objects().values()) this.notice(obj);
  }

  /** M, or null while it is not known. */
  total() {
    return this.value;
  }

  /** A note shown somewhere on this page (here or in a thumbnail): ask for M if it is new. @param {any} note */
  notice(note) {
    if (!merged(note)) return;
    const key = `${note.id}:${note.groups.join(",")}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.refresh();
  }

  async refresh() {
    if (this.asking) {
      this.again = true;
      return;
    }
    this.asking = true;
    try {
      const response = await fetch(`/api/workshops/${encodeURIComponent(this.ctx.config.workshop.id)}/groups`, { credentials: "same-origin" });
      if (response.ok) {
        const { groups } = await response.json();
        if (groups !== this.value) {
          this.value = groups;
          this.dispatchEvent(new CustomEvent("change", { detail: { total: groups } }));
        }
      }
    } catch {
      // Offline: the words say "raised by N groups" until the next merge or visit.
    } finally {
      this.asking = false;
      if (this.again) {
        this.again = false;
        this.refresh();
      }
    }
  }
}

/** The same words as an accessible name for a thumbnail's note. @param {any} note @param {number | null} total */
export function raisedLabel(note, total) {
  return t("categories.raised_note", { text: note.text || t("categories.empty_note"), raised: raisedText(note, total) });
}
