// The platform's WebSocket client: one socket per tab, many rooms and threads.
// Speaks the protocol of docs/protocol.md: reconnects with exponential backoff
// and jitter, resubscribes with `since` and watches its threads again,
// de-duplicates messages by id, asks for what it missed when it sees a gap in a
// room's sequence numbers, and sends again (with the same client id) whatever
// was not acknowledged. static/js/live.js owns the tab's one instance.

const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 30000;
// A gap in the sequence is often a message still on its way: wait this long
// before asking the server for it.
const GAP_WAIT_MS = 700;
// A ping unanswered this long means a dead link (a dropped Wi-Fi, a sleeping
// laptop, a proxy that lost the connection without closing it). Pings go out
// every half heartbeat, so a dead link shows within 12.5 + 10 s of the 25 s
// heartbeat: inside the protocol's two heartbeats, where the server ends the
// member's presence.
const PONG_WAIT_MS = 10000;
// Close codes after which reconnecting cannot help (docs/protocol.md).
const CLOSE_SESSION_ENDED = 4001;
const CLOSE_TOO_MANY_CONNECTIONS = 4008;

function newClientId() {
  if (window.crypto?.randomUUID) return window.crypto.randomUUID();
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class ChatSocket extends EventTarget {
  constructor(url = null) {
    super();
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    this.url = url || `${scheme}//${window.location.host}/ws/`;
    this.rooms = new Map(); // room id -> {seq, ids:Set, gapTimer}
    this.threads = new Set(); // forum threads watched
    this.pending = new Map(); // client id -> send frame
    this.epoch = null;
    this.user = null; // the member's id, from hello
    this.wasLive = false;
    this.attempt = 0;
    this.socket = null;
    this.heartbeat = null;
    this.retryTimer = null;
    this.lastFrameAt = 0;
    this.pongTimer = null;
    this.pongWait = PONG_WAIT_MS;
    this.watchingNetwork = false;
    this.stopped = false;
    this.ended = false;
    this.status = "offline"; // "connecting", "live" or "offline"
  }

  emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }

  setStatus(status) {
    this.status = status;
    this.emit("status", status);
  }

  // The browser knows first that the network is gone, and when it is back.
  watchNetwork() {
    if (this.watchingNetwork) return;
    this.watchingNetwork = true;
    window.addEventListener("offline", () => this.dead());
    window.addEventListener("online", () => {
      this.attempt = 0;
      if (!this.stopped) this.connect();
    });
    // A tab coming back (a laptop waking up): make sure the link still lives.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && this.status === "live") this.ping();
    });
  }

  // The link is dead: say so now and start over (the close event of a dead
  // socket may come much later, or never).
  dead() {
    const socket = this.socket;
    if (!socket) return;
    clearInterval(this.heartbeat);
    clearTimeout(this.pongTimer);
    this.socket = null;
    this.setStatus("offline");
    socket.close();
    if (this.stopped) return;
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    clearTimeout(this.retryTimer);
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.attempt);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      if (navigator.onLine === false) return; // "online" reconnects
      this.connect();
    }, delay);
  }

  connect() {
    clearTimeout(this.retryTimer);
    this.watchNetwork();
    if (this.socket || this.ended) return;
    this.stopped = false;
    // After a loss the page keeps saying so until the link is live again.
    if (!this.wasLive) this.setStatus("connecting");
    const socket = new WebSocket(this.url);
    this.socket = socket;
    // A connection that never says hello is as dead as a silent one.
    clearTimeout(this.pongTimer);
    this.pongTimer = setTimeout(() => this.dead(), PONG_WAIT_MS);
    socket.addEventListener("message", (event) => this.receive(event.data));
    socket.addEventListener("close", (event) => this.closed(socket, event));
  }

  // Close for good (until connect() is called again): no reconnecting.
  close() {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.pongTimer);
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.close();
    this.setStatus("offline");
  }

  closed(socket, event) {
    if (socket !== this.socket) return;
    clearInterval(this.heartbeat);
    clearTimeout(this.pongTimer);
    this.socket = null;
    this.setStatus("offline");
    if (this.stopped) return;
    if (this.ended || event.code === CLOSE_SESSION_ENDED) {
      // Signed out for good: a page load shows the login form.
      this.ended = true;
      this.emit("session-ended", event.code);
      return;
    }
    if (event.code === CLOSE_TOO_MANY_CONNECTIONS) return; // do not insist
    this.scheduleReconnect();
  }

  frame(data) {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(data));
    return true;
  }

  // Follow a room. `since`: the last sequence number the page shows;
  // `presence: false` follows it without showing the member online there.
  subscribe(room, since, { presence = true } = {}) {
    const state = this.rooms.get(room) || {
      seq: since ?? 0,
      ids: new Set(),
      ahead: new Set(),
      presence,
    };
    if (since !== undefined && since !== null) state.seq = Math.max(state.seq, since);
    this.rooms.set(room, state);
    this.resubscribe(room, state);
  }

  resubscribe(room, state, since = state.seq) {
    const frame = { type: "subscribe", room, since };
    if (state.presence === false) frame.presence = false;
    this.frame(frame);
  }

  // Watch a forum thread (new posts, edits, status); kept across reconnects.
  watch(thread) {
    this.threads.add(thread);
    this.frame({ type: "forum.watch", thread });
  }

  unwatch(thread) {
    if (this.threads.delete(thread)) this.frame({ type: "forum.unwatch", thread });
  }

  send(room, body, replyTo = null) {
    const frame = { type: "send", room, body, client_id: newClientId() };
    if (replyTo) frame.reply_to = replyTo;
    this.pending.set(frame.client_id, frame);
    this.frame(frame);
    return frame.client_id;
  }

  retry(clientId) {
    const frame = this.pending.get(clientId);
    if (frame) this.frame(frame);
  }

  receive(text) {
    this.lastFrameAt = Date.now();
    // Any frame proves the link alive, not only the pong.
    clearTimeout(this.pongTimer);
    this.pongTimer = null;
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      return;
    }
    switch (data.type) {
      case "hello":
        return this.hello(data);
      case "subscribed":
        return this.emit("subscribed", data);
      case "chat.message":
        return this.message(data);
      case "ack":
        this.pending.delete(data.client_id);
        return this.emit("ack", data);
      case "reload":
        return this.reload(data);
      case "error":
        return this.error(data);
      case "pong":
        return;
      case "unsubscribed":
      case "forum.unwatched":
        // Sent by the server when the member may no longer see it: do not
        // subscribe again after a reconnect.
        if (data.reason === "access_ended") {
          this.rooms.delete(data.room);
          this.threads.delete(data.thread);
        }
        return this.emit(data.type, data);
      case "session.ended":
        // The close with 4001 follows; do not reconnect whatever code it has.
        this.ended = true;
        return this.emit(data.type, data);
      default:
        return this.emit(data.type, data);
    }
  }

  hello(data) {
    this.attempt = 0;
    if (this.epoch !== null && data.epoch !== this.epoch) {
      // Another message store: our sequence numbers mean nothing there.
      for (const state of this.rooms.values()) {
        state.seq = 0;
        state.ahead.clear();
      }
      this.emit("resync", data);
    }
    this.epoch = data.epoch;
    this.user = data.user;
    this.wasLive = true;
    this.setStatus("live");
    this.startHeartbeat(data.heartbeat || 25);
    for (const [room, state] of this.rooms) this.resubscribe(room, state);
    for (const thread of this.threads) this.frame({ type: "forum.watch", thread });
    for (const frame of this.pending.values()) this.frame(frame);
    // After every (re)connect: pages that follow something else (the review
    // queue's moderation.watch) ask for it again here.
    this.emit("hello", data);
  }

  // Ping every half heartbeat (the server wants a frame at least every one);
  // an unanswered ping makes the link dead.
  startHeartbeat(seconds) {
    clearInterval(this.heartbeat);
    this.lastFrameAt = Date.now();
    this.pongWait = Math.min(PONG_WAIT_MS, (seconds * 1000) / 2);
    this.heartbeat = setInterval(() => this.ping(), (seconds * 1000) / 2);
  }

  ping() {
    if (!this.frame({ type: "ping" }) || this.pongTimer !== null) return;
    this.pongTimer = setTimeout(() => this.dead(), this.pongWait);
  }

  message(data) {
    const state = this.rooms.get(data.room);
    if (!state) return;
    const message = data.message;
    if (data.op !== "add") {
      this.emit("update", data);
      return;
    }
    if (message.client_id) this.pending.delete(message.client_id);
    if (state.ids.has(message.id)) return;
    state.ids.add(message.id);
    this.emit("message", data);
    if (message.seq > state.seq) state.ahead.add(message.seq);
    // Advance over every number we hold without a hole.
    while (state.ahead.delete(state.seq + 1)) state.seq += 1;
    if (state.ahead.size) this.gap(data.room, state);
  }

  gap(room, state) {
    clearTimeout(state.gapTimer);
    const known = state.seq;
    state.gapTimer = setTimeout(() => {
      // Still missing: ask the server for everything after what we have.
      if (state.seq === known) this.resubscribe(room, state, known);
    }, GAP_WAIT_MS);
  }

  reload(data) {
    const state = this.rooms.get(data.room);
    if (state) {
      state.seq = data.seq;
      state.ids.clear();
      state.ahead.clear();
    }
    this.emit("reload", data);
  }

  error(data) {
    if (data.client_id && data.code === "unavailable") {
      // Kept as pending: sent again with the same id after reconnecting.
      this.emit("send-error", data);
      return;
    }
    if (data.client_id) {
      this.pending.delete(data.client_id);
      this.emit("send-error", data);
      return;
    }
    this.emit("error", data);
  }

  // After a room's messages were (re)loaded over HTTP up to `seq`.
  loaded(room, seq, ids) {
    const state = this.rooms.get(room);
    if (!state) return;
    state.seq = Math.max(state.seq, seq);
    for (const id of ids) state.ids.add(id);
    for (const ahead of state.ahead) if (ahead <= state.seq) state.ahead.delete(ahead);
  }
}
