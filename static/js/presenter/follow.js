// What the presenter screens show, through the server, so a screen on the projector's laptop
// follows a facilitator's dashboard on another computer: a facilitator's socket on the main
// board, kept open whatever is shown, hears the `presenter` notice; GET .../presenter gives
// the latest choice when the screen opens, and again each time its socket has connected (a
// notice sent before it could hear it was missed). A choice made on the screen itself is told to the server too, so the
// other screens, and one opened later, agree. The BroadcastChannel (channel.js) stays for the
// dashboard in the same browser to hear what the screen shows.
import { watchBoard } from "../gallery/watch.js";
import { isShow } from "./channel.js";

/**
 * The latest choice for the workshop's presenter screens, or null (none yet, or offline).
 * @param {string} workshop
 * @returns {Promise<string | null>}
 */
export async function latestShow(workshop) {
  try {
    const response = await fetch(`/api/workshops/${workshop}/presenter`, { credentials: "same-origin" });
    if (!response.ok) return null;
    const { show } = await response.json();
    return isShow(show) ? show : null;
  } catch {
    return null;
  }
}

/**
 * Tell every presenter screen of the workshop to show `what`; resolves to whether the server
 * took it. @param {string} workshop @param {string} what
 */
export async function tellScreens(workshop, what) {
  try {
    const response = await fetch(`/api/workshops/${workshop}/presenter`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ show: what }),
      credentials: "same-origin",
    });
    return response.ok;
  } catch {
    return false; // offline: this screen shows it anyway
  }
}

/**
 * Follow the choices made on any computer until `close()`: `show` is called with each.
 * @param {{protocol: number, workshop: string, main: {id: string, number: number}, show: (what: string) => void}} options
 * @returns {{close: () => void}}
 */
export function followChoices({ protocol, workshop, main, show }) {
  return watchBoard({
    protocol,
    board: main,
    onChange: () => {},
    // Caught up on (re)connecting: a choice made before the socket could hear it is asked for.
    async onSnapshot() {
      const latest = await latestShow(workshop);
      if (latest) show(latest);
    },
    onNotice(notice) {
      if (notice.kind === "presenter" && isShow(notice.show)) show(notice.show);
    },
  });
}
