// How the dashboard tells an open presenter screen what to show, in the same browser: a
// BroadcastChannel per workshop. The dashboard posts {show}; the presenter screen answers with
// {showing} whenever what it shows changes (and when asked with {ask}), so the dashboard can
// say what the shared screen shows. Nothing goes through the server.

/** What a presenter screen can show; `board-N` shows board N (0: the main board). */
export const SHOWS = Object.freeze(["join", "cloud", "gallery", "timer"]);

/** @param {string} workshop */
export function presenterChannel(workshop) {
  return new BroadcastChannel(`presenter-${workshop}`);
}

/** Whether `show` names something a presenter screen shows. @param {unknown} show */
export function isShow(show) {
  return typeof show === "string" && (SHOWS.includes(show) || /^board-\d{1,2}$/.test(show));
}
