// The Record panel's count of withdrawn items: people took these back with their withdrawal
// code; the record keeps only how many, never what they were or whose.
//
// It also watches the workshop for the rest of the dashboard: every few seconds, while the page
// is in view, it asks the purpose API (the same answer the Purpose panel announces on `loop`),
// whose `boards_seq` moves whenever any board changes (a note, a vote, a withdrawal). When it
// moves, the document hears WORKSHOP_CHANGED, and the Categories and Repeated points panels
// load again (`onWorkshopChanged`): a withdrawal at once, other changes at a calmer pace.
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
  /** The boards' progress and the withdrawn count last seen; null until the first answer. @type {number | null} */
  let seen = null;
  let withdrawn = 0;

  /** @param {any} data an answer of the purpose API */
  function heard(data) {
    show(data.withdrawn);
    if (typeof data.boards_seq !== "number") return;
    if (seen !== null && data.boards_seq !== seen) {
      doc.dispatchEvent(new CustomEvent(WORKSHOP_CHANGED, { detail: { withdrawal: data.withdrawn !== withdrawn } }));
    }
    seen = data.boards_seq;
    withdrawn = data.withdrawn;
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

/**
 * Run `load` when the workshop changes: at once after a withdrawal (taking words back shows
 * everywhere straight away), otherwise at most once every `calmMs`, the last change never
 * missed. A busy workshop changes every few seconds, and some answers cost the server real
 * work (finding repeated points among 3,000 notes takes it about a second).
 * @param {Document} doc @param {() => Promise<unknown>} load @param {number} calmMs
 */
export function onWorkshopChanged(doc, load, calmMs) {
  let last = Date.now();
  /** @type {number | null} */
  let waiting = null;
  const run = () => {
    waiting = null;
    last = Date.now();
    load().catch(() => {});
  };
  doc.addEventListener(WORKSHOP_CHANGED, (event) => {
    const withdrawal = /** @type {CustomEvent} */ (event).detail?.withdrawal === true;
    if (withdrawal || Date.now() - last >= calmMs) {
      if (waiting !== null) window.clearTimeout(waiting);
      run();
    } else if (waiting === null) {
      waiting = window.setTimeout(run, calmMs - (Date.now() - last));
    }
  });
}
