// Every board at once (issue 17): the timer, private mode and reveal, voting, the lock and a
// message for all breakout boards, the main board or all of them, each one request
// (`boards/settings`, `boards/timer`, `message`) that changes the chosen boards together. The
// outcome is said per board in a polite live region: "Done on 10 boards", or which boards
// refused and why (pausing where no timer runs).
import { t, tn } from "../i18n.js";
import { errorText } from "../errors.js";
import { call, onPress, say } from "./api.js";

const MINUTE = 60_000;

/**
 * What each button asks of the server: the route and the body's change, given the form's
 * values (`minutes`, `budget`).
 * @type {Readonly<Record<string, (values: {minutes: number, budget: number}) => [string, Record<string, any>]>>}
 */
const ACTIONS = Object.freeze({
  "timer-start": ({ minutes }) => ["boards/timer", { timer: { action: "start", ms: Math.round(minutes * MINUTE) } }],
  "timer-pause": () => ["boards/timer", { timer: { action: "pause" } }],
  "timer-resume": () => ["boards/timer", { timer: { action: "resume" } }],
  "timer-add": () => ["boards/timer", { timer: { action: "add", ms: MINUTE } }],
  "timer-clear": () => ["boards/timer", { timer: { action: "clear" } }],
  "private-on": () => ["boards/settings", { settings: { private_mode: true } }],
  "private-off": () => ["boards/settings", { settings: { private_mode: false } }],
  "voting-open": ({ budget }) => ["boards/settings", { settings: { voting: true, vote_budget: budget } }],
  "results-show": () => ["boards/settings", { settings: { votes_shown: true } }],
  "voting-close": () => ["boards/settings", { settings: { voting: false } }],
  lock: () => ["boards/settings", { settings: { locked: true } }],
  unlock: () => ["boards/settings", { settings: { locked: false } }],
});

/** @param {Document} doc @param {any} config */
export function mountEveryBoard(doc, config) {
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (doc.getElementById(id));
  const status = $("all-status");
  const minutes = /** @type {HTMLInputElement} */ ($("all-minutes"));
  const budget = /** @type {HTMLInputElement} */ ($("all-budget"));
  const message = /** @type {HTMLTextAreaElement} */ ($("all-message"));
  const api = (/** @type {string} */ action) => `/api/workshops/${config.workshop.id}/${action}`;
  const chosen = () => /** @type {HTMLInputElement} */ (doc.querySelector('input[name="all-boards"]:checked')).value;

  for (const button of doc.querySelectorAll("#every-board [data-all]")) {
    const action = ACTIONS[/** @type {HTMLElement} */ (button).dataset.all ?? ""];
    onPress(/** @type {HTMLButtonElement} */ (button), async () => {
      say(status, ""); // no earlier outcome stands for this one while it is asked
      const [route, change] = action({ minutes: Number(minutes.value || 0), budget: Number(budget.value || 0) });
      const answer = await call("POST", api(route), { boards: chosen(), ...change });
      say(status, outcome(answer.boards), answer.boards.some((/** @type {any} */ board) => !board.applied));
    }, status);
  }

  const send = /** @type {HTMLButtonElement} */ ($("all-send"));
  $("all-message-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!message.value.trim()) {
      say(status, t("dashboard.all.message_empty"), true);
      message.focus();
      return;
    }
    send.disabled = true;
    say(status, "");
    try {
      const answer = await call("POST", api("message"), { boards: chosen(), text: message.value });
      say(status, tn("dashboard.all.sent", answer.boards.length));
      message.value = "";
    } catch (error) {
      say(status, t("dashboard.failed", { reason: /** @type {Error} */ (error).message }), true);
    } finally {
      send.disabled = false;
    }
  });
}

/**
 * "Done on 10 boards", or "Done on 9 of 10 boards. Not done on Board 2 (no timer is set)."
 * Boards refusing for the same reason are named together, so ten refusals stay one line.
 * @param {Array<{number: number, applied: boolean, error?: any}>} boards
 */
function outcome(boards) {
  const refused = boards.filter((board) => !board.applied);
  if (!refused.length) return tn("dashboard.all.done", boards.length);
  /** @type {Map<string, string[]>} */
  const byReason = new Map();
  for (const board of refused) {
    const reason = errorText(board.error);
    byReason.set(reason, [...(byReason.get(reason) ?? []), boardName(board.number)]);
  }
  const where = [...byReason].map(([reason, names]) => t("dashboard.all.refused_on", { board: names.join(", "), reason }));
  return t("dashboard.all.partly", { done: boards.length - refused.length, count: boards.length, refused: where.join("; ") });
}

/** @param {number} number */
function boardName(number) {
  return number === 0 ? t("dashboard.main_board") : t("dashboard.board_n", { number });
}
