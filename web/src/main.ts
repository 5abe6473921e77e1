import { mount } from 'svelte';
import App from './App.svelte';
import { app } from './lib/state/app.svelte.ts';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('no #app element');
// Boot before mounting (cold-start budget): boot asks IndexedDB for the session and the group list
// index at once, so the database opens (tens of ms on a cold browser, off the main thread) while the shell mounts.
void app.boot();
const start = (): void => {
  mount(App, { target });
};
// BUDGET-1: an English interface waits for its catalogue (a separate file) before the first paint.
if (app.i18n.catalogLoaded) start();
else void app.i18n.ready.then(start);
