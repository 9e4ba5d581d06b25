// "Withdraw my contributions" on the board (issue 4; DESIGN.md §4): a participant takes back
// everything they added to the workshop, on every board, without a code and without leaving
// the board. A toolbar button opens a panel that says in plain words what goes (notes,
// drawings, comments, votes, exit poll answers, for everyone, for good), asks once more, then
// calls POST /api/workshops/{id}/withdraw and says how many things were removed. A refusal
// (the facilitator may have closed withdrawals) shows the server's own reason; nothing is
// removed then. What was removed leaves every screen through the board's own ops.
// Mounted for participants by ../facilitation/feature.js; uses only the feature ctx.
import { el, setText } from "../dom.js";
import { errorText } from "../errors.js";
import { t, tn } from "../i18n.js";

/** @param {any} ctx the board's feature context (features.js) */
export function mountWithdraw(ctx) {
  if (ctx.config.role === "facilitator") return;
  const { button, panel, close, start, confirm, yes, no, status } = buildPanel();
  ctx.toolbar.append(button);
  ctx.panels.append(panel);

  const show = (/** @type {boolean} */ open) => {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (!open) asking(false);
    (open ? start : button).focus();
  };
  /** The second question, instead of the first button. @param {boolean} on */
  const asking = (on) => {
    confirm.hidden = !on;
    start.hidden = on;
    if (on) no.focus();
  };
  const say = (/** @type {string} */ text) => {
    setText(status, text);
    ctx.notify(text);
  };

  button.addEventListener("click", () => show(panel.hidden));
  close.addEventListener("click", () => show(false));
  start.addEventListener("click", () => {
    setText(status, "");
    asking(true);
  });
  no.addEventListener("click", () => {
    asking(false);
    start.focus();
  });
  yes.addEventListener("click", async () => {
    /** @type {HTMLButtonElement} */ (yes).disabled = true;
    setText(status, t("contributions.working"));
    try {
      say(await withdrawAll(ctx.config.workshop.id));
    } finally {
      /** @type {HTMLButtonElement} */ (yes).disabled = false;
      asking(false);
    }
  });
}

/** The button, and the panel it opens: what goes, the first button, "Are you sure?", the outcome. */
function buildPanel() {
  const button = el("button", { type: "button", class: "tool withdraw-button", "aria-expanded": "false", "aria-controls": "withdraw-panel" }, t("contributions.button"));
  const panel = el("section", { id: "withdraw-panel", class: "panel withdraw-panel", "aria-labelledby": "withdraw-title", hidden: true });
  const close = el("button", { type: "button", class: "panel-close", "aria-label": t("common.close") }, "×");
  const head = el("div", { class: "panel-head" });
  head.append(el("h2", { id: "withdraw-title" }, t("contributions.title")), close);
  const start = el("button", { type: "button", class: "danger", "data-withdraw": "start" }, t("contributions.start"));
  const confirm = el("div", { class: "withdraw-confirm", role: "group", "aria-labelledby": "withdraw-confirm-text", hidden: true });
  const yes = el("button", { type: "button", class: "danger", "data-withdraw": "yes" }, t("contributions.yes"));
  const no = el("button", { type: "button", class: "secondary", "data-withdraw": "no" }, t("contributions.cancel"));
  const choices = el("div", { class: "row" });
  choices.append(yes, no);
  confirm.append(el("p", { id: "withdraw-confirm-text" }, t("contributions.confirm")), choices);
  const status = el("p", { class: "withdraw-status", role: "status" });
  panel.append(head, el("p", {}, t("contributions.explain")), start, confirm, status);
  return { button, panel, close, start, confirm, yes, no, status };
}

/**
 * Take back everything this person added, and the words that say how it went.
 * @param {string} workshop @returns {Promise<string>}
 */
async function withdrawAll(workshop) {
  try {
    const response = await fetch(`/api/workshops/${encodeURIComponent(workshop)}/withdraw`, {
      method: "POST",
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => null);
    if (!response.ok) return t("contributions.refused", { reason: errorText(data?.error) });
    if (!data?.removed) return t("contributions.nothing");
    return tn("contributions.done", data.removed);
  } catch {
    return t("contributions.failed");
  }
}
