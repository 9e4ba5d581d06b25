// "Pull into the main board" (POST /api/workshops/{id}/pull): copies every breakout board's
// notes into a frame titled with its number on the main board. The gallery page and the main
// board's gallery panel both offer it.
import { setText } from "../dom.js";
import { errorText } from "../errors.js";
import { t } from "../i18n.js";

/**
 * Make `button` pull every breakout board into the main board, saying how it went in `outcome`.
 * @param {HTMLButtonElement} button @param {HTMLElement} outcome @param {string} workshop
 */
export function onPull(button, outcome, workshop) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const response = await fetch(`/api/workshops/${workshop}/pull`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{}",
        credentials: "same-origin",
      });
      const data = await response.json();
      if (!response.ok) throw new Error(errorText(data?.error));
      const total = Object.values(data.pulled).reduce((/** @type {number} */ sum, count) => sum + Number(count), 0);
      setText(outcome, t("dashboard.pulled", { count: total }));
    } catch (error) {
      setText(outcome, t("dashboard.failed", { reason: /** @type {Error} */ (error).message || t("common.error.unknown") }));
    } finally {
      button.disabled = false;
    }
  });
}
