// The eraser: drag over pen strokes to remove them (only strokes: a note is never rubbed out
// by accident). One sweep is one step of undo.

import { create as createOp } from "../../protocol.js";
import { strokeNear } from "../geometry.js";
import { creatable } from "../history.js";

/** @typedef {import("../main.js").Board} Board */

export const name = "eraser";
export const key = "e";

const RADIUS_PX = 10;

/** @param {Board} board */
export function create(board) {
  const { viewport, renderer, actions, history } = board;
  /** @type {Map<string, import("../../protocol.js").BoardObject>} */
  let erased = new Map();

  /** @param {PointerEvent} e */
  function rub(e) {
    const [wx, wy] = viewport.eventToWorld(e);
    const radius = RADIUS_PX / viewport.zoom;
    for (const obj of [...renderer.sorted]) {
      if (obj.type !== "stroke" || erased.has(obj.id)) continue;
      const current = renderer.replica.get(obj.id);
      if (current && strokeNear(current, wx, wy, radius)) {
        erased.set(obj.id, current);
        actions.remove([obj.id], { record: false });
      }
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
