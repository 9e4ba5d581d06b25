// "Defining our categories" (seed 000): a definition card per category (the group's
// definition, why you would use it, what excellent looks like), added from the toolbar's
// "Define a category" (a panel listing the categories) or from a category frame's menu, then
// typed into in place like any card. Cards are ordinary `definition` objects: everyone sees
// them as they are typed, and the record exports them.
import { el } from "../dom.js";
import { t } from "../i18n.js";
import { mayEdit } from "./menu.js";

/** A new card's size, as the model's defaults. */
const CARD_W = 360;
const CARD_H = 320;
const GAP = 40;
/** Places tried for a card before settling on the first (a crowded board). */
const TRIES = 40;

/** @param {any} a @param {{x: number, y: number, w: number, h: number}} b */
function overlaps(a, b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * Add a definition card for `category` at the first free place of `places`, and open it for
 * typing. @param {any} ctx @param {string} category @param {Array<[number, number]>} places
 */
function addCard(ctx, category, places) {
  const solid = [...ctx.objects().values()].filter((obj) => ["note", "shape", "text", "definition"].includes(obj.type) && typeof obj.x === "number");
  const free = places.find(([x, y]) => !solid.some((obj) => overlaps(obj, { x, y, w: CARD_W, h: CARD_H }))) ?? places[0];
  const [id] = ctx.create([{ type: "definition", x: free[0], y: free[1], w: CARD_W, h: CARD_H, category, definition: "", why: "", excellent: "" }]);
  if (!id) return null;
  ctx.edit(id, "definition"); // brings it into view if it is not
  return id;
}

/** Under a category frame, left to right. @param {any} ctx @param {string} category @param {any} frame */
export function defineUnder(ctx, category, frame) {
  const y = frame.y + frame.h + GAP;
  return addCard(ctx, category, Array.from({ length: TRIES }, (_, i) => [frame.x + i * (CARD_W + GAP), y]));
}

/** Near the middle of the view, spiralling out. @param {any} ctx @param {string} category */
function defineHere(ctx, category) {
  const { x, y } = ctx.viewport();
  const left = x - CARD_W / 2;
  const top = y - CARD_H / 2;
  /** @type {Array<[number, number]>} */
  const places = [];
  for (let ring = 0; places.length < TRIES && ring < 4; ring += 1) {
    for (let dy = -ring; dy <= ring; dy += 1) {
      for (let dx = -ring; dx <= ring; dx += 1) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) === ring) places.push([left + dx * (CARD_W + GAP), top + dy * (CARD_H + GAP)]);
      }
    }
  }
  return addCard(ctx, category, places);
}

/** The toolbar's "Define a category" and its panel. @param {any} ctx */
export function mountDefinitions(ctx) {
  const categories = /** @type {Record<string, string>} */ (ctx.config.categories ?? {});
  const descriptions = /** @type {Record<string, string>} */ (ctx.config.category_descriptions ?? {});
  if (!Object.keys(categories).length) return;
  const panel = el("section", { id: "define-panel", class: "panel define-panel", "aria-labelledby": "define-title", hidden: true });
  const button = el("button", { type: "button", class: "tool define-button", "aria-expanded": "false", "aria-controls": "define-panel" }, t("categories.define"));
  ctx.toolbar.append(button);
  ctx.panels.append(panel);
  const close = el("button", { type: "button", class: "panel-close", "aria-label": t("common.close") }, "×");
  const head = el("div", { class: "panel-head" });
  head.append(el("h2", { id: "define-title" }, t("categories.define_title")), close);
  const list = el("ul", { class: "define-list" });
  for (const [key, label] of Object.entries(categories)) {
    const item = el("li");
    const add = el("button", { type: "button", class: "secondary", "data-category": key }, label);
    add.addEventListener("click", () => {
      show(false, false);
      defineHere(ctx, key);
    });
    item.append(add);
    if (descriptions[key]) item.append(el("p", { class: "hint" }, descriptions[key]));
    list.append(item);
  }
  panel.append(head, el("p", { class: "hint" }, t("categories.define_hint")), list);

  /** @param {boolean} open @param {boolean} [focus] */
  const show = (open, focus = true) => {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (focus) (open ? /** @type {HTMLElement} */ (list.querySelector("button")) : button)?.focus();
  };
  button.addEventListener("click", () => show(panel.hidden));
  close.addEventListener("click", () => show(false));
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") show(false);
  });
  const allowed = () => {
    const editable = mayEdit(ctx);
    /** @type {HTMLButtonElement} */ (button).disabled = !editable;
    if (!editable && !panel.hidden) show(false, false);
  };
  ctx.events.addEventListener("settings", allowed);
  ctx.events.addEventListener("welcome", allowed);
  allowed();
}
