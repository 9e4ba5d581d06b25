// A note's category from its menu, and a definition card from a category frame's menu.
//
// Notes: "Category" opens a row of the taxonomy's categories (the one set is pressed) and
// "No category" (the note then follows its column, or a suggestion). Choosing is an `update`
// of `category` for every selected note, as anyone who may edit the board may do. A
// facilitator also gets "Accept: <category>" on a note whose category is only suggested.
// Frames with a category: "Define this category" adds a definition card under the frame.
import { el } from "../dom.js";
import { t } from "../i18n.js";

/** Most updates in one batch op (the server's `max_batch_ops`; 500 unless the page says). */
const BATCH = 500;

/** Whether this person may change the board now (the board's own rule, board/access.js). @param {any} ctx */
export function mayEdit(ctx) {
  const settings = ctx.settings();
  if (settings.closed) return false;
  return !(settings.locked && ctx.config.role !== "facilitator");
}

/**
 * @param {any} ctx
 * @param {{of: (note: any) => import("./assign.js").Assignment}} labels
 * @param {import("./suggestions.js").Suggestions | null} suggestions facilitators' only
 * @param {(category: string, frame: any) => void} define adds a definition card for a frame
 */
export function mountCategoryMenu(ctx, labels, suggestions, define) {
  const categories = /** @type {Record<string, string>} */ (ctx.config.categories ?? {});
  const descriptions = /** @type {Record<string, string>} */ (ctx.config.category_descriptions ?? {});
  /** Whether the row of categories is open (until one is chosen, or "Category" is pressed again). */
  let choosing = false;

  ctx.objectMenu((/** @type {any} */ obj, /** @type {any} */ menu) => {
    if (!Object.keys(categories).length) return;
    const objects = /** @type {any[]} */ (menu.objects);
    const editable = mayEdit(ctx);
    if (editable && objects.every((item) => item.type === "note")) {
      const button = menu.add(t("categories.menu"), () => (choosing = !choosing), { pressed: choosing, name: "category" });
      button.setAttribute("aria-expanded", String(choosing));
      if (choosing) button.after(choices(objects, button));
    }
    if (suggestions && editable && objects.length === 1 && obj.type === "note") {
      const found = labels.of(obj);
      if (found.source === "suggested" && found.key) {
        const name = categories[found.key] ?? found.key;
        menu.add(t("categories.accept", { category: name }), () => accept(ctx, suggestions, obj, name), { name: "accept-category" });
      }
    }
    if (editable && objects.length === 1 && obj.type === "frame" && obj.category in categories) {
      menu.add(t("categories.define_this", { category: categories[obj.category] }), () => define(obj.category, obj), { name: "define" });
    }
  });

  /** The row of categories for these notes. @param {any[]} notes @param {HTMLElement} opener */
  function choices(notes, opener) {
    const group = el("div", { class: "category-choices", role: "group", "aria-label": t("categories.choose") });
    const holder = opener.parentElement;
    const set = new Set(notes.map((note) => (note.category in categories ? note.category : null)));
    const current = set.size === 1 ? [...set][0] : undefined;
    /** @param {string | null} key @param {string} label */
    const option = (key, label) => {
      const button = el("button", {
        type: "button",
        class: key ? "category-choice" : "category-choice category-none",
        "data-action": `category:${key ?? ""}`,
        "aria-pressed": String(current === key),
        title: key ? descriptions[key] ?? "" : t("categories.none_hint"),
      }, label);
      button.addEventListener("click", () => {
        choosing = false;
        choose(ctx, notes, key);
        if (group.isConnected) {
          // Nothing changed, so the menu is not drawn again: close the row here.
          group.remove();
          opener.setAttribute("aria-pressed", "false");
          opener.setAttribute("aria-expanded", "false");
        }
        // Keep the keyboard on "Category", in the menu as it is now.
        /** @type {HTMLElement | null} */ (holder?.querySelector('[data-action="category"]') ?? null)?.focus();
      });
      return button;
    };
    for (const [key, label] of Object.entries(categories)) group.append(option(key, label));
    group.append(option(null, t("categories.none")));
    return group;
  }
}

/**
 * Set (or clear, with null) the category of every note given that does not have it yet, in
 * batches the server takes, and say so.
 * @param {any} ctx @param {any[]} notes @param {string | null} key
 */
function choose(ctx, notes, key) {
  const categories = /** @type {Record<string, string>} */ (ctx.config.categories ?? {});
  const max = ctx.config.limits?.max_batch_ops ?? BATCH;
  const ops = notes.filter((note) => (note.category ?? null) !== key).map((note) => ({ kind: "update", id: note.id, props: { category: key } }));
  for (let start = 0; start < ops.length; start += max) {
    const part = ops.slice(start, start + max);
    ctx.send(part.length === 1 ? part[0] : { kind: "batch", ops: part });
  }
  ctx.notify(key ? t("categories.set", { category: categories[key] ?? key }) : t("categories.cleared"));
}

/**
 * A facilitator accepts the category suggested for a note.
 * @param {any} ctx @param {import("./suggestions.js").Suggestions} suggestions @param {any} obj @param {string} name
 */
async function accept(ctx, suggestions, obj, name) {
  try {
    await suggestions.accept(obj.id);
    ctx.notify(t("categories.accepted", { category: name }));
  } catch (error) {
    ctx.notify(t("categories.failed", { reason: /** @type {Error} */ (error).message || t("common.error.unknown") }), "error");
  }
}
