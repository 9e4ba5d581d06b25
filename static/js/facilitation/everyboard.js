// Workshop-wide actions (issue 17), shared by the dashboard's "Every board at once"
// (../dashboard/everyboard.js) and the board's Facilitate panel (controls.js): which boards an
// action is for (this board, all breakout boards, the main board, all boards, or boards the
// facilitator ticks), what each action asks of the server (one request, `boards/settings`,
// `boards/timer`, `message` or `back`, that acts on every chosen board together) and the outcome in
// words ("Done on 10 boards", or which boards refused and why).
import { call } from "../dashboard/api.js";
import { el } from "../dom.js";
import { errorText } from "../errors.js";
import { t, tn } from "../i18n.js";
import { addMinute, clear, start } from "./timer.js";

/**
 * @typedef {{id: string, number: number}} BoardRef
 * @typedef {"breakouts" | "main" | "all" | number[]} Selection the API's `boards`
 * @typedef {{minutes: number, budget: number}} Values what the form says
 * @typedef {{number: number, applied: boolean, error?: any}} BoardOutcome
 */

/** A timer op (timer.js) as the API's `timer`: the same change, without the op's kind. @param {any} op */
const timer = ({ kind: _kind, ...change }) => ({ timer: change });

/**
 * What each action asks of the server: the route and the body's change.
 * @type {Readonly<Record<string, (values: Values) => [string, Record<string, any>]>>}
 */
export const ACTIONS = Object.freeze({
  "timer-start": ({ minutes }) => ["boards/timer", timer(start(minutes))],
  "timer-pause": () => ["boards/timer", { timer: { action: "pause" } }],
  "timer-resume": () => ["boards/timer", { timer: { action: "resume" } }],
  "timer-add": () => ["boards/timer", timer(addMinute())],
  "timer-clear": () => ["boards/timer", timer(clear())],
  "private-on": () => ["boards/settings", { settings: { private_mode: true } }],
  "private-off": () => ["boards/settings", { settings: { private_mode: false } }],
  "voting-open": ({ budget }) => ["boards/settings", { settings: { voting: true, vote_budget: budget } }],
  "results-show": () => ["boards/settings", { settings: { votes_shown: true } }],
  "voting-close": () => ["boards/settings", { settings: { voting: false } }],
  lock: () => ["boards/settings", { settings: { locked: true } }],
  unlock: () => ["boards/settings", { settings: { locked: false } }],
});

/**
 * Do `action` on the chosen boards, in one request; resolves to what each board made of it,
 * or throws an Error saying the refusal (for the whole request) in the page's language.
 * @param {string} workshop @param {string} action a key of ACTIONS @param {Selection} boards @param {Values} values
 * @returns {Promise<BoardOutcome[]>}
 */
export async function applyToBoards(workshop, action, boards, values) {
  const [route, change] = ACTIONS[action](values);
  const answer = await call("POST", `/api/workshops/${workshop}/${route}`, { boards, ...change });
  return answer.boards;
}

/**
 * The facilitator's message to everyone on the chosen boards; resolves to how many boards it
 * went to. @param {string} workshop @param {Selection} boards @param {string} text
 */
export async function sendMessage(workshop, boards, text) {
  const answer = await call("POST", `/api/workshops/${workshop}/message`, { boards, text });
  return /** @type {number} */ (answer.boards.length);
}

/**
 * Everyone on the chosen boards back to the main board (people elsewhere stay where they are);
 * resolves to the numbers of the boards they came back from.
 * @param {string} workshop @param {Selection} boards
 */
export async function bringBack(workshop, boards) {
  const answer = await call("POST", `/api/workshops/${workshop}/back`, { boards });
  return /** @type {number[]} */ (answer.boards);
}

/**
 * What "Everyone back" does with this choice, as its label: whom it brings back.
 * @param {Selection | null} boards null: "boards I choose" with none ticked yet
 */
export function backLabel(boards) {
  if (boards === "all") return t("dashboard.back");
  if (boards === "breakouts") return t("dashboard.back_breakouts");
  if (boards === null) return t("dashboard.back_chosen");
  return t("dashboard.back_from", { boards: (boards === "main" ? [0] : boards).map(boardName).join(", ") });
}

/** "Everyone on Board 1, Board 2 was sent back to the main board." @param {number[]} numbers */
export function broughtBack(numbers) {
  return t("dashboard.brought_back_from", { boards: numbers.map(boardName).join(", ") });
}

