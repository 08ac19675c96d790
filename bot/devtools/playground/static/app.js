// The playground's chat page. Messages are built with DOM nodes from their text and entities
// (never innerHTML with the bot's text), so nothing the bot or the exchanger sends can inject
// markup; links keep only http(s) and tg: addresses.
"use strict";

const $ = (id) => document.getElementById(id);
const page = {
  mode: "private",
  chats: { private: 0, group: 0 },
  me: { private: 0, admin: 0, member: 0 },
  commands: { en: [], ru: [] },
  violations: 0,
  bot: null,
};

// -- rendering text with entities ------------------------------------------------------------

const TAGS = {
  bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code", pre: "pre",
  blockquote: "blockquote", expandable_blockquote: "blockquote",
};

function safeHref(url) {
  return /^(https?:|tg:)/i.test(url || "") ? url : null;
}

function elementFor(entity, text) {
  const tag = TAGS[entity.type];
  if (tag) return document.createElement(tag);
  if (entity.type === "text_link" || entity.type === "url") {
    const href = safeHref(entity.type === "url" ? text : entity.url);
    if (href) {
      const a = document.createElement("a");
      a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
      return a;
    }
  }
  const span = document.createElement("span");
  span.className = entity.type.replace(/_/g, "-");
  if (entity.type === "spoiler") span.addEventListener("click", () => span.classList.add("shown"));
  if (entity.type === "bot_command") {
    span.className = "command";
  }
  return span;
}

// Entities are offsets in UTF-16 code units, which is what JavaScript strings index.
function renderEntities(parent, text, entities, from, to) {
  const sorted = entities.slice().sort((a, b) => a.offset - b.offset || b.length - a.length);
  let pos = from;
  sorted.forEach((entity, index) => {
    const end = entity.offset + entity.length;
    if (entity.offset < pos || end > to) return; // inside an earlier one, drawn there
    if (entity.offset > pos) parent.append(text.slice(pos, entity.offset));
    const element = elementFor(entity, text.slice(entity.offset, end));
    const inner = sorted.filter((other, j) => j > index && other.offset >= entity.offset &&
      other.offset + other.length <= end);
    renderEntities(element, text, inner, entity.offset, end);
    parent.append(element);
    pos = end;
  });
  if (pos < to) parent.append(text.slice(pos, to));
}

function keyboardOf(message) {
  const rows = (message.reply_markup || {}).inline_keyboard;
  if (!rows || !rows.length) return null;
  const box = document.createElement("div");
  box.className = "keyboard";
  for (const row of rows) {
    const line = document.createElement("div");
    line.className = "row";
    for (const button of row) {
      let control;
      if (button.callback_data !== undefined) {
        control = document.createElement("button");
        control.type = "button";
        control.dataset.callback = button.callback_data;
        control.addEventListener("click", () => press(message, button.callback_data));
      } else if (safeHref(button.url)) {
        control = document.createElement("a");
        control.href = button.url; control.target = "_blank"; control.rel = "noopener noreferrer";
      } else {
        control = document.createElement("button");
        control.type = "button";
        control.disabled = true;
      }
      control.textContent = button.text;
      line.append(control);
    }
    box.append(line);
  }
  return box;
}

function renderMessage(message) {
  const box = document.createElement("div");
  const mine = !message.from_bot && message.from.id === page.me[page.mode];
  box.className = message.from_bot ? "msg in" : mine ? "msg out" : "msg out other";
  box.dataset.messageId = message.message_id;
  box.dataset.chatId = message.chat_id;
  const body = document.createElement("div");
  body.className = "text";
  const text = message.text || message.caption || "";
  if (message.photo) {
    const url = safeHref(message.media_url);
    let shown;
    if (url) {
      shown = document.createElement("img");
      shown.src = url; shown.alt = "photo";
    } else {
      shown = document.createElement("div");
      shown.textContent = "🖼 Photo";
    }
    shown.classList.add("media", "photo");
    box.append(shown);
  }
  if (message.document) {
    const note = document.createElement("div");
    note.className = "media document";
    note.textContent = "📄 " + (message.document.file_name || "document");
    box.append(note);
  }
  if (!message.from_bot && message.chat_id < 0) {
    const who = document.createElement("div");
    who.className = "who";
    who.textContent = message.from.first_name;
    box.append(who);
  }
  renderEntities(body, text, message.entities || message.caption_entities || [], 0, text.length);
  box.append(body);
  const keyboard = keyboardOf(message);
  if (keyboard) box.append(keyboard);
  const meta = document.createElement("div");
  meta.className = "meta";
  const time = new Date(1000 * (message.edit_date || message.date));
  meta.textContent = (message.edit_date ? "edited " : "") +
    time.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  box.append(meta);
  return box;
}

