// SopOrleans Data Manager: plain JavaScript over the HTTP API (rest-api.md). Errors show the problem's detail.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { store: null, cursors: [null], page: 0, next: null, polling: null };

$("api-key").value = localStorage.getItem("sopApiKey") || "";
$("api-key").addEventListener("change", () => localStorage.setItem("sopApiKey", $("api-key").value));

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = !message;
}

async function api(method, path, body) {
  const headers = {};
  const key = $("api-key").value;
  if (key) headers["X-Api-Key"] = key;
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const detail = json && json.detail ? json.detail : response.statusText;
    const where = json && json.stepIndex !== undefined ? ` (step ${json.stepIndex})` : json && json.operationIndex !== undefined ? ` (operation ${json.operationIndex})` : "";
    throw new Error(`${response.status}: ${detail}${where}`);
  }
  return json;
}

/** Parses JSON typed by the user; a mistake is reported here and nothing is sent. */
function parseJson(text, what) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`invalid JSON in ${what}: ${e.message}`);
  }
}

function guarded(handler) {
  return async (event) => {
    if (event) event.preventDefault();
    try {
      showError("");
      await handler(event);
    } catch (e) {
      showError(e.message);
    }
  };
}

function cell(row, content) {
  const td = row.insertCell();
  if (content instanceof Node) td.appendChild(content); else td.textContent = content;
  return td;
}

function button(label, onClick) {
  const b = document.createElement("button");
  b.textContent = label;
  b.addEventListener("click", guarded(onClick));
  return b;
}

function pre(value) {
  const p = document.createElement("pre");
  p.textContent = JSON.stringify(value, null, 2);
  return p;
}

/**
 * Fetches a list for a loader, or null when a later call of the same loader started meanwhile: two loads can be in
 * flight (opening a tab, then saving), and the older answer must not replace the newer list when it arrives last.
 */
const loadCalls = {};
async function latest(loader, path) {
  const mine = (loadCalls[loader] = (loadCalls[loader] || 0) + 1);
  const result = await api("GET", path);
  return mine === loadCalls[loader] ? result : null;
}

// ---------- tabs ----------
document.querySelectorAll("nav button").forEach((tab) => tab.addEventListener("click", guarded(async () => {
  document.querySelectorAll("nav button").forEach((b) => b.setAttribute("aria-pressed", String(b === tab)));
  for (const name of ["stores", "macros", "tasks"]) $(`${name}-tab`).hidden = name !== tab.dataset.tab;
  if (tab.dataset.tab === "stores") await loadStores();
  if (tab.dataset.tab === "macros") await loadMacros();
  if (tab.dataset.tab === "tasks") await loadTasks();
})));

// ---------- stores ----------
async function loadStores() {
  const stores = await latest("stores", "/api/stores");
  if (!stores) return;
  const body = $("stores").tBodies[0];
  body.replaceChildren();
  for (const s of stores) {
    const row = body.insertRow();
    cell(row, button(s.name, () => openStore(s.name)));
    cell(row, String(s.count));
    cell(row, String(s.slotLength));
    cell(row, s.uniqueKeys ? "yes" : "no");
    cell(row, button("Delete", async () => {
      if (!confirm(`Delete store ${s.name} and all its items?`)) return;
      await api("DELETE", `/api/stores/${encodeURIComponent(s.name)}`);
      if (state.store === s.name) $("items-panel").hidden = true;
      await loadStores();
    }));
  }
}

$("create-store").addEventListener("submit", guarded(async () => {
  await api("POST", "/api/stores", { name: $("store-name").value, slotLength: Number($("store-slot").value), uniqueKeys: $("store-unique").checked });
  $("store-name").value = "";
  await loadStores();
}));

// ---------- items ----------
async function openStore(name) {
  state.store = name;
  state.cursors = [null];
  state.page = 0;
  $("items-store").textContent = name;
  $("items-panel").hidden = false;
  await loadItems();
}

async function loadItems() {
  const query = new URLSearchParams({ limit: "100" });
  if ($("from").value) query.set("from", $("from").value);
  if ($("to").value) query.set("to", $("to").value);
  if ($("keys-only").checked) query.set("keysOnly", "true");
  const after = state.cursors[state.page];
  if (after) query.set("after", after);
  const page = await latest("items", `/api/stores/${encodeURIComponent(state.store)}/items?${query}`);
  if (!page) return;
  const body = $("items").tBodies[0];
  body.replaceChildren();
  for (const item of page.items) {
    const row = body.insertRow();
    cell(row, item.key);
    cell(row, "value" in item ? pre(item.value) : "");
    const actions = cell(row, button("Edit", async () => {
      const current = await api("GET", `/api/stores/${encodeURIComponent(state.store)}/items/${encodeURIComponent(item.key)}`);
      $("item-key").value = current.key;
      $("item-value").value = JSON.stringify(current.value, null, 2);
    }));
    actions.appendChild(button("Delete", async () => {
      if (!confirm(`Delete item ${item.key}?`)) return;
      await api("DELETE", `/api/stores/${encodeURIComponent(state.store)}/items/${encodeURIComponent(item.key)}`);
      await loadItems();
    }));
  }
  state.next = page.next;
  $("next-page").disabled = !page.next;
  $("prev-page").disabled = state.page === 0;
  $("page-info").textContent = `page ${state.page + 1}, ${page.items.length} items`;
}

