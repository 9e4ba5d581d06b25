// What this person may do on the board now, said in words: the board locked or the workshop
// closed (participants can look but not change anything), and private mode (participants'
// new notes are seen only by them and the facilitator until it is revealed).

import { setText } from "../dom.js";
import { t } from "../i18n.js";

/**
 * What the read-only badges use of the board, and nothing else.
 * @typedef {object} AccessBoard
 * @property {string} role "participant" | "facilitator"
 * @property {import("./replica.js").Replica} replica its settings say whether the board is open
 * @property {import("./choices.js").Choices} choices the tool in hand, put down when the board closes
 * @property {(name: string) => void} setTool choose a tool
 * @property {import("./editor.js").Editor} editor an edit in progress is committed when the board closes
 * @property {() => void} refreshChrome redraw the toolbar after a change of access
 */

/** Whether this person may change the board under these settings. @param {Record<string, any>} settings @param {string} role */
export function mayEdit(settings, role) {
  if (settings.closed) return false;
  return !(settings.locked && role !== "facilitator");
}

/** @param {AccessBoard} board @param {HTMLElement} modeBadge @param {HTMLElement} privateBadge */
export function mountAccess(board, modeBadge, privateBadge) {
  const facilitator = board.role === "facilitator";
  let wasEditable = true;
  const show = () => {
    const settings = board.replica.settings;
    let mode = "";
    if (settings.closed) mode = t("board.mode.closed");
    else if (settings.locked) mode = facilitator ? t("board.mode.locked_facilitator") : t("board.mode.locked");
    setText(modeBadge, mode);
    modeBadge.hidden = !mode;
    const privately = Boolean(settings.private_mode);
    setText(privateBadge, privately ? (facilitator ? t("board.mode.private_facilitator") : t("board.mode.private")) : "");
    privateBadge.hidden = !privately;
    const editable = mayEdit(settings, board.role);
    document.documentElement.classList.toggle("read-only", !editable);
    if (!editable && wasEditable) {
      if (board.choices.tool !== "select") board.setTool("select");
      board.editor.commit(false);
    }
    wasEditable = editable;
    board.refreshChrome();
  };
  board.replica.addEventListener("settings", show);
  show();
}
