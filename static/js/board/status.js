// Connection state, always on screen and announced politely (the element is a polite live
// region), and short messages for things that happened: a change the server refused, a
// warning. Panels never retry anything: they show what the connection reports.

import { el, setText } from "../dom.js";
import { t, tn } from "../i18n.js";

/** @typedef {import("./sync.js").State} State */

/**
 * @param {HTMLElement} node the status line (role="status")
 * @returns {(state: State, pending: number, reason?: string | null, kept?: boolean) => void}
 *   `kept`: whether waiting changes are in the device's storage (false: only in this page)
 */
export function mountStatus(node) {
  let shown = "";
  // Online, but the server cannot hear its other processes (a `sync` notice): our changes are
  // saved, other people's may come late. Every (re)connection starts without it; a server
  // still cut off says so again right after its welcome.
  let delayed = false;
  /** @type {[State, number, string | null, boolean]} */
  let last = ["connecting", 0, null, true];
  /** @type {(state: State, pending: number, reason?: string | null, kept?: boolean) => void} */
  const show = (state, pending, reason = null, kept = true) => {
    last = [state, pending, reason, kept];
    const late = delayed && state === "online";
    const key = late ? "delayed" : state === "online" ? "online" : `${state}|${pending}|${reason}|${kept}`;
    if (key === shown) return;
    shown = key;
    node.dataset.connection = late ? "reconnecting" : state;
    let text;
    if (late) {
      text = t("board.status.delayed");
    } else if (!kept && pending > 0 && state !== "online" && state !== "closed") {
      text = tn("board.status.offline_memory", pending);
    } else if (state === "offline") {
      text = pending > 0 ? tn("board.status.offline_saved", pending) : t("board.status.offline");
    } else if (state === "reconnecting" && pending > 0) {
      text = tn("board.status.reconnecting_saved", pending);
    } else if (state === "closed") {
      text = reason ? t(reason) : t("board.status.closed");
    } else {
      text = t(`board.status.${state}`);
    }
    setText(node, text);
  };
  const doc = node.ownerDocument;
  doc.addEventListener("board:notice", (event) => {
    const notice = /** @type {CustomEvent} */ (event).detail;
    if (notice?.kind !== "sync") return;
    delayed = notice.delayed === true;
    show(...last);
  });
  doc.addEventListener("board:welcome", () => {
    delayed = false;
    show(...last);
  });
  return show;
}

const TOAST_MS = 6000;

/**
 * Short messages in a polite live region; errors (a refused change) stay a little longer.
 * @param {HTMLElement} region
 */
export function mountToasts(region) {
  /**
   * @param {string} text already translated
   * @param {"info" | "error"} [kind]
   */
  return (text, kind = "info") => {
    for (const old of region.querySelectorAll(".toast")) if (old.textContent === text) old.remove();
    const toast = el("p", { class: `toast toast-${kind}` }, text);
    region.append(toast);
    while (region.children.length > 3) region.firstElementChild?.remove();
    setTimeout(() => toast.remove(), kind === "error" ? TOAST_MS * 1.5 : TOAST_MS);
  };
}