function currentChatId() {
  return page.mode === "private" ? page.chats.private : page.chats.group;
}

function upsert(message) {
  const list = $("messages");
  const selector = `.msg[data-chat-id="${message.chat_id}"][data-message-id="${message.message_id}"]`;
  const existing = list.querySelector(selector);
  if (message.deleted) {
    if (existing) existing.remove();
    return;
  }
  const element = renderMessage(message);
  element.hidden = message.chat_id !== currentChatId();
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  if (existing) existing.replaceWith(element); else list.append(element);
  if (atBottom || !existing) list.scrollTop = list.scrollHeight;
}

function showChat() {
  const id = currentChatId();
  for (const element of $("messages").querySelectorAll(".msg")) {
    element.hidden = Number(element.dataset.chatId) !== id;
  }
  $("chat-title").textContent = page.mode === "private"
    ? (page.bot ? page.bot.first_name : "Bot") : "Playground group";
  $("messages").scrollTop = $("messages").scrollHeight;
}

// -- toasts, alerts, violations, menu --------------------------------------------------------

function toast(text) {
  const element = document.createElement("div");
  element.className = "toast";
  element.textContent = text;
  $("toasts").append(element);
  setTimeout(() => element.remove(), 4000);
}

function alertBox(text) {
  $("alert-text").textContent = text;
  $("alert").hidden = false;
  $("alert-ok").focus();
}

function addViolation(violation) {
  const item = document.createElement("li");
  item.className = "error";
  item.textContent = `${violation.method} → ${violation.status} ${violation.description}`;
  item.title = violation.params;
  $("violations").prepend(item);
  page.violations += 1;
  $("violation-count").textContent = String(page.violations);
  $("violation-count").classList.add("bad");
}

function renderMenu() {
  const menu = $("menu");
  menu.replaceChildren();
  for (const command of page.commands.en) {
    const button = document.createElement("button");
    button.type = "button";
    const name = document.createElement("b");
    name.textContent = "/" + command.command;
    const description = document.createElement("span");
    description.textContent = command.description;
    button.append(name, description);
    button.addEventListener("click", () => { menu.hidden = true; send("/" + command.command); });
    menu.append(button);
  }
  $("menu-button").disabled = page.commands.en.length === 0;
}

// -- talking to the server -------------------------------------------------------------------

async function post(url, body, method = "POST") {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = text;
  try { data = JSON.parse(text); } catch (error) { /* plain text */ }
  if (!response.ok) throw new Error(typeof data === "string" ? data : JSON.stringify(data));
  return data;
}

async function send(text) {
  try {
    await post("/_playground/send", { mode: page.mode, text });
  } catch (error) {
    toast("Not sent: " + error.message);
  }
}

async function press(message, data) {
  try {
    await post("/_playground/press", { mode: page.mode, message_id: message.message_id, data });
  } catch (error) {
    toast(error.message);
  }
}

function connect() {
  const events = new EventSource("/_playground/events");
  events.addEventListener("open", () => {
    $("chat-status").textContent = "bot";
    document.body.dataset.connected = "true";
  });
  events.addEventListener("error", () => {
    $("chat-status").textContent = "reconnecting…";
    document.body.dataset.connected = "false";
  });
  events.addEventListener("snapshot", (event) => {
    const data = JSON.parse(event.data);
    page.chats = data.chats;
    page.me = data.me;
    page.bot = data.bot;
    page.commands = data.commands;
    $("messages").replaceChildren();
    data.messages.forEach(upsert);
    $("violations").replaceChildren();
    page.violations = 0;
    data.violations.forEach(addViolation);
    $("sandbox-panel").hidden = !data.sandbox;
    renderMenu();
    showChat();
  });
  events.addEventListener("message", (event) => upsert(JSON.parse(event.data)));
  events.addEventListener("answer", (event) => {
    const answer = JSON.parse(event.data);
    if (!answer.text) return;
    if (answer.show_alert) alertBox(answer.text); else toast(answer.text);
  });
  events.addEventListener("violation", (event) => addViolation(JSON.parse(event.data)));
  events.addEventListener("commands", (event) => {
    page.commands = JSON.parse(event.data);
    renderMenu();
  });
}

