// The text tool: tap or click to start a line of free text there. A text box left empty is
// removed again when editing ends, and leaves nothing in the undo history.

/** @typedef {import("../main.js").Board} Board */

export const name = "text";
export const key = "t";

/** @param {Board} board */
export function create(board) {
  return {
    name,
    /** @param {PointerEvent} e */
    down(e) {
      const [x, y] = board.viewport.eventToWorld(e);
      board.setTool("select");
      const [id] = board.actions.create([
        { type: "text", x: board.clampCoord(x), y: board.clampCoord(y - 14), text: "", w: 240, size: 20 },
      ]);
      if (id) {
        board.selection.set([id]);
        board.edit(id, "text", { created: true, removeIfEmpty: true });
      }
    },
    move() {},
    up() {},
    cancel() {},
  };
}
