// Werkstadt's only script beyond htmx: kept in a file because the CSP forbids inline code.
"use strict";

// A failed htmx request (403, 404, 500, network; 422 and 409 are swapped) says so instead of doing nothing.
function showRequestError(detail) {
  const region = document.getElementById("request-error");
  if (!region) return;
  const status = detail.xhr && detail.xhr.status ? " (" + detail.xhr.status + ")" : "";
  region.textContent = region.dataset.message + status;
  region.hidden = false;
}
document.addEventListener("htmx:responseError", (event) => showRequestError(event.detail));
document.addEventListener("htmx:sendError", (event) => showRequestError(event.detail));

// After a form came back with errors (422), move the focus to the first field that needs attention.
document.addEventListener("htmx:afterSettle", (event) => {
  const region = document.getElementById("request-error");
  if (region && event.detail.xhr.status < 400) region.hidden = true;
  if (event.detail.xhr.status !== 422) return;
  const invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();
});
