// The Record panel's count of withdrawn items: people took these back with their withdrawal
// code; the record keeps only how many, never what they were or whose.
//
// It also watches the workshop for the rest of the dashboard: every few seconds, while the page
// is in view, it asks the purpose API (the same answer the Purpose panel announces on `loop`),
// whose `boards_seq` moves whenever any board changes (a note, a vote, a withdrawal). When it
// moves, the document hears WORKSHOP_CHANGED, and the Categories and Repeated points panels
// load again: a withdrawal shows there without a reload.
import { setText } from "../dom.js";
import { t, tn } from "../i18n.js";
import { call } from "./api.js";

/** How often the dashboard looks whether the boards moved on, in ms (as "Who is here" does). */
const WATCH_MS = 3000;
/** The event the document hears when the workshop's boards have changed (at most every WATCH_MS). */
export const WORKSHOP_CHANGED = "workshop-changed";

/**
 * @param {Document} doc @param {any} config
 * @param {EventTarget} loop announces "purpose" with the answer of GET .../purpose (purpose.js)
 */
export function mountWithdrawnCount(doc, config, loop) {
  const line = /** @type {HTMLElement} */ (doc.getElementById("withdrawn-count"));
  const show = (/** @type {number} */ withdrawn) => setText(line, withdrawn ? tn("dashboard.rec.withdrawn", withdrawn) : t("dashboard.rec.withdrawn_none"));
  /** The boards' progress last seen; null until the first answer. @type {number | null} */
  let seen = null;

  /** @param {any} data an answer of the purpose API */
  function heard(data) {
    show(data.withdrawn);
    if (typeof data.boards_seq !== "number") return;
    if (seen !== null && data.boards_seq !== seen) doc.dispatchEvent(new CustomEvent(WORKSHOP_CHANGED));
    seen = data.boards_seq;
  }

  let looking = false;
  async function look() {
    if (looking || doc.visibilityState !== "visible") return;
    looking = true;
    try {
      heard(await call("GET", `/api/workshops/${config.workshop.id}/purpose`));
    } catch {
      // Offline: the count stays as it was; the next look tries again.
    } finally {
      looking = false;
    }
  }

  loop.addEventListener("purpose", (event) => heard(/** @type {CustomEvent} */ (event).detail));
  // Coming back to the dashboard (another tab, a call): things may have moved on meanwhile.
  doc.addEventListener("visibilitychange", look);
  window.setInterval(look, WATCH_MS);
}
