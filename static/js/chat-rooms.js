// The rooms list, live: each joined room's unread count grows as messages
// arrive and drops when the member reads it in another tab; the room with the
// newest message moves to the top. The tab follows the rooms without being
// shown online in them (`presence: false`, docs/protocol.md). A new room
// (a direct conversation someone started) reloads the list.
import { socket } from "./live.js";

const list = document.getElementById("room-list");
const strings = JSON.parse(document.getElementById("room-list-strings").textContent);
const plural = new Intl.PluralRules(document.documentElement.lang || "de");
const rooms = new Map(); // room id -> {row, seq, read}

function show(room) {
  const badge = room.row.querySelector(".badge-unread");
  const unread = Math.max(0, room.seq - room.read);
  badge.hidden = unread === 0;
  badge.textContent = unread ? strings[plural.select(unread)].replace("{count}", unread) : "";
}

async function reloadList() {
  const response = await fetch(window.location.href, { headers: { Accept: "text/html" } });
  if (!response.ok) return;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.getElementById("room-list");
  if (!fresh) return;
  list.replaceChildren(...fresh.children);
  follow();
}

function follow() {
  for (const row of list.querySelectorAll(".room-row[data-seq]")) {
    const id = Number(row.dataset.room);
    const seq = Number(row.dataset.seq);
    const known = rooms.get(id);
    rooms.set(id, { row, seq: Math.max(seq, known?.seq ?? 0), read: Number(row.dataset.read) });
    if (!known) socket.subscribe(id, seq, { presence: false });
  }
}

if (socket) {
  follow();
  socket.addEventListener("message", ({ detail }) => {
    const room = rooms.get(detail.room);
    if (!room) return;
    const message = detail.message;
    room.seq = Math.max(room.seq, message.seq);
    // One's own messages (another tab) are read already.
    if (message.author?.id === socket.user) room.read = Math.max(room.read, message.seq);
    show(room);
    if (list.firstElementChild !== room.row) list.prepend(room.row);
  });
  socket.addEventListener("chat.read", ({ detail }) => {
    const room = rooms.get(detail.room);
    if (!room) return;
    room.read = Math.max(room.read, detail.seq);
    show(room);
  });
  socket.addEventListener("chat.membership", () => reloadList().catch(() => {}));
}
