// The emulator's web UI: render what a chosen user sees and act as that user.
// Every action goes to the control surface's driver (POST /_emulator/drive/VERB), the one code path the CLI and
// the tests use: this file builds no Slack payloads. App strings are untrusted: the DOM is built with
// createElement/textContent only, never innerHTML.
"use strict";

const S = {
  ws: null, me: null, tab: "conversation", conv: null, homeApp: null, thread: null,
  messages: [], messagesKey: null, threadKey: null, modalKey: null, homeKey: null,  // null: render anew
  views: { home: null, modals: [] }, inputs: {}, errors: {},
  gen: 0,  // bumped when the user changes: answers to requests made for the previous user are dropped
};
const $ = (id) => document.getElementById(id);

// ---- talking to the emulator -------------------------------------------------------------------------------
async function getJSON(path) {
  const resp = await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  return resp.json();
}

async function drive(verb, body) {
  // Same-origin, JSON body: what the control surface's cross-site protections require.
  const resp = await fetch(`/_emulator/drive/${verb}`, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ user: S.me, ...body }),
  });
  let answer;
  try { answer = await resp.json(); } catch (e) { answer = { ok: false, message: `HTTP ${resp.status}` }; }
  if (!answer.ok) {
    toast(answer.message || answer.error || `${verb} failed`);
    throw new Error(answer.message || answer.error);
  }
  return answer.result;
}

