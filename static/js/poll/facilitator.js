// The facilitator's part of the poll panel: open or close it, its question in English and
// Welsh and its word limit, words hidden from the cloud, answers the blocklist kept out, and the
// downloads. Every action answers with the whole poll, handed to `onPoll`.
import { el, setText } from "../dom.js";
import { t, tn } from "../i18n.js";
import { configure, downloadUrl, hideWord } from "./api.js";
import { refusalText } from "./answer.js";

/** @typedef {import("./api.js").Poll} Poll */

/**
 * @param {HTMLElement} parent
 * @param {{workshop: string, subhead: string, announce: (text: string) => void, onPoll: (poll: Poll) => void}} options
 * @returns {{update: (poll: Poll) => void, hide: (word: string, hidden: boolean) => Promise<void>}}
 */
export function mountFacilitator(parent, options) {
  const box = el("section", { class: "poll-facilitator", "aria-labelledby": "poll-facilitator-status" });
  const status = el("p", { id: "poll-facilitator-status", class: "poll-status-line" });
  const toggle = /** @type {HTMLButtonElement} */ (el("button", { type: "button", class: "poll-toggle" }));
  const { settings, form, questionEn, questionCy, limit } = settingsForm();

  const blocked = blockedAnswers();

  const hidden = hiddenWords(options.subhead, (word) => hide(word, false));

  box.append(status, toggle, settings, blocked.count, blocked.words, ...hidden.parts, downloadLinks(options.workshop));
  parent.append(box);

  /** @type {Poll | null} */
  let current = null;
  let edited = false;
  for (const field of [questionEn, questionCy, limit]) field.addEventListener("input", () => (edited = true));

  async function act(/** @type {Promise<import("./api.js").Reply>} */ request, /** @type {string} */ done) {
    const reply = await request;
    if (!reply.ok) {
      options.announce(refusalText(reply.error, current?.words ?? 2));
      return false;
    }
    options.onPoll(reply.data);
    if (done) options.announce(done);
    return true;
  }

  toggle.addEventListener("click", () => {
    const opening = !current?.open;
    act(configure(options.workshop, { open: opening }), opening ? t("poll.status_open") : t("poll.status_closed"));
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const changes = { question: { en: questionEn.value, cy: questionCy.value }, words: Number(limit.value) };
    if (await act(configure(options.workshop, changes), t("poll.saved"))) edited = false;
  });

  async function hide(/** @type {string} */ word, /** @type {boolean} */ hidden) {
    await act(hideWord(options.workshop, word, hidden), "");
  }

  return {
    hide,
    update(poll) {
      current = poll;
      setText(status, poll.open ? t("poll.status_open") : t("poll.status_closed"));
      setText(toggle, poll.open ? t("poll.close") : t("poll.open"));
      toggle.classList.toggle("secondary", poll.open);
      if (!edited) {
        questionEn.value = poll.question?.en ?? "";
        questionCy.value = poll.question?.cy ?? "";
        limit.value = String(poll.words);
      }
      blocked.show(poll);
      hidden.show(poll);
    },
  };
}

/** The poll's settings, folded: its question in English and Welsh and its word limit. */
function settingsForm() {
  const settings = el("details", { class: "poll-settings" });
  const form = el("form", { class: "stack" });
  const questionEn = /** @type {HTMLTextAreaElement} */ (el("textarea", { id: "poll-question-en", rows: 2, maxlength: 300, lang: "en" }));
  const questionCy = /** @type {HTMLTextAreaElement} */ (el("textarea", { id: "poll-question-cy", rows: 2, maxlength: 300, lang: "cy" }));
  const limit = /** @type {HTMLSelectElement} */ (el("select", { id: "poll-words" }));
  for (let n = 1; n <= 5; n++) limit.append(el("option", { value: n }, String(n)));
  form.append(
    el("label", { for: "poll-question-en" }, t("poll.question_en")),
    questionEn,
    el("label", { for: "poll-question-cy" }, t("poll.question_cy")),
    questionCy,
    el("label", { for: "poll-words" }, t("poll.words_limit")),
    limit,
    el("button", { type: "submit", class: "secondary" }, t("poll.save")),
  );
  settings.append(el("summary", {}, t("poll.settings")), form);
  return { settings, form, questionEn, questionCy, limit };
}

/** How many answers the blocklist kept out, and (folded) which words. */
function blockedAnswers() {
  const count = el("p", { class: "poll-blocked" });
  const words = el("details", { class: "poll-blocked-words" });
  const list = el("ul");
  words.append(el("summary", {}, t("poll.show_blocked")), list);
  return {
    count,
    words,
    /** @param {Poll} poll */
    show(poll) {
      const stopped = poll.blocked?.answers ?? 0;
      setText(count, tn("poll.blocked", stopped));
      count.hidden = stopped === 0;
      words.hidden = stopped === 0;
      list.replaceChildren(...(poll.blocked?.words ?? []).map((row) => el("li", {}, `${row.word} (${row.count})`)));
    },
  };
}

/** The cloud as a picture (SVG, PNG) and the answers as a table (CSV). @param {string} workshop */
function downloadLinks(workshop) {
  const downloads = el("p", { class: "poll-downloads" });
  downloads.append(el("span", {}, `${t("poll.downloads")}: `));
  for (const kind of /** @type {const} */ (["svg", "png", "csv"])) {
    downloads.append(el("a", { href: downloadUrl(workshop, kind), download: "" }, t(`poll.download_${kind}`)), " ");
  }
  return downloads;
}

/**
 * The words hidden from the cloud, each with the button that shows it again.
 * @param {string} subhead @param {(word: string) => void} unhide
 */
function hiddenWords(subhead, unhide) {
  const heading = el(subhead, { class: "poll-subhead" }, t("poll.hidden"));
  const list = el("ul", { class: "poll-hidden" });
  const none = el("p", { class: "hint" }, t("poll.hidden_none"));
  return {
    parts: [heading, none, list],
    /** @param {Poll} poll */
    show(poll) {
      const hidden = poll.hidden ?? [];
      none.hidden = hidden.length > 0;
      list.replaceChildren(
        ...hidden.map((row) => {
          const item = el("li", { "data-word": row.word });
          item.append(el("span", {}, `${row.word} (${row.count}) `), el("button", { type: "button", class: "link", onclick: () => unhide(row.word) }, t("poll.show", { word: row.word })));
          return item;
        }),
      );
    },
  };
}
