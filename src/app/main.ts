// Placeholder until the live lab page lands (issue 4).
const root = document.getElementById('app')!;
root.textContent = 'Spikescope — the live lab page is being built. The engine runs headless: npm run cli -- list';
