// Caseline's own progressive enhancement. Pages work without it.
import { initAll as initGovuk } from "../govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "../moj/moj-frontend.min.js";
import { saveAllDrafts, startDrafts } from "./drafts.js";

initGovuk();
initMoj();

// Idle session warning: before the server ends an idle session, warn, and offer to stay
// signed in. If time runs out anyway, what was typed into forms on the page is kept as a draft
// (drafts.js) and put back after signing in again, so nothing typed is lost.
const body = document.body;
const idleSeconds = Number(body.dataset.sessionIdleSeconds || 0);
const warningSeconds = Number(body.dataset.sessionWarningSeconds || 0);
const keepAliveUrl = body.dataset.sessionKeepAliveUrl;
const timedOutUrl = body.dataset.sessionTimedOutUrl;

function startIdleTimer() {
  const dialog = document.getElementById("session-timeout-dialog");
  if (!idleSeconds || !dialog || !keepAliveUrl) return;
  let warnTimer;
  let endTimer;
  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(() => dialog.showModal(), (idleSeconds - warningSeconds) * 1000);
    endTimer = setTimeout(() => {
      saveAllDrafts();
      // Signing out is a POST: the time-out page signs no one out when merely visited.
      const form = document.createElement("form");
      form.method = "post";
      form.action = `${timedOutUrl}?next=${encodeURIComponent(location.pathname + location.search)}`;
      const token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = document.querySelector("[name=csrfmiddlewaretoken]")?.value || body.dataset.csrfToken;
      form.append(token);
      document.body.append(form);
      form.submit();
    }, (idleSeconds - 5) * 1000);
  };
  document.getElementById("session-stay-signed-in").addEventListener("click", async () => {
    const token = document.querySelector("[name=csrfmiddlewaretoken]")?.value
      || body.dataset.csrfToken;
    const response = await fetch(keepAliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": token },
      credentials: "same-origin",
    });
    dialog.close();
    if (response.ok) schedule();
  });
  schedule();
}

startDrafts();
startIdleTimer();

// A return being produced: show the worker's progress as it reports it, and the result once it
// is ready. Without JavaScript, the page's "Check progress" link does the same by hand.
const runInProgress = document.querySelector("[data-run-in-progress]");
if (runInProgress) {
  const poll = async () => {
    const response = await fetch(location.href, { credentials: "same-origin" });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const still = page.querySelector("[data-run-in-progress]");
    if (!still) {
      location.reload();
      return;
    }
    const progress = runInProgress.querySelector("[data-run-progress]");
    const latest = still.querySelector("[data-run-progress]");
    if (progress && latest && progress.textContent !== latest.textContent) {
      progress.textContent = latest.textContent;
    }
    setTimeout(poll, 2000);
  };
  setTimeout(poll, 2000);
}