// ---- names -------------------------------------------------------------------------------------------------
function userName(id) {
  const u = S.ws && S.ws.users.find((x) => x.id === id);
  return u ? u.name : id;
}
function channelName(id) {
  const c = S.ws && (S.ws.channels.find((x) => x.id === id) || S.ws.dms.find((x) => x.id === id));
  return c ? c.name : id;
}
function author(m) {
  if (m.bot_id) {
    const app = S.ws.apps.find((a) => a.bot_id === m.bot_id);
    return { name: (m.bot_profile && m.bot_profile.name) || m.username || (app && app.name) || m.bot_id, bot: true };
  }
  return { name: userName(m.user), bot: false };
}
function timeOf(ts) {
  const d = new Date(parseFloat(ts) * 1000);
  return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

// ---- the workspace and the sidebar -------------------------------------------------------------------------
async function loadWorkspace() {
  const gen = S.gen;
  const ws = await getJSON(`/_ui/workspace?user=${encodeURIComponent(S.me || "")}`);
  if (gen !== S.gen) return;
  S.ws = ws;
  S.me = ws.me;
  $("team").textContent = ws.team.name;
  const sw = $("user-switcher");
  sw.replaceChildren(...ws.users.filter((u) => !u.is_bot).map((u) =>
    el("option", { value: u.id, text: u.real_name ? `${u.name} (${u.real_name})` : u.name, selected: u.id === S.me })));
  if (S.conv && !ws.channels.concat(ws.dms).some((c) => c.id === S.conv)) {  // ?channel=NAME, or gone
    const named = ws.channels.find((c) => c.name === S.conv.replace(/^#/, ""));
    S.conv = named ? named.id : null;
  }
  if (!S.conv && ws.channels.length) S.conv = (ws.channels.find((c) => c.name === "general") || ws.channels[0]).id;
  renderSidebar();
}

function renderSidebar() {
  const item = (id, label, kind) => el("li", {
    class: (kind === "app" ? S.tab === "home" && S.homeApp === id : S.tab === "conversation" && S.conv === id)
      ? "selected" : "", dataset: { id, kind }, text: label,
    onclick: () => (kind === "app" ? openHome(id) : openConversation(id)) });
  $("channels").replaceChildren(...S.ws.channels.map((c) => item(c.id, `${c.is_private ? "🔒" : "#"} ${c.name}`,
    "channel")));
  const dms = S.ws.dms.map((d) => item(d.id, d.name, "dm"));
  $("dms").replaceChildren(...(dms.length ? dms : [el("li", { class: "empty", text: "none yet" })]));
  $("apps").replaceChildren(...S.ws.apps.filter((a) => a.home_tab).map((a) => item(a.app_id, a.name, "app")));
}

function showTab(tab) {
  S.tab = tab;
  for (const id of ["conversation", "home", "deliveries", "requests"]) $(id).hidden = id !== tab;
  for (const b of document.querySelectorAll(".tab")) {
    b.classList.toggle("active", b.dataset.tab === tab || (tab === "home" && b.dataset.tab === "conversation"));
  }
  $("thread").hidden = !(tab === "conversation" && S.thread);
  renderSidebar();
  refresh();
}

function openConversation(id) {
  S.conv = id;
  S.thread = null;
  S.messagesKey = null;
  showTab("conversation");
}

async function openHome(appId) {
  S.homeApp = appId;
  S.homeKey = null;
  showTab("home");
  await drive("open-home", { app: appId });
  refresh();
}

// ---- messages ----------------------------------------------------------------------------------------------
function isReply(m) { return m.thread_ts && m.thread_ts !== m.ts; }

async function loadMessages() {
  if (!S.conv) return;
  const conv = S.conv;
  const gen = S.gen;
  const list = await drive("messages", { channel: conv });
  if (conv !== S.conv || gen !== S.gen) return;
  S.messages = list;
  const key = JSON.stringify(list);
  const name = channelName(conv);
  $("conv-title").textContent = S.ws.channels.some((c) => c.id === conv) ? `#${name}` : name;
  if (key !== S.messagesKey) {
    S.messagesKey = key;
    const box = $("messages");
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    const top = list.filter((m) => !isReply(m));
    box.replaceChildren(...(top.length ? top.map((m) => renderMessage(m, true))
      : [el("div", { class: "empty", text: "No messages yet." })]));
    if (atBottom || !box.dataset.seen) box.scrollTop = box.scrollHeight;
    box.dataset.seen = "1";
  }
  renderThread();
}

function renderMessage(m, inChannel) {
  const who = author(m);
  const ctx = { surface: "message", channel: S.conv, ts: m.ts, ephemeral: !!m.ephemeral };
  // A lone rich_text block next to text is the one Slack derives from the text: the text's mrkdwn shows more.
  const derived = m.text && m.blocks && m.blocks.length === 1 && m.blocks[0].type === "rich_text";
  const body = m.blocks && m.blocks.length && !derived ? renderBlocks(m.blocks, ctx) : mrkdwn(m.text || "");
  const node = el("div", { class: `message${m.ephemeral ? " ephemeral" : ""}`, dataset: { ts: m.ts } },
    el("div", { class: "meta" }, el("span", { class: "author", text: who.name }),
      who.bot ? el("span", { class: "bot-tag", text: "APP" }) : null, timeOf(m.ts)),
    m.ephemeral ? el("div", { class: "ephemeral-note", text: "Only visible to you" }) : null, body,
    m.assistant_thread ? renderAssistant(m) : null);
  if (m.files && m.files.length) {
    node.append(el("div", { class: "files" }, m.files.map((f) => {
      const href = safeHref(f.url_private || f.permalink || "");
      return href ? el("a", { href, target: "_blank", rel: "noopener noreferrer", text: `📎 ${f.name || f.title || f.id}` })
        : el("span", { text: `📎 ${f.name || f.title || f.id}` });
    })));
  }
  if (m.reactions && m.reactions.length) {
    node.append(el("div", { class: "reactions" }, m.reactions.map((r) => el("button", {
      type: "button", class: `reaction${(r.users || []).includes(S.me) ? " mine" : ""}`, text: `:${r.name}: ${r.count}`,
      dataset: { reaction: r.name }, onclick: () => drive("react", { channel: S.conv, ts: m.ts, name: r.name }) }))));
  }
  if (inChannel && m.reply_count) {
    node.append(el("button", { type: "button", class: "thread-link", text: `${m.reply_count} ${m.reply_count === 1
      ? "reply" : "replies"}`, onclick: () => openThread(m.ts) }));
  }
  if (!m.ephemeral) node.append(messageActions(m, inChannel));
  return node;
}

// The root of an assistant thread: what the app set on it (title, "is thinking…" status, suggested prompts);
// a prompt posts its message in the thread, as clicking one does in Slack.
function renderAssistant(m) {
  const a = m.assistant_thread;
  const prompts = a.prompts || [];
  return el("div", { class: "assistant", dataset: { thread: m.ts } },
    a.title ? el("div", { class: "assistant-title", text: a.title }) : null,
    a.status ? el("div", { class: "assistant-status", text: a.status }) : null,
    prompts.length ? el("div", { class: "assistant-prompts" },
      a.prompts_title ? el("span", { class: "desc", text: a.prompts_title }) : null,
      prompts.map((p) => el("button", { type: "button", class: "assistant-prompt", text: p.title,
        onclick: async () => { await drive("post", { channel: S.conv, text: p.message, thread: m.ts }); refresh(); } })))
      : null);
}

function messageActions(m, inChannel) {
  const bar = el("div", { class: "message-actions" });
  const react = el("select", { "aria-label": "Add a reaction" }, el("option", { value: "", text: "☺ React" }),
    ["thumbsup", "eyes", "white_check_mark", "tada", "heart"].map((n) => el("option", { value: n, text: `:${n}:` })));
  react.addEventListener("change", () => { if (react.value) drive("react", { channel: S.conv, ts: m.ts, name: react.value }); });
  bar.append(react);
  if (inChannel) bar.append(el("button", { type: "button", text: "Reply in thread", onclick: () => openThread(m.ts) }));
  const shortcuts = S.ws.apps.flatMap((a) => a.shortcuts.filter((s) => s.type === "message"));
  if (shortcuts.length) {
    const sel = el("select", { "aria-label": "Message shortcuts" }, el("option", { value: "", text: "⋯ Shortcuts" }),
      shortcuts.map((s) => el("option", { value: s.callback_id, text: s.name })));
    sel.addEventListener("change", () => {
      if (sel.value) drive("shortcut", { callback_id: sel.value, message: `${S.conv}:${m.ts}` });
    });
    bar.append(sel);
  }
  return bar;
}

function openThread(ts) {
  S.thread = ts;
  S.threadKey = null;
  $("thread").hidden = false;
  renderThread();
}

function renderThread() {
  const pane = $("thread");
  if (!S.thread || S.tab !== "conversation") { pane.hidden = true; return; }
  pane.hidden = false;
  const parent = S.messages.find((m) => m.ts === S.thread);
  const replies = S.messages.filter((m) => isReply(m) && m.thread_ts === S.thread);
  const key = JSON.stringify([parent, replies]);
  if (key === S.threadKey) return;
  S.threadKey = key;
  $("thread-messages").replaceChildren(...[parent, ...replies].filter(Boolean).map((m) => renderMessage(m, false)));
}

// ---- the composer: messages, slash commands, global shortcuts ----------------------------------------------
function commands() {
  return S.ws.apps.flatMap((a) => a.commands.map((c) => ({ ...c, app: a.name })));
}

function suggest() {
  const input = $("composer-input");
  const list = $("suggestions");
  const text = input.value;
  if (!text.startsWith("/") || text.includes(" ")) { list.hidden = true; return; }
  const matches = commands().filter((c) => c.command.startsWith(text));
  list.replaceChildren(...matches.map((c) => el("li", { dataset: { command: c.command },
    onmousedown: (e) => { e.preventDefault(); input.value = `${c.command} `; list.hidden = true; input.focus(); } },
    el("b", { text: c.command }), c.usage_hint ? ` ${c.usage_hint}` : "",
    el("span", { class: "desc", text: `${c.description || ""} — ${c.app}` }))));
  list.hidden = matches.length === 0;
}

async function send(event) {
  event.preventDefault();
  const input = $("composer-input");
  const text = input.value.trim();
  if (!text || !S.conv) return;
  $("suggestions").hidden = true;
  if (text.startsWith("/")) {
    const [name, ...rest] = text.split(" ");
    if (!commands().some((c) => c.command === name)) {
      toast(`no installed app declares ${name}: the apps' commands are ${commands().map((c) => c.command).join(", ") || "none"}`);
      return;
    }
    input.value = "";
    await drive("command", { name, text: rest.join(" "), channel: S.conv });
  } else {
    input.value = "";
    await drive("post", { channel: S.conv, text });
  }
  refresh();
}

async function sendReply(event) {
  event.preventDefault();
  const input = $("thread-input");
  const text = input.value.trim();
  if (!text || !S.thread) return;
  input.value = "";
  await drive("post", { channel: S.conv, text, thread: S.thread });
  refresh();
}

function toggleShortcuts() {
  const menu = $("shortcut-menu");
  const global = S.ws.apps.flatMap((a) => a.shortcuts.filter((s) => s.type === "global").map((s) => ({ ...s, app: a.name })));
  menu.replaceChildren(...(global.length ? global.map((s) => el("li", { dataset: { callbackId: s.callback_id },
    onclick: () => { menu.hidden = true; drive("shortcut", { callback_id: s.callback_id }); } },
    el("b", { text: s.name }), el("span", { class: "desc", text: s.app })))
    : [el("li", { class: "empty", text: "No app declares a global shortcut." })]));
  menu.hidden = !menu.hidden;
}

// ---- views: App Home and modals ----------------------------------------------------------------------------
async function loadViews() {
  const gen = S.gen;
  const views = await drive("views", S.homeApp ? { app: S.homeApp } : {});
  if (gen !== S.gen) return;
  S.views = views;
  renderModal();
  if (S.tab === "home") renderHome();
}

function renderHome() {
  const app = S.ws.apps.find((a) => a.app_id === S.homeApp);
  $("home-title").textContent = app ? `${app.name} — Home` : "Home";
  const home = S.views.home;
  const key = home ? `${home.id}:${home.hash}` : "";
  if (key === S.homeKey) return;
  S.homeKey = key;
  $("home-view").replaceChildren(home ? renderBlocks(home.blocks, { surface: "home", viewId: home.id })
    : el("div", { class: "empty", text: "The app has not published a Home tab for this user yet." }));
}

function renderModal() {
  const stack = S.views.modals || [];
  const top = stack[stack.length - 1];
  const key = top ? `${top.id}:${top.hash}:${JSON.stringify(S.errors[top.id] || {})}` : "";
  if (key === S.modalKey) return;
  S.modalKey = key;
  $("modal-backdrop").hidden = !top;
  if (!top) { $("modal").replaceChildren(); return; }
  const ctx = { surface: "modal", viewId: top.id };
  const form = el("form", { dataset: { viewId: top.id, callbackId: top.callback_id || "" },
    onsubmit: (e) => { e.preventDefault(); submit(top); } },
  el("header", {}, el("h2", { text: plain(top.title) }),
    stack.length > 1 ? el("span", { class: "stack-depth", text: `${stack.length} views deep` }) : null),
  el("div", { class: "modal-body" }, renderBlocks(top.blocks, ctx)),
  el("footer", {},
    el("button", { type: "button", class: "btn", id: "modal-close", text: plain(top.close) || "Close",
      onclick: () => drive("close-view", { view_id: top.id }).then(refresh) }),
    top.submit ? el("button", { type: "submit", class: "btn primary", id: "modal-submit", text: plain(top.submit) }) : null));
  $("modal").replaceChildren(form);
}

function missingRequired(view) {
  // Slack's client refuses to submit a modal with an empty required input; so does this one (nothing is sent).
  const missing = {};
  const given = S.inputs[view.id] || {};
  for (const b of view.blocks || []) {
    if (b.type !== "input" || b.optional || !b.element) continue;
    const value = given[`${b.block_id || ""}.${b.element.action_id || ""}`];
    const initial = Object.keys(b.element).some((k) => k.startsWith("initial_"));
    if (value === undefined ? !initial : value === "") missing[b.block_id] = "Please complete this required field.";
  }
  return missing;
}

async function submit(view) {
  const missing = missingRequired(view);
  if (Object.keys(missing).length) {
    S.errors[view.id] = missing;
    S.modalKey = null;
    renderModal();
    return;
  }
  const result = await drive("submit", { view_id: view.id, values: S.inputs[view.id] || {} });
  S.errors[view.id] = result.errors || {};  // response_action "errors": shown under their inputs
  S.modalKey = null;
  refresh();
}

// ---- deliveries and the Web API log ------------------------------------------------------------------------
function detailsRow(cols, parts) {
  const row = el("tr", { class: "details", hidden: true },
    el("td", { colspan: cols }, parts.flatMap(([title, value]) => [el("b", { text: title }),
      el("pre", { text: typeof value === "string" ? value : JSON.stringify(value, null, 2) })])));
  return row;
}

const expanded = new Set();  // rows whose details are open survive the live re-renders

function logRows(prefix, entries, cols, details) {
  const rows = [];
  entries.slice(-200).reverse().forEach((entry, i) => {
    const id = `${prefix}:${entry.id || entry.time || i}:${entry.method || ""}`;
    const extra = detailsRow(cols.length, details(entry));
    extra.hidden = !expanded.has(id);
    const row = el("tr", { class: "entry", onclick: () => {
      extra.hidden = !extra.hidden;
      if (extra.hidden) expanded.delete(id); else expanded.add(id);
    } }, cols.map(([value, cls]) => el("td", { class: cls || "", text: value(entry) })));
    rows.push(row, extra);
  });
  return rows;
}

const shownLogs = {};
function replaceRows(tbody, entries, build) {
  const key = JSON.stringify(entries);  // unchanged: leave the rows (and the reader's scroll) alone
  if (shownLogs[tbody] === key) return;
  shownLogs[tbody] = key;
  $(tbody).replaceChildren(...build());
}

const ms = (s) => (typeof s === "number" ? `${(s * 1000).toFixed(1)} ms` : "");
const clock = (t) => (t ? new Date(t * 1000).toLocaleTimeString() : "");

async function loadDeliveries() {
  const data = await getJSON("/_emulator/deliveries");
  const apps = Object.fromEntries(S.ws.apps.map((a) => [a.app_id, a.name]));
  replaceRows("deliveries-rows", data.deliveries || [], () => logRows("d", data.deliveries || [], [
    [(e) => clock(e.created)], [(e) => e.kind], [(e) => e.type], [(e) => apps[e.app_id] || e.app_id],
    [(e) => e.transport], [(e) => e.status, "status"], [(e) => String((e.attempts || []).length)],
    [(e) => ms(e.ack_latency)],
  ], (e) => [["Request body", e.payload], ["Attempts (with the app's response)", e.attempts],
    ...(e.error ? [["Error", e.error]] : [])]).map(colorStatus));
}

async function loadRequests() {
  const data = await getJSON("/_emulator/requests");
  replaceRows("requests-rows", data.requests || [], () => logRows("r", data.requests || [], [
    [(e) => clock(e.time)], [(e) => e.http_method], [(e) => e.method], [(e) => String(e.status || ""), "status"],
    [(e) => ms(e.elapsed)],
  ], (e) => [["Path", e.path], ["Request body", e.body], ["Headers", e.headers]]).map(colorStatus));
}

function colorStatus(row) {
  const cell = row.querySelector("td.status");
  if (cell) {
    const v = cell.textContent;
    cell.classList.add(`status-${/^2/.test(v) ? "ok" : /^\d/.test(v) ? "error" : v}`);
  }
  return row;
}

// ---- live updates ------------------------------------------------------------------------------------------
let refreshing = null;
let again = false;
async function refresh() {
  // One refresh at a time; facts arriving meanwhile cause exactly one more (a burst is one refetch).
  if (refreshing) { again = true; return refreshing; }
  refreshing = (async () => {
    let shown;
    do {
      again = false;
      shown = S.me;  // the user this pass renders for (a switch meanwhile causes another pass)
      try {
        await loadWorkspace();
        const work = [loadViews()];
        if (S.tab === "conversation") work.push(loadMessages());
        if (S.tab === "deliveries") work.push(loadDeliveries());
        if (S.tab === "requests") work.push(loadRequests());
        await Promise.all(work);
      } catch (e) { /* a failed drive call was shown as a toast */ }
    } while (again);
    refreshing = null;
    document.body.dataset.refreshed = String(Date.now());
    document.body.dataset.shownUser = shown || "";
  })();
  return refreshing;
}

function listen() {
  const source = new EventSource("/_ui/events");
  let opened = false;
  source.addEventListener("open", () => {
    $("live").className = "live on"; $("live").textContent = "live";
    if (opened) refresh();  // facts were missed while the stream was away (the emulator drops a page that lags)
    opened = true;
  });
  source.addEventListener("error", () => { $("live").className = "live off"; $("live").textContent = "reconnecting"; });
  source.addEventListener("fact", () => refresh());
}

function init() {
  $("composer").addEventListener("submit", send);
  $("composer-input").addEventListener("input", suggest);
  $("thread-composer").addEventListener("submit", sendReply);
  $("close-thread").addEventListener("click", () => { S.thread = null; $("thread").hidden = true; });
  $("shortcuts-button").addEventListener("click", toggleShortcuts);
  $("user-switcher").addEventListener("change", (e) => {
    S.me = e.target.value;
    S.gen += 1;
    S.thread = null; S.messagesKey = null; S.modalKey = null; S.homeKey = null; S.inputs = {}; S.errors = {};
    if (S.tab === "home" && S.homeApp) openHome(S.homeApp); else refresh();
  });
  for (const b of document.querySelectorAll(".tab")) b.addEventListener("click", () => showTab(b.dataset.tab));
  for (const b of document.querySelectorAll(".refresh")) b.addEventListener("click", () => refresh());
  const params = new URLSearchParams(location.search);
  S.me = params.get("user");
  S.conv = params.get("channel");
  listen();
  refresh();
}

document.addEventListener("DOMContentLoaded", init);
