/* OCRN chat widget: talks to Rasa's socketio channel. All message text is
   rendered as text (textContent / text nodes), never as HTML. */
(function () {
  "use strict";

  const config = window.OCRN_CHAT_CONFIG || {};
  const RASA_URL = config.rasaUrl || "http://localhost:5005";
  const REPLY_TIMEOUT_MS = 10000;
  const MAX_SAVED = 200; // messages kept in sessionStorage
  const KEYS = { session: "ocrn-chat-session", log: "ocrn-chat-log", open: "ocrn-chat-open" };
  const TEXT = {
    typing: "OCRN-assistent typt…",
    offline: "Het lukt nu niet om verbinding te maken. Probeer het later opnieuw. Is er direct gevaar? Bel 112.",
    you: "Jij",
    bot: "OCRN-assistent",
    choices: "Kies een antwoord",
    newTab: " (opent in een nieuw tabblad)",
  };

  const root = document.getElementById("ocrn-chat");
  const launcher = root.querySelector(".ocrn-launcher");
  const panel = root.querySelector(".ocrn-panel");
  const closeButton = root.querySelector(".ocrn-close");
  const log = root.querySelector(".ocrn-log");
  const status = root.querySelector(".ocrn-status");
  const form = root.querySelector(".ocrn-form");
  const input = root.querySelector(".ocrn-input");

  // sessionStorage (not localStorage): the chat is forgotten when the tab closes.
  function load(key) {
    try { return sessionStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { sessionStorage.setItem(key, value); } catch (e) { /* blocked or full: chat still works */ }
  }

  function loadTranscript() {
    try {
      const saved = JSON.parse(load(KEYS.log) || "[]");
      return Array.isArray(saved) ? saved.filter(isEntry) : [];
    } catch (e) {
      return [];
    }
  }
  function isEntry(entry) {
    return entry && (entry.from === "user" || entry.from === "bot") && typeof entry.text === "string";
  }

  let sessionId = load(KEYS.session);
  if (!/^[\w-]{1,64}$/.test(sessionId || "")) sessionId = null;
  const transcript = loadTranscript();
  let socket = null;
  let confirmed = false; // Rasa confirmed the session: our socket is in its room
  let queue = []; // messages waiting for a confirmed session
  let replyTimer = null;
  let offlineShown = false;
  let answerStart = null; // first element of the bot's latest answer

  // --- scrolling -------------------------------------------------------------

  // A new answer opens at its first line, never at its end: an emergency answer
  // must not arrive with "bel 112" above the visible area. The parent scrolls on.
  function showAnswerStart() {
    const bottom = log.scrollHeight - log.clientHeight;
    if (!answerStart) { log.scrollTop = bottom; return; }
    const padding = parseFloat(getComputedStyle(log).paddingTop) || 0;
    const top = answerStart.getBoundingClientRect().top - log.getBoundingClientRect().top + log.scrollTop;
    log.scrollTop = Math.min(bottom, top - padding);
  }

  // --- rendering -----------------------------------------------------------

  // Text with http(s) links turned into <a> elements; everything else stays text.
  function appendText(parent, text) {
    const urlPattern = /https?:\/\/[^\s<>"']+/g;
    let last = 0;
    let match;
    while ((match = urlPattern.exec(text))) {
      const url = match[0].replace(/[.,;:!?)\]]+$/, ""); // keep end-of-sentence marks out
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      const link = document.createElement("a");
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.textContent = url;
      const hint = document.createElement("span");
      hint.className = "ocrn-visually-hidden";
      hint.textContent = TEXT.newTab;
      link.appendChild(hint);
      parent.appendChild(link);
      last = match.index + url.length;
      urlPattern.lastIndex = last;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function renderEntry(entry, buttonsDisabled) {
    const item = document.createElement("div");
    item.className = "ocrn-msg ocrn-msg-" + entry.from;
    const who = document.createElement("span");
    who.className = "ocrn-visually-hidden";
    who.textContent = (entry.from === "user" ? TEXT.you : TEXT.bot) + ": ";
    const body = document.createElement("p");
    body.className = "ocrn-text";
    body.appendChild(who);
    if (entry.from === "bot") appendText(body, entry.text);
    else body.appendChild(document.createTextNode(entry.text));
    item.appendChild(body);

    if (entry.buttons && entry.buttons.length) {
      const group = document.createElement("div");
      group.className = "ocrn-choices";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", TEXT.choices);
      entry.buttons.forEach(function (choice) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "ocrn-choice";
        button.textContent = choice.title;
        button.disabled = buttonsDisabled;
        button.addEventListener("click", function () {
          send(choice.payload, choice.title);
          input.focus();
        });
        group.appendChild(button);
      });
      item.appendChild(group);
    }
    log.appendChild(item);
    if (entry.from === "user") answerStart = null;
    else if (!answerStart) answerStart = item;
    showAnswerStart();
  }

  function renderAll() {
    let lastUser = -1;
    transcript.forEach(function (entry, i) { if (entry.from === "user") lastUser = i; });
    transcript.forEach(function (entry, i) { renderEntry(entry, i < lastUser); });
  }

  function addMessage(entry) {
    if (entry.from === "user") {
      // Answering makes the choices of older messages void.
      log.querySelectorAll(".ocrn-choice").forEach(function (b) { b.disabled = true; });
    }
    transcript.push(entry);
    save(KEYS.log, JSON.stringify(transcript.slice(-MAX_SAVED)));
    renderEntry(entry, false);
  }

  // Notices (not saved): shown once per failure until a reply or new message.
  function showOffline() {
    setBusy(false);
    if (offlineShown) return;
    offlineShown = true;
    const item = document.createElement("div");
    item.className = "ocrn-msg ocrn-msg-notice";
    const body = document.createElement("p");
    body.className = "ocrn-text";
    body.textContent = TEXT.offline;
    item.appendChild(body);
    log.appendChild(item);
    if (!answerStart) answerStart = item;
    showAnswerStart();
  }

  function setBusy(busy) {
    status.textContent = busy ? TEXT.typing : "";
    clearTimeout(replyTimer);
    if (busy) replyTimer = setTimeout(showOffline, REPLY_TIMEOUT_MS);
  }

  // --- talking to Rasa -----------------------------------------------------

  function connect() {
    if (socket) return;
    if (typeof window.io !== "function") { showOffline(); return; }
    // Websocket only: one connection stays on one Rasa instance, so a load balancer can
    // use plain round robin (no sticky sessions for HTTP long-polling).
    socket = window.io(RASA_URL, { transports: ["websocket"] });
    socket.on("connect", function () {
      socket.emit("session_request", { session_id: sessionId });
    });
    socket.on("session_confirm", function (id) {
      const confirmedId = id && typeof id === "object" ? id.session_id : id;
      if (!confirmedId) return;
      sessionId = String(confirmedId);
      save(KEYS.session, sessionId);
      confirmed = true;
      if (transcript.length === 0 && queue.length === 0) send("/greet", null); // the welcome
      flush();
    });
    socket.on("bot_uttered", receive);
    socket.on("connect_error", function () { confirmed = false; showOffline(); });
    socket.on("disconnect", function () { confirmed = false; });
  }

  function flush() {
    while (confirmed && socket.connected && queue.length) {
      socket.emit("user_uttered", { message: queue.shift(), session_id: sessionId });
    }
  }

  // shown: the text for the transcript (a button's title), or null for none.
  function send(message, shown) {
    if (shown !== null) addMessage({ from: "user", text: shown });
    offlineShown = false;
    setBusy(true);
    queue.push(message);
    connect();
    flush();
  }

  // Rasa sends buttons as quick_replies (content_type, title, payload) or as buttons.
  function receive(data) {
    if (!data || typeof data !== "object") return;
    const text = typeof data.text === "string" ? data.text : "";
    const raw = Array.isArray(data.quick_replies) ? data.quick_replies
      : Array.isArray(data.buttons) ? data.buttons : [];
    const buttons = raw
      .filter(function (b) {
        return b && typeof b.title === "string" && typeof b.payload === "string" &&
          (!b.content_type || b.content_type === "text");
      })
      .map(function (b) { return { title: b.title, payload: b.payload }; });
    if (!text && !buttons.length) return; // images and custom payloads: not used by this bot
    setBusy(false);
    offlineShown = false;
    addMessage({ from: "bot", text: text, buttons: buttons });
  }

  // --- opening and closing -------------------------------------------------

  function open(moveFocus) {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    save(KEYS.open, "1");
    showAnswerStart();
    connect();
    if (moveFocus) input.focus();
  }

  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    save(KEYS.open, "0");
    launcher.focus();
  }

  launcher.addEventListener("click", function () { open(true); });
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text, text);
  });

  renderAll();
  if (load(KEYS.open) === "1") open(false);
})();
