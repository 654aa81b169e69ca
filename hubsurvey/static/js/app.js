// Progressive enhancement only: every page works without this file.
// GOV.UK Frontend's file name carries its version, so the page tells us where it is.
const govukUrl = document.querySelector("script[data-govuk-frontend]").dataset.govukFrontend;

document.body.classList.add("js-enabled", "govuk-frontend-supported");
import(govukUrl).then(({ initAll }) => initAll());

// Select the whole one-time link when it is focused, ready to copy.
for (const input of document.querySelectorAll(".app-copy")) {
  input.addEventListener("focus", () => input.select());
}
