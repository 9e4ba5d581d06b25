// The timer, large: the main board's, or while it has none the first breakout board's (a timer
// started for every breakout runs the same on each). Counts down on the server's clock.
import { el, setText } from "../dom.js";
import { t } from "../i18n.js";
import { format, remaining } from "../facilitation/timer.js";
import { watchBoard } from "../gallery/watch.js";

const TICK_MS = 250;

/**
 * @param {HTMLElement} root @param {{protocol: number, boards: {id: string, number: number}[]}} options
 * @returns {{close: () => void}}
 */
export function mountPresenterTimer(root, options) {
  const clock = el("p", { class: "presenter-clock", role: "timer", "aria-live": "off" });
  const where = el("p", { class: "presenter-caption" });
  root.replaceChildren(clock, where);
  const sorted = [...options.boards].sort((a, b) => a.number - b.number);
  const watched = sorted.slice(0, 2).map((board) => ({ board, watcher: watchBoard({ protocol: options.protocol, board, onChange: tick }) }));
  function tick() {
    const running = watched.find(({ watcher }) => watcher.replica.settings.timer);
    if (!running) {
      setText(clock, "–:––");
      setText(where, t("presenter.no_timer"));
      root.dataset.state = "none";
      return;
    }
    const timer = running.watcher.replica.settings.timer;
    const left = remaining(timer, Date.now() + running.watcher.replica.offset);
    setText(clock, left > 0 ? format(left) : t("presenter.time_up"));
    setText(where, running.board.number ? t("dashboard.board_n", { number: running.board.number }) : t("presenter.main_board"));
    root.dataset.state = left > 0 ? (typeof timer.ends_at === "number" ? "running" : "paused") : "ended";
  }
  const every = window.setInterval(tick, TICK_MS);
  tick();
  return {
    close() {
      clearInterval(every);
      for (const { watcher } of watched) watcher.close();
    },
  };
}
