// After django-otp-webauthn's script registers a security key, go to the page that names it.
// The page's address comes from the button's data-name-url, with 0 standing for the key's id.
document.addEventListener("otp_webauthn.register_complete", (event) => {
  const holder = document.querySelector("[data-name-url]");
  const id = event.detail && event.detail.id;
  if (holder && id) {
    window.location.assign(holder.dataset.nameUrl.replace("/0/", `/${encodeURIComponent(id)}/`));
  } else {
    window.location.reload();
  }
});
