// The note tool: tap or click where the note should go; it appears there, ready to type into,
// and the select tool comes back. From the keyboard, N adds a note in the middle of the view.

/**
 * What the note tool uses of the board, and nothing else.
 * @typedef {object} NoteToolBoard
 * @property {import("../viewport.js").Viewport} viewport turns the press into a place
 * @property {(name: string) => void} setTool back to select after one note
 * @property {(x: number, y: number) => string | null} addNote add a note centred there, ready to type into
 */

export const name = "note";
export const key = "n";

/** @param {NoteToolBoard} board */
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
