// What the person has chosen to draw with: the tool, and the note colour, shape kind and ink
// the tools use. The board page makes one; the toolbar and the selection's colour menu change
// it, the tools and the note-making parts read it. It lasts for the page, never sent.

/**
 * @typedef {object} Choices
 * @property {string} tool the tool in hand: a key of the board's tools ("select", "note"...)
 * @property {string} noteColor the colour new notes get (one of NOTE_COLOURS)
 * @property {string} shapeKind the kind of shape the shape tool draws (one of SHAPE_KINDS)
 * @property {{color: string, width: number}} pen the ink of pen strokes and shapes' outlines
 */

/** @returns {Choices} */
export function newChoices() {
  return { tool: "select", noteColor: "yellow", shapeKind: "rect", pen: { color: "#1f2937", width: 4 } };
}
