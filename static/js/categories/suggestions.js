// Suggested categories of this board's notes, for facilitators (who accept them). The server
// makes suggestions from what the notes say and from the notes the workshop has already sorted
// (board/core/categorise.py); the
// board asks for them (GET .../categories, facilitators only) once connected and again a
// little after notes or frames change, never more often than MIN_GAP_MS and not while the
// page is hidden: the answer covers the whole workshop and costs the server a pass over every
// note (about 0.3 s of CPU for 3,000 notes, BENCHMARKS.md; 0.02 s for a typical workshop's 200).

import { errorText } from "../errors.js";

/** Wait this long after the last change before asking, in ms. */
const SETTLE_MS = 1500;
/** Never ask more often than this, in ms. */
const MIN_GAP_MS = 10_000;

/** @typedef {import("./assign.js").Suggestion} Suggestion */

export class Suggestions extends EventTarget {
  /** @param {any} ctx */
  constructor(ctx) {
    super();
    this.ctx = ctx;
    /** note id -> suggestion. @type {Map<string, Suggestion>} */
    this.byNote = new Map();
    this.timer = 0;
    this.last = 0;
    this.asking = false;
    this.again = false;
    /** Whether something changed while the page was hidden. */
    this.missed = false;
    ctx.events.addEventListener("welcome", () => this.schedule(0));
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden && this.missed) this.schedule(0);
    });
    ctx.events.addEventListener("objects", (/** @type {CustomEvent} */ event) => {
      const objects = ctx.objects();
      for (const id of event.detail.ids) {
        const obj = objects.get(id);
        // A note or a frame changed, or something that was one went.
        if (!obj || obj.type === "note" || obj.type === "frame") {
          this.schedule(SETTLE_MS);
          return;
        }
      }
    });
  }

  /** @param {string} id */
  get(id) {
    return this.byNote.get(id);
  }

  /**
   * Ask in `wait` ms (at the earliest MIN_GAP_MS after the last time). A question already
   * waiting is not put off by more changes, so someone typing for a minute does not keep the
   * suggestions stale for a minute. @param {number} wait
   */
  schedule(wait) {
    if (this.timer && wait > 0) return;
    clearTimeout(this.timer);
    const gap = Math.max(wait, this.last + MIN_GAP_MS - Date.now());
    this.timer = window.setTimeout(() => {
      this.timer = 0;
      this.fetch();
    }, Math.max(0, gap));
  }

  async fetch() {
    if (document.hidden) {
      this.missed = true;
      return;
    }
    this.missed = false;
    if (this.asking) {
      this.again = true;
      return;
    }
    this.asking = true;
    this.last = Date.now();
    try {
      const workshop = encodeURIComponent(this.ctx.config.workshop.id);
      const response = await fetch(`/api/workshops/${workshop}/categories`, { credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      /** @type {Map<string, Suggestion>} */
      const found = new Map();
      const prefix = `${this.ctx.config.number}:`;
      for (const note of data.notes) {
        if (note.source !== "suggested" || !note.note.startsWith(prefix)) continue;
        found.set(note.note.slice(prefix.length), { category: note.category, matched: note.matched, confidence: note.confidence });
      }
      const changed = new Set([...found.keys(), ...this.byNote.keys()].filter((id) => found.get(id)?.category !== this.byNote.get(id)?.category));
      this.byNote = found;
      if (changed.size) this.dispatchEvent(new CustomEvent("change", { detail: { ids: changed } }));
    } catch {
      // Offline: the next change asks again.
    } finally {
      this.asking = false;
      if (this.again) {
        this.again = false;
        this.schedule(0);
      }
    }
  }

  /**
   * Accept the suggestion for one note (POST .../categories/accept): it becomes the note's
   * category, set as if chosen from its menu. Resolves to the category, or throws with the
   * server's reason. @param {string} id
   */
  async accept(id) {
    const workshop = encodeURIComponent(this.ctx.config.workshop.id);
    const response = await fetch(`/api/workshops/${workshop}/categories/accept`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ notes: [`${this.ctx.config.number}:${id}`] }),
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => null);
    if (!response.ok) throw new Error(errorText(data?.error));
    this.byNote.delete(id);
    this.dispatchEvent(new CustomEvent("change", { detail: { ids: new Set([id]) } }));
    const accepted = data.accepted.find((/** @type {any} */ entry) => entry.note === `${this.ctx.config.number}:${id}`);
    return accepted ? accepted.category : null;
  }
}
