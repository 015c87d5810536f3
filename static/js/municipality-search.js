// Suggestions for the municipality field ("Kommune"): fills the field's
// <datalist> from GET <data-municipality-search>?q=... as the member types.
// Progressive enhancement: without JavaScript the field still takes an exact
// name or an official key, and the server explains namesakes.
const DELAY_MS = 250;
const MIN_LENGTH = 2;
// A chosen suggestion ends in its key ("Musterau (...) – 09187117").
const CHOSEN = /– \d{5}(\d{3})?$/;

function enhance(input) {
  const list = document.getElementById(input.getAttribute("list"));
  if (!list) return;
  let timer = null;
  let controller = null;

  async function suggest(query) {
    controller?.abort();
    controller = new AbortController();
    const url = new URL(input.dataset.municipalitySearch, window.location.href);
    url.searchParams.set("q", query);
    try {
      const response = await fetch(url, {
        signal: controller.signal,
        headers: { Accept: "application/json" },
      });
      // Rate-limited or failing: keep the suggestions already shown.
      if (!response.ok) return;
      const results = await response.json();
      list.replaceChildren(
        ...results.map((result) => {
          const option = document.createElement("option");
          option.value = result.label;
          return option;
        }),
      );
    } catch (error) {
      if (error.name !== "AbortError") throw error;
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (query.length < MIN_LENGTH || CHOSEN.test(query)) return;
    timer = setTimeout(() => suggest(query), DELAY_MS);
  });
}

for (const input of document.querySelectorAll("input[data-municipality-search]")) {
  enhance(input);
}
