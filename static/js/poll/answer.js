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
  const answering = new Answering(parent, options);
  return {
    update: (poll, answers) => answering.update(poll, answers),
    mine: () => answering.mine,
  };
}

/** The form, the rule above it and the refusal under it. */
function answerForm() {
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
  return { form, input, rule, error, send };
}

/** One person's answering: the form, what they have sent, and the poll's rule as last heard. */
class Answering {
  /**
   * @param {HTMLElement} parent
   * @param {{workshop: string, board?: number, subhead: string, announce: (text: string) => void, onChange: () => void}} options
   */
  constructor(parent, options) {
    this.options = options;
    this.state = el("p", { class: "poll-state" });
    const { form, input, rule, error, send } = answerForm();
    this.form = form;
    this.input = input;
    this.rule = rule;
    this.error = error;
    this.send = send;
    this.list = el("ul", { class: "poll-mine" });
    this.mineBox = el("div", { class: "poll-mine-box" });
    this.mineBox.append(el(options.subhead, { class: "poll-subhead" }, t("poll.mine")), el("p", { class: "hint" }, t("poll.mine_note")), this.list);
    parent.append(this.state, form, this.mineBox);
    /** @type {Answer[]} */
    this.mine = [];
    this.words = 2;
    /** The id of the answer being sent, kept while its text is unchanged so a retry is harmless. */
    this.pending = { id: newAnswerId(), text: "" };
    this.sending = false;
    input.addEventListener("input", () => this.showError(""));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
  }

  /** @param {string} text */
  showError(text) {
    setText(this.error, text);
    this.input.setAttribute("aria-invalid", text ? "true" : "false");
  }

  async submit() {
    const { input, send, options } = this;
    if (this.sending) return; // one at a time: the button says "Sending…" meanwhile
    const text = input.value;
    if (!text.trim()) {
      this.showError(refusalText({ code: "not_one_or_two_words" }, this.words));
      input.focus();
      return;
    }
    if (this.pending.text !== text) this.pending = { id: newAnswerId(), text };
    this.sending = true;
    send.disabled = true;
    setText(send, t("poll.sending"));
    const reply = await addAnswer(options.workshop, text, this.pending.id, options.board);
    this.sending = false;
    send.disabled = false;
    setText(send, t("poll.send"));
    if (!reply.ok) {
      this.showError(refusalText(reply.error, this.words));
      input.focus();
      return;
    }
    this.pending = { id: newAnswerId(), text: "" };
    if (input.value === text) input.value = ""; // keep whatever was typed meanwhile
    this.showError("");
    if (!this.mine.some((answer) => answer.id === reply.data.id)) this.mine = [...this.mine, reply.data];
    this.drawMine();
    options.announce(t("poll.added", { word: reply.data.text.trim() }));
    options.onChange();
    input.focus();
  }

  drawMine() {
    this.list.replaceChildren(
      ...this.mine.map((answer) => {
        const item = el("li", { "data-id": answer.id });
        const remove = el("button", { type: "button", class: "link", onclick: () => this.withdraw(answer) }, t("poll.withdraw", { word: answer.text.trim() }));
        item.append(el("span", { class: "poll-answer" }, answer.text.trim()), remove);
        return item;
      }),
    );
    this.mineBox.hidden = this.mine.length === 0;
  }

  /** @param {Answer} answer */
  async withdraw(answer) {
    const reply = await withdrawAnswer(this.options.workshop, answer.id);
    if (!reply.ok && reply.status !== 404) {
      this.options.announce(refusalText(reply.error, this.words));
      return;
    }
    this.mine = this.mine.filter((other) => other.id !== answer.id);
    this.drawMine();
    this.options.announce(t("poll.removed", { word: answer.text.trim() }));
    this.options.onChange();
    this.input.focus();
  }

  /** @param {Poll} poll @param {Answer[]} answers */
  update(poll, answers) {
    this.words = poll.words;
    this.mine = answers;
    setText(this.rule, ruleText(poll.words));
    setText(this.state, poll.open ? "" : poll.answers ? t("poll.closed") : t("poll.not_open"));
    this.state.hidden = poll.open;
    this.form.hidden = !poll.open;
    this.drawMine();
  }
}
