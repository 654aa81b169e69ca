// Progressive enhancement only: every page works without this file.
// GOV.UK Frontend's file name carries its version, so the page tells us where it is.
const govukUrl = document.querySelector("script[data-govuk-frontend]").dataset.govukFrontend;

document.body.classList.add("js-enabled", "govuk-frontend-supported");
import(govukUrl).then(({ initAll }) => initAll());

// Select the whole one-time link when it is focused, ready to copy.
for (const input of document.querySelectorAll(".app-copy")) {
  input.addEventListener("focus", () => input.select());
}

// A copy button (hidden until this script shows it) copies the field it names, and says so.
const copyButtons = [...document.querySelectorAll("button[data-copy]")];
for (const button of copyButtons) {
  button.dataset.label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copy);
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      // No clipboard API (a page served over plain http): copy the selection instead.
      field.select();
      document.execCommand("copy");
    }
    for (const other of copyButtons) other.textContent = other.dataset.label;
    button.textContent = "Copied";
    const status = document.getElementById("copy-status");
    if (status) status.textContent = `${button.dataset.label.replace(/^Copy/, "Copied")}.`;
  });
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

// When the server cannot store answers just now (503), or the connection drops, htmx leaves the
// form as it is: say so above it, so the teacher knows nothing is lost and sends it again.
function keepAnswersNote(event, text) {
  const form = event.detail.elt.closest("form");
  if (!form) return;
  let note = form.querySelector(".app-unsaved");
  if (!note) {
    note = document.createElement("div");
    note.className = "govuk-error-summary app-unsaved";
    note.setAttribute("role", "alert");
    note.tabIndex = -1;
    form.prepend(note);
  }
  note.textContent = text;
  note.focus();
}
document.body.addEventListener("htmx:responseError", (event) => {
  if (event.detail.xhr.status === 503) {
    keepAnswersNote(event, "Your answers could not be saved just now. Nothing is lost: they are still here. Wait a minute, then send them again.");
  }
});
document.body.addEventListener("htmx:sendError", (event) => {
  keepAnswersNote(event, "The connection dropped, so your answers were not sent. They are still here: send them again when you have signal.");
});
