// The exit poll on a page of its own (/w/{id}/poll): the same panel as on the board, kept up to
// date by a long poll (GET .../poll?after=version), since this page has no board socket.
import { fetchPoll } from "./api.js";
import { mountPollPanel } from "./panel.js";

/** Longest wait (ms) between retries when the server cannot be reached. */
const MAX_RETRY = 15_000;

/**
 * @param {Document} doc
 * @param {{workshop: {id: string}, lang: string, role: string, poll: import("./api.js").Poll}} config
 */
export function mountPollPage(doc, config) {
  const root = /** @type {HTMLElement} */ (doc.getElementById("poll"));
  const panel = mountPollPanel(root, { workshop: config.workshop.id, lang: config.lang, role: config.role, initial: config.poll, heading: "h1" });
  follow(panel, config.workshop.id);
}

async function follow(/** @type {ReturnType<typeof mountPollPanel>} */ panel, /** @type {string} */ workshop) {
  let retry = 1000;
  for (;;) {
    const reply = await fetchPoll(workshop, panel.poll()?.version);
    if (reply.ok) {
      panel.apply(reply.data);
      retry = 1000;
    } else {
      await new Promise((resolve) => setTimeout(resolve, retry));
      retry = Math.min(retry * 2, MAX_RETRY);
    }
  }
}
