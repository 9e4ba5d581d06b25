// The exit poll's word cloud filling the screen, with its question, kept live by a long poll
// (GET .../poll?after=version) while it is shown. The table of counts stays for screen readers.
import { el, setText } from "../dom.js";
import { t } from "../i18n.js";
import { fetchPoll } from "../poll/api.js";
import { mountCloud } from "../poll/cloud.js";

const MAX_RETRY_MS = 15_000;

/** @param {HTMLElement} root @param {{workshop: string, lang: string}} options @returns {{close: () => void}} */
export function mountPresenterCloud(root, options) {
  const question = el("p", { class: "presenter-question" });
  const box = el("div", { class: "presenter-cloud" });
  root.replaceChildren(question, box);
  const cloud = mountCloud(box, { workshop: options.workshop, lang: options.lang, facilitator: false, onHide: () => {} });
  let closed = false;
  (async () => {
    /** @type {string | undefined} */
    let version;
    let retry = 1000;
    while (!closed) {
      const reply = await fetchPoll(options.workshop, version);
      if (closed) return;
      if (reply.ok) {
        const poll = reply.data;
        version = poll.version;
        const asked = /** @type {Record<string, string>} */ (poll.question ?? {});
        setText(question, asked[options.lang] || asked.en || t("poll.default_question"));
        cloud.update(poll);
        root.dataset.version = poll.version;
        retry = 1000;
      } else {
        await new Promise((resolve) => setTimeout(resolve, retry));
        retry = Math.min(retry * 2, MAX_RETRY_MS);
      }
    }
  })();
  return { close: () => (closed = true) };
}
