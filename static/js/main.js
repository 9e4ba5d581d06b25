// Entry point: reads the page's JSON config block, sets up its strings, mounts what the page needs.
import { useStrings } from "./i18n.js";
import { mountBoard } from "./board/main.js";
import { mountDashboard } from "./pages/dashboard.js";
import { mountFacilitate } from "./pages/facilitate.js";
import { mountGalleryPage } from "./pages/gallery.js";
import { mountHeard } from "./pages/heard.js";
import { mountPresenter } from "./pages/presenter.js";
import { mountWithdraw } from "./pages/withdraw.js";
import { mountPollPage } from "./poll/page.js";

const config = JSON.parse(document.getElementById("config").textContent);
useStrings(config.lang ?? "en", config.strings ?? {});

const pages = {
  board: mountBoard,
  dashboard: mountDashboard,
  facilitate: mountFacilitate,
  gallery: mountGalleryPage,
  presenter: mountPresenter,
  heard: mountHeard,
  withdraw: mountWithdraw,
  poll: mountPollPage,
};

const mount = pages[config.page];
Promise.resolve(mount ? mount(document, config) : undefined).finally(() => {
  document.documentElement.dataset.phase = "ready";
});
