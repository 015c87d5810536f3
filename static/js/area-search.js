// Suggestions for the municipality field: fills the field's <datalist> as the
// member types. Without JavaScript the field still takes a name or an AGS.
const DELAY_MS = 250;

for (const input of document.querySelectorAll("input[data-area-search]")) {
  const list = document.getElementById(input.getAttribute("list"));
  if (!list) continue;
  let timer = null;
  let controller = null;

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const query = input.value.trim();
    // A chosen suggestion ends in its key: nothing more to look up.
    if (query.length < 2 || /– \d{5,8}$/.test(query)) return;
    timer = setTimeout(async () => {
      controller?.abort();
      controller = new AbortController();
      const url = `${input.dataset.areaSearch}?q=${encodeURIComponent(query)}`;
      try {
        const response = await fetch(url, { signal: controller.signal });
        if (!response.ok) return;
        const { results } = await response.json();
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
    }, DELAY_MS);
  });
}
