// One DOM element per placed object, built from fixed markup with user text put in through
// textContent (never HTML). `build` makes an element for an object; `update` brings it up to
// date and is complete and idempotent, so the renderer simply calls it whenever an object
// changed. Every type in the model is drawn; an unknown type (a newer server) is skipped.

import { el, setText, svg } from "../dom.js";
import { t, tn } from "../i18n.js";
import { fitText, LINE_HEIGHT, maxFont, NOTE_PADDING } from "./fit.js";
import { bounds } from "./geometry.js";
import { hyphenate, hyphenation, noteLanguage } from "./hyphenate.js";
import { smoothPath } from "./ink.js";

/** @typedef {import("../protocol.js").BoardObject} BoardObject */
/**
 * @typedef {{role: string, categories: Record<string, string>}} Env
 */

export const DRAWN = new Set(["note", "shape", "stroke", "text", "frame", "definition"]);

/** The words that name a note's colour, so colour is never the only cue. @param {string} color */
export const colourName = (color) => t(`board.color.${color}`);

/** A category key as people read it: the workshop's label, else the key made readable. */
export function categoryLabel(/** @type {Env} */ env, /** @type {string | null} */ key) {
  if (!key) return "";
  return env.categories[key] ?? key.replace(/[_-]+/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** @param {BoardObject} obj @param {Env} env @returns {HTMLElement | null} */
export function build(obj, env) {
  if (!DRAWN.has(obj.type)) return null;
  const node = el("div", {
    class: `item ${obj.type}`,
    "data-id": obj.id,
    "data-type": obj.type,
    role: "group",
    "aria-roledescription": t(`board.type.${obj.type}`),
    tabindex: obj.type === "stroke" ? "-1" : "0",
  });
  switch (obj.type) {
    case "note":
      // The text takes what its chips leave: the foot holds them in a row of their own, so
      // a chip never covers a word (issue 18).
      node.append(el("p", { class: "note-text" }), el("span", { class: "note-foot" }));
      /** @type {HTMLElement} */ (node.lastElementChild).append(
        el("button", { type: "button", class: "note-more", "data-ui": "note-more", tabindex: "-1", hidden: true }, t("board.note.more")),
      );
      break;
    case "shape": {
      const drawing = svg("svg", { class: "shape-svg", "aria-hidden": "true" });
      node.append(drawing, el("p", { class: "shape-label" }));
      break;
    }
    case "stroke": {
      const drawing = svg("svg", { class: "stroke-svg", "aria-hidden": "true" });
      drawing.append(svg("path", { class: "stroke-hit" }), svg("path", { class: "stroke-ink" }));
      node.append(drawing);
      break;
    }
    case "text":
      node.append(el("p", { class: "text-body" }));
      break;
    case "frame":
      node.append(el("p", { class: "frame-title" }), el("span", { class: "frame-category" }));
      break;
    case "definition":
      node.append(
        el("p", { class: "definition-category" }),
        ...["definition", "why", "excellent"].flatMap((field) => [
          el("p", { class: "definition-heading" }, t(`board.definition.${field}`)),
          el("p", { class: `definition-${field}` }),
        ]),
      );
      break;
  }
  (node.querySelector(":scope > .note-foot") ?? node).append(el("span", { class: "item-tags" }));
  return node;
}

/**
 * Bring an element up to date with its object.
 * @param {HTMLElement} node @param {BoardObject} obj @param {BoardObject | undefined} before @param {Env} env
 */
export function update(node, obj, before, env) {
  const box = bounds(obj);
  if (!box) return;
  const style = node.style;
  style.transform = `translate(${box.x}px, ${box.y}px)`;
  if (obj.type !== "text") {
    style.width = `${box.w}px`;
    style.height = `${box.h}px`;
  } else {
    style.width = `${obj.w}px`;
  }
  switch (obj.type) {
    case "note":
      updateNote(node, obj, before);
      break;
    case "shape":
      updateShape(node, obj, before);
      break;
    case "stroke":
      updateStroke(node, obj, before);
      break;
    case "text":
      updateText(node, obj);
      break;
    case "frame":
      setText(node.querySelector(".frame-title"), obj.title || t("board.frame.untitled"));
      setText(node.querySelector(".frame-category"), categoryLabel(env, obj.category));
      node.setAttribute("aria-label", t("board.label.frame", { title: obj.title || t("board.frame.untitled") }));
      break;
    case "definition":
      setText(node.querySelector(".definition-category"), categoryLabel(env, obj.category));
      for (const field of ["definition", "why", "excellent"]) setText(node.querySelector(`.definition-${field}`), obj[field]);
      node.setAttribute("aria-label", t("board.label.definition", { category: categoryLabel(env, obj.category) }));
      break;
  }
  updateTags(node, obj, env);
}

/** @param {HTMLElement} node @param {BoardObject} obj @param {BoardObject | undefined} before */
function updateNote(node, obj, before) {
  node.dataset.color = obj.color;
  const text = /** @type {HTMLElement} */ (node.querySelector(".note-text"));
  if (!before || before.text !== obj.text || before.w !== obj.w || before.h !== obj.h) {
    let state = fitting.get(text);
    if (!state) {
      // Until the text's box is measured, it is the whole note less its padding.
      state = { text: "", lang: "en", w: obj.w - 2 * NOTE_PADDING, h: obj.h - 2 * NOTE_PADDING, top: 0 };
      fitting.set(text, state);
      // No padding below: text is clipped at its content box's foot, so a line cut by
      // "Read more" never shows half under it; the margin keeps the same room.
      text.style.padding = `${NOTE_PADDING}px ${NOTE_PADDING}px 0`;
      text.style.marginBottom = `${NOTE_PADDING}px`;
      resized.observe(text);
    }
    state.text = obj.text;
    state.lang = noteLanguage(obj.text, document.documentElement.lang === "cy" ? "cy" : "en");
    state.top = maxFont(obj.w, obj.h);
    text.lang = state.lang;
    drawNoteText(text, state);
  }
  node.setAttribute(
    "aria-label",
    obj.text ? t("board.label.note", { color: colourName(obj.color), text: obj.text }) : t("board.label.empty_note", { color: colourName(obj.color) }),
  );
}

/**
 * What a note's text is drawn from: its words and language, and the size of its text box.
 * @typedef {{text: string, lang: import("./hyphenate.js").Language, w: number, h: number, top: number}} TextFit
 */

/** @type {WeakMap<Element, TextFit>} */
const fitting = new WeakMap();

// A note's text box is what its chips leave of it; when they come, go or change (a category,
// a vote, "only you can see this"), the box changes size and the text is fitted again. The
// observer reports after layout and before paint, and a new font size does not change the
// box (it is sized by the note), so this never loops or flickers.
const resized = new ResizeObserver((entries) => {
  for (const entry of entries) {
    const state = fitting.get(entry.target);
    const { width, height } = entry.contentRect;
    if (!state || !entry.target.isConnected || (width === state.w && height === state.h)) continue;
    state.w = width;
    state.h = height;
    drawNoteText(/** @type {HTMLElement} */ (entry.target), state);
  }
});

// Drawn again with hyphenation points once a language's patterns have arrived.
hyphenation.addEventListener("ready", (event) => {
  const { lang } = /** @type {CustomEvent} */ (event).detail;
  for (const text of document.querySelectorAll(`.note-text[lang="${lang}"]`)) {
    const state = fitting.get(text);
    if (state) drawNoteText(/** @type {HTMLElement} */ (text), state);
  }
});

/**
 * Put a note's text in at the size that fits its box, with soft hyphens only when it needs
 * them (never in the stored text), and say whether it holds more than it shows.
 * @param {HTMLElement} text @param {TextFit} state
 */
function drawNoteText(text, state) {
  const width = Math.max(1, state.w);
  const height = Math.max(1, state.h);
  let fit = fitText(state.text, null, width, height, state.top);
  let shown = state.text;
  if (fit.size < state.top || fit.more) {
    const hyphenated = hyphenate(state.text, state.lang);
    fit = fitText(state.text, hyphenated, width, height, state.top);
    if (fit.hyphenate && hyphenated) shown = hyphenated;
  }
  if (text.textContent !== shown) text.textContent = shown;
  text.style.fontSize = `${fit.size}px`;
  // Cut after the last whole line that fits, with an ellipsis, rather than through a line:
  // the lines after a clamp are still painted, so they are clipped too (clip-path, which
  // does not change the box and so cannot set the observer off again).
  const lines = Math.max(1, Math.floor(height / (fit.size * LINE_HEIGHT)));
  text.style.webkitLineClamp = fit.more ? String(lines) : "";
  text.style.clipPath = fit.more ? `inset(0 0 ${Math.max(0, height - lines * fit.size * LINE_HEIGHT)}px 0)` : "";
  const note = text.parentElement;
  const more = /** @type {HTMLElement | null} */ (note?.querySelector(".note-more") ?? null);
  note?.toggleAttribute("data-more", fit.more);
  if (more) more.hidden = !fit.more;
}

/** @param {HTMLElement} node @param {BoardObject} obj @param {BoardObject | undefined} before */
function updateShape(node, obj, before) {
  node.dataset.kind = obj.kind;
  const label = /** @type {HTMLElement} */ (node.querySelector(".shape-label"));
  setText(label, obj.text);
  const name = t(`board.shape.${obj.kind}`);
  node.setAttribute("aria-label", obj.text ? t("board.label.shape", { kind: name, text: obj.text }) : name);
  if (before && before.kind === obj.kind && before.w === obj.w && before.h === obj.h && before.fill === obj.fill && before.stroke === obj.stroke) return;
  const drawing = /** @type {SVGElement} */ (node.querySelector(".shape-svg"));
  drawing.replaceChildren(...shapeParts(obj));
}

/** The SVG parts of a shape, in its own box (0, 0)-(|w|, |h|). @param {BoardObject} obj */
function shapeParts(obj) {
  const w = Math.abs(obj.w);
  const h = Math.abs(obj.h);
  const paint = { fill: obj.fill ?? "none", stroke: obj.stroke, "stroke-width": 2, "vector-effect": "non-scaling-stroke" };
  switch (obj.kind) {
    case "ellipse":
      return [svg("ellipse", { cx: w / 2, cy: h / 2, rx: w / 2, ry: h / 2, ...paint })];
    case "diamond":
      return [svg("polygon", { points: `${w / 2},0 ${w},${h / 2} ${w / 2},${h} 0,${h / 2}`, ...paint })];
    case "line":
    case "arrow": {
      // From (x, y) to (x + w, y + h): in the box, the start is the corner nearest (x, y).
      const x1 = obj.w < 0 ? w : 0;
      const y1 = obj.h < 0 ? h : 0;
      const x2 = w - x1;
      const y2 = h - y1;
      const parts = [
        svg("line", { x1, y1, x2, y2, class: "shape-hit" }),
        svg("line", { x1, y1, x2, y2, stroke: obj.stroke, "stroke-width": 3, "stroke-linecap": "round" }),
      ];
      if (obj.kind === "arrow") {
        const angle = Math.atan2(y2 - y1, x2 - x1);
        const size = 14;
        const left = [x2 - size * Math.cos(angle - 0.45), y2 - size * Math.sin(angle - 0.45)];
        const right = [x2 - size * Math.cos(angle + 0.45), y2 - size * Math.sin(angle + 0.45)];
        parts.push(svg("polygon", { points: `${x2},${y2} ${left.join(",")} ${right.join(",")}`, fill: obj.stroke }));
      }
      return parts;
    }
    default:
      return [svg("rect", { x: 0, y: 0, width: w, height: h, rx: 4, ...paint })];
  }
}

/** @param {HTMLElement} node @param {BoardObject} obj @param {BoardObject | undefined} before */
function updateStroke(node, obj, before) {
  node.setAttribute("aria-label", t("board.type.stroke"));
  if (before && before.points === obj.points && before.width === obj.width && before.color === obj.color) return;
  const box = bounds(obj);
  if (!box) return;
  const d = smoothPath(obj.points, obj.x - box.x, obj.y - box.y);
  const [hit, ink] = node.querySelectorAll("path");
  for (const [name, value] of Object.entries({ d, "stroke-width": Math.max(obj.width + 12, 16) })) hit.setAttribute(name, String(value));
  for (const [name, value] of Object.entries({ d, stroke: obj.color, "stroke-width": obj.width })) ink.setAttribute(name, String(value));
}

/** @param {HTMLElement} node @param {BoardObject} obj */
function updateText(node, obj) {
  const body = /** @type {HTMLElement} */ (node.querySelector(".text-body"));
  setText(body, obj.text);
  body.style.fontSize = `${obj.size}px`;
  body.style.color = obj.color;
  node.setAttribute("aria-label", obj.text ? t("board.label.text", { text: obj.text }) : t("board.type.text"));
}

/** Small labels saying what colour cannot: private, hidden (the categories feature adds a
 * note's category and "raised in N of M groups"). */
function updateTags(/** @type {HTMLElement} */ node, /** @type {BoardObject} */ obj, /** @type {Env} */ env) {
  const tags = [];
  if (obj.private) tags.push(env.role === "facilitator" ? t("board.tag.private_other") : t("board.tag.private_mine"));
  if (obj.hidden) tags.push(t("board.tag.hidden"));
  node.classList.toggle("is-private", Boolean(obj.private));
  node.classList.toggle("is-hidden", Boolean(obj.hidden));
  const holder = /** @type {HTMLElement} */ (node.querySelector(".item-tags"));
  const text = tags.join(" · ");
  if (holder.textContent !== text) {
    holder.replaceChildren(...tags.map((tag) => el("span", { class: "tag" }, tag)));
  }
}

/** Show or hide a vote count on an element. @param {HTMLElement} node @param {number} count */
export function setVotes(node, count) {
  let badge = /** @type {HTMLElement | null} */ (node.querySelector(".vote-count"));
  if (count <= 0) {
    badge?.remove();
    return;
  }
  if (!badge) {
    badge = el("span", { class: "vote-count" });
    (node.querySelector(":scope > .note-foot") ?? node).append(badge);
  }
  setText(badge, String(count));
  badge.setAttribute("aria-label", tn("board.votes", count));
  badge.title = tn("board.votes", count);
}
