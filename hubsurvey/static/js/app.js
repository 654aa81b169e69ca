// Progressive enhancement only: every page works without this file.
// GOV.UK Frontend's file name carries its version, so the page tells us where it is.
const govukUrl = document.querySelector("script[data-govuk-frontend]").dataset.govukFrontend;

document.body.classList.add("js-enabled", "govuk-frontend-supported");
import(govukUrl).then(({ initAll }) => initAll());

// Select the whole one-time link when it is focused, ready to copy.
for (const input of document.querySelectorAll(".app-copy")) {
  input.addEventListener("focus", () => input.select());
}

// After htmx swaps in a new step of a survey: start GOV.UK components in it, then move focus
// to its error summary or heading and scroll to the top, as a page load would.
document.body.addEventListener("htmx:afterSettle", (event) => {
  const target = event.detail.target;
  import(govukUrl).then(({ initAll }) => initAll({ scope: target }));
  const summary = target.querySelector(".govuk-error-summary");
  const heading = target.querySelector("h1");
  (summary || heading)?.focus();
  window.scrollTo(0, 0);
});

// A one-question screen (a quick rating) is sent as soon as an answer is tapped.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form && event.target.type === "radio") form.requestSubmit();
});
