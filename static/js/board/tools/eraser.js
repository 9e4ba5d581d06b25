// The eraser: drag over pen strokes to remove them (only strokes: a note is never rubbed out
// by accident; a participant's own strokes only, see ../ownership.js). One sweep is one step
// of undo.

import { create as createOp } from "../../protocol.js";
import { bounds, strokeNear } from "../geometry.js";
import { creatable } from "../history.js";
import { mayRemove } from "../ownership.js";

/**
 * What the eraser uses of the board, and nothing else.
 * @typedef {object} EraserToolBoard
 * @property {string} role facilitators may erase anyone's strokes (ownership.js)
 * @property {import("../replica.js").Replica} replica which strokes are this person's
 * @property {import("../viewport.js").Viewport} viewport turns the pointer into a place
 * @property {import("../render.js").Renderer} renderer the strokes drawn near the pointer
 * @property {import("../actions.js").Actions} actions removes the strokes
 * @property {import("../history.js").History} history the strokes one drag erased are one step of undo
 */

export const name = "eraser";
export const key = "e";

const RADIUS_PX = 10;

/** @param {EraserToolBoard} board */
export function create(board) {
  const { viewport, renderer, actions, history } = board;
  /** @type {Map<string, import("../../protocol.js").BoardObject>} */
  let erased = new Map();

  /** @param {PointerEvent} e */
  function rub(e) {
    const [wx, wy] = viewport.eventToWorld(e);
    const radius = RADIUS_PX / viewport.zoom;
    const hits = [];
    for (const obj of renderer.replica.view.values()) {
      if (obj.type !== "stroke" || erased.has(obj.id) || !mayRemove(board, obj)) continue;
      const box = bounds(obj);
      if (!box || wx < box.x - radius || wx > box.x + box.w + radius || wy < box.y - radius || wy > box.y + box.h + radius) continue;
      if (strokeNear(obj, wx, wy, radius)) hits.push(obj);
    }
    for (const obj of hits) {
      erased.set(obj.id, obj);
      actions.remove([obj.id], { record: false });
    }
  }

  return {
    name,
    /** @param {PointerEvent} e */
    down(e) {
      erased = new Map();
      rub(e);
    },
    /** @param {PointerEvent} e */
    move(e) {
      rub(e);
    },
    up() {
      if (erased.size) {
        const ids = [...erased.keys()];
        history.push({
          undo: [...erased.values()].map((obj) => createOp(creatable(obj))),
          redo: ids.map((id) => ({ kind: "delete", id })),
          ids,
        });
      }
      erased = new Map();
    },
    cancel() {
      this.up();
    },
  };
}
