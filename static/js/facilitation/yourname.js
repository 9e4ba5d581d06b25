// The name beside a person's cursor (issue 4: "an optional display name for cursors if the
// workshop allows"). Nobody is asked: everyone has a made-up name. Where the facilitator allows
// names (`names` notices, and `names_allowed` in the page config), a participant may show a
// name of their own instead, or go back to the made-up one (PUT /api/workshops/{id}/me/name).
// The name travels in presence only, never on a note.
import { el, setText } from "../dom.js";
import { errorText } from "../errors.js";
import { t } from "../i18n.js";
import { displayName } from "../names.js";

/** @param {any} ctx the board's feature context */
export function mountYourName(ctx) {
  if (ctx.config.role === "facilitator") return;
  const button = el("button", { type: "button", class: "tool yourname-button", "aria-expanded": "false", "aria-controls": "yourname-panel" }, t("yourname.button"));
  const panel = el("section", { id: "yourname-panel", class: "panel yourname-panel", "aria-labelledby": "yourname-title", hidden: true });
  const close = el("button", { type: "button", class: "panel-close", "aria-label": t("common.close") }, "×");
  const head = el("div", { class: "panel-head" });
  head.append(el("h2", { id: "yourname-title" }, t("yourname.title")), close);
  const now = el("p", { class: "yourname-now" });
  const input = /** @type {HTMLInputElement} */ (el("input", { id: "yourname-input", maxlength: 40, autocomplete: "nickname", "aria-describedby": "yourname-hint" }));
  const form = el("form", { class: "stack" });
  const save = el("button", { type: "submit" }, t("yourname.save"));
  const reset = el("button", { type: "button", class: "secondary" }, t("yourname.reset"));
  const status = el("p", { class: "yourname-status", role: "status" });
  form.append(el("label", { for: "yourname-input" }, t("yourname.label")), el("p", { id: "yourname-hint", class: "hint" }, t("yourname.hint")), input, save, reset);
  panel.append(head, now, form, status);
  ctx.toolbar.append(button);
  ctx.panels.append(panel);

  let allowed = Boolean(ctx.config.names_allowed);
  let shown = "";
  const draw = () => {
    button.hidden = !allowed;
    if (!allowed) show(false);
    setText(now, t("yourname.now", { name: displayName(shown) }));
  };
  const show = (/** @type {boolean} */ open) => {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) input.focus();
  };
  const choose = async (/** @type {string | null} */ name) => {
    const response = await fetch(`/api/workshops/${ctx.config.workshop.id}/me/name`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name }),
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      setText(status, errorText(data?.error));
      return;
    }
    shown = data.name;
    input.value = data.chosen ? data.name : "";
    setText(status, t("yourname.saved", { name: displayName(shown) }));
    draw();
  };
  button.addEventListener("click", () => show(panel.hidden));
  close.addEventListener("click", () => {
    show(false);
    button.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    choose(input.value);
  });
  reset.addEventListener("click", () => choose(null));
  ctx.events.addEventListener("welcome", (/** @type {CustomEvent} */ event) => {
    shown = event.detail.you.name;
    draw();
  });
  ctx.events.addEventListener("notice", (/** @type {CustomEvent} */ event) => {
    if (event.detail?.kind !== "names") return;
    allowed = Boolean(event.detail.allowed);
    draw();
  });
  draw();
}
