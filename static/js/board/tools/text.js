// The text tool: tap or click to start a line of free text there. A text box left empty is
// removed again when editing ends, and leaves nothing in the undo history.

/**
 * What the text tool uses of the board, and nothing else.
 * @typedef {object} TextToolBoard
 * @property {import("../viewport.js").Viewport} viewport turns the press into a place
 * @property {import("../actions.js").Actions} actions creates the text
 * @property {import("../selection.js").Selection} selection the new text is selected
 * @property {(name: string) => void} setTool back to select after one text
 * @property {(id: string, field?: string, options?: {created?: boolean, removeIfEmpty?: boolean}) => boolean} edit opens the new text for typing
 * @property {(v: number) => number} clampCoord keeps a coordinate within the board's limit
 */

export const name = "text";
export const key = "t";

/** @param {TextToolBoard} board */
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
