import { mount } from 'svelte';
import App from './ui/App.svelte';
import { registerServiceWorker } from './app/pwa.svelte.ts';
import './ui/styles.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
mount(App, { target });
registerServiceWorker();
