// The platform's WebSocket client: one socket per tab, many rooms.
// Speaks the protocol of docs/protocol.md: reconnects with exponential backoff
// and jitter, resubscribes with `since`, de-duplicates messages by id, asks for
// what it missed when it sees a gap in a room's sequence numbers, and sends
// again (with the same client id) whatever was not acknowledged.

const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 30000;
// A gap in the sequence is often a message still on its way: wait this long
// before asking the server for it.
const GAP_WAIT_MS = 700;

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
    this.pending = new Map(); // client id -> send frame
    this.epoch = null;
    this.attempt = 0;
    this.socket = null;
    this.heartbeat = null;
    this.lastFrameAt = 0;
    this.stopped = false;
  }

  emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }

  connect() {
    this.stopped = false;
    this.emit("status", "connecting");
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener("message", (event) => this.receive(event.data));
    socket.addEventListener("close", (event) => this.closed(socket, event));
  }

  close() {
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.socket?.close();
  }

  closed(socket, event) {
    if (socket !== this.socket) return;
    clearInterval(this.heartbeat);
    this.socket = null;
    this.emit("status", "offline");
    if (this.stopped) return;
    if (event.code === 4008) return; // too many connections: do not insist
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.attempt);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.attempt += 1;
    setTimeout(() => this.connect(), delay);
  }

  frame(data) {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(data));
    return true;
  }

  // Follow a room. `since`: the last sequence number the page shows.
  subscribe(room, since) {
    const state = this.rooms.get(room) || {
      seq: since ?? 0,
      ids: new Set(),
      ahead: new Set(),
    };
    if (since !== undefined && since !== null) state.seq = Math.max(state.seq, since);
    this.rooms.set(room, state);
    this.frame({ type: "subscribe", room, since: state.seq });
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
    this.emit("status", "live");
    this.startHeartbeat(data.heartbeat || 25);
    for (const [room, state] of this.rooms) {
      this.frame({ type: "subscribe", room, since: state.seq });
    }
    for (const frame of this.pending.values()) this.frame(frame);
  }

  startHeartbeat(seconds) {
    clearInterval(this.heartbeat);
    this.lastFrameAt = Date.now();
    this.heartbeat = setInterval(() => {
      if (Date.now() - this.lastFrameAt > seconds * 2000) {
        // No answer to our pings: the link is dead even if nobody said so.
        this.socket?.close();
        return;
      }
      this.frame({ type: "ping" });
    }, seconds * 1000);
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
      if (state.seq === known) this.frame({ type: "subscribe", room, since: known });
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
