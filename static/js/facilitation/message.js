// A facilitator's message to the boards (issue 17: "2 minutes left, start wrapping up"), from
// the dashboard's "Every board at once": a `message` notice shown in a banner above the board
// (pushing it down, never covering the toolbar) until dismissed or replaced by the next, and
// said to screen readers through the board's announcer. The words around it are in this
// page's language; the message itself is as the facilitator wrote it (textContent only).
import { el, setText } from "../dom.js";
import { t } from "../i18n.js";

/** @param {any} ctx the board's feature context */
export function mountMessage(ctx) {
  const banner = el("section", { class: "message-banner", "aria-labelledby": "message-from", hidden: true });
  const from = el("p", { id: "message-from", class: "message-from" }, t("board.message.from"));
  const text = el("p", { class: "message-text", dir: "auto" });
  const dismiss = el("button", { type: "button", class: "message-dismiss", "aria-label": t("board.message.dismiss") }, "×");
  const words = el("div", { class: "message-words" });
  words.append(from, text);
  banner.append(words, dismiss);
  ctx.banners.append(banner);

  dismiss.addEventListener("click", () => {
    banner.hidden = true;
  });
  ctx.events.addEventListener("notice", (/** @type {CustomEvent} */ event) => {
    const notice = event.detail;
    if (notice?.kind !== "message" || typeof notice.text !== "string") return;
    setText(text, notice.text);
    banner.hidden = false;
    ctx.announce(t("board.message.announce", { text: notice.text }));
  });
}
