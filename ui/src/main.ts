import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { api, CommandError } from "./lib/api";
import { backlogQuery, DEFAULT_SORT } from "./lib/backlogQuery";
import { keepFirstPage } from "./lib/startup";
import { markPlatform } from "./lib/platform";

// The first frame waits for the start's one answer, so it shows the view with its rows: a bare
// frame painted first would hold the web view's one thread while the rows are on their way.
markPlatform();
const target = document.getElementById("app")!;
const firstQuery = backlogQuery({}, DEFAULT_SORT);
api.appStart(firstQuery).then(
  (start) => {
    markPlatform(document, start.chineseFonts);
    if (start.backlog) keepFirstPage(firstQuery, start.backlog);
    mount(App, { target, props: { start } });
  },
  (e: unknown) => {
    const error = e instanceof CommandError ? e.translated() : String(e);
    mount(App, { target, props: { start: null, error } });
  },
);
