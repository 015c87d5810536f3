// Forms without a server-side draft (editing a post, say) warn before the
// member leaves with changes they have not saved: <form data-warn-unsaved>.
// Sending the form is not leaving. The composers with drafts have their own
// (drafts.js): they keep the words instead.
for (const form of document.querySelectorAll("form[data-warn-unsaved]")) {
  const snapshot = () => JSON.stringify([...new FormData(form)].filter(([, value]) => typeof value === "string"));
  let saved = snapshot();
  form.addEventListener("submit", () => {
    saved = snapshot();
  });
  window.addEventListener("beforeunload", (event) => {
    if (snapshot() === saved) return;
    event.preventDefault();
    event.returnValue = "";
  });
}
