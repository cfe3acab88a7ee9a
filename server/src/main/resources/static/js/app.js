// Loaded on every page (CSP: script-src 'self', so no inline script anywhere).
// htmx requests carry the session's CSRF token from <meta name="csrf-token"> in the header pac4j
// reads; the meta tag is in <head>, so it stays current under hx-boost too.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) {
    event.detail.headers["pac4jCsrfToken"] = meta.content;
  }
});

// htmx swaps nothing on error statuses by default: an expired session (401) goes to the sign-in
// page, a refusal (403) asks for a reload instead of failing silently.
document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  if (status === 401) {
    window.location.assign("/login");
  } else if (status === 403) {
    var notice = document.getElementById("htmx-notice");
    if (notice) {
      notice.textContent = "This action was refused. Reload the page and try again.";
      notice.hidden = false;
    }
  }
});