/**
 * "Done on 10 boards", or "Done on 9 of 10 boards. Not done on Board 2 (no timer is set)."
 * Boards refusing for the same reason are named together, so ten refusals stay one line.
 * @param {BoardOutcome[]} boards
 * @returns {[string, boolean]} the words, and whether any board refused
 */
export function outcome(boards) {
  const refused = boards.filter((board) => !board.applied);
  if (!refused.length) return [tn("dashboard.all.done", boards.length), false];
  /** @type {Map<string, string[]>} */
  const byReason = new Map();
  for (const board of refused) {
    const reason = errorText(board.error);
    byReason.set(reason, [...(byReason.get(reason) ?? []), boardName(board.number)]);
  }
  const where = [...byReason].map(([reason, names]) => t("dashboard.all.refused_on", { board: names.join(", "), reason }));
  return [t("dashboard.all.partly", { done: boards.length - refused.length, count: boards.length, refused: where.join("; ") }), true];
}

/** "Main board", "Board 3". @param {number} number */
export function boardName(number) {
  return number === 0 ? t("dashboard.main_board") : t("dashboard.board_n", { number });
}

/**
 * @typedef {object} BoardChoice
 * @property {HTMLFieldSetElement} element
 * @property {() => Selection | null} selection the boards chosen (null: "boards I choose" with none ticked)
 * @property {() => boolean} many whether the choice is wider than the board the page is on
 * @property {(boards: BoardRef[]) => void} setBoards the workshop's boards, for "boards I choose"
 */

/**
 * Which boards an action is for: radio buttons (arrow keys move between them), with "This
 * board" first where the page is on one, and "Boards I choose" opening a checkbox per board.
 * A `change` event on the fieldset says the choice changed.
 * @param {{prefix: string, boards: BoardRef[], here?: number}} options ids start with `prefix`;
 *   `here` is the number of the board the page is on
 * @returns {BoardChoice}
 */
export function mountBoardChoice({ prefix, boards, here }) {
  const fieldset = /** @type {HTMLFieldSetElement} */ (el("fieldset", { class: "board-choice" }));
  fieldset.append(el("legend", {}, t("dashboard.all.which")));
  const options = [
    ...(here === undefined ? [] : [["here", t("dashboard.fac.board")]]),
    ["breakouts", t("dashboard.all.breakouts")],
    ["main", t("dashboard.all.main")],
    ["all", t("dashboard.all.all")],
    ["chosen", t("dashboard.all.chosen")],
  ];
  const name = `${prefix}-boards`;
  options.forEach(([value, label], index) => {
    const id = `${prefix}-${value}`;
    const box = el("div", { class: "board-option" });
    box.append(el("input", { type: "radio", name, id, value, checked: index === 0 }), el("label", { for: id }, label));
    fieldset.append(box);
  });
  const ticks = el("div", { class: "board-ticks", role: "group", "aria-label": t("dashboard.boards"), hidden: true });
  fieldset.append(ticks);

  const picked = () => /** @type {HTMLInputElement} */ (fieldset.querySelector(`input[name="${name}"]:checked`)).value;
  fieldset.addEventListener("change", () => {
    ticks.hidden = picked() !== "chosen";
  });

  /** @param {BoardRef[]} list */
  const setBoards = (list) => {
    const ticked = new Set([...ticks.querySelectorAll("input:checked")].map((box) => /** @type {HTMLInputElement} */ (box).value));
    ticks.replaceChildren(
      ...list.map((board) => {
        const id = `${prefix}-board-${board.number}`;
        const label = el("label", { for: id, class: "board-tick" });
        label.append(el("input", { type: "checkbox", id, value: board.number, checked: ticked.has(String(board.number)) }), document.createTextNode(boardName(board.number)));
        return label;
      }),
    );
  };
  setBoards(boards);

  return {
    element: fieldset,
    selection() {
      const value = picked();
      if (value === "here") return [/** @type {number} */ (here)];
      if (value !== "chosen") return /** @type {Selection} */ (value);
      const numbers = [...ticks.querySelectorAll("input:checked")].map((box) => Number(/** @type {HTMLInputElement} */ (box).value));
      return numbers.length ? numbers : null;
    },
    many: () => picked() !== "here",
    setBoards,
  };
}
