// The facilitator's dashboard (issues 4, 5 and 10): /new starts a workshop; a workshop's own
// dashboard runs it, one module per panel in ../dashboard/. The page is ready once every
// panel has shown what it first asked the server for.
import { mountCategoriesPanel } from "../dashboard/categories.js";
import { mountCreate } from "../dashboard/create.js";
import { mountDuplicatesPanel } from "../dashboard/duplicates.js";
import { mountEveryBoard } from "../dashboard/everyboard.js";
import { mountExitPollPanel } from "../dashboard/exitpoll.js";
import { mountHeardPanel } from "../dashboard/heard.js";
import { mountPresenterSection } from "../dashboard/presenter.js";
import { mountPurposePanel } from "../dashboard/purpose.js";
import { mountWithdrawnCount } from "../dashboard/record.js";
import { mountRunning } from "../dashboard/running.js";

/** @param {Document} doc @param {any} config */
export function mountDashboard(doc, config) {
  if (config.creating) {
    mountCreate(doc, config);
    return undefined;
  }
  // The purpose API's answers also carry the count of withdrawn items, for the Record panel.
  const loop = new EventTarget();
  mountWithdrawnCount(doc, config, loop);
  const boardsOpened = mountEveryBoard(doc, config);
  mountPresenterSection(doc, config);
  return Promise.all([
    mountRunning(doc, config, boardsOpened),
    mountPurposePanel(doc, config, loop),
    mountCategoriesPanel(doc, config),
    mountDuplicatesPanel(doc, config),
    mountExitPollPanel(doc, config),
    mountHeardPanel(doc, config),
  ]);
}
