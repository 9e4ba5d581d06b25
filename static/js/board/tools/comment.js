// The comment tool: tap an object to comment on it, or empty canvas to pin a comment there.
// The comment panel opens to write it; comments carry no name.

/**
 * What the comment tool uses of the board, and nothing else.
 * @typedef {object} CommentToolBoard
 * @property {import("../viewport.js").Viewport} viewport turns the press into a place
 * @property {import("../replica.js").Replica} replica the object pressed on
 * @property {import("../comments.js").Comments} comments starts the thread
 * @property {(name: string) => void} setTool back to select after one comment
 * @property {(v: number) => number} clampCoord keeps a coordinate within the board's limit
 */
/** @typedef {import("../input.js").Hit} Hit */

export const name = "comment";
export const key = "c";

/** @param {CommentToolBoard} board */
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
