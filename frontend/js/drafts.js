// Drafts kept in the browser (ADR: drafts kept in the browser). What is typed into a long form
// (one with a text area: case notes, assessments, plans, visits, reviews) is kept in this
// tab's session storage as it is typed, keyed by the signed-in user, the page's address and
// the form. If the session ends or the server restarts before the form is saved, the next
// time the same user opens the page it is put back, with a banner saying so and a button to
// discard it. It is removed once the form is saved, when the user signs out, and with the tab.

const PREFIX = "caseline-draft:";
const SENT_KEY = "caseline-draft-sent";
const SKIPPED = new Set(["hidden", "password", "file", "submit", "button", "reset"]);

const owner = document.body.dataset.draftOwner || "";

function postForms() {
  return [...document.querySelectorAll("form[method='post' i]")].filter(
    (form) => !form.closest(".app-sign-out"),
  );
}

function isLong(form) {
  return form.querySelector("textarea") !== null;
}

function keyOf(index) {
  return `${PREFIX}${owner}:${location.pathname}${location.search}:${index}`;
}

function valuesOf(form) {
  const values = {};
  for (const element of form.elements) {
    if (!element.name || SKIPPED.has(element.type)) continue;
    if ((element.type === "checkbox" || element.type === "radio") && !element.checked) continue;
    (values[element.name] ||= []).push(element.value);
  }
  return values;
}

function fill(form, values) {
  for (const element of form.elements) {
    if (!element.name || SKIPPED.has(element.type)) continue;
    const list = values[element.name] || [];
    if (element.type === "checkbox" || element.type === "radio") {
      element.checked = list.includes(element.value);
    } else if (element.name in values) {
      element.value = list.shift() ?? "";
    }
  }
}

function read(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key) || "null");
  } catch {
    return null;
  }
}

function save(form, index) {
  if (!owner) return;
  sessionStorage.setItem(keyOf(index), JSON.stringify({ values: valuesOf(form), at: Date.now() }));
}

/** Keep what is typed into every form on the page (the idle time-out calls this). */
export function saveAllDrafts() {
  postForms().forEach((form, index) => save(form, index));
}

/** Remove every draft this tab holds (signing out). */
export function clearAllDrafts() {
  for (const key of Object.keys(sessionStorage)) {
    if (key.startsWith(PREFIX) || key === SENT_KEY) sessionStorage.removeItem(key);
  }
}

// A page the form did not save: a refusal shown beside the fields, the "problem with the
// service" page, a sign-in page (the session had ended), or another user's page.
function notSaved() {
  return (
    document.querySelector(".govuk-error-summary, [data-not-saved]") !== null || !owner
  );
}

// The form sent from the last page: once a page comes back that is not a refusal, it was
// saved, and its draft goes.
function settleSent() {
  const sent = read(SENT_KEY);
  sessionStorage.removeItem(SENT_KEY);
  if (sent && !notSaved() && sent.owner === owner) sessionStorage.removeItem(sent.key);
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function restore(forms) {
  // A form shown again with its errors already holds what was sent.
  if (!owner || document.querySelector(".govuk-error-summary")) return [];
  const restored = [];
  forms.forEach((form, index) => {
    const draft = read(keyOf(index));
    if (!draft || same(draft.values, valuesOf(form))) return;
    fill(form, draft.values);
    restored.push(index);
  });
  return restored;
}

function showBanner(forms, restored) {
  const banner = document.getElementById("draft-restored");
  if (!banner) return;
  banner.hidden = false;
  banner.focus();
  banner.querySelector("[data-draft-discard]")?.addEventListener("click", () => {
    for (const index of restored) {
      sessionStorage.removeItem(keyOf(index));
      forms[index].reset();
    }
    banner.hidden = true;
    forms[restored[0]]?.querySelector("input:not([type=hidden]), textarea, select")?.focus();
  });
}

export function startDrafts() {
  settleSent();
  const forms = postForms();
  const restored = restore(forms);
  if (restored.length) showBanner(forms, restored);
  forms.forEach((form, index) => {
    if (isLong(form)) {
      let timer;
      form.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(() => save(form, index), 300);
      });
      form.addEventListener("change", () => save(form, index));
    }
    form.addEventListener("submit", () => {
      if (!owner) return;
      if (isLong(form)) save(form, index);
      if (sessionStorage.getItem(keyOf(index)) !== null) {
        sessionStorage.setItem(SENT_KEY, JSON.stringify({ key: keyOf(index), owner }));
      }
    });
  });
  document.querySelector(".app-sign-out form")?.addEventListener("submit", clearAllDrafts);
}
