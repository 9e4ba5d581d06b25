// What a note shows of its category and its groups: a small label in words (never colour
// alone), "Suggested: …" marked apart (dashed, and in its words), and "Raised in N of M
// groups" under a merged note. Drawn inside each note's element through ctx.decorate, and
// drawn again when something the label depends on but the note does not changes: a frame
// moved (the note may now sit in another column), a suggestion arrived, M became known.
import { el, setText } from "../dom.js";
import { t } from "../i18n.js";
import { assignment } from "./assign.js";
import { merged, raisedText } from "./groups.js";

/**
 * @typedef {import("./assign.js").Assignment} Assignment
 * @typedef {{get: (id: string) => import("./assign.js").Suggestion | undefined}} SuggestionSource
 */

export class Labels {
  /**
   * @param {any} ctx
   * @param {SuggestionSource} suggestions
   * @param {{total: () => number | null}} groups
   */
  constructor(ctx, suggestions, groups) {
    this.ctx = ctx;
    this.suggestions = suggestions;
    this.groups = groups;
    /** The board's frames, kept until one changes. @type {any[] | null} */
    this.frames = null;
    /** Note elements decorated, by id: checked before use, since elements come and go. @type {Map<string, HTMLElement>} */
    this.nodes = new Map();
    /** The object each element was last drawn from (a dragged note's, ahead of the board's). @type {WeakMap<HTMLElement, any>} */
    this.drawnFrom = new WeakMap();
    ctx.events.addEventListener("objects", (/** @type {CustomEvent} */ event) => {
      const objects = ctx.objects();
      for (const id of event.detail.ids) {
        const obj = objects.get(id);
        if (obj?.type === "frame" || this.frames?.some((frame) => frame.id === id)) {
          this.frames = null;
          this.redrawAll();
          return;
        }
      }
    });
    ctx.decorate((/** @type {HTMLElement} */ node, /** @type {any} */ obj) => this.draw(node, obj));
  }

  /** The category a note has now. @param {any} note @returns {Assignment} */
  of(note) {
    if (!this.frames) this.frames = [...this.ctx.objects().values()].filter((obj) => obj.type === "frame");
    return assignment(note, this.frames, this.ctx.config.categories ?? {}, this.suggestions.get(note.id));
  }

  /** @param {HTMLElement} node @param {any} obj */
  draw(node, obj) {
    if (obj.type !== "note") return;
    this.nodes.set(obj.id, node);
    this.drawnFrom.set(node, obj);
    const found = this.of(obj);
    const marks = this.marks(node, obj.id);
    const label = /** @type {HTMLElement} */ (marks.querySelector(".note-category"));
    label.hidden = found.key === null;
    label.dataset.source = found.source;
    label.dataset.category = found.key ?? "";
    const name = found.key ? this.ctx.config.categories[found.key] ?? found.key : "";
    const words = found.source === "suggested" ? t("categories.suggested", { category: name }) : name;
    setText(label, words);
    label.title = found.source === "frame" ? t("categories.from_frame", { category: name }) : found.source === "suggested" ? t("categories.suggested_hint") : "";
    const raised = /** @type {HTMLElement} */ (marks.querySelector(".note-raised"));
    raised.hidden = !merged(obj);
    setText(raised, merged(obj) ? raisedText(obj, this.groups.total()) : "");
    marks.hidden = label.hidden && raised.hidden;
    // Read with the note: its category, or that it has none yet.
    const described = [label.hidden ? "" : label.id, raised.hidden ? "" : raised.id].filter(Boolean).join(" ");
    if (described) node.setAttribute("aria-describedby", described);
    else node.removeAttribute("aria-describedby");
  }

  /** The note's marks holder, made once per element. @param {HTMLElement} node @param {string} id */
  marks(node, id) {
    let marks = /** @type {HTMLElement | null} */ (node.querySelector(".note-marks"));
    if (!marks) {
      marks = el("span", { class: "note-marks" });
      marks.append(el("span", { class: "note-category", id: `category-of-${id}` }), el("span", { class: "note-raised", id: `raised-of-${id}` }));
      // In the note's foot, beside its other chips: they take room of their own, never the text's.
      (node.querySelector(":scope > .note-foot") ?? node).append(marks);
    }
    return marks;
  }

  /** Draw again the labels of these notes (all, when null). @param {Set<string> | null} ids */
  redraw(ids) {
    for (const [id, node] of this.nodes) {
      if (ids && !ids.has(id)) continue;
      if (!node.isConnected || node.dataset.id !== id) {
        this.nodes.delete(id);
        continue;
      }
      // As the board last drew it (a note being dragged is drawn ahead of the board's copy).
      const obj = this.drawnFrom.get(node) ?? this.ctx.objects().get(id);
      if (obj) this.draw(node, obj);
    }
  }

  redrawAll() {
    this.redraw(null);
  }
}

