// The comment tool: tap an object to comment on it, or empty canvas to pin a comment there.
// The comment panel opens to write it; comments carry no name.

/** @typedef {import("../main.js").Board} Board */
/** @typedef {import("../input.js").Hit} Hit */

export const name = "comment";
export const key = "c";

/** @param {Board} board */
export function create(board) {
  return {
    name,
    /** @param {PointerEvent} e @param {Hit} hit */
    down(e, hit) {
      board.setTool("select");
      const obj = hit.id ? board.replica.get(hit.id) : undefined;
      if (obj && typeof obj.x === "number") {
        board.comments.start({ target: obj.id });
      } else {
        const [x, y] = board.viewport.eventToWorld(e);
        board.comments.start({ x: board.clampCoord(x), y: board.clampCoord(y) });
      }
    },
    move() {},
    up() {},
    cancel() {},
  };
}
