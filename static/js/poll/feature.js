// The exit poll on the board page: a toolbar button and a panel over the board (the board's
// integration contract, static/js/board/features.js). The panel opens by itself when the
// facilitator opens the poll, and follows the workshop's `poll` notices from then on.
import { el } from "../dom.js";
import { t } from "../i18n.js";
import { fetchPoll } from "./api.js";
import { mountPollPanel } from "./panel.js";

const STYLESHEET = "/static/css/poll.css";

/** @param {any} ctx the board's feature context */
export function mountPoll(ctx) {
  if (!document.querySelector(`link[href="${STYLESHEET}"]`)) {
    document.head.append(el("link", { rel: "stylesheet", href: STYLESHEET }));
  }
  const workshop = ctx.config.workshop.id;
  const section = el("section", { id: "poll-panel", class: "panel poll-board-panel", hidden: true });
  const button = el("button", { type: "button", class: "tool poll-button", "aria-expanded": "false", "aria-controls": "poll-panel" }, t("poll.title"));
  ctx.toolbar.append(button);
  ctx.panels.append(section);

  /** Show or hide the panel; move focus into it only when the person asked for it. */
  const show = (/** @type {boolean} */ visible, focus = false) => {
    section.hidden = !visible;
    button.setAttribute("aria-expanded", String(visible));
    if (!visible || !focus) return;
    const answer = /** @type {HTMLElement | null} */ (section.querySelector(".poll-form:not([hidden]) input"));
    (answer ?? /** @type {HTMLElement | null} */ (section.querySelector(".panel-close")))?.focus({ preventScroll: true });
  };
  const panel = mountPollPanel(section, {
    workshop,
    board: ctx.config.number,
    lang: ctx.config.lang,
    role: ctx.config.role,
    onClose: () => {
      show(false);
      button.focus();
    },
  });
  button.addEventListener("click", () => show(section.hidden, true));

  let wasOpen = false;
  const heard = (/** @type {import("./api.js").Poll} */ poll) => {
    panel.apply(poll);
    if (poll.open && !wasOpen) show(true); // the facilitator just opened it: bring it to everyone
    wasOpen = poll.open;
  };
  ctx.events.addEventListener("notice", (/** @type {CustomEvent} */ event) => {
    if (event.detail?.kind === "poll") heard(event.detail);
  });
  const load = async () => {
    const reply = await fetchPoll(workshop);
    if (reply.ok) heard(reply.data);
  };
  ctx.events.addEventListener("welcome", load); // after every (re)connection: notices may have been missed
  load();
}
