// Facilitation on the board page (issue 4), registered in ../board/features.js: everyone gets
// the timer, voting in the object menu, being taken to their board and the facilitator's
// messages (issue 17); participants a name of their own where allowed and "withdraw my
// contributions" (../board/withdraw.js); facilitators also get their panel (lock, private
// mode, cursors and names, voting, timer, views), moderation and the gallery.
import { mountWithdraw } from "../board/withdraw.js";
import { el } from "../dom.js";
import { mountControls } from "./controls.js";
import { mountGallery } from "./gallery.js";
import { mountGoto } from "./goto.js";
import { mountMessage } from "./message.js";
import { mountTimer } from "./timer.js";
import { mountVotes } from "./votes.js";
import { mountYourName } from "./yourname.js";

const STYLESHEET = "/static/css/facilitation.css";

/** @param {any} ctx the board's feature context */
export function mountFacilitation(ctx) {
  if (!document.querySelector(`link[href="${STYLESHEET}"]`)) {
    document.head.append(el("link", { rel: "stylesheet", href: STYLESHEET }));
  }
  mountGoto(ctx);
  mountMessage(ctx);
  mountTimer(ctx);
  mountVotes(ctx);
  mountYourName(ctx);
  mountWithdraw(ctx);
  if (ctx.config.role === "facilitator") {
    mountControls(ctx);
    mountGallery(ctx);
  }
}
