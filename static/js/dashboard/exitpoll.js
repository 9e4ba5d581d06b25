// The Exit poll panel: whether the poll is open and how many answers it has, a button to
// open or close it for everyone, and the way to the poll's own page, where the facilitator
// sets the question and the word limit, hides words and downloads the cloud.
import { setText } from "../dom.js";
import { errorText } from "../errors.js";
import { t, tn } from "../i18n.js";
import { configure, fetchPoll } from "../poll/api.js";
import { say } from "./api.js";

/** While the page is open, how often the poll's state is asked again, in ms. */
const POLL_EVERY_MS = 10_000;

/** @param {Document} doc @param {any} config */
export function mountExitPollPanel(doc, config) {
  const workshop = config.workshop.id;
  const state = /** @type {HTMLElement} */ (doc.getElementById("exit-poll-state"));
  const toggle = /** @type {HTMLButtonElement} */ (doc.getElementById("exit-poll-toggle"));
  const status = /** @type {HTMLElement} */ (doc.getElementById("exit-poll-status"));
  let open = false;

  /** @param {any} poll */
  function show(poll) {
    open = poll.open;
    const answers = poll.answers ? tn("dashboard.exit.answers", poll.answers) : t("dashboard.exit.no_answers");
    setText(state, `${open ? t("dashboard.exit.open") : t("dashboard.exit.closed")} ${answers}`);
    setText(toggle, open ? t("dashboard.exit.close") : t("dashboard.exit.start"));
    toggle.setAttribute("aria-pressed", String(open));
  }

  async function refresh() {
    const reply = await fetchPoll(workshop);
    if (reply.ok) show(reply.data);
    return reply;
  }

  toggle.addEventListener("click", async () => {
    toggle.disabled = true;
    const reply = await configure(workshop, { open: !open });
    toggle.disabled = false;
    if (reply.ok) {
      show(reply.data);
      say(status, reply.data.open ? t("dashboard.exit.opened") : t("dashboard.exit.closed_now"));
    } else {
      say(status, t("dashboard.failed", { reason: errorText(reply.error) }), true);
    }
  });
  window.setInterval(() => {
    if (doc.visibilityState === "visible") refresh();
  }, POLL_EVERY_MS);
  return refresh();
}
