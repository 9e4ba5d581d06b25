// A facilitator's signals, applied to this person's view: "summon" brings everyone to the same
// place once; "follow" keeps their view on the facilitator's until they move it themselves
// (a drag, a pinch, a key) or the facilitator stops. Someone who moved away, or pressed
// "Stop following", stays where they are while the facilitator goes on leading; the next time
// the facilitator starts leading takes them along again. Signals are momentary and never stored.

import { el } from "../dom.js";
import { t } from "../i18n.js";

/**
 * What facilitators' signals use of the board, and nothing else.
 * @typedef {object} SignalsBoard
 * @property {import("./sync.js").Connection} connection where signals arrive
 * @property {EventTarget} events the board's events: "following" is dispatched here (features.js)
 * @property {import("./viewport.js").Viewport} viewport moved to a summons, followed
 * @property {(text: string, kind?: "info" | "error") => void} notify tells the person what happened
 */

/** @param {SignalsBoard} board @param {HTMLElement} banner where "following" is shown */
export function mountSignals(board, banner) {
  let following = false;
  /** This person left the facilitator's lead: later `follow` signals of it leave them be. */
  let left = false;
  const text = el("span", {}, t("board.signal.following"));
  const stop = el("button", { type: "button", class: "secondary" }, t("board.signal.stop"));
  banner.append(text, stop);
  banner.hidden = true;

  const setFollowing = (/** @type {boolean} */ on) => {
    following = on;
    banner.hidden = !on;
    board.events.dispatchEvent(new CustomEvent("following", { detail: { following: on } }));
  };
  stop.addEventListener("click", () => {
    left = true;
    setFollowing(false);
  });

  board.connection.addEventListener("signal", (event) => {
    const { kind, x, y, zoom } = /** @type {CustomEvent} */ (event).detail;
    if (kind === "summon") {
      setFollowing(false);
      board.viewport.goTo(x, y, zoom);
      board.notify(t("board.signal.summoned"));
    } else if (kind === "follow") {
      if (left) return;
      if (!following) {
        setFollowing(true);
        board.notify(t("board.signal.follow_started"));
      }
      board.viewport.goTo(x, y, zoom);
    } else if (kind === "unfollow") {
      left = false;
      if (following) board.notify(t("board.signal.follow_ended"));
      setFollowing(false);
    }
  });
  board.viewport.addEventListener("change", (event) => {
    if (following && /** @type {CustomEvent} */ (event).detail.user) {
      left = true;
      setFollowing(false);
      board.notify(t("board.signal.you_moved"));
    }
  });
}
