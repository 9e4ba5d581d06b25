// Taking a participant to the board they were sent to: at once when the facilitator
// allocates, moves them or brings everyone back (a `goto` notice), and when their page
// (re)connects after missing that notice (`GET /api/workshops/{id}/where`). When nobody has
// sent them anywhere, `where` names no board and they stay on the board they opened (a link
// the facilitator shared). Facilitators stay where they are.

/** @param {any} ctx the board's feature context */
export function mountGoto(ctx) {
  if (ctx.config.role === "facilitator") return;
  const here = ctx.config.board;
  const go = (/** @type {string} */ board) => {
    if (board && board !== here) location.assign(`/b/${encodeURIComponent(board)}`);
  };
  ctx.events.addEventListener("notice", (/** @type {CustomEvent} */ event) => {
    const notice = event.detail;
    if (notice?.kind === "goto") go(notice.board);
  });
  ctx.events.addEventListener("welcome", async () => {
    try {
      const response = await fetch(`/api/workshops/${ctx.config.workshop.id}/where`, { credentials: "same-origin" });
      if (response.ok) go((await response.json()).board);
    } catch {
      // Offline: the next welcome asks again.
    }
  });
}
