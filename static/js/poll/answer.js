// Answering: the question's word rule, an input with a clear refusal in the person's own
// language, and their own answers, each withdrawable. Answers go over HTTP from any board; the
// server checks the rule (one or two words, or the facilitator's limit) and says why not.
import { el, setText } from "../dom.js";
import { t } from "../i18n.js";
import { addAnswer, newAnswerId, withdrawAnswer } from "./api.js";

/**
 * @typedef {import("./api.js").Poll} Poll
 * @typedef {import("./api.js").Answer} Answer
 */

/** The rule as a person reads it, for the poll's word limit. */
export function ruleText(/** @type {number} */ words) {
  if (words === 1) return t("poll.rule_1");
  if (words === 2) return t("poll.rule_2");
  return t("poll.rule_n", { count: words });
}

/** Why an answer was refused, in the person's language. */
export function refusalText(/** @type {{code: string} | undefined} */ error, /** @type {number} */ words) {
  const code = error?.code ?? "offline";
  if (code === "not_one_or_two_words") {
    if (words === 1) return t("poll.refused_1");
    if (words === 2) return t("error.not_one_or_two_words");
    return t("poll.refused_n", { count: words });
  }
  if (code === "too_many") return t("poll.too_many");
  if (code === "offline") return t("poll.offline");
  return t(`error.${code}`);
}

/**
 * @param {HTMLElement} parent
 * @param {{workshop: string, board?: number, subhead: string, announce: (text: string) => void, onChange: () => void}} options
 * @returns {{update: (poll: Poll, mine: Answer[]) => void, mine: () => Answer[]}}
 */
export function mountAnswering(parent, options) {
  const state = el("p", { class: "poll-state" });
  const form = /** @type {HTMLFormElement} */ (el("form", { class: "poll-form", novalidate: true }));
  const input = /** @type {HTMLInputElement} */ (
    el("input", {
      id: "poll-input",
      name: "answer",
      type: "text",
      autocomplete: "off",
      enterkeyhint: "send",
      maxlength: 80,
      "aria-describedby": "poll-rule poll-error",
    })
  );
  const rule = el("p", { id: "poll-rule", class: "hint" });
  const error = el("p", { id: "poll-error", class: "poll-error", role: "alert" });
  const send = /** @type {HTMLButtonElement} */ (el("button", { type: "submit" }, t("poll.send")));
  const row = el("div", { class: "row" });
  row.append(input, send);
  form.append(el("label", { for: "poll-input" }, t("poll.your_answer")), rule, row, error);

  const mineHeading = el(options.subhead, { class: "poll-subhead" }, t("poll.mine"));
  const mineNote = el("p", { class: "hint" }, t("poll.mine_note"));
  const list = el("ul", { class: "poll-mine" });
  const mineBox = el("div", { class: "poll-mine-box" });
  mineBox.append(mineHeading, mineNote, list);
  parent.append(state, form, mineBox);

  /** @type {Answer[]} */
  let mine = [];
  let words = 2;
  /** The id of the answer being sent, kept while its text is unchanged so a retry is harmless. */
  let pending = { id: newAnswerId(), text: "" };

  function showError(/** @type {string} */ text) {
    setText(error, text);
    input.setAttribute("aria-invalid", text ? "true" : "false");
  }

  input.addEventListener("input", () => showError(""));
  let sending = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (sending) return; // one at a time: the button says "Sending…" meanwhile
    const text = input.value;
    if (!text.trim()) {
      showError(refusalText({ code: "not_one_or_two_words" }, words));
      input.focus();
      return;
    }
    if (pending.text !== text) pending = { id: newAnswerId(), text };
    sending = true;
    send.disabled = true;
    setText(send, t("poll.sending"));
    const reply = await addAnswer(options.workshop, text, pending.id, options.board);
    sending = false;
    send.disabled = false;
    setText(send, t("poll.send"));
    if (!reply.ok) {
      showError(refusalText(reply.error, words));
      input.focus();
      return;
    }
    pending = { id: newAnswerId(), text: "" };
    if (input.value === text) input.value = ""; // keep whatever was typed meanwhile
    showError("");
    if (!mine.some((answer) => answer.id === reply.data.id)) mine = [...mine, reply.data];
    drawMine();
    options.announce(t("poll.added", { word: reply.data.text.trim() }));
    options.onChange();
    input.focus();
  });

  function drawMine() {
    list.replaceChildren(
      ...mine.map((answer) => {
        const item = el("li", { "data-id": answer.id });
        const remove = el("button", { type: "button", class: "link", onclick: () => withdraw(answer) }, t("poll.withdraw", { word: answer.text.trim() }));
        item.append(el("span", { class: "poll-answer" }, answer.text.trim()), remove);
        return item;
      }),
    );
    mineBox.hidden = mine.length === 0;
  }

  async function withdraw(/** @type {Answer} */ answer) {
    const reply = await withdrawAnswer(options.workshop, answer.id);
    if (!reply.ok && reply.status !== 404) {
      options.announce(refusalText(reply.error, words));
      return;
    }
    mine = mine.filter((other) => other.id !== answer.id);
    drawMine();
    options.announce(t("poll.removed", { word: answer.text.trim() }));
    options.onChange();
    input.focus();
  }

  return {
    update(poll, answers) {
      words = poll.words;
      mine = answers;
      setText(rule, ruleText(poll.words));
      setText(state, poll.open ? "" : poll.answers ? t("poll.closed") : t("poll.not_open"));
      state.hidden = poll.open;
      form.hidden = !poll.open;
      drawMine();
    },
    mine: () => mine,
  };
}
