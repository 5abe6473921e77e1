import { mount } from 'svelte';
import App from './App.svelte';
import { app } from './lib/state/app.svelte.ts';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('no #app element');
mount(App, { target });
void app.boot();
