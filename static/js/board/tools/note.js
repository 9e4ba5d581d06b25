// The note tool: tap or click where the note should go; it appears there, ready to type into,
// and the select tool comes back. From the keyboard, N adds a note in the middle of the view.

/** @typedef {import("../main.js").Board} Board */

export const name = "note";
export const key = "n";

/** @param {Board} board */
export function create(board) {
  return {
    name,
    /** @param {PointerEvent} e */
    down(e) {
      const [x, y] = board.viewport.eventToWorld(e);
      board.setTool("select");
      board.addNote(x, y);
    },
    move() {},
    up() {},
    cancel() {},
  };
}