// -- the sandbox pane ------------------------------------------------------------------------

const control = (path, body, method = "POST") =>
  post("/_playground/sandbox/" + path, body, method);

function logSandbox(text, isError = false) {
  const item = document.createElement("li");
  item.textContent = new Date().toLocaleTimeString() + " " + text;
  if (isError) item.className = "error";
  $("sandbox-log").prepend(item);
}

function randomExchange(extra) {
  const give = (0.01 + Math.random() * 0.05).toFixed(4);
  return {
    currency_code_give: "BTC", currency_code_get: "USDTTRC20",
    amount_give: give, amount_get: (Number(give) * 95000).toFixed(2),
    course_give: "1", course_get: "95000", ...extra,
  };
}

async function partnerItems(key) {
  return control("partners/" + encodeURIComponent(key), undefined, "GET");
}

const ACTIONS = {
  async exchange(key) {
    const made = await control(`partners/${encodeURIComponent(key)}/exchanges`, randomExchange({}));
    return `exchange #${made.id} created (not completed yet)`;
  },
  async accrue(key) {
    const path = `partners/${encodeURIComponent(key)}/exchanges`;
    const made = await control(path, randomExchange({ exchange_success: 1, partner_reward: "0.50" }));
    await control(`${path}/${made.id}`, { accrued: 1 }, "PATCH");
    return `exchange #${made.id} completed, reward 0.50 accrued`;
  },
  async complete(key) {
    const partner = await partnerItems(key);
    const open = partner.exchanges.filter((e) => !e.exchange_success).sort((a, b) => b.id - a.id);
    if (!open.length) return "no exchange waiting: create one first";
    const path = `partners/${encodeURIComponent(key)}/exchanges/${open[0].id}`;
    await control(path, { exchange_success: 1 }, "PATCH");
    return `exchange #${open[0].id} completed`;
  },
  async payout(key) {
    const partner = await partnerItems(key);
    const payouts = partner.payouts.slice().sort((a, b) => b.id - a.id);
    const target = payouts.find((p) => p.status === 0) || payouts[0];
    if (!target) return "no payout yet: request one with /payout";
    const status = Number($("payout-status").value);
    await control(`partners/${encodeURIComponent(key)}/payouts/${target.id}`, { status }, "PATCH");
    return `payout #${target.id} → ${$("payout-status").selectedOptions[0].textContent}`;
  },
  async balance(key) {
    const partner = await partnerItems(key);
    const balance = (Number(partner.balance) + 20).toFixed(2);
    await control(`partners/${encodeURIComponent(key)}`, { balance }, "PATCH");
    return `balance is now ${balance}`;
  },
  async rotate(key) {
    const made = await control(`partners/${encodeURIComponent(key)}/rotate`, {});
    $("key").value = made.api_key;
    return `key rotated; the new one is ${made.api_key} (send /link with it)`;
  },
  async fault() {
    const mode = $("fault").value;
    const rule = { mode, count: 3, ...(mode === "slow" ? { delay: 8 } : {}) };
    await control("faults", rule);
    return `the next 3 requests get: ${$("fault").selectedOptions[0].textContent}`;
  },
  async "clear-faults"() {
    await control("faults", undefined, "DELETE");
    return "faults cleared";
  },
  async reset() {
    await control("reset", { seed: true });
    $("key").value = "demo-key-alice-0001";
    return "sandbox reset to the demo data (link again)";
  },
};

function wireSandbox() {
  for (const button of document.querySelectorAll("[data-action]")) {
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        logSandbox(await ACTIONS[button.dataset.action]($("key").value.trim()));
      } catch (error) {
        logSandbox(error.message, true);
      } finally {
        button.disabled = false;
      }
    });
  }
}

// -- wiring ----------------------------------------------------------------------------------

$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("input").value.trim();
  if (!text) return;
  $("input").value = "";
  $("menu").hidden = true;
  send(text);
});
$("menu-button").addEventListener("click", () => { $("menu").hidden = !$("menu").hidden; });
$("alert-ok").addEventListener("click", () => { $("alert").hidden = true; });
$("mode").addEventListener("change", () => { page.mode = $("mode").value; showChat(); });
wireSandbox();
connect();
