// The Record panel's count of withdrawn items: people took these back with their withdrawal
// code; the record keeps only how many, never what they were or whose.
import { setText } from "../dom.js";
import { t, tn } from "../i18n.js";
import { call } from "./api.js";

/**
 * @param {Document} doc @param {any} config
 * @param {EventTarget} loop announces "purpose" with the answer of GET .../purpose (loop.js)
 */
export function mountWithdrawnCount(doc, config, loop) {
  const line = /** @type {HTMLElement} */ (doc.getElementById("withdrawn-count"));
  const show = (/** @type {number} */ withdrawn) => setText(line, withdrawn ? tn("dashboard.rec.withdrawn", withdrawn) : t("dashboard.rec.withdrawn_none"));
  loop.addEventListener("purpose", (event) => show(/** @type {CustomEvent} */ (event).detail.withdrawn));
  // Coming back to the dashboard (another tab, a call): the count may have grown meanwhile.
  doc.addEventListener("visibilitychange", async () => {
    if (doc.visibilityState !== "visible") return;
    try {
      show((await call("GET", `/api/workshops/${config.workshop.id}/purpose`)).withdrawn);
    } catch {
      // Offline: the count stays as it was.
    }
  });
}
