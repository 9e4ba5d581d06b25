// A refusal from the server, in the reader's language. The API and the websocket answer with
// `{code, field, message}` (docs/protocol.md). The message is the server's own explanation, in
// English, naming the field and the rule ("withdraw_until: must be on or before keep_until"):
// English readers get it as it is. Everyone else gets the words for its code, `error.<code>`
// in board/i18n/catalogue/error.json, which has every code in every language (tests/test_i18n.py);
// a code the page does not know (a newer server) reads as the general "Something went wrong".

import { language, t } from "./i18n.js";

/** @param {{code?: string, field?: string, message?: string} | null | undefined} error @returns {string} */
export function errorText(error) {
  if (language() === "en" && error?.message) return error.field ? `${error.field}: ${error.message}` : error.message;
  const key = `error.${error?.code ?? ""}`;
  const words = t(key);
  return words === key ? t("common.error.unknown") : words;
}
