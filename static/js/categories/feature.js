// Categories on the board page (issues 5 and 10), registered in ../board/features.js: every
// note shows its category in words (set, from its column, or, for facilitators, suggested)
// and "raised in N of M groups" once merged; the note's menu sets or clears its category and
// lets a facilitator accept a suggestion; definition cards are added from the toolbar or a
// category frame's menu.
import { el } from "../dom.js";
import { defineUnder, mountDefinitions } from "./definitions.js";
import { groupsOf } from "./groups.js";
import { Labels } from "./labels.js";
import { mountCategoryMenu } from "./menu.js";
import { Suggestions } from "./suggestions.js";

const STYLESHEET = "/static/css/categories.css";

/** @param {any} ctx the board's feature context */
export function mountCategories(ctx) {
  if (!document.querySelector(`link[href="${STYLESHEET}"]`)) {
    document.head.append(el("link", { rel: "stylesheet", href: STYLESHEET }));
  }
  const suggestions = ctx.config.role === "facilitator" ? new Suggestions(ctx) : null;
  const groups = groupsOf(ctx);
  const labels = new Labels(ctx, suggestions ?? { get: () => undefined }, groups);
  suggestions?.addEventListener("change", (/** @type {any} */ event) => labels.redraw(event.detail.ids));
  groups.addEventListener("change", () => labels.redrawAll());
  mountCategoryMenu(ctx, labels, suggestions, (category, frame) => defineUnder(ctx, category, frame));
  mountDefinitions(ctx);
}
