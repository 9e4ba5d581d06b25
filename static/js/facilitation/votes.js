// Dot voting and moderation in the menu of a selected object. Participants (and facilitators)
// get "Vote" on a note while voting is open, saying how many votes they have left, and "Take
// my vote back" on a note they voted for; facilitators also get "Hide from participants" /
// "Show to participants". Budgets and who may do what are checked by the server: these only
// offer what makes sense.
import { t, tn } from "../i18n.js";
import { newId } from "../protocol.js";

const VOTABLE = new Set(["note", "shape", "text", "frame", "definition"]);

/** @param {any} ctx the board's feature context */
export function mountVotes(ctx) {
  /** Ids of objects this person made: from every welcome, and the votes cast here. */
  const mine = new Set();
  ctx.events.addEventListener("welcome", (/** @type {CustomEvent} */ event) => {
    for (const id of event.detail?.mine ?? []) mine.add(id);
  });

  /** This person's votes on the board now. */
  function myVotes() {
    return [...ctx.objects().values()].filter((obj) => obj.type === "vote" && mine.has(obj.id));
  }

  ctx.objectMenu((/** @type {any} */ obj, /** @type {any} */ menu) => {
    const settings = ctx.settings();
    const single = menu.objects.length === 1;
    if (single && settings.voting && VOTABLE.has(obj.type)) {
      const votes = myVotes();
      const left = Math.max(0, settings.vote_budget - votes.length);
      const onThis = votes.filter((vote) => vote.target === obj.id);
      const vote = menu.add(tn("dashboard.fac.vote", left), () => {
        const id = newId();
        mine.add(id);
        ctx.send({ kind: "create", obj: { type: "vote", id, target: obj.id } });
      }, { name: "vote" });
      vote.disabled = left === 0;
      if (onThis.length) {
        menu.add(t("dashboard.fac.unvote"), () => ctx.send({ kind: "delete", id: onThis[onThis.length - 1].id }), { name: "unvote" });
      }
    }
    if (ctx.config.role === "facilitator" && obj.type !== "vote" && obj.type !== "comment") {
      const hidden = menu.objects.every((/** @type {any} */ item) => item.hidden);
      menu.add(hidden ? t("dashboard.fac.show") : t("dashboard.fac.hide"), () => {
        const ops = menu.objects.map((/** @type {any} */ item) => ({ kind: "update", id: item.id, props: { hidden: !hidden } }));
        ctx.send(ops.length === 1 ? ops[0] : { kind: "batch", ops });
      }, { name: "hide", pressed: hidden });
    }
  });
}