$("filter").addEventListener("submit", guarded(async () => {
  state.cursors = [null];
  state.page = 0;
  await loadItems();
}));
$("next-page").addEventListener("click", guarded(async () => {
  state.cursors[state.page + 1] = state.next;
  state.page++;
  await loadItems();
}));
$("prev-page").addEventListener("click", guarded(async () => {
  state.page--;
  await loadItems();
}));
$("edit-item").addEventListener("submit", guarded(async () => {
  const value = parseJson($("item-value").value, "the item value");
  await api("PUT", `/api/stores/${encodeURIComponent(state.store)}/items/${encodeURIComponent($("item-key").value)}`, JSON.stringify(value));
  // An emptied editor shows the save went through and keeps a stale value from being saved twice by mistake.
  $("item-key").value = "";
  $("item-value").value = "";
  await loadItems();
  await loadStores();
}));

// ---------- macros ----------
async function loadMacros() {
  const macros = await latest("macros", "/api/macros");
  if (!macros) return;
  const body = $("macros").tBodies[0];
  body.replaceChildren();
  for (const m of macros) {
    const row = body.insertRow();
    cell(row, button(m.name, async () => {
      const full = await api("GET", `/api/macros/${encodeURIComponent(m.name)}`);
      delete full.name;
      $("macro-name").value = m.name;
      $("macro-body").value = JSON.stringify(full, null, 2);
      $("run-name").value = m.name;
    }));
    cell(row, m.description || "");
    cell(row, button("Delete", async () => {
      if (!confirm(`Delete macro ${m.name}?`)) return;
      await api("DELETE", `/api/macros/${encodeURIComponent(m.name)}`);
      await loadMacros();
    }));
  }
}

$("edit-macro").addEventListener("submit", guarded(async () => {
  const definition = parseJson($("macro-body").value, "the macro");
  await api("PUT", `/api/macros/${encodeURIComponent($("macro-name").value)}`, definition);
  await loadMacros();
}));
$("run-macro").addEventListener("submit", guarded(async () => {
  $("run-result").textContent = "";
  const args = parseJson($("run-args").value, "the arguments");
  const result = await api("POST", `/api/macros/${encodeURIComponent($("run-name").value)}/run`, { args });
  $("run-result").textContent = JSON.stringify(result.result, null, 2);
}));

// ---------- tasks ----------
async function loadTasks() {
  const tasks = await latest("tasks", "/api/tasks");
  if (!tasks) return;
  const body = $("tasks").tBodies[0];
  body.replaceChildren();
  let active = false;
  for (const t of tasks.slice(0, 20)) {
    const row = body.insertRow();
    row.dataset.task = t.id;
    cell(row, t.id);
    cell(row, t.status);
    const bar = document.createElement("progress");
    bar.max = Math.max(t.total, 1);
    bar.value = t.completed + t.failed;
    bar.setAttribute("aria-label", `task ${t.id} progress`);
    const label = document.createElement("span");
    label.className = "percent";
    label.textContent = ` ${t.total ? Math.round(100 * (t.completed + t.failed) / t.total) : 0}%`;
    const progress = cell(row, bar);
    progress.appendChild(label);
    cell(row, t.failed ? `${t.failed} failed` : "");
    cell(row, t.status === "queued" || t.status === "running"
      ? button("Cancel", async () => { await api("DELETE", `/api/tasks/${t.id}`); await loadTasks(); })
      : button("Errors", async () => {
        const full = await api("GET", `/api/tasks/${t.id}`);
        showError(full.errors.length ? full.errors.map((e) => `#${e.index}: ${e.error}`).join("\n") : "no errors");
      }));
    active ||= t.status === "queued" || t.status === "running";
  }
  clearTimeout(state.polling);
  if (active && !$("tasks-tab").hidden) state.polling = setTimeout(() => loadTasks().catch((e) => showError(e.message)), 500);
}

$("submit-task").addEventListener("submit", guarded(async () => {
  const inputs = parseJson($("task-inputs").value, "the inputs");
  await api("POST", "/api/tasks", { macro: $("task-macro").value, inputs });
  await loadTasks();
}));

loadStores().catch((e) => showError(e.message));
