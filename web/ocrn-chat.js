/* OCRN chat widget. One script tag is all a page needs:
     <script src="https://chat.example.nl/ocrn-chat.js" data-rasa-url="https://bot.example.nl" defer></script>
   It loads widget.css and the socket.io client from its own folder, builds the launcher
   and the chat panel, and talks to Rasa's socketio channel (channels/socketio.py).
   Message text is always rendered as text (text nodes, textContent), never as HTML.
   Why it works the way it does: docs/widget.md. */
(function () {
  "use strict";
  if (document.getElementById("ocrn-chat")) return; // the tag twice: still one widget

  const script = document.currentScript;
  const BASE = new URL(".", script ? script.src : location.href).href;
  const DATA = (script && script.dataset) || {};
  const RASA_URL = (DATA.rasaUrl || new URL(BASE).origin).replace(/\/+$/, "");
  const EXIT_URL = DATA.exitUrl || "https://www.google.nl/";
  const REPLY_TIMEOUT_MS = 10000; // no answer by then: say so
  const OFFLINE_AFTER_MS = 20000; // reconnecting this long: the full offline notice
  const MAX_SAVED = 200; // messages kept in sessionStorage
  const PREFIX = "ocrn-chat-";
  const KEYS = { session: PREFIX + "session", log: PREFIX + "log", open: PREFIX + "open",
    outbox: PREFIX + "outbox", greeted: PREFIX + "greeted" };
  const EMERGENCY = "utter_emergency";
  const REGISTRATION = "utter_registration";
  const TEXT = {
    title: "OCRN-chatassistent",
    open: "Chat openen",
    close: "Chat sluiten",
    intro: "Je praat met een computerprogramma, niet met een mens. Deel geen namen of andere persoonlijke gegevens.",
    exit: "Snel weg",
    exitHint: "Sluit de chat, wist hem uit dit tabblad en opent een andere website. Sneltoets: druk 3 keer snel op Esc.",
    erase: "Gesprek wissen",
    confirm: "Wil je dit gesprek wissen? Het verdwijnt dan hier en bij OCRN. Dat kun je niet terugdraaien.",
    confirmYes: "Ja, wissen",
    confirmNo: "Nee, terug",
    erased: "Het gesprek is gewist. Je kunt opnieuw beginnen.",
    eraseFailed: "Wissen lukt nu niet, omdat er geen verbinding is. Probeer het zo nog eens.",
    eraseLimited: "Je hebt net al gewist. Probeer het over een minuut nog eens.",
    typing: "OCRN-assistent typt…",
    waiting: "Je bericht gaat weg zodra er weer verbinding is.",
    lost: "Verbinding kwijt, ik probeer het opnieuw… Is er direct gevaar? Bel 112.",
    back: "De verbinding is terug.",
    offline: "Het lukt nu niet om verbinding te maken. Probeer het later opnieuw. Is er direct gevaar? Bel 112.",
    tooMany: "Er komen nu te veel berichten binnen. Wacht even en probeer het dan opnieuw. Is er direct gevaar? Bel 112.",
    you: "Jij",
    bot: "OCRN-assistent",
    emergency: "Hulp bij gevaar",
    helpIntro: "Bel gerust, ook als je twijfelt.",
    helpOpened: "Hulp bij gevaar is open. Hier staan alle hulpnummers.",
    helpClose: "Terug naar de chat",
    choices: "Kies een antwoord",
    message: "Typ je vraag",
    send: "Verstuur",
    register: "Naar aanmelden",
    newTab: " (opent in een nieuw tabblad)",
  };
  // Links in bot text: web addresses, and Dutch phone numbers (112, 113, 0800-…, 0900-…,
  // ten-digit numbers) as tel: links. The order matters: 0800-0113 before 113.
  const LINK = /(https?:\/\/[^\s<>"']+)|\b(112|113|0[89]00-?\d{4}|06-?\d{8}|0\d{2}-?\d{7}|0\d{3}-?\d{6})\b/g;
  // The help lines behind "Hulp bij gevaar" in the header. They live here, in the script, and
  // are never asked from the server: they must show when the socket is down or Rasa is gone.
  // `name` (optional) is shown in bold before the text; a number in {braces} becomes a tel: link.
  const HELP_LINES = [
    { name: "Direct gevaar?", text: "Bel {112}." },
    { name: "Veilig Thuis:", text: "bij geweld, mishandeling of zorgen over de veiligheid van een kind. " +
      "Bel {0800-2000}, gratis, dag en nacht." },
    { name: "113 Zelfmoordpreventie:", text: "als jij of je kind aan zelfdoding denkt. " +
      "Bel {113} of {0800-0113}, gratis, dag en nacht." },
    { name: "Kindertelefoon:", text: "voor kinderen en jongeren. Bel {0800-0432}, gratis." },
    { name: "Huisarts:", text: "bel je huisarts, of 's avonds en in het weekend de huisartsenpost." },
    { text: "Woon je in België? Bel {112}, {1712} (geweld en misbruik), Zelfmoordlijn {1813}, " +
      "of Awel {102} (voor kinderen en jongeren)." },
  ];
  const TIME = new Intl.DateTimeFormat("nl-NL", { hour: "2-digit", minute: "2-digit" });

  // --- storage: sessionStorage only, so the chat is gone when the tab closes ------------
  function load(key) {
    try { return sessionStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { sessionStorage.setItem(key, value); } catch (e) { /* blocked or full: chat still works */ }
  }
  function loadList(key) {
    try {
      const list = JSON.parse(load(key) || "[]");
      return Array.isArray(list) ? list : [];
    } catch (e) { return []; }
  }
  function forgetAll() {
    try {
      Object.keys(sessionStorage).filter(function (k) { return k.startsWith(PREFIX); })
        .forEach(function (k) { sessionStorage.removeItem(k); });
    } catch (e) { /* nothing stored */ }
  }
  function validId(id) { return typeof id === "string" && /^[\w-]{8,64}$/.test(id) ? id : null; }
  function newId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function isEntry(e) {
    return e && (e.from === "user" || e.from === "bot") && typeof e.text === "string";
  }

  let sessionId = validId(load(KEYS.session));
  const transcript = loadList(KEYS.log).filter(isEntry);
  let outbox = loadList(KEYS.outbox).filter(function (m) { return m && validId(m.id); });
  let socket = null;
  let confirmed = false; // Rasa confirmed the session: this socket is in its room
  let generation = 0; // one per confirmed connection: what was sent on it
  let everConnected = false;
  let replyTimer = null;
  let offlineTimer = null;
  let offlineShown = false;
  let answerStart = null; // first element of the bot's latest answer

  // --- building the widget -----------------------------------------------------
  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "text") node.textContent = props[key];
      else if (key === "className") node.className = props[key];
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function chatIcon() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    [["class", "ocrn-icon"], ["aria-hidden", "true"], ["focusable", "false"], ["viewBox", "0 0 24 24"]]
      .forEach(function (a) { svg.setAttribute(a[0], a[1]); });
    const path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
    svg.appendChild(path);
    return svg;
  }

  const launcher = el("button", { type: "button", className: "ocrn-launcher", "aria-label": TEXT.open,
    "aria-haspopup": "dialog", "aria-controls": "ocrn-chat-panel", "aria-expanded": "false" },
  [chatIcon(), document.createTextNode("Chat")]);
  const exitButton = el("button", { type: "button", className: "ocrn-exit", text: TEXT.exit,
    "aria-describedby": "ocrn-exit-hint" });
  const closeButton = el("button", { type: "button", className: "ocrn-close", "aria-label": TEXT.close },
    [el("span", { "aria-hidden": "true", text: "×" })]);
  const helpButton = el("button", { type: "button", className: "ocrn-help-toggle", text: TEXT.emergency,
    "aria-expanded": "false", "aria-controls": "ocrn-help" });
  const helpTitle = el("h3", { id: "ocrn-help-title", tabindex: "-1", text: TEXT.emergency });
  const helpClose = el("button", { type: "button", className: "ocrn-help-close", text: TEXT.helpClose });
  const help = el("section", { id: "ocrn-help", className: "ocrn-help", "aria-labelledby": "ocrn-help-title",
    hidden: "" }, [
    el("div", { className: "ocrn-help-top" }, [helpTitle, helpClose]),
    el("p", { text: TEXT.helpIntro }),
    el("ul", {}, HELP_LINES.map(function (line) {
      const item = el("li");
      if (line.name) item.append(el("strong", { text: line.name }), " ");
      appendHelpText(item, line.text);
      return item;
    }))]);
  const intro = el("p", { className: "ocrn-intro", text: TEXT.intro });
  const log = el("div", { className: "ocrn-log", role: "log", "aria-live": "off",
    "aria-label": "Gesprek", tabindex: "0" });
  const status = el("p", { className: "ocrn-status", role: "status" });
  const eraseButton = el("button", { type: "button", className: "ocrn-erase", text: TEXT.erase });
  const connection = el("p", { className: "ocrn-connection", role: "status", hidden: "" });
  const confirmYes = el("button", { type: "button", className: "ocrn-confirm-yes", text: TEXT.confirmYes });
  const confirmNo = el("button", { type: "button", className: "ocrn-confirm-no", text: TEXT.confirmNo });
  const confirmBox = el("div", { className: "ocrn-confirm", role: "group", "aria-labelledby": "ocrn-confirm-text",
    hidden: "" }, [el("p", { id: "ocrn-confirm-text", text: TEXT.confirm }), confirmYes, confirmNo]);
  const input = el("input", { id: "ocrn-input", className: "ocrn-input", type: "text", autocomplete: "off",
    maxlength: "1000", placeholder: TEXT.message });
  const form = el("form", { className: "ocrn-form" }, [
    el("label", { className: "ocrn-visually-hidden", for: "ocrn-input", text: TEXT.message }), input,
    el("button", { type: "submit", className: "ocrn-send", text: TEXT.send })]);
  const panel = el("section", { id: "ocrn-chat-panel", className: "ocrn-panel", role: "dialog",
    "aria-modal": "true", "aria-labelledby": "ocrn-chat-title", hidden: "" }, [
    el("header", { className: "ocrn-header" }, [
      el("h2", { id: "ocrn-chat-title", text: TEXT.title }), closeButton,
      el("div", { className: "ocrn-header-actions" }, [helpButton, exitButton])]),
    el("p", { id: "ocrn-exit-hint", className: "ocrn-visually-hidden", text: TEXT.exitHint }),
    help, intro, log, connection,
    el("div", { className: "ocrn-bar" }, [status, eraseButton]), confirmBox, form]);
  // Screen readers hear a new bot message's text from these, not the whole log again.
  const announcer = el("div", { className: "ocrn-visually-hidden", "aria-live": "polite" });
  const alarm = el("div", { className: "ocrn-visually-hidden", role: "alert" });
  const root = el("div", { id: "ocrn-chat", className: "ocrn-chat" }, [launcher, panel, announcer, alarm]);

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

  function link(href, label, className, newTab) {
    const a = el("a", { href: href, className: className, text: label });
    if (newTab) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.appendChild(el("span", { className: "ocrn-visually-hidden", text: TEXT.newTab }));
    }
    return a;
  }

  // A help line of HELP_LINES: each {number} a tel: link, kept on one line with the mark after it.
  // (Function declarations are hoisted: the panel above is built with this.)
  function appendHelpText(parent, text) {
    const parts = text.split(/\{([^}]+)\}/);
    parts.forEach(function (part, i) {
      if (i % 2 === 0) { if (part) parent.appendChild(document.createTextNode(part)); return; }
      const a = link("tel:" + part.replace(/\D/g, ""), part, "ocrn-tel", false);
      const mark = /^[.,;:!?)]+/.exec(parts[i + 1] || "");
      if (mark) parts[i + 1] = parts[i + 1].slice(mark[0].length);
      parent.appendChild(mark ? el("span", { className: "ocrn-nowrap" }, [a, document.createTextNode(mark[0])]) : a);
    });
  }

  // One line of bot text: web addresses and phone numbers become links, the rest text.
  function appendLine(parent, text, response) {
    let last = 0;
    let match;
    LINK.lastIndex = 0;
    while ((match = LINK.exec(text))) {
      let found = match[0];
      if (match[1]) found = found.replace(/[.,;:!?)\]]+$/, ""); // keep end-of-sentence marks out
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      const a = match[1]
        ? link(found, response === REGISTRATION ? TEXT.register : found, "ocrn-link-button", true)
        : link("tel:" + found.replace(/\D/g, ""), found, "ocrn-tel", false);
      last = match.index + found.length;
      const mark = /^[.,;:!?)]+/.exec(text.slice(last)); // stays on the link's line
      if (mark) last += mark[0].length;
      parent.appendChild(mark ? el("span", { className: "ocrn-nowrap" }, [a, document.createTextNode(mark[0])]) : a);
      LINK.lastIndex = last;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // Bot text: paragraphs, and lines starting with "• " as a list.
  function appendBotText(body, text, response) {
    let list = null;
    let para = null;
    text.split("\n").forEach(function (line) {
      if (line.startsWith("• ")) {
        if (!list) list = body.appendChild(el("ul"));
        appendLine(list.appendChild(el("li")), line.slice(2), response);
        para = null;
      } else if (!line.trim()) {
        list = para = null;
      } else {
        list = null;
        if (para) para.appendChild(document.createTextNode("\n"));
        else para = body.appendChild(el("p"));
        appendLine(para, line, response);
      }
    });
  }

  function renderEntry(entry, buttonsDisabled) {
    const emergency = entry.response === EMERGENCY;
    const item = el("div", { className: "ocrn-msg ocrn-msg-" + entry.from + (emergency ? " ocrn-msg-emergency" : "") });
    const body = el("div", { className: "ocrn-text" }, [
      el("span", { className: "ocrn-visually-hidden", text: (entry.from === "user" ? TEXT.you : TEXT.bot) + ": " })]);
    if (emergency) body.appendChild(el("strong", { className: "ocrn-emergency-label", text: TEXT.emergency }));
    if (entry.from === "bot") appendBotText(body, entry.text, entry.response);
    else body.appendChild(el("p", { text: entry.text }));
    item.appendChild(body);
    if (entry.at) {
      const at = new Date(entry.at);
      item.appendChild(el("time", { className: "ocrn-time", datetime: at.toISOString(), text: TIME.format(at) }));
    }
    if (entry.buttons && entry.buttons.length) {
      const group = el("div", { className: "ocrn-choices", role: "group", "aria-label": TEXT.choices });
      entry.buttons.forEach(function (choice) {
        const button = el("button", { type: "button", className: "ocrn-choice", text: choice.title });
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
    return item;
  }

  function renderAll() {
    log.replaceChildren();
    answerStart = null;
    let lastUser = -1;
    transcript.forEach(function (entry, i) { if (entry.from === "user") lastUser = i; });
    transcript.forEach(function (entry, i) { renderEntry(entry, i < lastUser); });
    intro.hidden = lastUser >= 0;
  }

  function announce(text, urgent) {
    const region = urgent ? alarm : announcer;
    region.textContent = "";
    setTimeout(function () { region.textContent = text; }, 50); // a change, so it is read
  }

  function addMessage(entry) {
    entry.at = Date.now();
    if (entry.from === "user") {
      // Answering makes the choices of older messages void; the intro has been read.
      log.querySelectorAll(".ocrn-choice").forEach(function (b) { b.disabled = true; });
      intro.hidden = true;
    }
    transcript.push(entry);
    save(KEYS.log, JSON.stringify(transcript.slice(-MAX_SAVED)));
    const item = renderEntry(entry, false);
    if (entry.from === "bot") {
      const text = item.querySelector(".ocrn-text").textContent;
      announce(text, entry.response === EMERGENCY);
    }
  }

  // A notice in the log (not saved): shown once per failure until a reply comes.
  function showNotice(text) {
    const item = el("div", { className: "ocrn-msg ocrn-msg-notice" });
    const body = el("p", { className: "ocrn-text" });
    appendLine(body, text);
    item.appendChild(body);
    log.appendChild(item);
    if (!answerStart) answerStart = item;
    showAnswerStart();
    announce(text, false);
  }
  function showOffline(text) {
    setBusy(false);
    if (offlineShown) return;
    offlineShown = true;
    showNotice(text || TEXT.offline);
  }

  function setBusy(busy) {
    clearTimeout(replyTimer);
    status.textContent = busy ? (ready() ? TEXT.typing : TEXT.waiting) : "";
    if (busy && ready()) replyTimer = setTimeout(function () { showOffline(); }, REPLY_TIMEOUT_MS);
  }

  function showConnection(text) {
    connection.replaceChildren();
    connection.hidden = !text;
    if (text) appendLine(connection, text);
  }

  // --- talking to Rasa -----------------------------------------------------

  function ready() { return Boolean(socket && socket.connected && confirmed); }

  function loadSocketIo(then) {
    if (typeof window.io === "function") { then(); return; }
    const tag = el("script", { src: BASE + "vendor/socket.io.min.js" });
    tag.addEventListener("load", then);
    tag.addEventListener("error", function () { showOffline(); });
    document.head.appendChild(tag);
  }

  function connect() {
    if (socket) return;
    socket = {}; // connecting
    loadSocketIo(function () {
      if (typeof window.io !== "function") { showOffline(); return; }
      // Websocket only: one connection stays on one Rasa instance, so a load balancer can
      // use plain round robin. socket.io reconnects by itself, waiting 1, 2, 4, 8 s between tries.
      socket = window.io(RASA_URL, { transports: ["websocket"], reconnectionDelay: 1000,
        reconnectionDelayMax: 8000 });
      socket.on("connect", function () {
        everConnected = true;
        // ocrn_widget: this client wants each message's response name (channels/socketio.py).
        socket.emit("session_request", { session_id: sessionId, ocrn_widget: 1 });
      });
      socket.on("session_confirm", function (id) {
        const confirmedId = validId(id && typeof id === "object" ? id.session_id : id);
        if (!confirmedId) return;
        sessionId = confirmedId;
        save(KEYS.session, sessionId);
        confirmed = true;
        generation += 1;
        offlineShown = false;
        clearTimeout(offlineTimer);
        offlineTimer = null;
        if (!connection.hidden) {
          showConnection(TEXT.back);
          setTimeout(function () { if (ready()) showConnection(""); }, 4000);
        }
        if (!load(KEYS.greeted)) {
          save(KEYS.greeted, "1");
          if (transcript.length === 0 && outbox.length === 0) send("/greet", null); // the welcome
        }
        flush();
        if (outbox.length) setBusy(true);
      });
      socket.on("bot_uttered", receive);
      socket.on("connect_error", function (error) {
        const reason = error && error.data && error.data.reason;
        if (reason === "rate_limited") showOffline(TEXT.tooMany);
        else if (!everConnected) showOffline();
      });
      socket.on("disconnect", function (reason) {
        confirmed = false;
        socket.sendBuffer = []; // unacknowledged messages are sent again from the outbox
        if (reason === "io client disconnect") return;
        if (reason === "io server disconnect") setTimeout(function () { socket.connect(); }, 2000);
        if (status.textContent) status.textContent = TEXT.waiting;
        clearTimeout(replyTimer);
        showConnection(TEXT.lost);
        // Counted from the first drop: a server that lets us in and drops us again
        // and again is as good as none.
        if (!offlineTimer) offlineTimer = setTimeout(function () { showOffline(); }, OFFLINE_AFTER_MS);
      });
    });
  }

  function saveOutbox() {
    save(KEYS.outbox, JSON.stringify(outbox.map(function (m) { return { id: m.id, message: m.message }; })));
  }

  // Every message waits in the outbox until the server acknowledges it; after a
  // reconnect it is sent again with the same id, and the server handles it at most once.
  function flush() {
    if (!ready()) return;
    outbox.forEach(function (item) {
      if (item.sentOn === generation) return;
      item.sentOn = generation;
      socket.emit("user_uttered", { message: item.message, session_id: sessionId, message_id: item.id },
        function () {
          outbox = outbox.filter(function (m) { return m.id !== item.id; });
          saveOutbox();
        });
    });
  }

  // shown: the text for the transcript (a button's title), or null for none.
  function send(message, shown) {
    if (shown !== null) addMessage({ from: "user", text: shown });
    offlineShown = false;
    outbox.push({ id: newId(), message: message });
    saveOutbox();
    setBusy(true);
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
    const response = typeof data.response === "string" ? data.response : undefined;
    addMessage({ from: "bot", text: text, buttons: buttons, response: response });
  }

  // --- erasing, quick exit ---------------------------------------------------

  function askErase(show) {
    confirmBox.hidden = !show;
    if (show) confirmNo.focus();
  }

  function erase() {
    askErase(false);
    eraseButton.focus();
    if (!ready() || !sessionId) { status.textContent = TEXT.eraseFailed; return; }
    socket.timeout(10000).emit("erase_conversation", { session_id: sessionId }, function (error, reply) {
      const result = !error && reply && reply.status;
      if (result !== "erased") {
        status.textContent = result === "limited" ? TEXT.eraseLimited : TEXT.eraseFailed;
        return;
      }
      forgetAll();
      save(KEYS.open, "1");
      transcript.length = 0;
      outbox = [];
      sessionId = null;
      confirmed = false;
      renderAll();
      setBusy(false);
      showNotice(TEXT.erased);
      socket.emit("session_request", { session_id: null, ocrn_widget: 1 }); // a new session, with a new welcome
    });
  }

  // "Snel weg": nothing of the chat stays in this tab, and Back does not lead to it.
  function quickExit() {
    forgetAll();
    try { if (socket && socket.disconnect) socket.disconnect(); } catch (e) { /* leaving anyway */ }
    root.remove();
    window.location.replace(EXIT_URL);
  }

  // --- help lines: no server needed ------------------------------------------

  // Shows or hides the help lines in place of the conversation (the header stays).
  function showHelp(show, moveFocus) {
    help.hidden = !show;
    panel.classList.toggle("ocrn-help-open", show);
    helpButton.setAttribute("aria-expanded", String(show));
    if (show) {
      askErase(false);
      help.scrollTop = 0;
      panel.scrollTop = 0;
      helpTitle.focus();
      announce(TEXT.helpOpened, false);
    } else if (moveFocus) {
      helpButton.focus();
    }
  }

  // --- opening and closing -------------------------------------------------

  function focusable() {
    return Array.from(panel.querySelectorAll("button, input, a[href], [tabindex='0']"))
      .filter(function (node) { return !node.disabled && node.offsetParent !== null; });
  }

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
    askErase(false);
    showHelp(false, false);
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    save(KEYS.open, "0");
    launcher.focus();
  }

  // A modal dialog: Tab and Shift+Tab go round inside the panel; Escape closes it.
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      if (!help.hidden) showHelp(false, true);
      else if (!confirmBox.hidden) { askErase(false); eraseButton.focus(); } else close();
    } else if (event.key === "Tab") {
      const nodes = focusable();
      const first = nodes[0];
      const last = nodes[nodes.length - 1];
      if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
      else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
    }
  });
  document.addEventListener("focusin", function (event) {
    if (!panel.hidden && !panel.contains(event.target)) (help.hidden ? input : helpTitle).focus();
  });

  // Quick exit from the keyboard: Escape three times within 1.5 s, anywhere on the page.
  let escapes = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    const now = Date.now();
    escapes = escapes.filter(function (t) { return now - t < 1500; }).concat(now);
    if (escapes.length >= 3) quickExit();
  }, true);

  launcher.addEventListener("click", function () { open(true); });
  closeButton.addEventListener("click", close);
  exitButton.addEventListener("click", quickExit);
  helpButton.addEventListener("click", function () { showHelp(help.hidden, true); });
  helpClose.addEventListener("click", function () { showHelp(false, true); });
  eraseButton.addEventListener("click", function () { askErase(true); });
  confirmNo.addEventListener("click", function () { askErase(false); eraseButton.focus(); });
  confirmYes.addEventListener("click", erase);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text, text);
  });
  // Typing a reply opens the phone's keyboard, which takes half the screen: keep the
  // start of the latest answer in view.
  input.addEventListener("focus", showAnswerStart);
  (window.visualViewport || window).addEventListener("resize", function () {
    if (!panel.hidden && document.activeElement === input) showAnswerStart();
  });

  function start() {
    document.body.appendChild(root);
    renderAll();
    if (load(KEYS.open) === "1") open(false);
    else if (outbox.length) connect();
  }

  // The stylesheet first, so the launcher never shows unstyled.
  const css = el("link", { rel: "stylesheet", href: BASE + "widget.css" });
  css.addEventListener("load", start);
  css.addEventListener("error", start);
  document.head.appendChild(css);
})();
