// Every board at once (issue 17): the timer, private mode and reveal, voting, the lock, a
// message and everyone back to the main board for all breakout boards, the main board, all of them or boards the facilitator
// ticks, each one request that changes the chosen boards together. Which boards, the requests
// and the outcome's words are shared with the board's Facilitate panel
// (../facilitation/everyboard.js); the outcome is said in a polite live region.
import { t, tn } from "../i18n.js";
import { setText } from "../dom.js";
import { applyToBoards, backLabel, bringBack, broughtBack, mountBoardChoice, outcome, sendMessage } from "../facilitation/everyboard.js";
import { onPress, say } from "./api.js";

/**
 * @param {Document} doc @param {any} config
 * @returns {(boards: Array<{id: string, number: number}>) => void} tells the section the
 *   workshop's boards changed (breakout boards opened)
 */
export function mountEveryBoard(doc, config) {
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (doc.getElementById(id));
  const status = $("all-status");
  const minutes = /** @type {HTMLInputElement} */ ($("all-minutes"));
  const budget = /** @type {HTMLInputElement} */ ($("all-budget"));
  const message = /** @type {HTMLTextAreaElement} */ ($("all-message"));
  const choice = mountBoardChoice({ prefix: "all", boards: config.boards });
  $("all-which").replaceWith(choice.element);
  /** The chosen boards, or null with the problem said ("boards I choose" with none ticked). */
  const chosen = () => {
    const boards = choice.selection();
    if (boards === null) say(status, t("dashboard.all.choose_one"), true);
    return boards;
  };

  for (const button of doc.querySelectorAll("#every-board [data-all]")) {
    const action = /** @type {HTMLElement} */ (button).dataset.all ?? "";
    onPress(/** @type {HTMLButtonElement} */ (button), async () => {
      say(status, ""); // no earlier outcome stands for this one while it is asked
      const boards = chosen();
      if (boards === null) return;
      const values = { minutes: Number(minutes.value || 0), budget: Number(budget.value || 0) };
      say(status, ...outcome(await applyToBoards(config.workshop.id, action, boards, values)));
    }, status);
  }

  // "Everyone back" brings back the people on the chosen boards, and its label says whom.
  const back = /** @type {HTMLButtonElement} */ ($("back"));
  const label = () => setText(back, backLabel(choice.selection()));
  choice.element.addEventListener("change", label);
  label();
  onPress(back, async () => {
    say(status, "");
    const boards = chosen();
    if (boards === null) return;
    say(status, broughtBack(await bringBack(config.workshop.id, boards)));
  }, status);

  const send = /** @type {HTMLButtonElement} */ ($("all-send"));
  $("all-message-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!message.value.trim()) {
      say(status, t("dashboard.all.message_empty"), true);
      message.focus();
      return;
    }
    say(status, "");
    const boards = chosen();
    if (boards === null) return;
    send.disabled = true;
    try {
      say(status, tn("dashboard.all.sent", await sendMessage(config.workshop.id, boards, message.value)));
      message.value = "";
    } catch (error) {
      say(status, t("dashboard.failed", { reason: /** @type {Error} */ (error).message }), true);
    } finally {
      send.disabled = false;
    }
  });
  return choice.setBoards;
}
