// The exit poll panel: the question in the person's language, answering (for everyone), the
// live cloud with its table, and the facilitator's controls. It holds the poll as last heard
// and redraws from it; whoever mounts it feeds it what arrives (a `notice` of kind `poll` on the
// board page, a long poll on the page of its own) through `apply`.
import { el, setText } from "../dom.js";
import { t } from "../i18n.js";
import { fetchPoll } from "./api.js";
import { mountAnswering } from "./answer.js";
import { mountCloud } from "./cloud.js";
import { mountFacilitator } from "./facilitator.js";

/** @typedef {import("./api.js").Poll} Poll */

/**
 * @param {HTMLElement} root  the element the panel fills (a section, labelled by its heading)
 * @param {{workshop: string, board?: number, lang: string, role: string, initial?: Poll | null, heading?: string, onClose?: () => void}} options  `board`: the number of the board it is on
 * @returns {{apply: (poll: Poll) => void, refresh: () => Promise<void>, poll: () => Poll | null}}
 */
export function mountPollPanel(root, options) {
  const facilitator = options.role === "facilitator";
  const { question, live } = mountHead(root, options);

  const announce = (/** @type {string} */ text) => {
    setText(live, "");
    requestAnimationFrame(() => setText(live, text));
  };
  /** @type {Poll | null} */
  let poll = null;
  const refresh = async () => {
    const reply = await fetchPoll(options.workshop);
    if (reply.ok) apply(reply.data);
  };
  const level = Number((options.heading ?? "h2").slice(1));
  const subhead = `h${Math.min(level + 1, 6)}`; // headings go one level down, never skipping one
  const answering = mountAnswering(root, { workshop: options.workshop, board: options.board, announce, subhead, onChange: () => {} });
  const controls = facilitator
    ? mountFacilitator(root, { workshop: options.workshop, announce, subhead, onPoll: (next) => apply(next) })
    : null;
  const cloudBox = el("section", { class: "poll-cloud", "aria-label": t("poll.cloud_title") });
  root.append(cloudBox);
  const cloud = mountCloud(cloudBox, {
    workshop: options.workshop,
    lang: options.lang,
    facilitator,
    onHide: (word) => controls?.hide(word, true),
  });

  /** Take what was heard: a whole poll (the API) or a notice (no `mine`, no facilitator lists). */
  function apply(/** @type {Poll} */ next) {
    const previous = poll;
    poll = {
      ...next,
      mine: next.mine ?? previous?.mine ?? [],
      hidden: next.hidden ?? previous?.hidden ?? [],
      blocked: next.blocked ?? previous?.blocked ?? { answers: 0, words: [] },
    };
    root.dataset.version = poll.version;
    root.dataset.open = String(poll.open);
    const wanted = /** @type {Record<string, string>} */ (poll.question ?? {});
    setText(question, wanted[options.lang] || wanted.en || t("poll.default_question"));
    answering.update(poll, next.mine ?? answering.mine());
    controls?.update(poll);
    cloud.update(poll);
    // A notice carries what everyone sees; a facilitator's lists come with the API's answer.
    if (facilitator && next.hidden === undefined && previous?.version !== next.version) refresh();
  }

  if (options.initial) apply(options.initial);
  return { apply, refresh, poll: () => poll };
}

/**
 * The panel's heading (with its close button, when it can be closed), the question, and the
 * live region the panel speaks through.
 * @param {HTMLElement} root @param {{lang: string, heading?: string, onClose?: () => void}} options
 */
function mountHead(root, options) {
  const heading = el(options.heading ?? "h2", { id: "poll-title", class: "poll-title" }, t("poll.title"));
  const question = el("p", { class: "poll-question", lang: options.lang });
  const live = el("p", { class: "poll-live", role: "status", "aria-live": "polite" });
  root.setAttribute("aria-labelledby", "poll-title");
  root.classList.add("poll-panel");
  if (options.onClose) {
    const head = el("div", { class: "panel-head" });
    const close = el("button", { type: "button", class: "panel-close", "aria-label": t("poll.panel_close"), onclick: options.onClose }, "×");
    head.append(heading, close);
    root.append(head, question, live);
  } else {
    root.append(heading, question, live);
  }
  return { question, live };
}
