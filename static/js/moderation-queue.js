// The review queue, live: moderators' sockets watch the queue
// (`moderation.watch`, docs/protocol.md); on every queue event the list is
// fetched again from the page (`?fragment=1`), so the socket never carries
// content. New items are announced through live.js's one live region.
// Progressive enhancement only: without JavaScript the page works after a reload.
import { announce, socket } from "./live.js";

const list = document.getElementById("moderation-queue");

if (socket && list) {
  const url = list.dataset.fragmentUrl;
  let fetching = null;
  let again = false;

  const watch = () => socket.frame({ type: "moderation.watch", ref: "queue" });

  async function refresh() {
    if (fetching) {
      again = true;
      return fetching;
    }
    fetching = (async () => {
      try {
        const response = await fetch(url, {
          credentials: "same-origin",
          headers: { Accept: "text/html" },
        });
        if (!response.ok) return;
        const html = await response.text();
        // Keep the keyboard focus where it was when the list is replaced.
        const focused = document.activeElement;
        const focusedHref = list.contains(focused) ? focused.getAttribute("href") : null;
        const fresh = new DOMParser().parseFromString(html, "text/html");
        list.replaceChildren(...fresh.body.childNodes);
        if (focusedHref) {
          list.querySelector(`a[href="${CSS.escape(focusedHref)}"]`)?.focus();
        }
      } catch {
        // Offline: the next event or a reload brings the list.
      } finally {
        fetching = null;
        if (again) {
          again = false;
          refresh();
        }
      }
    })();
    return fetching;
  }

  let connectedBefore = socket.status === "live";
  socket.addEventListener("status", ({ detail }) => {
    // After every (re)connect: the server forgets what a socket watched, and
    // what happened while the socket was away is only on the page.
    if (detail !== "live") return;
    watch();
    if (connectedBefore) refresh();
    connectedBefore = true;
  });
  socket.addEventListener("moderation.queue", ({ detail }) => {
    refresh().then(() => {
      if (detail.op === "opened") announce(list.dataset.announce, { key: `queue-${detail.item}` });
    });
  });
  if (socket.status === "live") watch();
  window.addEventListener("pagehide", () => socket.frame({ type: "moderation.unwatch" }));
}
