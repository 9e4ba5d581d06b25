// Who may remove what (board/core/ops.py; `not_yours` in docs/protocol.md): a participant
// removes only what they added; a facilitator removes anything (moderation). Anyone who may
// edit still moves and edits others' notes: groups sort notes together. The server decides;
// this only keeps the page from offering what it would refuse (the menu's Delete, the eraser).

/**
 * @param {{role: string, replica: {mine: Set<string>}}} board
 * @param {{id: string}} obj
 */
export function mayRemove(board, obj) {
  return board.role === "facilitator" || board.replica.mine.has(obj.id);
}
